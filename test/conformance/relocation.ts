/**
 * Relocation cases: every `.t` line both real tools accept, moved into each built-in chain of each
 * table, and into a user chain that the built-in chain jumps to. The `.t` files try each line in one
 * table and chain; where a rule may stand (DROP not in nat, MASQUERADE in POSTROUTING, `-m owner` in
 * OUTPUT and POSTROUTING, `-m policy --dir in` not after routing ...) is what the table and chain
 * checks model, and through a jump the two backends differ (kb/hookChecks.ts).
 *
 * Lines of one shape (the same words with the values left out) behave alike wherever they stand, so
 * one line per shape is moved. Lines whose verdict depends on objects this host lacks are left out
 * (HOST_BOUND_ALONE in mutations.ts).
 */
import { TABLES } from '../../server/src/iptables/kb/tables.js';
import { acceptedLines, HOST_BOUND_ALONE, MUTATION_SUITES, type MutationCase } from './mutations.js';

/**
 * What decides where a line may stand: its options and the names after -m/-j/-g/-p, without values,
 * order or repeats (`-p tcp -m tcp --dport 22` and `-p tcp --dport 80:90` have one shape).
 */
export function shapeOf(rule: string): string {
  const words = rule.match(/"[^"]*"|\S+/g) ?? [];
  const kept = words.filter((w, i) => (w.startsWith('-') && !/^-\d/.test(w)) || /^(-m|-j|-g|-p|--match|--jump|--goto|--protocol)$/.test(words[i - 1] ?? ''));
  return [...new Set(kept)].sort().join(' ');
}

/**
 * The relocated variants of one suite's accepted lines (`via: 'jump'` puts the rule in a user
 * chain), one line per shape; shapes in `seen` (another suite's) are left out and the new ones added.
 */
export function relocationCases(corpus: string, suite: (typeof MUTATION_SUITES)[number], via: 'direct' | 'jump', seen = new Set<string>()): MutationCase[] {
  const out: MutationCase[] = [];
  for (const { file, line, family, table: fromTable, chain: fromChain, rule } of acceptedLines(corpus, suite, HOST_BOUND_ALONE)) {
    const shape = `${family} ${shapeOf(rule)}`;
    if (seen.has(shape)) continue;
    seen.add(shape);
    for (const [table, chains] of Object.entries(TABLES)) {
      for (const chain of chains) {
        const text = via === 'jump'
          ? `*${table}\n:RELOCATED - [0:0]\n-A ${chain} -j RELOCATED\n-A RELOCATED ${rule}\nCOMMIT\n`
          : `*${table}\n-A ${chain} ${rule}\nCOMMIT\n`;
        out.push({
          suite: suite.name, source: `${file}:${line}`, family, table, chain,
          word: `${fromTable}/${fromChain}`, mutated: `${table}/${via === 'jump' ? `${chain} -j RELOCATED` : chain}`, rule, text,
        });
      }
    }
  }
  return out;
}
