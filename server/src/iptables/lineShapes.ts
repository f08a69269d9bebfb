/**
 * A shortcut for the structure pass of the streamed lint (streamed.ts). That pass reads every
 * command line of a ruleset but keeps only its command, chain and target. Machine-written rulesets
 * repeat a few line shapes: a kube-proxy ruleset of 100,000 rules has a few dozen, such as
 * `-A <chain> -s <address> -m comment --comment <text> -j KUBE-MARK-MASQ`.
 *
 * How iptables' getopt reads a line (which words are whose values, which extensions get loaded,
 * which word is the target) depends only on:
 * - the words that start with "-" (options) or "!", as written;
 * - where the other words stand;
 * - the word after an option that loads an extension or names a target (`-m`, `-p`, `-j`, `-g` and
 *   their long forms), after `-c` (split at a comma) and after a "!" word, as written;
 * - for the word after `-j`/`-g`, whether it names a user chain (a chain's name is not read further).
 *
 * The shape of a line is all of that, with every other word replaced by a placeholder. `ShapeReader`
 * finds it with one scan of the line's characters, without making words. The first line of a shape
 * is read in full (parser and resolver) and the reader notes where its command, chain and target
 * words stand; each later line of that shape gets its stand-ins from those positions.
 *
 * Always read in full: a line outside a plain subset (a tab, a backslash, a character outside
 * printable ASCII, a quote that does not wrap a whole word, a word starting with "#", a long line),
 * and every line of a shape whose first line had anything else to it (a problem the parser found,
 * counters, a command other than -A, an unknown match, options handed to an unknown target, a -4 or
 * -6 that makes the tool skip the line). The
 * words the scan finds are compared with the parser's on that first line, so a scan that read a line
 * differently only costs the shortcut.
 *
 * What the shortcut keeps of a line is one object (`ShortRule`), and a chain line in its usual form
 * `:NAME POLICY [p:b]` is kept the same way (`readChainLine`): the objects the structure keeps until
 * the end of the lint are most of the first pass's cost (allocation and the young-generation
 * collector copying them). The reader also numbers the shapes, line by line, for the second pass's
 * memo (shapeMemo.ts).
 */
import type { Span } from '../core/span.js';
import type { TargetSpec } from './kb/types.js';
import { ParsedArg, ParsedWord, type Arg, type ChainLine, type Counters, type Line, type RuleLine, type Word } from './model.js';
import { sharedName, token, type ChainNames, type ParsedLine } from './parser.js';
import type { ExtensionUse, ResolveContext, ResolvedRule, TargetUse } from './resolve.js';

const NONE: readonly never[] = Object.freeze([]);

/**
 * What the structure needs of a command line: the command (with its chain and, for `-E`, the new
 * name), the counters and stray words the document's assembly looks at. Words and options beyond
 * the command are dropped.
 */
export function standInLine(line: RuleLine): RuleLine {
  if (!line.command) return line; // rare, and reported from the line as a whole
  return {
    kind: 'rule', index: line.index, span: line.span, counters: line.counters, words: NONE, args: [line.command], leading: line.leading,
    strayNegations: NONE, command: line.command, commandKind: line.commandKind, chain: line.chain,
  };
}

/**
 * What the structure needs of a resolved rule: the target (what the jump graph, the hooks and
 * `classifyTarget` read; a target extension only when options went to it unchecked) and the
 * matches kvmnet does not know (`unknown-extension`).
 */
export function standInResolved(r: ResolvedRule, line: RuleLine): ResolvedRule {
  const t = r.target;
  let target: TargetUse | undefined = t;
  if (t?.extension && t.extension.opaque.length === 0) target = { kind: t.kind, arg: t.arg, word: t.word, spec: t.spec, isUserChain: t.isUserChain };
  const unknownMatches = r.matches.filter((m) => !m.spec && !m.implicit);
  return resolvedStandIn(line, target, unknownMatches.length === 0 ? NONE : unknownMatches, r.familySkip);
}

function resolvedStandIn(line: RuleLine, target: TargetUse | undefined, matches: readonly ExtensionUse[], familySkip?: Arg): ResolvedRule {
  const none = NONE as never[];
  return { line, generic: none, matches: matches as ExtensionUse[], target, protocol: undefined, unknown: none, ambiguous: none, commandExtra: none, extensions: none, familySkip };
}

