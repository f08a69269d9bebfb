import type { MatchSpec } from '../types.js';
import { checkPortRangeLoose, protocolSpellings } from '../values.js';

export const udp: MatchSpec = {
  name: 'udp',
  doc: 'Matches UDP source and destination ports. Loaded implicitly by `-p udp`.',
  protocols: protocolSpellings('udp'),
  options: {
    '--sport': { args: [{ display: 'port[:port]', check: checkPortRangeLoose }], negatable: true, aliases: ['--source-port'], doc: 'Source port or inclusive range `first:last` (an open end means 0 or 65535).' },
    '--dport': { args: [{ display: 'port[:port]', check: checkPortRangeLoose }], negatable: true, aliases: ['--destination-port'], doc: 'Destination port or inclusive range `first:last`.' },
  },
};
