import type { MatchSpec } from '../types.js';
import { mintRange, oneOf, UINT64_MAX } from '../values.js';

const DIRS = ['original', 'reply', 'both'];
const MODES = ['packets', 'bytes', 'avgpkt'];

export const connbytes: MatchSpec = {
  name: 'connbytes',
  doc: 'Matches on how many packets or bytes a connection has carried so far (or its average packet size). `--connbytes`, `--connbytes-dir` and `--connbytes-mode` are all required.',
  requireOneOf: [['--connbytes'], ['--connbytes-dir'], ['--connbytes-mode']],
  options: {
    '--connbytes': { args: [{ display: 'from[:to]', check: mintRange(UINT64_MAX, 'counter range', true) }], negatable: true, doc: 'Inclusive range `from:to` (64-bit numbers, `from` not above `to`); without `to` (`from:` or just `from`) there is no upper limit, an empty `from` is 0.' },
    '--connbytes-dir': { args: [{ display: 'original|reply|both', check: oneOf(DIRS, 'direction', true), values: DIRS }], doc: 'Which direction is counted: `original`, `reply` or `both`.' },
    '--connbytes-mode': { args: [{ display: 'packets|bytes|avgpkt', check: oneOf(MODES, 'mode', true), values: MODES }], doc: 'What is counted: `packets`, `bytes`, or `avgpkt` (average bytes per packet).' },
  },
};
