import type { MatchSpec, ValueCheck } from '../types.js';
import { parseUnsignedBig } from '../values.js';

export const IPV6_HEADER_NAMES = ['hop', 'hop-by-hop', 'dst', 'ipv6-opts', 'route', 'ipv6-route', 'frag', 'ipv6-frag', 'auth', 'ah', 'esp', 'none', 'ipv6-nonxt', 'prot', 'protocol'];

/** Header numbers iptables knows: hop-by-hop, routing, fragment, ESP, AH, no-next-header, destination options, and 255 (protocol). */
const HEADER_NUMBERS = [0n, 43n, 44n, 50n, 51n, 59n, 60n, 255n];

const checkHeaders: ValueCheck = (v) => {
  for (const item of v.split(',')) {
    if (IPV6_HEADER_NAMES.includes(item)) continue;
    const n = parseUnsignedBig(item);
    if (n !== undefined && HEADER_NUMBERS.includes(n)) continue;
    return `unknown IPv6 header "${item}": expected ${IPV6_HEADER_NAMES.join(', ')} or a number`;
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
