import type { TargetSpec } from '../types.js';
import { TOS_NAMES, checkTosMask, uint } from './targetValues.js';

const OPS = ['--set-tos', '--and-tos', '--or-tos', '--xor-tos'];
const others = (name: string): string[] => OPS.filter((o) => o !== name);
const bits = uint(0, 255, 'TOS bits');

export const tos: TargetSpec = {
  name: 'TOS',
  terminating: false,
  doc: 'Changes the IPv4 Type of Service byte or the IPv6 traffic class (which include the DSCP and ECN bits). Only valid in the mangle table.',
  tables: ['mangle'],
  options: {
    '--set-tos': {
      args: [{ display: 'value[/mask] | name', values: TOS_NAMES, check: checkTosMask }],
      conflicts: others('--set-tos'),
      doc: 'Clears the bits in mask (default 0xff) and XORs value in; or a name such as Minimize-Delay (which also clears the precedence bits).',
    },
    '--and-tos': { args: [{ display: 'bits', check: bits }], conflicts: others('--and-tos'), doc: 'ANDs the TOS byte with bits.' },
    '--or-tos': { args: [{ display: 'bits', check: bits }], conflicts: others('--or-tos'), doc: 'ORs bits into the TOS byte.' },
    '--xor-tos': { args: [{ display: 'bits', check: bits }], conflicts: others('--xor-tos'), doc: 'XORs bits into the TOS byte.' },
  },
  requireOneOf: [OPS],
};
