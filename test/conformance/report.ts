/**
 * The parity report behind scripts/conformance.mjs: runs the v1.8.9 `.t` cases (and, with
 * --real, the real rulesets) through the real tools and kvmnet, then prints the parity table and
 * every mismatch, one per line, with a fixed first word so that the output greps well:
 *
 *   PARITY       family file accepted false-errors refused flagged flagged%
 *   FALSE-ERROR  owner file:line family table/chain | rule | ruleId: message [at "token"]
 *   MISSED       owner file:line family table/chain | rule | nft(real): ... | legacy(--test): ...
 *   MISSED-HOST  the same, for refusals caused by this host's state (kernel module, ipset ...)
 *   HOST-FLAGGED a host-dependent refusal that kvmnet calls an error (to review)
 *   DRIFT        file:line family | rule | where the tools disagree with the .t expectation
 *   SKIPPED      file:line | rule | reason
 *   REAL         ruleset family source outcome errors=N [tool-line=N kvmnet-error-there=yes|no] lint=ms verdict
 *   REAL-FALSE-ERROR ruleset:line family | ruleId: message [at "token"]
 *   PROBE        outcome family table | line | findings or the tools' messages (hand-written probes, --probes)
 *
 * `owner` says whose data the case exercises: `targets` (an upper-case `.t` file such as
 * libxt_MARK.t), `matches` (lower-case, libxt_tcp.t) or `parser` (iptables.t, *_standard.t).
 */
import { familiesOfTestFile, findCorpus, readExtensionCorpus, readRealRulesets, readShellRulesets, type ExtensionCase, type Family, type Suite } from './corpus.js';
import {
  describeExtensionFalseError,
  describeExtensionMiss,
  describeProbe,
  describeRealFalseErrors,
  expectationDrift,
  percent,
  refusalText,
  runExtensionCases,
  runProbes,
  runRealRulesets,
  tally,
  toolErrorLine,
  type CaseResult,
  type Tally,
} from './parity.js';
import { PROBES } from './probes.js';
import { DEFAULT_JOBS, TOOL_RUNS } from './tools.js';
import { realToolsAvailable } from '../helpers/realTools.js';

interface Options {
  readonly families: readonly Family[];
  readonly only: readonly string[];
  readonly real: boolean;
  readonly realOnly: boolean;
  readonly jobs: number;
  readonly showSkipped: boolean;
  readonly allChains: boolean;
  readonly suite: Suite;
  readonly probes: boolean;
}

const USAGE = `usage: node --import tsx scripts/conformance.mjs [--family ipv4|ipv6] [--only FILE[,FILE...]] [--real | --real-only] [--jobs N] [--skipped] [--all-chains] [--head] [--probes]
  --family    only the .t files of this family (libxt_/libipt_/iptables.t: ipv4, libip6t_: ipv6)
  --only      only these .t files (name with or without .t; repeatable)
  --real      also the real rulesets of corpus/real-iptables and iptables' shell-test dumps (slower: large files)
  --real-only only the real rulesets
  --jobs      tool processes at once (each judges up to 50 rulesets; default ${DEFAULT_JOBS})
  --skipped   list the test lines skipped because they need @/% setup objects
  --all-chains run each test line in every chain of its header, as iptables-test.py does
              (the tests use the first chain only; this finds hook restrictions, about 3x slower)
  --probes    also the hand-written probes of test/conformance/probes.ts (getopt, quoting, negation ...)
  --head      the HEAD (1.8.13+) .t files instead of v1.8.9 (libxt_ then runs with both families;
              newer than the installed tools, which still decide: more accepted lines to check)
Exit status: 0 no false error, 1 false errors found, 2 bad usage or nothing to run.`;

