import type { MatchSpec } from '../types.js';
import { checkIcmpv6Type, ICMPV6_TYPE_NAMES, protocolSpellings } from '../values.js';

export const icmp6: MatchSpec = {
  name: 'icmp6',
  aliases: ['icmpv6', 'ipv6-icmp'],
  family: 'ipv6',
  doc: 'Matches the ICMPv6 type and code. Loaded implicitly by `-p icmpv6` / `-p ipv6-icmp`; the kernel needs that protocol.',
  protocols: protocolSpellings('icmpv6'),
  requireOneOf: [['--icmpv6-type']],
  options: {
    '--icmpv6-type': { args: [{ display: 'type[/code]|name', check: checkIcmpv6Type, values: ICMPV6_TYPE_NAMES }], negatable: true, doc: 'A type name (`echo-request`, `neighbour-solicitation`, `packet-too-big` ...; unique prefixes work), a number 0-255, or `type/code`.' },
  },
};
