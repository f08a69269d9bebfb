import type { TableAnalysis, AnalyzedRule } from '../analysis.js';
import type { IptablesRule } from '../ruleContext.js';

export const chainLoop: IptablesRule = {
  id: 'chain-loop',
  severity: 'error',
  docs: {
    summary: 'Jumps between user chains that form a cycle (A jumps to B, B jumps back to A, or A to itself).',
    rationale: 'The kernel refuses a ruleset in which a packet could loop forever ("Too many links") once the loop is reachable from a built-in chain; an unreachable loop loads but is dead code waiting to break the next change.',
  },
  messages: {
    loop: 'jump loop: {cycle}',
    unreachableLoop: 'jump loop: {cycle} (not reached from a built-in chain yet; the kernel refuses it once it is)',
  },
  check(ctx) {
    for (const t of ctx.analysis.tables) {
      for (const cycle of findCycles(t)) {
        const last = cycle[cycle.length - 1] as AnalyzedRule;
        const names = cycle.map((r) => r.chain ?? '?');
        const text = [...names, names[0]].join(' → ');
        const reachable = names.some((n) => (t.hooks.get(n)?.size ?? 0) > 0);
        const word = last.resolved.target?.word;
        if (!word) continue;
        ctx.report({
          span: word.span,
          messageId: reachable ? 'loop' : 'unreachableLoop',
          data: { cycle: text },
          ...(reachable ? {} : { severity: 'warning' as const }),
          related: cycle.slice(0, -1).flatMap((r) => (r.resolved.target?.word ? [{ span: r.resolved.target.word.span, message: `${r.chain ?? ''} jumps to ${r.resolved.target.word.text}` }] : [])),
        });
      }
    }
  },
};

/** One cycle per strongly connected component (Tarjan), as the list of jumping rules along it. */
function findCycles(t: TableAnalysis): AnalyzedRule[][] {
  const edges = new Map<string, AnalyzedRule[]>();
  for (const [name, info] of t.chains) {
    if (info.builtin) continue;
    edges.set(name, info.rules.filter((r) => {
      const dest = r.resolved.target?.word?.text;
      return dest !== undefined && t.chains.has(dest) && !t.chains.get(dest)?.builtin;
    }));
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const sccs: string[][] = [];
  const strong = (v: string): void => {
    // Iterative Tarjan to survive long chains of jumps without recursion limits.
    const work: Array<{ v: string; i: number }> = [{ v, i: 0 }];
    index.set(v, counter); low.set(v, counter); counter++; stack.push(v); onStack.add(v);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { v: string; i: number };
      const out = edges.get(frame.v) ?? [];
      if (frame.i < out.length) {
        const w = (out[frame.i] as AnalyzedRule).resolved.target?.word?.text as string;
        frame.i++;
        if (!index.has(w)) {
          index.set(w, counter); low.set(w, counter); counter++; stack.push(w); onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) low.set(frame.v, Math.min(low.get(frame.v) as number, index.get(w) as number));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v) as number, low.get(frame.v) as number));
      if (low.get(frame.v) === index.get(frame.v)) {
        const comp: string[] = [];
        let x: string;
        do {
          x = stack.pop() as string;
          onStack.delete(x);
          comp.push(x);
        } while (x !== frame.v);
        sccs.push(comp);
      }
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) strong(v);
  const cycles: AnalyzedRule[][] = [];
  for (const comp of sccs) {
    const members = new Set(comp);
    const start = comp[comp.length - 1] as string;
    if (comp.length === 1) {
      const self = (edges.get(start) ?? []).find((r) => r.resolved.target?.word?.text === start);
      if (self) cycles.push([self]);
      continue;
    }
    // Walk inside the component from `start` until we come back to it.
    const path: AnalyzedRule[] = [];
    const seen = new Set<string>();
    let v = start;
    for (;;) {
      seen.add(v);
      const next = (edges.get(v) ?? []).find((r) => members.has(r.resolved.target?.word?.text ?? '') && (r.resolved.target?.word?.text === start || !seen.has(r.resolved.target?.word?.text ?? '')));
      if (!next) break;
      path.push(next);
      v = next.resolved.target?.word?.text as string;
      if (v === start) break;
    }
    if (path.length > 0 && v === start) cycles.push(path);
  }
  return cycles;
}