function parseOptions(argv: readonly string[]): Options | string {
  let families: Family[] = ['ipv4', 'ipv6'];
  const only: string[] = [];
  let real = false;
  let realOnly = false;
  let jobs = DEFAULT_JOBS;
  let showSkipped = false;
  let allChains = false;
  let suite: Suite = 'v1.8.9';
  let probes = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [key, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (key) {
      case '--family': {
        const v = value();
        if (v !== 'ipv4' && v !== 'ipv6') return `--family needs ipv4 or ipv6, got ${v ?? 'nothing'}`;
        families = [v];
        break;
      }
      case '--only': {
        const v = value();
        if (!v) return '--only needs a .t file name';
        only.push(...v.split(',').filter((s) => s !== '').map((s) => (s.endsWith('.t') ? s : `${s}.t`)));
        break;
      }
      case '--real':
        real = true;
        break;
      case '--real-only':
        real = true;
        realOnly = true;
        break;
      case '--jobs': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1) return '--jobs needs a positive integer';
        jobs = n;
        break;
      }
      case '--skipped':
        showSkipped = true;
        break;
      case '--all-chains':
        allChains = true;
        break;
      case '--head':
        suite = 'HEAD';
        break;
      case '--probes':
        probes = true;
        break;
      case '-h':
      case '--help':
        return '';
      default:
        return `unknown argument ${arg}`;
    }
  }
  return { families, only, real, realOnly, jobs, showSkipped, allChains, suite, probes };
}

/** Whose knowledge the `.t` file exercises (see the header). */
export function ownerOfTestFile(file: string): 'parser' | 'matches' | 'targets' {
  const ext = file.replace(/^lib(xt|ipt|ip6t)_/, '').replace(/\.t$/, '');
  if (file === 'iptables.t' || ext === 'standard') return 'parser';
  return /^[A-Z]/.test(ext) ? 'targets' : 'matches';
}

const COLUMNS: readonly [string, number, (t: Tally) => string][] = [
  ['accepted', 8, (t) => String(t.accepted)],
  ['false-errors', 12, (t) => String(t.falseErrors)],
  ['refused', 7, (t) => String(t.refused)],
  ['host', 4, (t) => String(t.hostRefused)],
  ['text', 4, (t) => String(t.textRefused)],
  ['flagged', 7, (t) => String(t.textFlagged)],
  ['flagged%', 8, (t) => percent(t.textFlagged, t.textRefused)],
  ['raw%', 6, (t) => percent(t.flagged, t.refused)],
];

function row(label: string, family: string, name: string, t: Tally): string {
  return [label.padEnd(12), family.padEnd(6), name.padEnd(24), ...COLUMNS.map(([, width, cell]) => cell(t).padStart(width))].join(' ');
}

function header(label: string): string {
  return [label.padEnd(12), 'family'.padEnd(6), 'file'.padEnd(24), ...COLUMNS.map(([title, width]) => title.padStart(width))].join(' ');
}

