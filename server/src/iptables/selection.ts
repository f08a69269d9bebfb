/**
 * Smart selection (LSP `textDocument/selectionRange`, VS Code's Expand Selection): for each cursor
 * offset, the spans of the ruleset's structure around it, from the innermost to the outermost.
 *
 * On a command line the steps are: one item of a comma list (`ESTABLISHED` of
 * `--ctstate RELATED,ESTABLISHED`), the part of a `--name=value` word, a quoted word's text without
 * its quotes, the word, the option with its `!` and values (`! -s 10.0.0.0/8`), the match or target
 * with its options (`-m conntrack --ctstate NEW`, `-j REJECT --reject-with tcp-reset`, or the
 * `-p tcp ... --dport 22` of a protocol match loaded without `-m`), the command without its
 * counters and indent, the line. Around the line: for a command, the run of its chain's commands
 * (the runs folding folds) and the chain as the outline spans it (symbols.ts); for a chain
 * declaration, its chain when the outline counts the declaration in, and the declarations it stands
 * among; for a comment, the comment lines it stands among; then its `*table` .. `COMMIT` block and
 * the whole document.
 *
 * Each span strictly contains the one before (LSP requires a parent to contain its child, and an
 * equal span would be a step that selects nothing new); a level that does not nest is left out.
 * Pure; offsets are UTF-16.
 */
import type { Span } from '../core/span.js';
import type { Analysis } from './analysis.js';
import { blockAtLine, lineIndexAt, resolvedOf } from './cursor.js';
import type { ArgSpec } from './kb/types.js';
import type { Arg, ChainLine, Counters, IptablesDocument, Line, RuleLine, TableBlock, Word } from './model.js';
import type { ExtensionUse, ResolvedRule } from './resolve.js';
import { commandRuns, documentSymbols, linesInRuns, onlyNotes, type LineRun, type SymbolNode } from './symbols.js';

/** Nested spans around one offset, innermost first; never empty. */
export type SelectionChain = readonly Span[];

/**
 * The selection chain of each offset (offsets outside the text are moved to its nearest end).
 * Work shared by the offsets of one call (the runs of a table, the outline) is done once.
 */
export function selectionRanges(doc: IptablesDocument, analysis: Analysis, offsets: readonly number[]): SelectionChain[] {
  const outer = new OuterLevels(doc, analysis);
  const rules = new RuleLevels(doc, analysis);
  return offsets.map((raw) => {
    const offset = clampOffset(raw, doc.text.length);
    const candidates: Span[] = [];
    const index = lineIndexAt(doc, offset);
    const line = doc.lines[index];
    if (line && line.span.start <= offset && offset <= line.span.end) {
      lineLevels(doc, line, offset, rules, candidates);
      candidates.push(line.span);
    }
    outer.levels(index, line, candidates);
    candidates.push({ start: 0, end: doc.text.length });
    return nest(candidates, offset);
  });
}

function clampOffset(offset: number, length: number): number {
  if (!Number.isFinite(offset)) return offset > 0 ? length : 0;
  return Math.min(Math.max(Math.trunc(offset), 0), length);
}

/**
 * Keeps the candidates (innermost first) that hold the offset, are not empty, and strictly
 * contain the last one kept. A cursor that nothing covers (an empty document) gets the empty span
 * at the cursor, so every position has a chain that holds it.
 */
function nest(candidates: readonly Span[], offset: number): Span[] {
  const out: Span[] = [];
  for (const c of candidates) {
    if (c.end <= c.start || c.start > offset || c.end < offset) continue;
    const last = out[out.length - 1];
    if (last && !(c.start <= last.start && last.end <= c.end && (c.start < last.start || last.end < c.end))) continue;
    out.push({ start: c.start, end: c.end });
  }
  if (out.length === 0) out.push({ start: offset, end: offset });
  return out;
}

/**
 * Which of several spans holds the offset: the one it is inside of or at the start of, else the
 * one it ends (so a cursor between `RELATED,` and `ESTABLISHED` picks ESTABLISHED).
 */
