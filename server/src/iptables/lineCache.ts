/**
 * Incremental parsing for the language server. A new version of a document is compared with the
 * previous one: the lines before the first changed character are the previous version's line
 * objects as they are, the lines after the last changed character are the previous version's line
 * objects moved to their new offsets (`moveLine`), and only the lines in between are parsed again,
 * except for command lines whose text is one of the replaced lines' (a line moved or put back),
 * which are moved too. Resolved rules are cached per line object (`ResolveCache`), so an unchanged
 * line is neither parsed nor resolved again.
 *
 * Moving reuses objects: once a version is parsed from the previous one, the previous version's
 * document and analysis must not be used any more (their offsets are partly the new ones).
 */
import type { SyntaxProblem } from './model.js';
import type { Family } from './kb/types.js';
import { computeLineStarts, lineIndexAt } from '../core/span.js';
import type { Span } from '../core/span.js';
import { ParsedWord, type Line, type RuleLine, type Word } from './model.js';
import { assembleDocument, parseLine, type ParsedDocument } from './parser.js';
import { resolveRule, type ResolveContext, type ResolvedRule } from './resolve.js';

/** Where two versions of a text differ, in characters and in lines. */
export interface TextChange {
  /** Characters before this offset are the same in both versions. */
  readonly prefixChars: number;
  /** The previous version's characters from here on are the same as the new version's from `here + shift`. */
  readonly oldSuffixStart: number;
  /** New length minus old length. */
  readonly shift: number;
  /** Lines [0, prefixLines) are unchanged, at the same offsets. */
  readonly prefixLines: number;
  /** The previous version's lines [prefixLines, oldEnd) became the new version's lines [prefixLines, newEnd). */
  readonly oldEnd: number;
  readonly newEnd: number;
  /** Lines from `oldEnd` on are the new version's lines from `oldEnd + lineShift` on. */
  readonly lineShift: number;
}

/**
 * Length of the longest common prefix, by halving: each step compares two slices with `===`,
 * which V8 does as one memory comparison (a character loop in JavaScript is ten times slower).
 */
