/**
 * Table tests for one iptables check (STYLE.md point 6).
 *
 * ```ts
 * ruleTester.run(undefinedChain, {
 *   valid: ['*filter\n:LIBVIRT_INP - [0:0]\n-A INPUT -j LIBVIRT_INP\nCOMMIT\n'],
 *   invalid: [{ code: '*filter\n-A INPUT -j «LIBVIRT_INP»\nCOMMIT\n', errors: [{ messageId: 'jump' }] }],
 * });
 * ```
 *
 * In `code`, `«…»` marks the range of each expected finding; the markers are removed before the
 * text is linted, and the expected errors are paired with the marked ranges in text order. Only the
 * rule under test runs (`lintIptables(text, { rules: [rule], family })`).
 *
 * The real tools are the oracle for every case (DESIGN.md §3, STYLE.md point 7):
 * - a case whose expected findings include an `error` must be refused by the real tools;
 * - every other case (the valid ones, and findings of a lower severity: legal but wrong) must be
 *   accepted by them.
 * A case may state another verdict with `realTools` when the tools here cannot tell (say why).
 * When the tools cannot run on this machine, that half is skipped with a message.
 */
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { formatMessage, type ReportDescriptor } from '../../server/src/core/rule.js';
import type { Finding, Severity } from '../../server/src/core/finding.js';
import { lintIptables } from '../../server/src/iptables/lint.js';
import type { IptablesRule, IptablesRuleContext } from '../../server/src/iptables/ruleContext.js';
import { applyEdits } from './edits.js';
import { realToolAccepts, realToolsAvailable, type Family } from './realTools.js';

export const OPEN = '«';
export const CLOSE = '»';

/** What the real tools must say about a case, when it is not what the severity implies. */
export interface RealToolsOverride {
  readonly verdict: 'accept' | 'refuse' | 'skip';
  /** Why this case departs from the rule (shown as the skip message, or kept for the reader). */
  readonly why: string;
}

interface CaseBase {
  readonly code: string;
  /** Defaults to `ipv4`. Also selects iptables or ip6tables for the real tools. */
  readonly family?: Family;
  /** A known bug in the check, recorded in /work/briefs/rules-findings.md: runs but cannot fail the suite. */
  readonly todo?: string;
  readonly realTools?: RealToolsOverride;
}

export type ValidCase = string | CaseBase;

export interface ExpectedError {
  readonly messageId?: string;
  /** Tested against the formatted message. */
  readonly message?: RegExp;
  /** Defaults to the rule's severity. */
  readonly severity?: Severity;
  /** Each listed key must have this value in the report's data. */
  readonly data?: Readonly<Record<string, string | number>>;
}

export interface InvalidCase extends CaseBase {
  /** One per `«…»` range, in text order. */
  readonly errors: readonly ExpectedError[];
}

export interface RuleTests {
  readonly valid: readonly ValidCase[];
  readonly invalid: readonly InvalidCase[];
  /**
   * Message ids no invalid case can produce today (a known bug, with the reason): they are left
   * out of the coverage test and checked in a `todo` test of their own instead.
   */
  readonly uncoveredMessages?: Readonly<Record<string, string>>;
}

export interface MarkedCode {
  readonly text: string;
  readonly ranges: ReadonlyArray<{ start: number; end: number }>;
}

/** Removes the `«…»` markers and returns the ranges they enclosed (offsets in the stripped text). */
/** The cursor marker of service tests (STYLE.md: `‸`). */
export const CURSOR = '‸';

/** Strips the `‸` cursor and the `«…»` ranges; offsets are those of the text without any marker. */
export function stripCursor(code: string): { text: string; cursor: number; ranges: Array<{ start: number; end: number }> } {
  const { text: withCursor, ranges } = stripMarkers(code);
  const cursor = withCursor.indexOf(CURSOR);
  if (cursor === -1) throw new Error(`no cursor ${CURSOR} in ${JSON.stringify(code)}`);
  const text = withCursor.slice(0, cursor) + withCursor.slice(cursor + 1);
  const shift = (n: number): number => (n > cursor ? n - 1 : n);
  return { text, cursor, ranges: ranges.map((r) => ({ start: shift(r.start), end: shift(r.end) })) };
}

