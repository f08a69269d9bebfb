import type { MatchSpec, ValueCheck } from '../types.js';
import { didYouMean, scanCUnsigned } from '../values.js';

/** ISO 8601 `YYYY[-MM[-DD[Thh[:mm[:ss]]]]]`, years 1970-2038 (iptables 1.8.9 refuses later years). */
const checkDate: ValueCheck = (v) => {
  const m = /^([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2})(?:T([0-9]{1,2})(?::([0-9]{1,2})(?::([0-9]{1,2}))?)?)?)?)?$/.exec(v);
  const fail = `invalid date "${v}": expected YYYY[-MM[-DD[Thh[:mm[:ss]]]]], years 1970-2038`;
  if (!m) return fail;
  const [year, month, day, hour, min, sec] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x)));
  if ((year ?? 0) < 1970 || (year ?? 0) > 2038) return fail;
  if (month !== undefined && (month < 1 || month > 12)) return fail;
  if (day !== undefined && (day < 1 || day > 31)) return fail;
  if (hour !== undefined && hour > 23) return fail;
  if (min !== undefined && min > 59) return fail;
  if (sec !== undefined && sec > 59) return fail;
  return undefined;
};

/** `hh:mm[:ss]` within 00:00:00-23:59:59. */
const checkDaytime: ValueCheck = (v) => {
  const m = /^([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2}))?$/.exec(v);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) return `invalid time "${v}": expected hh:mm[:ss] between 00:00 and 23:59:59`;
  return undefined;
};

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

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
  return undefined;
};

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
  return undefined;
};

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
};
