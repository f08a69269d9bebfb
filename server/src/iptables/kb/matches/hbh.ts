import type { MatchSpec } from '../types.js';
import { uintRange, UINT32_MAX } from '../values.js';
import { checkIpv6Options } from './dst.js';

export const hbh: MatchSpec = {
  name: 'hbh',
  family: 'ipv6',
  doc: 'Matches the IPv6 Hop-by-Hop Options extension header: its length and the options it carries.',
  options: {
    '--hbh-len': { args: [{ display: 'length', check: uintRange(0, UINT32_MAX, 'length') }], negatable: true, doc: 'The header length field equals this number.' },
    '--hbh-opts': { args: [{ display: 'type[:len][,type[:len]...]', check: checkIpv6Options }], doc: 'Options that must be present, in order: type numbers with optional length, at most 16.' },
  },
};
