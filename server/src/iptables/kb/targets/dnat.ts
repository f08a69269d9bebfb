import type { TargetSpec } from '../types.js';
import { natPortProtocols, natRangeCheck, needsProtocol, splitNatRange } from './targetValues.js';

export const dnat: TargetSpec = {
  name: 'DNAT',
  terminating: true,
  doc: 'Rewrites the destination address (and optionally port) of a new connection; replies are translated back automatically. Used for port forwarding to a guest, e.g. `-i eth0 -p tcp --dport 8080 -j DNAT --to-destination 192.168.122.10:80`, with a matching FORWARD accept. Only in the nat table, PREROUTING and OUTPUT.',
  tables: ['nat'],
  chains: ['PREROUTING', 'OUTPUT'],
  options: {
    '--to-destination': {
      protocolFirst: true,
      args: [{ display: 'addr[-addr][:port[-port[/base]]]', check: natRangeCheck() }],
      doc: 'New destination: one address or an inclusive range, then optionally `:port` or `:first-last` (IPv6: `[addr]:port`). `/base` shifts the range: the original port minus base is the offset into it. A port needs -p tcp, udp, sctp or dccp.',
    },
    '--random': { args: [], doc: 'Pick the port from the range at random.' },
    '--persistent': { args: [], doc: 'Give a client the same address on every connection when a range is used.' },
  },
  requireOneOf: [['--to-destination']],
  validate(given, family) {
    const to = given.get('--to-destination')?.[0];
    if (to === undefined || splitNatRange(to, family).ports === undefined) return [];
    return needsProtocol(given, '--to-destination', natPortProtocols(family), '(a port in the mapping needs a protocol with ports)', true);
  },
};
