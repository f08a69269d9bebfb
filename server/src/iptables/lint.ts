/**
 * The iptables language service entry for diagnostics: parse, analyse, run every registered
 * check, then apply per-rule severity settings and inline suppressions. Pure: no I/O.
 */
import type { Finding } from '../core/finding.js';
import type { Span } from '../core/span.js';
import { makeFinding } from '../core/rule.js';
import { applySeverityOverrides, DEFAULT_SETTINGS, type LintSettings } from '../core/settings.js';
import { applySuppressions } from '../core/suppression.js';
import { analyze, type Analysis } from './analysis.js';
import type { Family } from './kb/types.js';
import type { IptablesDocument } from './model.js';
import { familyOf, parseIptables, type FamilyEvidence } from './parser.js';
import type { IptablesRule } from './ruleContext.js';
import { IPTABLES_RULES } from './rules/index.js';

export interface LintOptions {
  /** Forces the family; otherwise the settings, then the file name and content decide. */
  readonly family?: Family;
  readonly fileName?: string;
  readonly settings?: LintSettings;
  /** Restricts the checks (tests use this to run one rule). */
  readonly rules?: readonly IptablesRule[];
}

export interface LintResult {
  readonly findings: Finding[];
  readonly document: IptablesDocument;
  readonly analysis: Analysis;
}

/**
 * The family a lint reads `text` in, and what decided it: the caller's `family`, else the
 * `kvmnet.iptables.family` setting, else the file's name, save header or content (`familyOf`).
 * The language server shows the same answer to the editor (kvmnet/family).
 */
export function lintFamily(text: string, options: LintOptions = {}): { family: Family; evidence: FamilyEvidence | 'setting' } {
  const given = options.family ?? (options.settings ?? DEFAULT_SETTINGS).family;
  return given !== 'auto' ? { family: given, evidence: 'setting' } : familyOf(text, options.fileName);
}

export function lintIptables(text: string, options: LintOptions = {}): LintResult {
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const document = parseIptables(text, { family: lintFamily(text, options).family });
  const analysis = analyze(document);
  return { findings: runChecks(document, analysis, options.rules ?? IPTABLES_RULES, settings), document, analysis };
}

export function runChecks(document: IptablesDocument, analysis: Analysis, rules: readonly IptablesRule[], settings: LintSettings = DEFAULT_SETTINGS): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    if (settings.rules[rule.id] === 'off') continue;
    for (const f of runCheck(rule, document, analysis).findings) findings.push(f);
  }
  return finishFindings(document, findings, settings);
}

/** A copy whose spans are plain `{start, end}` objects (checks often report a word, which is its own span). */
function withOwnSpans(f: Finding): Finding {
  const own = (s: Span): Span => ({ start: s.start, end: s.end });
  return {
    ...f,
    span: own(f.span),
    ...(f.related ? { related: f.related.map((r) => ({ ...r, span: own(r.span) })) } : {}),
    ...(f.fixes ? { fixes: f.fixes.map((x) => ({ ...x, edits: x.edits.map((e) => ({ ...e, span: own(e.span) })) })) } : {}),
  };
}

/**
 * Runs one check over a document (or over a view of it, see incremental.ts). Findings come in the
 * order the check reported them; `failed` says the check threw (a hint says so after what it reported).
 */
export function runCheck(rule: IptablesRule, document: IptablesDocument, analysis: Analysis): { findings: Finding[]; failed: boolean } {
  const findings: Finding[] = [];
  const ctx = {
    doc: document,
    analysis,
    family: document.family,
    report: (d: Parameters<typeof makeFinding>[1]) => findings.push(withOwnSpans(makeFinding(rule, d))),
  };
  try {
    rule.check(ctx);
  } catch (err) {
    // A check must never take the others down; surface the bug as a finding instead.
    findings.push({ ruleId: rule.id, severity: 'hint', span: { start: 0, end: 0 }, message: `internal error in check ${rule.id}: ${err instanceof Error ? err.message : String(err)}` });
    return { findings, failed: true };
  }
  return { findings, failed: false };
}

/** Orders the findings of all checks by position, then applies severity settings and suppressions. */
export function finishFindings(document: IptablesDocument, findings: Finding[], settings: LintSettings): Finding[] {
  findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return applySuppressions(document.text, applySeverityOverrides(findings, settings), document.lineStarts as number[]);
}
