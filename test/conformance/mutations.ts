/**
 * Mutation cases: near variants of the `.t` lines the real tools accept, to find value checks that
 * refuse a spelling iptables takes (or take one it refuses).
 *
 * The inputs are the tables ../shared/corpus/iptables-t/cases-v1.8.9.csv and cases-HEAD.csv (one row
 * per `.t` line with the tools' recorded `--test` verdicts). Every line both tools accepted is taken
 * apart into words, and each value word (not an option, not `!`, not a quoted text, not the name
 * after `-m`/`-j`/`-g`) is changed in one way at a time, the way people mistype or rewrite values:
 * another case, a leading zero, hexadecimal, a `+` sign, `.0`, a trailing letter, the last character
 * dropped, a range turned round, written with a dash or left open, an empty item in a comma list, the
 * part before a `/` alone or a `/` more. Each long option is shortened the way getopt allows
 * (`optionNamesOf`), each value is replaced by a `!` once, each option loses its `!` or gets one, each option name is put in double
 * quotes and each extension name in single quotes. Each variant is a one-rule ruleset of its own. Variants are made in a fixed
 * order, and a variant that two lines produce alike is kept once.
 *
 * The real tools judge each variant (test/conformance/tools.ts); the test asserts that kvmnet reports
 * no error on one they accept, and prints the refusals it does not flag.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import { readCsvRecords, type Family } from './corpus.js';
import { hostCause, kvmnetErrors, type LocatedError } from './parity.js';
import { IN_FLIGHT, judgedWhenFlagged, mapLimit, samplingNote, shortMessage, TOOL_RUNS, type RealVerdict, type ToolRun } from './tools.js';

/** The two tables of recorded verdicts: the 1.8.9 `.t` files (the installed tools) and HEAD's. */
export const MUTATION_SUITES = [
  { name: 'v1.8.9', csv: 'cases-v1.8.9.csv', extensions: 'extensions-v1.8.9' },
  { name: 'HEAD', csv: 'cases-HEAD.csv', extensions: 'extensions' },
] as const;

export type SuiteName = (typeof MUTATION_SUITES)[number]['name'];

/**
 * Lines left out: their verdicts depend on kernel modules or ipset sets this kind of host lacks
 * (CLUSTERIP, LED, ipvs) or on objects no line creates (`-m set`, `-j SET`), so every variant would
 * be refused for the same reason, whatever its value.
 */
const HOST_BOUND = /CLUSTERIP|LED|ipvs|-m set|SET /;

/**
 * For cases that take a line out of its `.t` file (moved to another chain, joined with another
 * line, edited): also the lines that need the file's setup lines or kernel objects this host lacks
 * (estimators, nfacct objects, SELinux contexts).
 */
export const HOST_BOUND_ALONE = /CLUSTERIP|LED|ipvs|-m set|SET |RATEEST|rateest|nfacct|SECMARK|CONNSECMARK/;

/** One `.t` line both tools accepted: where it comes from, its family, table, first chain and rule. */
export interface AcceptedLine {
  readonly file: string;
  readonly line: string;
  readonly family: Family;
  readonly table: string;
  readonly chain: string;
  readonly rule: string;
}

/** The lines of a suite's table that both tools accepted, without those `hostBound` matches. */
export function acceptedLines(corpus: string, suite: (typeof MUTATION_SUITES)[number], hostBound: RegExp = HOST_BOUND): AcceptedLine[] {
  const out: AcceptedLine[] = [];
  for (const row of readCsvRecords(join(corpus, 'iptables-t', suite.csv))) {
    if (row['nft_restore_test_rc'] !== '0' || row['legacy_restore_test_rc'] !== '0') continue;
    if (row['family'] !== 'iptables' && row['family'] !== 'ip6tables') continue;
    const rule = row['rule'] ?? '';
    if (hostBound.test(rule)) continue;
    out.push({
      file: row['t_file'] ?? '', line: row['line'] ?? '?', family: row['family'] === 'ip6tables' ? 'ipv6' : 'ipv4',
      table: row['table'] ?? 'filter', chain: row['first_chain'] ?? 'INPUT', rule,
    });
  }
  return out;
}

