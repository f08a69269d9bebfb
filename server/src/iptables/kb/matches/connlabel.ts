import type { MatchSpec, ValueCheck } from '../types.js';
import { parseUnsignedBig } from '../values.js';

/** A bit number 0-127 (the kernel has 128 label bits) or a name from /etc/xtables/connlabel.conf. */
const checkLabel: ValueCheck = (v) => {
  const n = parseUnsignedBig(v);
  if (n !== undefined) return n <= 127n ? undefined : `label bit ${v} is out of range 0-127`;
  if (v === '') return 'empty label';
  return undefined; // a name: connlabel.conf on the host decides
};

export const connlabel: MatchSpec = {
  name: 'connlabel',
  doc: 'Matches (and optionally sets) one of the 128 conntrack label bits of the connection.',
  requireOneOf: [['--label']],
  options: {
    '--label': { args: [{ display: 'name|bit', check: checkLabel }], negatable: true, doc: 'Label bit 0-127, or a name listed in /etc/xtables/connlabel.conf.' },
    '--set': { args: [], doc: 'Set the label on the connection if it is not set yet (the match then succeeds).' },
  },
};
