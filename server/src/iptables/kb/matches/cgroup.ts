import type { MatchSpec } from '../types.js';
import { stringLength, uintRange, UINT32_MAX } from '../values.js';

export const cgroup: MatchSpec = {
  name: 'cgroup',
  doc: 'Matches packets of sockets that belong to a control group: by cgroup v2 path or by net_cls class id. Give exactly one of the two. Only in INPUT, OUTPUT and POSTROUTING.',
  requireOneOf: [['--path', '--cgroup']],
  // The kernel's match (xt_cgroup) registers only these hooks: a socket is known there.
  chains: ['INPUT', 'OUTPUT', 'POSTROUTING'],
  options: {
    '--path': { args: [{ display: 'path', check: stringLength(4095, 'path', 1) }], negatable: true, conflicts: ['--cgroup'], doc: 'cgroup v2 path relative to the cgroup2 root (it and its descendants match), e.g. `/system.slice/nginx.service`.' },
    '--cgroup': { args: [{ display: 'classid', check: uintRange(0, UINT32_MAX, 'class id') }], negatable: true, conflicts: ['--path'], doc: 'net_cls class id (a 32-bit number, e.g. 0x100001).' },
  },
};
