import type { MatchSpec } from '../types.js';
import { uintRange, UINT32_MAX } from '../values.js';

export const cpu: MatchSpec = {
  name: 'cpu',
  doc: 'Matches on the CPU that handles the packet (useful to spread load with RPS/RSS).',
  requireOneOf: [['--cpu']],
  options: {
    '--cpu': { args: [{ display: 'number', check: uintRange(0, UINT32_MAX, 'CPU number') }], negatable: true, doc: 'CPU number, counting from 0.' },
  },
};
