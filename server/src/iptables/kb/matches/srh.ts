import type { MatchSpec, OptionSpec } from '../types.js';
import { checkAddressMask, uintRange } from '../values.js';

const u8 = (what: string) => [{ display: what, check: uintRange(0, 255, what) }];
function triple(field: string, what: string, doc: string): Record<string, OptionSpec> {
  const names = ['eq', 'gt', 'lt'].map((s) => `--srh-${field}-${s}`);
  const word = { eq: 'equals', gt: 'is above', lt: 'is below' } as const;
  return Object.fromEntries(
    (['eq', 'gt', 'lt'] as const).map((s, i) => [names[i] as string, { args: u8(what), negatable: true, doc: `${doc} ${word[s]} this value (0-255).` }]),
  );
}
const sid = [{ display: 'address[/mask]', check: checkAddressMask }];

export const srh: MatchSpec = {
  name: 'srh',
  family: 'ipv6',
  doc: 'Matches fields of the IPv6 Segment Routing Header (SRv6): next header, length, segments left, last entry, tag and SIDs.',
  options: {
    '--srh-next-hdr': { args: u8('next-hdr'), negatable: true, doc: 'Next Header field equals this protocol number.' },
    ...triple('hdr-len', 'hdr_len', 'Hdr Ext Len field'),
    ...triple('segs-left', 'segs_left', 'Segments Left field'),
    ...triple('last-entry', 'last_entry', 'Last Entry field'),
    '--srh-tag': { args: [{ display: 'tag', check: uintRange(0, 65535, 'tag') }], negatable: true, doc: 'Tag field equals this value (0-65535).' },
    '--srh-psid': { args: sid, negatable: true, doc: 'Previous segment identifier, `address[/mask]`.' },
    '--srh-nsid': { args: sid, negatable: true, doc: 'Next segment identifier, `address[/mask]`.' },
    '--srh-lsid': { args: sid, negatable: true, doc: 'Last segment identifier, `address[/mask]`.' },
  },
};
