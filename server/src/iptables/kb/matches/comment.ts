import type { MatchSpec } from '../types.js';
import { stringLength } from '../values.js';

export const comment: MatchSpec = {
  name: 'comment',
  doc: 'Attaches a comment (up to 255 bytes) to the rule; it matches every packet.',
  requireOneOf: [['--comment']],
  options: {
    '--comment': { args: [{ display: 'text', check: stringLength(255, 'comment') }], doc: 'The comment text, at most 255 bytes; quote it when it has spaces.' },
  },
};
