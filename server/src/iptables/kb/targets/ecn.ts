import type { TargetSpec } from '../types.js';
import { needsProtocol, uint } from './targetValues.js';

export const ecn: TargetSpec = {
  name: 'ECN',
  family: 'ipv4',
  terminating: false,
  doc: 'Clears or sets ECN bits to work around hosts and middleboxes that break on ECN. Only valid in the mangle table; the TCP options need -p tcp.',
  tables: ['mangle'],
  options: {
    '--ecn-tcp-remove': { args: [], doc: 'Clears the ECE and CWR bits of the TCP header. Needs -p tcp.' },
    '--ecn-tcp-cwr': { args: [{ display: '0|1', check: uint(0, 1, 'CWR bit') }], doc: 'Sets the TCP CWR bit to 0 or 1 (experimental). Needs -p tcp.' },
    '--ecn-tcp-ece': { args: [{ display: '0|1', check: uint(0, 1, 'ECE bit') }], doc: 'Sets the TCP ECE bit to 0 or 1 (experimental). Needs -p tcp.' },
    '--ecn-ip-ect': { args: [{ display: '0-3', check: uint(0, 3, 'ECT codepoint') }], doc: 'Sets the ECN codepoint of the IPv4 header (experimental).' },
  },
  requireOneOf: [['--ecn-tcp-remove', '--ecn-tcp-cwr', '--ecn-tcp-ece', '--ecn-ip-ect']],
  validate(given) {
    const tcpOption = ['--ecn-tcp-remove', '--ecn-tcp-cwr', '--ecn-tcp-ece'].find((o) => given.has(o));
    return tcpOption ? needsProtocol(given, tcpOption, ['tcp'], '(the kernel refuses TCP header changes on rules that may match other protocols)') : [];
  },
};
