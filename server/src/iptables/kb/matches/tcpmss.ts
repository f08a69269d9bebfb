import type { MatchSpec } from '../types.js';
import { mintRange, protocolSpellings, UINT16_MAX } from '../values.js';

export const tcpmss: MatchSpec = {
  name: 'tcpmss',
  doc: 'Matches the Maximum Segment Size option of TCP SYN and SYN/ACK packets. Needs `-p tcp` (the kernel checks it).',
  protocols: protocolSpellings('tcp'),
  requireOneOf: [['--mss']],
  options: {
    '--mss': { args: [{ display: 'value[:value]', check: mintRange(UINT16_MAX, 'MSS', true) }], negatable: true, doc: 'MSS value or inclusive range `min:max`, 0-65535.' },
  },
};
