/**
 * A memo for the second pass of the streamed lint (streamed.ts): the per-rule checks of a command
 * line are skipped when a line of the same shape, in the same table and in a chain of the same kind,
 * went through them without a finding, and every value the checks read of the later line reads as
 * that line's did. In a kube-proxy ruleset nearly every rule repeats the shape of an earlier one and
 * differs only in its chain, addresses, ports, comments and target chain; the memo spares reading it
 * again into full objects and running thirteen checks on it.
 *
 * Why the findings stay the same. A line's shape (lineShapes.ts) fixes how iptables and kvmnet's
 * resolver read it: which words are options, whose values the others are, which extensions load
 * and which word is the target; the later line differs only in its other words (placeholders). What
 * the per-rule checks read of such a line besides its shape (an audit of rules/*.ts, kept here as
 * a list the tests hold us to):
 *
 * - each option's value verdicts (`valueVerdicts`, the value checks of the knowledge base), and for
 *   a value without a check but with a list of values, whether it is in the list (bad-value,
 *   family-mismatch): compared verdict by verdict with the clean line's, on the later line's values;
 * - each extension's `validate`, with the values, the chain's name and hooks (bad-value,
 *   option-needs-protocol): run again on the later line's values and chain, and compared;
 * - -s/-d values: whether an item is a range of addresses (bad-value) and whether an address has
 *   host bits set (noncanonical-cidr, also for extension values shown as `address[/mask]`), and for
 *   a negated -s/-d whether it is a list or has a zero mask (bad-value): asked again;
 * - the chain of the rule: whether it exists at that line, is a built-in chain or has a built-in
 *   chain's name, and which built-in chains reach it (undefined-chain, chain-not-in-table,
 *   target-not-allowed, interface-not-allowed): part of the key, a user chain by its set of hooks,
 *   any other chain by its name;
 * - a user chain as target: only whether it exists at that line (undefined-chain; a user chain
 *   target is never read further by a per-rule check): part of the key.
 *
 * Everything else the checks report on (stray words, options given twice or missing, unknown
 * options and modules, protocols, targets and their place) is fixed by the shape. Tables whose
 * structure depends on the line (numbered -I/-R/-D, -X, -E: the replay) and ufw's rule files (whose
 * chains kvmnet takes on trust by name) are not memoised. test/iptables/streamedValues.test.ts
 * varies the placeholders of clean lines with values chosen to draw findings and compares the
 * streamed lint with a full one; test/iptables/streamed.test.ts does so over the corpus.
 *
 * The later line's values are checked with the real checks' functions on the clean line's objects,
 * whose words are given the later line's texts and offsets (the objects belong to the memo, and
 * their cached verdicts are cleared first).
 */
import { hooksOf, validateExtension, type AnalyzedRule, type Analysis, type TableAnalysis } from './analysis.js';
import { ALL_BUILTIN_CHAINS } from './kb/tables.js';
import type { ArgSpec, ExtensionProblem, Family } from './kb/types.js';
import { plainWords, WRITTEN, type ShapeReader } from './lineShapes.js';
import { ParsedWord } from './model.js';
import { token } from './parser.js';
import { needsReplay } from './replay.js';
import { forgetVerdicts, valueVerdicts, type ExtensionUse, type GenericUse, type ResolvedOption } from './resolve.js';
import { addressRangeIn, listedValueReason, negatedAddressProblem } from './rules/bad-value.js';
import { isCanonicalAddressWord } from './rules/noncanonical-cidr.js';
import { isUfwRulesFile } from './ufw.js';

/** A value the checks read besides its verdict: its word, and what they ask of it. */
interface ValueQuestion {
  readonly word: ParsedWord;
  /** -s/-d: a range of addresses among the items (bad-value). */
  readonly range: boolean;
  /** Whether an address has host bits set (noncanonical-cidr); `list` for -s/-d, which take comma lists. */
  readonly canonical: boolean;
  readonly list: boolean;
  /** A value without a check whose option lists the values it takes. */
  readonly listed: ArgSpec | undefined;
  /** The value of a negated -s/-d: a list or a zero mask (bad-value). */
  readonly negated: boolean;
}

/** A clean line of a key, in objects of the memo's own, and what the checks said of its values. */
interface Exemplar {
  readonly rule: AnalyzedRule;
  readonly words: readonly ParsedWord[];
  readonly kinds: Uint8Array;
  readonly options: ReadonlyArray<GenericUse | ResolvedOption>;
  readonly verdicts: ReadonlyArray<readonly (string | undefined)[]>;
  readonly questions: readonly ValueQuestion[];
  readonly validated: ReadonlyArray<{ readonly use: ExtensionUse; readonly problems: readonly ExtensionProblem[] }>;
}