function pick<T>(items: readonly T[], spanOf: (t: T) => Span, offset: number): T | undefined {
  let touching: T | undefined;
  for (const item of items) {
    const s = spanOf(item);
    if (s.start <= offset && offset < s.end) return item;
    if (offset === s.end && touching === undefined) touching = item;
  }
  return touching;
}

// ---------------------------------------------------------------------------------------------
// Inside one line

function lineLevels(doc: IptablesDocument, line: Line, offset: number, rules: RuleLevels, out: Span[]): void {
  switch (line.kind) {
    case 'rule':
      rules.levels(line, offset, out);
      return;
    case 'table':
      wordLevels(doc, line.name, out);
      return;
    case 'chain':
      chainLineLevels(doc, line, offset, out);
      return;
    case 'comment':
      commentLevels(doc, line.span, offset, out);
      return;
    case 'invalid':
      plainWordLevels(doc.text, line.span, offset, out);
      return;
    default:
      return; // blank and COMMIT lines are one unit
  }
}

/** A quoted word's text between its quotes, then the word; the parts are pushed when they hold the offset. */
function wordLevels(doc: IptablesDocument, word: Word, out: Span[]): void {
  const inner = quotedContent(doc.text, word);
  if (inner) out.push(inner);
  out.push(word.span);
}

/**
 * The text between the quotes of a word written `"..."` (the closing quote may be missing), or
 * undefined for a word without quotes or with a quote inside (`a"b c"`, whose text has no span).
 */
function quotedContent(text: string, word: Word): Span | undefined {
  if (!word.quoted) return undefined;
  const { start, end } = word.span;
  if (text.charCodeAt(start) !== 34 /* " */) return undefined;
  const closed = !word.unterminatedQuote && end - start >= 2 && text.charCodeAt(end - 1) === 34;
  return { start: start + 1, end: closed ? end - 1 : end };
}

function chainLineLevels(doc: IptablesDocument, line: ChainLine, offset: number, out: Span[]): void {
  if (line.counters && line.counters.span.start <= offset && offset <= line.counters.span.end) {
    counterLevels(doc.text, line.counters, offset, out);
    return;
  }
  const word = pick([line.name, ...(line.policy ? [line.policy] : []), ...line.extra], (w) => w.span, offset);
  if (word) wordLevels(doc, word, out);
}

/** The packet or byte count inside `[packets:bytes]`, then the brackets. */
function counterLevels(text: string, counters: Counters, offset: number, out: Span[]): void {
  const { start, end } = counters.span;
  const colon = text.indexOf(':', start);
  if (text.charCodeAt(start) === 91 /* [ */ && colon !== -1 && colon < end) {
    const closing = text.charCodeAt(end - 1) === 93 /* ] */ ? end - 1 : end;
    const part = pick([trimmed(text, start + 1, colon), trimmed(text, colon + 1, closing)], (s) => s, offset);
    if (part) out.push(part);
  }
  out.push(counters.span);
}

