import type { TargetSpec } from '../types.js';
import { checkNptPrefix } from './targetValues.js';

export const snpt: TargetSpec = {
  name: 'SNPT',
  family: 'ipv6',
  terminating: false,
  doc: 'Stateless IPv6 network prefix translation of the source (RFC 6296), the outbound half of a pair with DNPT. Only in the mangle table, INPUT and POSTROUTING.',
  tables: ['mangle'],
  chains: ['INPUT', 'POSTROUTING'],
  options: {
    '--src-pfx': { args: [{ display: 'prefix/length', check: checkNptPrefix }], doc: 'The internal prefix to translate from, e.g. `fd00::/64` (length at most 64, no host bits).' },
    '--dst-pfx': { args: [{ display: 'prefix/length', check: checkNptPrefix }], doc: 'The public prefix to translate to.' },
  },
  requireOneOf: [['--src-pfx'], ['--dst-pfx']],
};
