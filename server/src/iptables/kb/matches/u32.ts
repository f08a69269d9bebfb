import type { ExtensionProblem, MatchSpec, ValueCheck } from '../types.js';
import { C_SPACE_CHARS, octalNote, scanCUnsigned, WARNING_REASON } from '../values.js';

/** XT_U32_MAXSIZE: at most this many tests, numbers in a location and ranges in a value. */
const U32_MAX = 10;

/**
 * What libxt_u32 makes of a `--u32` argument, or the first thing it refuses, read character by
 * character the way its parser reads it:
 * - tests joined by `&&` (the two characters together), each `location=value`;
 * - a location is numbers joined by `&`, `<<`, `>>` or `@` (no blank inside `<<`/`>>`);
 * - a value is ranges joined by `,`, each `number` or `number:number`;
 * - a number is a C number up to 2^32-1 (`0x` hex, leading-0 octal, blanks and `+` before it, no
 *   `-`); blanks may stand between the parts;
 * - at most 10 tests, 10 numbers in a location and 10 ranges in a value.
 * `shifts` collects the shift amounts (for the kernel's check), `notes` the warnings about numbers
 * that load as others (a leading 0 is octal) and ranges written backwards.
 */
export function readU32(v: string, shifts: number[] = [], notes: string[] = []): string | undefined {
  let at = 0;
  let readingValues = false;
  let tests = 1;
  let numbers = 0;
  let ranges = 0;
  let lastShift = false;
  const number = (): number | string => {
    const n = scanCUnsigned(v.slice(at));
    if (!n || n.negative || n.overflow || n.value > 0xffffffffn) return `at character ${at + 1}: not a number or out of range`;
    const note = octalNote(v.slice(at, at + n.end).trim(), 'number');
    if (note) notes.push(note);
    at += n.end;
    return Number(n.value);
  };
  for (;;) {
    while (at < v.length && C_SPACE_CHARS.includes(v[at] as string)) at++;
    if (at >= v.length) {
      if (!readingValues) return numbers === 0 ? 'a test without a location' : 'the input ends inside a location (no "=value")';
      if (ranges === 0) return 'a test ends without a value';
      return tests > U32_MAX ? `too many tests: at most ${U32_MAX} joined by &&` : undefined;
    }
    const c = v[at];
    if (!readingValues) {
      if (c === '=') {
        if (numbers === 0) return `at character ${at + 1}: a location is missing before "="`;
        at++;
        readingValues = true;
        continue;
      }
      lastShift = false;
      if (numbers > 0) {
        if (c === '<' || c === '>') {
          if (v[at + 1] !== c) return `at character ${at + 2}: a second "${c}" was expected`;
          at++;
          lastShift = true;
        } else if (c !== '&' && c !== '@') return `at character ${at + 1}: an operator (&, <<, >>, @) was expected`;
        at++;
      }
      const n = number();
      if (typeof n === 'string') return n;
      if (lastShift) shifts.push(n);
      if (++numbers > U32_MAX) return `too many operators in a location: at most ${U32_MAX} numbers`;
    } else if (c === '&') {
      if (v[at + 1] !== '&') return `at character ${at + 2}: a second "&" was expected`;
      if (ranges === 0) return `at character ${at + 1}: a value is missing before "&&"`;
      at += 2;
      tests++;
      readingValues = false;
      numbers = 0;
      ranges = 0;
    } else {
      if (ranges > 0) {
        if (c !== ',') return `at character ${at + 1}: "," or "&&" was expected`;
        at++;
      }
      const min = number();
      if (typeof min === 'string') return min;
      while (at < v.length && C_SPACE_CHARS.includes(v[at] as string)) at++;
      if (v[at] === ':') {
        at++;
        const max = number();
        if (typeof max === 'string') return max;
        // The kernel tests min <= value <= max: a range backwards matches no value.
        if (max < min) notes.push(`${WARNING_REASON}the range ${min}:${max} starts above its end, so it matches no value (a test holds only when one of its ranges matches)`);
      }
      if (++ranges > U32_MAX) return `too many "," in a value: at most ${U32_MAX} ranges`;
    }
  }
}

const checkU32: ValueCheck = (v) => {
  const notes: string[] = [];
  const problem = readU32(v, [], notes);
  if (problem !== undefined) return `invalid u32 test "${v}": ${problem}`;
  return notes[0];
};

export const u32: MatchSpec = {
  name: 'u32',
  doc: 'Extracts 32-bit words from the packet at computed offsets and compares them with values or ranges; a small language for matching any header field.',
  requireOneOf: [['--u32']],
  options: {
    '--u32': { args: [{ display: 'tests', check: checkU32 }], negatable: true, doc: 'Tests joined by `&&`, each `location=value[,value...]`; a location is a number combined with `&`, `<<`, `>>` and `@` (move to offset). E.g. `"0>>22&0x3C@12>>26&0x3C@0=0x0"`. At most 10 tests, 10 numbers per location and 10 ranges per value.' },
  },
  validate(given) {
    const problems: ExtensionProblem[] = [];
    for (const v of given.get('--u32') ?? []) {
      const shifts: number[] = [];
      if (readU32(v, shifts) !== undefined) continue;
      const wide = shifts.find((s) => s >= 32);
      if (wide !== undefined) {
        problems.push({
          option: '--u32',
          severity: 'warning',
          message: `a shift by ${wide}: recent kernels refuse shifts of 32 bits or more when the rule is loaded ("Invalid argument"); older ones load it, and the result of such a shift is undefined`,
        });
      }
    }
    return problems;
  },
};
