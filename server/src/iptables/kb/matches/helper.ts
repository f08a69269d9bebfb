import type { MatchSpec } from '../types.js';
import { stringLength, WORD_MAX_BYTES } from '../values.js';

export const helper: MatchSpec = {
  name: 'helper',
  doc: 'Matches packets of connections that a conntrack helper created (e.g. the FTP data connection, as RELATED).',
  requireOneOf: [['--helper']],
  options: {
    '--helper': { args: [{ display: 'name[-port]', check: stringLength(WORD_MAX_BYTES, 'helper name') }], negatable: true, doc: 'Helper name such as `ftp`, `sip` or `tftp`, optionally with the port it serves (`ftp-2121`). iptables keeps 29 bytes of a longer name.' },
  },
};
