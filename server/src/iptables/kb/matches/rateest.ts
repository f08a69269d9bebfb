import type { MatchSpec, ValueCheck } from '../types.js';
import { strtodEnd, stringLength, uintRange, UINT32_MAX } from '../values.js';

/** The units libxt_rateest knows after a byte rate, compared in any case (tc's names). */
const RATE_UNITS = ['bit', 'kibit', 'kbit', 'mibit', 'mbit', 'gibit', 'gbit', 'tibit', 'tbit', 'bps', 'kibps', 'kbps', 'mibps', 'mbps', 'gibps', 'gbps', 'tibps', 'tbps'];

/**
 * A byte rate as libxt_rateest reads it: a number as C's strtod reads it (`8`, `.5`, `1e3`, even
 * `inf`), then nothing (bits per second) or one of the units in any case (`8bit`, `5KiBps`).
 */
const checkBitRate: ValueCheck = (v) => {
  const end = strtodEnd(v);
  if (end > 0 && (end === v.length || RATE_UNITS.includes(v.slice(end).toLowerCase()))) return undefined;
  return `invalid rate "${v}": expected a number with an optional unit (bit, kbit, mbit, gbit, bps, kbps, KiBps ...)`;
};

const bps = [{ display: 'rate', check: checkBitRate, optional: true }];
/** Packets per second: a whole C number (`05`, `0x10`; not `8.0`). */
const pps = [{ display: 'packets', check: uintRange(0, UINT32_MAX, 'packet rate'), optional: true }];
const name = [{ display: 'name', check: stringLength(15, 'estimator name', 1) }];
const cmp = ['--rateest-lt', '--rateest-gt', '--rateest-eq'];

export const rateest: MatchSpec = {
  name: 'rateest',
  doc: 'Compares the rate measured by a rate estimator (created with `-j RATEEST`) with a fixed rate, or two estimators with each other. The estimator must exist when the rule is loaded.',
  requireOneOf: [['--rateest1'], cmp],
  options: {
    '--rateest1': { args: name, aliases: ['--rateest'], doc: 'Name of the (first) rate estimator.' },
    '--rateest2': { args: name, doc: 'Name of the second estimator to compare with.' },
    '--rateest-delta': { args: [], doc: 'Compare how far the rate is below the given rate (delta) instead of the rate itself.' },
    '--rateest-bps1': { args: bps, doc: 'Compare the bytes per second of the first estimator (with a rate such as `8bit` or `5kbit`: the amount taken off its rate with --rateest-delta).' },
    '--rateest-pps1': { args: pps, doc: 'Compare the packets per second of the first estimator.' },
    // --rateest-bps/-pps are other names of the second ones, not the first (the tools say "can't specify --rateest-bps2 twice").
    '--rateest-bps2': { args: bps, aliases: ['--rateest-bps'], doc: 'Bytes per second of the second estimator (or the rate to compare with).' },
    '--rateest-pps2': { args: pps, aliases: ['--rateest-pps'], doc: 'Packets per second of the second estimator (or the rate to compare with).' },
    '--rateest-lt': { args: [], negatable: true, conflicts: ['--rateest-gt', '--rateest-eq'], doc: 'Match when the rate is less than the other.' },
    '--rateest-gt': { args: [], negatable: true, conflicts: ['--rateest-lt', '--rateest-eq'], doc: 'Match when the rate is greater than the other.' },
    '--rateest-eq': { args: [], negatable: true, conflicts: ['--rateest-lt', '--rateest-gt'], doc: 'Match when the rates are equal.' },
  },
};
