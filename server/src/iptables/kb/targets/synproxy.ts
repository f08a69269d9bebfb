import type { TargetSpec, ValueCheck } from '../types.js';
import { parseUnsignedBig, WARNING_REASON } from '../values.js';
import { uint } from './targetValues.js';

/**
 * A 32-bit number that libxt_SYNPROXY stores in `bits` bits: a larger one loads cut to them (the MSS
 * 70000 is 4464, the window scale 300 is 44; iptables-save after a real load shows both).
 */
function cutNumber(bits: number, what: string): ValueCheck {
  const check = uint(0, 0xffffffff, what);
  return (v, f) => {
    const problem = check(v, f);
    const n = parseUnsignedBig(v);
    if (problem || n === undefined || n < 1n << BigInt(bits)) return problem;
    return `${WARNING_REASON}${what} ${v} does not fit in ${bits} bits, and iptables keeps the low ones: ${BigInt.asUintN(bits, n)}`;
  };
}

export const synproxy: TargetSpec = {
  name: 'SYNPROXY',
  terminating: false,
  doc: 'Answers TCP SYNs with SYN cookies itself and only opens the real connection once the client completes the handshake, to absorb SYN floods. Use on UNTRACKED/INVALID packets after a raw-table `CT --notrack` rule for SYNs. The kernel allows it only in INPUT and FORWARD, with -p tcp. Packets that are not part of a handshake continue to the next rule.',
  protocols: ['tcp'],
  chains: ['INPUT', 'FORWARD'],
  options: {
    '--mss': { args: [{ display: 'bytes', check: cutNumber(16, 'MSS') }], doc: 'Maximum segment size announced to clients; should match the backend.' },
    '--wscale': { args: [{ display: 'shift', check: cutNumber(8, 'window scale') }], doc: 'Window scale announced to clients; should match the backend.' },
    '--sack-perm': { args: [], doc: 'Pass the selective-acknowledgement option on to the backend.' },
    '--timestamp': { args: [], doc: 'Pass the timestamp option on (also needed for SACK and window scaling).' },
    '--ecn': { args: [], doc: 'Pass explicit congestion notification on.' },
  },
};
