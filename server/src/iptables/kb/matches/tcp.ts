import type { MatchSpec } from '../types.js';
import { checkPortRange, listOf } from '../values.js';

const TCP_FLAGS = ['SYN', 'ACK', 'FIN', 'RST', 'URG', 'PSH', 'ALL', 'NONE'];

export const tcp: MatchSpec = {
  name: 'tcp',
  doc: 'Matches TCP header fields: ports, flags and options. Loaded implicitly by `-p tcp`.',
  protocols: ['tcp'],
  options: {
    '--sport': { args: [{ display: 'port[:port]', check: checkPortRange }], negatable: true, aliases: ['--source-port'], doc: 'Source port or inclusive range `first:last` (an open end means 0 or 65535).' },
    '--dport': { args: [{ display: 'port[:port]', check: checkPortRange }], negatable: true, aliases: ['--destination-port'], doc: 'Destination port or inclusive range `first:last`.' },
    '--tcp-flags': { args: [{ display: 'mask', check: listOf(TCP_FLAGS, 'TCP flag', true), values: TCP_FLAGS }, { display: 'comp', check: listOf(TCP_FLAGS, 'TCP flag', true), values: TCP_FLAGS }], negatable: true, doc: 'Examines the flags in the first list; those in the second must be set, the rest of the first list clear.' },
    '--syn': { args: [], negatable: true, doc: 'Only TCP segments with SYN set and ACK, RST, FIN clear: the first packet of a connection. Same as `--tcp-flags SYN,RST,ACK,FIN SYN`.' },
    '--tcp-option': { args: [{ display: 'number', check: (v) => (/^[0-9]+$/.test(v) && Number(v) <= 255 ? undefined : 'TCP option must be 0-255') }], negatable: true, doc: 'Matches if the TCP option with this number is present.' },
  },
};
