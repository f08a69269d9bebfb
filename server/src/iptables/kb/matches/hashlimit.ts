import type { ExtensionProblem, MatchSpec, ValueCheck } from '../types.js';
import {
  cAtoi, checkHashlimitRate, cutSilently, hashlimitMinimumBurst, octalNote, procFileNameProblem, rateMisreading, readHashlimitBurst, readHashlimitRate, savedUnquoted,
  stringLength, tokenListOf, uintRange, UINT32_MAX, WARNING_REASON, WORD_MAX_BYTES,
} from '../values.js';

const MODES = ['srcip', 'srcport', 'dstip', 'dstport'];

/** A packet count, or with a byte rate a size such as `400kb` / `1mb` (see readHashlimitBurst). */
const checkBurst: ValueCheck = (v) => {
  const b = readHashlimitBurst(v);
  if ('reason' in b) return b.reason;
  // `020` is 16, `020kb` 16kb (iptables-save after a real load shows both).
  const rest = v.slice(b.end);
  return rest === '' || /^[km]b?$/.test(rest) ? octalNote(v.slice(0, b.end), 'burst') : undefined;
};

/** A byte count as "about 904mb" (whole megabytes or kilobytes, as iptables-save rounds them down). */
function aboutBytes(n: bigint): string {
  if (n >= 1048576n) return `about ${n / 1048576n}mb`;
  if (n >= 1024n) return `about ${n / 1024n}kb`;
  return `${n}b`;
}

/**
 * libxt_hashlimit reads the interval with atoi: `10x` and `10.5` are 10; the result must be above 0.
 * A unit after the number is skipped: `500ms` is 500 seconds (iptables-save after a real load), a
 * warning.
 */
const checkInterval: ValueCheck = (v) => {
  const n = cAtoi(v);
  if (n <= 0) return `invalid interval "${v}": expected a number of seconds above 0`;
  const skipped = /^[ \t\n\v\f\r]*\+?[0-9]+(.*)$/.exec(v)?.[1] ?? '';
  // A unit that means seconds (`10s`, `10sec`) is read as meant; another unit or a fraction is not.
  if (skipped === '' || /^s(ec(ond)?s?)?$/i.test(skipped) || !/^([A-Za-z]|[.,][0-9])/.test(skipped)) return undefined;
  return `${WARNING_REASON}the interval is a whole number of seconds, and iptables skips "${skipped}": ${v} is ${n} second${n === 1 ? '' : 's'}`;
};

/**
 * The burst against the rate (libxt_hashlimit's final check): with a byte rate the burst is a
 * number of bytes and must not be below what one token of the rate stands for (and a rate whose
 * token stands for no byte at all crashes the tools); with a packet
 * rate it may not exceed 1000000 packets (`5m` is 5242880).
 */
function burstProblems(given: ReadonlyMap<string, readonly string[]>): ExtensionProblem[] {
  const burstText = given.get('--hashlimit-burst')?.[0];
  const rateText = given.get('--hashlimit-upto')?.[0] ?? given.get('--hashlimit-above')?.[0];
  if (burstText === undefined || rateText === undefined) return [];
  const burst = readHashlimitBurst(burstText);
  const rate = readHashlimitRate(rateText);
  if (!('amount' in burst) || rate.kind === 'error') return [];
  const problems: ExtensionProblem[] = [];
  const option = '--hashlimit-burst';
  // Loads, but as another burst (iptables-save after a real load shows 5 for 5.9, 2048 for 2k).
  const skipped = burstText.slice(burst.end).replace(/^[km]b?/, '');
  if (/^[.,eE0-9]/.test(skipped)) {
    problems.push({ option, severity: 'warning', message: `burst ${burstText} is ${burst.amount}: iptables reads the whole number at the start and skips "${skipped}"` });
  } else if (rate.kind === 'packets' && burst.scaled && burst.amount <= 1000000n) {
    problems.push({ option, severity: 'warning', message: `burst ${burstText} is ${burst.amount} packets: with a packet rate the burst counts packets, and k or m multiply it by 1024 or 1048576 (they are meant for a byte rate)` });
  }
  if (rate.kind === 'bytes') {
    // The byte count is checked whole, then kept in 32 bits: 5000mb loads as 904mb (iptables-save
    // after a real load shows it), 4096mb as no burst at all.
    if (burst.amount > 0xffffffffn) {
      const kept = burst.amount & 0xffffffffn;
      problems.push({ option, severity: 'warning', message: `burst ${burstText} is ${burst.amount} bytes, more than 32 bits hold: iptables keeps the low 32 bits, ${kept} bytes${kept === 0n ? '' : ` (${aboutBytes(kept)})`}` });
    }
    const least = hashlimitMinimumBurst(rate.bytes);
    // Below 16 bytes a second one token stands for 0 bytes, and libxt_hashlimit divides the burst by
    // it: both tools die of a division by zero (SIGFPE, found by the value pool with `10Mb/s`).
    if (least === 0n) problems.push({ option, message: `iptables crashes (a division by zero) on a burst with a byte rate below 16 bytes a second (${rateText} is ${rate.bytes}): leave --hashlimit-burst out, or use 16b/s or more` });
    else if (burst.amount < least) problems.push({ option, message: `burst ${burstText} is ${burst.amount} bytes, below the ${least} bytes one token of the rate ${rateText} stands for` });
  } else if (burst.amount > 1000000n) {
    problems.push({ option, message: `burst ${burstText} is ${burst.amount} packets, above 1000000 (with a packet rate, the burst counts packets)` });
  }
  return problems;
}

