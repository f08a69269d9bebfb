import type { ExtensionProblem, MatchSpec } from '../types.js';
import { checkLimitRate, parseUnsignedBig, rateMisreading, uintRange } from '../values.js';

export const limit: MatchSpec = {
  name: 'limit',
  doc: 'Token-bucket rate limit shared by all packets the rule sees: matches until the rate is exceeded (often used to limit logging).',
  options: {
    '--limit': { args: [{ display: 'rate[/second|/minute|/hour|/day]', check: checkLimitRate }], doc: 'Average rate, e.g. `3/hour` (the default) or `10/second`; at most 10000 per second.' },
    '--limit-burst': { args: [{ display: 'number', check: uintRange(0, 10000, 'burst') }], doc: 'Bucket size: how many packets may match in a row before the rate applies (default 5, at most 10000).' },
  },
  validate: (given) => {
    const problems: ExtensionProblem[] = [];
    const v = given.get('--limit')?.[0];
    const message = v === undefined ? undefined : rateMisreading(v, 'limit');
    // A rate that loads as something other than it says (`2.5/sec` is 2 a second): a warning.
    if (message) problems.push({ option: '--limit', severity: 'warning', message });
    // A burst of 0: the kernel's xt_limit (the legacy backend) refuses it when the rule is loaded,
    // nf_tables loads it and saves the rule without a burst (found with both backends).
    const burst = given.get('--limit-burst')?.[0];
    if (burst !== undefined && parseUnsignedBig(burst) === 0n) {
      problems.push({ option: '--limit-burst', severity: 'warning', message: 'iptables-legacy-restore refuses a burst of 0 when the rule is loaded (the kernel\'s limit match needs at least 1); iptables-nft-restore loads it without a burst; write 1 or more' });
    }
    return problems;
  },
};
