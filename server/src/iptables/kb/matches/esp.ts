import type { MatchSpec } from '../types.js';
import { mintRange, protocolSpellings, UINT32_MAX } from '../values.js';

export const esp: MatchSpec = {
  name: 'esp',
  doc: 'Matches the Security Parameters Index of IPsec ESP packets. Needs `-p esp` (the kernel checks it).',
  protocols: protocolSpellings('esp'),
  options: {
    '--espspi': { args: [{ display: 'spi[:spi]', check: mintRange(UINT32_MAX, 'SPI') }], negatable: true, doc: 'SPI or inclusive range `first:last`, numbers 0-4294967295.' },
  },
};
