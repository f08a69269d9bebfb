import type { MatchSpec, ValueCheck } from '../types.js';

/**
 * A rough shape check of u32 tests: `location = value[,value...] [&& ...]` where locations combine
 * numbers with `&`, `<<`, `>>` and `@`, and values are numbers or `n:m` ranges.
 */
const checkU32: ValueCheck = (v) => {
  const num = '(?:0[xX][0-9a-fA-F]+|[0-9]+)';
  const location = `\\s*${num}(?:\\s*(?:&|<<|>>|@)\\s*${num})*\\s*`;
  const range = `\\s*${num}(?:\\s*:\\s*${num})?\\s*`;
  const test = `${location}=${range}(?:,${range})*`;
  return new RegExp(`^${test}(?:&&${test})*$`).test(v) ? undefined : `invalid u32 test "${v}": expected location=value[,value...] joined by &&`;
};

export const u32: MatchSpec = {
  name: 'u32',
  doc: 'Extracts 32-bit words from the packet at computed offsets and compares them with values or ranges; a small language for matching any header field.',
  requireOneOf: [['--u32']],
  options: {
    '--u32': { args: [{ display: 'tests', check: checkU32 }], negatable: true, doc: 'Tests joined by `&&`, each `location=value[,value...]`; a location is a number combined with `&`, `<<`, `>>` and `@` (move to offset). E.g. `"0>>22&0x3C@12>>26&0x3C@0=0x0"`.' },
  },
};
