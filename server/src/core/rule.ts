import type { Finding, Fix, RelatedLocation, Severity } from './finding.js';
import type { Span } from './span.js';

/** Documentation of a rule: the first line of its doc page and why it exists. */
export interface RuleDocs {
  readonly summary: string;
  readonly rationale: string;
}

/** What a check hands to `report`: a message template id and its data, never a ready string. */
export interface ReportDescriptor {
  readonly span: Span;
  readonly messageId: string;
  readonly data?: Readonly<Record<string, string | number>>;
  readonly related?: readonly RelatedLocation[];
  /** Overrides the rule's default severity for this finding (e.g. `bad-address` warns for host bits). */
  readonly severity?: Severity;
  readonly fixes?: readonly Fix[];
}

export interface RuleContextBase {
  report(descriptor: ReportDescriptor): void;
}

/**
 * A check: one file, one id. `check` is pure: it reads the context and reports; it never throws
 * on any input the tolerant parser can produce.
 */
export interface Rule<Ctx extends RuleContextBase> {
  readonly id: string;
  readonly severity: Severity;
  readonly docs: RuleDocs;
  readonly messages: Readonly<Record<string, string>>;
  check(ctx: Ctx): void;
}

/** Fills `{name}` placeholders of a message template. Unknown placeholders stay visible. */
export function formatMessage(template: string, data: Readonly<Record<string, string | number>> | undefined): string {
  if (!data) return template;
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in data ? visible(String(data[key])) : whole));
}

/** Characters a message would show as nothing, or not at all: control characters, odd spaces, zero-width ones. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00a0\u00ad\u2000-\u200f\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]/g;
const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', '\f': '\\f', '\v': '\\v' };

/**
 * A value as a message can show it: invisible characters written as escapes (`ACCEPT\f`,
 * `eth0\xa0`), so "unknown target "ACCEPT"" never names what looks like a known one.
 */
function visible(value: string): string {
  return value.replace(INVISIBLE, (c) => NAMED[c] ?? (c.charCodeAt(0) < 0x100 ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

export function makeFinding(rule: { id: string; severity: Severity; messages: Readonly<Record<string, string>> }, d: ReportDescriptor): Finding {
  const template = rule.messages[d.messageId] ?? d.messageId;
  const finding: Finding = {
    ruleId: rule.id,
    severity: d.severity ?? rule.severity,
    span: d.span,
    message: formatMessage(template, d.data),
    ...(d.related && d.related.length > 0 ? { related: d.related } : {}),
    ...(d.fixes && d.fixes.length > 0 ? { fixes: d.fixes } : {}),
  };
  return finding;
}
