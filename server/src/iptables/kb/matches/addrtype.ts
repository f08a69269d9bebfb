import type { MatchSpec, ValueCheck } from '../types.js';
import { listOf } from '../values.js';

/** Route types of the kernel (RTN_*); IPv6 knows only some of them. */
export const ADDRESS_TYPES = ['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'];
/** The kernel refuses BROADCAST, BLACKHOLE and PROHIBIT and beyond for IPv6. */
const IPV6_TYPES = ['UNSPEC', 'UNICAST', 'LOCAL', 'ANYCAST', 'MULTICAST', 'UNREACHABLE'];

const v4Types = listOf(ADDRESS_TYPES, 'address type');
const v6Types = listOf(IPV6_TYPES, 'IPv6 address type');
const checkTypes: ValueCheck = (v, family) => (family === 'ipv4' ? v4Types(v, family) : v6Types(v, family));

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
