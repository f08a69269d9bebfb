import type { MatchSpec } from '../types.js';
import { checkMarkMatch } from '../values.js';

export const mark: MatchSpec = {
  name: 'mark',
  doc: 'Matches the packet\'s netfilter mark (set with `-j MARK` or routing policy).',
  requireOneOf: [['--mark']],
  options: {
    '--mark': { args: [{ display: 'value[/mask]', check: checkMarkMatch }], negatable: true, doc: 'Matches when the mark ANDed with mask (default all ones) equals value; 32-bit numbers, e.g. `0x1/0xff`.' },
  },
};
