import type { MatchSpec } from '../types.js';
import { mintRange, UINT16_MAX } from '../values.js';

export const length: MatchSpec = {
  name: 'length',
  doc: 'Matches the length of the layer-3 payload plus header (the IP packet length).',
  requireOneOf: [['--length']],
  options: {
    '--length': { args: [{ display: 'length[:length]', check: mintRange(UINT16_MAX, 'length') }], negatable: true, doc: 'Length in bytes or inclusive range `min:max` (0-65535; open ends allowed).' },
  },
};
