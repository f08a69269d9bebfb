import type { TargetSpec } from '../types.js';
import { uint } from './targetValues.js';

const OPS = ['--hl-set', '--hl-dec', '--hl-inc'];

export const hl: TargetSpec = {
  name: 'HL',
  family: 'ipv6',
  terminating: false,
  doc: 'Changes the IPv6 Hop Limit (the IPv6 TTL). Only valid in the mangle table; raising it on packets that leave the network can create loops.',
  tables: ['mangle'],
  options: {
    '--hl-set': { args: [{ display: '0-255', check: uint(0, 255, 'hop limit') }], conflicts: ['--hl-dec', '--hl-inc'], doc: 'Sets the hop limit to this value.' },
    '--hl-dec': { args: [{ display: '1-255', check: uint(1, 255, 'decrement') }], conflicts: ['--hl-set', '--hl-inc'], doc: 'Lowers the hop limit by this amount.' },
    '--hl-inc': { args: [{ display: '1-255', check: uint(1, 255, 'increment') }], conflicts: ['--hl-set', '--hl-dec'], doc: 'Raises the hop limit by this amount.' },
  },
  requireOneOf: [OPS],
};