/** A rate that loads as something other than it says (`10Mb/s` is 10 bytes a second): a warning. */
function misreadProblems(given: ReadonlyMap<string, readonly string[]>): ExtensionProblem[] {
  const out: ExtensionProblem[] = [];
  for (const option of ['--hashlimit-upto', '--hashlimit-above']) {
    const v = given.get(option)?.[0];
    const message = v === undefined ? undefined : rateMisreading(v, 'hashlimit');
    if (message) out.push({ option, severity: 'warning', message });
  }
  return out;
}

const U64_MAX = 0xffffffffffffffffn;

/** The largest power of two not above `x` (the kernel's POW2_BELOW64). */
function powerOfTwoBelow(x: bigint): bigint {
  let p = 1n;
  while (p * 2n <= x) p *= 2n;
  return p;
}

/**
 * Whether the kernel's check of a packet rate and burst (xt_hashlimit, revision 3) fails with a
 * tick rate of `hz`: it turns cost and cost x burst into credits in 64-bit arithmetic and refuses
 * the rule ("Numerical result out of range") when the product wraps below the single cost.
 */
function creditsOverflow(cost: bigint, burst: bigint, hz: bigint): boolean {
  const perJiffy = powerOfTwoBelow(U64_MAX / (hz * 86400n));
  const factor = (hz * perJiffy) / 1000000n;
  const credits = (user: bigint): bigint => BigInt.asUintN(64, user * factor);
  return credits(BigInt.asUintN(64, cost * burst)) < credits(cost);
}

/** The tick rates a Linux kernel is commonly built with (CONFIG_HZ). */
const KERNEL_HZ = [100n, 250n, 300n, 1000n];

/**
 * A slow packet rate with a large burst that the kernel refuses whatever its tick rate (`1/day`
 * with a burst of 100): an error. Where the answer depends on the tick rate (`1/day` with the
 * default burst of 5 loads with HZ=100 and not with HZ=250, found on this machine's HZ=250
 * kernel): a warning naming the tick rates that refuse it, when 250 or 1000, the common ones, are
 * among them.
 */
function overflowProblems(given: ReadonlyMap<string, readonly string[]>): ExtensionProblem[] {
  if (given.has('--hashlimit-rate-match')) return [];
  const rateText = given.get('--hashlimit-upto')?.[0] ?? given.get('--hashlimit-above')?.[0];
  const burstText = given.get('--hashlimit-burst')?.[0];
  if (rateText === undefined) return [];
  const rate = readHashlimitRate(rateText);
  const burst = burstText === undefined ? { amount: 5n } : readHashlimitBurst(burstText);
  if (rate.kind !== 'packets' || !('amount' in burst) || burst.amount > 1000000n) return [];
  const refusing = KERNEL_HZ.filter((hz) => creditsOverflow(rate.cost, burst.amount, hz));
  if (refusing.length === 0) return [];
  const option = burstText === undefined ? (given.has('--hashlimit-upto') ? '--hashlimit-upto' : '--hashlimit-above') : '--hashlimit-burst';
  if (refusing.length < KERNEL_HZ.length) {
    // Only where the common tick rates refuse it: a file that loads on most hosts gets no warning.
    if (!refusing.includes(250n) && !refusing.includes(1000n)) return [];
    return [{
      option, severity: 'warning',
      message: `kernels built with HZ=${refusing.join(', HZ=')} (the tick rate; most distributions use 250 or 1000) refuse the rate ${rateText} with a burst of ${burst.amount} when the rule is loaded ("Numerical result out of range"): their token arithmetic overflows; a faster rate or another burst loads everywhere`,
    }];
  }
  return [{ option, message: `the kernel refuses the rate ${rateText} with a burst of ${burst.amount} ("Numerical result out of range"): its token arithmetic overflows; a faster rate or another burst loads` }];
}

