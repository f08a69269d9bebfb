/**
 * Incremental linting for the language server: the result of the previous version of a document
 * is kept, and a new version is linted from it. The result is the same as `lintIptables` on the
 * new text (test/iptables/incremental.test.ts checks this on edits of real rulesets).
 *
 * 1. Parsing and resolving reuse every unchanged line (lineCache.ts).
 * 2. The analysis (chains, jumps, hooks) is rebuilt from the resolved rules: it is cheap.
 * 3. Checks. Each check's findings of the previous version are kept with the line they are on.
 *    When the edit leaves the document's structure as it was (same number of lines, and every
 *    changed line is a command line with the same table, command, chain and target, see
 *    `signature`), a check that works rule by rule (PER_RULE) runs again on the changed rules only
 *    (`view`) and keeps its earlier findings on the other command lines, and a check whose findings
 *    depend on the structure alone (STRUCTURE_ONLY) keeps all of them; findings move with their
 *    lines. Otherwise, or for a check not listed here, the check runs on the whole document.
 *
 * The lists below are a contract with the checks they name: a PER_RULE check's findings on a
 * command line depend only on that line and on the structure (chains, jumps, hooks, declarations,
 * the table); a STRUCTURE_ONLY check's findings depend only on the structure and on the names of
 * unknown matches and targets. A check that compares rules with each other (say, an earlier rule
 * that covers a later one) belongs in neither list. The command line's streamed lint (streamed.ts)
 * relies on the same lists, and runs a check in neither list on the full model.
 */
import type { Finding } from '../core/finding.js';
import { lineIndexAt } from '../core/span.js';
import type { Span } from '../core/span.js';
import { DEFAULT_SETTINGS, type LintSettings } from '../core/settings.js';
import { analyze, patchAnalysis, targetKindOf, type AnalyzedRule, type Analysis, type TableAnalysis } from './analysis.js';
import type { Family } from './kb/types.js';
import { compareVersions, mapSpan, parseChanged, ResolveCache, type TextChange } from './lineCache.js';
import { finishFindings, lintFamily, runCheck, type LintOptions, type LintResult } from './lint.js';
import type { IptablesDocument, RuleLine } from './model.js';
import type { ResolveContext, ResolvedRule } from './resolve.js';
import { EMPTY_REPLAY, ruleSpecText } from './replay.js';
import { parseDocument, type ParsedDocument } from './parser.js';
import type { IptablesRule } from './ruleContext.js';
import { IPTABLES_RULES } from './rules/index.js';

/**
 * Checks whose findings on a command line depend only on that line and the document's structure.
 * The command line's memo (shapeMemo.ts) also relies on what these checks read of a line's values
 * and chain: a check of this list that reads something new of them (a value's text other than
 * through its verdict or its extension's `validate`, or a fact of the chain) must add its question
 * there.
 */
export const PER_RULE_CHECKS: ReadonlySet<string> = new Set([
  'syntax', 'unknown-option', 'unknown-module', 'bad-value', 'missing-argument', 'option-needs-protocol', 'undefined-chain',
  'chain-not-in-table', 'bad-policy', 'target-not-allowed', 'interface-not-allowed', 'family-mismatch', 'noncanonical-cidr',
]);

/** Checks whose findings depend only on the structure (and on which match and target names are unknown). */
export const STRUCTURE_ONLY_CHECKS: ReadonlySet<string> = new Set(['duplicate-chain', 'chain-loop', 'unused-chain', 'unknown-extension']);

/** One check's findings (before severity settings and suppressions) and the line each one is on. */
interface CheckFindings {
  readonly findings: readonly Finding[];
  readonly lines: readonly number[];
}

/** A linted version of a document, to lint the next version from. */
export interface IncrementalLint {
  readonly text: string;
  readonly result: LintResult;
  /** Where the checks' findings came from, for tests and measurements. */
  readonly stats: IncrementalStats;
  readonly parsed: ParsedDocument;
  readonly family: Family;
  readonly options: LintOptions;
  readonly checks: ReadonlyMap<string, CheckFindings>;
  readonly resolveCache: ResolveCache;
}

export interface IncrementalStats {
  /** Lines parsed again (or moved from the replaced region), of all lines. */
  readonly changedLines: number;
  readonly lines: number;
  /** The changed lines kept the document's structure, so checks ran on them only. */
  readonly structureKept: boolean;
  /** Checks that ran on the whole document. */
  readonly fullChecks: readonly string[];
}

/** Same settings by value (the server reads them again, into a new object, on every configuration change). */
function sameSettings(a: LintSettings, b: LintSettings): boolean {
  if (a === b) return true;
  const ids = Object.keys(a.rules);
  return a.family === b.family && ids.length === Object.keys(b.rules).length && ids.every((id) => a.rules[id] === b.rules[id]);
}