/** Words after these name an extension or a chain, not a value. */
const NAME_OPTIONS = new Set(['-j', '-m', '-g', '--jump', '--match', '--goto']);

/**
 * The variants of one value word, in a fixed order, without the word itself, without duplicates
 * and without variants that contain white space (they would split into two words).
 */
export function mutationsOf(word: string): string[] {
  const out: string[] = [];
  const add = (v: string): void => {
    if (v !== word && v.trim() !== '' && !/\s/.test(v) && !out.includes(v)) out.push(v);
  };
  add(word.toUpperCase());
  add(word.toLowerCase());
  if (/^[0-9]+$/.test(word)) {
    add(`0${word}`);
    add(`0x${BigInt(word).toString(16)}`);
    add(`${word}.0`);
    add(`+${word}`);
  }
  const range = /^([0-9]+):([0-9]+)$/.exec(word);
  if (range) {
    const [, from, to] = range as unknown as [string, string, string];
    add(`${to}:${from}`);
    add(`${from}-${to}`);
    add(`${from}:`);
    add(`:${to}`);
  }
  if (word.includes(',')) {
    add(`${word},`);
    add(`,${word}`);
    add(word.replace(',', ',,'));
  }
  if (word.includes('/')) {
    add(word.slice(0, word.indexOf('/')));
    add(`${word}/`);
  }
  if (word.length > 2) add(word.slice(0, -1));
  add(`${word}x`);
  return out;
}

/** One variant: a `.t` line with one value word changed. */
/**
 * The variants of a long option's name: getopt takes any unambiguous start of a long option, and
 * the commands and iptables' own options share its table with the extensions' (`--mo` could be
 * --monthdays or --modprobe). Three starts: three and four characters and all but the last one.
 * `--help` and `--version` are left out: iptables-restore prints and stops there with status 0.
 */
export function optionNamesOf(word: string): string[] {
  if (!word.startsWith('--') || word.length < 5 || word.includes('=')) return [];
  const out: string[] = [];
  for (const n of [3, 4, word.length - 1]) {
    const v = word.slice(0, n);
    if (n < word.length && n >= 3 && !out.includes(v) && !'--help'.startsWith(v) && !'--version'.startsWith(v)) out.push(v);
  }
  return out;
}

export interface MutationCase {
  readonly suite: SuiteName;
  /** `.t` file and line of the original. */
  readonly source: string;
  readonly family: Family;
  readonly table: string;
  readonly chain: string;
  /** The word as the `.t` line has it, and as this variant has it. */
  readonly word: string;
  readonly mutated: string;
  /** The changed rule (what follows `-A CHAIN`). */
  readonly rule: string;
  /** The one-rule ruleset, after the setup lines of the `.t` file if it has some. */
  readonly text: string;
}

/**
 * The rules a `.t` file makes before its test lines (`%iptables -I INPUT -j RATEEST ...` in
 * libxt_rateest.t: the estimators its lines name), as restore lines. Setup commands of other tools
 * (`@nfacct add ...`) cannot be written in a ruleset and are left out.
 */
function setupLines(corpus: string, extensions: string, file: string): string[] {
  const path = join(corpus, 'iptables-t', extensions, file);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((l) => {
      const m = /^%ip6?tables\s+(-[IA]\s.*)$/.exec(l.trim());
      return m ? [m[1] as string] : [];
    });
}

