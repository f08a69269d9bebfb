/**
 * Parity between kvmnet's `error` findings and the real tools' verdicts, shared by the
 * conformance tests and scripts/conformance.mjs.
 *
 * - false error: both tools accept, kvmnet reports an `error` (a bug: DESIGN.md §3);
 * - flagged: a tool refuses and kvmnet reports at least one `error`;
 * - missed: a tool refuses and kvmnet reports no `error`.
 */
import { readFileSync } from 'node:fs';
import type { Finding } from '../../server/src/core/finding.js';
import { lintIptables } from '../../server/src/iptables/lint.js';
import type { ExtensionCase, Family, RealRuleset } from './corpus.js';
import { probeText, type Probe } from './probes.js';
import { IN_FLIGHT, mapLimit, refusedLine, shortMessage, VerdictCache, type RealVerdict } from './tools.js';
import { realToolsAvailable } from '../helpers/realTools.js';

const NO_TOOLS = 'the real tools cannot run here: needs root, unshare -n, iptables-nft-restore and iptables-legacy-restore';

/**
 * Why a conformance test cannot run on this machine, for `describe`'s `skip`, or false when it can:
 * the real tools must run, and the corpus must be there when the test reads it (`needs` says which
 * of its files; undefined for a test that reads none).
 */
export function conformanceSkip(corpus: string | undefined, needs?: string): string | false {
  if (needs !== undefined && !corpus) return `shared corpus not found: expected ../shared/corpus (${needs}) from the project root, or KVMNET_CORPUS`;
  return realToolsAvailable() ? false : NO_TOOLS;
}

/** A kvmnet `error` finding, located for humans. */
export interface LocatedError {
  readonly ruleId: string;
  readonly message: string;
  /** 1-based line of the finding's start. */
  readonly line: number;
  /** The text under the finding's span (clipped). */
  readonly token: string;
}

export type Outcome = 'ok' | 'false-error' | 'flagged' | 'missed';

/** Whether the tools' verdict on a `.t` case agrees with what the `.t` file expects of each backend. */
export function expectationDrift(r: CaseResult<ExtensionCase>): string | undefined {
  const notes: string[] = [];
  const { expected } = r.subject;
  if ((expected.nft !== 'FAIL') !== r.verdict.nft.accepted) notes.push(`nft: expected ${expected.nft}, ${r.verdict.nft.accepted ? 'accepted' : 'refused'}`);
  if ((expected.legacy !== 'FAIL') !== r.verdict.legacy.accepted) notes.push(`legacy: expected ${expected.legacy}, ${r.verdict.legacy.accepted ? 'accepted' : 'refused'}`);
  return notes.length > 0 ? notes.join('; ') : undefined;
}