/** Whether the checks' earlier findings can be reused: same file name, family setting, settings and checks. */
function sameChecks(a: LintOptions, b: LintOptions): boolean {
  return a.fileName === b.fileName && a.family === b.family && sameSettings(a.settings ?? DEFAULT_SETTINGS, b.settings ?? DEFAULT_SETTINGS) && (a.rules ?? IPTABLES_RULES) === (b.rules ?? IPTABLES_RULES);
}

/** The analysed rules on lines [from, to) of each table, in line order (tables' rules are in line order). */
function rulesBetween(t: TableAnalysis, from: number, to: number): AnalyzedRule[] {
  const rules = t.rules;
  let lo = 0;
  let hi = rules.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((rules[mid] as AnalyzedRule).line.index < from) lo = mid + 1;
    else hi = mid;
  }
  const out: AnalyzedRule[] = [];
  for (let i = lo; i < rules.length && (rules[i] as AnalyzedRule).line.index < to; i++) out.push(rules[i] as AnalyzedRule);
  return out;
}

/**
 * What a changed line contributes to the document's structure; undefined for a line that is not a
 * command line (table, chain, COMMIT, comment and blank lines all count as structure).
 */
function signatures(doc: IptablesDocument, analysis: Analysis, cr: ArrayLike<number>, from: number, to: number): Array<string | undefined> {
  const out: Array<string | undefined> = [];
  const analysed = new Map<number, { table: number; rule: AnalyzedRule }>();
  analysis.tables.forEach((t, table) => {
    for (const rule of rulesBetween(t, from, to)) analysed.set(rule.line.index, { table, rule });
  });
  for (let i = from; i < to; i++) {
    const line = doc.lines[i];
    if (!line || line.kind !== 'rule') {
      out.push(undefined);
      continue;
    }
    const a = analysed.get(i);
    if (!a) {
      out.push(`-\u0001${cr[i] ?? 0}`);
      continue;
    }
    const { line: l, resolved } = a.rule;
    const target = resolved.target;
    const unknownMatches = resolved.matches.filter((m) => !m.spec && !m.implicit).map((m) => m.name);
    out.push([
      a.table, l.commandKind ?? '', l.chain?.text ?? '', l.command?.values.map((w) => w.text).join('\u0002') ?? '',
      target?.kind ?? '', target?.word?.text ?? '', target?.isUserChain ?? '', targetKindOf(a.rule, analysis.family).kind,
      target?.extension ? `${target.extension.spec ? 'k' : 'u'}${target.extension.opaque.length > 0 ? 'o' : ''}` : '',
      unknownMatches.join('\u0002'), resolved.familySkip ? 's' : '', cr[i] ?? 0,
      // A table that deletes rules by specification compares rules as written (replay.ts).
      analysis.tables[a.table]?.replay === EMPTY_REPLAY ? '' : ruleSpecText(doc.text, l),
    ].join('\u0001'));
  }
  return out;
}

/** The document as a PER_RULE check sees it when only the rules on lines [from, to) changed. */
function view(analysis: Analysis, from: number, to: number): Analysis {
  return { family: analysis.family, tables: analysis.tables.map((t) => ({ ...t, rules: rulesBetween(t, from, to) })) };
}

/** A finding of the previous version at its new offsets; undefined when it points into the changed text. */
function moveFinding(f: Finding, change: TextChange): Finding | undefined {
  const span = mapSpan(change, f.span);
  if (!span) return undefined;
  let related = f.related;
  if (related) {
    const moved = [];
    for (const r of related) {
      if (r.file !== undefined) {
        moved.push(r);
        continue;
      }
      const s = mapSpan(change, r.span);
      if (!s) return undefined;
      moved.push({ ...r, span: s });
    }
    related = moved;
  }
  let fixes = f.fixes;
  if (fixes) {
    const moved = [];
    for (const fix of fixes) {
      const edits = [];
      for (const e of fix.edits) {
        const s = mapSpan(change, e.span);
        if (!s) return undefined;
        edits.push({ ...e, span: s });
      }
      moved.push({ ...fix, edits });
    }
    fixes = moved;
  }
  return { ...f, span, ...(related ? { related } : {}), ...(fixes ? { fixes } : {}) };
}

function located(doc: IptablesDocument, findings: readonly Finding[]): CheckFindings {
  return { findings, lines: findings.map((f) => lineIndexAt(doc.lineStarts, f.span.start)) };
}

/**
 * Lints `text`, reusing `previous` (the result for an earlier version of the same document) where
 * it can. Without `previous` this is a full lint that keeps what the next call needs.
 */
