/**
 * Readers for the shared real-world corpus (../shared/corpus, outside the product repository
 * because of its licences): iptables' own per-extension `.t` tests at tag v1.8.9 and the real
 * iptables-save rulesets with their index.csv. Files are read in place, never copied.
 *
 * The `.t` format and the one-rule method follow corpus/iptables-t/README.md: a test line becomes
 * `*<table>\n-A <first chain of the header> <RULE>\nCOMMIT\n`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export type Family = 'ipv4' | 'ipv6';

/** Every file under `dir` (sorted, sub-folders included) but the corpus's indexes and notes (.csv, .md). */
export function corpusFilesIn(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...corpusFilesIn(path));
    else if (!name.endsWith('.csv') && !name.endsWith('.md')) out.push(path);
  }
  return out;
}

/** The text of each readable file of `corpusFilesIn(dir)`, one at a time. */
export function* corpusTextsIn(dir: string): Generator<{ readonly path: string; readonly text: string }> {
  for (const path of corpusFilesIn(dir)) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    yield { path, text };
  }
}

/**
 * The project root (this file lives in test/conformance/). From `__filename`: when an ES module
 * imports this file through tsx, `__dirname` is not the file's folder but `__filename` is right.
 */
export const PROJECT_ROOT = resolve(dirname(__filename), '..', '..');

/**
 * Where the shared corpus is: `KVMNET_CORPUS` when set, else `../shared/corpus` from the project
 * root. Returns undefined when the folder (with both sub-corpora) is not there.
 */
export function findCorpus(): string | undefined {
  const dir = process.env['KVMNET_CORPUS'] ?? resolve(PROJECT_ROOT, '..', 'shared', 'corpus');
  if (!existsSync(join(dir, 'iptables-t', 'extensions-v1.8.9')) || !existsSync(join(dir, 'real-iptables', 'index.csv'))) return undefined;
  return dir;
}

/** The expected outcome the `.t` file states for one backend. */
export type Expectation = 'OK' | 'FAIL' | 'NOMATCH';

/** One test line of a `.t` file, turned into a one-rule ruleset. */
export interface ExtensionCase {
  /** `.t` file name, e.g. `libxt_tcp.t`. */
  readonly file: string;
  /** 1-based line number in the `.t` file. */
  readonly line: number;
  readonly family: Family;
  readonly table: string;
  /** The chain the rule is appended to: the first chain of the header in force (all of them with `allChains`). */
  readonly chain: string;
  /** The RULE field: what follows `-A CHAIN`. */
  readonly rule: string;
  /** What the `.t` file expects from each backend (informative: the real tools decide). */
  readonly expected: { readonly nft: Expectation; readonly legacy: Expectation };
  /** The one-rule restore input. */
  readonly text: string;
}

/** A test line that is not run, with the reason. */
export interface SkippedLine {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly reason: string;
}

export interface ExtensionCorpus {
  readonly cases: ExtensionCase[];
  /** Lines of in-scope files that need objects created by `@`/`%` setup commands. */
  readonly skipped: SkippedLine[];
  /** `.t` files read (in scope: libxt_, libipt_, libip6t_, iptables.t). */
  readonly files: string[];
  /** `.t` files out of scope (libebt_, libarpt_: ebtables/arptables). */
  readonly outOfScope: string[];
}

/** Which `.t` suite: the v1.8.9 files (matching the installed iptables) or HEAD (1.8.13+). */
export type Suite = 'v1.8.9' | 'HEAD';

/**
 * The families a `.t` file runs with; empty for ebtables/arptables files. In v1.8.9 `libxt_` files
 * ran with iptables only (IPv4; the IPv6 cases live in `libip6t_`); at HEAD they run with both.
 */
export function familiesOfTestFile(name: string, suite: Suite = 'v1.8.9'): Family[] {
  if (name.startsWith('libxt_')) return suite === 'HEAD' ? ['ipv4', 'ipv6'] : ['ipv4'];
  if (name === 'iptables.t' || name.startsWith('libipt_')) return ['ipv4'];
  if (name.startsWith('libip6t_')) return ['ipv6'];
  return [];
}

const INVERSE: Record<Expectation, Expectation> = { OK: 'FAIL', FAIL: 'OK', NOMATCH: 'OK' };

function asExpectation(word: string | undefined): Expectation {
  if (word === 'OK' || word === 'FAIL') return word;
  // iptables-test.py treats any other result word like NOMATCH.
  return 'NOMATCH';
}

