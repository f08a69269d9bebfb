import type { TargetSpec } from '../types.js';
import { checkNatPorts, natPortProtocols, needsProtocol } from './targetValues.js';

export const redirect: TargetSpec = {
  name: 'REDIRECT',
  terminating: true,
  doc: 'Destination NAT to this host itself (the address of the incoming interface, or loopback for local traffic), e.g. to send port 80 to a local proxy on 3128. Only in the nat table, PREROUTING and OUTPUT.',
  tables: ['nat'],
  chains: ['PREROUTING', 'OUTPUT'],
  options: {
    '--to-ports': {
      protocolFirst: true,
      args: [{ display: 'port[-port]', check: (v) => checkNatPorts(v, false) }],
      aliases: ['--to-port'],
      doc: 'Local destination port or range (a single port may be a service name). Needs -p tcp, udp, sctp or dccp.',
    },
    '--random': { args: [], doc: 'Pick the port from the range at random.' },
  },
  validate(given, family) {
    if (!given.has('--to-ports')) return [];
    return needsProtocol(given, '--to-ports', natPortProtocols(family), '(only these protocols have ports to map)', true);
  },
};
