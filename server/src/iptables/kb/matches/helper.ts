import type { MatchSpec } from '../types.js';
import { stringLength } from '../values.js';

export const helper: MatchSpec = {
  name: 'helper',
  doc: 'Matches packets of connections that a conntrack helper created (e.g. the FTP data connection, as RELATED).',
  requireOneOf: [['--helper']],
  options: {
    '--helper': { args: [{ display: 'name[-port]', check: stringLength(29, 'helper name') }], negatable: true, doc: 'Helper name such as `ftp`, `sip` or `tftp`, optionally with the port it serves (`ftp-2121`).' },
  },
};