/** Where the first line of a shape had its target, and what that target was. */
interface Shape {
  /** Index of the `-j`/`-g` word (its name is the next word), or -1 for a line without a target. */
  readonly jump: number;
  /** Lengths of the command word (`-A`, `--append` ...) and of the `-j`/`-g` word, the same on every line of the shape. */
  readonly commandLength: number;
  readonly jumpLength: number;
  readonly kind: 'jump' | 'goto';
  readonly spec: TargetSpec | undefined;
  readonly isUserChain: boolean;
}

/**
 * The stand-ins of a line that took the shortcut, as one object: the line (`RuleLine`) and its
 * resolved rule (`ResolvedRule`, whose `line` is the object itself). A kube-proxy ruleset keeps
 * 100,000 of them until the end of the lint, and every object the structure keeps is copied by the
 * young-generation collector and costs its allocation: separate objects for the line, its span,
 * command, option list, target, target option and their words took about twelve per line and most
 * of the first pass's time. Here the line keeps its chain and target name words and offsets; the
 * command option is made when something asks for it, and the target each time it is asked for (a
 * short-lived object; nothing compares targets by identity, their words are kept).
 */
class ShortRule implements RuleLine, ResolvedRule {
  readonly kind = 'rule' as const;
  readonly commandKind = 'append' as const;
  private commandArg: ParsedArg | undefined = undefined;

  constructor(
    private readonly src: string,
    readonly index: number,
    /** The line's span (the object is its own span, as a word is). */
    readonly start: number,
    readonly end: number,
    /** The chain's name (one string per name in the document) and where it stands; never quoted. */
    readonly chainName: string,
    private readonly chainStart: number,
    /** The target's name (shared the same way), or undefined for a line without a target; never quoted. */
    readonly targetName: string | undefined,
    private readonly targetStart: number,
    /** Offset of the `-j`/`-g` word. */
    private readonly jumpStart: number,
    readonly shape: Shape,
  ) {}

  /** A word made when asked for (nothing compares a stand-in's words by identity). */
  get chain(): ParsedWord {
    return new ParsedWord(this.chainName, this.chainStart, this.chainStart + this.chainName.length);
  }

  get span(): Span {
    return this;
  }

  get command(): ParsedArg {
    if (this.commandArg === undefined) {
      const end = this.start + this.shape.commandLength;
      this.commandArg = new ParsedArg(new ParsedWord(token(this.src, this.start, end), this.start, end), undefined, [this.chain]);
    }
    return this.commandArg;
  }

  get args(): readonly Arg[] {
    return [this.command];
  }

  get counters(): undefined {
    return undefined;
  }

  get words(): readonly Word[] {
    return NONE;
  }

  get leading(): readonly Word[] {
    return NONE;
  }

  get strayNegations(): readonly Span[] {
    return NONE;
  }

  get line(): RuleLine {
    return this;
  }

  get target(): TargetUse | undefined {
    const name = this.targetName;
    if (name === undefined) return undefined;
    const shape = this.shape;
    const word = new ParsedWord(name, this.targetStart, this.targetStart + name.length);
    return new ShortTarget(this.src, this.jumpStart, this.jumpStart + shape.jumpLength, word, shape);
  }

  get generic(): never[] {
    return NONE as never[];
  }

  get matches(): never[] {
    return NONE as never[];
  }

  get unknown(): never[] {
    return NONE as never[];
  }

  get ambiguous(): never[] {
    return NONE as never[];
  }

  get commandExtra(): readonly Word[] {
    return NONE;
  }

  get extensions(): readonly ExtensionUse[] {
    return NONE;
  }

  get protocol(): undefined {
    return undefined;
  }

  get familySkip(): undefined {
    return undefined;
  }
}

/**
 * A chain line in its usual form, `:NAME POLICY [packets:bytes]` with one blank between the three,
 * as one object: the name word is kept (declarations point at it); the policy and counters words
 * are made when asked for. A kube-proxy ruleset declares tens of thousands of chains this way.
 */
class ShortChainLine implements ChainLine {
  readonly kind = 'chain' as const;

  constructor(
    private readonly src: string,
    readonly index: number,
    /** The line's span (the object is its own span). */
    readonly start: number,
    readonly end: number,
    readonly name: ParsedWord,
    /** Where the policy and the counters start. */
    private readonly policyStart: number,
    private readonly countersStart: number,
  ) {}

  get span(): Span {
    return this;
  }

