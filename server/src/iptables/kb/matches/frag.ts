import type { MatchSpec } from '../types.js';
import { mintRange, uintRange, UINT32_MAX } from '../values.js';

export const frag: MatchSpec = {
  name: 'frag',
  family: 'ipv6',
  doc: 'Matches the IPv6 Fragment extension header: identification, length and position of the fragment.',
  options: {
    '--fragid': { args: [{ display: 'id[:id]', check: mintRange(UINT32_MAX, 'fragment id') }], negatable: true, doc: 'Identification or inclusive range `first:last`.' },
    '--fraglen': { args: [{ display: 'length', check: uintRange(0, UINT32_MAX, 'length') }], negatable: true, doc: 'The header length field equals this number.' },
    '--fragres': { args: [], doc: 'The reserved fields must be zero.' },
    '--fragfirst': { args: [], doc: 'Only the first fragment.' },
    '--fragmore': { args: [], conflicts: ['--fraglast'], doc: 'Fragments followed by more fragments.' },
    '--fraglast': { args: [], conflicts: ['--fragmore'], doc: 'The last fragment.' },
  },
};
