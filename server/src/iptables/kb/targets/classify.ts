import type { TargetSpec } from '../types.js';
import { checkClassId } from './targetValues.js';

export const classify: TargetSpec = {
  name: 'CLASSIFY',
  terminating: false,
  doc: 'Sets the packet priority (skb->priority) so a tc qdisc puts it in the class `major:minor`. The kernel allows it only where packets leave: FORWARD, OUTPUT and POSTROUTING.',
  chains: ['FORWARD', 'OUTPUT', 'POSTROUTING'],
  options: {
    '--set-class': {
      args: [{ display: 'major:minor', check: checkClassId }],
      doc: 'The tc class, both halves read as hexadecimal even without `0x` (e.g. `1:10` is major 1, minor 0x10).',
    },
  },
  requireOneOf: [['--set-class']],
};
