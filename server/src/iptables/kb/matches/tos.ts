import type { MatchSpec, ValueCheck } from '../types.js';
import { firstOctalNote, parseUnsignedBig } from '../values.js';

export const TOS_NAMES = ['Minimize-Delay', 'Maximize-Throughput', 'Maximize-Reliability', 'Minimize-Cost', 'Normal-Service'];

/** `value[/mask]` with 8-bit numbers, or one of the five symbolic names (case-insensitive). */
const checkTos: ValueCheck = (v) => {
  if (TOS_NAMES.some((n) => n.toLowerCase() === v.toLowerCase())) return undefined;
  const parts = v.split('/');
  if (parts.length <= 2 && parts.every((p) => {
    const n = parseUnsignedBig(p);
    return n !== undefined && n <= 255n;
  })) return firstOctalNote(parts, 'TOS value'); // `010` is 0x08 (iptables-save after a real load)
  return `invalid TOS "${v}": expected value[/mask] (0-255) or one of ${TOS_NAMES.join(', ')}`;
};

export const tos: MatchSpec = {
  name: 'tos',
  doc: 'Matches the IPv4 TOS byte (or the IPv6 traffic class) against a value and mask.',
  requireOneOf: [['--tos']],
  options: {
    '--tos': { args: [{ display: 'value[/mask]|name', check: checkTos, values: TOS_NAMES }], negatable: true, doc: 'TOS byte ANDed with mask (default 0xff) equals value; or a symbolic name such as `Minimize-Delay` (mask 0x3f).' },
  },
};
