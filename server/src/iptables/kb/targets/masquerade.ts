import type { TargetSpec } from '../types.js';
import { checkNatPorts, natPortProtocols, needsProtocol } from './targetValues.js';

export const masquerade: TargetSpec = {
  name: 'MASQUERADE',
  terminating: true,
  doc: 'Source NAT to whatever address the outgoing interface has at that moment, forgetting connections when the interface goes down. Right for dynamic addresses (DHCP, PPP) and what libvirt uses for its NAT networks; with a static address SNAT is cheaper. Only in the nat table, POSTROUTING.',
  tables: ['nat'],
  chains: ['POSTROUTING'],
  options: {
    '--to-ports': {
      protocolFirst: true,
      args: [{ display: 'port[-port]', check: (v) => checkNatPorts(v, true) }],
      aliases: ['--to-port'],
      doc: 'Source ports to use, e.g. libvirt\'s `1024-65535`. Needs -p tcp, udp, sctp or dccp.',
    },
    '--random': { args: [], doc: 'Randomize the source port choice (since Linux 5.0 the same as --random-fully).' },
    '--random-fully': { args: [], doc: 'Randomize the source port choice fully.' },
  },
  validate(given, family) {
    if (!given.has('--to-ports')) return [];
    return needsProtocol(given, '--to-ports', natPortProtocols(family), '(only these protocols have ports to map)', true);
  },
};
