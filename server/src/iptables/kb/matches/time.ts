import type { ExtensionProblem, MatchSpec, ValueCheck } from '../types.js';
import { didYouMean, scanCUnsigned, WARNING_REASON } from '../values.js';

/**
 * Reads the fields of a date or time the way libxt_time does, with strtoul in base 10 per field:
 * blanks, a sign and leading zeros are taken, an empty field reads as 0, and each field must end
 * with the separator its position allows (or the text must end there). Returns the fields read,
 * or undefined when a field ends with another character. A negative field wraps to a huge value.
 */
function readFields(v: string, separators: readonly string[]): bigint[] | undefined {
  const fields: bigint[] = [];
  let at = 0;
  for (const sep of separators) {
    const n = scanCUnsigned(v.slice(at), 10);
    const end = at + (n?.end ?? 0);
    // strtoul's result lands in an unsigned int.
    fields.push(n ? BigInt.asUintN(32, n.value) : 0n);
    if (end === v.length) return fields;
    if (v[end] !== sep) return undefined;
    at = end + 1;
  }
  return undefined;
}

/**
 * `--datestart`/`--datestop`: `YYYY[-MM[-DD[Thh[:mm[:ss]]]]]` as libxt_time reads it: the year
 * 1970-2038, then month up to 12, day up to 31, hour up to 23, minute and second up to 59, each
 * field optional from the end; an empty field reads as 0, and a date that does not exist loads and
 * rolls over (`2001-02-30` is 2001-03-01, `2001-` 2000-12-01: iptables-save after a real load).
 */
const checkDate: ValueCheck = (v) => {
  const f = readFields(v, ['-', '-', 'T', ':', ':', '']);
  const limits = [2038n, 12n, 31n, 23n, 59n, 59n];
  if (!f || (f[0] as bigint) < 1970n || f.some((x, i) => x > (limits[i] as bigint))) {
    return `invalid date "${v}": expected YYYY[-MM[-DD[Thh[:mm[:ss]]]]], years 1970-2038`;
  }
  // A day past the month's end loads and rolls over into the next month, a day or month 0 into
  // the one before (mktime: 2024-01-00 is 2023-12-31, 2024-00-10 2023-12-10); before 1970, mktime's
  // result is refused ("mktime returned an error"). iptables-save after a real load shows each.
  const [year, month = 1, day = 1] = f.map(Number) as [number, number?, number?];
  const last = month === 0 ? 31 : new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > last || day === 0 || month === 0) {
    const time = Date.UTC(year, month - 1, day, ...(f.slice(3).map(Number) as number[]));
    const rolled = new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
    const [, monthText, dayText] = v.split(/[-T]/);
    const why = month === 0 ? (monthText === '' ? 'an empty month reads as 0, and months start at 1' : 'months start at 1') : day === 0 ? (dayText === '' ? 'an empty day reads as 0, and days start at 1' : 'days start at 1') : `that month has ${last} days`;
    if (time < 0) return `${v} is not a valid date (${why}): it rolls over to ${rolled}, before 1970, and iptables refuses that ("mktime returned an error")`;
    return `${WARNING_REASON}${v.slice(0, 10)} is not a valid date (${why}): iptables rolls it over to ${rolled}`;
  }
  return undefined;
};

/** The second a date that `checkDate` accepts stands for (rolled over as mktime does), or undefined. */
function dateSeconds(v: string): number | undefined {
  const f = readFields(v, ['-', '-', 'T', ':', ':', '']);
  if (!f || checkDate(v, 'ipv4')?.startsWith(WARNING_REASON) === false) return undefined;
  const [year, month = 1, day = 1, hour = 0, minute = 0, second = 0] = f.map(Number) as [number, number?, number?, number?, number?, number?];
  return Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
}

/** The --datestop the match has when none is given: the last second a signed 32-bit time holds. */
const LAST_DATE = '2038-01-19T03:14:07';

/**
 * A date range that starts after it stops (`--datestart 2025-01-01 --datestop 2024-12-31`, or a
 * start after 2038-01-19T03:14:07, the stop the match takes when none is given): it loads, as
 * iptables-save shows, and the kernel's test `start <= now <= stop` then never holds.
 */