export interface CaseResult<C> {
  readonly subject: C;
  readonly verdict: RealVerdict;
  readonly errors: LocatedError[];
  readonly outcome: Outcome;
  /** Set when the refusal comes from this host's state, not from the text (see {@link hostCause}). */
  readonly hostCause?: string;
  /** Lint time in ms. */
  readonly lintMs: number;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** kvmnet's `error` findings on `text`, each with its line and token. */
export function kvmnetErrors(text: string, family: Family, fileName?: string): { errors: LocatedError[]; ms: number } {
  const started = performance.now();
  let findings: Finding[];
  try {
    findings = lintIptables(text, { family, ...(fileName ? { fileName } : {}) }).findings;
  } catch (err) {
    // The linter must never throw; if it does, count it as an error finding so it shows up.
    const message = `lintIptables threw: ${err instanceof Error ? err.message : String(err)}`;
    return { errors: [{ ruleId: 'crash', message, line: 1, token: '' }], ms: performance.now() - started };
  }
  const errors = findings
    .filter((f) => f.severity === 'error')
    .map((f) => {
      const token = text.slice(f.span.start, f.span.end);
      return { ruleId: f.ruleId, message: f.message, line: lineOf(text, f.span.start), token: token.length > 60 ? `${token.slice(0, 57)}...` : token };
    });
  return { errors, ms: performance.now() - started };
}

/**
 * Refusals that depend on the host, not on the ruleset text: a static linter cannot (and must
 * not) turn them into errors, because the same text loads on a host that has the module or the
 * object. Each pattern names the cause.
 */
const HOST_CAUSES: readonly { readonly pattern: RegExp; readonly cause: string }[] = [
  { pattern: /missing kernel module\?/, cause: 'kernel module not available on this host' },
  { pattern: /Set \S+ doesn't exist/, cause: 'ipset set does not exist on this host' },
  { pattern: /cannot open \/etc\/xtables\/connlabel\.conf/, cause: 'connlabel names come from /etc/xtables/connlabel.conf, absent here' },
  // Only a name that could be a DNS name: placeholders such as `<private_ip>` never resolve.
  { pattern: /host\/network `[A-Za-z0-9.-]*[A-Za-z][A-Za-z0-9.-]*' not found/, cause: 'host name resolved at load time' },
  { pattern: /RULE_APPEND failed \(No such file or directory\)/, cause: 'the kernel lacks an object the rule names (nfacct object, SELinux context, helper ...)' },
];

/**
 * Why a refusal is the host's doing, or undefined when it is about the text. Every refusing tool's
 * message must have a host cause: when one of them refuses for a static reason, the case counts.
 */
export function hostCause(verdict: RealVerdict): string | undefined {
  const causes: string[] = [];
  for (const run of [verdict.nft, verdict.legacy]) {
    if (run.accepted) continue;
    const found = HOST_CAUSES.find((h) => h.pattern.test(run.message));
    if (!found) return undefined;
    causes.push(found.cause);
  }
  return causes.length > 0 ? [...new Set(causes)].join('; ') : undefined;
}

function outcomeOf(accepted: boolean, errors: readonly LocatedError[]): Outcome {
  if (accepted) return errors.length > 0 ? 'false-error' : 'ok';
  return errors.length > 0 ? 'flagged' : 'missed';
}

/** The input line a refusing tool names ("Error occurred at line: N", "line N failed"), if any. */
export function toolErrorLine(verdict: RealVerdict): number | undefined {
  for (const run of [verdict.nft, verdict.legacy]) {
    const line = run.accepted ? undefined : refusedLine(run.message);
    if (line !== undefined) return line;
  }
  return undefined;
}

function withHostCause<C>(r: CaseResult<C>): CaseResult<C> {
  const cause = r.verdict.accepted ? undefined : hostCause(r.verdict);
  return cause ? { ...r, hostCause: cause } : r;
}

/** Runs the real tools and kvmnet on every case. */
export async function runExtensionCases(cases: readonly ExtensionCase[]): Promise<CaseResult<ExtensionCase>[]> {
  const cache = new VerdictCache();
  return mapLimit(cases, IN_FLIGHT, async (c) => {
    const { errors, ms } = kvmnetErrors(c.text, c.family);
    const verdict = await cache.judge(c.text, c.family, errors.length > 0);
    return withHostCause({ subject: c, verdict, errors, outcome: outcomeOf(verdict.accepted, errors), lintMs: ms });
  });
}

/** Runs the real tools and kvmnet on every real ruleset. */
export async function runRealRulesets(rulesets: readonly RealRuleset[]): Promise<CaseResult<RealRuleset>[]> {
  const cache = new VerdictCache();
  return mapLimit(rulesets, IN_FLIGHT, async (r) => {
    const text = readFileSync(r.path, 'utf8');
    const { errors, ms } = kvmnetErrors(text, r.family, r.name);
    const verdict = await cache.judge(text, r.family, errors.length > 0);
    return withHostCause({ subject: r, verdict, errors, outcome: outcomeOf(verdict.accepted, errors), lintMs: ms });
  });
}

/** Runs the real tools and kvmnet on every hand-written probe. */
export async function runProbes(probes: readonly Probe[]): Promise<CaseResult<Probe>[]> {
  const cache = new VerdictCache();
  return mapLimit(probes, IN_FLIGHT, async (p) => {
    const text = probeText(p);
    const { errors, ms } = kvmnetErrors(text, p.family);
    const verdict = await cache.judge(text, p.family, errors.length > 0);
    return withHostCause({ subject: p, verdict, errors, outcome: outcomeOf(verdict.accepted, errors), lintMs: ms });
  });
}

/** One line per probe: family, table, the line, then the findings or the tools' messages. */
export function describeProbe(r: CaseResult<Probe>): string {
  const p = r.subject;
  const detail = r.outcome === 'false-error' || r.outcome === 'flagged' ? r.errors.map(errorText).join(' ; ') : refusalText(r.verdict);
  return `${p.family} ${p.table} | ${p.line} | ${detail}${r.hostCause ? ` | host: ${r.hostCause}` : ''}`;
}

/** Counts for one row of the parity table. */
export interface Tally {
  readonly cases: number;
  /** Both tools accept. */
  readonly accepted: number;
  /** Accepted, yet kvmnet reports an error. */
  readonly falseErrors: number;
  /** Refused by at least one tool (all causes). */
  readonly refused: number;
  /** Refused cases kvmnet reports an error on (all causes). */
  readonly flagged: number;
  /** Refused because of the host's state ({@link hostCause}); not expected of a static linter. */
  readonly hostRefused: number;
  /** Refused for a reason in the text: the denominator of the parity figure. */
  readonly textRefused: number;
  /** Text refusals kvmnet reports an error on: the numerator of the parity figure. */
  readonly textFlagged: number;
}

export function tally(results: readonly CaseResult<unknown>[]): Tally {
  const count = (keep: (r: CaseResult<unknown>) => boolean) => results.filter(keep).length;
  const falseErrors = count((r) => r.outcome === 'false-error');
  const refused = count((r) => !r.verdict.accepted);
  const hostRefused = count((r) => r.hostCause !== undefined);
  return {
    cases: results.length,
    accepted: results.length - refused,
    falseErrors,
    refused,
    flagged: count((r) => r.outcome === 'flagged'),
    hostRefused,
    textRefused: refused - hostRefused,
    textFlagged: count((r) => r.outcome === 'flagged' && r.hostCause === undefined),
  };
}

/** `flagged / refused` as a percentage with one decimal, or `-` when nothing was refused. */
export function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`;
}

/** Which tools refused, with their messages. */
export function refusalText(verdict: RealVerdict): string {
  const parts: string[] = [];
  if (!verdict.nft.accepted) parts.push(`nft(real): ${shortMessage(verdict.nft)}`);
  if (!verdict.legacy.accepted) parts.push(`legacy(--test): ${shortMessage(verdict.legacy)}`);
  return parts.join(' | ');
}

export function errorText(e: LocatedError): string {
  return `${e.ruleId}: ${e.message}${e.token ? ` [at "${e.token}"]` : ''}`;
}

/** One line per false error of an extension case: file:line, family, table/chain, rule, findings. */
export function describeExtensionFalseError(r: CaseResult<ExtensionCase>): string {
  const c = r.subject;
  return `${c.file}:${c.line} ${c.family} ${c.table}/${c.chain} | ${c.rule} | ${r.errors.map(errorText).join(' ; ')}`;
}

/** One line per refused case kvmnet missed: file:line, family, table/chain, rule, the tools' messages. */
export function describeExtensionMiss(r: CaseResult<ExtensionCase>): string {
  const c = r.subject;
  return `${c.file}:${c.line} ${c.family} ${c.table}/${c.chain} | ${c.rule} | ${refusalText(r.verdict)}${r.hostCause ? ` | host: ${r.hostCause}` : ''}`;
}

/** One line per kvmnet error on an accepted real ruleset: file:line and the finding. */
export function describeRealFalseErrors(r: CaseResult<RealRuleset>): string[] {
  return r.errors.map((e) => `${r.subject.name}:${e.line} ${r.subject.family} | ${errorText(e)}`);
}
