import type { MatchSpec, ValueCheck } from '../types.js';
import { octalNote, scanCUnsigned, uintRange, UINT32_MAX, WARNING_REASON } from '../values.js';

/** A number as the options matches read it (strtoul, base 0): a sign is allowed, nothing may follow, 64 bits at most. */
function optionNumber(text: string): bigint | undefined {
  const n = scanCUnsigned(text);
  return n && !n.overflow && n.end === text.length ? n.value : undefined;
}

/**
 * `TYPE[:LEN][,TYPE[:LEN]...]` of the IPv6 hop-by-hop / destination options matches, as 1.8.9 reads
 * it: at most 16 items, each number read by strtoul and cut to 8 bits (`-1` and `256` load), no
 * length for type 0 (Pad1, "PAD0 hasn't got length"), and none on the 16th item ("too many ranges").
 */
export const checkIpv6Options: ValueCheck = (v) => {
  const items = v.split(',');
  if (items.length > 16) return `too many options (${items.length}, at most 16)`;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as string;
    const colon = item.indexOf(':');
    const typeText = colon === -1 ? item : item.slice(0, colon);
    if (colon !== -1 && i === 15) return 'the 16th option cannot have a length: iptables refuses it ("too many ranges")';
    const type = optionNumber(typeText);
    if (type === undefined) return `invalid option type "${typeText}": expected a number`;
    if (colon === -1) continue;
    if ((type & 0xffn) === 0n) return `option type ${typeText} is Pad1 (type 0 in its low 8 bits), which has no length ("PAD0 hasn't got length")`;
    const lenText = item.slice(colon + 1);
    if (optionNumber(lenText) === undefined) return `invalid option length "${lenText}" in "${item}": expected a number`;
  }
  return ipv6OptionsMisreading(items);
};

/**
 * A warning for an option type or length that loads as another number (iptables-save after a real
 * load shows it): each is kept in 8 bits, so 300 is 44, and a leading 0 makes it octal (`010` is 8).
 */
function ipv6OptionsMisreading(items: readonly string[]): string | undefined {
  for (const item of items) {
    for (const [k, text] of item.split(':').entries()) {
      const what = k === 0 ? 'option type' : 'option length';
      const n = optionNumber(text) as bigint;
      if (n > 0xffn) return `${WARNING_REASON}${what} ${text} is ${/^[ \t\n\v\f\r]*-/.test(text) ? 'negative' : 'above 255'}, and iptables keeps its low 8 bits: ${n & 0xffn}`;
      const note = octalNote(text, what);
      if (note) return note;
    }
  }
  return undefined;
}

export const dst: MatchSpec = {
  name: 'dst',
  family: 'ipv6',
  doc: 'Matches the IPv6 Destination Options extension header: its length and the options it carries.',
  options: {
    '--dst-len': { args: [{ display: 'length', check: uintRange(0, UINT32_MAX, 'length') }], negatable: true, doc: 'The header length field equals this number.' },
    '--dst-opts': { args: [{ display: 'type[:len][,type[:len]...]', check: checkIpv6Options }], doc: 'Options that must be present, in order: type numbers with optional length, at most 16.' },
  },
};
