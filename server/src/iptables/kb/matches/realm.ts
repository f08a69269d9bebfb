import type { MatchSpec } from '../types.js';
import { checkValueMaskOrName } from '../values.js';

export const realm: MatchSpec = {
  name: 'realm',
  family: 'ipv4',
  doc: 'Matches the routing realm of the packet\'s route (set by `ip route ... realm N`). Only after routing: INPUT, FORWARD, OUTPUT, POSTROUTING.',
  chains: ['INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  requireOneOf: [['--realm']],
  options: {
    '--realm': { args: [{ display: 'value[/mask]', check: checkValueMaskOrName }], negatable: true, doc: 'Realm number with optional mask (32-bit), or a name from /etc/iproute2/rt_realms.' },
  },
};
