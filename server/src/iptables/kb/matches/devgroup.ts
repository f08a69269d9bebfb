import type { MatchSpec } from '../types.js';
import { checkValueMaskOrName } from '../values.js';

export const devgroup: MatchSpec = {
  name: 'devgroup',
  doc: 'Matches the device group of the incoming or outgoing interface (set with `ip link set DEV group N`).',
  requireOneOf: [['--src-group', '--dst-group']],
  options: {
    '--src-group': { args: [{ display: 'group[/mask]', check: checkValueMaskOrName }], negatable: true, doc: 'Group of the incoming device: a number with optional mask, or a name from /etc/iproute2/group.' },
    '--dst-group': { args: [{ display: 'group[/mask]', check: checkValueMaskOrName }], negatable: true, doc: 'Group of the outgoing device: a number with optional mask, or a name from /etc/iproute2/group.' },
  },
};
