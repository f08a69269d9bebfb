import type { MatchSpec } from '../types.js';
import { checkMac } from '../values.js';

export const mac: MatchSpec = {
  name: 'mac',
  doc: 'Matches the source MAC address of Ethernet frames. Only where it is known: PREROUTING, INPUT and FORWARD.',
  chains: ['PREROUTING', 'INPUT', 'FORWARD'],
  requireOneOf: [['--mac-source']],
  options: {
    '--mac-source': { args: [{ display: 'XX:XX:XX:XX:XX:XX', check: checkMac }], negatable: true, doc: 'Source MAC address, six hex bytes separated by colons.' },
  },
};
