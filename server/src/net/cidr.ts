/** IP address and CIDR helpers shared by the iptables and libvirt checks (plain data, no I/O). */
import ipaddr from 'ipaddr.js';

export type IpFamily = 'ipv4' | 'ipv6';

/**
 * For `addr/prefix` with a numeric prefix (or an IPv4 dotted contiguous mask), the canonical
 * network `net/prefix`. Undefined when the text is not such a CIDR (a host, a name, a bad value).
 */
export function canonicalCidr(text: string, family: IpFamily): string | undefined {
  const slash = text.indexOf('/');
  if (slash === -1) return undefined;
  if (family === 'ipv4') {
    const quick = quickIPv4Cidr(text, slash);
    if (quick !== undefined) return quick;
  }
  const host = text.slice(0, slash);
  const mask = text.slice(slash + 1);
  try {
    if (family === 'ipv4') {
      if (!/^\d+\.\d+\.\d+\.\d+$/.test(host) || !ipaddr.IPv4.isValidFourPartDecimal(host)) return undefined;
      let prefix: number;
      if (/^\d{1,2}$/.test(mask)) prefix = Number(mask);
      else if (ipaddr.IPv4.isValidFourPartDecimal(mask)) {
        const p = ipaddr.IPv4.parse(mask).prefixLengthFromSubnetMask();
        if (p === null) return undefined;
        prefix = p;
      } else return undefined;
      if (prefix > 32) return undefined;
      const net = ipaddr.IPv4.networkAddressFromCIDR(`${host}/${prefix}`);
      const canonical = `${net.toString()}/${prefix}`;
      return canonical === `${host}/${mask}` ? text : host === net.toString() ? text : canonical;
    }
    if (!host.includes(':') || !ipaddr.IPv6.isValid(host) || !/^\d{1,3}$/.test(mask)) return undefined;
    const prefix = Number(mask);
    if (prefix > 128) return undefined;
    const net = ipaddr.IPv6.networkAddressFromCIDR(`${host}/${prefix}`);
    const same = ipaddr.IPv6.parse(host).toNormalizedString() === net.toNormalizedString();
    return same ? text : `${net.toString()}/${prefix}`;
  } catch {
    return undefined;
  }
}

/**
 * The value of an IPv4 address in `text[from, to)` written as four decimal octets 0-255 without
 * leading zeros (`inet_pton`'s spelling, and the only one `canonicalCidr` accepts), or -1.
 */
export function plainIPv4(text: string, from = 0, to = text.length): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return -1; // a leading zero
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return -1;
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else return -1;
  }
  return digits > 0 && dots === 3 ? value * 256 + octet : -1;
}

/**
 * `canonicalCidr` for the usual IPv4 spelling, `a.b.c.d/N` with a prefix of one or two digits,
 * without building address objects; undefined for any other text (the general code decides).
 */
function quickIPv4Cidr(text: string, slash: number): string | undefined {
  const maskLength = text.length - slash - 1;
  if (maskLength < 1 || maskLength > 2) return undefined;
  let prefix = 0;
  for (let i = slash + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    prefix = prefix * 10 + (c - 48);
  }
  if (prefix > 32) return undefined;
  const address = plainIPv4(text, 0, slash);
  if (address === -1) return undefined;
  const hostBits = prefix === 32 ? 0 : 2 ** (32 - prefix) - 1;
  const host = address % (hostBits + 1);
  if (host === 0) return text;
  const net = address - host;
  return `${Math.floor(net / 16777216)}.${Math.floor(net / 65536) % 256}.${Math.floor(net / 256) % 256}.${net % 256}/${prefix}`;
}

export interface CidrInfo {
  readonly family: IpFamily;
  readonly network: string;
  readonly prefix: number;
  readonly first: string;
  readonly last: string;
  /** Number of addresses, as a string (IPv6 sizes exceed Number precision). */
  readonly size: string;
  readonly broadcast?: string;
  readonly netmask?: string;
}

/** Facts about an address or CIDR for hovers: range, size, network and broadcast. */
export function describeCidr(text: string): CidrInfo | undefined {
  const slash = text.indexOf('/');
  const host = slash === -1 ? text : text.slice(0, slash);
  const maskText = slash === -1 ? undefined : text.slice(slash + 1);
  try {
    if (ipaddr.IPv4.isValidFourPartDecimal(host)) {
      let prefix = 32;
      if (maskText !== undefined) {
        if (/^\d{1,2}$/.test(maskText)) prefix = Number(maskText);
        else if (ipaddr.IPv4.isValidFourPartDecimal(maskText)) prefix = ipaddr.IPv4.parse(maskText).prefixLengthFromSubnetMask() ?? -1;
        else return undefined;
      }
      if (prefix < 0 || prefix > 32) return undefined;
      const net = ipaddr.IPv4.networkAddressFromCIDR(`${host}/${prefix}`);
      const bc = ipaddr.IPv4.broadcastAddressFromCIDR(`${host}/${prefix}`);
      return {
        family: 'ipv4', network: net.toString(), prefix, first: net.toString(), last: bc.toString(), size: String(2 ** (32 - prefix)),
        broadcast: bc.toString(), netmask: ipaddr.IPv4.subnetMaskFromPrefixLength(prefix).toString(),
      };
    }
    if (host.includes(':') && ipaddr.IPv6.isValid(host)) {
      const prefix = maskText === undefined ? 128 : Number(maskText);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > 128) return undefined;
      const net = ipaddr.IPv6.networkAddressFromCIDR(`${host}/${prefix}`);
      const last = ipaddr.IPv6.broadcastAddressFromCIDR(`${host}/${prefix}`);
      return { family: 'ipv6', network: net.toString(), prefix, first: net.toString(), last: last.toString(), size: (2n ** BigInt(128 - prefix)).toString() };
    }
  } catch {
    return undefined;
  }
  return undefined;
}