export function stripMarkers(code: string): MarkedCode {
  let text = '';
  const ranges: Array<{ start: number; end: number }> = [];
  const open: number[] = [];
  for (const ch of code) {
    if (ch === OPEN) {
      open.push(text.length);
    } else if (ch === CLOSE) {
      const start = open.pop();
      if (start === undefined) throw new Error(`"${CLOSE}" without "${OPEN}" in ${JSON.stringify(code)}`);
      ranges.push({ start, end: text.length });
    } else {
      text += ch;
    }
  }
  if (open.length > 0) throw new Error(`"${OPEN}" is never closed in ${JSON.stringify(code)}`);
  ranges.sort((a, b) => a.start - b.start || a.end - b.end);
  return { text, ranges };
}

/** A finding together with the descriptor the check reported it with. */
export interface ReportedFinding {
  readonly finding: Finding;
  readonly messageId: string | undefined;
  readonly data: Readonly<Record<string, string | number>> | undefined;
}

/**
 * Runs one rule on `text` and pairs each finding with its message id: the rule is wrapped so that
 * every `report` call is seen before `lintIptables` turns it into a finding.
 */
export function lintWithRule(rule: IptablesRule, text: string, family: Family = 'ipv4'): ReportedFinding[] {
  const seen: ReportDescriptor[] = [];
  const spy: IptablesRule = {
    ...rule,
    check(ctx: IptablesRuleContext) {
      rule.check({ ...ctx, report: (d) => { seen.push(d); ctx.report(d); } });
    },
  };
  const { findings } = lintIptables(text, { rules: [spy], family });
  const unused = [...seen];
  return findings.map((finding) => {
    const i = unused.findIndex((d) => d.span.start === finding.span.start && d.span.end === finding.span.end &&
      formatMessage(rule.messages[d.messageId] ?? d.messageId, d.data) === finding.message);
    const d = i === -1 ? undefined : unused.splice(i, 1)[0];
    return { finding, messageId: d?.messageId, data: d?.data };
  });
}

/** Shows a case as a test name: the code on one line, with its markers, `\n` for line ends. */
export function caseName(code: string, family: Family | undefined): string {
  const shown = JSON.stringify(code).slice(1, -1);
  return family === 'ipv6' ? `[ipv6] ${shown}` : shown;
}

function describeFinding(text: string, r: ReportedFinding): string {
  const { span, severity, message } = r.finding;
  return `${OPEN}${text.slice(span.start, span.end)}${CLOSE} at ${span.start}-${span.end} (${severity}, ${r.messageId ?? '?'}): ${message}`;
}

function checkRealTools(t: TestContext, text: string, family: Family, expected: 'accept' | 'refuse', override: RealToolsOverride | undefined, todo: string | undefined): Promise<void> {
  const verdict = override?.verdict ?? expected;
  const name = verdict === 'skip' ? 'real tools' : verdict === 'accept' ? 'real tools accept it' : 'real tools refuse it';
  const skip = verdict === 'skip'
    ? `not checked against the real tools: ${override?.why ?? ''}`
    : !realToolsAvailable() ? 'real tools unavailable (needs root, unshare, iptables-nft-restore and iptables-legacy-restore)' : undefined;
  return t.test(name, { ...(skip ? { skip } : {}), ...(todo ? { todo } : {}) }, () => {
    const result = realToolAccepts(text, family);
    if (verdict === 'accept') assert.ok(result.accepted, `the real tools refuse this ${family} ruleset:\n${result.message}\n---\n${text}`);
    else assert.ok(!result.accepted, `the real tools accept this ${family} ruleset, so kvmnet must not call it an error:\n---\n${text}`);
  });
}

function normalize(c: ValidCase): CaseBase {
  return typeof c === 'string' ? { code: c } : c;
}

