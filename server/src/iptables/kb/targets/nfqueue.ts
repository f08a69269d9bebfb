import type { TargetSpec, ValueCheck } from '../types.js';
import { scanUnsigned, uint } from './targetValues.js';

/** `first:last` as libxtables' range parser reads it; an empty side means 0 or 65535. */
function parseBalance(v: string): { range?: [number, number]; error?: string } {
  const parts = v.split(':');
  if (parts.length > 2) return { error: `"${v}" has too many parts: expected first:last` };
  if (parts.length < 2) return { error: `"${v}" is not a range: expected first:last, e.g. 0:3` };
  const nums: number[] = [];
  for (const [i, p] of parts.entries()) {
    if (p === '') { nums.push(i === 0 ? 0 : 65535); continue; }
    const s = scanUnsigned(p);
    if (!s || s.rest !== '' || s.value > 65535) return { error: `invalid queue number "${p}" in "${v}": expected 0-65535` };
    nums.push(s.value);
  }
  return { range: [nums[0] ?? 0, nums[1] ?? 0] };
}

const checkBalance: ValueCheck = (v) => {
  const r = parseBalance(v);
  if (r.error) return r.error;
  const [a, b] = r.range ?? [0, 0];
  if (a >= b) return `the first queue (${a}) must be lower than the last (${b})`;
  if (b - a + 1 > 65535) return `${a}:${b} spans more than 65535 queues (with first 0, last may be at most 65534)`;
  return undefined;
};

export const nfqueue: TargetSpec = {
  name: 'NFQUEUE',
  terminating: true,
  doc: 'Hands the packet to a userspace program (an IPS such as Suricata, or a libnetfilter_queue tool) through a numbered queue; the program gives the verdict. Without a listener the packet is dropped unless --queue-bypass is set, in which case it is accepted.',
  options: {
    '--queue-num': {
      args: [{ display: '0-65535', check: uint(0, 65535, 'queue number') }],
      conflicts: ['--queue-balance'],
      doc: 'The queue number (default 0).',
    },
    '--queue-balance': { args: [{ display: 'first:last', check: checkBalance }], conflicts: ['--queue-num'], doc: 'Spread flows over the queues first..last; each flow stays on one queue.' },
    '--queue-bypass': { args: [], doc: 'When no program listens on the queue, accept the packet instead of dropping it.' },
    '--queue-cpu-fanout': { args: [], requires: ['--queue-balance'], doc: 'With --queue-balance: choose the queue by CPU number instead of by flow hash.' },
  },
};
