import type { MatchSpec } from '../types.js';
import { uintRange } from '../values.js';

const value = [{ display: 'value', check: uintRange(0, 255, 'hop limit') }];

export const hl: MatchSpec = {
  name: 'hl',
  family: 'ipv6',
  doc: 'Matches the IPv6 Hop Limit field (the IPv6 counterpart of `-m ttl`). Give exactly one comparison.',
  requireOneOf: [['--hl-eq', '--hl-lt', '--hl-gt']],
  options: {
    '--hl-eq': { args: value, negatable: true, aliases: ['--hl'], conflicts: ['--hl-lt', '--hl-gt'], doc: 'Hop limit equals this value (0-255).' },
    '--hl-lt': { args: value, conflicts: ['--hl-eq', '--hl-gt'], doc: 'Hop limit is below this value.' },
    '--hl-gt': { args: value, conflicts: ['--hl-eq', '--hl-lt'], doc: 'Hop limit is above this value.' },
  },
};
