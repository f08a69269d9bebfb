/**
 * Format Document and Format Selection for iptables-save rulesets: tidies the blanks of a line and
 * never what `iptables-restore` reads from it. Pure; spans are UTF-16 offsets.
 *
 * What each kind of line becomes (checked against iptables-restore 1.8.9, nf_tables and legacy,
 * by loading both texts and comparing what `iptables-save` prints):
 * - a command line: its words joined by one space, without blanks before or after. The tool splits
 *   a command line into words at runs of spaces and tabs (xshared.c, add_param_to_argv), so one
 *   space splits it the same way; each word is copied from the text as written (quotes, escapes,
 *   blanks inside quotes). A `[packets:bytes]` counter stays in column 1, followed by one space.
 * - a chain line: `:NAME POLICY [p:b]` with single spaces (the tool reads it with strtok on blanks
 *   and tabs, so `: INPUT DROP` is `:INPUT DROP` to it); a table line: `*name` the same way.
 * - a comment line: its trailing blanks go, its text stays.
 *
 * Left as they are, whatever the options say:
 * - a line the parser reports a problem on (its finding says what to do, often with a quick fix;
 *   a change here could turn a refused file into one that loads): `COMMIT ` and a line of only
 *   blanks, which the tool refuses, among them;
 * - a line with a "\r" (the CRLF finding converts the whole file);
 * - a line whose tidied form the parser would read otherwise (blanks before `[0:0]`, `*filter` or
 *   `:INPUT`, which make them the words of a command line), and a command line with two words that
 *   touch (`"ab"cd`: the tool ends a word at its closing quote);
 * - a chain or table line with a double quote (strtok does not know quotes; kvmnet's words do);
 * - COMMIT, which the tool recognises only when the line is exactly `COMMIT`;
 * - blank lines, which are empty: a line of blanks has a problem.
 */
import { lineIndexAt, type Span } from '../core/span.js';
import type { IptablesDocument, Line, RuleLine, Word } from './model.js';
import { parseLine } from './parser.js';

/** The LSP formatting options kvmnet honours (other fields, such as tabSize, do not apply). */
export interface FormatOptions {
  /** Remove blanks (spaces, tabs) at the end of lines. Default true; false keeps them, also after a tidied command line. */
  readonly trimTrailingWhitespace?: boolean;
  /** Whole-document formatting only: end the file with "\n". Default false. */
  readonly insertFinalNewline?: boolean;
  /** Whole-document formatting only: remove empty lines at the end of the file. Default false. */
  readonly trimFinalNewlines?: boolean;
}

/** A replacement of `span` of the document's text by `newText`. */
export interface FormatEdit {
  readonly span: Span;
  readonly newText: string;
}

/**
 * The edits that format `doc`: at most one per changed line, covering that line without its line
 * break, in document order. With `range`, only the lines the range touches are formatted (a range
 * ending at the start of a line does not touch that line), and the end of the file is left alone.
 */
export function formatEdits(doc: IptablesDocument, options: FormatOptions = {}, range?: Span): FormatEdit[] {
  const text = doc.text;
  const trim = options.trimTrailingWhitespace ?? true;
  const lines = doc.lines;
  const untouchable = linesWithProblems(doc);
  let first = 0;
  let last = lines.length - 1;
  if (range) {
    first = lineIndexAt(doc.lineStarts, range.start);
    last = range.end > range.start ? lineIndexAt(doc.lineStarts, range.end - 1) : first;
  }
  const edits: FormatEdit[] = [];
  const hasCr = text.includes('\r');
  for (let i = first; i <= last && i < lines.length; i++) {
    const line = lines[i] as Line;
    if (untouchable[line.index] === 1) continue;
    const start = doc.lineStarts[line.index] as number;
    const next = doc.lineStarts[line.index + 1];
    const end = next === undefined ? text.length : next - 1;
    // The parser ends a line early at a NUL or at the tool's read buffer (both are problems) and
    // before a "\r"; only a line it read whole is formatted.
    if (line.span.start !== start || line.span.end !== end) continue;
    if (hasCr && text.slice(start, end).includes('\r')) continue;
    const formatted = formatLine(text, line, start, end, trim);
    if (formatted !== undefined) edits.push({ span: { start, end }, newText: formatted });
  }
  if (!range) finishEnd(doc, options, untouchable, edits);
  return edits;
}

/** Lines (by index) that a problem of the parser touches; 1 marks one. */
function linesWithProblems(doc: IptablesDocument): Uint8Array {
  const marks = new Uint8Array(doc.lineStarts.length);
  for (const p of doc.problems) {
    const from = lineIndexAt(doc.lineStarts, p.span.start);
    const to = lineIndexAt(doc.lineStarts, Math.max(p.span.start, p.span.end - 1));
    for (let k = from; k <= to; k++) marks[k] = 1;
  }
  return marks;
}

