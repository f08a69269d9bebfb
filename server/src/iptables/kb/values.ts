/**
 * Value checks shared by the knowledge base. Each mirrors the userspace parser of iptables 1.8.9
 * (libxtables' xtables_parse_*, xtables_strtoui ...) closely enough that a value the real tool
 * accepts is never refused here. Where the real tool does something we cannot know at lint time
 * (a host name resolved through DNS, a user name looked up in /etc/passwd), the value is accepted.
 */
import ipaddr from 'ipaddr.js';
import { plainIPv4 } from '../../net/cidr.js';
import type { Family, ValueCheck } from './types.js';
import { nearMiss } from '../similarity.js';

/**
 * A string equal to `s` that shares no memory with a larger text. V8 cuts a slice of 13 or more
 * characters as a view into its source, so keeping the slice keeps the whole source alive: a
 * module-level cache holding words of a document would hold every document it ever saw.
 * (Shorter slices are copies already.)
 */
function detached(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** Values longer than this are not remembered (a real ruleset's repeated values are short). */
const MAX_REMEMBERED_LENGTH = 256;

/**
 * The same check, remembering its verdicts: a large ruleset repeats the same ports, addresses and
 * marks thousands of times. Only for checks whose verdict depends on the value and the family alone.
 * At most `limit` values per family are kept; when that many are known, the memory starts over
 * (a module-level cache must stay bounded whatever the input).
 */
export function remembered(check: ValueCheck, limit = 4096): ValueCheck {
  // `null` stands for "accepted", so that a miss (`undefined`) costs one lookup.
  const ipv4 = new Map<string, string | null>();
  const ipv6 = new Map<string, string | null>();
  return (v, family) => {
    const memo = family === 'ipv4' ? ipv4 : family === 'ipv6' ? ipv6 : undefined;
    const known = memo?.get(v);
    if (known !== undefined) return known ?? undefined;
    const verdict = check(v, family);
    if (memo && v.length <= MAX_REMEMBERED_LENGTH) {
      if (memo.size >= limit) memo.clear();
      memo.set(detached(v), verdict ?? null);
    }
    return verdict;
  };
}

/** The characters C's isspace() skips before a number. */
const C_SPACE = /^[ \t\n\v\f\r]*/;
/** The characters C's isspace() takes as blanks. */
export const C_SPACE_CHARS = ' \t\n\v\f\r';
const DECIMAL_DIGITS = /[0-9]+/y;
const OCTAL_DIGITS = /[0-7]+/y;
const HEX_DIGITS = /[0-9a-fA-F]+/y;
const HEX_DIGIT = /^[0-9a-fA-F]$/;
/** A decimal number without a leading zero that fits in 64 bits: what nearly every value is. */
const PLAIN_DECIMAL = /^(?:0|[1-9][0-9]{0,18})$/;

/** What C's strtoumax read from the start of a text. */
export interface CNumberScan {
  /** The number as strtoumax returns it: negated modulo 2^64 after a minus sign, 2^64 - 1 on overflow. */
  readonly value: bigint;
  /** Where reading stopped (the index of the first character not read). */
  readonly end: number;
  /** A minus sign came before the digits (libxtables refuses those). */
  readonly negative: boolean;
  /** The digits overflowed 64 bits (strtoumax sets ERANGE). */
  readonly overflow: boolean;
}

const U64 = 0xffffffffffffffffn;

/**
 * C's strtoumax(text, &end, base) for base 0 (`0x` hex, leading-0 octal, decimal) or 10: leading
 * blanks, an optional sign, then as many digits as it can read. `0x` without a hex digit after it
 * reads as the number 0 followed by `x`. Undefined when no digit is read (end would be the start).
 */
export function scanCUnsigned(text: string, base: 0 | 10 = 0): CNumberScan | undefined {
  let i = 0;
  while (i < text.length && C_SPACE_CHARS.includes(text[i] as string)) i++;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-';
    i++;
  }
  let digits = DECIMAL_DIGITS;
  let prefix = '';
  if (base === 0 && text[i] === '0') {
    if ((text[i + 1] === 'x' || text[i + 1] === 'X') && HEX_DIGIT.test(text[i + 2] ?? '')) {
      digits = HEX_DIGITS;
      prefix = '0x';
      i += 2;
    } else {
      digits = OCTAL_DIGITS;
      prefix = '0o';
    }
  }
  digits.lastIndex = i;
  const m = digits.exec(text);
  if (!m) return undefined;
  const end = i + m[0].length;
  let value = BigInt(prefix + m[0]);
  const overflow = value > U64;
  if (overflow) value = U64;
  else if (negative && value !== 0n) value = (U64 + 1n - value) & U64;
  return { value, end, negative, overflow };
}

/**
 * A whole word read as libxtables' xtables_strtoul reads it without an end pointer (the XTTYPE_UINT*
 * option types, xtables_strtoui, xtables_parse_protocol's numbers): blanks and `+` allowed before
 * the number, no minus sign, no overflow, nothing after it. Returns the number.
 */
export function parseUnsignedBig(text: string): bigint | undefined {
  if (PLAIN_DECIMAL.test(text)) return BigInt(text);
  const n = scanCUnsigned(text);
  if (!n || n.negative || n.overflow || n.end !== text.length) return undefined;
  return n.value;
}

/** `parseUnsignedBig` as a JavaScript number (exact up to 2^53). */
export function parseUnsigned(text: string): number | undefined {
  const n = parseUnsignedBig(text);
  return n === undefined ? undefined : Number(n);
}

/**
 * C's atoll (strtoll base 10, clamped to the 64-bit signed range): blanks, a sign, decimal digits,
 * anything after them ignored; 0 when there are none. The rate parsers of limit and hashlimit use it.
 */
export function cAtoll(text: string): bigint {
  const n = scanCUnsigned(text, 10);
  if (!n) return 0n;
  const max = 0x7fffffffffffffffn;
  const magnitude = n.negative ? (n.overflow ? U64 : (U64 + 1n - n.value) & U64) : n.value;
  if (n.negative) return magnitude > max + 1n ? -(max + 1n) : -magnitude;
  return magnitude > max ? max : magnitude;
}

/** C's atoi on a 64-bit Linux: atoll's value cut to 32 bits, as a signed int. */
export function cAtoi(text: string): number {
  return Number(BigInt.asIntN(32, cAtoll(text)));
}

/**
 * Where C's strtod stops reading `text` (0 when it reads no number): blanks, a sign, then a decimal
 * number with an optional fraction and exponent, a hexadecimal one (`0x1.8p3`), `inf`, `infinity` or
 * `nan` in any case (`nan(...)` too). rateest reads its byte rates this way.
 */
export function strtodEnd(text: string): number {
  const lead = (C_SPACE.exec(text) as RegExpExecArray)[0].length;
  const rest = text.slice(lead);
  const m =
    /^[+-]?(?:0[xX](?:[0-9a-fA-F]+(?:\.[0-9a-fA-F]*)?|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|(?:infinity|inf)|nan(?:\([0-9A-Za-z_]*\))?)/i.exec(rest);
  // `0x` without a hex digit after it takes the decimal branch: the number 0, then `x`.
  return m ? lead + m[0].length : 0;
}

/** What C's strtod reads from the start of `text`: its value and where it stops; undefined when it reads no number. */
export function cStrtod(text: string): { readonly value: number; readonly end: number } | undefined {
  const end = strtodEnd(text);
  if (end === 0) return undefined;
  const t = text.slice(0, end).replace(C_SPACE, '');
  const sign = t[0] === '-' ? -1 : 1;
  const body = t[0] === '-' || t[0] === '+' ? t.slice(1) : t;
  const lower = body.toLowerCase();
  if (lower.startsWith('nan')) return { value: Number.NaN, end };
  if (lower.startsWith('inf')) return { value: sign * Number.POSITIVE_INFINITY, end };
  if (lower.startsWith('0x')) {
    // Hexadecimal digits, an optional fraction and a binary exponent (`0x1.8p3` is 12).
    const m = /^0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?[0-9]+))?$/.exec(lower);
    if (!m) return { value: Number.NaN, end }; // not reached: strtodEnd read exactly this shape
    const whole = m[1] ?? '';
    const fraction = m[2] ?? '';
    let value = 0;
    for (const d of whole + fraction) value = value * 16 + parseInt(d, 16);
    return { value: sign * value * 2 ** (Number(m[3] ?? 0) - 4 * fraction.length), end };
  }
  return { value: sign * Number(body), end };
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
  echo: 7, discard: 9, daytime: 13, chargen: 19, time: 37, whois: 43, finger: 79, nntp: 119, ftp: 21, 'ftp-data': 20, ssh: 22, telnet: 23, smtp: 25, domain: 53, bootps: 67, bootpc: 68, tftp: 69, http: 80, www: 80,
  kerberos: 88, pop3: 110, sunrpc: 111, auth: 113, ntp: 123, 'netbios-ns': 137, 'netbios-dgm': 138, 'netbios-ssn': 139,
  imap: 143, imap2: 143, snmp: 161, 'snmp-trap': 162, bgp: 179, ldap: 389, https: 443, 'microsoft-ds': 445, isakmp: 500,
  syslog: 514, submission: 587, ldaps: 636, rsync: 873, imaps: 993, pop3s: 995, openvpn: 1194, 'ms-sql-s': 1433, mysql: 3306,
  nfs: 2049, postgresql: 5432, 'x11': 6000, 'http-alt': 8080, ipp: 631, sip: 5060, 'domain-s': 853, submissions: 465,
  smtps: 465, 'ipsec-nat-t': 4500, microsoft: 445, webcache: 8080, dhcpv6_client: 546, 'dhcpv6-client': 546, 'dhcpv6-server': 547,
};

