import type { ExtensionProblem, MatchSpec, ValueCheck } from '../types.js';
import { oneOf, parseUnsignedBig, stringLength, uintRange, UINT16_MAX } from '../values.js';

/** `text|hex bytes|text`: parts between pipes are pairs of hex digits (spaces allowed); at most 128 bytes in all. */
const checkHexString: ValueCheck = (v) => {
  const parts = v.split('|');
  if (parts.length % 2 === 0) return 'unbalanced "|" in hex string';
  let bytes = 0;
  for (const [i, part] of parts.entries()) {
    if (i % 2 === 0) {
      bytes += Buffer.byteLength(part.replace(/\\(.)/g, '$1'), 'utf8');
      continue;
    }
    const hex = part.replace(/ /g, '');
    const bad = /[^0-9a-fA-F]/.exec(hex);
    if (bad) return `invalid hex digit "${bad[0]}" in hex string`;
    if (hex.length % 2 !== 0) return 'odd number of hex digits in a |...| block';
    bytes += hex.length / 2;
  }
  return bytes > 128 ? `hex string is ${bytes} bytes long, at most 128 are allowed` : undefined;
};

export const string: MatchSpec = {
  name: 'string',
  doc: 'Searches the packet for a byte pattern with the Boyer-Moore (`bm`) or Knuth-Pratt-Morris (`kmp`) algorithm. Expensive; consider where it runs.',
  requireOneOf: [['--string', '--hex-string'], ['--algo']],
  options: {
    '--algo': { args: [{ display: 'bm|kmp', check: oneOf(['bm', 'kmp'], 'algorithm', true), values: ['bm', 'kmp'] }], doc: 'Search algorithm: `bm` or `kmp`. Required.' },
    '--from': { args: [{ display: 'offset', check: uintRange(0, UINT16_MAX, 'offset') }], doc: 'Byte offset where the search starts (default 0).' },
    '--to': { args: [{ display: 'offset', check: uintRange(0, UINT16_MAX, 'offset') }], doc: 'Byte offset where the search ends (default the whole packet).' },
    '--string': { args: [{ display: 'pattern', check: stringLength(128, 'pattern', 1) }], negatable: true, conflicts: ['--hex-string'], doc: 'Text to look for, at most 128 bytes.' },
    '--hex-string': { args: [{ display: 'pattern', check: checkHexString }], negatable: true, conflicts: ['--string'], doc: 'Pattern with binary parts between pipes, e.g. `|0d0a|Host:`; at most 128 bytes.' },
    '--icase': { args: [], doc: 'Ignore case when searching.' },
  },
  validate: (given) => {
    const problems: ExtensionProblem[] = [];
    const from = parseUnsignedBig(given.get('--from')?.[0] ?? '');
    const to = parseUnsignedBig(given.get('--to')?.[0] ?? '');
    if (from !== undefined && to !== undefined && from > to) problems.push({ option: '--from', message: `--from ${from} is beyond --to ${to}` });
    return problems;
  },
};
