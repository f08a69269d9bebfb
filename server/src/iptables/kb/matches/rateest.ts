import type { MatchSpec, ValueCheck } from '../types.js';
import { stringLength } from '../values.js';

/** A bit rate such as `8bit`, `5kbit`, `1mbps`, or a plain number (packets per second for the pps options). */
const checkRate: ValueCheck = (v) =>
  /^[0-9]+(\.[0-9]+)?([kmgt]?(bit|bps))?$/i.test(v) ? undefined : `invalid rate "${v}": expected a number with an optional unit (bit, kbit, mbit, bps, kbps ...)`;

const rate = [{ display: 'rate', check: checkRate, optional: true }];
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
    '--rateest-bps1': { args: rate, aliases: ['--rateest-bps'], doc: 'Compare the bytes per second of the first estimator (with a rate such as `8bit` or `5kbit` to compare with).' },
    '--rateest-pps1': { args: rate, aliases: ['--rateest-pps'], doc: 'Compare the packets per second of the first estimator.' },
    '--rateest-bps2': { args: rate, doc: 'Bytes per second of the second estimator (or the rate to compare with).' },
    '--rateest-pps2': { args: rate, doc: 'Packets per second of the second estimator (or the rate to compare with).' },
    '--rateest-lt': { args: [], negatable: true, conflicts: ['--rateest-gt', '--rateest-eq'], doc: 'Match when the rate is less than the other.' },
    '--rateest-gt': { args: [], negatable: true, conflicts: ['--rateest-lt', '--rateest-eq'], doc: 'Match when the rate is greater than the other.' },
    '--rateest-eq': { args: [], negatable: true, conflicts: ['--rateest-lt', '--rateest-gt'], doc: 'Match when the rates are equal.' },
  },
};