function dateRangeProblems(given: ReadonlyMap<string, readonly string[]>): ExtensionProblem[] {
  const startText = given.get('--datestart')?.at(-1);
  if (startText === undefined) return [];
  const stopText = given.get('--datestop')?.at(-1);
  const start = dateSeconds(startText);
  const stop = dateSeconds(stopText ?? LAST_DATE);
  if (start === undefined || stop === undefined || start <= stop) return [];
  const after = stopText === undefined ? `after ${LAST_DATE}, the stop the match takes without --datestop` : `after --datestop ${stopText}`;
  return [{ option: '--datestart', severity: 'warning', message: `${startText} is ${after}, so the rule never matches` }];
}

/** `--timestart`/`--timestop`: `hh:mm[:ss]` as libxt_time reads it (the colon after the hour is needed). */
const checkDaytime: ValueCheck = (v) => {
  const f = readFields(v, [':', ':', '']);
  if (!f || f.length < 2 || (f[0] as bigint) > 23n || (f[1] as bigint) > 59n || (f[2] ?? 0n) > 59n) {
    return `invalid time "${v}": expected hh:mm[:ss] between 00:00 and 23:59:59`;
  }
  return undefined;
};

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * The items of a day list as libxt_time cuts them: at each comma, each item cut to its first
 * `keep` characters; the list ends at its end or after a comma that ends it (`Mon,` is one item,
 * `Mon,,` two: Mon and an empty one).
 */
function dayItems(v: string, keep: number): string[] {
  const items: string[] = [];
  let rest: string | undefined = v;
  while (rest !== undefined && rest !== '') {
    const comma = rest.indexOf(',');
    items.push((comma === -1 ? rest : rest.slice(0, comma)).slice(0, keep));
    rest = comma === -1 ? undefined : rest.slice(comma + 1);
  }
  return items;
}

/**
 * `--weekdays`: libxt_time reads each item's first three characters. When all of them read as a C
 * number (`7`, `0x1`, `123`), that number is taken as the day, 0 refused ("the week does NOT
 * begin with Sunday"; an empty item is 0 too); other numbers name no day but load. Otherwise the
 * first two characters must be those of a day name, case matters: `Mo`, `Monday`, `Sunny` are
 * Monday, Monday and Sunday; `M` and `mon` are refused.
 */
const checkWeekdays: ValueCheck = (v) => {
  for (const item of dayItems(v, 3)) {
    const n = scanCUnsigned(item);
    if (item === '' || (n && n.end === item.length)) {
      if (!n || n.value === 0n) return `weekday "${item}" in "${v}" is 0 or empty: days are 1 (Monday) to 7 (Sunday), or Mon ... Sun`;
      continue;
    }
    if (!DAYS.some((d) => item.startsWith(d.slice(0, 2)))) return `invalid weekday "${item}"${didYouMean(item, DAYS)}: expected Mon, Tue, Wed, Thu, Fri, Sat, Sun (the first two letters count, case matters) or 1-7`;
  }
  return weekdaysMisreading(v);
};

/**
 * A warning for a day list that loads as fewer days than it says (iptables-save after a real load
 * shows them): only the first letters of an item count, so `Mon-Fri` is Monday alone and
 * `Mon,Wed-Fri` is Monday and Wednesday; a number above 7 names no day, so `8` leaves no day and
 * the rule never matches. Items that are a start of the day's name (`Mo`, `Wed`, `Thursday`) are
 * read as written.
 */
function weekdaysMisreading(v: string): string | undefined {
  const whole = v.split(',');
  const cut = dayItems(v, 3);
  const days = new Set<string>();
  const notes: string[] = [];
  for (let k = 0; k < cut.length; k++) {
    const item = whole[k] ?? '';
    const n = scanCUnsigned(cut[k] as string);
    if (n && n.end === (cut[k] as string).length) {
      // libxt_time sets bit n of a 32-bit mask, and the shift wraps at 32 (33 is Monday again).
      const bit = Number(BigInt.asUintN(32, n.value) % 32n);
      if (bit >= 1 && bit <= 7) days.add(DAYS[bit - 1] as string);
      if (n.value > 7n) notes.push(bit >= 1 && bit <= 7 ? `"${item}" is ${DAYS[bit - 1]} (the day number wraps at 32)` : `"${item}" names no day (days are 1-7, or Mon ... Sun)`);
      continue;
    }
    const d = DAYS.findIndex((name) => item.startsWith(name.slice(0, 2)));
    const day = DAYS[d] as string;
    days.add(day);
    if ((DAY_NAMES[d] as string).toLowerCase().startsWith(item.toLowerCase())) continue;
    const range = /^[A-Za-z]+-([A-Za-z]+)$/.exec(item);
    const last = range ? DAYS.findIndex((name) => (range[1] as string).startsWith(name.slice(0, 2))) : -1;
    const spelled = last > d ? ` (day ranges are not supported: list the days, ${DAYS.slice(d, last + 1).join(',')})` : '';
    notes.push(`"${item}" is ${day} alone, since only its first letters count${spelled}`);
  }
  if (notes.length === 0) return undefined;
  const kept = DAYS.filter((d) => days.has(d));
  const result = kept.length === 0 ? 'no day at all, so the rule never matches (negated, it always does)' : kept.join(',');
  return `${WARNING_REASON}iptables reads this list as ${result}: ${notes.join('; ')}`;
}

