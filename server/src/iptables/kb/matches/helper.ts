import type { MatchSpec, ValueCheck } from '../types.js';
import { cutSilently, stringLength, WARNING_REASON, WORD_MAX_BYTES } from '../values.js';

/** The conntrack helpers of the mainline kernel, by the names they register (case matters). */
const KERNEL_HELPERS = ['ftp', 'tftp', 'sip', 'irc', 'amanda', 'pptp', 'snmp', 'netbios-ns', 'sane', 'RAS', 'Q.931', 'H.245'];

const nameLength = stringLength(WORD_MAX_BYTES, 'helper name');

/**
 * `--helper`: xt_helper compares the helper's registered name with the start of this one, case
 * included, so `FTP` matches no connection (the helper is `ftp`): a warning. The kernel keeps 29
 * bytes of the name.
 */
const checkHelper: ValueCheck = (v, f) => {
  const problem = nameLength(v, f) ?? cutSilently(v, 29, 'helper name', 'a longer name is compared in part');
  if (problem) return problem;
  const lower = v.toLowerCase();
  const meant = KERNEL_HELPERS.find((h) => lower.startsWith(h.toLowerCase()) && !v.startsWith(h));
  return meant ? `${WARNING_REASON}the kernel compares helper names with case: "${v}" matches no connection, the helper is named ${meant}` : undefined;
};

export const helper: MatchSpec = {
  name: 'helper',
  doc: 'Matches packets of connections that a conntrack helper created (e.g. the FTP data connection, as RELATED).',
  requireOneOf: [['--helper']],
  options: {
    '--helper': { args: [{ display: 'name[-port]', check: checkHelper }], negatable: true, doc: 'Helper name such as `ftp`, `sip` or `tftp` (case matters), optionally with the port it serves (`ftp-2121`). iptables keeps 29 bytes of a longer name.' },
  },
};
