import type { TargetSpec } from '../types.js';
import { listOf } from '../values.js';
import { parseWholeUnsigned } from './targetValues.js';

const CT_EVENTS = ['new', 'related', 'destroy', 'reply', 'assured', 'protoinfo', 'helper', 'mark', 'natseqinfo', 'secmark'];

const checkZone = (v: string): string | undefined =>
  v.toLowerCase() === 'mark' || parseWholeUnsigned(v, 0, 65535) !== undefined ? undefined : `invalid zone "${v}": expected a number 0-65535 or "mark"`;

export const ct: TargetSpec = {
  name: 'CT',
  terminating: false,
  doc: 'Sets up connection tracking for the packet before conntrack sees it: skip tracking (`--notrack`), attach a helper such as ftp, pick a zone, a timeout policy or which events are reported. Only valid in the raw table.',
  tables: ['raw'],
  options: {
    '--notrack': { args: [], doc: 'Do not track this packet (its state becomes UNTRACKED).' },
    '--helper': { args: [{ display: 'name' }], doc: 'Attach the conntrack helper with this name (ftp, tftp, sip ...); the kernel refuses names it has no helper for, for the rule\'s protocol.' },
    '--timeout': { args: [{ display: 'name' }], doc: 'Use the timeout policy with this name, created beforehand with `nfct timeout add`.' },
    '--ctevents': { args: [{ display: 'event[,event...]', values: CT_EVENTS, check: listOf(CT_EVENTS, 'conntrack event', true) }], doc: 'Only these conntrack events are reported for the connection (lower-case names).' },
    '--expevents': { args: [{ display: 'new', values: ['new'], check: listOf(['new'], 'expectation event', true) }], doc: 'Only these expectation events are reported; the only one is `new`.' },
    '--zone': { args: [{ display: 'id|mark', check: checkZone }], doc: 'Conntrack zone for both directions: a number 0-65535, or `mark` to take it from the packet mark.' },
    '--zone-orig': { args: [{ display: 'id|mark', check: checkZone }], doc: 'Zone for the original direction only.' },
    '--zone-reply': { args: [{ display: 'id|mark', check: checkZone }], doc: 'Zone for the reply direction only.' },
  },
};
