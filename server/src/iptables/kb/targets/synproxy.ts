import type { TargetSpec } from '../types.js';
import { uint } from './targetValues.js';

export const synproxy: TargetSpec = {
  name: 'SYNPROXY',
  terminating: false,
  doc: 'Answers TCP SYNs with SYN cookies itself and only opens the real connection once the client completes the handshake, to absorb SYN floods. Use on UNTRACKED/INVALID packets after a raw-table `CT --notrack` rule for SYNs. The kernel allows it only in INPUT and FORWARD, with -p tcp. Packets that are not part of a handshake continue to the next rule.',
  protocols: ['tcp'],
  chains: ['INPUT', 'FORWARD'],
  options: {
    '--mss': { args: [{ display: 'bytes', check: uint(0, 0xffffffff, 'MSS') }], doc: 'Maximum segment size announced to clients; should match the backend.' },
    '--wscale': { args: [{ display: 'shift', check: uint(0, 0xffffffff, 'window scale') }], doc: 'Window scale announced to clients; should match the backend.' },
    '--sack-perm': { args: [], doc: 'Pass the selective-acknowledgement option on to the backend.' },
    '--timestamp': { args: [], doc: 'Pass the timestamp option on (also needed for SACK and window scaling).' },
    '--ecn': { args: [], doc: 'Pass explicit congestion notification on.' },
  },
};
