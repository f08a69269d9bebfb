import type { MatchSpec, ValueCheck } from '../types.js';
import { checkHashlimitRate, listOf, stringLength, uintRange, UINT32_MAX } from '../values.js';

const MODES = ['srcip', 'srcport', 'dstip', 'dstport'];

/** A packet count, or in byte mode a size such as `400kb` / `1mb`. */
const checkBurst: ValueCheck = (v) => {
  if (/^[0-9]+$/.test(v)) return Number(v) >= 1 ? undefined : 'burst must be at least 1';
  return /^[0-9]+[kmg]?b$/i.test(v) ? undefined : `invalid burst "${v}": expected a number of packets or a size such as 400kb`;
};

const u32 = (what: string): ValueCheck => uintRange(0, UINT32_MAX, what);
const prefix4 = uintRange(0, 32, 'prefix length');
const prefix6 = uintRange(0, 128, 'prefix length');
const prefix: ValueCheck = (v, f) => (f === 'ipv4' ? prefix4 : prefix6)(v, f);
const rate = { display: 'rate', check: checkHashlimitRate } as const;

export const hashlimit: MatchSpec = {
  name: 'hashlimit',
  doc: 'Rate limiting per flow: like `limit`, but keeps one token bucket per source/destination address or port group, named by `--hashlimit-name`.',
  requireOneOf: [['--hashlimit-upto', '--hashlimit-above'], ['--hashlimit-name']],
  options: {
    '--hashlimit-upto': { args: [rate], aliases: ['--hashlimit'], conflicts: ['--hashlimit-above'], doc: 'Match while the flow stays at or below this rate: `N/sec|/min|/hour|/day` packets, or bytes such as `10mb/s`.' },
    '--hashlimit-above': { args: [rate], conflicts: ['--hashlimit-upto'], doc: 'Match when the flow exceeds this rate: `N/sec|/min|/hour|/day` packets, or bytes such as `10mb/s`.' },
    '--hashlimit-burst': { args: [{ display: 'amount', check: checkBurst }], doc: 'Bucket size: packets (default 5), or bytes such as `400kb` with a byte rate.' },
    '--hashlimit-mode': { args: [{ display: 'mode[,mode...]', check: listOf(MODES, 'hashlimit mode', true), values: MODES }], doc: 'What forms a flow: a comma-separated list of srcip, srcport, dstip, dstport. Without it, all packets share one bucket.' },
    '--hashlimit-srcmask': { args: [{ display: 'prefix-length', check: prefix }], doc: 'Group source addresses by this prefix length with `srcip` mode.' },
    '--hashlimit-dstmask': { args: [{ display: 'prefix-length', check: prefix }], doc: 'Group destination addresses by this prefix length with `dstip` mode.' },
    '--hashlimit-name': { args: [{ display: 'name', check: stringLength(255, 'name', 1) }], doc: 'Name of the hash table (shown in /proc/net/ipt_hashlimit/NAME). Required.' },
    '--hashlimit-htable-size': { args: [{ display: 'buckets', check: u32('size') }], doc: 'Number of hash buckets.' },
    '--hashlimit-htable-max': { args: [{ display: 'entries', check: u32('count') }], doc: 'Maximum number of entries in the table.' },
    '--hashlimit-htable-gcinterval': { args: [{ display: 'ms', check: uintRange(1, UINT32_MAX, 'interval') }], doc: 'Milliseconds between garbage collection runs (at least 1).' },
    '--hashlimit-htable-expire': { args: [{ display: 'ms', check: uintRange(1, UINT32_MAX, 'time') }], doc: 'Milliseconds after which an idle entry is dropped (at least 1).' },
    '--hashlimit-rate-match': { args: [], doc: 'Classify flows by their measured rate instead of rate-limiting them.' },
    '--hashlimit-rate-interval': { args: [{ display: 'seconds', check: uintRange(1, UINT32_MAX, 'interval') }], doc: 'Seconds over which the rate is measured for `--hashlimit-rate-match`.' },
  },
};
