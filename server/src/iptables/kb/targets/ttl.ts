import type { TargetSpec } from '../types.js';
import { uint } from './targetValues.js';

const OPS = ['--ttl-set', '--ttl-dec', '--ttl-inc'];

export const ttl: TargetSpec = {
  name: 'TTL',
  family: 'ipv4',
  terminating: false,
  doc: 'Changes the IPv4 TTL field, e.g. to hide a router hop. Only valid in the mangle table; raising it on packets that leave the network can create loops.',
  tables: ['mangle'],
  options: {
    '--ttl-set': { args: [{ display: '0-255', check: uint(0, 255, 'TTL') }], conflicts: ['--ttl-dec', '--ttl-inc'], doc: 'Sets the TTL to this value.' },
    '--ttl-dec': { args: [{ display: '1-255', check: uint(1, 255, 'decrement') }], conflicts: ['--ttl-set', '--ttl-inc'], doc: 'Lowers the TTL by this amount.' },
    '--ttl-inc': { args: [{ display: '1-255', check: uint(1, 255, 'increment') }], conflicts: ['--ttl-set', '--ttl-dec'], doc: 'Raises the TTL by this amount.' },
  },
  requireOneOf: [OPS],
};
