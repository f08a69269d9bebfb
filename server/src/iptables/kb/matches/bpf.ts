import type { MatchSpec, ValueCheck } from '../types.js';
import { stringLength } from '../values.js';

/** `N,code jt jf k,code jt jf k,...` as printed by nfbpf_compile: N instructions (at most 64), four numbers each. */
const checkBytecode: ValueCheck = (v) => {
  const parts = v.split(',');
  const count = parts[0] ?? '';
  if (!/^\s*[0-9]+\s*$/.test(count)) return 'bytecode must start with the instruction count, e.g. "4,48 0 0 9,..."';
  const n = Number(count);
  if (n === 0 || n > 64) return `bytecode length ${n} is out of range 1-64`;
  const instrs = parts.slice(1).filter((p) => p.trim() !== '');
  for (const ins of instrs) {
    if (!/^\s*[0-9]+\s+[0-9]+\s+[0-9]+\s+[0-9]+\s*$/.test(ins)) return `bad bytecode instruction "${ins.trim()}": expected four numbers "code jt jf k"`;
  }
  if (instrs.length < n) return `bytecode announces ${n} instructions but has ${instrs.length}`;
  if (instrs.length > n) return `bytecode has ${instrs.length} instructions, more than the announced ${n}`;
  return undefined;
};

export const bpf: MatchSpec = {
  name: 'bpf',
  doc: 'Runs a classic BPF program (or a pinned eBPF object) on the packet and matches when it returns non-zero.',
  requireOneOf: [['--bytecode', '--object-pinned']],
  options: {
    '--bytecode': { args: [{ display: '"N,code jt jf k,..."', check: checkBytecode }], conflicts: ['--object-pinned'], doc: 'The program as `nfbpf_compile` prints it: the instruction count, then one `code jt jf k` group per instruction, comma-separated.' },
    '--object-pinned': { args: [{ display: 'path', check: stringLength(511, 'path', 1) }], conflicts: ['--bytecode'], doc: 'Path of an eBPF program pinned in the BPF file system (e.g. /sys/fs/bpf/prog).' },
  },
};
