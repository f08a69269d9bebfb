import type { MatchSpec } from '../types.js';
import { checkMarkMatch } from '../values.js';

export const connmark: MatchSpec = {
  name: 'connmark',
  doc: 'Matches the mark stored on the connection (set with `-j CONNMARK`).',
  requireOneOf: [['--mark']],
  options: {
    '--mark': { args: [{ display: 'value[/mask]', check: checkMarkMatch }], negatable: true, doc: 'Matches when the connection mark ANDed with mask (default all ones) equals value; 32-bit numbers, e.g. `0x1/0xff`.' },
  },
};
