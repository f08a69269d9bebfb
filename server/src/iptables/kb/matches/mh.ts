import type { MatchSpec, ValueCheck } from '../types.js';
import { parseUnsignedBig, protocolSpellings } from '../values.js';

/** Mobility Header type names, each followed by its short alias, in the order of their numbers 0-7 (as libip6t_mh lists them). */
export const MH_TYPE_NAMES = ['binding-refresh-request', 'brr', 'home-test-init', 'hoti', 'careof-test-init', 'coti', 'home-test', 'hot', 'careof-test', 'cot', 'binding-update', 'bu', 'binding-acknowledgement', 'ba', 'binding-error', 'be'];

/**
 * The number of one MH type as libip6t_mh reads it: names first, case-insensitively, where the
 * first name that starts with the text wins unless a later one is exactly the text (`b` is
 * binding-refresh-request, `home-test` is home-test and not home-test-init); then a number 0-255
 * (decimal, 0x hex or 0 octal).
 */
export function mhTypeNumber(v: string): number | undefined {
  const text = v.toLowerCase();
  let match = -1;
  MH_TYPE_NAMES.forEach((name, i) => {
    if (name.startsWith(text) && (match === -1 || name.length === text.length)) match = i;
  });
  if (match !== -1) return match >> 1;
  const n = parseUnsignedBig(v);
  return n !== undefined && n <= 255n ? Number(n) : undefined;
}

const oneTypeProblem = (v: string): string | undefined => {
  if (parseUnsignedBig(v) !== undefined) return `MH type ${v} is out of range 0-255`;
  return `unknown MH type "${v}": expected a name such as binding-update (bu) or a number 0-255`;
};

/**
 * `type`, `first:last`, `:last` or `first:` (an empty start is 0, an empty end 255); the range
 * must not be inverted, which iptables refuses ("min > max").
 */
const checkMhTypes: ValueCheck = (v) => {
  const colon = v.indexOf(':');
  if (colon === -1) return mhTypeNumber(v) === undefined ? oneTypeProblem(v) : undefined;
  const [a, b] = [v.slice(0, colon), v.slice(colon + 1)];
  if (b.includes(':')) return `invalid MH type range "${v}": expected type[:type]`;
  const first = a === '' ? 0 : mhTypeNumber(a);
  if (first === undefined) return oneTypeProblem(a);
  const last = b === '' ? 255 : mhTypeNumber(b);
  if (last === undefined) return oneTypeProblem(b);
  if (first > last) return `MH type range "${v}" is inverted (${first} > ${last}): the first type must not be above the last, e.g. ${last}:${first}`;
  return undefined;
};

export const mh: MatchSpec = {
  name: 'mh',
  family: 'ipv6',
  doc: 'Matches the Mobility Header type of Mobile IPv6 packets. Needs `-p mh` (ipv6-mh, mobility-header, 135).',
  protocols: protocolSpellings('mh'),
  options: {
    '--mh-type': { args: [{ display: 'type[:type]', check: checkMhTypes, values: MH_TYPE_NAMES }], negatable: true, doc: 'Type name (binding-update, bu, ...) or number 0-255, or an inclusive range `first:last` with the lower type first (an empty end means 0 or 255).' },
  },
};