  get policy(): Word {
    return new ParsedWord(token(this.src, this.policyStart, this.countersStart - 1), this.policyStart, this.countersStart - 1);
  }

  get counters(): Counters {
    const src = this.src;
    const colon = src.indexOf(':', this.countersStart);
    return { span: new ParsedWord(src.slice(this.countersStart, this.end), this.countersStart, this.end), packets: src.slice(this.countersStart + 1, colon), bytes: src.slice(colon + 1, this.end - 1) };
  }

  get extra(): readonly Word[] {
    return NONE;
  }
}

/**
 * The line `text[start, end)` when it is a chain line in the usual form (see `ShortChainLine`):
 * a name and a policy of printable ASCII without quotes or backslashes, counters `[digits:digits]`,
 * one blank between them and none around. Such a line reads the same whole, as the parser's tests
 * hold (test/iptables/lineShapes.test.ts compares the two on every line of the corpus). Undefined
 * for any other line.
 */
export function readChainLine(src: string, start: number, end: number, index: number, names: ChainNames): ChainLine | undefined {
  if (src.charCodeAt(start) !== 58 || end - start > MAX_LINE) return undefined; // ":"
  const nameEnd = plainRun(src, start + 1, end);
  if (nameEnd === start + 1 || nameEnd >= end || src.charCodeAt(nameEnd) !== 32) return undefined;
  const policyStart = nameEnd + 1;
  const policyEnd = plainRun(src, policyStart, end);
  if (policyEnd === policyStart || policyEnd >= end || src.charCodeAt(policyEnd) !== 32) return undefined;
  const countersStart = policyEnd + 1;
  // [digits:digits] and the end of the line.
  if (src.charCodeAt(countersStart) !== 91 || src.charCodeAt(end - 1) !== 93) return undefined; // "[", "]"
  let i = countersStart + 1;
  const packets = i;
  while (i < end && isDigit(src.charCodeAt(i))) i++;
  if (i === packets || src.charCodeAt(i) !== 58) return undefined;
  const bytes = ++i;
  while (i < end && isDigit(src.charCodeAt(i))) i++;
  if (i === bytes || i !== end - 1) return undefined;
  const name = new ParsedWord(sharedName(token(src, start + 1, nameEnd), names), start + 1, nameEnd);
  return new ShortChainLine(src, index, start, end, name, policyStart, countersStart);
}