/**
 * A port: a number 0-65535 (decimal, 0x hex, 0 octal) or a service name. Unknown names are
 * accepted (the host's /etc/services decides), but a name with characters no service name has is refused.
 */
export const checkPort: ValueCheck = remembered((v) => parsePortStrict(v).error);

/**
 * `port`, `port:port`, `:port`, `port:` (open ends mean 0 and 65535), as the tcp and sctp matches
 * read it: the first port must not be above the second.
 */
export const checkPortRange: ValueCheck = remembered((v) => {
  const parts = v.split(':');
  if (parts.length > 2) return `invalid port range "${v}": expected port[:port]`;
  if (parts.length === 1) return parsePortStrict(v).error ?? firstOctalNote(parts, 'port');
  const [a, b] = parts as [string, string];
  const pa = a === '' ? { port: 0 } : parsePortStrict(a);
  const pb = b === '' ? { port: 65535 } : parsePortStrict(b);
  if (pa.error) return pa.error;
  if (pb.error) return pb.error;
  if (pa.port !== undefined && pb.port !== undefined && pa.port > pb.port) return `port range ${v} is inverted (${pa.port} > ${pb.port})`;
  return firstOctalNote(parts, 'port');
});

/**
 * A comma-separated list of ports and `first:last` ranges as `-m multiport` reads it: no open
 * ends, a range's first port must be below its last, and at most `max` slots (a range takes two).
 */
export function portList(max = 15): ValueCheck {
  return remembered((v) => {
    const items = v.split(',');
    let count = 0;
    let note: string | undefined; // a warning, once no item is refused
    for (const item of items) {
      const parts = item.split(':');
      if (parts.length > 2 || parts.some((p) => p === '')) return `invalid port "${item}" in "${v}": expected port or first:last`;
      const ports = parts.map((p) => parsePortStrict(p));
      const bad = ports.find((p) => p.error);
      if (bad) return bad.error;
      const [a, b] = ports as [{ port?: number }, { port?: number } | undefined];
      if (b && a.port !== undefined && b.port !== undefined && a.port >= b.port) return `invalid port range "${item}": the first port must be below the last`;
      count += parts.length;
      note ??= firstOctalNote(parts, 'port');
    }
    if (count > max) return `too many ports (${count} slots, at most ${max}; a range counts as two)`;
    return note;
  });
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;

/**
 * True when the text looks like a DNS name iptables would try to resolve (not an address). A word
 * of hex letters is a name too (`cafe`, `bad`: /etc/hosts may have them); an IPv6 address has a colon.
 */
export function isHostName(v: string): boolean {
  return HOSTNAME.test(v) && !/^[0-9.]+$/.test(v);
}

/**
 * Whether `v[from, to)` is one to four dot-separated decimal parts up to 255 without leading zeros,
 * without building its parts (the common case of `isIPv4`; other forms are left to the C-number
 * readers).
 */
function isLooseIPv4(v: string, from = 0, to = v.length): boolean {
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = from; i < to; i++) {
    const c = v.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      // A part with a leading zero is octal to the C parsers (`010` is 8, `08` is refused): not this form.
      if (digits === 1 && value === 0) return false;
      digits++;
      if (value <= 255) value = value * 10 + (c - 48);
    } else if (c === 46 && digits > 0 && parts < 3) {
      if (value > 255) return false;
      parts++;
      value = 0;
      digits = 0;
    } else return false;
  }
  return digits > 0 && value <= 255;
}

/**
 * An IPv4 address as the C library's inet_aton reads it when nothing may follow (getaddrinfo with a
 * numeric host): one to four parts separated by dots, each a C number (`0x` hex, leading-0
 * octal) that starts with a digit; the last part fills the bytes left (`10.1` is 10.0.0.1, `256`
 * is 0.0.1.0).
 */
export function isInetAton(v: string): boolean {
  return inetAtonValue(v) !== undefined;
}

/** The 32-bit address `isInetAton` reads, or undefined when inet_aton refuses the text. */
export function inetAtonValue(v: string): number | undefined {
  const parts = v.split('.');
  if (parts.length > 4) return undefined;
  const lastMax = [0xffffffffn, 0xffffffn, 0xffffn, 0xffn][parts.length - 1] as bigint;
  let value = 0n;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string;
    if (!/^[0-9]/.test(p)) return undefined;
    const n = parseUnsignedBig(p);
    if (n === undefined || n > (i === parts.length - 1 ? lastMax : 0xffn)) return undefined;
    value = i === parts.length - 1 ? value | n : value | (n << BigInt(24 - 8 * i));
  }
  return Number(value);
}

/**
 * libxtables' own reading of a numeric IPv4 address (numeric_to_ipaddr), which -s, -d and most
 * address options try before the resolver and which iprange uses alone: one to four parts split at
 * dots, each a whole xtables_strtoui number up to 255 (blanks and a "+" before it, `0x` hex,
 * leading-0 octal); missing parts are zero (`10` is 10.0.0.0). It reads the first 19 characters.
 */
export function isNumericIPv4(v: string): boolean {
  return numericIPv4Parts(v) !== undefined;
}

/** The address `isNumericIPv4` reads (missing parts are zero: `10.1` is 10.1.0.0), dotted, or undefined. */
export function numericIPv4Text(v: string): string | undefined {
  const parts = numericIPv4Parts(v);
  if (!parts) return undefined;
  while (parts.length < 4) parts.push(0);
  return parts.join('.');
}

/** The parts `isNumericIPv4` reads, as written (one to four), or undefined. */
function numericIPv4Parts(v: string): number[] | undefined {
  const texts = (v.length > 19 ? v.slice(0, 19) : v).split('.');
  if (texts.length > 4) return undefined;
  const parts: number[] = [];
  for (const p of texts) {
    const n = parseUnsignedBig(p);
    if (n === undefined || n > 255n) return undefined;
    parts.push(Number(n));
  }
  return parts;
}

/** A 32-bit address as four decimal parts. */
export function dottedIPv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff].join('.');
}

/**
 * An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, also spelt `::ffff:102:304` or
 * `0:0:0:0:0:ffff:1.2.3.4`), which the resolver turns into its IPv4 address: -s/-d and the options
 * that read IPv4 addresses or netmasks through getaddrinfo take it (found with the real tools).
 * inet_pton reads the text: an IPv4 part is four decimal numbers up to 255 without leading zeros
 * (`::ffff:010.1.1.1` is refused); no zone, brackets or blanks.
 */
export function isV4Mapped(v: string): boolean {
  return isPtonIPv6(v) && ipaddr.IPv6.parse(v).isIPv4MappedAddress();
}

/**
 * IPv6 text as inet_pton reads it: groups of hex digits, an embedded IPv4 part of four decimal
 * numbers up to 255 without leading zeros (`::1.2.3.04` is refused), no zone, brackets or blanks.
 */
export function isPtonIPv6(v: string): boolean {
  if (v.indexOf(':') === -1 || /[%[\]/\s]/.test(v)) return false;
  const tail = v.slice(v.lastIndexOf(':') + 1);
  if (tail.indexOf('.') !== -1 && plainIPv4(tail) === -1) return false;
  return ipaddr.IPv6.isValid(v);
}

/**
 * A numeric IPv6 host as getaddrinfo reads it (-s/-d, conntrack's addresses, TEE's gateway ...):
 * inet_pton's text and an optional scope after `%`. glibc takes as scope an interface name for a
 * link-local unicast or node- or link-local multicast address (whether the interface exists is the
 * host's business: any valid name is taken), else a decimal number up to 2^32-1 (`::1%1` loads,
 * `::1%lo` and `fe80::1%` do not).
 */
export function isResolverIPv6(v: string): boolean {
  const pct = v.indexOf('%');
  if (pct === -1) return isPtonIPv6(v);
  const address = v.slice(0, pct);
  const scope = v.slice(pct + 1);
  if (!isPtonIPv6(address)) return false;
  const [first = 0] = ipaddr.IPv6.parse(address).parts;
  const scoped = (first & 0xffc0) === 0xfe80 || ((first & 0xff00) === 0xff00 && ((first & 0xf) === 1 || (first & 0xf) === 2));
  if (scoped && isInterfaceName(scope)) return true;
  return /^[0-9]+$/.test(scope) && BigInt(scope) <= 0xffffffffn;
}

/** A name the kernel takes for a network interface (dev_valid_name): 1-15 characters, no `/`, `:` or blank, not `.` or `..`. */
export function isInterfaceName(v: string): boolean {
  return v.length > 0 && v.length < 16 && v !== '.' && v !== '..' && !/[/:\s]/.test(v);
}

export function isIPv4(v: string): boolean {
  return isLooseIPv4(v) || (ipaddr.IPv4.isValid(v) && !v.includes(':'));
}

