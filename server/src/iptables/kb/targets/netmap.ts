import type { TargetSpec } from '../types.js';
import { checkNetmapTo } from './targetValues.js';

export const netmap: TargetSpec = {
  name: 'NETMAP',
  terminating: true,
  doc: 'Maps a whole network onto another one address by address (1:1 NAT): the network bits come from `--to`, the host bits from the original address. Destination side in PREROUTING/OUTPUT, source side in POSTROUTING/INPUT; only in the nat table.',
  tables: ['nat'],
  options: {
    '--to': {
      args: [{ display: 'address[/mask]', check: checkNetmapTo }],
      doc: 'The network to map to, as address/prefix-length or address/netmask (no mask: a single host).',
    },
  },
  requireOneOf: [['--to']],
};