/** The tidied text of the line `text[start, end)`, or undefined when it stays as it is. */
function formatLine(text: string, line: Line, start: number, end: number, trim: boolean): string | undefined {
  switch (line.kind) {
    case 'comment': {
      if (!trim) return undefined;
      const kept = trimmedEnd(text, start, end);
      return kept < end ? text.slice(start, kept) : undefined;
    }
    case 'table':
    case 'chain':
      return formatBlankSplitLine(text, start, end, trim);
    case 'rule':
      return formatCommandLine(text, line, start, end, trim);
    default:
      // Blank lines are empty; COMMIT is exact or has a problem; an invalid line is not touched.
      return undefined;
  }
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Where the blanks at the end of `text[start, end)` begin. */
function trimmedEnd(text: string, start: number, end: number): number {
  let k = end;
  while (k > start && isBlank(text.charCodeAt(k - 1))) k--;
  return k;
}

/**
 * A `*table` or `:chain` line: its first character, then the words strtok finds after it (split at
 * spaces and tabs), one space apart. Not formatted when it has a double quote: the parser's words
 * take quotes off, strtok's do not, so the two could split such a line differently.
 */
function formatBlankSplitLine(text: string, start: number, end: number, trim: boolean): string | undefined {
  const raw = text.slice(start, end);
  if (raw.includes('"')) return undefined;
  const kept = trimmedEnd(text, start, end);
  const words = text.slice(start + 1, kept).split(/[ \t]+/).filter((w) => w !== '');
  const tidy = `${raw[0] ?? ''}${words.join(' ')}${trim ? '' : text.slice(kept, end)}`;
  return tidy === raw ? undefined : tidy;
}

/**
 * A command line: the counter (in column 1, where the tool reads it) and the words, one space
 * apart, each copied from the text. Checked by parsing the result: it must be a command line with
 * the same counter and the same words, and no problem.
 */
function formatCommandLine(text: string, line: RuleLine, start: number, end: number, trim: boolean): string | undefined {
  const words = line.words;
  if (words.length === 0 && !line.counters) return undefined;
  // Already tidy: no blanks before the first part, one space between parts, none at the end.
  let at = start;
  let tidy = true;
  if (line.counters) {
    if (line.counters.span.start !== start) return undefined; // a counter iptables-restore reads is in column 1
    at = line.counters.span.end;
    if (words.length > 0 && (words[0]?.span.start !== at + 1 || text.charCodeAt(at) !== 32)) tidy = false;
  } else if ((words[0]?.span.start ?? start) !== start) tidy = false;
  for (let k = 0; k < words.length; k++) {
    const w = words[k] as Word;
    if (k > 0) {
      const prevEnd = (words[k - 1] as Word).span.end;
      // Two words with nothing between them (`"ab"cd`): the tool ends a word at its closing quote.
      if (w.span.start === prevEnd) return undefined;
      if (w.span.start !== prevEnd + 1 || text.charCodeAt(prevEnd) !== 32) tidy = false;
    }
    at = w.span.end;
  }
  if (trimmedEnd(text, at, end) !== at) return undefined; // something after the last word that is no blank
  if (trim && at !== end) tidy = false;
  if (tidy) return undefined;

  const parts: string[] = [];
  if (line.counters) parts.push(text.slice(line.counters.span.start, line.counters.span.end));
  for (const w of words) parts.push(text.slice(w.span.start, w.span.end));
  let result = parts.join(' ');
  if (!trim) result += text.slice(at, end);
  if (result === text.slice(start, end)) return undefined;
  return readsTheSame(line, result) ? result : undefined;
}

/** Whether `formatted` parses as a command line with the same counter and words as `line`, and no problem. */
function readsTheSame(line: RuleLine, formatted: string): boolean {
  const again = parseLine(formatted, 0, formatted.length, 0, line.index);
  if (again.problems.length > 0 || again.cr !== 0 || again.line.kind !== 'rule') return false;
  const now = again.line;
  if ((now.counters === undefined) !== (line.counters === undefined)) return false;
  if (now.counters && line.counters && (now.counters.packets !== line.counters.packets || now.counters.bytes !== line.counters.bytes)) return false;
  if (now.words.length !== line.words.length) return false;
  for (let k = 0; k < now.words.length; k++) {
    const a = now.words[k] as Word;
    const b = line.words[k] as Word;
    if (a.text !== b.text || a.quoted !== b.quoted || a.span.end - a.span.start !== b.span.end - b.span.start) return false;
  }
  return true;
}

/**
 * The end of the file, for whole-document formatting: empty lines after the last line with text
 * removed (`trimFinalNewlines`), and a "\n" after the last line (`insertFinalNewline`) unless that
 * line has a problem or a "\r". (A file that ends right after COMMIT has one: iptables-legacy-restore
 * refuses it, so the final newline would change what loads; the problem's fix adds it.)
 */
function finishEnd(doc: IptablesDocument, options: FormatOptions, untouchable: Uint8Array, edits: FormatEdit[]): void {
  const text = doc.text;
  if (text.length === 0) return;
  if (options.trimFinalNewlines === true && text.endsWith('\n\n')) {
    let k = text.length - 1; // the final "\n"
    while (k > 0 && text.charCodeAt(k - 1) === 10) k--;
    // text[k] is the "\n" that ends the last line with text (or the first character of the file).
    if (k > 0) edits.push({ span: { start: k + 1, end: text.length }, newText: '' });
  }
  if (options.insertFinalNewline === true && !text.endsWith('\n')) {
    const lastIndex = doc.lineStarts.length - 1;
    const lastStart = doc.lineStarts[lastIndex] as number;
    const lastLine = doc.lines[doc.lines.length - 1];
    if (untouchable[lastIndex] === 1 || text.includes('\r', lastStart) || lastLine === undefined || lastLine.index !== lastIndex || lastLine.kind === 'commit') return;
    const own = edits[edits.length - 1];
    // One edit per line: the newline joins the last line's own edit when it has one.
    if (own && own.span.end === text.length) edits[edits.length - 1] = { span: own.span, newText: `${own.newText}\n` };
    else edits.push({ span: { start: text.length, end: text.length }, newText: '\n' });
  }
}
