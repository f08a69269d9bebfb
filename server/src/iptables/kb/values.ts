/**
 * Value checks shared by the knowledge base. Each mirrors the userspace parser of iptables 1.8.9
 * (libxtables' xtables_parse_*, xtables_strtoui ...) closely enough that a value the real tool
 * accepts is never refused here. Where the real tool does something we cannot know at lint time
 * (a host name resolved through DNS, a user name looked up in /etc/passwd), the value is accepted.
 */
import ipaddr from 'ipaddr.js';
import type { Family, ValueCheck } from './types.js';

/** strtoul with base 0 as libxtables uses it: decimal, 0x hex, leading-0 octal. */
export function parseUnsigned(text: string): number | undefined {
  if (/^[1-9][0-9]*$|^0$/.test(text)) return Number(text);
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^0[0-7]+$/.test(text)) return parseInt(text.slice(1), 8);
  return undefined;
}

/** An unsigned integer in [min, max] (base 0 like xtables_strtoui). */
export function intInRange(min: number, max: number, what = 'value'): ValueCheck {
  return (v) => {
    const n = parseUnsigned(v);
    if (n === undefined || n < min || n > max) return `${what} must be an integer ${min}-${max}`;
    return undefined;
  };
}

/** `n` or `n:m` with min <= n <= m <= max. */
export function intRangeInRange(min: number, max: number, what = 'value'): ValueCheck {
  return (v) => {
    const parts = v.split(':');
    if (parts.length > 2) return `${what} must be n or n:m (${min}-${max})`;
    const nums = parts.map((p) => parseUnsigned(p));
    if (nums.some((n) => n === undefined || n < min || n > max)) return `${what} must be n or n:m with numbers ${min}-${max}`;
    if (nums.length === 2 && (nums[0] as number) > (nums[1] as number)) return `${what} range ${v} is inverted`;
    return undefined;
  };
}

/** Well-known service names iptables accepts through getservbyname (the common ones of /etc/services). */
export const SERVICE_PORTS: Readonly<Record<string, number>> = {
  ftp: 21, 'ftp-data': 20, ssh: 22, telnet: 23, smtp: 25, domain: 53, bootps: 67, bootpc: 68, tftp: 69, http: 80, www: 80,
  kerberos: 88, pop3: 110, sunrpc: 111, auth: 113, ntp: 123, 'netbios-ns': 137, 'netbios-dgm': 138, 'netbios-ssn': 139,
  imap: 143, imap2: 143, snmp: 161, 'snmp-trap': 162, bgp: 179, ldap: 389, https: 443, 'microsoft-ds': 445, isakmp: 500,
  syslog: 514, submission: 587, ldaps: 636, rsync: 873, imaps: 993, pop3s: 995, openvpn: 1194, 'ms-sql-s': 1433, mysql: 3306,
  nfs: 2049, postgresql: 5432, 'x11': 6000, 'http-alt': 8080, ipp: 631, sip: 5060, 'domain-s': 853, submissions: 465,
  smtps: 465, 'ipsec-nat-t': 4500, microsoft: 445, webcache: 8080, dhcpv6_client: 546, 'dhcpv6-client': 546, 'dhcpv6-server': 547,
};

/**
 * A port: a number 0-65535 or a service name. Unknown names are accepted (the host's /etc/services
 * decides), but a name with characters no service name has is refused.
 */
export const checkPort: ValueCheck = (v) => {
  if (/^[0-9]+$/.test(v) || /^0[xX][0-9a-fA-F]+$/.test(v)) {
    const n = parseUnsigned(v) ?? Number(v);
    return n >= 0 && n <= 65535 ? undefined : `port ${v} is out of range 0-65535`;
  }
  if (/^[A-Za-z][A-Za-z0-9._+-]*$/.test(v)) return undefined;
  return `invalid port "${v}": expected a number 0-65535 or a service name`;
};

