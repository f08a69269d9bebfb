import type { MatchSpec, ValueCheck } from '../types.js';
import { commaList, uintRange, UINT32_MAX } from '../values.js';

/** `TYPE[:LEN]` items of the IPv6 hop-by-hop / destination options matches: numbers 0-255. */
const optionType = uintRange(0, UINT32_MAX, 'option type');
const optionLength = uintRange(0, UINT32_MAX, 'option length');
export const checkIpv6OptionItem: ValueCheck = (v, f) => {
  const [type, len, extra] = v.split(':');
  if (extra !== undefined) return `invalid option "${v}": expected TYPE[:LEN]`;
  // iptables 1.8.9 does not range-check these numbers (it truncates them), so only the shape is checked.
  return optionType(type ?? '', f) ?? (len === undefined ? undefined : optionLength(len, f));
};

export const dst: MatchSpec = {
  name: 'dst',
  family: 'ipv6',
  doc: 'Matches the IPv6 Destination Options extension header: its length and the options it carries.',
  options: {
    '--dst-len': { args: [{ display: 'length', check: uintRange(0, UINT32_MAX, 'length') }], negatable: true, doc: 'The header length field equals this number.' },
    '--dst-opts': { args: [{ display: 'type[:len][,type[:len]...]', check: commaList(checkIpv6OptionItem, 16, 'option') }], doc: 'Options that must be present, in order: type numbers with optional length, at most 16.' },
  },
};
