import type { TargetSpec } from '../types.js';

/** The verdicts that need no extension. */
export const standardTargets: readonly TargetSpec[] = [
  { name: 'ACCEPT', terminating: true, doc: 'Lets the packet through this chain and table; it continues to the next table/hook.', options: {} },
  { name: 'DROP', terminating: true, doc: 'Discards the packet silently; the sender gets no answer.', options: {} },
  { name: 'RETURN', terminating: true, doc: 'Leaves this chain: back to the calling chain, or the policy decides in a built-in chain.', options: {} },
  { name: 'QUEUE', terminating: true, doc: 'Hands the packet to userspace (queue 0); dropped when no program listens.', options: {} },
];
