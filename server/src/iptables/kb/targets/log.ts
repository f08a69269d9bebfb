import type { TargetSpec, ValueCheck } from '../types.js';
import { cutSilently } from '../values.js';
import { LOG_LEVEL_NAMES, checkLogLevel, unquote } from './targetValues.js';

const checkPrefix: ValueCheck = (v) => {
  const s = unquote(v);
  if (s === '') return 'the log prefix must not be empty';
  if (s.includes('\n')) return 'newlines are not allowed in the log prefix';
  // struct xt_log_info keeps 30 bytes with the final NUL; both backends cut the rest without a word.
  return cutSilently(s, 29, 'log prefix', 'a search of the logs for the whole prefix finds nothing');
};

export const log: TargetSpec = {
  name: 'LOG',
  terminating: false,
  doc: 'Writes a line about each matching packet to the kernel log (dmesg/journal) and lets the packet continue to the next rule. To log what you drop, put a LOG rule with the same match before the DROP/REJECT rule, usually with `-m limit`.',
  options: {
    '--log-level': {
      args: [{ display: 'level', values: LOG_LEVEL_NAMES, check: checkLogLevel }],
      doc: 'Syslog priority: 0-7 or emerg, alert, crit, error, warning (the default), notice, info, debug.',
    },
    '--log-prefix': {
      args: [{ display: '"prefix"', check: checkPrefix }],
      doc: 'Text put before each message, e.g. "DROP INPUT: ". iptables keeps at most the first 29 bytes: it cuts a longer prefix silently before the rule reaches the kernel (iptables-save shows the cut text).',
    },
    '--log-tcp-sequence': { args: [], doc: 'Also log TCP sequence numbers (readable by anyone who can read the log).' },
    '--log-tcp-options': { args: [], doc: 'Also log TCP header options.' },
    '--log-ip-options': { args: [], doc: 'Also log IPv4/IPv6 header options.' },
    '--log-uid': { args: [], doc: 'Also log the user id of the local socket that sent the packet.' },
    '--log-macdecode': { args: [], doc: 'Decode the MAC addresses and link-layer protocol.' },
  },
};
