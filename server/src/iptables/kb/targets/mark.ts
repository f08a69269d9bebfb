import type { TargetSpec } from '../types.js';
import { checkMarkMask32, uint } from './targetValues.js';

const OPS = ['--set-xmark', '--set-mark', '--and-mark', '--or-mark', '--xor-mark'];
const others = (name: string): string[] => OPS.filter((o) => o !== name);
const bits = uint(0, 0xffffffff, 'mark');

export const mark: TargetSpec = {
  name: 'MARK',
  terminating: false,
  doc: 'Sets the packet\'s netfilter mark (nfmark, 32 bits), used by `ip rule fwmark` policy routing, tc filters and `-m mark`. To steer routing, set it in mangle PREROUTING or OUTPUT.',
  options: {
    '--set-xmark': { args: [{ display: 'value[/mask]', check: checkMarkMask32 }], conflicts: others('--set-xmark'), doc: 'Clears the bits in mask (default all) and XORs value in.' },
    '--set-mark': { args: [{ display: 'value[/mask]', check: checkMarkMask32 }], conflicts: others('--set-mark'), doc: 'Sets the bits in mask (default all) to value.' },
    '--and-mark': { args: [{ display: 'bits', check: bits }], conflicts: others('--and-mark'), doc: 'ANDs the mark with bits.' },
    '--or-mark': { args: [{ display: 'bits', check: bits }], conflicts: others('--or-mark'), doc: 'ORs bits into the mark.' },
    '--xor-mark': { args: [{ display: 'bits', check: bits }], conflicts: others('--xor-mark'), doc: 'XORs bits into the mark.' },
  },
  requireOneOf: [OPS],
};