export function isIPv6(v: string): boolean {
  return v.includes(':') && ipaddr.IPv6.isValid(v.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
}

/**
 * An address as iptables reads it past leading blanks (a quoted value may have them): each number
 * of an IPv4 address is read with strtoul, which skips them, and so does the host lookup of an
 * IPv6 address (`" 1.2.3.4"`, `"1. 2.3.4"` and `" ::1"` load).
 */
function pastLeadingBlanks(v: string, family: Family): string {
  return family === 'ipv4' ? v.split('.').map((p) => p.replace(/^\s+/, '')).join('.') : v.replace(/^\s+/, '');
}

/** Checks a single host address (no mask) of the family; host names are accepted. */
export const checkHost: ValueCheck = (v, family) => {
  if (v === '') return 'empty address';
  if (/^\s|\.\s/.test(v)) {
    const bare = pastLeadingBlanks(v, family);
    if (bare !== '' && bare !== v) return checkHost(bare, family);
  }
  if (family === 'ipv4') {
    if (isIPv4(v) || isNumericIPv4(v)) return undefined;
    if (isV4Mapped(v)) return undefined;
    if (isIPv6(v)) return `"${v}" is an IPv6 address in an IPv4 ruleset`;
  } else {
    if (isResolverIPv6(v)) return undefined;
    if (isIPv4(v) && v.split('.').length === 4) return `"${v}" is an IPv4 address in an IPv6 ruleset`;
  }
  if (isHostName(v)) return undefined;
  return `invalid ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address "${v}"`;
};

/** A prefix length or (IPv4) a dotted mask, read as libxtables reads them. */
export function checkMask(mask: string, family: Family): string | undefined {
  const max = family === 'ipv4' ? 32n : 128n;
  if (family === 'ipv4' && mask.includes('.')) {
    // Four parts, each a C number up to 255 (`255.255.0x0.0` and `0377.0.0.0` load).
    const parts = mask.split('.');
    const ok = parts.length === 4 && parts.every((p) => {
      const n = parseUnsignedBig(p);
      return n !== undefined && n <= 255n;
    });
    return ok ? undefined : `invalid mask "${mask}": expected 0-32 or a dotted mask`;
  }
  if (family === 'ipv6' && mask.includes(':')) {
    return isPtonIPv6(mask) ? undefined : `invalid mask "${mask}"`;
  }
  // A C number: `010` is 8, `0x20` 32, `+8` 8; `08` is refused.
  const n = parseUnsignedBig(mask);
  if (n === undefined || n > max) return `invalid mask "${mask}": the prefix length must be 0-${max}`;
  return undefined;
}

/**
 * `a.b.c.d` or `a.b.c.d/N` (N a prefix length 0-32 without a leading zero) with the address in
 * `isLooseIPv4`'s form: what nearly every IPv4 ruleset writes, and accepted by `addressList`
 * without further ado.
 */
function isPlainIPv4Network(v: string): boolean {
  const slash = v.indexOf('/');
  if (slash === -1) return isLooseIPv4(v);
  const maskLength = v.length - slash - 1;
  if (maskLength < 1 || maskLength > 2) return false;
  const first = v.charCodeAt(slash + 1) - 48;
  if (first < 0 || first > 9) return false;
  let prefix = first;
  if (maskLength === 2) {
    const second = v.charCodeAt(slash + 2) - 48;
    if (first === 0 || second < 0 || second > 9) return false;
    prefix = first * 10 + second;
  }
  return prefix <= 32 && isLooseIPv4(v, 0, slash);
}

/** `address[/mask]`, possibly a comma-separated list (`-s a,b`), as `-s`/`-d` take it. */
export function addressList(allowList: boolean): ValueCheck {
  // Plain IPv4 networks are told apart faster than remembered (a ruleset names thousands of hosts once).
  const general = addressListGeneral(allowList);
  return (v, family) => (family === 'ipv4' && isPlainIPv4Network(v) ? undefined : general(v, family));
}

function addressListGeneral(allowList: boolean): ValueCheck {
  return remembered((v, family) => {
    const items = allowList ? v.split(',') : [v];
    for (const item of items) {
      if (item === '') return `empty address in "${v}"`;
      const slash = item.indexOf('/');
      const host = slash === -1 ? item : item.slice(0, slash);
      const mask = slash === -1 ? undefined : item.slice(slash + 1);
      const m = mask === undefined ? undefined : checkMask(mask, family);
      // -s and -d read no host when the mask is zero ("any/0", `foo/0` and `1.2.3.4.5/0` load).
      if (mask !== undefined && !m && allowList && isZeroMask(mask, family)) continue;
      // The host first: an address of the other family is family-mismatch's, whatever its mask.
      const e = checkHost(host, family);
      if (e) return e;
      if (m) return m;
    }
    for (const item of items) {
      const note = addressOctalNote(item, family);
      if (note) return note;
    }
    return undefined;
  });
}

/**
 * A warning for a numeric address or prefix length of `-s`/`-d` that loads as another: libxtables
 * reads each part as a C number, so a leading 0 makes it octal (`192.168.010.020` is 192.168.8.16,
 * `/024` is /20; iptables-save after a real load shows both). `001` is 1 either way: no warning.
 */
function addressOctalNote(item: string, family: Family): string | undefined {
  const slash = item.indexOf('/');
  const host = slash === -1 ? item : item.slice(0, slash);
  const note = family === 'ipv4' && isNumericIPv4(host) ? ipv4OctalNote(host) : undefined;
  if (note) return note;
  const mask = slash === -1 ? '' : item.slice(slash + 1);
  return mask.includes('.') || mask.includes(':') ? undefined : octalNote(mask, 'prefix length');
}

/** Whether a mask that `checkMask` takes is zero (`0`, `0x0`, `0.0.0.0`, `::`). */
export function isZeroMask(mask: string, family: Family): boolean {
  if (family === 'ipv4' && mask.includes('.')) return mask.split('.').every((p) => parseUnsignedBig(p) === 0n);
  if (family === 'ipv6' && mask.includes(':')) return /^[0:]*$/.test(mask);
  return parseUnsignedBig(mask) === 0n;
}

/**
 * A host as the options read through libxtables' getaddrinfo read it (XTTYPE_HOST and the host of
 * XTTYPE_HOSTMASK: TEE, TPROXY, NETMAP, conntrack, policy, ipvs). IPv4: inet_aton's forms (`127.1`,
 * `0x7f.1`) or an IPv4-mapped IPv6 address; IPv6: inet_pton's forms with an optional scope. A name
 * is left to the resolver. Unlike `-s`, no leading blank is skipped (`" ::1"` is refused here and
 * loads in `-s`).
 */
export const checkResolvableHost: ValueCheck = (v, family) => {
  if (family === 'ipv4') {
    if (isInetAton(v) || isV4Mapped(v)) return undefined;
    if (isIPv6(v)) return `"${v}" is an IPv6 address in an IPv4 ruleset`; // also one no reader takes (`[::1]`)
  } else {
    if (isResolverIPv6(v)) return undefined;
    if (plainIPv4(v) !== -1) return `"${v}" is an IPv4 address in an IPv6 ruleset`;
  }
  if (isHostName(v)) return undefined; // the resolver decides
  return `invalid ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address "${v}"`;
};

/**
 * `address[/mask]` as the XTTYPE_HOSTMASK options read it (conntrack's --ctorigsrc and the like,
 * policy's --tunnel-src): the address through the resolver only (inet_aton forms such as `256`,
 * not libxtables' `+1`), the mask a prefix length up to 32 or 128 or an address of the family
 * (for IPv4 any inet_aton form: `/1.2`, `/4294967295` and `/200` load), and a zero mask reads the
 * address all the same (found with the real tools).
 */
export const checkHostMask: ValueCheck = (v, family) => {
  const slash = v.indexOf('/');
  const host = slash === -1 ? v : v.slice(0, slash);
  const hostError = checkResolvableHost(host, family);
  if (hostError) return hostError;
  if (slash === -1) return hostOctalNote(host, family);
  const mask = v.slice(slash + 1);
  const max = family === 'ipv4' ? 32n : 128n;
  const n = parseUnsignedBig(mask);
  if (n !== undefined && n <= max) return hostOctalNote(host, family) ?? octalNote(mask, 'prefix length');
  if (family === 'ipv4' ? isInetAton(mask) || isV4Mapped(mask) : isPtonIPv6(mask)) return hostOctalNote(host, family);
  return `invalid mask "${mask}": expected a prefix length 0-${max} or a netmask`;
};

/**
 * The octal warning of an IPv4 address that inet_aton reads (the resolver's options: conntrack's
 * addresses, TEE's gateway, TPROXY's address ...): a part with a leading 0 is octal there too
 * (`192.168.1.010` is 192.168.1.8, `010.0.0.1` 8.0.0.1; iptables-save after a real load shows
 * both). Undefined for any other address.
 */
export function hostOctalNote(address: string, family: Family): string | undefined {
  if (family !== 'ipv4') return undefined;
  const value = inetAtonValue(address);
  if (value === undefined) return undefined;
  return partsOctalNote(address, () => dottedIPv4(value));
}

/**
 * A warning for a prefix-length option of type XTTYPE_PLENMASK (connlimit's --connlimit-mask,
 * HMARK's prefixes) given a netmask with holes: iptables 1.8.9 reads a value that is no prefix
 * length as a netmask (inet_aton's forms in IPv4: `24.5` is 24.0.0.5, `288` is 0.0.1.32), and a
 * netmask that is not contiguous becomes all ones, /32 or /128 (iptables-save after a real load
 * shows it). Undefined for a contiguous netmask or anything else.
 */
export function netmaskHolesNote(v: string, family: Family): string | undefined {
  if (family === 'ipv4') {
    const value = inetAtonValue(v);
    if (value === undefined) return undefined;
    const inverse = ~value >>> 0;
    if ((inverse & (inverse + 1)) === 0) return undefined;
    return `${WARNING_REASON}"${v}" is not a prefix length, so iptables reads it as the netmask ${dottedIPv4(value)}, which has holes, and then uses /32: the whole address`;
  }
  const address = v.replace(/%.*$/, '');
  if (!isPtonIPv6(address) || ipaddr.IPv6.parse(address).prefixLengthFromSubnetMask() !== null) return undefined;
  return `${WARNING_REASON}the netmask ${v} has holes, and iptables then uses /128: the whole address`;
}

/** {@link checkResolvableHost} with the octal warning of {@link hostOctalNote}: a single host of TEE or TPROXY. */
export const checkResolvableHostNoted: ValueCheck = (v, family) => checkResolvableHost(v, family) ?? hostOctalNote(v, family);

export const checkAddressMask: ValueCheck = addressList(false);
export const checkAddressMaskList: ValueCheck = addressList(true);

/**
 * `addr[-addr]` (iprange): one or two numeric addresses of the family, no masks. A reversed range
 * loads (the kernel only logs that it never matches): a warning, see `addressRangeMisreading`.
 */
export const checkAddressRange: ValueCheck = (v, family) => {
  const dash = v.indexOf('-');
  const parts = dash === -1 ? [v] : [v.slice(0, dash), v.slice(dash + 1)];
  for (const p of parts) {
    // libxtables' numeric reading only, no resolver: `256` is refused, `10` is 10.0.0.0, `+1` loads.
    if (family === 'ipv4' ? !isNumericIPv4(p) : !isPtonIPv6(p)) {
      return `invalid address range "${v}": expected ${family === 'ipv4' ? 'a.b.c.d[-e.f.g.h]' : 'an IPv6 address[-address]'} (numeric, no mask)`;
    }
  }
  return addressRangeMisreading(parts, family);
};

/**
 * A warning for an iprange range that loads as something else than it says (iptables-save after
 * a real load shows each): an end with fewer parts than the start is filled with zeros, not from
 * the start (`10.0.0.1-50` ends at 50.0.0.0), a part with a leading 0 is octal (`10.0.0.010` is
 * 10.0.0.8), and a range that starts above its end matches no address (the kernel only logs it).
 */
function addressRangeMisreading(parts: readonly string[], family: Family): string | undefined {
  if (family === 'ipv4') {
    const [from, to] = parts as [string, string | undefined];
    const a = numericIPv4Parts(from) as number[];
    const fromDots = from.split('.').length;
    const toDots = to === undefined ? 4 : to.split('.').length;
    if (to !== undefined && toDots < fromDots) {
      // `10.0.0.1-50` is the common way to mean 10.0.0.1-10.0.0.50 (offered when that is a range in
      // order); other short ends are not guessed at.
      const last = toDots === 1 && fromDots === 4 ? parseUnsignedBig(to) : undefined;
      const meant = last !== undefined && last <= 255n && last >= BigInt(a[3] as number) ? [...a.slice(0, 3), Number(last)].join('.') : undefined;
      const hint = meant ? `; for the range up to ${meant} write ${numericIPv4Text(from)}-${meant}` : '';
      return `${WARNING_REASON}the end ${to} reads as ${numericIPv4Text(to)} (its missing parts are zeros, not those of the start)${hint}`;
    }
    const note = ipv4OctalNote(from) ?? (to === undefined ? undefined : ipv4OctalNote(to));
    if (note) return note;
    if (to !== undefined) {
      const b = numericIPv4Parts(to) as number[];
      const value = (xs: number[]): number => [0, 1, 2, 3].reduce((acc, k) => acc * 256 + (xs[k] ?? 0), 0);
      if (value(a) > value(b)) return backwardsRange(`the range ${from}-${to} starts above its end`, 'address');
    }
    return undefined;
  }
  const [from, to] = parts;
  if (to === undefined) return undefined;
  if (addressAbove(from as string, to, 'ipv6')) return backwardsRange(`the range ${from}-${to} starts above its end`, 'address');
  return undefined;
}

/** Whether numeric address `a` (dotted quad in IPv4) is above `b`, byte by byte. */
export function addressAbove(a: string, b: string, family: Family): boolean {
  const bytes = (x: string): number[] => (family === 'ipv4' ? ipaddr.IPv4.parse(x) : ipaddr.IPv6.parse(x)).toByteArray();
  const [x, y] = [bytes(a), bytes(b)];
  const k = x.findIndex((v, i) => v !== y[i]);
  return k !== -1 && (x[k] as number) > (y[k] as number);
}

/**
 * The start of a value check's reason for a value the tools accept but that cannot work (reported as
 * a warning by bad-value, not as a refusal).
 */
export const WARNING_REASON = 'accepted with a warning: ';

/**
 * A warning for a string longer than the kernel's structure keeps: both backends cut it to `max`
 * bytes without a word (each length measured with iptables-save after a real load). `effect` says
 * what the cut does; a short kept part is shown.
 */
export function cutSilently(v: string, max: number, what: string, effect: string): string | undefined {
  if (v.length <= max / 3) return undefined; // at most three UTF-8 bytes per UTF-16 unit
  const bytes = Buffer.byteLength(v, 'utf8');
  if (bytes <= max) return undefined;
  const kept = max <= 64 ? ` ("${Buffer.from(v, 'utf8').subarray(0, max).toString('utf8')}")` : '';
  return `${WARNING_REASON}the ${what} is ${bytes} bytes long and iptables keeps only the first ${max}${kept}, silently: ${effect}`;
}

/**
 * A warning for a name with a blank or a double quote (recent's list, hashlimit's table, IDLETIMER's
 * label): it loads, but iptables-save writes it without quotes, and restoring that output fails
 * ("Bad argument") or reads another name (`a"b` comes back as `ab`), as a saved ruleset is restored
 * at boot.
 */
export function savedUnquoted(v: string, what: string): string | undefined {
  if (!/[ \t"]/.test(v)) return undefined;
  return `${WARNING_REASON}the ${what} "${v}" has a ${v.includes('"') ? 'double quote' : 'blank'}: it loads, but iptables-save writes it as it is, without quotes, and restoring the saved rules fails or reads another name (as at boot)`;
}

/** The warning for a range that loads written backwards: `subject` says how, `items` what it matches none of. */
export function backwardsRange(subject: string, items: string): string {
  return `${WARNING_REASON}${subject}, so it matches no ${items} (negated, every ${items})`;
}

/** Whether a value check's reason is a warning (see `WARNING_REASON`). */
export function isWarningReason(reason: string): boolean {
  return reason.startsWith(WARNING_REASON);
}

/**
 * A name the kernel makes a file of (`/proc/net/xt_recent/NAME`, `/proc/net/ipt_hashlimit/NAME`):
 * `.`, `..` and names with a `/` are refused when the rule is loaded (RULE_APPEND failed: Invalid
 * argument), by both backends' kernels; `--test` of the legacy backend does not see it.
 */
export function procFileNameProblem(v: string, what: string): string | undefined {
  if (v === '.' || v === '..' || v.includes('/')) return `${what} "${v}" cannot be a file name in /proc (it is ".", ".." or has a "/"): the kernel refuses the rule when it is loaded`;
  return undefined;
}

/**
 * Interface names as iptables checks them: at most 15 characters. A blank or "/" in the name only
 * gets iptables' warning ("weird character in interface"); no interface can have such a name.
 * Names that load silently but are surely meant as something else get a warning too: `!eth0`
 * (the old negation), `eth0:1` (an alias label; the kernel allows no ":" in a name), `eth0,eth1`
 * (a list) and `eth*` (a glob).
 */
export const checkInterface: ValueCheck = (v) => {
  if (v.length === 0) return 'empty interface name';
  if (v.length > 15) return `interface name "${v}" is longer than 15 characters`;
  if (/[\s/]/.test(v)) return `${WARNING_REASON}interface name "${v}" contains a blank or "/": iptables-restore loads it with a warning ("weird character in interface"), but no interface has such a name, so this never matches`;
  // Loaded without a word, and almost surely not what was meant.
  if (v.length > 1 && v[0] === '!') return `${WARNING_REASON}"${v}" is read as an interface named "${v}", not as a negation, so this never matches: put the "!" before the option (! -i ${v.slice(1)})`;
  if (v.includes(':')) return `${WARNING_REASON}interface name "${v}" has a ":": an alias label is not an interface (packets arrive on ${v.slice(0, v.indexOf(':')) || 'the device itself'}) and the kernel allows no ":" in interface names, so this never matches`;
  if (v.includes(',')) return `${WARNING_REASON}"${v}" is one interface name with a comma in it, not a list: iptables takes one interface per rule (a trailing "+" matches a prefix), so this never matches`;
  if (v.includes('*')) return `${WARNING_REASON}interface name "${v}" has a "*": iptables has no glob; the wildcard is a trailing "+" (${v.replace(/\*+$/, '')}+), so this never matches`;
  // `vnet+0`: only a "+" at the end is a wildcard (iptables-save shows the name as written).
  if (v.slice(0, -1).includes('+')) {
    const matched = v.endsWith('+') ? `only names that start with "${v.slice(0, -1)}", that "+" included` : `only an interface named "${v}"`;
    return `${WARNING_REASON}interface name "${v}" has a "+" before its last character: "+" is a wildcard only at the end of the name, so this matches ${matched}`;
  }
  return undefined;
};

/** Protocol names known to iptables without /etc/protocols (its built-in table) plus common ones. */
/**
 * The IPv6 extension headers ip6tables skips before it compares -p (its is_exthdr: routing,
 * fragment, AH, destination options), by protocol number: the name /etc/protocols gives each, and
 * the match that looks at it. `-p` of one of them never matches in ip6tables.
 */
export const IPV6_EXTENSION_HEADERS: ReadonlyMap<number, { readonly name: string; readonly match: string }> = new Map([
  [43, { name: 'ipv6-route', match: 'rt' }],
  [44, { name: 'ipv6-frag', match: 'frag' }],
  [51, { name: 'ah', match: 'ah' }],
  [60, { name: 'ipv6-opts', match: 'dst' }],
]);

/** The IPv6 extension header a `-p` value names, by name (any case) or as a C number, when it names one. */
export function ipv6ExtensionHeader(protocol: string): { readonly name: string; readonly match: string } | undefined {
  const lower = protocol.toLowerCase();
  const n = parseUnsigned(lower);
  if (n !== undefined) return IPV6_EXTENSION_HEADERS.get(n);
  for (const header of IPV6_EXTENSION_HEADERS.values()) if (header.name === lower) return header;
  return undefined;
}

export const PROTOCOL_NAMES: readonly string[] = [
  'tcp', 'udp', 'udplite', 'icmp', 'icmpv6', 'ipv6-icmp', 'esp', 'ah', 'sctp', 'mh', 'ipv6-mh', 'dccp', 'gre', 'all',
  'igmp', 'ipip', 'ipencap', 'ipv6', 'ipv6-route', 'ipv6-frag', 'ipv6-nonxt', 'ipv6-opts', 'ospf', 'pim', 'vrrp', 'l2tp', 'rsvp', 'egp', 'encap', 'ip', 'hopopt',
];

export const checkProtocol: ValueCheck = remembered((v) => {
  const n = parseUnsigned(v);
  // `017` is 15, not UDP (iptables-save after a real load shows -p 15).
  if (n !== undefined) return n <= 255 ? octalNote(v, 'protocol number') : `protocol number ${v} is out of range 0-255`;
  if (/^[A-Za-z][A-Za-z0-9._+-]*$/.test(v)) return undefined; // /etc/protocols decides; see unknown-protocol hint
  if (/^[^,]+(,[^,]+)+$/.test(v)) return `invalid protocol "${v}": a rule matches one protocol, not a list; write one rule for each (${v.split(',').map((p) => `-p ${p}`).join(', ')})`;
  return `invalid protocol "${v}": expected a name such as tcp, udp, icmp or a number 0-255`;
});

/**
 * ` (did you mean "x"?)` when a refused word is close to one of the names: a near miss (one or two
 * letters off, or another case), else the only name it begins (`warn` for `warning`). Empty otherwise.
 */
export function didYouMean(v: string, names: readonly string[]): string {
  let hit = nearMiss(v, names);
  if (hit === undefined && v.length >= 3) {
    const lower = v.toLowerCase();
    const starts = names.filter((n) => n.toLowerCase().startsWith(lower));
    if (starts.length === 1) hit = starts[0];
  }
  return hit === undefined ? '' : ` (did you mean "${hit}"?)`;
}

const SUGGESTED = /"([^"]+)" \(did you mean "([^"]+)"\?\)/;

/** The refused item and the name `didYouMean` put after it in a value check's reason, when it did. */
export function suggestionIn(reason: string): { readonly item: string; readonly name: string } | undefined {
  const m = SUGGESTED.exec(reason);
  return m ? { item: m[1] as string, name: m[2] as string } : undefined;
}

/** One of a fixed set of words, case-insensitively unless `caseSensitive`. */
export function oneOf(values: readonly string[], what = 'value', caseSensitive = false): ValueCheck {
  const set = new Set(caseSensitive ? values : values.map((s) => s.toLowerCase()));
  return (v) => (set.has(caseSensitive ? v : v.toLowerCase()) ? undefined : `invalid ${what} "${v}"${didYouMean(v, values)}: expected one of ${values.join(', ')}`);
}

/**
 * A word that begins with one of the names, in any case (strncasecmp over the name's length, as
 * the DSCP class names are read): `EF`, `ef` and `EFx` are all EF; `E` is refused. What follows
 * the name is skipped, so `CS10` is CS1 (iptables-save after a real load shows 0x08): a warning.
 */
export function startingWithOneOf(names: readonly string[], what: string): ValueCheck {
  const lower = names.map((n) => n.toLowerCase());
  return (v) => {
    const w = v.toLowerCase();
    const k = lower.findIndex((n) => w.startsWith(n));
    if (k === -1) return `invalid ${what} "${v}"${didYouMean(v, names)}: expected one of ${names.join(', ')} (what follows the name is ignored)`;
    const name = names[k] as string;
    const rest = v.slice(name.length);
    return rest.trim() === '' ? undefined : `${WARNING_REASON}"${v}" is read as ${name}: iptables compares the start with the names and skips "${rest}"`;
  };
}

/** A comma-separated list of words from a fixed set. */
export function listOf(values: readonly string[], what = 'value', caseSensitive = false): ValueCheck {
  const one = oneOf(values, what, caseSensitive);
  return remembered((v, family) => {
    if (v === '') return `empty ${what} list`;
    for (const item of v.split(',')) {
      const e = one(item, family);
      if (e) return e;
    }
    return undefined;
  });
}

/**
 * A list split the way strtok splits it (tcp's `--tcp-flags`, dccp's `--dccp-types`, hashlimit's
 * `--hashlimit-mode` with `,` and `|`): empty items are skipped, so `SYN,,ACK,` names SYN and ACK,
 * and a list of commas names nothing (and is accepted). Each item is one of `values`.
 */
export function tokenListOf(values: readonly string[], what = 'value', caseSensitive = false, separators = ','): ValueCheck {
  const one = oneOf(values, what, caseSensitive);
  return remembered((v, family) => {
    let item = '';
    for (let i = 0; i <= v.length; i++) {
      const c = v[i];
      if (c !== undefined && !separators.includes(c)) {
        item += c;
        continue;
      }
      if (item !== '') {
        const e = one(item, family);
        if (e) return e;
      }
      item = '';
    }
    return undefined;
  });
}

/**
 * The first of `names` that `item` is the start of, in any case (strncasecmp over the item's
 * length, as libxt_conntrack, libxt_state and libxt_addrtype compare): `E` is ESTABLISHED, `un`
 * UNSPEC (the first in the list wins). Undefined for an empty item or one that starts no name.
 */
export function nameStartedBy(item: string, names: readonly string[]): string | undefined {
  if (item === '') return undefined;
  const lower = item.toLowerCase();
  return names.find((n) => n.toLowerCase().startsWith(lower));
}

/**
 * A comma list read like conntrack's `--ctstate`, state's `--state` and addrtype's types: no item may
 * be empty (`NEW,` and `,NEW` are refused), and each item is a name or the start of one, in any
 * case ({@link nameStartedBy}). `refuse` may still refuse the name an item selects (IPv6 has no
 * BROADCAST address type); it gets the item and the name.
 */
export function startListOf(names: readonly string[], what: string, refuse?: (item: string, name: string, family: Family) => string | undefined): ValueCheck {
  return remembered((v, family) => {
    if (v === '') return `empty ${what} list`;
    for (const item of v.split(',')) {
      if (item === '') return `empty ${what} in "${v}"`;
      const name = nameStartedBy(item, names);
      if (name === undefined) return `invalid ${what} "${item}"${didYouMean(item, names)}: expected one of ${names.join(', ')} (or the start of one)`;
      const e = refuse?.(item, name, family);
      if (e) return e;
    }
    return undefined;
  });
}

/** Why `value[/mask]` with unsigned 32-bit numbers is refused, or undefined. */
function markMaskProblem(v: string): string | undefined {
  const parts = v.split('/');
  if (parts.length > 2 || parts.some((p) => {
    const n = parseUnsigned(p);
    return n === undefined || n > 0xffffffff;
  })) return `invalid mark "${v}": expected value[/mask] with unsigned 32-bit numbers`;
  return undefined;
}

/**
 * `value[/mask]` with unsigned 32-bit numbers (marks, connmarks). A number with a leading 0 is
 * octal (`010` is 0x8: iptables-save after a real load shows it), a warning.
 */
export const checkMarkMask: ValueCheck = remembered((v) => markMaskProblem(v) ?? valueMaskOctalNote(v, 'mark'));

/** The octal warning of `value[/mask]`, naming the part it is about (`what`, or the mask). */
export function valueMaskOctalNote(v: string, what: string): string | undefined {
  const slash = v.indexOf('/');
  if (slash === -1) return octalNote(v, what);
  return octalNote(v.slice(0, slash), what) ?? octalNote(v.slice(slash + 1), 'mask');
}

/**
 * The `value[/mask]` of the mark and connmark matches: as {@link checkMarkMask}, and a warning when
 * the value has bits outside the mask. The kernel compares `mark & mask` with the value, so such a
 * rule never matches (negated, it matches every packet); the tools load it as written.
 */
export const checkMarkMatch: ValueCheck = remembered((v, family) => {
  const base = checkMarkMask(v, family);
  if (base !== undefined) return base;
  const slash = v.indexOf('/');
  if (slash === -1) return undefined;
  const value = parseUnsignedBig(v.slice(0, slash));
  const mask = parseUnsignedBig(v.slice(slash + 1));
  if (value === undefined || mask === undefined) return undefined;
  const outside = value & ~mask & 0xffffffffn;
  if (outside === 0n) return undefined;
  return `${WARNING_REASON}the value has bits outside the mask (0x${outside.toString(16)}), and the kernel compares only the masked bits with the whole value, so the test never holds: the rule never matches (negated, it matches everything)`;
});

/** A MAC address `XX:XX:XX:XX:XX:XX`. */
export const checkMac: ValueCheck = (v) =>
  /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/.test(v) ? undefined : `invalid MAC address "${v}": expected six hexadecimal bytes such as 52:54:00:12:34:56`;

/* ------------------------------------------------------------------------------------------------
 * Additions for the match knowledge base. Naming: `check*` are ready-made checks, lower-case
 * factories (`uintRange`, `mintRange` ...) build a check from limits.
 * ---------------------------------------------------------------------------------------------- */

export const UINT8_MAX = 0xff;
export const UINT16_MAX = 0xffff;
export const UINT32_MAX = 0xffffffff;
export const UINT64_MAX = 0xffffffffffffffffn;

/** An unsigned integer in [min, max], any width up to 64 bits (base 0 like xtables_strtoul). */
export function uintRange(min: number | bigint, max: number | bigint, what = 'value'): ValueCheck {
  const lo = BigInt(min);
  const hi = BigInt(max);
  return remembered((v) => {
    const n = parseUnsignedBig(v);
    if (n === undefined || n < lo || n > hi) return `${what} must be an integer ${lo}-${hi}`;
    return octalNote(v, what);
  });
}

/**
 * `n`, `n:m`, `:m` or `n:` with numbers 0-max, as xtables' generic range parser reads them (an
 * empty start is 0, an empty end is max). The generic parser does not check the order; pass
 * `ordered` where the extension does. Where it does not, a range written backwards loads and
 * matches nothing (`--length 1500:1000`; every user matches `min <= x <= max`): a warning, as for
 * a number with a leading 0 that makes it octal.
 */
export function mintRange(max: number | bigint, what = 'value', ordered = false): ValueCheck {
  const hi = BigInt(max);
  return (v) => {
    const parts = v.split(':');
    if (parts.length > 2) return `${what} must be n or n:m (numbers 0-${hi})`;
    const nums: bigint[] = [];
    for (const [i, p] of parts.entries()) {
      if (p === '') {
        nums.push(i === 0 ? 0n : hi);
        continue;
      }
      const n = parseUnsignedBig(p);
      if (n === undefined || n > hi) return `${what} must be n or n:m with numbers 0-${hi}`;
      nums.push(n);
    }
    if (nums.length === 2 && (nums[0] as bigint) > (nums[1] as bigint)) {
      if (ordered) return `${what} ${v} is inverted (${nums[0]} > ${nums[1]}): the first number must not be above the second`;
      return backwardsRange(`the ${what} range ${v} has its first number above its last (${nums[0]} > ${nums[1]})`, 'value');
    }
    return firstOctalNote(parts, what);
  };
}

/** A service name as getservbyname could know it (the host's /etc/services decides; we accept the shape). */
function isServiceName(v: string): boolean {
  return /^[A-Za-z][A-Za-z0-9._+/-]*$/.test(v) && !/^0[xX][0-9a-fA-F]+$/.test(v);
}

/**
 * The warning for a number that C's base-0 reading takes as octal and that means another number
 * than its digits say (`0025` is 21, `010` is 8; `007` is 7 either way): iptables-save after a
 * real load shows the octal reading. Undefined for any other word.
 */
export function octalNote(v: string, what: string): string | undefined {
  const m = /^[ \t\n\v\f\r]*\+?0([0-7]+)$/.exec(v);
  if (!m) return undefined;
  const value = BigInt(`0o${m[1]}`);
  const decimal = BigInt(m[1] as string);
  if (value === decimal) return undefined;
  return `${WARNING_REASON}${what} "${v}" starts with 0, so iptables reads it as octal: ${value}, not ${decimal}`;
}

/** The octal warning (see `octalNote`) of the first of `parts` that has one. */
export function firstOctalNote(parts: readonly string[], what: string): string | undefined {
  for (let k = 0; k < parts.length; k++) {
    const note = octalNote(parts[k] as string, what);
    if (note) return note;
  }
  return undefined;
}

/** The octal warning of a numeric IPv4 address whose part has a leading 0, with what it reads as (`192.168.010.020` is 192.168.8.16). */
function ipv4OctalNote(address: string): string | undefined {
  return partsOctalNote(address, () => numericIPv4Text(address) as string);
}

/** The octal warning of the first part of a dotted address with one, and the address its reader makes of it (`readAs`, asked only then). */
function partsOctalNote(address: string, readAs: () => string): string | undefined {
  const note = firstOctalNote(address.split('.'), 'part');
  return note && `${note} (${address.trim()} is ${readAs()})`;
}

/**
 * A port as xtables_parse_port reads it (tcp, sctp, multiport, --to-ports ...): a service name or a
 * number 0-65535 (decimal, 0x hex, 0 octal, optional `+`). Returns the number when it is one.
 */
export function parsePortStrict(v: string): { port?: number; error?: string } {
  const n = parseUnsignedBig(v);
  if (n !== undefined) return n <= 65535n ? { port: Number(n) } : { error: `port ${v} is out of range 0-65535` };
  if (isServiceName(v)) return { port: SERVICE_PORTS[v] };
  return { error: invalidPort(v) };
}

/**
 * The refusal of a word that is no port. `6000-6010` is the usual way to write a range elsewhere
 * (nftables, firewalld, most firewalls' GUIs); iptables wants a colon, so that is suggested (as a
 * "did you mean", which bad-value turns into a quick fix) when both ends are ports in order.
 */
function invalidPort(v: string): string {
  const dash = /^([^-]+)-([^-]+)$/.exec(v);
  if (dash) {
    const first = parsePortStrict(dash[1] as string).port;
    const last = parsePortStrict(dash[2] as string).port;
    if (first !== undefined && last !== undefined && first <= last) return `invalid port "${v}" (did you mean "${dash[1]}:${dash[2]}"?): iptables writes a port range with a colon`;
  }
  return `invalid port "${v}": expected a number 0-65535 or a service name`;
}

/**
 * A port as the extensions that use xtables' getaddrinfo-based port type read it (udp, dccp,
 * conntrack --ctorigsrcport, TPROXY --on-port ...): a decimal number that fits an int once
 * strtoul's result is cut to 32 bits, which the C library then cuts to 16 bits (65536 is 0, 70000
 * is 4464: iptables-save after a real load shows it), or a service name; hex is not a number
 * there. The port, or `error` for a word that is refused (2147483648 is).
 */
export function readPortLoose(v: string): { port?: number; error?: string; wrapped?: boolean } {
  // strtoul skips blanks before the number, and an empty service is the number 0 to the C library.
  if (v === '') return { port: 0 };
  v = v.replace(/^[ \t\n\v\f\r]+(?=[+-]?[0-9])/, '');
  if (/^[+-]?[0-9]+$/.test(v)) {
    // glibc keeps strtoul's result in an int: a number that is negative there is looked up as a
    // service name, and fails ("2147483648", "-5"; 4294967296 is 0 again and loads).
    const n = scanCUnsigned(v, 10);
    if (n && (n.value & 0xffffffffn) < 0x80000000n) return { port: Number(n.value & 0xffffn), wrapped: !n.negative && n.value > 65535n };
    return { error: `invalid port "${v}": as a number it is out of range (the C library reads it into an int), and no service has that name` };
  }
  if (isServiceName(v)) return { port: SERVICE_PORTS[v] };
  return { error: invalidPort(v) };
}

/** The warning for a loose port above 65535 (`read` is what `readPortLoose` made of `v`), which the C library cuts to 16 bits. */
function wrappedPortNote(v: string, read: { port?: number; wrapped?: boolean }): string | undefined {
  return read.wrapped ? `${WARNING_REASON}port ${v.trim()} is above 65535, and the C library cuts it to 16 bits: iptables reads port ${read.port}` : undefined;
}

/** A single port with the getaddrinfo port type: see {@link readPortLoose}. */
export const checkPortLoose: ValueCheck = (v) => {
  const p = readPortLoose(v);
  return p.error ?? wrappedPortNote(v, p);
};

/**
 * `port[:port]` with the getaddrinfo port type (udp, dccp, conntrack): open ends allowed, and no
 * order check, so a range whose first port is above its last (`53:52`, or `1024:65536`, which
 * reads as 1024:0) loads and matches no port: a warning, as for a port that wraps.
 */
export const checkPortRangeLoose: ValueCheck = remembered((v) => {
  const parts = v.split(':');
  if (parts.length > 2) return `invalid port range "${v}": expected port[:port]`;
  const reads: Array<{ port?: number; wrapped?: boolean }> = [];
  for (const p of parts) {
    if (p === '' && parts.length === 2) {
      reads.push({ port: reads.length === 0 ? 0 : 65535 });
      continue;
    }
    const read = readPortLoose(p);
    if (read.error) return read.error;
    reads.push(read);
  }
  const [a, b] = reads.map((r) => r.port);
  if (parts.length === 2 && a !== undefined && b !== undefined && a > b) {
    const wrapped = reads.some((r) => r.wrapped);
    const how = `${a}:${b}` === v ? 'has its first port above its last' : `reads as ${a}:${b}${wrapped ? ' (a port above 65535 is cut to 16 bits)' : ''}, first above last`;
    return backwardsRange(`the range ${v} ${how}`, 'port');
  }
  for (let k = 0; k < parts.length; k++) {
    const note = wrappedPortNote(parts[k] as string, reads[k] as { wrapped?: boolean });
    if (note) return note;
  }
  return undefined;
});

/** A list of up to `max` items, comma-separated, each checked by `item` (`dst-opts`, `rt-0-addrs` ...). */
export function commaList(item: ValueCheck, max = Infinity, what = 'item'): ValueCheck {
  return (v, family) => {
    const items = v.split(',');
    if (items.length > max) return `too many ${what}s (${items.length}, at most ${max})`;
    for (const it of items) {
      if (it === '') return `empty ${what} in "${v}"`;
      const e = item(it, family);
      if (e) return e;
    }
    return undefined;
  };
}

/** Seconds per unit of the rate parsers: the unit after `/` is compared over its own length, in any case. */
const RATE_UNITS: readonly (readonly [string, bigint])[] = [['second', 1n], ['minute', 60n], ['hour', 3600n], ['day', 86400n]];

/** Seconds in the unit of `/unit` (a non-empty start of second, minute, hour or day: `s`, `Min`, `hou` ...). */
function rateUnitSeconds(unit: string): bigint | undefined {
  if (unit === '') return undefined;
  const u = unit.toLowerCase();
  return RATE_UNITS.find(([word]) => word.startsWith(u))?.[1];
}

const RATE_UNIT_REASON = 'the unit after "/" must be second, minute, hour or day, or a start of one (s, min, h, d ...)';

/**
 * A rate as `-m limit` reads it (libxt_limit's parse_rate): an optional `/unit`, and the number
 * C's atoi finds at the start, so `5x/sec` is 5 per second and `5.5/min` 5 per minute. The number
 * must not be 0, and at most 10000 per second (a negative one wraps to a huge rate: too fast).
 */
export const checkLimitRate: ValueCheck = (v) => {
  const slash = v.indexOf('/');
  let seconds = 1n;
  if (slash !== -1) {
    const unit = rateUnitSeconds(v.slice(slash + 1));
    if (unit === undefined) return `invalid rate "${v}": ${RATE_UNIT_REASON}`;
    seconds = unit;
  }
  const n = BigInt.asUintN(32, BigInt(cAtoi(v)));
  if (n === 0n) return `invalid rate "${v}": expected N[/second|/minute|/hour|/day] with N a number above 0`;
  if ((10000n * seconds) / n === 0n) return `rate "${v}" is too fast (at most 10000/second)`;
  return undefined;
};

/** What hashlimit (revision 2 and later, as 1.8.9 uses) reads from a rate. */
export type HashlimitRate =
  /** Bytes per second (`N[k|m]b/s`), with the byte count the kernel's bucket costs are made from. */
  | { readonly kind: 'bytes'; readonly bytes: bigint }
  /** Packets per time unit, with the cost of one packet in millionths of a second (what the kernel gets). */
  | { readonly kind: 'packets'; readonly cost: bigint }
  | { readonly kind: 'error'; readonly reason: string };

/**
 * A hashlimit rate the way libxt_hashlimit reads it. When the word has `b/s` after its first
 * character and atoll finds a number other than 0 at its start, it is a byte rate: the character
 * before `b/s` scales it (`k` by 1024, `m` by 1048576, anything else by 1) and the rest of the word
 * is not looked at (`10mb/s/` and `5/sb/s` load). Otherwise it is a packet rate like limit's: an
 * optional `/unit`, atoll's number, not 0, at most 1000000 per second.
 */
export function readHashlimitRate(v: string): HashlimitRate {
  const b = v.indexOf('b/s');
  if (b > 0) {
    const n = BigInt.asUintN(64, cAtoll(v));
    if (n !== 0n) {
      const scale = v[b - 1] === 'k' ? 1024n : v[b - 1] === 'm' ? 1048576n : 1n;
      const bytes = BigInt.asUintN(64, n * scale);
      // The bucket cost divides by (bytes / 16, cut to 32 bits) + 1: all ones divides by zero.
      if (((bytes >> 4n) & 0xffffffffn) === 0xffffffffn) return { kind: 'error', reason: `byte rate "${v}" is too high` };
      return { kind: 'bytes', bytes };
    }
  }
  const slash = v.indexOf('/');
  let seconds = 1n;
  if (slash !== -1) {
    const unit = rateUnitSeconds(v.slice(slash + 1));
    if (unit === undefined) return { kind: 'error', reason: `invalid rate "${v}": ${RATE_UNIT_REASON}, or N[k|m]b/s for bytes` };
    seconds = unit;
  }
  const n = BigInt.asUintN(64, cAtoll(v));
  if (n === 0n) return { kind: 'error', reason: `invalid rate "${v}": expected N[/sec|/min|/hour|/day] or N[k|m]b/s with N a number above 0` };
  const cost = (1000000n * seconds) / n;
  if (cost === 0n) return { kind: 'error', reason: `rate "${v}" is too fast (at most 1000000/second)` };
  return { kind: 'packets', cost };
}

const UNIT_NAMES: ReadonlyMap<bigint, string> = new Map(RATE_UNITS.map(([word, seconds]) => [seconds, word]));

/** A rate that loads, as limit or hashlimit reads it (see `readRate`). */
export type RateReading =
  | { readonly kind: 'bytes'; readonly bytes: bigint; readonly number: bigint; readonly skipped: string }
  | { readonly kind: 'packets'; readonly count: bigint; readonly unit: string; readonly seconds: bigint; readonly skipped: string };

/**
 * What limit (`reader` 'limit') or hashlimit reads from a rate that loads: packets per unit, or
 * (hashlimit) bytes a second; `skipped` is the text after the number that atoll passes over (up
 * to "/", or to the scale letter before `b/s`). Undefined for a rate that is refused.
 */
export function readRate(v: string, reader: 'limit' | 'hashlimit'): RateReading | undefined {
  const scan = scanCUnsigned(v, 10);
  if (!scan || scan.negative) return undefined;
  if (reader === 'hashlimit') {
    const rate = readHashlimitRate(v);
    if (rate.kind === 'error') return undefined;
    if (rate.kind === 'bytes') {
      const between = v.slice(scan.end, v.indexOf('b/s'));
      const scaled = between.endsWith('k') || between.endsWith('m');
      return { kind: 'bytes', bytes: rate.bytes, number: scan.value, skipped: scaled ? between.slice(0, -1) : between };
    }
  } else if (checkLimitRate(v, 'ipv4') !== undefined) return undefined;
  const slash = v.indexOf('/');
  const seconds = slash === -1 ? 1n : (rateUnitSeconds(v.slice(slash + 1)) as bigint);
  const count = reader === 'limit' ? BigInt(cAtoi(v)) : scan.value;
  return { kind: 'packets', count, unit: UNIT_NAMES.get(seconds) as string, seconds, skipped: v.slice(scan.end, slash === -1 ? v.length : slash) };
}

/** "5 packets a minute", "1 byte a second": a rate that loads, in words. */
export function rateInWords(r: RateReading): string {
  if (r.kind === 'bytes') return `${r.bytes} byte${r.bytes === 1n ? '' : 's'} a second`;
  return `${r.count} packet${r.count === 1n ? '' : 's'} ${r.unit === 'hour' ? 'an' : 'a'} ${r.unit}`;
}

/**
 * A warning for a rate that loads but means less than it says: atoll takes the whole number at
 * the start and the text up to "/" is skipped, so `2.5/sec` is 2 a second and `10kbit/s` 10
 * packets a second (skipped text that changes nothing, as in `10pps`, gets no warning); in a
 * hashlimit byte rate only a lower-case `k` or `m` right before `b/s` scales the number, so
 * `10Mb/s` is 10 bytes a second (all checked with iptables-save after a real load). Undefined for
 * a rate read as written, or one that is refused anyway.
 */
export function rateMisreading(v: string, reader: 'limit' | 'hashlimit'): string | undefined {
  const r = readRate(v, reader);
  if (!r || r.skipped === '') return undefined;
  if (r.kind === 'bytes' && !/^([.,][0-9]|[eE][0-9+-])/.test(r.skipped)) {
    return `${v} is ${rateInWords(r)}: iptables skips "${r.skipped}" after the number, and only a lower-case k or m right before b/s scales it (${r.number}kb/s, ${r.number}mb/s)`;
  }
  // Only skipped text that changes the meaning: a fraction (`.5`, `,5`), or a size or byte unit
  // (`k`, `Mbit`, `bps`). Other text (`10pps`, `10pkts`, `5x/min`) leaves the rate as meant.
  let hint: string;
  const fraction = /^[.,]([0-9]+)/.exec(r.skipped);
  if (fraction) {
    const whole = r.kind === 'packets' ? wholeRateInLongerUnit(Number(`${r.count}.${fraction[1]}`), r.seconds) : undefined;
    hint = `; rates are whole numbers${whole ? ` (${whole} is the same rate)` : ''}`;
  } else if (/^[eE][0-9+-]/.test(r.skipped)) {
    hint = '; rates are whole numbers, without an exponent';
  } else if (/^[kmgb]/i.test(r.skipped)) {
    hint = reader === 'hashlimit' ? '; a byte rate is written N[k|m]b/s, in lower case and per second only' : '; limit counts packets, hashlimit has byte rates (N[k|m]b/s)';
  } else return undefined;
  return `${v} is ${rateInWords(r)}: iptables reads the whole number at the start and skips "${r.skipped}"${hint}`;
}

/** A fractional rate as a whole number of a longer unit (`2.5` a second is `150/minute`), if there is one. */
function wholeRateInLongerUnit(value: number, seconds: bigint): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  for (const [word, longer] of RATE_UNITS) {
    if (longer <= seconds) continue;
    const n = (value * Number(longer)) / Number(seconds);
    if (Math.abs(n - Math.round(n)) < 1e-9) return `${Math.round(n)}/${word}`;
  }
  return undefined;
}

/** `--hashlimit-upto` / `--hashlimit-above`: see {@link readHashlimitRate}. */
export const checkHashlimitRate: ValueCheck = (v) => {
  const r = readHashlimitRate(v);
  return r.kind === 'error' ? r.reason : undefined;
};

/**
 * The smallest burst in bytes that hashlimit takes with this byte rate: the bytes one token of
 * the rate's cost stands for (libxt_hashlimit's cost_to_bytes of bytes_to_cost).
 */
export function hashlimitMinimumBurst(bytes: bigint): bigint {
  const cost = 0xffffffffn / (((bytes >> 4n) & 0xffffffffn) + 1n);
  const perToken = cost === 0n ? 0xffffffffn : 0xffffffffn / cost;
  return BigInt.asUintN(64, (perToken - 1n) << 4n);
}

/**
 * `--hashlimit-burst` as libxt_hashlimit's parse_burst reads it: a C number (0x hex, 0 octal,
 * `+`) of at least 1 at the start of the word, at most 1000000 when nothing follows it; a
 * following `k` multiplies it by 1024, `m` by 1048576, any other character is ignored (`5x`,
 * `5.0`, `400kb`). Returns the amount (packets, or bytes with a byte rate), where the number ends
 * and whether k or m scaled it.
 */
export function readHashlimitBurst(v: string): { readonly amount: bigint; readonly end: number; readonly scaled: boolean } | { readonly reason: string } {
  const n = scanCUnsigned(v);
  const reason = `invalid burst "${v}": expected a number 1-1000000 (packets), or bytes such as 400kb with a byte rate`;
  if (!n || n.negative || n.overflow || n.value < 1n) return { reason };
  if (n.end === v.length && n.value > 1000000n) return { reason: `burst ${v} is above 1000000` };
  const scale = v[n.end] === 'k' ? 1024n : v[n.end] === 'm' ? 1048576n : 1n;
  return { amount: BigInt.asUintN(64, n.value * scale), end: n.end, scaled: scale !== 1n };
}

/**
 * The longest word iptables-restore reads: it splits a line into words in a buffer of 1024 bytes
 * and refuses a longer one ("Parameter too long!"). Options that keep a shorter string cut it
 * without a word (a comment keeps 255 bytes, a helper name 29).
 */
export const WORD_MAX_BYTES = 1023;

/** A string of at most `max` bytes (UTF-8), optionally at least `min`. */
export function stringLength(max: number, what = 'value', min = 0): ValueCheck {
  return (v) => {
    // UTF-8 takes one to three bytes per UTF-16 unit (four per surrogate pair), so the length in
    // units bounds the length in bytes: count the bytes only when the bounds leave a doubt.
    if (v.length >= min && v.length * 3 <= max) return undefined;
    const n = Buffer.byteLength(v, 'utf8');
    if (n > max) return `${what} is ${n} bytes long, at most ${max} are allowed`;
    if (n < min) return `${what} must have at least ${min} character${min === 1 ? '' : 's'}`;
    return undefined;
  };
}

/**
 * One name from a table that iptables matches by case-insensitive prefix, refusing ambiguous
 * prefixes (the ICMP and ICMPv6 type parsers work this way). Exact names always win.
 */
export function prefixOf(names: readonly string[], what: string): (v: string) => { name?: string; error?: string } {
  return (v) => {
    const lower = v.toLowerCase();
    if (lower === '') return { error: `empty ${what}` };
    const exact = names.find((n) => n.toLowerCase() === lower);
    if (exact) return { name: exact };
    const hits = names.filter((n) => n.toLowerCase().startsWith(lower));
    if (hits.length === 1) return { name: hits[0] };
    if (hits.length > 1) return { error: `ambiguous ${what} "${v}": ${hits.slice(0, 3).join(', ')}${hits.length > 3 ? ' ...' : ''}` };
    return { error: `unknown ${what} "${v}"` };
  };
}

/** ICMP type names of `iptables -p icmp -h` (with the aliases ping, pong, ttl-exceeded). */
export const ICMP_TYPE_NAMES: readonly string[] = [
  'any', 'echo-reply', 'pong', 'destination-unreachable', 'network-unreachable', 'host-unreachable',
  'protocol-unreachable', 'port-unreachable', 'fragmentation-needed', 'source-route-failed', 'network-unknown',
  'host-unknown', 'network-prohibited', 'host-prohibited', 'TOS-network-unreachable', 'TOS-host-unreachable',
  'communication-prohibited', 'host-precedence-violation', 'precedence-cutoff', 'source-quench', 'redirect',
  'network-redirect', 'host-redirect', 'TOS-network-redirect', 'TOS-host-redirect', 'echo-request', 'ping',
  'router-advertisement', 'router-solicitation', 'time-exceeded', 'ttl-exceeded', 'ttl-zero-during-transit',
  'ttl-zero-during-reassembly', 'parameter-problem', 'ip-header-bad', 'required-option-missing',
  'timestamp-request', 'timestamp-reply', 'address-mask-request', 'address-mask-reply',
];

/** ICMPv6 type names of `ip6tables -p icmpv6 -h` in 1.8.9 (the MLD names came later). */
export const ICMPV6_TYPE_NAMES: readonly string[] = [
  'destination-unreachable', 'no-route', 'communication-prohibited', 'beyond-scope', 'address-unreachable',
  'port-unreachable', 'failed-policy', 'reject-route', 'packet-too-big', 'time-exceeded', 'ttl-exceeded',
  'ttl-zero-during-transit', 'ttl-zero-during-reassembly', 'parameter-problem', 'bad-header',
  'unknown-header-type', 'unknown-option', 'echo-request', 'ping', 'echo-reply', 'pong', 'router-solicitation',
  'router-advertisement', 'neighbour-solicitation', 'neighbor-solicitation', 'neighbour-advertisement',
  'neighbor-advertisement', 'redirect',
];

function icmpTypeCheck(names: readonly string[], what: string): ValueCheck {
  const byName = prefixOf(names, what);
  return (v) => {
    const named = byName(v);
    if (named.name) return undefined;
    const m = /^([^/]*)(?:\/(.*))?$/.exec(v);
    const type = m?.[1] ?? '';
    const code = m?.[2];
    // 1.8.9 reads `A:B` as a range of types and takes it only when it is one type (`8:8`, `8:8/0`).
    const range = type.indexOf(':');
    const lo = range === -1 ? undefined : parseUnsignedBig(type.slice(0, range));
    const hi = range === -1 ? undefined : parseUnsignedBig(type.slice(range + 1));
    if (lo !== undefined && hi !== undefined && lo <= 255n && hi <= 255n && lo !== hi) {
      return `${what} ranges are not supported ("${v}"): write one type, or one rule per type`;
    }
    const t = lo !== undefined && lo === hi ? lo : parseUnsignedBig(type);
    if (t === undefined || t > 255n) {
      return named.error?.startsWith('ambiguous') ? named.error : `unknown ${what} "${v}"${code === undefined ? didYouMean(v, names) : ''}: expected a name (see \`-p ${what === 'ICMP type' ? 'icmp' : 'icmpv6'} -h\`), a number 0-255 or type/code`;
    }
    if (code !== undefined) {
      // 1.8.9 also takes a range of codes, `type/min:max`, and does not check its order.
      const codes = code.split(':');
      if (codes.length > 2 || codes.some((c) => { const n = parseUnsignedBig(c); return n === undefined || n > 255n; })) {
        return `invalid ${what} code in "${v}": expected type/code or type/code:code with numbers 0-255`;
      }
    }
    const octal = octalNote(lo !== undefined && lo === hi ? type.slice(0, range) : type, what) ?? (code === undefined ? undefined : firstOctalNote(code.split(':'), `${what} code`));
    if (octal) return octal; // `010` is 8, echo-request
    // The IPv4 kernel match reads type 255 as "any" whatever the code (iptables-save shows `any`).
    if (t === 255n && what === 'ICMP type') return `${WARNING_REASON}ICMP type 255 is iptables' "any": it stands for every ICMP packet${code === undefined ? '' : ', whatever the code'} (negated, for none)`;
    return undefined;
  };
}

/** `--icmp-type`: a name (unique case-insensitive prefix), a number 0-255, `type/code` or `type/code:code`. */
export const checkIcmpType: ValueCheck = icmpTypeCheck(ICMP_TYPE_NAMES, 'ICMP type');
/** `--icmpv6-type`: a name (unique case-insensitive prefix), a number 0-255, `type/code` or `type/code:code`. */
export const checkIcmpv6Type: ValueCheck = icmpTypeCheck(ICMPV6_TYPE_NAMES, 'ICMPv6 type');

/**
 * A user (or group) name, or a number or range as libxt_owner reads it: C numbers (`0x10`, `010`,
 * `+5`) up to 4294967294, the range written `n-m` or `n:m`. A range whose end is below its start
 * is refused by the kernel. Names are looked up on the host, so any name-like word is accepted.
 */
export const checkIdOrRange: ValueCheck = (v) => {
  const fail = `invalid id "${v}": expected a name, a number or a range n-m`;
  const from = scanCUnsigned(v);
  if (!from || from.negative || from.overflow) return /^[A-Za-z_][A-Za-z0-9_.@-]*\$?$/.test(v) ? undefined : fail; // a name: the host's passwd/group decides
  let to = from;
  const sep = v[from.end];
  if (sep === '-' || sep === ':') {
    const rest = v.slice(from.end + 1);
    const second = scanCUnsigned(rest);
    if (!second || second.negative || second.overflow || second.end !== rest.length) return fail;
    to = second;
  } else if (from.end !== v.length) return fail;
  if (from.value > 0xfffffffen || to.value > 0xfffffffen) return `id "${v}" is out of range (ids are 0-4294967294)`;
  // `01000` is 512 (iptables-save after a real load shows it).
  return from.value <= to.value ? firstOctalNote(v.split(/[-:]/), 'id') : `id range "${v}" is inverted`;
};

/** A number with an optional `/mask`, both unsigned 32-bit (realm, devgroup). Names are accepted (rt_realms, group files). */
export const checkValueMaskOrName: ValueCheck = (v) => {
  if (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(v) && parseUnsignedBig(v) === undefined) return undefined;
  return markMaskProblem(v) ?? valueMaskOctalNote(v, 'number');
};

/** A host address of the family without a mask (host names accepted). */
export const checkHostOnly: ValueCheck = (v, family) => {
  if (v.includes('/')) return `"${v}": a single address is expected here, without a mask`;
  return checkHost(v, family);
};

/** Protocol numbers for the names iptables knows for the protocol matches (its built-in table and /etc/protocols). */
export const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
  icmp: 1, tcp: 6, udp: 17, dccp: 33, esp: 50, ah: 51, icmpv6: 58, 'ipv6-icmp': 58, ipcomp: 108, sctp: 132,
  mh: 135, 'ipv6-mh': 135, 'mobility-header': 135, udplite: 136,
};

/**
 * Every spelling of `-p` that selects these protocols: each name, the other names of the same
 * number and the number itself (`-p 6` is as good as `-p tcp` for `-m tcp`).
 */
export function protocolSpellings(...names: string[]): string[] {
  const out = new Set<string>();
  for (const name of names) {
    const n = PROTOCOL_NUMBERS[name];
    out.add(name);
    if (n === undefined) continue;
    for (const [other, num] of Object.entries(PROTOCOL_NUMBERS)) if (num === n) out.add(other);
    out.add(String(n));
  }
  return [...out];
}
