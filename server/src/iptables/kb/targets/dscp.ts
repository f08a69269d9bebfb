import type { TargetSpec } from '../types.js';
import { startingWithOneOf } from '../values.js';
import { DSCP_CLASSES, uint } from './targetValues.js';

export const dscp: TargetSpec = {
  name: 'DSCP',
  terminating: false,
  doc: 'Rewrites the 6-bit DSCP field (the upper bits of the IPv4 TOS / IPv6 traffic class byte) for QoS. Only valid in the mangle table.',
  tables: ['mangle'],
  options: {
    '--set-dscp': { args: [{ display: '0-63', check: uint(0, 63, 'DSCP value') }], conflicts: ['--set-dscp-class'], doc: 'The DSCP value as a number, decimal or 0x hex (0-0x3f).' },
    '--set-dscp-class': {
      args: [{ display: 'class', values: DSCP_CLASSES, check: startingWithOneOf(DSCP_CLASSES, 'DSCP class') }],
      conflicts: ['--set-dscp'],
      doc: 'The DSCP value by DiffServ class name: EF, BE, CS0-CS7, AF11-AF43 (any case).',
    },
  },
  requireOneOf: [['--set-dscp', '--set-dscp-class']],
};