export function lintIncremental(text: string, options: LintOptions = {}, previous?: IncrementalLint): IncrementalLint {
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const rules = options.rules ?? IPTABLES_RULES;
  const family = lintFamily(text, options).family;
  const reuseChecks = previous !== undefined && previous.family === family && sameChecks(previous.options, options);
  if (previous && reuseChecks && previous.text === text) return previous;

  let parsed: ParsedDocument;
  let change: TextChange | undefined;
  let oldSignatures: Array<string | undefined> | undefined;
  if (previous) {
    const prevDoc = previous.parsed.doc;
    const compared = compareVersions(previous.text, prevDoc.lineStarts, text);
    change = compared.change;
    // The previous version's signatures are taken before its line objects move.
    if (reuseChecks && change.lineShift === 0) oldSignatures = signatures(prevDoc, previous.result.analysis, previous.parsed.cr, change.prefixLines, change.oldEnd);
    parsed = parseChanged(previous.parsed, text, compared.lineStarts, family, change);
  } else {
    parsed = parseDocument(text, family);
  }
  const doc = parsed.doc;
  const resolveCache = previous?.resolveCache ?? new ResolveCache();
  const resolve = (line: RuleLine, ctx: ResolveContext): ResolvedRule => resolveCache.resolve(line, ctx);

  // When the structure stays, the previous analysis is updated for the changed rules only.
  let patched: Analysis | undefined;
  let structureKept = false;
  if (previous && change && oldSignatures && oldSignatures.every((s) => s !== undefined)) {
    patched = patchAnalysis(previous.result.analysis, doc, change.prefixLines, change.newEnd, resolve);
    if (patched) {
      const newSignatures = signatures(doc, patched, parsed.cr, change.prefixLines, change.newEnd);
      structureKept = oldSignatures.length === newSignatures.length && oldSignatures.every((s, i) => s === newSignatures[i]);
    }
  }
  const analysis = structureKept && patched ? patched : analyze(doc, resolve);

  const checks = new Map<string, CheckFindings>();
  const fullChecks: string[] = [];
  let changedView: Analysis | undefined;
  const all: Finding[] = [];
  for (const rule of rules) {
    if (settings.rules[rule.id] === 'off') continue;
    let own: CheckFindings | undefined;
    const before = previous?.checks.get(rule.id);
    if (structureKept && change && before && previous) {
      own = reuse(rule, before, previous.parsed.doc, doc, change, () => (changedView ??= view(analysis, change.prefixLines, change.newEnd)));
    }
    if (!own) {
      own = located(doc, runCheck(rule, doc, analysis).findings);
      fullChecks.push(rule.id);
    }
    checks.set(rule.id, own);
    for (const f of own.findings) all.push(f);
  }
  const result: LintResult = { findings: finishFindings(doc, all, settings), document: doc, analysis };
  const stats: IncrementalStats = {
    changedLines: change ? Math.max(0, Math.min(change.newEnd, doc.lines.length) - change.prefixLines) : doc.lines.length,
    lines: doc.lines.length,
    structureKept,
    fullChecks,
  };
  return { text, result, stats, parsed, family, options, checks, resolveCache };
}

/**
 * A check's findings for the new version from its previous ones, when the structure is unchanged;
 * undefined when the check has to run on the whole document.
 */
function reuse(
  rule: IptablesRule, before: CheckFindings, oldDoc: IptablesDocument, doc: IptablesDocument, change: TextChange, changed: () => Analysis,
): CheckFindings | undefined {
  const perRule = PER_RULE_CHECKS.has(rule.id);
  if (!perRule && !STRUCTURE_ONLY_CHECKS.has(rule.id)) return undefined;
  const { prefixLines, oldEnd, newEnd } = change;
  const findings: Finding[] = [];
  const lines: number[] = [];
  for (let i = 0; i < before.findings.length; i++) {
    const line = before.lines[i] as number;
    // A PER_RULE check's findings on changed lines and on lines other than command lines are found again below.
    if (perRule && ((line >= prefixLines && line < oldEnd) || oldDoc.lines[line]?.kind !== 'rule')) continue;
    const moved = moveFinding(before.findings[i] as Finding, change);
    if (!moved) return undefined;
    findings.push(moved);
    lines.push(line < prefixLines ? line : line + change.lineShift);
  }
  if (!perRule) return { findings, lines };
  const fresh = runCheck(rule, doc, changed());
  if (fresh.failed) return undefined;
  for (const f of fresh.findings) {
    const line = lineIndexAt(doc.lineStarts, f.span.start);
    if ((line >= prefixLines && line < newEnd) || doc.lines[line]?.kind !== 'rule') {
      findings.push(f);
      lines.push(line);
    }
  }
  return { findings, lines };
}

/** Spans of a finding, for tests: the primary one, related ones in this document, and fix edits. */
export function spansOf(f: Finding): Span[] {
  return [f.span, ...(f.related ?? []).filter((r) => r.file === undefined).map((r) => r.span), ...(f.fixes ?? []).flatMap((x) => x.edits.map((e) => e.span))];
}
