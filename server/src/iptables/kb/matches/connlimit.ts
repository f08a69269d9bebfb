import type { MatchSpec, ValueCheck } from '../types.js';
import { isInetAton, isResolverIPv6, isV4Mapped, netmaskHolesNote, octalNote, parseUnsignedBig, uintRange, UINT32_MAX, WARNING_REASON } from '../values.js';

/**
 * A prefix length as a C number (`+32`, `0x20`; IPv4: iptables 1.8.9 takes any 8-bit number, IPv6:
 * 0-128), or a netmask in numeric address form of the family: for IPv4 as inet_aton reads it
 * (`255.255.255.0`, but also `256` or `1.65535`), for IPv6 as inet_pton does.
 */
const checkMask: ValueCheck = (v, f) => {
  const n = parseUnsignedBig(v);
  // IPv4 takes prefix lengths up to 255 and uses 32 for any above it (iptables-save shows 32).
  if (n !== undefined && f === 'ipv4' && n > 32n && n <= 255n) return `${WARNING_REASON}prefix length ${v} is above 32, and iptables takes it as 32: each address alone`;
  if (n !== undefined && n <= (f === 'ipv4' ? 255n : 128n)) return octalNote(v, 'prefix length');
  if (f === 'ipv4' ? isInetAton(v) || isV4Mapped(v) : isResolverIPv6(v)) return netmaskHolesNote(v, f); // `24.5` is /32
  return `invalid mask "${v}": expected a prefix length (${f === 'ipv4' ? '0-32' : '0-128'}) or a netmask address`;
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
