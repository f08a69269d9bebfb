import type { ExtensionProblem, MatchSpec, ValueCheck } from '../types.js';
import { cStrtod, oneOf, parseUnsignedBig, uintRange, UINT32_MAX, WARNING_REASON } from '../values.js';

/**
 * libxt_statistic reads the probability with strtod and wants nothing after it: blanks before the
 * number load, after it do not; C's spellings load (`.5`, `5e-1`, `0x1p-1`), and so does `nan`,
 * which no comparison with 0 and 1 refuses (found with the real tools).
 */
const checkProbability: ValueCheck = (v) => {
  const n = cStrtod(v);
  if (!n || n.end !== v.length || n.value < 0 || n.value > 1) return `probability must be a number between 0 and 1, got "${v}"`;
  // `nan` passes both comparisons, and the kernel gets 0 (iptables-save shows 0.00000000000).
  if (Number.isNaN(n.value)) return `${WARNING_REASON}probability ${v} is not a number, and the kernel gets 0 from it, so the rule never matches (negated, it always does)`;
  // The kernel gets lround(p x 2^31): below 1 in 2^32 that is 0 (iptables-save shows 0.00000000000).
  if (n.value > 0 && Math.round(n.value * 2 ** 31) === 0) {
    return `${WARNING_REASON}probability ${v} rounds to 0 in the kernel (it keeps p in steps of 1/2147483648), so the rule never matches (negated, it always does)`;
  }
  return undefined;
};

export const statistic: MatchSpec = {
  name: 'statistic',
  doc: 'Matches a share of the packets: at random with a probability, or every nth packet (for sampling or simple load balancing).',
  requireOneOf: [['--mode']],
  options: {
    '--mode': { args: [{ display: 'random|nth', check: oneOf(['random', 'nth'], 'mode', true), values: ['random', 'nth'] }], doc: '`random` (needs --probability) or `nth` (needs --every).' },
    '--probability': { args: [{ display: 'p', check: checkProbability }], negatable: true, conflicts: ['--every', '--packet'], doc: 'random mode: each packet matches with this probability, 0.0 to 1.0.' },
    '--every': { args: [{ display: 'n', check: uintRange(1, UINT32_MAX, 'every') }], negatable: true, conflicts: ['--probability'], requires: ['--packet'], doc: 'nth mode: match one packet out of every n. iptables 1.8.9 insists on `--packet` with it.' },
    '--packet': { args: [{ display: 'p', check: uintRange(0, UINT32_MAX, 'packet') }], requires: ['--every'], conflicts: ['--probability'], doc: 'nth mode: initial counter value, 0 to n-1.' },
  },
  validate: (given) => {
    const problems: ExtensionProblem[] = [];
    const mode = given.get('--mode')?.[0]?.toLowerCase();
    if (mode === 'random' && !given.has('--probability')) problems.push({ option: '--mode', message: 'random mode needs --probability' });
    if (mode === 'nth' && !given.has('--every')) problems.push({ option: '--mode', message: 'nth mode needs --every' });
    if (mode === 'random' && (given.has('--every') || given.has('--packet'))) problems.push({ option: given.has('--every') ? '--every' : '--packet', message: '--every and --packet belong to nth mode' });
    if (mode === 'nth' && given.has('--probability')) problems.push({ option: '--probability', message: '--probability belongs to random mode' });
    const every = parseUnsignedBig(given.get('--every')?.[0] ?? '');
    const packet = parseUnsignedBig(given.get('--packet')?.[0] ?? '');
    if (every !== undefined && packet !== undefined && packet >= every) problems.push({ option: '--packet', message: `--packet must be below --every (0-${every - 1n})` });
    return problems;
  },
};
