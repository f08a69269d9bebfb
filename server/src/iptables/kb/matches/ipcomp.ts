import type { MatchSpec } from '../types.js';
import { mintRange, protocolSpellings, UINT32_MAX } from '../values.js';

export const ipcomp: MatchSpec = {
  name: 'ipcomp',
  doc: 'Matches the Compression Parameter Index of IPComp packets. Needs `-p ipcomp` (protocol 108).',
  protocols: protocolSpellings('ipcomp'),
  options: {
    '--ipcompspi': { args: [{ display: 'spi[:spi]', check: mintRange(UINT32_MAX, 'CPI') }], negatable: true, doc: 'CPI or inclusive range `first:last`.' },
    '--compres': { args: [], doc: 'The reserved field must be zero.' },
  },
};