export const ruleTester = {
  run(rule: IptablesRule, tests: RuleTests): void {
    const emitted = new Set<string>();
    describe(rule.id, () => {
      describe('valid', () => {
        for (const raw of tests.valid) {
          const c = normalize(raw);
          const family = c.family ?? 'ipv4';
          it(caseName(c.code, c.family), c.todo ? { todo: c.todo } : {}, async (t) => {
            const { text, ranges } = stripMarkers(c.code);
            assert.equal(ranges.length, 0, 'a valid case has no «…» markers');
            const found = lintWithRule(rule, text, family);
            assert.deepEqual(found.map((f) => describeFinding(text, f)), [], `${rule.id} reports nothing here`);
            await checkRealTools(t, text, family, 'accept', c.realTools, c.todo);
          });
        }
      });
      describe('invalid', () => {
        for (const c of tests.invalid) {
          const family = c.family ?? 'ipv4';
          it(caseName(c.code, c.family), c.todo ? { todo: c.todo } : {}, async (t) => {
            const { text, ranges } = stripMarkers(c.code);
            assert.ok(ranges.length > 0, 'an invalid case marks each expected finding with «…»');
            assert.equal(c.errors.length, ranges.length, 'one expected error per «…» range');
            const found = lintWithRule(rule, text, family);
            for (const f of found) if (f.messageId) emitted.add(f.messageId);
            const wanted = ranges.map((r) => `${OPEN}${text.slice(r.start, r.end)}${CLOSE} at ${r.start}-${r.end}`);
            const got = found.map((f) => `${OPEN}${text.slice(f.finding.span.start, f.finding.span.end)}${CLOSE} at ${f.finding.span.start}-${f.finding.span.end}`);
            assert.deepEqual(got, wanted, `finding ranges differ; ${rule.id} reported:\n${found.map((f) => describeFinding(text, f)).join('\n') || '(nothing)'}`);
            c.errors.forEach((e, i) => {
              const f = found[i] as ReportedFinding;
              const where = `finding ${i + 1} (${describeFinding(text, f)})`;
              if (e.messageId !== undefined) assert.equal(f.messageId, e.messageId, `${where}: messageId`);
              if (e.message !== undefined) assert.match(f.finding.message, e.message, `${where}: message`);
              assert.equal(f.finding.severity, e.severity ?? rule.severity, `${where}: severity`);
              for (const [k, v] of Object.entries(e.data ?? {})) assert.equal(String(f.data?.[k]), String(v), `${where}: data.${k}`);
            });
            const isError = c.errors.some((e) => (e.severity ?? rule.severity) === 'error');
            await checkRealTools(t, text, family, isError ? 'refuse' : 'accept', c.realTools, c.todo);
          });
        }
      });
      const uncovered = tests.uncoveredMessages ?? {};
      it(`every message of ${rule.id} is produced by an invalid case`, () => {
        const missing = Object.keys(rule.messages).filter((id) => !emitted.has(id) && !(id in uncovered));
        assert.deepEqual(missing, [], 'add an invalid case for each of these message ids');
      });
      for (const [id, reason] of Object.entries(uncovered)) {
        it(`message ${id} of ${rule.id} is produced by an invalid case`, { todo: reason }, () => {
          assert.ok(id in rule.messages, `${rule.id} has no message ${id}`);
          assert.ok(emitted.has(id), `no invalid case produces ${id}`);
        });
      }
    });
  },
};

/**
 * A finding's first quick fix applied to `text`: it must give `expected`, in which `rules` find
 * nothing, and which the real tools load (when they run here). `label` names the case.
 */
export function assertFixLoads(text: string, finding: Finding | undefined, expected: string, rules: readonly IptablesRule[], family: Family = 'ipv4', label = ''): void {
  const fix = finding?.fixes?.[0];
  assert.ok(fix, `a quick fix ${label}`);
  const out = applyEdits(text, fix.edits);
  assert.equal(out, expected);
  assert.deepEqual(lintIptables(out, { family, rules }).findings, [], label);
  if (realToolsAvailable()) {
    const verdict = realToolAccepts(out, family);
    assert.equal(verdict.accepted, true, verdict.message);
  }
}