/** `[from, to)` without the blanks at either end. */
function trimmed(text: string, from: number, to: number): Span {
  let s = from;
  let e = to;
  while (s < e && isBlank(text.charCodeAt(s))) s++;
  while (e > s && isBlank(text.charCodeAt(e - 1))) e--;
  return { start: s, end: e };
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

/** A word of the comment, then its text after the `#` (without the blanks around it). */
function commentLevels(doc: IptablesDocument, span: Span, offset: number, out: Span[]): void {
  const body = trimmed(doc.text, span.start + 1, span.end);
  plainWordLevels(doc.text, body, offset, out);
  out.push(body);
}

/** The blank-separated word of `text[span]` at the offset (for comments and unreadable lines). */
function plainWordLevels(text: string, span: Span, offset: number, out: Span[]): void {
  let s = offset;
  let e = offset;
  while (s > span.start && !isBlank(text.charCodeAt(s - 1))) s--;
  while (e < span.end && !isBlank(text.charCodeAt(e))) e++;
  if (e > s) out.push({ start: s, end: e });
}

// ---------------------------------------------------------------------------------------------
// Command lines

/** An option of a command line as the resolver reads it, with what tells whether a value is a list. */
interface Piece {
  readonly arg: Arg;
  /** The argument specs of the option's own values, in order; undefined when the option is unknown. */
  readonly specs?: readonly ArgSpec[];
  /** How many of `arg.values` are the option's own (the rest are words nothing takes). */
  readonly own: number;
  /** The match or target the option belongs to or loads (`-m NAME`, `-j NAME`, `-p PROTO`), as a whole. */
  readonly unit?: Span;
}

/** What the levels of one command line need, worked out once for all offsets on it. */
interface RuleInfo {
  readonly line: RuleLine;
  /** Resolved options first, then the line's options as written (for what the resolver skips). */
  readonly pieces: readonly Piece[];
  /** The span of each match and target extension, smallest first. */
  readonly units: readonly Span[];
  /** From the first word after the counters to the last word. */
  readonly body?: Span;
}

class RuleLevels {
  /** The last line asked about: the offsets of one call mostly come line by line. */
  private last: RuleInfo | undefined;

  constructor(
    private readonly doc: IptablesDocument,
    private readonly analysis: Analysis,
  ) {}

  levels(line: RuleLine, offset: number, out: Span[]): void {
    const info = this.infoOf(line);
    if (line.counters && line.counters.span.start <= offset && offset <= line.counters.span.end) {
      counterLevels(this.doc.text, line.counters, offset, out);
      return;
    }
    const word = pick(line.words, (w) => w.span, offset);
    const hit = pieceAt(info.pieces, offset);
    const part = hit?.word;
    if (hit && part) {
      if (hit.valueIndex !== undefined && isList(hit.piece, hit.valueIndex, part)) {
        const item = listItemAt(this.doc.text, part, offset);
        if (item) out.push(item);
      }
      // A part of a written word: `22` of `--dport=22`, the packets of `-c 10,200` (when its offsets
      // are those of its text: not inside quotes, where they would be off by the quote).
      if (this.doc.text.slice(part.span.start, part.span.end) === part.text) out.push(part.span);
    }
    if (word) wordLevels(this.doc, word, out);
    if (hit) {
      out.push(hit.piece.arg.span);
      if (hit.piece.unit) out.push(hit.piece.unit);
    } else {
      // Between words: the option, or else the match or target, that the blank lies inside of.
      const arg = pick(line.args, (a) => a.span, offset);
      if (arg) out.push(arg.span);
      for (const unit of info.units) out.push(unit);
    }
    if (info.body) out.push(info.body);
  }

  private infoOf(line: RuleLine): RuleInfo {
    if (this.last?.line === line) return this.last;
    const resolved = resolvedOf(this.doc, this.analysis, line);
    const units = unitsOf(resolved);
    const first = line.words[0];
    const lastWord = line.words[line.words.length - 1];
    const info: RuleInfo = {
      line,
      pieces: piecesOf(line, resolved, units),
      units: [...units.values()].sort((a, b) => a.end - a.start - (b.end - b.start)),
      ...(first && lastWord ? { body: { start: first.span.start, end: lastWord.span.end } } : {}),
    };
    this.last = info;
    return info;
  }
}

function piecesOf(line: RuleLine, resolved: ResolvedRule, units: ReadonlyMap<ExtensionUse, Span>): Piece[] {
  const pieces: Piece[] = [];
  const withUnit = (piece: Piece, ext: ExtensionUse | undefined): Piece => {
    const unit = ext ? units.get(ext) : undefined;
    return unit ? { ...piece, unit } : piece;
  };
  if (line.command) pieces.push({ arg: line.command, own: line.command.values.length - resolved.commandExtra.length });
  for (const use of resolved.generic) {
    // `-m NAME`, `-j NAME` and `-p PROTO` belong with the extension they load.
    const at = use.values[0]?.span.start;
    const loads = at === undefined ? undefined : resolved.extensions.find((e) => e.nameWord?.span.start === at);
    pieces.push(withUnit({ arg: use.arg, specs: use.spec.args, own: use.values.length }, loads));
  }
  for (const ext of resolved.extensions) {
    for (const o of ext.options) pieces.push(withUnit({ arg: o.arg, specs: o.spec.args, own: o.values.length }, ext));
    for (const arg of ext.opaque) pieces.push(withUnit({ arg, own: arg.values.length }, ext));
  }
  for (const arg of resolved.unknown) pieces.push({ arg, own: arg.values.length });
  for (const a of resolved.ambiguous) pieces.push({ arg: a.arg, own: a.arg.values.length });
  // What the resolver does not read: a second command, -L/-S/-C, the options after a `-4` or `-6`
  // that ends the line for this family. They come last, so a resolved reading of a word wins.
  for (const arg of line.args) pieces.push({ arg, own: arg.values.length });
  return pieces;
}

/** The part of an option under the cursor: its `!`, its name, or one of its values. */
interface PieceHit {
  readonly piece: Piece;
  readonly span: Span;
  /** The name or value word (undefined for the `!`). */
  readonly word?: Word;
  /** Set when the word is a value of the option (index into `arg.values`). */
  readonly valueIndex?: number;
}

function pieceAt(pieces: readonly Piece[], offset: number): PieceHit | undefined {
  let touching: PieceHit | undefined;
  for (const piece of pieces) {
    const { arg } = piece;
    const consider = (hit: PieceHit): PieceHit | undefined => {
      const s = hit.span;
      if (s.start <= offset && offset < s.end) return hit;
      if (offset === s.end && touching === undefined) touching = hit;
      return undefined;
    };
    const found = (arg.negation ? consider({ piece, span: arg.negation }) : undefined)
      ?? consider({ piece, span: arg.name.span, word: arg.name })
      ?? arg.values.reduce<PieceHit | undefined>((acc, w, i) => acc ?? consider({ piece, span: w.span, word: w, valueIndex: i }), undefined);
    if (found) return found;
  }
  return touching;
}

/**
 * Whether a value is a comma-separated list: the knowledge base writes such an argument with a
 * comma (`state[,state...]`, `address[/mask][,...]`); the value of an option kvmnet does not know
 * is read as one when it is written without quotes (iptables-save quotes free text, never a list).
 */
function isList(piece: Piece, index: number, value: Word): boolean {
  if (index >= piece.own) return false;
  if (!piece.specs) return !value.quoted;
  return piece.specs[index]?.display.includes(',') ?? false;
}

/** The item of the comma list in `value` at the offset; undefined when the value has no comma. */
function listItemAt(text: string, word: Word, offset: number): Span | undefined {
  // Offsets are those of the value's text only when nothing was unquoted or unescaped in it.
  const content = quotedContent(text, word) ?? (word.quoted ? undefined : word.span);
  if (!content) return undefined;
  const raw = text.slice(content.start, content.end);
  if (raw !== word.text) return undefined;
  if (!raw.includes(',')) return undefined;
  const items: Span[] = [];
  let from = 0;
  for (const item of raw.split(',')) {
    items.push({ start: content.start + from, end: content.start + from + item.length });
    from += item.length + 1;
  }
  return pick(items, (s) => s, offset);
}

/**
 * Each extension from the option that loaded it (or the `-p` of a protocol match loaded without
 * `-m`) to its last option. An extension without options is its loading option alone.
 */
function unitsOf(resolved: ResolvedRule): Map<ExtensionUse, Span> {
  const units = new Map<ExtensionUse, Span>();
  for (const ext of resolved.extensions) {
    let start = Infinity;
    let end = -Infinity;
    const cover = (s: Span): void => {
      start = Math.min(start, s.start);
      end = Math.max(end, s.end);
    };
    if (ext.loadedBy) cover(ext.loadedBy.span);
    if (ext.nameWord) {
      cover(ext.nameWord.span);
      if (ext.implicit) {
        const at = ext.nameWord.span.start;
        const protocol = resolved.generic.find((g) => g.key === '-p' && g.values[0]?.span.start === at);
        if (protocol) cover(protocol.arg.span);
      }
    }
    for (const o of ext.options) cover(o.arg.span);
    for (const a of ext.opaque) cover(a.span);
    if (start < end) units.set(ext, { start, end });
  }
  return units;
}

// ---------------------------------------------------------------------------------------------
// Around the line

type Run = LineRun;

/** Per table block: the runs of chain commands and of chain declarations, and the outline's spans. */
interface BlockInfo {
  readonly commandRuns: readonly Run[];
  readonly declarationRuns: readonly Run[];
  readonly span?: Span;
  readonly chainSpans: ReadonlyMap<string, Span>;
}

class OuterLevels {
  private readonly blocks = new Map<TableBlock, BlockInfo>();
  private symbols: readonly SymbolNode[] | undefined;
  private readonly commentRuns = new Map<number, Run>();

  constructor(
    private readonly doc: IptablesDocument,
    private readonly analysis: Analysis,
  ) {}

  /** The spans around line `index` (which may be past the last line), innermost first. */
  levels(index: number, line: Line | undefined, out: Span[]): void {
    if (line?.kind === 'comment') out.push(this.commentRunAt(index).span);
    const block = blockAtLine(this.doc, index);
    if (!block) return;
    const info = this.blockInfo(block);
    const run = runAt(info.commandRuns, index);
    if (line?.kind === 'chain') {
      const own = info.chainSpans.get(line.name.text);
      if (own) out.push(own);
      const declarations = runAt(info.declarationRuns, index);
      if (declarations) out.push(declarations.span);
    }
    if (run) {
      out.push(run.span);
      const chain = run.chain === undefined ? undefined : info.chainSpans.get(run.chain);
      if (chain) out.push(chain);
    } else if (line && (line.kind === 'comment' || line.kind === 'blank')) {
      // A note between a chain's declaration and its first rule: the chain, as the outline spans it.
      const chain = smallestAround(info.chainSpans.values(), line.span);
      if (chain) out.push(chain);
    }
    if (info.span) out.push(info.span);
  }

  private commentRunAt(index: number): Run {
    const known = this.commentRuns.get(index);
    if (known) return known;
    const lines = this.doc.lines;
    let first = index;
    let last = index;
    while (lines[first - 1]?.kind === 'comment') first--;
    while (lines[last + 1]?.kind === 'comment') last++;
    const run: Run = { first, last, span: { start: (lines[first] as Line).span.start, end: (lines[last] as Line).span.end } };
    for (let i = first; i <= last; i++) this.commentRuns.set(i, run);
    return run;
  }

  private blockInfo(block: TableBlock): BlockInfo {
    const known = this.blocks.get(block);
    if (known) return known;
    // The outline's table and chain spans; rules are left out of it (limit 0), only chains are read.
    this.symbols ??= documentSymbols(this.doc, this.analysis, 0);
    const table = this.symbols[this.doc.tables.indexOf(block)];
    const chainSpans = new Map<string, Span>();
    for (const c of table?.children ?? []) if (c.kind === 'chain') chainSpans.set(c.name, c.span);
    const info: BlockInfo = {
      commandRuns: commandRuns(block),
      declarationRuns: declarationRuns(this.doc, block),
      ...(table ? { span: table.span } : {}),
      chainSpans,
    };
    this.blocks.set(block, info);
    return info;
  }
}

function smallestAround(spans: Iterable<Span>, inner: Span): Span | undefined {
  let best: Span | undefined;
  for (const s of spans) {
    if (s.start <= inner.start && inner.end <= s.end && (!best || s.end - s.start < best.end - best.start)) best = s;
  }
  return best;
}

/** The run whose lines hold `index` (runs are in line order and do not overlap). */
function runAt(runs: readonly Run[], index: number): Run | undefined {
  let lo = 0;
  let hi = runs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = runs[mid] as Run;
    if (index < r.first) hi = mid - 1;
    else if (index > r.last) lo = mid + 1;
    else return r;
  }
  return undefined;
}

/** The runs of `:CHAIN` lines of a block, with only comments or blank lines between them. */
function declarationRuns(doc: IptablesDocument, block: TableBlock): Run[] {
  const lines = [...block.chainLines].sort((a, b) => a.index - b.index);
  return linesInRuns(lines, (last, line) => onlyNotes(doc, last.index + 1, line.index));
}
