/**
 * Word edits: every accepted `.t` line with one word deleted, one word written twice, or two
 * neighbouring words swapped. Where the mutation cases change what a word says, these change how
 * the words group: a value left without its option, an option left without its value (so that
 * getopt hands it the next option or "!" as the value: `-m ! --ahspi 0`), an option given twice,
 * an empty policy element (`--next --next`).
 */
import { join } from 'node:path';
import { readCsvRecords, type Family } from './corpus.js';
import { MUTATION_SUITES, type MutationCase } from './mutations.js';

/** Lines whose verdict depends on objects this kind of host lacks (as in mutations.ts). */
const HOST_BOUND = /CLUSTERIP|LED|ipvs|-m set|SET |RATEEST|rateest|nfacct|SECMARK|CONNSECMARK/;

export type WordEdit = 'delete' | 'repeat' | 'swap';

/** The edited variants of one suite's accepted lines, each distinct ruleset once. */
export function wordEditCases(corpus: string, suite: (typeof MUTATION_SUITES)[number], edits: readonly WordEdit[]): MutationCase[] {
  const seen = new Set<string>();
  const out: MutationCase[] = [];
  for (const row of readCsvRecords(join(corpus, 'iptables-t', suite.csv))) {
    if (row['nft_restore_test_rc'] !== '0' || row['legacy_restore_test_rc'] !== '0') continue;
    if (row['family'] !== 'iptables' && row['family'] !== 'ip6tables') continue;
    const rule = row['rule'] ?? '';
    if (HOST_BOUND.test(rule)) continue;
    const family: Family = row['family'] === 'ip6tables' ? 'ipv6' : 'ipv4';
    const table = row['table'] ?? 'filter';
    const chain = row['first_chain'] ?? 'INPUT';
    const words = rule.match(/"[^"]*"|\S+/g) ?? [];
    for (const edit of edits) {
      for (let i = 0; i < words.length; i++) {
        const changed = [...words];
        if (edit === 'delete') changed.splice(i, 1);
        else if (edit === 'repeat') changed.splice(i, 0, words[i] as string);
        else if (i + 1 < words.length) [changed[i], changed[i + 1]] = [words[i + 1] as string, words[i] as string];
        else continue;
        const edited = changed.join(' ');
        const text = `*${table}\n-A ${chain} ${edited}\nCOMMIT\n`;
        if (seen.has(`${family} ${text}`)) continue;
        seen.add(`${family} ${text}`);
        out.push({ suite: suite.name, source: `${row['t_file'] ?? '?'}:${row['line'] ?? '?'}`, family, table, chain, word: words[i] as string, mutated: edit, rule: edited, text });
      }
    }
  }
  return out;
}
