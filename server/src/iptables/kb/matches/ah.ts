import type { MatchSpec } from '../types.js';
import { mintRange, protocolSpellings, uintRange, UINT32_MAX } from '../values.js';

const spi = mintRange(UINT32_MAX, 'SPI');

/** IPv4: the AH header is the transport protocol, so the kernel wants `-p ah`. */
export const ah: MatchSpec = {
  name: 'ah',
  family: 'ipv4',
  doc: 'Matches the Security Parameters Index of IPsec AH packets. Needs `-p ah` (the kernel checks it).',
  protocols: protocolSpellings('ah'),
  options: {
    '--ahspi': { args: [{ display: 'spi[:spi]', check: spi }], negatable: true, doc: 'SPI or inclusive range `first:last`, numbers 0-4294967295.' },
  },
};

/** IPv6: AH is an extension header, found wherever it sits in the chain; no `-p` needed. */
export const ah6: MatchSpec = {
  name: 'ah',
  family: 'ipv6',
  doc: 'Matches fields of the IPv6 Authentication Header (an extension header, so no `-p` is needed).',
  options: {
    '--ahspi': { args: [{ display: 'spi[:spi]', check: spi }], negatable: true, doc: 'SPI or inclusive range `first:last`, numbers 0-4294967295.' },
    '--ahlen': { args: [{ display: 'length', check: uintRange(0, UINT32_MAX, 'length') }], negatable: true, doc: 'The header length field equals this number.' },
    '--ahres': { args: [], doc: 'The reserved field must be zero.' },
  },
};
