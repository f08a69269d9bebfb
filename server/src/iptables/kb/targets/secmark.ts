import type { TargetSpec } from '../types.js';
import { nonEmpty } from './targetValues.js';

export const secmark: TargetSpec = {
  name: 'SECMARK',
  terminating: false,
  doc: 'Labels the packet with an SELinux security context so policy can control which domains may send or receive it. Valid in the security table (and mangle, for older setups); the kernel refuses contexts the loaded policy does not know, and the rule fails without SELinux.',
  tables: ['mangle', 'security'],
  options: {
    '--selctx': { args: [{ display: 'user:role:type:level', check: nonEmpty('security context') }], doc: 'Required: the SELinux context, e.g. system_u:object_r:http_packet_t:s0.' },
  },
  requireOneOf: [['--selctx']],
};