/** The variants of every accepted line of one suite's table, in table order. */
export function mutationCases(corpus: string, suite: (typeof MUTATION_SUITES)[number]): MutationCase[] {
  const setups = new Map<string, string[]>();
  const seen = new Set<string>();
  const out: MutationCase[] = [];
  for (const { file, line, family, table, chain, rule } of acceptedLines(corpus, suite)) {
    let setup = setups.get(file);
    if (!setup) {
      setup = setupLines(corpus, suite.extensions, file);
      setups.set(file, setup);
    }
    const words = rule.match(/"[^"]*"|\S+/g) ?? [];
    for (let i = 1; i < words.length; i++) {
      const word = words[i] as string;
      const isValue = !(word.startsWith('-') || word === '!' || word.startsWith('"') || NAME_OPTIONS.has(words[i - 1] as string));
      // Quotes: iptables-restore takes double quotes off before getopt reads a word (`"-p"` is -p),
      // and keeps single quotes as part of it (`-m 'tcp'` names no match).
      const quoted = word.startsWith('-') ? [`"${word}"`] : NAME_OPTIONS.has(words[i - 1] as string) ? [`'${word}'`] : [];
      // A value replaced by "!": getopt gives it to an option that needs an argument (`--comment !`).
      const variants = [...(isValue ? [...mutationsOf(word), '!'] : optionNamesOf(word)), ...quoted];
      // An option with its "!" taken away, or given one (not -m, -j, -g: those refuse it anyway).
      const negation = word.startsWith('-') && !NAME_OPTIONS.has(word) ? (words[i - 1] === '!' ? 'drop' : 'add') : undefined;
      for (const mutated of negation ? [...variants, negation === 'drop' ? word : `! ${word}`] : variants) {
        const before = negation === 'drop' && mutated === word ? words.slice(0, i - 1) : words.slice(0, i);
        const changed = [...before, mutated, ...words.slice(i + 1)].join(' ');
        const key = `${family} ${table} ${chain} ${changed}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const text = `*${table}\n${setup.map((s) => `${s}\n`).join('')}-A ${chain} ${changed}\nCOMMIT\n`;
        out.push({ suite: suite.name, source: `${file}:${line}`, family, table, chain, word, mutated, rule: changed, text });
      }
    }
  }
  return out;
}

/** The legacy run of a variant the nf_tables backend refused already (see {@link judgeInTurn}). */
const NOT_RUN: ToolRun = { accepted: false, status: null, message: '(not run: the nf_tables backend refused already)' };

/**
 * Why a refusal of a variant comes from the host's databases or kernel objects rather than from the
 * text: the same line loads on a host that has the name or the object. Beyond the harness's own
 * causes ({@link hostCause}: kernel modules, ipsets, host names, missing kernel objects), the
 * variants meet the host's service, user, group and protocol tables, and SELinux contexts.
 */
const MUTATION_HOST_CAUSES: readonly { readonly pattern: RegExp; readonly cause: string }[] = [
  // Only names: a number out of range (`Port "65536"`, `unknown protocol "256"`) is the text's fault.
  { pattern: /Port [`"][A-Za-z][^'"]*['"] (not valid|does not resolve to anything)|invalid port\/service `[A-Za-z]/, cause: 'service name looked up in /etc/services' },
  { pattern: /owner: Bad value for "--(uid|gid)-owner" option: "[A-Za-z_]/, cause: 'user or group looked up in /etc/passwd or /etc/group' },
  { pattern: /unknown protocol "[A-Za-z][^"]*" specified/, cause: 'protocol name looked up in /etc/protocols' },
  { pattern: /getaddrinfo: |host\/network `.*' not found/, cause: 'host name resolved at load time' },
];

/** The host cause of a refused variant, when every refusing tool gives one; undefined for a text refusal. */
export function mutationHostCause(c: MutationCase, verdict: RealVerdict): string | undefined {
  const causes: string[] = [];
  for (const run of [verdict.nft, verdict.legacy]) {
    if (run.accepted || run === NOT_RUN) continue;
    const found = MUTATION_HOST_CAUSES.find((h) => h.pattern.test(run.message))?.cause
      ?? hostCause({ accepted: false, nft: run, legacy: { accepted: true, status: 0, message: '' } })
      // SECMARK's context is checked by the kernel's security module: refused here without SELinux.
      ?? (/ SECMARK --selctx /.test(c.rule) && /RULE_APPEND failed \(Invalid argument\)/.test(run.message) ? 'SELinux context checked by the kernel' : undefined);
    if (!found) return undefined;
    causes.push(found);
  }
  return causes.length > 0 ? [...new Set(causes)].join('; ') : undefined;
}

export type MutationOutcome = 'ok' | 'false-error' | 'flagged' | 'missed';

export interface MutationResult {
  readonly subject: MutationCase;
  readonly verdict: RealVerdict;
  readonly errors: readonly LocatedError[];
  readonly outcome: MutationOutcome;
  readonly hostCause?: string;
}

/**
 * The real tools' verdict, cheaper than the harness's: iptables-legacy-restore --test runs only
 * when the nf_tables restore (which commits) accepts, since a refusal by either is a refusal. The
 * legacy run of a refused variant is marked as not run.
 */
async function judgeInTurn(text: string, family: Family, expectRefusal: boolean): Promise<RealVerdict> {
  const nft = await TOOL_RUNS.ask('nft', family, text, expectRefusal);
  if (!nft.accepted) return { accepted: false, nft, legacy: NOT_RUN };
  const legacy = await TOOL_RUNS.ask('legacy', family, text, expectRefusal);
  return { accepted: legacy.accepted, nft, legacy };
}

/**
 * Judges the variants with the real tools and kvmnet, `jobs` variants in flight (see ToolRuns):
 * every variant kvmnet finds no error in, and those it flags as `judgedWhenFlagged` says.
 */
export async function runMutations(cases: readonly MutationCase[], jobs = IN_FLIGHT): Promise<MutationResult[]> {
  const results = await mapLimit(cases, jobs, async (c): Promise<MutationResult | undefined> => {
    const { errors } = kvmnetErrors(c.text, c.family);
    if (errors.length > 0 && !judgedWhenFlagged(c.text)) return undefined;
    const verdict = await judgeInTurn(c.text, c.family, errors.length > 0);
    const outcome: MutationOutcome = verdict.accepted ? (errors.length > 0 ? 'false-error' : 'ok') : errors.length > 0 ? 'flagged' : 'missed';
    const cause = verdict.accepted ? undefined : mutationHostCause(c, verdict);
    return { subject: c, verdict, errors, outcome, ...(cause ? { hostCause: cause } : {}) };
  });
  return results.filter((r): r is MutationResult => r !== undefined);
}

/** One line for a report: where the variant comes from, the change, the rule and what was said. */
export function describeMutation(r: MutationResult): string {
  const c = r.subject;
  const said = r.outcome === 'false-error' || r.outcome === 'flagged'
    ? r.errors.map((e) => `${e.ruleId}: ${e.message}`).join(' ; ')
    : [r.verdict.nft, r.verdict.legacy].filter((t) => !t.accepted && t !== NOT_RUN).map((t) => shortMessage(t).replace(/ Error occurred at line: \d+/, '')).join(' | ');
  return `${c.suite} ${c.source} ${c.family} [${c.word} -> ${c.mutated}] ${c.rule} | ${said}${r.hostCause ? ` | host: ${r.hostCause}` : ''}`;
}

/**
 * What the tests of generated variants (relocation, pairs, word edits) assert: no kvmnet error on a
 * variant the tools accept, an error on every one they refuse because of its text. Prints a summary
 * and the refusals this host causes.
 */
export function assertVariantVerdicts(t: TestContext, results: readonly MutationResult[], noun: string): void {
  const accepted = results.filter((r) => r.verdict.accepted);
  const falseErrors = results.filter((r) => r.outcome === 'false-error');
  const missed = results.filter((r) => r.outcome === 'missed' && !r.hostCause);
  t.diagnostic(`${results.length} ${noun}: ${accepted.length} accepted (${falseErrors.length} with a kvmnet error), ${results.length - accepted.length} refused (${missed.length} not flagged); ${samplingNote()}`);
  for (const r of results.filter((x) => x.outcome === 'missed' && x.hostCause)) t.diagnostic(`  host: ${describeMutation(r)}`);
  assert.equal(falseErrors.length, 0, falseErrors.map(describeMutation).join('\n'));
  assert.equal(missed.length, 0, missed.map(describeMutation).join('\n'));
}
