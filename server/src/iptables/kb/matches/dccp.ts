import type { MatchSpec } from '../types.js';
import { checkPortRangeLoose, protocolSpellings, tokenListOf, uintRange } from '../values.js';

export const DCCP_TYPES = ['REQUEST', 'RESPONSE', 'DATA', 'ACK', 'DATAACK', 'CLOSEREQ', 'CLOSE', 'RESET', 'SYNC', 'SYNCACK', 'INVALID'];

export const dccp: MatchSpec = {
  name: 'dccp',
  doc: 'Matches DCCP header fields: ports, packet types and options. Loaded implicitly by `-p dccp`.',
  protocols: protocolSpellings('dccp'),
  options: {
    '--sport': { args: [{ display: 'port[:port]', check: checkPortRangeLoose }], negatable: true, aliases: ['--source-port'], doc: 'Source port or inclusive range `first:last`.' },
    '--dport': { args: [{ display: 'port[:port]', check: checkPortRangeLoose }], negatable: true, aliases: ['--destination-port'], doc: 'Destination port or inclusive range `first:last`.' },
    '--dccp-types': { args: [{ display: 'type[,type...]', check: tokenListOf(DCCP_TYPES, 'DCCP packet type'), values: DCCP_TYPES }], negatable: true, doc: 'The packet type is one of these: REQUEST, RESPONSE, DATA, ACK, DATAACK, CLOSEREQ, CLOSE, RESET, SYNC, SYNCACK, INVALID.' },
    '--dccp-option': { args: [{ display: 'number', check: uintRange(1, 255, 'DCCP option') }], negatable: true, doc: 'The DCCP option with this number (1-255) is present.' },
  },
};
