import type { TargetSpec } from '../types.js';
import { checkMarkMask32, uint } from './targetValues.js';

const OPS = ['--set-xmark', '--set-mark', '--and-mark', '--or-mark', '--xor-mark', '--save-mark', '--restore-mark'];
const others = (name: string): string[] => OPS.filter((o) => o !== name);
const u32 = uint(0, 0xffffffff, 'mask');

export const connmark: TargetSpec = {
  name: 'CONNMARK',
  terminating: false,
  doc: 'Sets the connection mark (ctmark, 32 bits), or copies marks between the packet (nfmark) and its connection. Typical use: `--restore-mark` early in mangle PREROUTING, `--save-mark` after MARK rules, so every packet of a connection carries the same mark for policy routing.',
  options: {
    '--set-xmark': { args: [{ display: 'value[/mask]', check: checkMarkMask32 }], conflicts: others('--set-xmark'), doc: 'Clears the bits in mask (default all) and XORs value into the ctmark.' },
    '--set-mark': { args: [{ display: 'value[/mask]', check: checkMarkMask32 }], conflicts: others('--set-mark'), doc: 'Sets the bits of mask (default all) of the ctmark to value.' },
    '--and-mark': { args: [{ display: 'bits', check: uint(0, 0xffffffff, 'mark') }], conflicts: others('--and-mark'), doc: 'ANDs the ctmark with bits.' },
    '--or-mark': { args: [{ display: 'bits', check: uint(0, 0xffffffff, 'mark') }], conflicts: others('--or-mark'), doc: 'ORs bits into the ctmark.' },
    '--xor-mark': { args: [{ display: 'bits', check: uint(0, 0xffffffff, 'mark') }], conflicts: others('--xor-mark'), doc: 'XORs bits into the ctmark.' },
    '--save-mark': { args: [], conflicts: others('--save-mark'), doc: 'Copies the packet mark into the connection mark (through --nfmask/--ctmask or --mask).' },
    '--restore-mark': { args: [], conflicts: others('--restore-mark'), doc: 'Copies the connection mark into the packet mark (through --ctmask/--nfmask or --mask).' },
    '--nfmask': { args: [{ display: 'mask', check: u32 }], conflicts: ['--mask'], doc: 'With --save-mark: bits of the nfmark to copy; with --restore-mark: bits of the nfmark to clear first. Default 0xffffffff.' },
    '--ctmask': { args: [{ display: 'mask', check: u32 }], conflicts: ['--mask'], doc: 'With --restore-mark: bits of the ctmark to copy; with --save-mark: bits of the ctmark to clear first. Default 0xffffffff.' },
    '--mask': { args: [{ display: 'mask', check: u32 }], conflicts: ['--nfmask', '--ctmask'], doc: 'Sets both --nfmask and --ctmask to the same mask.' },
    '--left-shift-mark': { args: [{ display: '0-31', check: uint(0, 31, 'shift', 'the kernel refuses 32') }], doc: 'Shifts the copied mark left by this many bits.' },
    '--right-shift-mark': { args: [{ display: '0-31', check: uint(0, 31, 'shift', 'the kernel refuses 32') }], doc: 'Shifts the copied mark right by this many bits.' },
  },
  requireOneOf: [OPS],
};