/** No memo for the key yet: the last line of it that went through the checks had findings; the next one is offered. */
const DIRTY = 0;
/** Never memoised: a line of the key could not stand for others (see `exemplarOf`), or a value check threw. */
const UNUSABLE = 1;

/** Words a shape may have (lineShapes.ts reads lines of up to 200). */
const MAX_WORDS = 256;
/**
 * Keys remembered per document. Each keeps a line's objects (a few kilobytes); a kube-proxy ruleset
 * of 100,000 rules has about 40 keys, and a file with more than this many goes on without a memo
 * for the rest.
 */
const MAX_ENTRIES = 8192;

export class ShapeMemo {
  private readonly entries = new Map<string, Exemplar | typeof DIRTY | typeof UNUSABLE>();
  private readonly hookIds = new Map<ReadonlySet<string>, number>();
  /** Per table: whether its lines may be memoised. */
  private readonly eligible: readonly boolean[];
  private readonly starts = new Int32Array(MAX_WORDS);
  private readonly ends = new Int32Array(MAX_WORDS);
  /** Lines whose checks were skipped (for the tests and the performance notes). */
  skipped = 0;

  constructor(
    private readonly text: string,
    private readonly family: Family,
    private readonly shapes: ShapeReader,
    private readonly analysis: Analysis,
    private readonly maxEntries = MAX_ENTRIES,
  ) {
    const ufw = isUfwRulesFile(analysis);
    this.eligible = analysis.tables.map((t) => !ufw && !needsReplay(t.block.rules) && t.renames.length === 0);
  }

  /**
   * The key of rule `r` (of the structure) of table `ti`: its shape, table, chain and target as the
   * checks see them; undefined when the line cannot be memoised.
   */
  keyOf(ti: number, r: AnalyzedRule): string | undefined {
    if (!this.eligible[ti]) return undefined;
    const shape = this.shapes.shapeOfLine(r.line.index);
    const chain = r.chain;
    if (shape === 0 || chain === undefined) return undefined;
    const t = this.analysis.tables[ti] as TableAnalysis;
    const info = t.chains.get(chain);
    let chainKey: string;
    if (info !== undefined && !info.builtin && r.chainExistsHere && !ALL_BUILTIN_CHAINS.includes(chain)) {
      const hooks = hooksOf(t, chain);
      let id = this.hookIds.get(hooks);
      if (id === undefined) this.hookIds.set(hooks, (id = this.hookIds.size));
      chainKey = `u${id}`;
    } else {
      chainKey = `${r.chainExistsHere ? 'c' : 'n'}${chain}`;
    }
    return `${shape} ${ti} ${r.targetExistsHere ? 1 : 0} ${chainKey}`;
  }

  /** Whether a line of key `key` is to go through the checks as a possible exemplar. */
  wants(key: string): boolean {
    const entry = this.entries.get(key);
    return entry === DIRTY || (entry === undefined && this.entries.size < this.maxEntries);
  }

  /**
   * Whether the per-rule checks would find nothing on rule `r` (of the structure) with key `key`:
   * a clean line of its key was checked, and `r`'s values read as that line's did.
   */
  clean(key: string, r: AnalyzedRule): boolean {
    const e = this.entries.get(key);
    if (e === undefined || e === DIRTY || e === UNUSABLE) return false;
    try {
      if (!this.readsAlike(e, r)) return false;
    } catch {
      // A value check that throws is the checks' business: the line goes through them (runCheck
      // turns the throw into a finding), and the key is not memoised any more.
      this.entries.set(key, UNUSABLE);
      return false;
    }
    this.skipped++;
    return true;
  }

