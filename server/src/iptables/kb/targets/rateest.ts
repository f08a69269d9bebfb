import type { TargetSpec } from '../types.js';
import { checkRateestTime, nonEmpty, rateestProblems } from './targetValues.js';

export const rateest: TargetSpec = {
  name: 'RATEEST',
  terminating: false,
  doc: 'Feeds matching packets into a named rate estimator; `-m rateest` rules then compare the measured bit/packet rates. Rules with the same name share one estimator.',
  options: {
    '--rateest-name': { args: [{ display: 'name', check: nonEmpty('estimator name') }], doc: 'Required: the estimator\'s name (up to 15 characters are kept).' },
    '--rateest-interval': { args: [{ display: 'time (e.g. 250ms)', check: checkRateestTime }], doc: 'Required: measuring interval, with unit s, ms or us; at most 8s.' },
    '--rateest-ewmalog': { args: [{ display: 'time (e.g. 1s)', check: checkRateestTime }], doc: 'Required: averaging time constant; must be longer than the interval.' },
  },
  requireOneOf: [['--rateest-name'], ['--rateest-interval'], ['--rateest-ewmalog']],
  validate(given) {
    const interval = given.get('--rateest-interval')?.[0];
    const ewma = given.get('--rateest-ewmalog')?.[0];
    if (interval === undefined || ewma === undefined) return [];
    const message = rateestProblems(interval, ewma);
    return message ? [{ option: '--rateest-ewmalog', message }] : [];
  },
};