/** The end of a run of printable ASCII without blanks, quotes or backslashes from `from`. */
function plainRun(src: string, from: number, end: number): number {
  let i = from;
  while (i < end) {
    const c = src.charCodeAt(i);
    if (c < 33 || c > 126 || c === 34 || c === 92) break;
    i++;
  }
  return i;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The name of the chain a command line works on, as `line.chain?.text` gives it, without making the
 * word of a stand-in (`analyze` asks it of every rule).
 */
export function chainNameOf(line: RuleLine): string | undefined {
  return line instanceof ShortRule ? line.chainName : line.chain?.text;
}

/** The `-j`/`-g` name of a resolved rule, as `r.target?.word?.text` gives it, without making the target of a stand-in. */
export function targetNameOf(r: ResolvedRule): string | undefined {
  return r instanceof ShortRule ? r.targetName : r.target?.word?.text;
}

/** Whether the resolver took a rule's `-j`/`-g` name for a user chain (`r.target?.isUserChain`), without making the target of a stand-in. */
export function targetIsUserChain(r: ResolvedRule): boolean | undefined {
  return r instanceof ShortRule ? (r.targetName === undefined ? undefined : r.shape.isUserChain) : r.target?.isUserChain;
}

/** The target of a `ShortRule`: its `-j`/`-g` option is made when something asks for it. */
class ShortTarget implements TargetUse {
  private jumpArg: ParsedArg | undefined = undefined;

  constructor(
    private readonly src: string,
    private readonly jumpStart: number,
    private readonly jumpEnd: number,
    readonly word: ParsedWord,
    private readonly shape: Shape,
  ) {}

  get kind(): 'jump' | 'goto' {
    return this.shape.kind;
  }

  get spec(): TargetSpec | undefined {
    return this.shape.spec;
  }

  get isUserChain(): boolean {
    return this.shape.isUserChain;
  }

  get extension(): undefined {
    return undefined;
  }

  get arg(): ParsedArg {
    return (this.jumpArg ??= new ParsedArg(new ParsedWord(token(this.src, this.jumpStart, this.jumpEnd), this.jumpStart, this.jumpEnd), undefined, [this.word]));
  }
}

/** Lines longer than this are read in full (the parser also checks them against iptables' buffer). */
const MAX_LINE = 2048;
/** Words a plain line may have (iptables refuses more than 251). */
const MAX_WORDS = 200;
/** Shapes remembered per document; a file with more distinct shapes reads the rest in full. */
const MAX_SHAPES = 4096;

/** How a word counts in a shape: as written, as any word, or as the name of a user chain. */
export const WRITTEN = 0;
const ANY_WORD = 1;
const USER_CHAIN = 2;

/** A line read in full because its shape was new, and what its shape would be. */
interface Pending {
  readonly index: number;
  readonly hash: number;
  readonly kinds: Uint8Array;
  readonly texts: readonly string[];
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

export class ShapeReader {
  /**
   * Shapes by a hash of their words: how each word counts (`WRITTEN` words with their text, in
   * order) and the shape, or null for one that turned out not plain enough.
   */
  private readonly shapes = new Map<number, Array<{ shape: Shape | null; id: number; kinds: Uint8Array; texts: readonly string[] }>>();
  private size = 0;
  /** The last line scanned: its words' offsets and kinds, their number and the shape's hash. */
  private readonly starts = new Int32Array(MAX_WORDS);
  private readonly ends = new Int32Array(MAX_WORDS);
  private readonly kinds = new Uint8Array(MAX_WORDS);
  private count = 0;
  private hash = 0;
  private pending: Pending | undefined;
  /** Lines that took the shortcut (for the tests and the performance notes). */
  quick = 0;
  /**
   * By line: the number of the (plain) shape the line has, counted from 1, or 0 when the line did not
   * take the shortcut and was not the first of a plain shape. The second pass groups lines by it (shapeMemo.ts).
   */
  private lineShapes = new Int32Array(1024);
  /** The plain shapes by number (less one): how each word counts (`WRITTEN`, `ANY_WORD`, `USER_CHAIN`). */
  readonly shapeKinds: Uint8Array[] = [];

  constructor(
    private readonly text: string,
    private readonly ctx: ResolveContext,
  ) {}

  /**
   * The stand-ins of the line `text[start, end)` from its shape, when that shape is known: the
   * resolved one goes to `keep`, the line is returned. Undefined when the line must be read in full
   * (then `learn` is to be told how that went).
   */
  read(start: number, end: number, index: number, names: ChainNames, keep: (index: number, resolved: ResolvedRule) => void): Line | undefined {
    this.pending = undefined;
    if (!this.scan(start, end)) return undefined;
    const entry = this.find();
    if (entry === undefined) {
      if (this.size < MAX_SHAPES) {
        const n = this.count;
        const texts: string[] = [];
        for (let k = 0; k < n; k++) if (this.kinds[k] === WRITTEN) texts.push(this.text.slice(this.starts[k], this.ends[k]));
        this.pending = { index, hash: this.hash, kinds: this.kinds.slice(0, n), texts, starts: this.starts.slice(0, n), ends: this.ends.slice(0, n) };
      }
      return undefined;
    }
    const shape = entry.shape;
    if (shape === null) return undefined;
    this.quick++;
    this.noteShape(index, entry.id);
    const src = this.text;
    const starts = this.starts;
    const ends = this.ends;
    const chain = sharedName(token(src, starts[1] as number, ends[1] as number), names);
    const j = shape.jump;
    const line = j === -1
      ? new ShortRule(src, index, start, end, chain, starts[1] as number, undefined, -1, -1, shape)
      : new ShortRule(src, index, start, end, chain, starts[1] as number, sharedName(token(src, starts[j + 1] as number, ends[j + 1] as number), names), starts[j + 1] as number, starts[j] as number, shape);
    keep(index, line);
    return line;
  }

  /**
   * What the full reading of the line `read` last declined gave: its shape is remembered when the
   * line is plain enough for the shortcut (see the module comment), and never tried again otherwise.
   */
  learn(parsed: ParsedLine, resolved: ResolvedRule | undefined): void {
    const p = this.pending;
    if (p === undefined || p.index !== parsed.line.index) return;
    this.pending = undefined;
    const shape = shapeOf(parsed, resolved, p);
    let id = 0;
    if (shape !== null) {
      this.shapeKinds.push(p.kinds);
      id = this.shapeKinds.length;
      this.noteShape(p.index, id);
    }
    const entry = { shape, id, kinds: p.kinds, texts: p.texts };
    const list = this.shapes.get(p.hash);
    if (list) list.push(entry);
    else this.shapes.set(p.hash, [entry]);
    this.size++;
  }

  /** The number of the plain shape of line `index` (see `lineShapes`), 0 for none. */
  shapeOfLine(index: number): number {
    return index < this.lineShapes.length ? (this.lineShapes[index] as number) : 0;
  }

  private noteShape(index: number, id: number): void {
    if (index >= this.lineShapes.length) {
      let size = this.lineShapes.length * 2;
      while (size <= index) size *= 2;
      const grown = new Int32Array(size);
      grown.set(this.lineShapes);
      this.lineShapes = grown;
    }
    this.lineShapes[index] = id;
  }

  /** The known shape the last line scanned has, if any. */
  private find(): { shape: Shape | null; id: number } | undefined {
    const list = this.shapes.get(this.hash);
    if (list === undefined) return undefined;
    const n = this.count;
    const src = this.text;
    next: for (let e = 0; e < list.length; e++) {
      const entry = list[e] as (typeof list)[number];
      const kinds = entry.kinds;
      if (kinds.length !== n) continue;
      let t = 0;
      for (let k = 0; k < n; k++) {
        const kind = kinds[k];
        if (kind !== this.kinds[k]) continue next;
        if (kind !== WRITTEN) continue;
        const text = entry.texts[t++] as string;
        const from = this.starts[k] as number;
        if (text.length !== (this.ends[k] as number) - from || !src.startsWith(text, from)) continue next;
      }
      return entry;
    }
    return undefined;
  }

  /**
   * Scans a plain line (see the module comment): its words' offsets and kinds, and a hash of its
   * shape. False for a line outside the plain subset.
   */
  private scan(start: number, end: number): boolean {
    const src = this.text;
    if (end - start > MAX_LINE || src.charCodeAt(start) !== 45) return false; // "-"
    let hash = 0;
    let n = 0;
    let asWritten = false; // the next word counts as written (after -m, -p, -j, -g, -c or "!")
    let chainNext = false; // the next word may name a target chain (after -j or -g)
    let i = start;
    while (i < end) {
      let c = src.charCodeAt(i);
      if (c === 32) {
        i++;
        continue;
      }
      if (n === MAX_WORDS) return false;
      const from = i;
      let kind = ANY_WORD;
      if (c === 34) {
        // A quoted word: wrapped whole in quotes, not empty, nothing getopt would read as an option or
        // "!", and never a word that counts as written or the chain of -A.
        const open = ++i;
        while (i < end && (c = src.charCodeAt(i)) !== 34) {
          if (c < 32 || c > 126 || c === 92) return false;
          i++;
        }
        if (i === end || i === open || asWritten || n < 2) return false;
        i++;
        if (i < end && src.charCodeAt(i) !== 32) return false;
        const first = src.charCodeAt(open);
        if (first === 45 || first === 33 || first === 32) return false; // "-", "!", a leading blank
      } else {
        let h = hash;
        while (i < end && c !== 32) {
          if (c < 33 || c > 126 || c === 92 || c === 34) return false; // controls, tabs, non-ASCII, "\", a quote inside
          h = (Math.imul(h, 31) + c) | 0;
          c = src.charCodeAt(++i);
        }
        const first = src.charCodeAt(from);
        if (first === 35) return false; // "#": a comment where iptables sees a word
        const len = i - from;
        if ((first === 45 && len > 1) || first === 33) {
          kind = WRITTEN;
          asWritten = first === 33 || loadsOrNames(src, from, len);
          chainNext = first === 45 && namesTarget(src, from, len);
        } else {
          if (chainNext && this.ctx.isUserChain(src.slice(from, i))) kind = USER_CHAIN;
          else if (asWritten || first === 45) kind = WRITTEN; // also a lone "-" (a value, but not one every option takes)
          asWritten = chainNext = false;
        }
        if (kind === WRITTEN) hash = h;
      }
      if (kind !== WRITTEN) asWritten = chainNext = false;
      hash = (Math.imul(hash, 31) + kind + 1) | 0;
      this.starts[n] = from;
      this.ends[n] = i;
      this.kinds[n] = kind;
      n++;
    }
    this.count = n;
    this.hash = hash;
    return n >= 2;
  }
}

/** Whether the option `src[from, from + len)` loads an extension or names a target (or is -c): the word after it counts as written. */
function loadsOrNames(src: string, from: number, len: number): boolean {
  if (len === 2) {
    const c = src.charCodeAt(from + 1);
    return c === 109 || c === 112 || c === 106 || c === 103 || c === 99; // m p j g c
  }
  return longPrefixOf(src, from, len, LOADING_LONG);
}

/** Whether the option names a target chain (`-j`, `-g`, or a prefix of --jump or --goto). */
function namesTarget(src: string, from: number, len: number): boolean {
  if (len === 2) {
    const c = src.charCodeAt(from + 1);
    return c === 106 || c === 103; // j g
  }
  return longPrefixOf(src, from, len, TARGET_LONG);
}

const TARGET_LONG = ['--jump', '--goto'];
const LOADING_LONG = ['--match', '--protocol', ...TARGET_LONG, '--set-counters'];

/** Whether the word is `--x...` and a prefix of one of `longs` (or any `--name=...` of them). */
function longPrefixOf(src: string, from: number, len: number, longs: readonly string[]): boolean {
  if (len < 3 || src.charCodeAt(from + 1) !== 45) return false;
  const word = src.slice(from, from + len);
  const eq = word.indexOf('=');
  const name = eq === -1 ? word : word.slice(0, eq);
  return longs.some((l) => l.startsWith(name));
}

/**
 * The shape the first line of a shape gives: where its target stands, when the line is plain in
 * full (one -A command with its chain, no parser problem, no counters, a target -j/-g NAME as two
 * words, nothing the structure keeps beyond that); null otherwise.
 */
function shapeOf(parsed: ParsedLine, resolved: ResolvedRule | undefined, p: Pending): Shape | null {
  const { starts, ends } = p;
  const line = parsed.line;
  if (parsed.problems.length > 0 || parsed.cr !== 0 || line.kind !== 'rule' || resolved === undefined) return null;
  const words = line.words;
  if (words.length !== starts.length) return null;
  for (let k = 0; k < words.length; k++) {
    const w = words[k] as Word;
    if (w.span.start !== starts[k] || w.span.end !== ends[k]) return null;
  }
  const command = line.command;
  if (
    line.counters || line.leading.length > 0 || line.strayNegations.length > 0 || line.commandKind !== 'append' || command === undefined ||
    command !== line.args[0] || command.name !== words[0] || command.negation !== undefined || command.values.length !== 1 ||
    command.values[0] !== words[1] || line.chain !== words[1] || (words[1] as Word).quoted || resolved.matches.length > 0 ||
    resolved.familySkip !== undefined
  ) return null;
  const commandLength = (ends[0] as number) - (starts[0] as number);
  const t = resolved.target;
  if (t === undefined) return { jump: -1, commandLength, jumpLength: 0, kind: 'jump', spec: undefined, isUserChain: false };
  if (t.extension !== undefined || t.arg.negation !== undefined || t.arg.values.length !== 1) return null;
  const jump = words.indexOf(t.arg.name);
  const name = words[jump + 1];
  if (jump < 2 || name === undefined || t.arg.values[0] !== name || t.word !== name || name.quoted) return null;
  return { jump, commandLength, jumpLength: (ends[jump] as number) - (starts[jump] as number), kind: t.kind, spec: t.spec, isUserChain: t.isUserChain };
}

/**
 * The words of a line that took the shortcut (a plain line, see the module comment: blanks are
 * spaces, a quote wraps a whole word): their offsets go to `starts` and `ends`, quotes included.
 * Returns their number, or -1 when there are more than the arrays hold.
 */
export function plainWords(src: string, start: number, end: number, starts: Int32Array, ends: Int32Array): number {
  let n = 0;
  let i = start;
  while (i < end) {
    if (src.charCodeAt(i) === 32) {
      i++;
      continue;
    }
    if (n === starts.length) return -1;
    starts[n] = i;
    if (src.charCodeAt(i) === 34) {
      const close = src.indexOf('"', i + 1);
      i = close === -1 || close >= end ? end : close + 1;
    } else {
      const blank = src.indexOf(' ', i);
      i = blank === -1 || blank > end ? end : blank;
    }
    ends[n++] = i;
  }
  return n;
}
