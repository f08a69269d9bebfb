import type { TargetSpec, ValueCheck } from '../types.js';
import { parseWholeUnsigned } from './targetValues.js';

/** The MSS must leave room for the IP and TCP headers: 65535 - 20 (IPv4) or - 40 (IPv6). */
const checkMss: ValueCheck = (v, family) => {
  const max = family === 'ipv4' ? 65515 : 65495;
  return parseWholeUnsigned(v, 0, max) === undefined ? `MSS must be an integer 0-${max}, got "${v}"` : undefined;
};

export const tcpmss: TargetSpec = {
  name: 'TCPMSS',
  terminating: false,
  doc: 'Rewrites the MSS option of TCP SYN packets so connections avoid packets too big for the path: the classic fix for hangs behind tunnels or PPPoE when ICMP "fragmentation needed" is blocked. Needs -p tcp and should match SYNs only (`--tcp-flags SYN,RST SYN`; legacy iptables insists on it).',
  protocols: ['tcp'],
  options: {
    '--set-mss': { args: [{ display: 'bytes', check: checkMss }], doc: 'Lower the MSS to this value (it is never raised).' },
    '--clamp-mss-to-pmtu': {
      args: [],
      chains: ['FORWARD', 'OUTPUT', 'POSTROUTING'],
      doc: 'Lower the MSS to the path MTU minus 40 (IPv4) or 60 (IPv6). The kernel allows this only in FORWARD, OUTPUT and POSTROUTING (and chains called only from there).',
    },
  },
  requireOneOf: [['--set-mss', '--clamp-mss-to-pmtu']],
};
