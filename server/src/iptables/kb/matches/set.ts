import type { MatchSpec, ValueCheck } from '../types.js';
import { listOf, stringLength, uintRange, UINT64_MAX } from '../values.js';

const flagList = listOf(['src', 'dst'], 'set flag', true);
const checkFlags: ValueCheck = (v, f) => {
  if (v.split(',').length > 6) return 'at most 6 src/dst flags are allowed';
  return flagList(v, f);
};
const counter = [{ display: 'value', check: uintRange(0, UINT64_MAX, 'counter') }];
const PACKETS = ['--packets-eq', '--packets-lt', '--packets-gt'];
const BYTES = ['--bytes-eq', '--bytes-lt', '--bytes-gt'];
const others = (list: string[], o: string): string[] => list.filter((x) => x !== o);

export const set: MatchSpec = {
  name: 'set',
  doc: 'Matches when the packet\'s addresses/ports are in an ipset set (created with `ipset create`; the set must exist when the rule is loaded).',
  requireOneOf: [['--match-set']],
  options: {
    '--match-set': { args: [{ display: 'setname', check: stringLength(31, 'set name', 1) }, { display: 'flag[,flag...]', check: checkFlags, values: ['src', 'dst'] }], negatable: true, aliases: ['--set'], doc: 'Set name, then which packet fields feed the set\'s dimensions: a comma-separated list of `src`/`dst`, e.g. `src` or `dst,dst`.' },
    '--return-nomatch': { args: [], doc: 'For sets with nomatch entries: match when the element is flagged nomatch.' },
    '--update-counters': { args: [], negatable: true, doc: 'Written `! --update-counters`: do not update the set\'s packet/byte counters.' },
    '--update-subcounters': { args: [], negatable: true, doc: 'Written `! --update-subcounters`: do not update the counters of the member sets of a list:set.' },
    '--packets-eq': { args: counter, negatable: true, conflicts: others(PACKETS, '--packets-eq'), doc: 'The element\'s packet counter equals value.' },
    '--packets-lt': { args: counter, conflicts: others(PACKETS, '--packets-lt'), doc: 'The element\'s packet counter is below value.' },
    '--packets-gt': { args: counter, conflicts: others(PACKETS, '--packets-gt'), doc: 'The element\'s packet counter is above value.' },
    '--bytes-eq': { args: counter, negatable: true, conflicts: others(BYTES, '--bytes-eq'), doc: 'The element\'s byte counter equals value.' },
    '--bytes-lt': { args: counter, conflicts: others(BYTES, '--bytes-lt'), doc: 'The element\'s byte counter is below value.' },
    '--bytes-gt': { args: counter, conflicts: others(BYTES, '--bytes-gt'), doc: 'The element\'s byte counter is above value.' },
  },
};