/** `port`, `port:port`, `:port`, `port:` (open ends mean 0 and 65535). */
export const checkPortRange: ValueCheck = (v, family) => {
  const parts = v.split(':');
  if (parts.length > 2) return `invalid port range "${v}": expected port[:port]`;
  if (parts.length === 1) return checkPort(v, family);
  const [a, b] = parts as [string, string];
  if (a === '' && b === '') return `invalid port range "${v}"`;
  for (const p of [a, b]) {
    if (p === '') continue;
    const e = checkPort(p, family);
    if (e) return e;
  }
  const na = a === '' ? 0 : parseUnsigned(a) ?? SERVICE_PORTS[a];
  const nb = b === '' ? 65535 : parseUnsigned(b) ?? SERVICE_PORTS[b];
  if (na !== undefined && nb !== undefined && na > nb) return `port range ${v} is inverted (${na} > ${nb})`;
  return undefined;
};

/** A comma-separated list of up to `max` port ranges (`multiport`). */
export function portList(max = 15): ValueCheck {
  return (v, family) => {
    const items = v.split(',');
    let count = 0;
    for (const item of items) {
      if (item === '') return `empty item in port list "${v}"`;
      const e = checkPortRange(item, family);
      if (e) return e;
      count += item.includes(':') ? 2 : 1;
    }
    if (count > max) return `too many ports (${count} slots, at most ${max}; a range counts as two)`;
    return undefined;
  };
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;

/** True when the text looks like a DNS name iptables would try to resolve (not an address). */
export function isHostName(v: string): boolean {
  return HOSTNAME.test(v) && !/^[0-9.]+$/.test(v) && !/^[0-9a-fA-F:]+$/.test(v);
}

/**
 * IPv4 as libxtables' numeric parser reads it: one to four dot-separated decimal parts
 * (missing parts are zero: `10.1` is 10.1.0.0).
 */
export function parseIPv4Loose(v: string): number[] | undefined {
  if (!/^[0-9]+(\.[0-9]+){0,3}$/.test(v)) return undefined;
  const parts = v.split('.').map((p) => Number(p));
  if (parts.some((p) => p > 255)) return undefined;
  while (parts.length < 4) parts.push(0);
  return parts;
}

export function isIPv4(v: string): boolean {
  return parseIPv4Loose(v) !== undefined || (ipaddr.IPv4.isValid(v) && !v.includes(':'));
}

export function isIPv6(v: string): boolean {
  return v.includes(':') && ipaddr.IPv6.isValid(v.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
}

/** Checks a single host address (no mask) of the family; host names are accepted. */
export const checkHost: ValueCheck = (v, family) => {
  if (v === '') return 'empty address';
  if (family === 'ipv4') {
    if (isIPv4(v)) return undefined;
    if (isIPv6(v)) return `"${v}" is an IPv6 address in an IPv4 ruleset`;
  } else {
    if (isIPv6(v)) return undefined;
    if (isIPv4(v) && v.split('.').length === 4) return `"${v}" is an IPv4 address in an IPv6 ruleset`;
  }
  if (isHostName(v)) return undefined;
  return `invalid ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address "${v}"`;
};

/** A prefix length or (IPv4) a dotted mask. */
export function checkMask(mask: string, family: Family): string | undefined {
  const max = family === 'ipv4' ? 32 : 128;
  if (family === 'ipv4' && mask.includes('.')) {
    return ipaddr.IPv4.isValidFourPartDecimal(mask) ? undefined : `invalid mask "${mask}": expected 0-32 or a dotted mask`;
  }
  if (family === 'ipv6' && mask.includes(':')) {
    return isIPv6(mask) ? undefined : `invalid mask "${mask}"`;
  }
  if (!/^[0-9]+$/.test(mask) || (mask.length > 1 && mask.startsWith('0')) || Number(mask) > max) {
    return `invalid mask "${mask}": the prefix length must be 0-${max}`;
  }
  return undefined;
}

/** `address[/mask]`, possibly a comma-separated list (`-s a,b`), as `-s`/`-d` take it. */
export function addressList(allowList: boolean): ValueCheck {
  return (v, family) => {
    const items = allowList ? v.split(',') : [v];
    for (const item of items) {
      if (item === '') return `empty address in "${v}"`;
      const slash = item.indexOf('/');
      const host = slash === -1 ? item : item.slice(0, slash);
      const e = checkHost(host, family);
      if (e) return e;
      if (slash !== -1) {
        const m = checkMask(item.slice(slash + 1), family);
        if (m) return m;
      }
    }
    return undefined;
  };
}

export const checkAddressMask: ValueCheck = addressList(false);
export const checkAddressMaskList: ValueCheck = addressList(true);

/** `addr-addr` (iprange): two hosts of the family, low end first. */
export const checkAddressRange: ValueCheck = (v, family) => {
  const dash = v.indexOf('-', family === 'ipv6' ? v.lastIndexOf(':') : 0);
  const parts = dash === -1 ? [v] : [v.slice(0, dash), v.slice(dash + 1)];
  for (const p of parts) {
    if (family === 'ipv4' ? !/^[0-9]+(\.[0-9]+){3}$/.test(p) || !isIPv4(p) : !isIPv6(p)) {
      return `invalid address range "${v}": expected ${family === 'ipv4' ? 'a.b.c.d[-e.f.g.h]' : 'an IPv6 address[-address]'}`;
    }
  }
  return undefined;
};

/** Interface names as iptables checks them: at most 15 characters, `+` only at the end. */
export const checkInterface: ValueCheck = (v) => {
  if (v.length === 0) return 'empty interface name';
  if (v.length > 15) return `interface name "${v}" is longer than 15 characters`;
  if (/[\s/]/.test(v)) return `interface name "${v}" contains a space or "/"`;
  return undefined;
};

/** Protocol names known to iptables without /etc/protocols (its built-in table) plus common ones. */
export const PROTOCOL_NAMES: readonly string[] = [
  'tcp', 'udp', 'udplite', 'icmp', 'icmpv6', 'ipv6-icmp', 'esp', 'ah', 'sctp', 'mh', 'ipv6-mh', 'dccp', 'gre', 'all',
  'igmp', 'ipip', 'ipencap', 'ipv6', 'ipv6-route', 'ipv6-frag', 'ipv6-nonxt', 'ipv6-opts', 'ospf', 'pim', 'vrrp', 'l2tp', 'rsvp', 'egp', 'encap', 'ip', 'hopopt',
];

export const checkProtocol: ValueCheck = (v) => {
  const n = parseUnsigned(v);
  if (n !== undefined) return n <= 255 ? undefined : `protocol number ${v} is out of range 0-255`;
  if (/^[A-Za-z][A-Za-z0-9._+-]*$/.test(v)) return undefined; // /etc/protocols decides; see unknown-protocol hint
  return `invalid protocol "${v}": expected a name such as tcp, udp, icmp or a number 0-255`;
};

/** One of a fixed set of words, case-insensitively unless `caseSensitive`. */
export function oneOf(values: readonly string[], what = 'value', caseSensitive = false): ValueCheck {
  const set = new Set(caseSensitive ? values : values.map((s) => s.toLowerCase()));
  return (v) => (set.has(caseSensitive ? v : v.toLowerCase()) ? undefined : `invalid ${what} "${v}": expected one of ${values.join(', ')}`);
}

/** A comma-separated list of words from a fixed set. */
export function listOf(values: readonly string[], what = 'value', caseSensitive = false): ValueCheck {
  const one = oneOf(values, what, caseSensitive);
  return (v, family) => {
    if (v === '') return `empty ${what} list`;
    for (const item of v.split(',')) {
      const e = one(item, family);
      if (e) return e;
    }
    return undefined;
  };
}

/** `value[/mask]` with unsigned 32-bit numbers (marks, connmarks). */
export const checkMarkMask: ValueCheck = (v) => {
  const parts = v.split('/');
  if (parts.length > 2 || parts.some((p) => {
    const n = parseUnsigned(p);
    return n === undefined || n > 0xffffffff;
  })) return `invalid mark "${v}": expected value[/mask] with unsigned 32-bit numbers`;
  return undefined;
};

/** A MAC address `XX:XX:XX:XX:XX:XX`. */
export const checkMac: ValueCheck = (v) =>
  /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/.test(v) ? undefined : `invalid MAC address "${v}": expected XX:XX:XX:XX:XX:XX`;