  /** Whether rule `r` reads as the exemplar `e` did, in everything the per-rule checks look at. */
  private readsAlike(e: Exemplar, r: AnalyzedRule): boolean {
    const src = this.text;
    const span = r.line.span;
    const n = plainWords(src, span.start, span.end, this.starts, this.ends);
    if (n !== e.words.length) return false;
    // The later line's words into the memo's objects (the written words have the same text).
    for (let k = 0; k < n; k++) {
      const w = e.words[k] as ParsedWord;
      const a = this.starts[k] as number;
      const b = this.ends[k] as number;
      if (e.kinds[k] !== WRITTEN) (w as { text: string }).text = src.charCodeAt(a) === 34 ? src.slice(a + 1, b - 1) : token(src, a, b);
      w.start = a;
      w.end = b;
    }
    const family = this.family;
    for (let i = 0; i < e.options.length; i++) {
      const o = e.options[i] as GenericUse | ResolvedOption;
      forgetVerdicts(o);
      if (!sameVerdicts(valueVerdicts(o, family), e.verdicts[i] as readonly (string | undefined)[])) return false;
    }
    for (let i = 0; i < e.questions.length; i++) {
      const q = e.questions[i] as ValueQuestion;
      const text = q.word.text;
      if (q.range && addressRangeIn(text, family) !== undefined) return false;
      if (q.canonical && !isCanonicalAddressWord(text, q.list, family)) return false;
      if (q.listed && listedValueReason(q.listed, text) !== undefined) return false;
      if (q.negated && negatedAddressProblem(text, family) !== undefined) return false;
    }
    if (e.validated.length > 0) {
      const rule: AnalyzedRule = { ...e.rule, chain: r.chain, chainExistsHere: r.chainExistsHere, targetExistsHere: r.targetExistsHere, targetKind: undefined, validated: undefined };
      for (let i = 0; i < e.validated.length; i++) {
        const v = e.validated[i] as (typeof e.validated)[number];
        if (!sameProblems(validateExtension(rule, v.use, family), v.problems)) return false;
      }
    }
    return true;
  }

  /**
   * A line of key `key` that went through the checks: `rule` holds its full objects (which the memo
   * keeps and later rewrites), `dirty` says whether the checks reported anything on its line.
   */
  learn(key: string, rule: AnalyzedRule, dirty: boolean): void {
    if (!this.entries.has(key) && this.entries.size >= this.maxEntries) return;
    if (dirty) {
      this.entries.set(key, DIRTY);
      return;
    }
    let exemplar: Exemplar | undefined;
    try {
      exemplar = this.exemplarOf(rule);
    } catch {
      exemplar = undefined; // see `clean`
    }
    this.entries.set(key, exemplar ?? UNUSABLE);
  }

  private exemplarOf(r: AnalyzedRule): Exemplar | undefined {
    const { line, resolved } = r;
    const shape = this.shapes.shapeOfLine(line.index);
    const kinds = this.shapes.shapeKinds[shape - 1];
    if (kinds === undefined || line.words.length !== kinds.length || resolved.familySkip !== undefined) return undefined;
    const words: ParsedWord[] = [];
    for (let k = 0; k < line.words.length; k++) {
      const w = line.words[k];
      // Plain words only (not a part of one, not an unterminated quote): their text and offsets are fields.
      if (!(w instanceof ParsedWord) || w.constructor !== ParsedWord) return undefined;
      words.push(w);
    }
    const family = this.family;
    const options: Array<GenericUse | ResolvedOption> = [];
    const verdicts: Array<readonly (string | undefined)[]> = [];
    const questions: ValueQuestion[] = [];
    const ask = (word: unknown, range: boolean, canonical: boolean, list: boolean, listed: ArgSpec | undefined, negated = false): boolean => {
      if (!range && !canonical && listed === undefined && !negated) return true;
      if (!(word instanceof ParsedWord) || !words.includes(word)) return false;
      questions.push({ word, range, canonical, list, listed, negated });
      return true;
    };
    for (const g of resolved.generic) {
      const address = g.key === '-s' || g.key === '-d';
      options.push(g);
      verdicts.push([...valueVerdicts(g, family)]);
      if (address && g.values[0] && !ask(g.values[0], g.values.length === 1, true, true, undefined, g.negated)) return undefined;
    }
    const validated: Array<{ use: ExtensionUse; problems: readonly ExtensionProblem[] }> = [];
    for (const use of resolved.extensions) {
      for (const o of use.options) {
        options.push(o);
        verdicts.push([...valueVerdicts(o, family)]);
        for (let i = 0; i < o.values.length; i++) {
          const spec = o.spec.args[i];
          if (!spec) continue;
          const listed = !spec.check && spec.values ? spec : undefined;
          if (!ask(o.values[i], false, spec.display === 'address[/mask]', false, listed)) return undefined;
        }
      }
      if (use.spec?.validate) validated.push({ use, problems: validateExtension(r, use, family) });
    }
    return { rule: r, words, kinds, options, verdicts, questions, validated };
  }
}

function sameVerdicts(a: readonly (string | undefined)[], b: readonly (string | undefined)[]): boolean {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameProblems(a: readonly ExtensionProblem[], b: readonly ExtensionProblem[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as ExtensionProblem;
    const y = b[i] as ExtensionProblem;
    if (x.message !== y.message || x.option !== y.option || x.severity !== y.severity || x.last !== y.last) return false;
  }
  return true;
}
