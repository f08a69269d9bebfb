/**
 * Pair cases: two accepted `.t` lines of different extension files written as one rule (the second
 * line's target, if both have one, left out), in the first line's table and chain, with some long
 * options shortened as getopt allows. The `.t` lines load one extension at a time; a rule that loads
 * several is where getopt's merged option table decides what an abbreviation means, which extension
 * takes an option, and whether two extensions get on (`-m connmark --mark 1 -m mark --mar 1` is
 * refused: both have --mark).
 *
 * The pairs come from a seeded generator, so every run makes the same ones.
 */
import type { Family } from './corpus.js';
import { acceptedLines, HOST_BOUND_ALONE, MUTATION_SUITES, type AcceptedLine, type MutationCase } from './mutations.js';

/** A linear congruential generator; the low bits of its state repeat quickly, so it uses the high ones. */
function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return (state >>> 8) % n;
  };
}

const TARGET = /(^| )(-j|-g) .*$/;

/**
 * The first `length` characters of a long option, unless they start --help or --version: those
 * make iptables-restore print and exit 0 without loading anything (see `optionNamesOf`).
 */
function shortened(option: string, length: number): string {
  const cut = option.slice(0, length);
  return '--help'.startsWith(cut) || '--version'.startsWith(cut) ? option : cut;
}

/** `count` pair rulesets (fewer when pairs repeat) of one suite's accepted lines, IPv4 and IPv6 in about 4:1. */
export function pairCases(corpus: string, suite: (typeof MUTATION_SUITES)[number], count: number, seed: number): MutationCase[] {
  const lines: Record<Family, AcceptedLine[]> = { ipv4: [], ipv6: [] };
  for (const l of acceptedLines(corpus, suite, HOST_BOUND_ALONE)) lines[l.family].push(l);
  const pick = generator(seed);
  const seen = new Set<string>();
  const out: MutationCase[] = [];
  for (let k = 0; k < count; k++) {
    const family: Family = pick(5) === 0 ? 'ipv6' : 'ipv4';
    const list = lines[family];
    if (list.length === 0) continue;
    const a = list[pick(list.length)] as AcceptedLine;
    const b = list[pick(list.length)] as AcceptedLine;
    if (a.file === b.file) continue;
    // The first line keeps its target; the second line's options go before it.
    const aTarget = TARGET.test(a.rule);
    let rule = aTarget ? `${b.rule.replace(TARGET, '')} ${a.rule}`.trim() : `${a.rule} ${b.rule}`;
    const shorten = k % 2 === 1;
    if (shorten) rule = rule.split(' ').map((w) => (w.startsWith('--') && w.length > 4 && pick(3) === 0 ? shortened(w, 3 + pick(w.length - 3)) : w)).join(' ');
    const text = `*${a.table}\n-A ${a.chain} ${rule}\nCOMMIT\n`;
    if (seen.has(`${family} ${text}`)) continue;
    seen.add(`${family} ${text}`);
    out.push({ suite: suite.name, source: `${a.file}+${b.file}`, family, table: a.table, chain: a.chain, word: a.rule, mutated: shorten ? 'shortened' : 'joined', rule, text });
  }
  return out;
}