/**
 * `--monthdays`: libxt_time reads each item's first two characters as a C number that must end
 * there and be at most 31 (`311` is 31, `12.5` is 12; `1.5`, `1x`, `08` are refused). An empty
 * item reads as 0 and loads, as does 0 itself.
 */
const checkMonthdays: ValueCheck = (v) => {
  for (const item of dayItems(v, 2)) {
    if (item === '') continue;
    const n = scanCUnsigned(item);
    if (!n || n.end !== item.length || n.value > 31n) return `invalid day of the month "${item}" in "${v}": expected 1-31 (iptables reads the first two characters of each item)`;
  }
  return monthdaysMisreading(v);
};

/**
 * A warning for a list of days of the month that loads as other days (iptables-save after a real
 * load shows them): only the first two characters of an item count, so `010` is 1 and `311` 31,
 * and day 0 names no day, so `0` alone leaves no day and the rule never matches. An empty item
 * (`1,,2`) is day 0 too, but says nothing: no warning.
 */
function monthdaysMisreading(v: string): string | undefined {
  const whole = v.split(',');
  const cut = dayItems(v, 2);
  const days = new Set<number>();
  const notes: string[] = [];
  for (let k = 0; k < cut.length; k++) {
    const item = whole[k] ?? '';
    const day = Number(scanCUnsigned(cut[k] as string)?.value ?? 0n);
    if (day !== 0) days.add(day);
    if (item === '') continue;
    if (day === 0) notes.push(`"${item}" is day 0, which names no day`);
    else if (item !== cut[k]) notes.push(`"${item}" is ${day}, since only its first two characters count`);
  }
  if (notes.length === 0) return undefined;
  const kept = [...days].sort((a, b) => a - b);
  const result = kept.length === 0 ? 'no day at all, so the rule never matches (negated, it always does)' : kept.join(',');
  return `${WARNING_REASON}iptables reads this list as ${result}: ${notes.join('; ')}`;
}

export const time: MatchSpec = {
  name: 'time',
  doc: 'Matches by the time the packet arrives: a date range, a daily time window, days of the month or of the week. Times are UTC unless `--kerneltz`.',
  options: {
    '--datestart': { args: [{ display: 'YYYY[-MM[-DD[Thh[:mm[:ss]]]]]', check: checkDate }], doc: 'Match only from this date and time on (ISO 8601).' },
    '--datestop': { args: [{ display: 'YYYY[-MM[-DD[Thh[:mm[:ss]]]]]', check: checkDate }], doc: 'Match only until this date and time (ISO 8601).' },
    '--timestart': { args: [{ display: 'hh:mm[:ss]', check: checkDaytime }], doc: 'Start of the daily window, 00:00:00-23:59:59.' },
    '--timestop': { args: [{ display: 'hh:mm[:ss]', check: checkDaytime }], doc: 'End of the daily window; a stop before the start wraps past midnight.' },
    '--monthdays': { args: [{ display: 'day[,day...]', check: checkMonthdays }], negatable: true, doc: 'Days of the month, 1-31, comma-separated.' },
    '--weekdays': { args: [{ display: 'day[,day...]', check: checkWeekdays, values: DAYS }], negatable: true, doc: 'Days of the week: Mon, Tue, Wed, Thu, Fri, Sat, Sun or 1-7, comma-separated.' },
    '--kerneltz': { args: [], aliases: ['--localtz'], conflicts: ['--utc'], doc: 'Interpret the times in the kernel\'s time zone instead of UTC.' },
    '--utc': { args: [], conflicts: ['--kerneltz'], doc: 'Interpret the times as UTC (the default).' },
    '--contiguous': { args: [], doc: 'With a window that wraps past midnight, treat it as one span (the end falls on the next day).' },
  },
  validate: dateRangeProblems,
};
