import type { MatchSpec } from '../types.js';

export const rpfilter: MatchSpec = {
  name: 'rpfilter',
  doc: 'Reverse-path filter: matches when a reply to the packet would be routed out through the interface it came in on (anti-spoofing). Only in the raw and mangle tables, PREROUTING.',
  tables: ['raw', 'mangle'],
  chains: ['PREROUTING'],
  options: {
    '--loose': { args: [], doc: 'Accept a reverse path through any interface, not only the incoming one.' },
    '--validmark': { args: [], doc: 'Use the packet mark in the reverse route lookup.' },
    '--accept-local': { args: [], doc: 'Do not fail packets whose source address is local to this host.' },
    '--invert': { args: [], doc: 'Match the packets that fail the test instead.' },
  },
};
