import type { MatchSpec } from '../types.js';

export const comment: MatchSpec = {
  name: 'comment',
  doc: 'Attaches a comment (up to 255 characters) to the rule; it matches every packet.',
  options: {
    '--comment': { args: [{ display: 'text', check: (v) => (v.length > 255 ? `comment is ${v.length} characters, at most 255 are allowed` : undefined) }], doc: 'The comment text; quote it when it has spaces.' },
  },
  validate: (given) => (given.has('--comment') ? [] : [{ message: 'the comment match needs --comment' }]),
};
