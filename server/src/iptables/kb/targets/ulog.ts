import type { TargetSpec } from '../types.js';
import { uint } from './targetValues.js';

export const ulog: TargetSpec = {
  name: 'ULOG',
  family: 'ipv4',
  terminating: false,
  doc: 'Obsolete IPv4 userspace logging over netlink, removed from Linux 3.17: iptables still parses it, but current kernels refuse the rule. Use NFLOG.',
  removedFromKernel: { version: '3.17', instead: 'log with NFLOG (--nflog-group) instead' },
  options: {
    '--ulog-nlgroup': { args: [{ display: '1-32', check: uint(1, 32, 'netlink group') }], doc: 'Netlink group (default 1).' },
    '--ulog-prefix': { args: [{ display: '"prefix"' }], doc: 'Text attached to each message (up to 31 characters kept).' },
    '--ulog-cprange': { args: [{ display: 'bytes', check: uint(0, 0xffffffff, 'size') }], doc: 'Bytes of each packet copied to userspace; 0 means all.' },
    '--ulog-qthreshold': { args: [{ display: '1-50', check: uint(1, 50, 'threshold') }], doc: 'Packets queued in the kernel before a batch is sent (default 1).' },
  },
};
