import type { MatchSpec } from '../types.js';
import { oneOf } from '../values.js';

const TYPES = ['unicast', 'broadcast', 'multicast', 'host', 'otherhost'];

export const pkttype: MatchSpec = {
  name: 'pkttype',
  doc: 'Matches the link-layer packet type: unicast, broadcast or multicast.',
  requireOneOf: [['--pkt-type']],
  options: {
    '--pkt-type': { args: [{ display: 'unicast|broadcast|multicast', check: oneOf(TYPES, 'packet type'), values: ['unicast', 'broadcast', 'multicast', 'otherhost'] }], negatable: true, doc: '`unicast` (to this host), `broadcast`, `multicast`, or `otherhost` (for another host, seen in promiscuous mode).' },
  },
};
