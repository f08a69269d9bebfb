import type { MatchSpec, ValueCheck } from '../types.js';
import { parseUnsignedBig, protocolSpellings } from '../values.js';

export const MH_TYPE_NAMES = ['binding-refresh-request', 'brr', 'home-test-init', 'hoti', 'careof-test-init', 'coti', 'home-test', 'hot', 'careof-test', 'cot', 'binding-update', 'bu', 'binding-acknowledgement', 'ba', 'binding-error', 'be'];
/** A number 0-255, or a name; like iptables, the first name that starts with the text wins (`b` is binding-refresh-request). */
const oneType = (v: string): string | undefined => {
  const n = parseUnsignedBig(v);
  if (n !== undefined) return n <= 255n ? undefined : `MH type ${v} is out of range 0-255`;
  if (v !== '' && MH_TYPE_NAMES.some((name) => name.startsWith(v.toLowerCase()))) return undefined;
  return `unknown MH type "${v}": expected a name such as binding-update (bu) or a number 0-255`;
};

const checkMhTypes: ValueCheck = (v) => {
  const parts = v.split(':');
  if (parts.length > 2) return `invalid MH type range "${v}": expected type[:type]`;
  for (const p of parts) {
    const e = oneType(p);
    if (e) return e;
  }
  return undefined;
};

export const mh: MatchSpec = {
  name: 'mh',
  family: 'ipv6',
  doc: 'Matches the Mobility Header type of Mobile IPv6 packets. Needs `-p mh` (ipv6-mh, mobility-header, 135).',
  protocols: protocolSpellings('mh'),
  options: {
    '--mh-type': { args: [{ display: 'type[:type]', check: checkMhTypes, values: MH_TYPE_NAMES }], negatable: true, doc: 'Type name (binding-update, bu, ...) or number 0-255, or an inclusive range `first:last`.' },
  },
};
