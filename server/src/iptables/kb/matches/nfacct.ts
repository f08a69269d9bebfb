import type { MatchSpec } from '../types.js';
import { stringLength } from '../values.js';

export const nfacct: MatchSpec = {
  name: 'nfacct',
  doc: 'Counts the packets and bytes that reach it in an extended accounting object (created beforehand with the `nfacct` tool); always matches.',
  requireOneOf: [['--nfacct-name']],
  options: {
    '--nfacct-name': { args: [{ display: 'name', check: stringLength(31, 'accounting object name', 1) }], doc: 'Name of an existing accounting object (`nfacct add NAME`); the kernel refuses unknown names.' },
  },
};
