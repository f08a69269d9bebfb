import type { MatchSpec, ValueCheck } from '../types.js';
import { PROTOCOL_NAMES, PROTOCOL_NUMBERS } from '../values.js';

export const IPV6_HEADER_NAMES = ['hop', 'hop-by-hop', 'dst', 'ipv6-opts', 'route', 'ipv6-route', 'frag', 'ipv6-frag', 'auth', 'ah', 'esp', 'none', 'ipv6-nonxt', 'prot', 'protocol'];

/**
 * The words libip6t_ipv6header takes without the host's help, compared exactly: its own names and
 * the header numbers as written (`0`, not `00` or `0x0`).
 */
const OWN_WORDS = ['hop-by-hop', 'protocol', 'hop', 'dst', 'route', 'frag', 'auth', 'esp', 'none', 'prot', '0', '60', '43', '44', '51', '50', '59', '255'];

/**
 * Names it reads first through getprotobyname: those of a standard /etc/protocols (IANA's, as in
 * Debian's netbase) for the extension headers' numbers, aliases too, and `ip`, which is 0, the
 * hop-by-hop header (found with the real tools).
 */
const HEADER_PROTOCOL_NAMES = [
  'hopopt', 'HOPOPT', 'ip', 'IP', 'ipv6-route', 'IPv6-Route', 'ipv6-frag', 'IPv6-Frag', 'esp', 'IPSEC-ESP', 'ah', 'IPSEC-AH',
  'ipv6-nonxt', 'IPv6-NoNxt', 'ipv6-opts', 'IPv6-Opts',
];

const checkHeaders: ValueCheck = (v) => {
  for (const item of v.split(',')) {
    if (OWN_WORDS.includes(item) || HEADER_PROTOCOL_NAMES.includes(item)) continue;
    const expected = `expected ${IPV6_HEADER_NAMES.join(', ')} or one of the numbers 0, 43, 44, 50, 51, 59, 60, 255 as written`;
    if (PROTOCOL_NAMES.includes(item) || PROTOCOL_NUMBERS[item] !== undefined) return `"${item}" is a protocol, not an IPv6 extension header: ${expected}`;
    // Any other name: /etc/protocols has no other names for these numbers, and a name of another
    // protocol is refused too ("unknown header `6'").
    return `unknown IPv6 header "${item}": ${expected}`;
  }
  return undefined;
};

export const ipv6header: MatchSpec = {
  name: 'ipv6header',
  family: 'ipv6',
  doc: 'Matches on which IPv6 extension headers the packet has.',
  requireOneOf: [['--header']],
  options: {
    '--header': { args: [{ display: 'header[,header...]', check: checkHeaders, values: IPV6_HEADER_NAMES }], negatable: true, doc: 'Comma-separated headers (hop, dst, route, frag, auth, esp, none, prot, their long names, or numbers). Exactly these must be present unless `--soft`.' },
    '--soft': { args: [], doc: 'Match when the packet contains at least the listed headers (others may be there too).' },
  },
};
