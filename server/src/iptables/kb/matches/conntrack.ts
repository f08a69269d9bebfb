import type { MatchSpec } from '../types.js';
import { checkHostMask, checkPortRangeLoose, checkProtocol, mintRange, oneOf, startListOf, UINT32_MAX } from '../values.js';

export const CT_STATES = ['INVALID', 'NEW', 'ESTABLISHED', 'RELATED', 'UNTRACKED', 'SNAT', 'DNAT'];
export const CT_STATUSES = ['NONE', 'EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'];
const DIRS = ['ORIGINAL', 'REPLY'];

const addr = { args: [{ display: 'address[/mask]', check: checkHostMask }], negatable: true } as const;
const port = { args: [{ display: 'port[:port]', check: checkPortRangeLoose }], negatable: true } as const;

export const conntrack: MatchSpec = {
  name: 'conntrack',
  doc: 'Matches on the connection-tracking entry of the packet: its state, status, original/reply addresses and ports, remaining lifetime and direction.',
  requireOneOf: [['--ctstate', '--ctproto', '--ctorigsrc', '--ctorigdst', '--ctreplsrc', '--ctrepldst', '--ctorigsrcport', '--ctorigdstport', '--ctreplsrcport', '--ctrepldstport', '--ctstatus', '--ctexpire', '--ctdir']],
  options: {
    '--ctstate': { args: [{ display: 'state[,state...]', check: startListOf(CT_STATES, 'conntrack state'), values: CT_STATES }], negatable: true, doc: 'Comma-separated states: INVALID, NEW, ESTABLISHED, RELATED, UNTRACKED, and the virtual SNAT/DNAT (the connection was address-translated). E.g. `RELATED,ESTABLISHED`. Any case; iptables also takes the start of a name (`E` is ESTABLISHED, the first name in this order that starts so).' },
    '--ctproto': { args: [{ display: 'protocol', check: checkProtocol }], negatable: true, doc: 'Layer-4 protocol of the connection, by name or number.' },
    '--ctorigsrc': { ...addr, doc: 'Source address of the original direction, `address[/mask]`.' },
    '--ctorigdst': { ...addr, doc: 'Destination address of the original direction (before DNAT), `address[/mask]`.' },
    '--ctreplsrc': { ...addr, doc: 'Source address of the reply direction, `address[/mask]`.' },
    '--ctrepldst': { ...addr, doc: 'Destination address of the reply direction (after SNAT), `address[/mask]`.' },
    '--ctorigsrcport': { ...port, doc: 'Source port (or range `first:last`) of the original direction.' },
    '--ctorigdstport': { ...port, doc: 'Destination port (or range) of the original direction.' },
    '--ctreplsrcport': { ...port, doc: 'Source port (or range) of the reply direction.' },
    '--ctrepldstport': { ...port, doc: 'Destination port (or range) of the reply direction.' },
    '--ctstatus': { args: [{ display: 'status[,status...]', check: startListOf(CT_STATUSES, 'conntrack status'), values: CT_STATUSES }], negatable: true, doc: 'Comma-separated status bits: NONE, EXPECTED, SEEN_REPLY, ASSURED, CONFIRMED.' },
    '--ctexpire': { args: [{ display: 'seconds[:seconds]', check: mintRange(UINT32_MAX, 'lifetime') }], negatable: true, doc: 'Remaining lifetime of the entry in seconds, or an inclusive range `min:max`.' },
    '--ctdir': { args: [{ display: 'ORIGINAL|REPLY', check: oneOf(DIRS, 'direction'), values: DIRS }], doc: 'Only packets flowing in this direction of the connection.' },
  },
};
