/** A half-open range of UTF-16 offsets into a document: `text.slice(start, end)`. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** The smallest span that covers both. */
export function joinSpans(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

export function containsOffset(s: Span, offset: number): boolean {
  return offset >= s.start && offset <= s.end;
}

/** Offsets of the first character of every line; `\n` ends a line (a `\r` before it stays in the line). */
export function computeLineStarts(text: string): number[] {
  const starts = [0];
  let i = text.indexOf('\n');
  while (i !== -1) {
    starts.push(i + 1);
    i = text.indexOf('\n', i + 1);
  }
  return starts;
}

/** Index of the last line that starts at or before `offset` (binary search over `lineStarts`). */
export function lineIndexAt(lineStarts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** 0-based line and UTF-16 character of an offset. */
export function offsetToPosition(lineStarts: readonly number[], offset: number): { line: number; character: number } {
  const line = lineIndexAt(lineStarts, offset);
  return { line, character: offset - (lineStarts[line] ?? 0) };
}
