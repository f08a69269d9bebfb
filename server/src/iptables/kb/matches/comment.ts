import type { MatchSpec, ValueCheck } from '../types.js';
import { cutSilently, stringLength, WORD_MAX_BYTES } from '../values.js';

const commentLength = stringLength(WORD_MAX_BYTES, 'comment');
/** The kernel keeps 255 bytes of a comment (XT_MAX_COMMENT_LEN with its NUL). */
const checkComment: ValueCheck = (v, f) => commentLength(v, f) ?? cutSilently(v, 255, 'comment', 'iptables-save shows it cut, and a search for the whole comment finds nothing');

export const comment: MatchSpec = {
  name: 'comment',
  doc: 'Attaches a comment to the rule; it matches every packet. The kernel keeps the first 255 bytes of a longer comment.',
  requireOneOf: [['--comment']],
  options: {
    '--comment': { args: [{ display: 'text', check: checkComment }], doc: 'The comment text; quote it when it has spaces. iptables keeps 255 bytes of it and cuts the rest without a word.' },
  },
};