/** RESULT[;VARIANT[;ALT_RESULT]] to one expectation per backend (README: "Fields of a test line"). */
function expectations(result: string | undefined, variant: string | undefined, alt: string | undefined): ExtensionCase['expected'] {
  const main = asExpectation(result);
  if (variant !== 'NFT' && variant !== 'LEGACY') return { nft: main, legacy: main };
  const other = alt !== undefined && alt !== '' ? asExpectation(alt) : INVERSE[main];
  return variant === 'NFT' ? { nft: main, legacy: other } : { nft: other, legacy: main };
}

/**
 * The object names a setup command creates or removes. `@nfct timeout add NAME`,
 * `@nfct helper add NAME`, `@nfacct add NAME`, `%iptables -I ... --rateest-name NAME`; `del` and
 * `-D` remove. Returns undefined when the command is not understood.
 */
function setupObjects(command: string): { readonly add: boolean; readonly names: string[] } | undefined {
  const words = command.slice(1).trim().split(/\s+/);
  const addAt = words.indexOf('add');
  const delAt = words.indexOf('del');
  if (addAt >= 0 && words[addAt + 1]) return { add: true, names: [words[addAt + 1]!] };
  if (delAt >= 0 && words[delAt + 1]) return { add: false, names: [words[delAt + 1]!] };
  if (/^(ip6?tables)$/.test(words[0] ?? '')) {
    const names = words.flatMap((w, i) => (/^--[a-z-]*name$/.test(w) && words[i + 1] ? [words[i + 1]!] : []));
    if (names.length === 0) return undefined;
    if (words.includes('-D')) return { add: false, names };
    if (words.includes('-I') || words.includes('-A')) return { add: true, names };
  }
  return undefined;
}

export interface ParseOptions {
  /**
   * One case per chain of the header instead of the first chain only (iptables-test.py runs every
   * listed chain; the README's one-rule method, and the tests, use the first).
   */
  readonly allChains?: boolean;
}

/** Parses one `.t` file. Test lines that refer to a live setup object are skipped. */
export function parseTestFile(file: string, content: string, family: Family, options: ParseOptions = {}): { cases: ExtensionCase[]; skipped: SkippedLine[] } {
  const cases: ExtensionCase[] = [];
  const skipped: SkippedLine[] = [];
  let table = 'filter';
  let chains: string[] = [];
  const live = new Set<string>();
  let unknownSetup: string | undefined;
  content.split('\n').forEach((raw, index) => {
    const text = raw.replace(/\r$/, '');
    const line = index + 1;
    if (text.trim() === '' || text.startsWith('#')) return;
    const first = text[0];
    if (first === ':') {
      chains = text.slice(1).split(',').map((c) => c.trim()).filter((c) => c !== '');
      return;
    }
    if (first === '*') {
      table = text.slice(1).trim();
      return;
    }
    if (first === '@' || first === '%') {
      const objects = setupObjects(text);
      if (!objects) unknownSetup = text;
      else for (const name of objects.names) objects.add ? live.add(name) : live.delete(name);
      return;
    }
    const [rule = '', , result, variant, alt] = text.split(';');
    if (chains.length === 0) {
      skipped.push({ file, line, rule, reason: 'test line before any chain header (a broken test)' });
      return;
    }
    if (unknownSetup) {
      skipped.push({ file, line, rule, reason: `after a setup command kvmnet's harness does not understand: ${unknownSetup}` });
      return;
    }
    const needs = [...live].filter((name) => new RegExp(`(^|\\s)${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`).test(rule));
    if (needs.length > 0) {
      skipped.push({ file, line, rule, reason: `needs the setup object ${needs.join(', ')}` });
      return;
    }
    for (const chain of options.allChains ? chains : chains.slice(0, 1)) {
      cases.push({
        file,
        line,
        family,
        table,
        chain,
        rule,
        expected: expectations(result, variant, alt),
        text: `*${table}\n-A ${chain} ${rule}\nCOMMIT\n`,
      });
    }
  });
  return { cases, skipped };
}

/**
 * Every in-scope test line of the `.t` files, once per family the file runs with. The tests use
 * the v1.8.9 suite; HEAD (newer than the installed tools: the tools still decide) is for the report.
 */
