import type { ArgSpec, TargetSpec, ValueCheck } from '../types.js';
import { uint } from './targetValues.js';

const checkSetName: ValueCheck = (v) => {
  if (v === '') return 'the set name must not be empty';
  if (v.length > 31) return `set name "${v}" is longer than 31 characters`;
  return undefined;
};

const checkDirections: ValueCheck = (v) => {
  const items = v.split(',');
  if (items.length > 6) return `at most 6 src/dst flags are allowed, got ${items.length}`;
  for (const item of items) if (item !== 'src' && item !== 'dst') return `invalid flag "${item}" in "${v}": expected src or dst, comma-separated`;
  return undefined;
};

const setArgs: readonly ArgSpec[] = [
  { display: 'setname', check: checkSetName },
  { display: 'src|dst[,...]', values: ['src', 'dst'], check: checkDirections },
];

export const set: TargetSpec = {
  name: 'SET',
  terminating: false,
  doc: 'Adds the packet\'s addresses/ports to an ipset, removes them, or (`--map-set`) copies mark, priority or queue stored in the set onto the packet. The set must exist (`ipset create`) before the rules are loaded. `--map-set` is only valid in mangle; with --map-prio/--map-queue only in FORWARD, OUTPUT, POSTROUTING.',
  options: {
    '--add-set': { args: setArgs, doc: 'Add the entry built from the packet to the set; the flags say which address/port is taken (src or dst) for each dimension of the set.' },
    '--del-set': { args: setArgs, doc: 'Delete the entry built from the packet from the set.' },
    '--map-set': { args: setArgs, doc: 'Look the packet up in the set (created with --skbinfo) and apply the stored values selected by --map-mark/--map-prio/--map-queue.' },
    '--timeout': { args: [{ display: 'seconds', check: uint(0, 0xffffffff, 'timeout') }], requires: ['--add-set'], doc: 'With --add-set: timeout of the added entry instead of the set\'s default.' },
    '--exist': { args: [], requires: ['--add-set'], doc: 'With --add-set: when the entry exists, reset its timeout.' },
    '--map-mark': { args: [], requires: ['--map-set'], doc: 'With --map-set: set the packet mark from the set.' },
    '--map-prio': { args: [], requires: ['--map-set'], doc: 'With --map-set: set the tc priority from the set.' },
    '--map-queue': { args: [], requires: ['--map-set'], doc: 'With --map-set: set the hardware queue from the set.' },
  },
  requireOneOf: [['--add-set', '--del-set', '--map-set']],
};