function commonPrefix(a: string, b: string): number {
  let lo = 0;
  let hi = Math.min(a.length, b.length);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.slice(lo, mid) === b.slice(lo, mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Length of the longest common suffix no longer than `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.slice(a.length - mid, a.length - lo) === b.slice(b.length - mid, b.length - lo)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Compares two versions of a text whose line starts are known. */
export function diffTexts(oldText: string, oldStarts: readonly number[], text: string, newStarts: readonly number[]): TextChange {
  const prefixChars = commonPrefix(oldText, text);
  const suffix = commonSuffix(oldText, text, Math.min(oldText.length, text.length) - prefixChars);
  const oldSuffixStart = oldText.length - suffix;
  // A line is unchanged before the edit when it and its "\n" lie in the common prefix.
  const prefixLines = lineIndexAt(oldStarts, prefixChars);
  // ... and after the edit when the "\n" before it lies in the common suffix.
  let oldEnd = lineIndexAt(oldStarts, oldSuffixStart) + 1;
  if (oldEnd < prefixLines) oldEnd = prefixLines;
  const lineShift = newStarts.length - oldStarts.length;
  return { prefixChars, oldSuffixStart, shift: text.length - oldText.length, prefixLines, oldEnd, newEnd: oldEnd + lineShift, lineShift };
}

/** Maps a span of the previous version to the new one; undefined when it touches the changed text. */
export function mapSpan(change: TextChange, span: Span): Span | undefined {
  if (span.end <= change.prefixChars) return { start: span.start, end: span.end };
  if (span.start >= change.oldSuffixStart) return { start: span.start + change.shift, end: span.end + change.shift };
  return undefined;
}

function moveWord(w: Word | undefined, delta: number): void {
  // Parser words only: a placeholder of another kind would be moved through its span.
  if (w instanceof ParsedWord) {
    w.start += delta;
    w.end += delta;
  }
}

function moveSpan(s: Span, delta: number): void {
  const m = s as { start: number; end: number };
  m.start += delta;
  m.end += delta;
}

/**
 * Moves a line object of a previous version: its offsets by `delta`, its index by `indexShift`.
 * Every offset of a line lives in one object of its own (its words, its span, a counter's span);
 * option spans and the parts of `--name=value` are computed from the words.
 */
export function moveLine(line: Line, delta: number, indexShift: number): void {
  if (indexShift !== 0) (line as { index: number }).index += indexShift;
  if (delta === 0) return;
  moveSpan(line.span, delta);
  switch (line.kind) {
    case 'table':
      moveWord(line.name, delta);
      break;
    case 'chain':
      moveWord(line.name, delta);
      moveWord(line.policy, delta);
      // A chain line's counters are its third word (which is in no other field).
      if (line.counters) {
        const s = line.counters.span;
        if (s instanceof ParsedWord) moveWord(s, delta);
        else moveSpan(s, delta);
      }
      for (const w of line.extra) moveWord(w, delta);
      break;
    case 'rule':
      for (const w of line.words) moveWord(w, delta);
      if (line.counters) moveSpan(line.counters.span, delta);
      break;
    default:
      break;
  }
}

/** Problems of a moved line, at its new offsets (new objects: the previous version's stay as they were). */
function moveProblems(problems: readonly SyntaxProblem[], delta: number): SyntaxProblem[] {
  const at = (s: Span): Span => ({ start: s.start + delta, end: s.end + delta });
  return problems.map((p) => ({
    ...p,
    span: at(p.span),
    ...(p.fixes ? { fixes: p.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, span: at(e.span) })) })) } : {}),
  }));
}

/**
 * A copy of a line's text that does not share the document's storage: the words of a line parsed
 * in the language server outlive the version it came from, and a slice would keep that whole
 * version in memory.
 */
function ownCopy(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** The whole text of line `i` (without its "\n"). */
function lineText(text: string, starts: readonly number[], i: number): string {
  const next = starts[i + 1];
  return text.slice(starts[i] as number, next === undefined ? text.length : next - 1);
}

/**
 * Parses `text` reusing what can be reused of `prev` (the previous version, `prevText`), given the
 * change between them. The new version's line starts are passed in (`diffTexts` needed them too).
 */
export function parseChanged(prev: ParsedDocument, text: string, lineStarts: readonly number[], family: Family, change: TextChange): ParsedDocument {
  const old = prev.doc;
  const oldLines = old.lines;
  const lines: Line[] = [];
  const lineProblems: Array<readonly SyntaxProblem[] | undefined> = [];
  const cr = new Uint8Array(lineStarts.length);
  const { prefixLines, oldEnd, newEnd, shift, lineShift } = change;
  for (let i = 0; i < prefixLines && i < oldLines.length; i++) {
    lines.push(oldLines[i] as Line);
    lineProblems.push(prev.lineProblems[i]);
    cr[i] = prev.cr[i] ?? 0;
  }
  // Command lines of the replaced region, by text, for lines that were only moved or copied.
  let pool: Map<string, number[]> | undefined;
  for (let i = prefixLines; i < oldEnd && i < oldLines.length; i++) {
    if ((oldLines[i] as Line).kind !== 'rule') continue;
    const key = lineText(old.text, old.lineStarts, i);
    pool ??= new Map();
    const list = pool.get(key);
    if (list) list.push(i);
    else pool.set(key, [i]);
  }
  for (let k = prefixLines; k < newEnd; k++) {
    const start = lineStarts[k] as number;
    const next = lineStarts[k + 1];
    const end = next === undefined ? text.length : next - 1;
    if (next === undefined && start === end) break;
    const raw = text.slice(start, end);
    const reusable = pool?.get(raw);
    const from = reusable?.shift();
    if (from !== undefined) {
      const line = oldLines[from] as Line;
      const delta = start - line.span.start;
      moveLine(line, delta, k - line.index);
      lines.push(line);
      const problems = prev.lineProblems[from];
      lineProblems.push(problems && delta !== 0 ? moveProblems(problems, delta) : problems);
      cr[k] = prev.cr[from] ?? 0;
      continue;
    }
    const own = ownCopy(raw);
    const parsed = parseLine(own, 0, own.length, start, k, true);
    lines.push(parsed.line);
    lineProblems.push(parsed.problems.length > 0 ? parsed.problems : undefined);
    cr[k] = parsed.cr;
  }
  for (let i = oldEnd; i < oldLines.length; i++) {
    const line = oldLines[i] as Line;
    moveLine(line, shift, lineShift);
    lines.push(line);
    const problems = prev.lineProblems[i];
    lineProblems.push(problems && shift !== 0 ? moveProblems(problems, shift) : problems);
    cr[i + lineShift] = prev.cr[i] ?? 0;
  }
  return { doc: assembleDocument(text, family, lineStarts, lines, lineProblems, cr), lineProblems, cr };
}

/** The new version's line starts and its change from the previous version. */
export function compareVersions(prevText: string, prevStarts: readonly number[], text: string): { lineStarts: number[]; change: TextChange } {
  const lineStarts = computeLineStarts(text);
  return { lineStarts, change: diffTexts(prevText, prevStarts, text, lineStarts) };
}

interface CachedResolve {
  readonly resolved: ResolvedRule;
  readonly family: Family;
  /** The `-j`/`-g` name the resolver asked about, and whether it was a user chain then. */
  readonly asked: string | undefined;
  readonly userChain: boolean;
}

/**
 * Resolved rules by line object. A result stays valid while the family is the same and the one
 * thing the resolver asks the table (is the `-j` name a user chain?) has the same answer.
 */
export class ResolveCache {
  private readonly byLine = new WeakMap<RuleLine, CachedResolve>();

  resolve(line: RuleLine, ctx: ResolveContext): ResolvedRule {
    const cached = this.byLine.get(line);
    if (cached && cached.family === ctx.family && (cached.asked === undefined || ctx.isUserChain(cached.asked) === cached.userChain)) return cached.resolved;
    let asked: string | undefined;
    let userChain = false;
    let questions = 0;
    const resolved = resolveRule(line, {
      family: ctx.family,
      isUserChain: (name) => {
        questions++;
        asked = name;
        userChain = ctx.isUserChain(name);
        return userChain;
      },
    });
    // The resolver asks once per rule today; a rule it asked more about is simply not cached.
    if (questions <= 1) this.byLine.set(line, { resolved, family: ctx.family, asked, userChain });
    return resolved;
  }
}
