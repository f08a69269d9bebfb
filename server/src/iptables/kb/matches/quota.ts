import type { MatchSpec } from '../types.js';
import { uintRange, UINT64_MAX } from '../values.js';

export const quota: MatchSpec = {
  name: 'quota',
  doc: 'Matches until a byte quota is used up (counted per rule; the count restarts when the rule is reloaded).',
  requireOneOf: [['--quota']],
  options: {
    '--quota': { args: [{ display: 'bytes', check: uintRange(0, UINT64_MAX, 'quota') }], negatable: true, doc: 'Number of bytes (64-bit) that may match.' },
  },
};
