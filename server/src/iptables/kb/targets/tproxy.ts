import type { TargetSpec } from '../types.js';
import { checkPortLoose, checkResolvableHostNoted } from '../values.js';
import { checkMarkMask32 } from './targetValues.js';

export const tproxy: TargetSpec = {
  name: 'TPROXY',
  terminating: true,
  doc: 'Transparent proxying: delivers the packet to a local socket (a proxy listening with IP_TRANSPARENT) without changing its addresses, and usually marks it for an `ip rule fwmark` that routes it locally. Only in the mangle table, PREROUTING, with -p tcp or -p udp.',
  tables: ['mangle'],
  chains: ['PREROUTING'],
  protocols: ['tcp', 'udp'],
  options: {
    '--on-port': { args: [{ display: 'port', check: checkPortLoose }], doc: 'Required: local port of the proxy; 0 keeps the original destination port.' },
    '--on-ip': { args: [{ display: 'address', check: checkResolvableHostNoted }], doc: 'Local address of the proxy; default: the address of the incoming interface.' },
    '--tproxy-mark': { args: [{ display: 'value[/mask]', check: checkMarkMask32 }], doc: 'Mark to set on the packet (for the fwmark routing rule).' },
  },
  requireOneOf: [['--on-port']],
};
