import type { TargetSpec } from '../types.js';
import { checkNptPrefix } from './targetValues.js';

export const dnpt: TargetSpec = {
  name: 'DNPT',
  family: 'ipv6',
  terminating: false,
  doc: 'Stateless IPv6 network prefix translation of the destination (RFC 6296), the inbound half of a pair with SNPT. Only in the mangle table, PREROUTING and OUTPUT; translated flows should be exempted from conntrack (NOTRACK).',
  tables: ['mangle'],
  chains: ['PREROUTING', 'OUTPUT'],
  options: {
    '--src-pfx': { args: [{ display: 'prefix/length', check: checkNptPrefix }], doc: 'The prefix to translate from, e.g. `2001:db8:1::/64` (length at most 64, no host bits).' },
    '--dst-pfx': { args: [{ display: 'prefix/length', check: checkNptPrefix }], doc: 'The prefix to translate to, e.g. `fd00::/64`.' },
  },
  requireOneOf: [['--src-pfx'], ['--dst-pfx']],
};
