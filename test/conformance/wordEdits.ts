/**
 * Word edits: every accepted `.t` line with one word deleted, one word written twice, two
 * neighbouring words swapped, two neighbouring words joined, or one word in the other case
 * (`-j accept`, `-p TCP`, `-m TCP`). Where the mutation cases change what
 * a word says, these change how the words group: a value left without its option, an option left
 * without its value (so that getopt hands it the next option or "!" as the value: `-m ! --ahspi 0`),
 * an option given twice, an empty policy element (`--next --next`), a value written against its
 * option (`-ptcp`, `-mtcp`, `--dport22`) or two short options in one word (`-vj`).
 */
import { acceptedLines, HOST_BOUND_ALONE, MUTATION_SUITES, type MutationCase } from './mutations.js';

export type WordEdit = 'delete' | 'repeat' | 'swap' | 'join' | 'case';

/** The edited variants of one suite's accepted lines, each distinct ruleset once. */
export function wordEditCases(corpus: string, suite: (typeof MUTATION_SUITES)[number], edits: readonly WordEdit[]): MutationCase[] {
  const seen = new Set<string>();
  const out: MutationCase[] = [];
  for (const { file, line, family, table, chain, rule } of acceptedLines(corpus, suite, HOST_BOUND_ALONE)) {
    const words = rule.match(/"[^"]*"|\S+/g) ?? [];
    for (const edit of edits) {
      for (let i = 0; i < words.length; i++) {
        const changed = [...words];
        if (edit === 'case') {
          const w = words[i] as string;
          const other = w === w.toLowerCase() ? w.toUpperCase() : w.toLowerCase();
          if (other === w) continue;
          changed[i] = other;
        } else if (edit === 'delete') changed.splice(i, 1);
        else if (edit === 'repeat') changed.splice(i, 0, words[i] as string);
        else if (i + 1 >= words.length) continue;
        else if (edit === 'swap') [changed[i], changed[i + 1]] = [words[i + 1] as string, words[i] as string];
        else changed.splice(i, 2, `${words[i] as string}${words[i + 1] as string}`);
        const edited = changed.join(' ');
        const text = `*${table}\n-A ${chain} ${edited}\nCOMMIT\n`;
        if (seen.has(`${family} ${text}`)) continue;
        seen.add(`${family} ${text}`);
        out.push({ suite: suite.name, source: `${file}:${line}`, family, table, chain, word: words[i] as string, mutated: edit, rule: edited, text });
      }
    }
  }
  return out;
}
