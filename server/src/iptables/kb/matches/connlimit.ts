import type { MatchSpec } from '../types.js';
import type { ValueCheck } from '../types.js';
import { checkHost, uintRange, UINT32_MAX } from '../values.js';

/** A prefix length (IPv4: iptables 1.8.9 takes any 8-bit number; IPv6: 0-128) or a netmask address. */
const prefix4 = uintRange(0, 255, 'prefix length');
const prefix6 = uintRange(0, 128, 'prefix length');
const checkMask: ValueCheck = (v, f) => {
  if (/^[0-9]+$/.test(v)) return (f === 'ipv4' ? prefix4 : prefix6)(v, f);
  return checkHost(v, f) === undefined && !/^[A-Za-z]/.test(v) ? undefined : `invalid mask "${v}": expected a prefix length or a netmask`;
};

export const connlimit: MatchSpec = {
  name: 'connlimit',
  doc: 'Matches on the number of connections a client (or address group) already has open, e.g. to allow at most N parallel connections.',
  requireOneOf: [['--connlimit-upto', '--connlimit-above']],
  options: {
    '--connlimit-upto': { args: [{ display: 'n', check: uintRange(0, UINT32_MAX, 'limit') }], negatable: true, conflicts: ['--connlimit-above'], doc: 'Match while the count is at most n.' },
    '--connlimit-above': { args: [{ display: 'n', check: uintRange(0, UINT32_MAX, 'limit') }], negatable: true, conflicts: ['--connlimit-upto'], doc: 'Match when the count is above n (typically with `-j REJECT`).' },
    '--connlimit-mask': { args: [{ display: 'prefix-length', check: checkMask }], doc: 'Group addresses by this prefix length or netmask (default 32 or 128: each host alone).' },
    '--connlimit-saddr': { args: [], conflicts: ['--connlimit-daddr'], doc: 'Count per source address (the default).' },
    '--connlimit-daddr': { args: [], conflicts: ['--connlimit-saddr'], doc: 'Count per destination address.' },
  },
};
