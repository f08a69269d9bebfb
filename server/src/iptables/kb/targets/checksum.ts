import type { TargetSpec } from '../types.js';

export const checksum: TargetSpec = {
  name: 'CHECKSUM',
  terminating: false,
  doc: 'Computes a missing layer-4 checksum in the packet. libvirt adds `-p udp --dport 68 -j CHECKSUM --checksum-fill` in mangle POSTROUTING so old DHCP clients in guests accept replies whose checksum was left to offloading. Only valid in the mangle table.',
  tables: ['mangle'],
  options: {
    '--checksum-fill': { args: [], doc: 'Fill in the checksum. Required: the target does nothing else.' },
  },
  requireOneOf: [['--checksum-fill']],
};
