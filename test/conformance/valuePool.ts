/**
 * Values at the edges of the C parsers, each put in place of the value of every option of the
 * accepted `.t` lines (one line per option, family and table): numbers around 8, 16, 31, 32 and 64
 * bits, C number spellings (`0x10`, `010`, `08`, `+1`), ranges and masks turned or empty, addresses
 * of the other family, words where numbers go. Where the mutations change a value the way people
 * write it, these probe how each parser reads what it was not written for.
 */
import { acceptedLines, HOST_BOUND_ALONE, MUTATION_SUITES, type MutationCase } from './mutations.js';

export const VALUE_POOL: readonly string[] = [
  '0', '1', '-1', '255', '256', '65535', '65536', '4294967295', '4294967296', '2147483647', '2147483648',
  '0x10', '010', '08', '1:2', '2:1', ':', '1-2', '0/0', '1/0', 'a', 'ALL', 'NONE', '1.2.3.4', '1.2.3.4/33',
  '::1', '1.5', '+1', '1k', '-', '0:0', '65535:0',
  // Blanks and empty words (quoted), and forms of other parsers.
  '""', '" 1"', '"1 "', '0x', '1e3', '1,2', ',', '1/', '/1', '1.2.3.4:80', '[::1]', 'lo', '0xffffffff', '0x100000000',
  '-0', '00', '1::', '::ffff:1.2.3.4', '1.2.3', '18446744073709551616', '1m', '1/s', '5/minute', '1%', 'eth0+', '*',
  '0.0.0.0', '255.255.255.255', 'ffff::',
  // Address spellings of inet_aton, inet_pton and getaddrinfo: hex parts, an octal part that is
  // not one, a mapped IPv4 address in hex, a leading zero in an embedded IPv4 part, a scope.
  '0x1.0x2', '1.2.3.09', '::ffff:102:304', '::1.2.3.04', 'fe80::1%lo',
  // Rates whose text says more than atoll reads: a fraction, a byte unit on a packet rate, an
  // upper-case scale on a byte rate.
  '2.5/sec', '3kb/min', '10Mb/s',
];

/** Words after these name an extension, a chain or a protocol, not a value. */
const NAME_OPTIONS = new Set(['-j', '-m', '-g', '--jump', '--match', '--goto', '-p', '--protocol']);

/** The pool's variants of the accepted lines of both suites, without duplicates. */
export function valuePoolCases(corpus: string): MutationCase[] {
  const cases = new Map<string, MutationCase>();
  const seen = new Set<string>();
  for (const suite of MUTATION_SUITES) {
    for (const l of acceptedLines(corpus, suite, HOST_BOUND_ALONE)) {
      if (l.rule.includes('"') || l.rule.includes("'")) continue; // lines with quoted words are not split here
      const words = l.rule.split(' ').filter((w) => w !== '');
      for (let i = 1; i < words.length; i++) {
        const option = words[i - 1] as string;
        const word = words[i] as string;
        if (word.startsWith('-') || word === '!' || NAME_OPTIONS.has(option) || !option.startsWith('-')) continue;
        // One line per option, family, table and number of options: the pool is about the parser.
        const key = `${l.family}|${l.table}|${option}|${words.filter((w) => w.startsWith('-')).length}`;
        if (seen.has(key)) continue;
        seen.add(key);
        for (const value of VALUE_POOL) {
          if (value === word) continue;
          const rule = [...words.slice(0, i), value, ...words.slice(i + 1)].join(' ');
          const text = `*${l.table}\n-A ${l.chain} ${rule}\nCOMMIT\n`;
          if (!cases.has(`${l.family}\0${text}`)) cases.set(`${l.family}\0${text}`, { suite: suite.name, source: `${l.file}:${l.line}`, family: l.family, table: l.table, chain: l.chain, word, mutated: value, rule, text });
        }
      }
    }
  }
  return [...cases.values()];
}

