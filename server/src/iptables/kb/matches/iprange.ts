import type { MatchSpec } from '../types.js';
import { checkAddressRange } from '../values.js';

export const iprange: MatchSpec = {
  name: 'iprange',
  doc: 'Matches source or destination addresses in an arbitrary inclusive range (not only a CIDR block).',
  requireOneOf: [['--src-range', '--dst-range']],
  options: {
    '--src-range': { args: [{ display: 'from[-to]', check: checkAddressRange }], negatable: true, doc: 'Source address within `from-to` (numeric addresses of the ruleset\'s family, no masks), e.g. `192.168.1.10-192.168.1.20`.' },
    '--dst-range': { args: [{ display: 'from[-to]', check: checkAddressRange }], negatable: true, doc: 'Destination address within `from-to`.' },
  },
};
