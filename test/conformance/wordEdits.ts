/**
 * Word edits: every accepted `.t` line with one word deleted, one word written twice, two
 * neighbouring words swapped, two neighbouring words joined, one word in the other case
 * (`-j accept`, `-p TCP`, `-m TCP`), one option (with its "!" and values) moved to the front or
 * the end of the rule, or a word inserted anywhere (`-4`, `-6`, `--`, `-v`, `-c 1 2`). Where the mutation cases change what a word says, these change how the words
 * group: a value left without its option, an option left without its value (so that getopt hands it
 * the next option or "!" as the value: `-m ! --ahspi 0`), an option given twice, an empty policy
 * element (`--next --next`), a value written against its option (`-ptcp`, `-mtcp`, `--dport22`),
 * two short options in one word (`-vj`), an extension option before its `-m`, options whose order
 * matters (`--rt-type 0` before `--rt-0-res`), a line the tool skips (`-4` in an IPv6 ruleset).
 */
import { acceptedLines, HOST_BOUND_ALONE, MUTATION_SUITES, type MutationCase } from './mutations.js';

export type WordEdit = 'delete' | 'repeat' | 'swap' | 'join' | 'case' | 'move' | 'insert';

/**
 * What the 'insert' edit puts between two words: the family marks (the other family's tool stops
 * reading the line there and skips its rule), getopt's end of options, and generic options that go
 * anywhere (but where an option needs its value).
 */
const INSERTED = ['-4', '-6', '--', '-v', '-c 1 2'];

/** The edited variants of one suite's accepted lines, each distinct ruleset once. */
export function wordEditCases(corpus: string, suite: (typeof MUTATION_SUITES)[number], edits: readonly WordEdit[]): MutationCase[] {
  const seen = new Set<string>();
  const out: MutationCase[] = [];
  for (const { file, line, family, table, chain, rule } of acceptedLines(corpus, suite, HOST_BOUND_ALONE)) {
    const words = rule.match(/"[^"]*"|\S+/g) ?? [];
    const add = (edited: string, word: string, mutated: string): void => {
      const text = `*${table}\n-A ${chain} ${edited}\nCOMMIT\n`;
      if (edited === rule || seen.has(`${family} ${text}`)) return;
      seen.add(`${family} ${text}`);
      out.push({ suite: suite.name, source: `${file}:${line}`, family, table, chain, word, mutated, rule: edited, text });
    };
    for (const edit of edits) {
      if (edit === 'insert') {
        for (const inserted of INSERTED) {
          for (let i = 0; i <= words.length; i++) add([...words.slice(0, i), inserted, ...words.slice(i)].join(' '), inserted, `inserted at word ${i + 1}`);
        }
        continue;
      }
      if (edit === 'move') {
        const groups = optionGroups(words);
        for (let g = 1; g < groups.length; g++) {
          const rest = [...groups];
          const [moved] = rest.splice(g, 1) as [string[]];
          add([moved, ...rest].flat().join(' '), moved.join(' '), 'to the front');
          add([...rest, moved].flat().join(' '), moved.join(' '), 'to the end');
        }
        continue;
      }
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
        add(changed.join(' '), words[i] as string, edit);
      }
    }
  }
  return out;
}

/** The words of a rule by option: each option with the "!" before it and the words after it. */
function optionGroups(words: readonly string[]): string[][] {
  const groups: string[][] = [];
  for (const w of words) {
    const last = groups[groups.length - 1];
    const opens = w === '!' || (w.startsWith('-') && w.length > 1 && last?.[last.length - 1] !== '!');
    if (opens || last === undefined) groups.push([w]);
    else last.push(w);
  }
  return groups;
}
