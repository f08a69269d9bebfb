import type { TargetSpec } from '../types.js';
import { natPortProtocols, natRangeCheck, needsProtocol, splitNatRange } from './targetValues.js';

export const snat: TargetSpec = {
  name: 'SNAT',
  terminating: true,
  doc: 'Rewrites the source address (and optionally port) of a new connection to a fixed address; replies are translated back. Prefer it to MASQUERADE when the outgoing address is static. Only in the nat table, POSTROUTING and INPUT.',
  tables: ['nat'],
  chains: ['POSTROUTING', 'INPUT'],
  options: {
    '--to-source': {
      protocolFirst: true,
      args: [{ display: 'addr[-addr][:port[-port]]', check: natRangeCheck() }],
      doc: 'New source: one address or an inclusive range, then optionally `:port` or `:first-last` (IPv6: `[addr]:port`). A port needs -p tcp, udp, sctp or dccp.',
    },
    '--random': { args: [], doc: 'Randomize the source port choice (hash based).' },
    '--random-fully': { args: [], doc: 'Randomize the source port choice fully (PRNG).' },
    '--persistent': { args: [], doc: 'Give a client the same source address on every connection when a range is used.' },
  },
  requireOneOf: [['--to-source']],
  validate(given, family) {
    const to = given.get('--to-source')?.[0];
    if (to === undefined || splitNatRange(to, family).ports === undefined) return [];
    return needsProtocol(given, '--to-source', natPortProtocols(family), '(a port in the mapping needs a protocol with ports)', true);
  },
};
