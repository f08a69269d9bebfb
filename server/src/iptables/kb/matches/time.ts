import type { MatchSpec, ValueCheck } from '../types.js';
import { commaList, uintRange } from '../values.js';

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
/** A weekday: 1-7 or a name that starts with Mon, Tue ... (case matters). */
const checkWeekday: ValueCheck = (v) =>
  /^[1-7]$/.test(v) || DAYS.some((d) => v.startsWith(d)) ? undefined : `invalid weekday "${v}": expected Mon, Tue, Wed, Thu, Fri, Sat, Sun or 1-7`;

export const time: MatchSpec = {
  name: 'time',
  doc: 'Matches by the time the packet arrives: a date range, a daily time window, days of the month or of the week. Times are UTC unless `--kerneltz`.',
  options: {
    '--datestart': { args: [{ display: 'YYYY[-MM[-DD[Thh[:mm[:ss]]]]]', check: checkDate }], doc: 'Match only from this date and time on (ISO 8601).' },
    '--datestop': { args: [{ display: 'YYYY[-MM[-DD[Thh[:mm[:ss]]]]]', check: checkDate }], doc: 'Match only until this date and time (ISO 8601).' },
    '--timestart': { args: [{ display: 'hh:mm[:ss]', check: checkDaytime }], doc: 'Start of the daily window, 00:00:00-23:59:59.' },
    '--timestop': { args: [{ display: 'hh:mm[:ss]', check: checkDaytime }], doc: 'End of the daily window; a stop before the start wraps past midnight.' },
    '--monthdays': { args: [{ display: 'day[,day...]', check: commaList(uintRange(0, 31, 'day of month'), Infinity, 'day') }], negatable: true, doc: 'Days of the month, 1-31, comma-separated.' },
    '--weekdays': { args: [{ display: 'day[,day...]', check: commaList(checkWeekday, Infinity, 'weekday'), values: DAYS }], negatable: true, doc: 'Days of the week: Mon, Tue, Wed, Thu, Fri, Sat, Sun or 1-7, comma-separated.' },
    '--kerneltz': { args: [], aliases: ['--localtz'], conflicts: ['--utc'], doc: 'Interpret the times in the kernel\'s time zone instead of UTC.' },
    '--utc': { args: [], conflicts: ['--kerneltz'], doc: 'Interpret the times as UTC (the default).' },
    '--contiguous': { args: [], doc: 'With a window that wraps past midnight, treat it as one span (the end falls on the next day).' },
  },
};
