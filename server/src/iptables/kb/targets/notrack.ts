import type { TargetSpec } from '../types.js';

export const notrack: TargetSpec = {
  name: 'NOTRACK',
  terminating: false,
  doc: 'Exempts the packet from connection tracking; the same as `-j CT --notrack`. Only valid in the raw table. Untracked packets match `--ctstate UNTRACKED` and get no NAT.',
  tables: ['raw'],
  options: {},
};
