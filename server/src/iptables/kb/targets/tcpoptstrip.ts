import type { TargetSpec } from '../types.js';
import { TCP_OPTION_NAMES, checkTcpOptionList } from './targetValues.js';

export const tcpoptstrip: TargetSpec = {
  name: 'TCPOPTSTRIP',
  terminating: false,
  doc: 'Replaces the given TCP options with no-ops (e.g. strip timestamps or SACK). Only valid in the mangle table, with -p tcp.',
  tables: ['mangle'],
  protocols: ['tcp'],
  options: {
    '--strip-options': {
      args: [{ display: 'option[,option...]', values: Object.keys(TCP_OPTION_NAMES), check: checkTcpOptionList }],
      doc: 'Options to strip, by number (2-255) or name: mss, wscale, sack-permitted, sack, timestamp, md5. Without it the rule strips nothing.',
    },
  },
};
