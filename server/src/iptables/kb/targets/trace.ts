import type { TargetSpec } from '../types.js';

export const trace: TargetSpec = {
  name: 'TRACE',
  terminating: false,
  doc: 'Marks the packet so every rule it traverses afterwards is reported: with iptables-nft see `xtables-monitor --trace`, with legacy the kernel log. Put it in the raw table: legacy kernels accept it nowhere else (iptables-nft accepts it in any table).',
  legacyTables: ['raw'],
  options: {},
};
