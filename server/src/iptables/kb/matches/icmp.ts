import type { MatchSpec } from '../types.js';
import { checkIcmpType, ICMP_TYPE_NAMES, protocolSpellings } from '../values.js';

export const icmp: MatchSpec = {
  name: 'icmp',
  family: 'ipv4',
  doc: 'Matches the ICMP type and code. Loaded implicitly by `-p icmp`; the kernel needs `-p icmp`.',
  protocols: protocolSpellings('icmp'),
  requireOneOf: [['--icmp-type']],
  options: {
    '--icmp-type': { args: [{ display: 'type[/code]|name', check: checkIcmpType, values: ICMP_TYPE_NAMES }], negatable: true, doc: 'A type name (`echo-request`, `destination-unreachable`, `any` ...; unique prefixes work), a number 0-255, or `type/code`.' },
  },
};
