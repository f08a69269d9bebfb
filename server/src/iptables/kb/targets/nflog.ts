import type { TargetSpec, ValueCheck } from '../types.js';
import { WARNING_REASON } from '../values.js';
import { uint, unquote } from './targetValues.js';

const checkPrefix: ValueCheck = (v) => {
  const s = unquote(v);
  if (s === '') return 'the prefix must not be empty';
  if (s.includes('\n')) return 'newlines are not allowed in the prefix';
  // The legacy backend's struct xt_nflog_info keeps 64 bytes with the NUL, nf_tables' log prefix 128.
  const bytes = Buffer.byteLength(s, 'utf8');
  if (bytes > 63) {
    const kept = bytes > 127 ? 'both backends cut it, the legacy one to 63 bytes and the nf_tables one to 127' : 'the legacy backend keeps only the first 63 (the nf_tables one keeps it whole)';
    return `${WARNING_REASON}the prefix is ${bytes} bytes long and ${kept}, silently`;
  }
  return undefined;
};

export const nflog: TargetSpec = {
  name: 'NFLOG',
  terminating: false,
  doc: 'Passes matching packets to a userspace logger over netlink (ulogd, tcpdump -i nflog:GROUP) and lets them continue to the next rule. The modern replacement of ULOG.',
  options: {
    '--nflog-group': { args: [{ display: '0-65535', check: uint(0, 65535, 'netlink group') }], doc: 'Netlink group the packets go to (default 0).' },
    '--nflog-prefix': { args: [{ display: '"prefix"', check: checkPrefix }], doc: 'Text attached to each message; the legacy backend keeps up to 63 bytes, the nf_tables backend 127.' },
    '--nflog-range': { args: [{ display: 'bytes', check: uint(0, 0xffffffff, 'size') }], conflicts: ['--nflog-size'], doc: 'Obsolete and without effect; use --nflog-size.' },
    '--nflog-size': { args: [{ display: 'bytes', check: uint(0, 0xffffffff, 'size') }], conflicts: ['--nflog-range'], doc: 'How many bytes of each packet are copied to userspace.' },
    '--nflog-threshold': { args: [{ display: '0-65535', check: uint(0, 65535, 'threshold') }], doc: 'Packets queued in the kernel before a batch is sent (default 1).' },
  },
};
