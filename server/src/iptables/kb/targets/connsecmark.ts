import type { TargetSpec } from '../types.js';

export const connsecmark: TargetSpec = {
  name: 'CONNSECMARK',
  terminating: false,
  doc: 'Copies the SELinux security mark between a packet and its connection (only where the destination has none yet). Used with SECMARK; valid in the security table and, for older setups, mangle.',
  tables: ['mangle', 'security'],
  options: {
    '--save': { args: [], conflicts: ['--restore'], doc: 'Packet mark to connection.' },
    '--restore': { args: [], conflicts: ['--save'], doc: 'Connection mark to packet.' },
  },
  requireOneOf: [['--save', '--restore']],
};
