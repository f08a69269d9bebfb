import type { MatchSpec } from '../types.js';
import { protocolSpellings, uintRange } from '../values.js';

const TCP = protocolSpellings('tcp');

export const ecn: MatchSpec = {
  name: 'ecn',
  doc: 'Matches Explicit Congestion Notification bits: the ECN field of the IP header and the TCP CWR/ECE flags (those need `-p tcp`).',
  requireOneOf: [['--ecn-tcp-cwr', '--ecn-tcp-ece', '--ecn-ip-ect']],
  options: {
    '--ecn-tcp-cwr': { args: [], negatable: true, protocols: TCP, doc: 'The TCP CWR (congestion window reduced) flag is set. Needs `-p tcp`.' },
    '--ecn-tcp-ece': { args: [], negatable: true, protocols: TCP, doc: 'The TCP ECE (ECN echo) flag is set. Needs `-p tcp`.' },
    '--ecn-ip-ect': { args: [{ display: '0-3', check: uintRange(0, 3, 'ECN code point') }], negatable: true, doc: 'The two ECN bits of the IP header equal this value (0 not-ECT, 1/2 ECT, 3 CE).' },
  },
};