export function readExtensionCorpus(corpus: string, options: ParseOptions & { readonly suite?: Suite } = {}): ExtensionCorpus {
  const dir = join(corpus, 'iptables-t', options.suite === 'HEAD' ? 'extensions' : 'extensions-v1.8.9');
  const all: ExtensionCase[] = [];
  const skipped: SkippedLine[] = [];
  const files: string[] = [];
  const outOfScope: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.t')).sort()) {
    const families = familiesOfTestFile(file, options.suite);
    if (families.length === 0) {
      outOfScope.push(file);
      continue;
    }
    files.push(file);
    const content = readFileSync(join(dir, file), 'utf8');
    families.forEach((family, i) => {
      const parsed = parseTestFile(file, content, family, options);
      all.push(...parsed.cases);
      // A skipped line is listed once, not once per family.
      if (i === 0) skipped.push(...parsed.skipped);
    });
  }
  return { cases: all, skipped, files, outOfScope };
}

// ---------------------------------------------------------------------------------------------
// Real rulesets

/**
 * Where a whole-file ruleset comes from: an original of corpus/real-iptables, a repaired copy of
 * one (`_derived/`), or iptables' own shell tests (corpus/iptables-t: `shell-dumps/` are
 * iptables-save dumps, `shell-heredocs/` restore inputs cut from the test scripts).
 */
export type RulesetSource = 'original' | 'derived' | 'shell-dump' | 'shell-heredoc';

/** One iptables-save / iptables-restore input file of the corpus. */
export interface RealRuleset {
  /** Path relative to corpus/real-iptables (`_derived/...` for the repaired copies), or `iptables-t/shell-dumps/...` and `iptables-t/shell-heredocs/...`. */
  readonly name: string;
  readonly path: string;
  readonly family: Family;
  readonly source: RulesetSource;
  /** The index's `--test` exit codes (nft, legacy) for the file, for comparison only. */
  readonly indexedTestRc: { readonly nft: string; readonly legacy: string };
}

/** Splits CSV text into rows (RFC 4180 quoting: `"..."` with `""` for a quote). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Rows of a CSV file as objects keyed by the header. */
export function readCsvRecords(path: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  if (!header) return [];
  return rows.filter((r) => r.length > 1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/**
 * The iptables-save files of corpus/real-iptables (kind `save4`/`save6`, stored at the top level),
 * followed by the `_derived/` repaired copies.
 */
export function readRealRulesets(corpus: string): RealRuleset[] {
  const dir = join(corpus, 'real-iptables');
  const originals: RealRuleset[] = [];
  const derived: RealRuleset[] = [];
  for (const rec of readCsvRecords(join(dir, 'index.csv'))) {
    const kind = rec['kind'];
    if (kind !== 'save4' && kind !== 'save6') continue;
    const family: Family = kind === 'save4' ? 'ipv4' : 'ipv6';
    const stored = rec['stored_at'] ?? '';
    if (stored !== '' && existsSync(join(dir, stored))) {
      originals.push({ name: stored, path: join(dir, stored), family, source: 'original', indexedTestRc: { nft: rec['nft_test_rc'] ?? '', legacy: rec['legacy_test_rc'] ?? '' } });
    }
    const fixed = rec['derived_file'] ?? '';
    if (fixed !== '' && existsSync(join(dir, fixed))) {
      derived.push({ name: fixed, path: join(dir, fixed), family, source: 'derived', indexedTestRc: { nft: rec['derived_nft_rc'] ?? '', legacy: rec['derived_legacy_rc'] ?? '' } });
    }
  }
  return [...originals, ...derived];
}

/**
 * The iptables/ip6tables inputs of iptables' own shell tests (corpus/iptables-t/shell-index.csv):
 * save dumps and heredoc fragments. Some fragments are meant to fail or need earlier script state;
 * the real tools decide, as for every other file.
 */
export function readShellRulesets(corpus: string): RealRuleset[] {
  const dir = join(corpus, 'iptables-t');
  const index = join(dir, 'shell-index.csv');
  if (!existsSync(index)) return [];
  const out: RealRuleset[] = [];
  for (const rec of readCsvRecords(index)) {
    const file = rec['file'] ?? '';
    const family: Family | undefined = rec['family'] === 'iptables' ? 'ipv4' : rec['family'] === 'ip6tables' ? 'ipv6' : undefined;
    if (!family || !existsSync(join(dir, file))) continue;
    const source: RulesetSource = file.startsWith('shell-heredocs/') ? 'shell-heredoc' : 'shell-dump';
    out.push({ name: `iptables-t/${file}`, path: join(dir, file), family, source, indexedTestRc: { nft: rec['nft_test_rc'] ?? '', legacy: rec['legacy_test_rc'] ?? '' } });
  }
  return out;
}
