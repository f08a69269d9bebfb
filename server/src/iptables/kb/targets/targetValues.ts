/**
 * Value checks that only target extensions need. Each one follows what the iptables 1.8.9
 * userspace parser of the target (or the kernel's checkentry, when `--test` would miss it) does,
 * and errs on the side of accepting: a value the real tool takes must never be refused here.
 *
 * Protocol needs of single options (`--to-ports` needs a port protocol, `tcp-reset` needs TCP)
 * are reported by the targets' `validate` with a message that starts with `needs -p a|b|c `
 * (see {@link needsProtocol}). The validator may pass the rule's own protocol in the `given`
 * map under the key `-p` (value as written, `!` first when negated); when it does, a need that
 * the protocol satisfies is not reported at all.
 */
import ipaddr from 'ipaddr.js';
import { plainIPv4 } from '../../../net/cidr.js';
import type { ExtensionProblem, Family, ValueCheck } from '../types.js';
import { addressAbove, checkResolvableHost, didYouMean, hostOctalNote, inetAtonValue, isInetAton, isPtonIPv6, isResolverIPv6, isV4Mapped, firstOctalNote, octalNote, PROTOCOL_NUMBERS, scanCUnsigned, SERVICE_PORTS, valueMaskOctalNote, WARNING_REASON } from '../values.js';

/**
 * The prefix of a number as C's strtoumax(…, 0) reads it (see scanCUnsigned), as a JS number
 * (Infinity past 64 bits). Undefined when no digit is read or the text starts with a minus sign
 * (libxtables refuses those).
 */
export function scanUnsigned(text: string): { value: number; rest: string } | undefined {
  const s = scanCUnsigned(text);
  if (!s || s.negative) return undefined;
  return { value: s.overflow ? Infinity : Number(s.value), rest: text.slice(s.end) };
}

/** A whole value read like xtables_strtoui with no end pointer: number in [min, max], nothing after it. */
export function parseWholeUnsigned(text: string, min: number, max: number): number | undefined {
  const s = scanUnsigned(text);
  if (!s || s.rest !== '' || s.value < min || s.value > max) return undefined;
  return s.value;
}

/** An unsigned integer in [min, max]; `hint` is added to the message (e.g. why the limit exists). */
export function uint(min: number, max: number, what: string, hint = ''): ValueCheck {
  return (v) =>
    parseWholeUnsigned(v, min, max) === undefined
      ? `${what} must be an integer ${min}-${max}${hint ? ` (${hint})` : ''}, got "${v}"`
      : octalNote(v, what); // `--ttl-set 064` is 52
}

