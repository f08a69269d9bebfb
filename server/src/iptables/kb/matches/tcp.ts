import type { MatchSpec } from '../types.js';
import { checkPortRange, protocolSpellings, tokenListOf, uintRange } from '../values.js';

export const TCP_FLAGS = ['SYN', 'ACK', 'FIN', 'RST', 'URG', 'PSH', 'ALL', 'NONE'];
/** Flags in any case; empty items of the list are skipped (`SYN,ACK,` is SYN and ACK). */
const flags = tokenListOf(TCP_FLAGS, 'TCP flag');

export const tcp: MatchSpec = {
  name: 'tcp',
  doc: 'Matches TCP header fields: ports, flags and options. Loaded implicitly by `-p tcp`.',
  protocols: protocolSpellings('tcp'),
  options: {
    '--sport': { args: [{ display: 'port[:port]', check: checkPortRange }], negatable: true, aliases: ['--source-port'], doc: 'Source port or inclusive range `first:last` (an open end means 0 or 65535).' },
    '--dport': { args: [{ display: 'port[:port]', check: checkPortRange }], negatable: true, aliases: ['--destination-port'], doc: 'Destination port or inclusive range `first:last`.' },
    '--tcp-flags': { args: [{ display: 'mask', check: flags, values: TCP_FLAGS }, { display: 'comp', check: flags, values: TCP_FLAGS }], negatable: true, conflicts: ['--syn'], doc: 'Examines the flags in the first list; those in the second must be set, the rest of the first list clear. E.g. `SYN,RST SYN`.' },
    '--syn': { args: [], negatable: true, conflicts: ['--tcp-flags'], doc: 'Only TCP segments with SYN set and ACK, RST, FIN clear: the first packet of a connection. Same as `--tcp-flags SYN,RST,ACK,FIN SYN`.' },
    '--tcp-option': { args: [{ display: 'number', check: uintRange(1, 255, 'TCP option') }], negatable: true, doc: 'Matches if the TCP option with this number (1-255) is present.' },
  },
};
