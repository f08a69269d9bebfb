import type { MatchSpec } from '../types.js';
import { portList, protocolSpellings } from '../values.js';

const ports = [{ display: 'port[,port|,port:port...]', check: portList(15) }];
const all = ['--sports', '--dports', '--ports'];

export const multiport: MatchSpec = {
  name: 'multiport',
  doc: 'Matches a set of up to 15 ports or ranges in one rule. Needs `-p tcp`, `udp`, `udplite`, `sctp` or `dccp`.',
  protocols: protocolSpellings('tcp', 'udp', 'udplite', 'sctp', 'dccp'),
  requireOneOf: [all],
  options: {
    '--sports': { args: ports, negatable: true, protocolFirst: true, aliases: ['--source-ports'], conflicts: all.filter((o) => o !== '--sports'), doc: 'Source port is one of the comma-separated ports or `first:last` ranges (15 slots; a range takes two).' },
    '--dports': { args: ports, negatable: true, protocolFirst: true, aliases: ['--destination-ports'], conflicts: all.filter((o) => o !== '--dports'), doc: 'Destination port is one of the comma-separated ports or `first:last` ranges (15 slots; a range takes two).' },
    '--ports': { args: ports, negatable: true, protocolFirst: true, conflicts: all.filter((o) => o !== '--ports'), doc: 'Source or destination port is one of the listed ports or ranges.' },
  },
};
