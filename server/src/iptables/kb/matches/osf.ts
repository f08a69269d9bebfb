import type { MatchSpec } from '../types.js';
import { protocolSpellings, stringLength, uintRange } from '../values.js';

export const osf: MatchSpec = {
  name: 'osf',
  family: 'ipv4',
  doc: 'Passive OS fingerprinting: matches TCP SYN packets whose options look like a given operating system (fingerprints loaded with `nfnl_osf`). Needs `-p tcp`; only in PREROUTING, INPUT and FORWARD.',
  protocols: protocolSpellings('tcp'),
  requireOneOf: [['--genre']],
  // The kernel's match (xt_osf) registers only the hooks of incoming and forwarded packets.
  chains: ['PREROUTING', 'INPUT', 'FORWARD'],
  options: {
    '--genre': { args: [{ display: 'string', check: stringLength(31, 'genre') }], negatable: true, doc: 'Operating system genre, e.g. `Linux` or `Windows`.' },
    '--ttl': { args: [{ display: '0|1|2', check: uintRange(0, 2, 'TTL check level') }], doc: 'How the IP TTL is compared: 0 exact (LAN), 1 less than the fingerprint\'s, 2 not at all.' },
    '--log': { args: [{ display: '0|1|2', check: uintRange(0, 2, 'log level') }], doc: 'Log the genres found: 0 all matched or unknown, 1 only the first, 2 all known matches.' },
  },
};
