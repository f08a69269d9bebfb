import type { MatchSpec } from '../types.js';
import { startListOf } from '../values.js';

/** Route types of the kernel (RTN_*); IPv6 knows only some of them. */
export const ADDRESS_TYPES = ['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'];
/** The kernel refuses BROADCAST, BLACKHOLE and PROHIBIT and beyond for IPv6. */
const IPV6_TYPES = ['UNSPEC', 'UNICAST', 'LOCAL', 'ANYCAST', 'MULTICAST', 'UNREACHABLE'];

/**
 * Types in any case, or the start of one (the first type in kernel order that starts so: `B` is
 * BROADCAST, `UN` UNSPEC); in IPv6 the type so named must be one IPv6 has.
 */
const checkTypes = startListOf(ADDRESS_TYPES, 'address type', (item, name, family) => {
  if (family === 'ipv4' || IPV6_TYPES.includes(name)) return undefined;
  const named = item.toUpperCase() === name ? `"${item}"` : `"${item}" (${name})`;
  return `IPv6 has no address type ${named}: expected one of ${IPV6_TYPES.join(', ')}`;
});

export const addrtype: MatchSpec = {
  name: 'addrtype',
  doc: 'Matches on the routing type of the source or destination address (LOCAL, UNICAST, BROADCAST, MULTICAST ...), as the routing table classifies it.',
  requireOneOf: [['--src-type', '--dst-type']],
  options: {
    '--src-type': { args: [{ display: 'type[,type...]', check: checkTypes, values: ADDRESS_TYPES }], negatable: true, doc: 'The source address has one of these types, e.g. `LOCAL` or `UNICAST,LOCAL` (case does not matter). IPv6 knows UNSPEC, UNICAST, LOCAL, ANYCAST, MULTICAST and UNREACHABLE only.' },
    '--dst-type': { args: [{ display: 'type[,type...]', check: checkTypes, values: ADDRESS_TYPES }], negatable: true, doc: 'The destination address has one of these types, e.g. `LOCAL` for packets to this host or `BROADCAST`.' },
    '--limit-iface-in': { args: [], conflicts: ['--limit-iface-out'], chains: ['PREROUTING', 'INPUT', 'FORWARD'], doc: 'Classify the address through the routes of the incoming interface only. Not in OUTPUT or POSTROUTING.' },
    '--limit-iface-out': { args: [], conflicts: ['--limit-iface-in'], chains: ['FORWARD', 'OUTPUT', 'POSTROUTING'], doc: 'Classify the address through the routes of the outgoing interface only. Not in PREROUTING or INPUT.' },
  },
};
