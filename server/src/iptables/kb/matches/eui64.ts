import type { MatchSpec } from '../types.js';

export const eui64: MatchSpec = {
  name: 'eui64',
  family: 'ipv6',
  doc: 'Matches when the low 64 bits of the IPv6 source address were derived (EUI-64) from the source MAC address. Only where the MAC is known: PREROUTING, INPUT, FORWARD.',
  chains: ['PREROUTING', 'INPUT', 'FORWARD'],
  options: {},
};
