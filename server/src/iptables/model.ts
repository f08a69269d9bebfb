/**
 * The syntax model of an iptables-save / iptables-restore file. Produced by `parseIptables`, which
 * never throws; every part keeps its own span (UTF-16 offsets into the document text).
 */
import type { Fix } from '../core/finding.js';
import type { Span } from '../core/span.js';
import type { Family } from './kb/types.js';

/** One whitespace-separated word as iptables-restore splits it (quotes removed in `text`). */
export interface Word {
  /** The value iptables sees: quotes removed, `\"` unescaped inside quotes. */
  readonly text: string;
  readonly span: Span;
  readonly quoted: boolean;
  /** A quote was opened and the line ended before it closed (iptables-restore accepts this). */
  readonly unterminatedQuote?: boolean;
}

/** An option as written: `[!] --name [value ...]`. */
export interface Arg {
  readonly name: Word;
  /** The `!` before the option, when present. */
  readonly negation?: Span;
  /** The words after the option up to the next option or `!` (the resolver decides how many are its own). */
  readonly values: readonly Word[];
  /** From the `!` (or name) to the last value. */
  readonly span: Span;
}

export type CommandKind = 'append' | 'insert' | 'delete' | 'replace' | 'new-chain' | 'delete-chain' | 'flush' | 'zero' | 'policy' | 'rename-chain';

/** A `[packets:bytes]` counter. */
export interface Counters {
  readonly span: Span;
  readonly packets: string;
  readonly bytes: string;
}

export interface BlankLine { readonly kind: 'blank'; readonly index: number; readonly span: Span }
export interface CommentLine { readonly kind: 'comment'; readonly index: number; readonly span: Span; readonly text: string }

export interface TableLine {
  readonly kind: 'table';
  readonly index: number;
  readonly span: Span;
  /** The word after `*` (span excludes the `*`). */
  readonly name: Word;
}

export interface ChainLine {
  readonly kind: 'chain';
  readonly index: number;
  readonly span: Span;
  /** After the `:`. */
  readonly name: Word;
  /** `ACCEPT`, `DROP` or `-` for user chains. */
  readonly policy?: Word;
  readonly counters?: Counters;
  /** Words after the counters (ignored by iptables-restore). */
  readonly extra: readonly Word[];
}

export interface CommitLine { readonly kind: 'commit'; readonly index: number; readonly span: Span }

/** A command line: `[counters] -A CHAIN [options...]` and the other commands. */
export interface RuleLine {
  readonly kind: 'rule';
  readonly index: number;
  readonly span: Span;
  readonly counters?: Counters;
  /** Every word of the line (after the bracket counters), in order. */
  readonly words: readonly Word[];
  /** Options in order; includes the command option itself. */
  readonly args: readonly Arg[];
  /** Words before the first option (nothing may stand there). */
  readonly leading: readonly Word[];
  /** A `!` that is not followed by an option (e.g. at the end of the line, or `! !`). */
  readonly strayNegations: readonly Span[];
  /** The command option (`-A`, `--insert` ...), the first one found. */
  readonly command?: Arg;
  readonly commandKind?: CommandKind;
  /** The chain the command works on (first value of the command), if given. */
  readonly chain?: Word;
}

/** A line the parser could not classify at all (reported by `syntax`). */
export interface InvalidLine { readonly kind: 'invalid'; readonly index: number; readonly span: Span }

export type Line = BlankLine | CommentLine | TableLine | ChainLine | CommitLine | RuleLine | InvalidLine;

/** A `*table ... COMMIT` block. */
export interface TableBlock {
  readonly header: TableLine;
  readonly name: string;
  readonly chainLines: ChainLine[];
  readonly rules: RuleLine[];
  commit?: CommitLine;
}

/** A structural problem the parser found (reported by the `syntax` rule). */
export interface SyntaxProblem {
  readonly span: Span;
  readonly message: string;
  readonly severity?: 'error' | 'warning';
  readonly fixes?: readonly Fix[];
}

export interface IptablesDocument {
  readonly text: string;
  readonly family: Family;
  readonly lineStarts: readonly number[];
  readonly lines: readonly Line[];
  readonly tables: readonly TableBlock[];
  readonly problems: readonly SyntaxProblem[];
}

/**
 * The parser's words: the word is its own span (`word.span === word`), which halves the objects a
 * large ruleset needs (a kube-proxy ruleset has millions of words). Only `text`, `start` and `end`
 * are stored: a quoted word always covers more characters than its text (at least the opening
 * quote), so `quoted` is derived from the lengths.
 *
 * `start` and `end` are writable for the incremental parser only (`moveLine` in lineCache.ts), which
 * moves the words of an unchanged line when an edit above it shifts the text.
 */
export class ParsedWord implements Word, Span {
  constructor(
    readonly text: string,
    public start: number,
    public end: number,
  ) {}

  get span(): Span {
    return this;
  }

  get quoted(): boolean {
    return this.end - this.start !== this.text.length;
  }

  get unterminatedQuote(): boolean | undefined {
    return undefined;
  }
}

/** A quoted word whose line ends before the closing quote. */
export class UnterminatedWord extends ParsedWord {
  override get unterminatedQuote(): boolean {
    return true;
  }
}

/**
 * A part of another word at a fixed distance from its start (`--name=value` is read as the option
 * `--name` and the value `value`). Its offsets follow the parent word when that moves.
 */
export class PartWord implements Word, Span {
  constructor(
    readonly text: string,
    readonly parent: Word,
    /** Offset of this part from the parent's start. */
    readonly from: number,
  ) {}

  get start(): number {
    return this.parent.span.start + this.from;
  }

  get end(): number {
    return this.parent.span.start + this.from + this.text.length;
  }

  get span(): Span {
    return this;
  }

  get quoted(): boolean {
    return false;
  }

  get unterminatedQuote(): boolean | undefined {
    return undefined;
  }
}

/**
 * The parser's options. The span is computed from the parts when asked for (it is seldom read),
 * so it needs no object of its own and follows the words when they move.
 */
export class ParsedArg implements Arg {
  constructor(
    readonly name: Word,
    readonly negation: Span | undefined,
    readonly values: readonly Word[],
  ) {}

  get span(): Span {
    const last = this.values[this.values.length - 1] ?? this.name;
    return { start: (this.negation ?? this.name.span).start, end: last.span.end };
  }
}
