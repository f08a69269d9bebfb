/** Optimal string alignment distance (Levenshtein with transpositions), capped for speed. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const prev2: number[] = new Array<number>(b.length + 1).fill(0);
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (prev2[j - 2] as number) + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    for (let j = 0; j <= b.length; j++) prev2[j] = prev[j] as number;
    prev = cur;
    if (rowMin > cap) return cap + 1;
  }
  return prev[b.length] as number;
}

/**
 * The closest candidate when the name is a near miss: same letters in another case, or at most one
 * edit for short names (two for names of 6+ characters). Undefined when nothing is that close.
 */
export function nearMiss(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    if (c === name) return undefined;
    if (c.toLowerCase() === lower) return c;
    const allowed = Math.min(name.length, c.length) >= 6 ? 2 : 1;
    const d = editDistance(lower, c.toLowerCase(), allowed);
    if (d <= allowed && d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}