async function reportExtensions(corpus: string, opts: Options, print: (s: string) => void): Promise<number> {
  const all = readExtensionCorpus(corpus, { allChains: opts.allChains, suite: opts.suite });
  const known = new Set(all.files);
  for (const f of opts.only) if (!known.has(f)) print(`WARNING      --only ${f}: no such in-scope .t file (ebtables/arptables files are out of scope)`);
  const wantedFile = (file: string): boolean => opts.only.length === 0 || opts.only.includes(file);
  const cases = all.cases.filter((c) => wantedFile(c.file) && opts.families.includes(c.family));
  const skipped = all.skipped.filter((s) => wantedFile(s.file) && familiesOfTestFile(s.file, opts.suite).some((f) => opts.families.includes(f)));
  if (cases.length === 0) return 0;
  const started = performance.now();
  const results = await runExtensionCases(cases);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  const folder = opts.suite === 'HEAD' ? 'extensions' : 'extensions-v1.8.9';
  print(`# iptables ${opts.suite} extension tests (${corpus}/iptables-t/${folder}): ${cases.length} cases (${opts.allChains ? 'every chain of each header' : 'first chain of each header'}) in ${seconds} s, oracle = real ip(6)tables-nft-restore in unshare -n + ip(6)tables-legacy-restore --test`);
  print(`# skipped ${skipped.length} line(s) that need @/% setup objects${skipped.length ? ` (${[...new Set(skipped.map((s) => s.file))].join(', ')})` : ''}; out of scope: ${all.outOfScope.length} ebtables/arptables files`);
  print('# columns: accepted = both tools accept; false-errors = accepted but kvmnet reports an error; refused = a tool refuses;');
  print('#   host = refused because of this host (missing kernel module, ipset/nfacct object, SELinux ...); text = refused - host;');
  print('#   flagged = text refusals with a kvmnet error; flagged% = flagged / text (the parity figure); raw% = all flagged / refused');
  print(header('PARITY'));
  const byFamily = new Map<Family, CaseResult<ExtensionCase>[]>();
  const byFile = new Map<string, CaseResult<ExtensionCase>[]>();
  for (const r of results) {
    byFamily.set(r.subject.family, [...(byFamily.get(r.subject.family) ?? []), r]);
    byFile.set(r.subject.file, [...(byFile.get(r.subject.file) ?? []), r]);
  }
  for (const [family, rs] of byFamily) print(row('PARITY', family, '(all)', tally(rs)));
  if (byFamily.size > 1) print(row('PARITY', 'both', '(all)', tally(results)));
  for (const [file, rs] of byFile) print(row('PARITY', rs[0]!.subject.family, file, tally(rs)));

  const falseErrors = results.filter((r) => r.outcome === 'false-error');
  const missed = results.filter((r) => r.outcome === 'missed' && !r.hostCause);
  const missedHost = results.filter((r) => r.outcome === 'missed' && r.hostCause);
  const flaggedHost = results.filter((r) => r.outcome === 'flagged' && r.hostCause);
  const drift = results.flatMap((r) => {
    const note = expectationDrift(r);
    return note ? [{ r, note }] : [];
  });
  const owner = (r: CaseResult<ExtensionCase>) => ownerOfTestFile(r.subject.file).padEnd(7);
  print(`# ${falseErrors.length} false error(s): both tools accept, kvmnet reports an error`);
  for (const r of falseErrors) print(`FALSE-ERROR  ${owner(r)} ${describeExtensionFalseError(r)}`);
  print(`# ${missed.length} miss(es): a tool refuses the text, kvmnet reports no error`);
  for (const r of missed) print(`MISSED       ${owner(r)} ${describeExtensionMiss(r)}`);
  print(`# ${missedHost.length} host-dependent refusal(s) without an error (expected: a static linter cannot know the host)`);
  for (const r of missedHost) print(`MISSED-HOST  ${owner(r)} ${describeExtensionMiss(r)}`);
  print(`# ${flaggedHost.length} host-dependent refusal(s) WITH an error (review: would the error be false on a host that has the module/object?)`);
  for (const r of flaggedHost) print(`HOST-FLAGGED ${owner(r)} ${describeExtensionFalseError(r)} | ${r.hostCause ?? ''}`);
  print(`# ${drift.length} case(s) where the tools disagree with the .t file's expectation (informative)`);
  for (const { r, note } of drift) print(`DRIFT        ${r.subject.file}:${r.subject.line} ${r.subject.family} | ${r.subject.rule} | ${note}`);
  if (opts.showSkipped) for (const s of skipped) print(`SKIPPED      ${s.file}:${s.line} | ${s.rule} | ${s.reason}`);
  return falseErrors.length;
}

