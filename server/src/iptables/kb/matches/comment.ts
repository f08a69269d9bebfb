import type { MatchSpec } from '../types.js';
import { stringLength, WORD_MAX_BYTES } from '../values.js';

export const comment: MatchSpec = {
  name: 'comment',
  doc: 'Attaches a comment to the rule; it matches every packet. The kernel keeps the first 255 bytes of a longer comment.',
  requireOneOf: [['--comment']],
  options: {
    '--comment': { args: [{ display: 'text', check: stringLength(WORD_MAX_BYTES, 'comment') }], doc: 'The comment text; quote it when it has spaces. iptables keeps 255 bytes of it and cuts the rest without a word.' },
  },
};
