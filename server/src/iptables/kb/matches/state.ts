import type { MatchSpec } from '../types.js';
import { startListOf } from '../values.js';

export const STATES = ['INVALID', 'NEW', 'ESTABLISHED', 'RELATED', 'UNTRACKED'];

export const state: MatchSpec = {
  name: 'state',
  doc: 'Matches the connection-tracking state of the packet (the older, smaller form of `-m conntrack --ctstate`).',
  requireOneOf: [['--state']],
  options: {
    '--state': { args: [{ display: 'state[,state...]', check: startListOf(STATES, 'state'), values: STATES }], negatable: true, doc: 'Comma-separated states: NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED. E.g. `RELATED,ESTABLISHED`.' },
  },
};