async function reportReal(corpus: string, opts: Options, print: (s: string) => void): Promise<number> {
  const rulesets = [...readRealRulesets(corpus), ...readShellRulesets(corpus)].filter((r) => opts.families.includes(r.family));
  const started = performance.now();
  const results = await runRealRulesets(rulesets);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const t = tally(results);
  const count = (source: string) => results.filter((r) => r.subject.source === source).length;
  print(`# real rulesets: ${results.length} files in ${seconds} s: ${count('original')} originals and ${count('derived')} repaired _derived copies (${corpus}/real-iptables), ${count('shell-dump')} dumps and ${count('shell-heredoc')} restore fragments of iptables' shell tests (${corpus}/iptables-t)`);
  print(`# accepted by both tools: ${t.accepted}, with a kvmnet error: ${t.falseErrors}; refused: ${t.refused} (${t.hostRefused} by this host's state), flagged by kvmnet: ${t.flagged} (${percent(t.flagged, t.refused)}; text refusals: ${t.textFlagged}/${t.textRefused})`);
  let atToolLine = 0;
  for (const r of results) {
    const verdict = r.verdict.accepted ? 'accepted' : `refused (${refusalText(r.verdict)})${r.hostCause ? ` host: ${r.hostCause}` : ''}`;
    // For a refused file: does kvmnet put an error on the line the tool names (the first bad line)?
    const line = r.verdict.accepted ? undefined : toolErrorLine(r.verdict);
    const hit = line !== undefined && r.errors.some((e) => e.line === line);
    if (hit) atToolLine++;
    const where = line === undefined ? '' : ` tool-line=${line} kvmnet-error-there=${hit ? 'yes' : 'no'}`;
    print(`REAL         ${r.subject.name} ${r.subject.family} ${r.subject.source} ${r.outcome} errors=${r.errors.length}${where} lint=${r.lintMs.toFixed(0)}ms ${verdict}`);
  }
  print(`# refused files with a kvmnet error on the line the tool names: ${atToolLine} of ${t.refused}`);
  const falseErrors = results.filter((r) => r.outcome === 'false-error');
  for (const r of falseErrors) for (const line of describeRealFalseErrors(r)) print(`REAL-FALSE-ERROR ${line}`);
  return falseErrors.length;
}

async function reportProbes(opts: Options, print: (s: string) => void): Promise<number> {
  const results = await runProbes(PROBES.filter((p) => opts.families.includes(p.family)));
  const t = tally(results);
  print(`# hand-written probes (test/conformance/probes.ts): ${t.cases}, accepted ${t.accepted} (${t.falseErrors} with a kvmnet error), refused ${t.refused} (${t.hostRefused} host), flagged ${t.flagged}`);
  const label: Record<string, string> = { ok: 'ok', 'false-error': 'FALSE-ERROR', flagged: 'flagged', missed: 'MISSED' };
  for (const r of results) print(`PROBE        ${(label[r.outcome] ?? r.outcome).padEnd(11)} ${describeProbe(r)}`);
  return t.falseErrors;
}

/** Entry of scripts/conformance.mjs; returns the exit status. */
export async function main(argv: readonly string[], print: (s: string) => void = (s) => console.log(s)): Promise<number> {
  const opts = parseOptions(argv);
  if (typeof opts === 'string') {
    if (opts !== '') console.error(`conformance: ${opts}`);
    console.error(USAGE);
    return opts === '' ? 0 : 2;
  }
  TOOL_RUNS.processes = opts.jobs;
  const corpus = findCorpus();
  if (!corpus) {
    console.error('conformance: the shared corpus is missing (expected ../shared/corpus from the project root, or set KVMNET_CORPUS)');
    return 2;
  }
  if (!realToolsAvailable()) {
    console.error('conformance: the real tools cannot run here (needs root, unshare, iptables-nft-restore and iptables-legacy-restore)');
    return 2;
  }
  let falseErrors = 0;
  if (!opts.realOnly) falseErrors += await reportExtensions(corpus, opts, print);
  if (opts.probes) falseErrors += await reportProbes(opts, print);
  if (opts.real) falseErrors += await reportReal(corpus, opts, print);
  return falseErrors > 0 ? 1 : 0;
}
