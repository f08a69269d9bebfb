import type { TargetSpec } from '../types.js';
import { oneOf } from '../values.js';

export const audit: TargetSpec = {
  name: 'AUDIT',
  terminating: false,
  doc: 'Writes a record to the kernel audit log (auditd) for each packet and lets it continue. Pair it with a verdict rule, e.g. a chain that does AUDIT then DROP.',
  options: {
    '--type': {
      args: [{ display: 'accept|drop|reject', values: ['accept', 'drop', 'reject'], check: oneOf(['accept', 'drop', 'reject'], 'audit type') }],
      doc: 'The action named in the record. Kernels since 4.12 ignore it, but iptables still requires a valid word.',
    },
  },
  requireOneOf: [['--type']],
};
