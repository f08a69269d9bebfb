import type { TargetSpec } from '../types.js';

/** The verdicts that need no extension. */
export const standardTargets: readonly TargetSpec[] = [
  { name: 'ACCEPT', terminating: true, doc: 'Lets the packet through this chain and table; it continues to the next table/hook.', options: {} },
  // iptables itself refuses DROP in nat (as -j/-g target and as -P policy): "the nat table is not intended for filtering".
  { name: 'DROP', terminating: true, tables: ['filter', 'mangle', 'raw', 'security'], tablesNote: 'iptables refuses it in nat, which is not meant for filtering: drop in the filter table', doc: 'Discards the packet silently; the sender gets no answer. Not in the nat table.', options: {} },
  { name: 'RETURN', terminating: true, doc: 'Leaves this chain: back to the calling chain, or the policy decides in a built-in chain.', options: {} },
  { name: 'QUEUE', terminating: true, doc: 'Hands the packet to userspace (queue 0); dropped when no program listens.', options: {} },
];
