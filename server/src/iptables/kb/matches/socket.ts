import type { MatchSpec } from '../types.js';

export const socket: MatchSpec = {
  name: 'socket',
  doc: 'Matches when a local socket is found for the packet (used for transparent proxying). Only in PREROUTING and INPUT.',
  chains: ['PREROUTING', 'INPUT'],
  options: {
    '--transparent': { args: [], doc: 'Only sockets with the IP_TRANSPARENT option.' },
    '--nowildcard': { args: [], doc: 'Also consider listening sockets bound to the wildcard address (they are ignored by default).' },
    '--restore-skmark': { args: [], doc: 'Copy the socket mark to the packet mark when the socket matches.' },
  },
};