const u32 = (what: string): ValueCheck => uintRange(0, UINT32_MAX, what);
const prefix4 = uintRange(0, 32, 'prefix length');
const prefix6 = uintRange(0, 128, 'prefix length');
const prefix: ValueCheck = (v, f) => (f === 'ipv4' ? prefix4 : prefix6)(v, f);
const rate = { display: 'rate', check: checkHashlimitRate } as const;

const nameLength = stringLength(WORD_MAX_BYTES, 'name', 1);
/** The hash table's name: not empty, a file name the kernel can make in /proc, 254 bytes kept. */
const checkTableName: ValueCheck = (v, f) =>
  nameLength(v, f) ?? procFileNameProblem(v, 'hash table name') ?? cutSilently(v, 254, 'hash table name', 'tables whose names agree in those bytes are one table') ??
  savedUnquoted(v, 'hash table name');

export const hashlimit: MatchSpec = {
  name: 'hashlimit',
  doc: 'Rate limiting per flow: like `limit`, but keeps one token bucket per source/destination address or port group, named by `--hashlimit-name`.',
  requireOneOf: [['--hashlimit-upto', '--hashlimit-above'], ['--hashlimit-name']],
  options: {
    '--hashlimit-upto': { args: [rate], negatable: true, aliases: ['--hashlimit'], conflicts: ['--hashlimit-above'], doc: 'Match while the flow stays at or below this rate: `N/sec|/min|/hour|/day` packets, or bytes such as `10mb/s`.' },
    '--hashlimit-above': { args: [rate], negatable: true, conflicts: ['--hashlimit-upto'], doc: 'Match when the flow exceeds this rate: `N/sec|/min|/hour|/day` packets, or bytes such as `10mb/s`.' },
    '--hashlimit-burst': { args: [{ display: 'amount', check: checkBurst }], doc: 'Bucket size: packets (default 5, at most 1000000), or bytes such as `400kb` with a byte rate (at least what one token of the rate stands for).' },
    '--hashlimit-mode': { args: [{ display: 'mode[,mode...]', check: tokenListOf(MODES, 'hashlimit mode', true, ',|'), values: MODES }], doc: 'What forms a flow: a comma-separated list of srcip, srcport, dstip, dstport. Without it, all packets share one bucket.' },
    '--hashlimit-srcmask': { args: [{ display: 'prefix-length', check: prefix }], doc: 'Group source addresses by this prefix length with `srcip` mode.' },
    '--hashlimit-dstmask': { args: [{ display: 'prefix-length', check: prefix }], doc: 'Group destination addresses by this prefix length with `dstip` mode.' },
    '--hashlimit-name': { args: [{ display: 'name', check: checkTableName }], doc: 'Name of the hash table (shown in /proc/net/ipt_hashlimit/NAME; iptables keeps 254 bytes of a longer name). Required.' },
    '--hashlimit-htable-size': { args: [{ display: 'buckets', check: u32('size') }], doc: 'Number of hash buckets.' },
    '--hashlimit-htable-max': { args: [{ display: 'entries', check: u32('count') }], doc: 'Maximum number of entries in the table.' },
    '--hashlimit-htable-gcinterval': { args: [{ display: 'ms', check: uintRange(1, UINT32_MAX, 'interval') }], doc: 'Milliseconds between garbage collection runs (at least 1).' },
    '--hashlimit-htable-expire': { args: [{ display: 'ms', check: uintRange(1, UINT32_MAX, 'time') }], doc: 'Milliseconds after which an idle entry is dropped (at least 1).' },
    '--hashlimit-rate-match': { args: [], doc: 'Classify flows by their measured rate instead of rate-limiting them.' },
    '--hashlimit-rate-interval': { args: [{ display: 'seconds', check: checkInterval }], doc: 'Seconds over which the rate is measured for `--hashlimit-rate-match`.' },
  },
  validate: (given) => [...misreadProblems(given), ...burstProblems(given), ...overflowProblems(given)],
};
