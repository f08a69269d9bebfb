import type { TableName } from './types.js';

/** Built-in chains of each table, in the order iptables-save prints them. Same for IPv4 and IPv6. */
export const TABLES: Readonly<Record<TableName, readonly string[]>> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

export const TABLE_DOCS: Readonly<Record<TableName, string>> = {
  filter: 'The default table: decides whether packets are accepted or dropped (INPUT: to this host, FORWARD: routed through it, e.g. to and from guests; OUTPUT: from this host).',
  nat: 'Address translation, consulted for the first packet of each connection: DNAT/REDIRECT in PREROUTING and OUTPUT, SNAT/MASQUERADE in POSTROUTING (and INPUT).',
  mangle: 'Packet alteration: marks, TOS/DSCP, TTL, TCPMSS, CHECKSUM (libvirt fills in DHCP checksums here).',
  raw: 'Consulted before connection tracking: NOTRACK/CT to exempt or configure tracking.',
  security: 'Mandatory access control (SELinux SECMARK/CONNSECMARK), consulted after filter.',
};

/** Built-in policies: only these two are allowed on built-in chains. */
export const POLICIES: readonly string[] = ['ACCEPT', 'DROP'];

/** Verdicts iptables knows without an extension. */
export const STANDARD_TARGETS: readonly string[] = ['ACCEPT', 'DROP', 'RETURN', 'QUEUE'];

export function isTableName(name: string): name is TableName {
  return Object.prototype.hasOwnProperty.call(TABLES, name);
}

export function isBuiltinChain(table: string, chain: string): boolean {
  return isTableName(table) && TABLES[table].includes(chain);
}

/** iptables keeps chain names in 29 bytes including the terminating NUL. */
export const MAX_CHAIN_NAME = 28;

/** Every built-in chain name of any table (for "PREROUTING is not a chain of filter"). */
export const ALL_BUILTIN_CHAINS: readonly string[] = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];
