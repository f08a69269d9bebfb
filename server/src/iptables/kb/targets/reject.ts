import type { TargetSpec } from '../types.js';
import { REJECT_TYPES_IPV4, REJECT_TYPES_IPV6, checkRejectWith, needsProtocol, resolveRejectType } from './targetValues.js';

const common = {
  name: 'REJECT',
  terminating: true,
  tables: ['filter'] as const,
  chains: ['INPUT', 'FORWARD', 'OUTPUT'],
};

function rejectValidate(given: ReadonlyMap<string, readonly string[]>, family: 'ipv4' | 'ipv6') {
  const value = given.get('--reject-with')?.[0];
  if (value === undefined || resolveRejectType(value, family) !== 'tcp-reset') return [];
  return needsProtocol(given, '--reject-with', ['tcp'], 'for tcp-reset (the kernel refuses it unless the rule matches only TCP)');
}

export const rejectIPv4: TargetSpec = {
  ...common,
  family: 'ipv4',
  doc: 'Drops the packet and tells the sender with an ICMP error (default port-unreachable) or a TCP reset, so clients fail fast instead of timing out. Only in the filter table (INPUT, FORWARD, OUTPUT). Drop INVALID packets instead of rejecting them.',
  options: {
    '--reject-with': {
      args: [{ display: 'type', values: [...REJECT_TYPES_IPV4.flat()], check: checkRejectWith }],
      doc: 'The answer sent back: an ICMP error (icmp-port-unreachable when the option is left out) or, with -p tcp, a TCP reset (tcp-reset). Each type has a short alias (`port-unreach`), and any start of a name or alias is taken, even one that several types share: iptables takes the first type in its own order (`icmp-host` is icmp-host-unreachable).',
    },
  },
  validate: (given) => rejectValidate(given, 'ipv4'),
};

export const rejectIPv6: TargetSpec = {
  ...common,
  family: 'ipv6',
  doc: 'Drops the packet and tells the sender with an ICMPv6 error (default port-unreachable) or a TCP reset. Only in the filter table (INPUT, FORWARD, OUTPUT). Drop INVALID packets instead of rejecting them.',
  options: {
    '--reject-with': {
      args: [{ display: 'type', values: [...new Set(REJECT_TYPES_IPV6.flat())], check: checkRejectWith }],
      doc: 'The answer sent back: an ICMPv6 error (icmp6-port-unreachable when the option is left out) or, with -p tcp, a TCP reset (tcp-reset). Each type has a short alias (`port-unreach`), and any start of a name or alias is taken, even one that several types share: ip6tables takes the first type in its own order (`icmp6-a` is icmp6-adm-prohibited).',
    },
  },
  validate: (given) => rejectValidate(given, 'ipv6'),
};
