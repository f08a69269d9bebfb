import type { MatchSpec } from '../types.js';
import { uintRange } from '../values.js';

const value = [{ display: 'value', check: uintRange(0, 255, 'TTL') }];

export const ttl: MatchSpec = {
  name: 'ttl',
  family: 'ipv4',
  doc: 'Matches the IPv4 Time To Live field. Give exactly one comparison.',
  requireOneOf: [['--ttl-eq', '--ttl-lt', '--ttl-gt']],
  options: {
    '--ttl-eq': { args: value, negatable: true, aliases: ['--ttl'], conflicts: ['--ttl-lt', '--ttl-gt'], doc: 'TTL equals this value (0-255).' },
    '--ttl-lt': { args: value, conflicts: ['--ttl-eq', '--ttl-gt'], doc: 'TTL is below this value.' },
    '--ttl-gt': { args: value, conflicts: ['--ttl-eq', '--ttl-lt'], doc: 'TTL is above this value.' },
  },
};
