/**
 * Structural edits of real rulesets: the lines that make and remove chains and rules, moved,
 * repeated or added where iptables-restore may refuse them. Where the extension and mutation cases
 * try one rule at a time, these try what a line finds in its table at that point: a chain deleted
 * while rules still jump to it, a rule number past the end of a chain, a chain line after the
 * rules, a chain declared twice.
 *
 * The inputs are the small accepted rulesets of ../shared/corpus/real-iptables (9 to 300 lines,
 * accepted by both tools when the index was made). Each gets a fixed number of edits, chosen by a
 * seeded generator so every run makes the same ones: a chain line or a rule deleted, a chain line
 * moved after a rule or repeated, and `-X`, `-N`, `-F`, `-I CHAIN N` or `-D CHAIN N` added after a
 * rule. Every edit is one ruleset of its own.
 */
import { readFileSync } from 'node:fs';
import type { RealRuleset } from './corpus.js';

export interface StructuralEdit {
  readonly ruleset: RealRuleset;
  /** What was done, for messages. */
  readonly what: string;
  readonly text: string;
}

/** A small linear congruential generator: the same seed gives the same edits on every machine. */
function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
}

/** The edits of one ruleset, `count` of them (fewer when the ruleset lacks what an edit needs). */
export function editsOf(ruleset: RealRuleset, count: number, seed: number): StructuralEdit[] {
  const pick = generator(seed);
  const lines = readFileSync(ruleset.path, 'utf8').split('\n');
  const where = (test: (line: string) => boolean): number[] => lines.flatMap((l, i) => (test(l) ? [i] : []));
  const chainLines = where((l) => l.startsWith(':'));
  const rules = where((l) => l.startsWith('-A '));
  const userChains = chainLines.map((i) => (lines[i] as string).slice(1).split(' ')).filter((p) => p[1] === '-').map((p) => p[0] as string);
  const any = (list: readonly number[]): number => list[pick(list.length)] as number;
  const chainOfRule = (i: number): string => (lines[i] as string).split(' ')[1] as string;
  const out: StructuralEdit[] = [];
  for (let k = 0; k < count; k++) {
    const edited = [...lines];
    let what: string;
    const kind = pick(9);
    if (kind === 0 && chainLines.length > 0) {
      const i = any(chainLines);
      what = `delete line ${i + 1} (${lines[i]})`;
      edited.splice(i, 1);
    } else if (kind === 1 && rules.length > 0) {
      const i = any(rules);
      what = `delete line ${i + 1} (${lines[i]})`;
      edited.splice(i, 1);
    } else if (kind === 2 && chainLines.length > 0 && rules.length > 0) {
      const i = any(chainLines);
      const after = any(rules);
      what = `move line ${i + 1} (${lines[i]}) after line ${after + 1}`;
      edited.splice(after + 1, 0, lines[i] as string);
      edited.splice(i, 1);
    } else if (kind === 3 && chainLines.length > 0) {
      const i = any(chainLines);
      what = `repeat line ${i + 1} (${lines[i]})`;
      edited.splice(i, 0, lines[i] as string);
    } else if (kind >= 4 && rules.length > 0 && (userChains.length > 0 || (kind !== 4 && kind !== 7))) {
      const after = any(rules);
      const chain = chainOfRule(after);
      const user = (): string => userChains[pick(userChains.length)] as string;
      const added = kind === 4 ? `-X ${user()}` : kind === 5 ? `-I ${chain} ${1 + pick(6)} -j ACCEPT` : kind === 6 ? `-D ${chain} ${1 + pick(6)}` : kind === 7 ? `-N ${user()}` : `-F ${chain}`;
      what = `add "${added}" after line ${after + 1}`;
      edited.splice(after + 1, 0, added);
    } else continue;
    out.push({ ruleset, what, text: edited.join('\n') });
  }
  return out;
}