/** Strips one pair of surrounding double quotes (in case the caller passes the token as written). */
export function unquote(v: string): string {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

/** A string option with a minimum length of 1 (xtables refuses an empty argument). */
export function nonEmpty(what: string): ValueCheck {
  return (v) => (unquote(v) === '' ? `${what} must not be empty` : undefined);
}

/** A string with a hard maximum length (longer values are refused, not cut). */
export function stringUpTo(max: number, what: string): ValueCheck {
  return (v) => {
    const s = unquote(v);
    if (s === '') return `${what} must not be empty`;
    if (s.length > max) return `${what} is ${s.length} characters long; at most ${max} are allowed`;
    return undefined;
  };
}

/** IPv4 the way inet_pton reads it: exactly four decimal parts 0-255, no leading zeros. */
export function isStrictIPv4(v: string): boolean {
  return plainIPv4(v) !== -1;
}

export function isStrictAddress(v: string, family: Family): boolean {
  return family === 'ipv4' ? isStrictIPv4(v) : isPtonIPv6(v);
}

/** Service names resolve through the host's /etc/services; any name-like word is accepted. */
export function looksLikeServiceName(v: string): boolean {
  return /^[A-Za-z][A-Za-z0-9._+*/-]*$/.test(v);
}

/**
 * A NAT port part that does not start with a number and reads as a range or a shifted map made of
 * service names (`ftp-ssh`, `http-8080`, `ftp/21`, `ftp-ssh/21`). libxt_NAT only looks a word up
 * as a service when it is not a number, and then the whole word must be one service name, so
 * these are refused. To stay clear of real service names that contain a dash (`x11-1`,
 * `netbios-ns`, `ftp-data`), only words whose parts are all known here are reported: the start a
 * known service, the end a known service or a number not below the start's port.
 * Returns the range the author most likely meant, in numbers, or undefined when the word is not
 * such a range.
 */
function serviceNamedRange(v: string): { readonly text: string; readonly numeric?: string } | undefined {
  if (SERVICE_PORTS[v] !== undefined) return undefined;
  const slash = v.indexOf('/');
  const core = slash === -1 ? v : v.slice(0, slash);
  const dash = core.lastIndexOf('-');
  if (dash === -1) {
    // `name/base`: a single known service followed by a base.
    const port = SERVICE_PORTS[core];
    return slash !== -1 && port !== undefined ? { text: v } : undefined;
  }
  const startName = core.slice(0, dash);
  const endText = core.slice(dash + 1);
  const start = SERVICE_PORTS[startName];
  if (SERVICE_PORTS[core] !== undefined || start === undefined) return undefined;
  const named = SERVICE_PORTS[endText];
  const end = named ?? (/^[0-9]+$/.test(endText) ? Number(endText) : undefined);
  if (end === undefined || end > 65535 || (named === undefined && end < start)) return undefined;
  return { text: v, numeric: `${Math.min(start, end)}-${Math.max(start, end)}${slash === -1 ? '' : v.slice(slash)}` };
}

/**
 * NAT port part: `port`, `port-port` or (DNAT/SNAT/MASQUERADE) `port-port/base`, as libxt_NAT's
 * parse_ports reads it. A service name may stand alone (a single port) or as the base; a range
 * must be written in numbers. Returns an error message or undefined.
 */
export function checkNatPorts(v: string, allowBase: boolean): string | undefined {
  const problem = natPortsProblem(v, allowBase);
  if (problem !== undefined) return problem;
  return firstOctalNote(v.split(/[-/]/), 'port');
}

function natPortsProblem(v: string, allowBase: boolean): string | undefined {
  const first = scanUnsigned(v);
  if (!first || first.value > 65535) {
    const range = serviceNamedRange(v);
    if (range) {
      const hint = range.numeric ? `, e.g. ${range.numeric}` : '';
      return `"${v}" is not a port: NAT targets read a port range only in numbers (a service name must stand alone, as one port)${hint}`;
    }
    if (looksLikeServiceName(v)) return undefined;
    return `port "${v}" must be a number 0-65535 or a service name`;
  }
  if (first.rest === '') return undefined;
  const sep = first.rest[0];
  if (sep === ':') return `use a dash for a port range (first-last), not a colon: "${v}"`;
  if (sep !== '-') return `unexpected "${first.rest}" after the port in "${v}"`;
  const second = scanUnsigned(first.rest.slice(1));
  if (!second || second.value > 65535) return `the end of the port range in "${v}" must be a number 0-65535 (service names only for single ports)`;
  if (second.value < first.value) return `port range "${v}" is inverted: the end must not be lower than the start`;
  if (second.rest === '') return undefined;
  if (second.rest[0] !== '/') return `unexpected "${second.rest}" after the port range in "${v}"`;
  if (!allowBase) return `a shifted port map (range/base) is not supported by this target: "${v}"`;
  const baseText = second.rest.slice(1);
  const base = scanUnsigned(baseText);
  if (base && base.value >= 1 && base.value <= 65535) return undefined; // libxt_NAT ignores anything after the base number
  if (looksLikeServiceName(baseText)) return undefined;
  return `the base port in "${v}" must be 1-65535 or a service name`;
}

interface NatRange {
  readonly addresses?: string;
  readonly ports?: string;
  readonly error?: string;
}

/** Splits `--to-destination`/`--to-source` like libxt_NAT's parse_to. */
export function splitNatRange(v: string, family: Family): NatRange {
  const lb = v.indexOf('[');
  let colon: number;
  let addressText: string;
  if (lb === -1) {
    const c = v.indexOf(':');
    colon = c !== -1 && v.indexOf(':', c + 1) === -1 ? c : -1;
    addressText = colon === -1 ? v : v.slice(0, colon);
  } else {
    const rb = v.indexOf(']', lb + 1);
    if (rb === -1 || family === 'ipv4') {
      return { error: family === 'ipv4' ? `brackets are for IPv6 only; write a.b.c.d[:port] in "${v}"` : `missing "]" in "${v}"` };
    }
    addressText = v.slice(lb + 1, rb);
    colon = v.indexOf(':', rb + 1);
  }
  if (colon === -1) return { addresses: addressText };
  const ports = v.slice(colon + 1);
  // "starts with a colon or []:" means ports only (libxt_NAT checks the position, not the text).
  if (colon === 0 || colon === 2) return { ports };
  return { addresses: addressText, ports };
}

/** `a[-b]` of the family, as inet_pton reads each end. */
export function checkAddressSpan(text: string, family: Family): string | undefined {
  const dash = text.indexOf('-');
  const parts = dash === -1 ? [text] : [text.slice(0, dash), text.slice(dash + 1)];
  for (const p of parts) {
    if (!isStrictAddress(p, family)) {
      const shape = family === 'ipv4' ? 'a.b.c.d (four decimal parts, no leading zeros, no mask, no host names)' : 'an IPv6 address (no mask, no zone, no host names)';
      return `bad address "${p}": expected ${shape}`;
    }
  }
  return undefined;
}

/**
 * `a.b.c.d` or `a.b.c.d:port` with a strict IPv4 address and a decimal port 0-65535 written without
 * a leading zero: the usual NAT mapping (one per endpoint in a kube-proxy ruleset), which
 * `natRangeCheck` accepts.
 */
function isPlainNatMapping(v: string): boolean {
  const colon = v.indexOf(':');
  if (colon === -1) return plainIPv4(v) !== -1;
  const digits = v.length - colon - 1;
  if (digits < 1 || digits > 5 || (digits > 1 && v.charCodeAt(colon + 1) === 48)) return false;
  let port = 0;
  for (let i = colon + 1; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    port = port * 10 + (c - 48);
  }
  return port <= 65535 && plainIPv4(v, 0, colon) !== -1;
}

/** Value check of `--to-destination` (DNAT, with /base) and `--to-source` (SNAT). */
export function natRangeCheck(): ValueCheck {
  return (v, family) => {
    if (family === 'ipv4' && isPlainNatMapping(v)) return undefined;
    const r = splitNatRange(v, family);
    if (r.error) return r.error;
    if (r.ports !== undefined) {
      const e = checkNatPorts(r.ports, true);
      if (e) return e;
    }
    if (r.addresses !== undefined) return checkAddressSpan(r.addresses, family) ?? backwardsNatRange(v, r.addresses, family);
    return undefined;
  };
}

/**
 * A warning for a NAT address range whose first address is above its last (`10.0.0.5-10.0.0.1`):
 * it loads as written, and the kernel's choice of an address then computes the range's size with
 * a subtraction that wraps, so it picks from nearly the whole address space (a real load mapped a
 * connection to 248.3.55.141). Says how to write the range in order, keeping the port part.
 */
function backwardsNatRange(v: string, addresses: string, family: Family): string | undefined {
  const dash = addresses.indexOf('-');
  if (dash === -1) return undefined;
  const from = addresses.slice(0, dash);
  const to = addresses.slice(dash + 1);
  if (!addressAbove(from, to, family)) return undefined;
  const at = v.indexOf(addresses);
  const ordered = `${v.slice(0, at)}${to}-${from}${v.slice(at + addresses.length)}`;
  return `${WARNING_REASON}the address range ${addresses} starts above its end: it loads, and the kernel then picks addresses from nearly the whole address space, not between the two; the range in order is written ${ordered}`;
}

const NAT_PORT_PROTOCOLS: readonly string[] = ['tcp', 'udp', 'sctp', 'dccp', 'icmp'];

/**
 * Protocols for which libxt_NAT accepts a port part. It compares the rule's protocol number with
 * TCP, UDP, SCTP, DCCP and ICMP (1, also in ip6tables; ICMPv6 is refused), ignoring `!`.
 */
export function natPortProtocols(_family: Family): readonly string[] {
  return NAT_PORT_PROTOCOLS;
}

/** The rule's protocol as the validator may pass it in `given` (`-p` key), with negation split off. */
export function ruleProtocol(given: ReadonlyMap<string, readonly string[]>): { name: string; negated: boolean } | undefined {
  const raw = given.get('-p') ?? given.get('--protocol');
  if (!raw || raw.length === 0) return undefined;
  let negated = false;
  let name = '';
  for (const part of raw) {
    if (part === '!') negated = true;
    else if (part.startsWith('!')) { negated = true; name = part.slice(1); } else name = part;
  }
  return name === '' ? undefined : { name: name.toLowerCase(), negated };
}

/** The number of a protocol written as a C number up to 255 or a name of iptables' own table (lower case). */
export function protocolNumber(name: string): number | undefined {
  const n = parseWholeUnsigned(name, 0, 255);
  return n ?? PROTOCOL_NUMBERS[name];
}

/**
 * A protocol need of one option. Returns no problem when the rule's protocol (from `given`) is
 * known to satisfy it; `allowNegated` is for libxt_NAT, which looks at the number only.
 */
export function needsProtocol(
  given: ReadonlyMap<string, readonly string[]>,
  option: string,
  protocols: readonly string[],
  reason: string,
  allowNegated = false,
): ExtensionProblem[] {
  const p = ruleProtocol(given);
  if (p && (!p.negated || allowNegated)) {
    const n = protocolNumber(p.name);
    if (protocols.some((q) => q === p.name || (n !== undefined && PROTOCOL_NUMBERS[q] === n))) return [];
  }
  return [{ option, message: `needs -p ${protocols.join('|')} ${reason}` }];
}

/** REJECT types: name and alias pairs, in the order iptables tries them. */
export const REJECT_TYPES_IPV4: readonly (readonly [string, string])[] = [
  ['icmp-net-unreachable', 'net-unreach'],
  ['icmp-host-unreachable', 'host-unreach'],
  ['icmp-proto-unreachable', 'proto-unreach'],
  ['icmp-port-unreachable', 'port-unreach'],
  ['icmp-net-prohibited', 'net-prohib'],
  ['icmp-host-prohibited', 'host-prohib'],
  ['tcp-reset', 'tcp-rst'],
  ['icmp-admin-prohibited', 'admin-prohib'],
];

export const REJECT_TYPES_IPV6: readonly (readonly [string, string])[] = [
  ['icmp6-no-route', 'no-route'],
  ['icmp6-adm-prohibited', 'adm-prohibited'],
  ['icmp6-addr-unreachable', 'addr-unreach'],
  ['icmp6-port-unreachable', 'port-unreach'],
  ['tcp-reset', 'tcp-reset'],
  ['icmp6-policy-fail', 'policy-fail'],
  ['icmp6-reject-route', 'reject-route'],
];

/**
 * The REJECT type a value selects. iptables compares case-insensitively and takes the first
 * type whose name or alias starts with the value, so `icmp-host-unreach` or even `t` work.
 */
export function resolveRejectType(value: string, family: Family): string | undefined {
  return rejectTypesStartingWith(value, family)[0]?.[0];
}

/**
 * The reject types of the family, in iptables' order, whose name or short alias starts with the
 * value (any case), as name and alias pairs: iptables takes the first of them.
 */
export function rejectTypesStartingWith(value: string, family: Family): ReadonlyArray<readonly [string, string]> {
  const table = family === 'ipv4' ? REJECT_TYPES_IPV4 : REJECT_TYPES_IPV6;
  const v = value.toLowerCase();
  return table.filter(([name, alias]) => name.startsWith(v) || alias.startsWith(v));
}

/**
 * The reject type of the other family that says the same (a rule copied from an IPv4 ruleset into an
 * IPv6 one, or back). Types with no counterpart (icmp-proto-unreachable, icmp6-policy-fail ...)
 * are left out.
 */
const REJECT_COUNTERPARTS: Readonly<Record<string, string>> = {
  'icmp-net-unreachable': 'icmp6-no-route',
  'icmp-host-unreachable': 'icmp6-addr-unreachable',
  'icmp-port-unreachable': 'icmp6-port-unreachable',
  'icmp-net-prohibited': 'icmp6-adm-prohibited',
  'icmp-host-prohibited': 'icmp6-adm-prohibited',
  'icmp-admin-prohibited': 'icmp6-adm-prohibited',
  'icmp6-no-route': 'icmp-net-unreachable',
  'icmp6-addr-unreachable': 'icmp-host-unreachable',
  'icmp6-port-unreachable': 'icmp-port-unreachable',
  'icmp6-adm-prohibited': 'icmp-admin-prohibited',
};

export const checkRejectWith: ValueCheck = (v, family) => {
  const type = resolveRejectType(v, family);
  if (type !== undefined) {
    // A start that several types share is read as the first of them (`icmp` is icmp-net-unreachable).
    const lower = v.toLowerCase();
    const starting = rejectTypesStartingWith(v, family);
    const exact = starting.some(([name, alias]) => name === lower || alias === lower);
    if (starting.length > 1 && !exact) {
      return `${WARNING_REASON}"${v}" is the start of ${starting.length} reject types, and iptables takes the first: ${type}; write the type in full (${starting.map(([name]) => name).join(', ')})`;
    }
    return undefined;
  }
  const table = family === 'ipv4' ? REJECT_TYPES_IPV4 : REJECT_TYPES_IPV6;
  const other = resolveRejectType(v, family === 'ipv4' ? 'ipv6' : 'ipv4');
  const names = table.map(([n]) => n).join(', ');
  const counterpart = other === undefined ? undefined : REJECT_COUNTERPARTS[other];
  return other
    ? `"${v}"${counterpart ? ` (did you mean "${counterpart}"?)` : ''} is a reject type of ${family === 'ipv4' ? 'ip6tables' : 'iptables'}; in this ruleset use one of ${names}`
    : `unknown reject type "${v}"${didYouMean(v, table.map(([n]) => n))}: expected one of ${names}`;
};

/** Syslog levels by name (as libxtables knows them) and number 0-7. */
export const LOG_LEVEL_NAMES: readonly string[] = ['emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug', 'panic'];

export const checkLogLevel: ValueCheck = (v) => {
  if (parseWholeUnsigned(v, 0, 7) !== undefined || LOG_LEVEL_NAMES.includes(v)) return undefined;
  return `unknown log level "${v}"${didYouMean(v, LOG_LEVEL_NAMES)}: expected 0-7 or one of emerg, alert, crit, error, warning, notice, info, debug (lower case)`;
};

/** `value[/mask]` of 32-bit numbers, as xtables_parse_mark_mask reads it. */
export const checkMarkMask32: ValueCheck = (v) => {
  const s = scanUnsigned(v);
  const bad = `invalid "${v}": expected value[/mask] with 32-bit numbers (decimal, 0x hex or 0 octal)`;
  if (!s || s.value > 0xffffffff) return bad;
  // `010` is 0x8 (iptables-save after a real load shows --set-xmark 0x8/0xffffffff).
  if (s.rest !== '' && (s.rest[0] !== '/' || parseWholeUnsigned(s.rest.slice(1), 0, 0xffffffff) === undefined)) return bad;
  return valueMaskOctalNote(v, 'mark');
};

/** A prefix length 0-32/0-128 or (both families) a netmask in address form, as XTTYPE_PLENMASK reads it. */
export const checkPrefixLength: ValueCheck = (v, family) => {
  const max = family === 'ipv4' ? 32 : 128;
  if (parseWholeUnsigned(v, 0, max) !== undefined) return undefined;
  // Netmasks in address form go through getaddrinfo: inet_aton forms such as "33" or "255.255" in
  // IPv4, and an IPv6 one may have a scope (`ffff::%1`).
  if (family === 'ipv4' ? isInetAton(v) || isV4Mapped(v) : isResolverIPv6(v)) return undefined;
  return `"${v}" is neither a prefix length 0-${max} nor a netmask`;
};

/** The all-zero address (0.0.0.0 or ::) in any spelling the resolver accepts. */
export function isUnspecifiedAddress(v: string, family: Family): boolean {
  if (family === 'ipv4') return inetAtonValue(v) === 0 || (isV4Mapped(v) && ipaddr.IPv6.parse(v).toIPv4Address().toString() === '0.0.0.0');
  return isResolverIPv6(v) && ipaddr.IPv6.parse(v.replace(/%.*$/, '')).parts.every((p) => p === 0);
}

/** `address[/mask]` (NETMAP `--to`): a numeric address of the family, mask as length or netmask. */
export const checkNetmapTo: ValueCheck = (v, family) => {
  const slash = v.indexOf('/');
  const host = slash === -1 ? v : v.slice(0, slash);
  const hostErr = checkResolvableHost(host, family);
  if (hostErr) return hostErr;
  const maskErr = slash === -1 ? undefined : checkPrefixLength(v.slice(slash + 1), family);
  return maskErr ?? hostOctalNote(host, family) ?? (slash === -1 ? undefined : octalNote(v.slice(slash + 1), 'prefix length'));
};

/**
 * IPv6 network prefix for DNPT/SNPT: `prefix/length` with length 1-64 (the kernel refuses longer
 * ones and a missing length means 128) and no bits set past the length.
 */
export const checkNptPrefix: ValueCheck = (v, family) => {
  if (family !== 'ipv6') return 'network prefix translation is IPv6-only';
  const slash = v.indexOf('/');
  if (slash === -1) return `"${v}" needs a prefix length: prefix/length with length up to 64`;
  const host = v.slice(0, slash);
  if (!isPtonIPv6(host)) {
    if (/^[A-Za-z]/.test(host)) return undefined; // a host name: resolved at load time
    return `invalid IPv6 prefix "${host}"`;
  }
  const len = parseWholeUnsigned(v.slice(slash + 1), 0, 128);
  if (len === undefined) return `invalid prefix length in "${v}": expected 0-64`;
  if (len > 64) return `prefix length ${len} is too long: network prefix translation allows at most /64`;
  const bytes = ipaddr.IPv6.parse(host).toByteArray();
  for (let bit = len; bit < 128; bit++) {
    const byte = bytes[bit >> 3] ?? 0;
    if (byte & (0x80 >> (bit & 7))) return `"${v}" has bits set after the first ${len}: write the network prefix itself`;
  }
  return undefined;
};

/** DSCP class names (case-insensitive). */
export const DSCP_CLASSES: readonly string[] = [
  'CS0', 'CS1', 'CS2', 'CS3', 'CS4', 'CS5', 'CS6', 'CS7', 'BE', 'EF',
  'AF11', 'AF12', 'AF13', 'AF21', 'AF22', 'AF23', 'AF31', 'AF32', 'AF33', 'AF41', 'AF42', 'AF43',
];

/** TOS symbolic names (case-insensitive). */
export const TOS_NAMES: readonly string[] = ['Minimize-Delay', 'Maximize-Throughput', 'Maximize-Reliability', 'Minimize-Cost', 'Normal-Service'];

/** `value[/mask]` with 8-bit numbers, or a TOS name. */
export const checkTosMask: ValueCheck = (v) => {
  if (TOS_NAMES.some((n) => n.toLowerCase() === v.toLowerCase())) return undefined;
  const s = scanUnsigned(v);
  const bad = `invalid TOS "${v}": expected value[/mask] with numbers 0-255, or one of ${TOS_NAMES.join(', ')}`;
  if (!s || s.value > 255) return bad;
  // `010` is 0x08 (iptables-save after a real load shows --set-tos 0x08/0xff).
  if (s.rest === '') return octalNote(v, 'TOS value');
  if (s.rest[0] !== '/') return bad;
  if (parseWholeUnsigned(s.rest.slice(1), 0, 255) === undefined) return bad;
  return firstOctalNote(v.split('/'), 'TOS value');
};

/** CLASSIFY `major:minor`, both read as hexadecimal (sscanf "%x:%x"). */
export const checkClassId: ValueCheck = (v) => {
  if (!/^\s*[+-]?(0[xX])?[0-9a-fA-F]+:\s*[+-]?(0[xX])?[0-9a-fA-F]+/.test(v)) return `invalid class "${v}": expected major:minor in hexadecimal, e.g. 1:10`;
  // sscanf reads two hex numbers and stops; the kernel keeps 16 bits of each half (iptables-save
  // after a real load shows 1:99999 as 0001:9999 and 1:10x as 0001:0010).
  const m = /^\s*\+?(?:0[xX])?([0-9a-fA-F]+):\s*\+?(?:0[xX])?([0-9a-fA-F]+)(.*)$/.exec(v);
  if (!m) return undefined; // a sign: left as it is
  const [major, minor] = [BigInt(`0x${m[1]}`), BigInt(`0x${m[2]}`)];
  const kept = `${(major & 0xffffn).toString(16)}:${(minor & 0xffffn).toString(16)}`;
  if (major > 0xffffn || minor > 0xffffn) return `${WARNING_REASON}each half of the class keeps 16 bits: ${v} loads as ${kept}`;
  if ((m[3] as string) !== '') return `${WARNING_REASON}iptables reads the class ${kept} and skips "${m[3]}"`;
  return undefined;
};

/** TCP option names TCPOPTSTRIP knows (lower case only), with their numbers. */
export const TCP_OPTION_NAMES: Readonly<Record<string, number>> = {
  wscale: 3, mss: 2, 'sack-permitted': 4, sack: 5, timestamp: 8, md5: 19,
};

export const checkTcpOptionList: ValueCheck = (v) => {
  for (const item of v.split(',')) {
    if (item === '') return `empty item in option list "${v}"`;
    const n = TCP_OPTION_NAMES[item] ?? parseWholeUnsigned(item, 0, 255);
    if (n === undefined) return `unknown TCP option "${item}": expected a number 2-255 or one of ${Object.keys(TCP_OPTION_NAMES).join(', ')}`;
    if (n < 2) return `TCP option ${item} cannot be stripped: options 0 (end of list) and 1 (no-op) are refused`;
  }
  return undefined;
};

/** RATEEST time: a decimal number with an optional unit s/sec/secs/ms/msec/msecs/us/usec/usecs (none = microseconds). */
export function parseRateestTime(v: string): number | undefined {
  const m = /^\s*([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)(.*)$/.exec(v);
  if (!m) return undefined;
  const t = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  if (unit === '') return Math.trunc(t);
  if (['s', 'sec', 'secs'].includes(unit)) return Math.trunc(t * 1_000_000);
  if (['ms', 'msec', 'msecs'].includes(unit)) return Math.trunc(t * 1000);
  if (['us', 'usec', 'usecs'].includes(unit)) return Math.trunc(t);
  return undefined;
}

export const checkRateestTime: ValueCheck = (v) =>
  parseRateestTime(v) === undefined ? `invalid time "${v}": expected a number with unit s, ms or us (e.g. 250ms)` : undefined;

/** RATEEST's final check: the interval must be at most 8 s and the averaging constant must fit it. */
export function rateestProblems(intervalText: string, ewmaText: string): string | undefined {
  const interval = parseRateestTime(intervalText);
  const ewma = parseRateestTime(ewmaText);
  if (interval === undefined || ewma === undefined) return undefined;
  let idx = 0;
  for (; idx <= 5; idx++) if (interval <= (1 << idx) * 250_000) break;
  if (idx > 5) return `interval ${intervalText} is too long: at most 8s`;
  let log = 1;
  for (; log < 32; log++) {
    const w = 1 - 1 / 2 ** log;
    if (interval / -Math.log(w) > ewma) break;
  }
  log--;
  if (log === 0 || log >= 31) return `averaging constant ${ewmaText} does not fit interval ${intervalText}: it must be longer than the interval (and not absurdly so)`;
  return undefined;
}
