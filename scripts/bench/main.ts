/**
 * The benchmark behind `npm run bench` (entry: scripts/bench.mjs).
 *
 * For each size it generates a kube-proxy-style ruleset, checks that the real tools accept it,
 * and times, side by side, `kvmnet lint --format json` (with its peak RSS) and the real
 * `iptables-nft-restore --test` / `iptables-legacy-restore --test`. Then it drives the language
 * server over LSP to time a full lint against single-line incremental edits. Results go to the
 * terminal and to .bench/results.md (+ results.json).
 *
 * Options: --sizes=10000,50000,100000  --runs=3  --lsp-size=10000  --edits=10  --no-lsp
 * Exit status 1 when a correctness check fails (a real tool refuses a generated file, kvmnet
 * reports an error on a file the tools accept, the LSP error edit goes unreported, a crash);
 * performance targets are reported, not enforced.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { generateKubeProxyRuleset, type KubeProxyRuleset } from './kubeProxyRuleset.js';
import { LspClient, type Incoming } from './lspClient.js';

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  readonly sizes: number[];
  readonly runs: number;
  readonly lsp: boolean;
  readonly lspSize: number;
  readonly edits: number;
}

function parseOptions(argv: readonly string[]): Options {
  const opts = { sizes: [10_000, 50_000, 100_000], runs: 3, lsp: true, lspSize: 10_000, edits: 10 };
  for (const arg of argv) {
    const [key, value = ''] = arg.split('=', 2);
    const ints = () => value.split(',').map((v) => Number(v.replace(/_/g, '')));
    const checkInts = (xs: number[]) => {
      if (xs.length === 0 || xs.some((x) => !Number.isInteger(x) || x <= 0)) throw new Error(`bad value in ${arg}`);
      return xs;
    };
    switch (key) {
      case '--sizes': opts.sizes = checkInts(ints()); break;
      case '--runs': opts.runs = checkInts(ints())[0] ?? 3; break;
      case '--lsp-size': opts.lspSize = checkInts(ints())[0] ?? 10_000; break;
      case '--edits': opts.edits = checkInts(ints())[0] ?? 10; break;
      case '--no-lsp': opts.lsp = false; break;
      default: throw new Error(`unknown option ${arg} (known: --sizes=N,N --runs=N --lsp-size=N --edits=N --no-lsp)`);
    }
  }
  return opts;
}

// ---------------------------------------------------------------------------------------------
// Running and timing processes

/** A single run may not take longer than this; a slower one is reported as timed out. */
const RUN_TIMEOUT_MS = 120_000;
/** After a run this slow, the remaining repetitions of that measurement are skipped (time budget). */
const SLOW_RUN_S = 30;
/** Past this much bench time, every further measurement runs once (the whole bench aims at ~5 min). */
const BUDGET_S = 150;

interface RunResult {
  readonly seconds: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly error?: string;
}

function runTimed(cmd: string, args: readonly string[], options: { stdinFile?: string; cwd: string }): RunResult {
  const stdinFd = options.stdinFile === undefined ? undefined : openSync(options.stdinFile, 'r');
  try {
    const t0 = performance.now();
    const r = spawnSync(cmd, [...args], {
      cwd: options.cwd,
      stdio: [stdinFd ?? 'ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      timeout: RUN_TIMEOUT_MS,
      maxBuffer: 1 << 30,
    });
    const seconds = (performance.now() - t0) / 1000;
    const timedOut = r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
    return {
      seconds,
      status: r.status,
      stdout: r.stdout ?? '',
      stderr: r.stderr ?? '',
      timedOut,
      error: r.error && !timedOut ? r.error.message : undefined,
    };
  } finally {
    if (stdinFd !== undefined) closeSync(stdinFd);
  }
}

interface Timing {
  readonly best: number;
  readonly median: number;
  readonly runs: number;
}

function summarize(seconds: readonly number[]): Timing {
  const sorted = [...seconds].sort((a, b) => a - b);
  const mid = sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
  return { best: sorted[0] ?? NaN, median: mid, runs: sorted.length };
}

/** Repeats `once` up to `runs` times (fewer when a run is slow or fails); the last run's result is kept. */
function repeat<T extends RunResult>(runs: number, once: () => T): { timing: Timing; last: T; failed?: T } {
  const seconds: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < runs; i++) {
    last = once();
    if (last.timedOut || last.error !== undefined) return { timing: summarize(seconds), last, failed: last };
    seconds.push(last.seconds);
    if (last.seconds > SLOW_RUN_S) break;
  }
  if (!last) throw new Error('runs must be >= 1');
  return { timing: summarize(seconds), last };
}

// ---------------------------------------------------------------------------------------------
// The real tools

interface ToolMeasurement {
  readonly tool: string;
  readonly timing: Timing;
  readonly accepted: boolean;
  readonly message: string;
}

function measureTool(label: string, args: readonly string[], file: string, runs: number, cwd: string): ToolMeasurement {
  const { timing, last, failed } = repeat(runs, () => runTimed('unshare', ['-n', ...args], { stdinFile: file, cwd }));
  const accepted = !failed && last.status === 0;
  const message = failed?.timedOut ? `timed out after ${RUN_TIMEOUT_MS / 1000} s` : failed?.error ?? last.stderr.trim().split('\n').slice(0, 3).join(' / ');
  return { tool: label, timing, accepted, message };
}

function toolVersion(cmd: string): string {
  const r = spawnSync(cmd, ['--version'], { encoding: 'utf8' });
  return (r.stdout ?? '').trim() || 'not found';
}

// ---------------------------------------------------------------------------------------------
// kvmnet lint

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly severity: string;
  readonly code: string;
  readonly message: string;
}

function isFinding(v: unknown): v is Finding {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as Record<string, unknown>;
  return typeof f.line === 'number' && typeof f.severity === 'string' && typeof f.code === 'string' && typeof f.message === 'string';
}

interface LintMeasurement {
  readonly timing: Timing;
  readonly peakRssMb?: number;
  readonly findings?: readonly Finding[];
  readonly problem?: string;
}

const MAXRSS_MARK = /KVMNET_BENCH_MAXRSS_KB=(\d+)/;

function measureLint(root: string, dist: string, file: string, runs: number): LintMeasurement {
  const cli = join(dist, 'cli.js');
  if (!existsSync(cli)) return { timing: summarize([]), problem: 'dist/cli.js is missing (run `npm run build`)' };
  const gnuTime = existsSync('/usr/bin/time');
  const lintArgs = ['lint', '--format', 'json', file];
  const once = () =>
    gnuTime
      ? runTimed('/usr/bin/time', ['-f', 'KVMNET_BENCH_MAXRSS_KB=%M', process.execPath, cli, ...lintArgs], { cwd: root })
      : runTimed(process.execPath, [join(root, 'scripts', 'bench', 'maxRss.cjs'), cli, ...lintArgs], { cwd: root });
  const peaks: number[] = [];
  const { timing, last, failed } = repeat(runs, () => {
    const r = once();
    const kb = MAXRSS_MARK.exec(r.stderr)?.[1];
    if (kb !== undefined) peaks.push(Number(kb) / 1024);
    return r;
  });
  const peakRssMb = peaks.length > 0 ? Math.max(...peaks) : undefined;
  if (failed) return { timing, peakRssMb, problem: failed.timedOut ? `timed out after ${RUN_TIMEOUT_MS / 1000} s` : failed.error };
  const stderr = last.stderr.replace(MAXRSS_MARK, '').replace(/Command exited with non-zero status \d+/, '').trim();
  if (last.status !== 0 && last.status !== 1) {
    return { timing, peakRssMb, problem: `exit status ${last.status}: ${stderr.split('\n').slice(0, 5).join(' / ')}` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(last.stdout);
  } catch (e) {
    return { timing, peakRssMb, problem: `output is not JSON (${(e as Error).message}): ${last.stdout.slice(0, 200)}` };
  }
  if (!Array.isArray(parsed) || !parsed.every(isFinding)) {
    return { timing, peakRssMb, problem: `output is not an array of findings: ${last.stdout.slice(0, 200)}` };
  }
  return { timing, peakRssMb, findings: parsed };
}

// ---------------------------------------------------------------------------------------------
// Incremental re-lint over LSP

interface PortSite {
  /** 0-based line and UTF-16 column of the `--dport` value. */
  readonly line: number;
  readonly character: number;
  readonly length: number;
}

/** nat KUBE-SERVICES -> KUBE-SVC rules: changing their port changes nothing else in the file. */
function findPortSites(text: string): PortSite[] {
  const sites: PortSite[] = [];
  const lines = text.split('\n');
  let inNat = false;
  lines.forEach((line, i) => {
    if (line.startsWith('*')) inNat = line === '*nat';
    if (!inNat || !line.startsWith('-A KUBE-SERVICES ') || !line.includes(' -j KUBE-SVC-')) return;
    const m = / --dport (\d+) /.exec(line);
    if (m?.[1] === undefined) return;
    sites.push({ line: i, character: m.index + ' --dport '.length, length: m[1].length });
  });
  return sites;
}

interface LspDiagnostic {
  readonly severity?: number;
  readonly code?: string | number;
  readonly message: string;
  readonly range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

interface LspMeasurement {
  readonly size: number;
  readonly fullLintMs?: number;
  readonly initialDiagnostics?: number;
  readonly editMs: number[];
  readonly editMedianMs?: number;
  readonly editMaxMs?: number;
  readonly ratio?: number;
  /** Whole-document replacements (`didChange` without a range) once the server is warm. */
  readonly warmFullMs: number[];
  readonly warmFullMedianMs?: number;
  /** Median edit / median warm full re-lint: ~1 means the server re-lints everything per edit. */
  readonly warmRatio?: number;
  /** Diagnostic counts after the harmless edits that differ from the initial count. */
  readonly countChanges: string[];
  /** publishDiagnostics messages beyond the first for one version (a multi-phase server). */
  readonly extraPublishes: number;
  readonly versioned: boolean;
  readonly errorEdit?: { ms: number; found: boolean; onToken: boolean; detail: string };
  readonly problem?: string;
}

function diagnosticsOf(m: Incoming): LspDiagnostic[] {
  const params = m.message.params as { diagnostics?: unknown } | undefined;
  return Array.isArray(params?.diagnostics) ? (params.diagnostics as LspDiagnostic[]) : [];
}

async function measureLsp(root: string, dist: string, file: string, text: string, edits: number): Promise<LspMeasurement> {
  const size = text.split('\n').filter((l) => l.startsWith('-A ')).length;
  const server = join(dist, 'server.js');
  const result: { -readonly [K in keyof LspMeasurement]: LspMeasurement[K] } = {
    size, editMs: [], warmFullMs: [], countChanges: [], extraPublishes: 0, versioned: false,
  };
  if (!existsSync(server)) return { ...result, problem: 'dist/server.js is missing (run `npm run build`)' };
  const uri = pathToFileURL(file).href;
  const client = new LspClient(process.execPath, [server, '--stdio'], root);
  const isDiagnosticsFor = (version: number) => (m: Incoming) => {
    if (m.message.method !== 'textDocument/publishDiagnostics') return false;
    const p = m.message.params as { uri?: unknown; version?: unknown } | undefined;
    if (p?.uri !== uri) return false;
    return p.version === undefined || p.version === version;
  };
  try {
    await client.request('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } },
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
        },
      },
    });
    client.notify('initialized', {});

    let version = 1;
    const t0 = performance.now();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'iptables', version, text } });
    const first = await client.waitFor(isDiagnosticsFor(version), 120_000, 'the diagnostics of the opened document');
    result.fullLintMs = first.receivedAt - t0;
    result.versioned = (first.message.params as { version?: unknown }).version !== undefined;
    const initial = diagnosticsOf(first).length;
    result.initialDiagnostics = initial;

    const sites = findPortSites(text);
    if (sites.length < edits + 1) return { ...result, problem: `only ${sites.length} editable port sites` };
    const stride = Math.floor(sites.length / (edits + 1));
    /** Sends one change (a range edit at `site`, or the whole text) and times its diagnostics. */
    const change = async (site: PortSite | undefined, newText: string) => {
      // Publishes for the previous version after the one we timed (a server that lints in phases).
      result.extraPublishes += client.drainBacklog(isDiagnosticsFor(version));
      version++;
      client.clearBacklog();
      const sent = performance.now();
      client.notify('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [site === undefined ? { text: newText } : {
          range: { start: { line: site.line, character: site.character }, end: { line: site.line, character: site.character + site.length } },
          rangeLength: site.length,
          text: newText,
        }],
      });
      const got = await client.waitFor(isDiagnosticsFor(version), 60_000, `the diagnostics of version ${version}`);
      return { ms: got.receivedAt - sent, diagnostics: diagnosticsOf(got) };
    };

    for (let i = 0; i < edits; i++) {
      const site = sites[(i + 1) * stride];
      if (!site) break;
      // A port no generated service uses (they are all below 10000), so no rule starts to shadow another.
      const { ms, diagnostics } = await change(site, String(40_000 + i));
      result.editMs.push(ms);
      if (diagnostics.length !== initial) result.countChanges.push(`edit ${i + 1} (line ${site.line + 1}): ${diagnostics.length} diagnostics instead of ${initial}`);
    }
    const sorted = [...result.editMs].sort((a, b) => a - b);
    result.editMedianMs = sorted[Math.floor((sorted.length - 1) / 2)];
    result.editMaxMs = sorted[sorted.length - 1];
    if (result.editMedianMs !== undefined) result.ratio = result.editMedianMs / result.fullLintMs;

    // One edit that the real tools would refuse: port 99999 is out of range.
    const bad = sites[Math.floor(stride / 2)] ?? sites[0];
    if (bad) {
      const { ms, diagnostics } = await change(bad, '99999');
      const errors = diagnostics.filter((d) => d.severity === 1 && d.range.start.line <= bad.line && d.range.end.line >= bad.line);
      const onToken = errors.some((d) => d.range.start.line === bad.line && d.range.end.line === bad.line
        && d.range.start.character <= bad.character && d.range.end.character >= bad.character + 5
        && d.range.end.character - d.range.start.character <= 16);
      const detail = errors.length > 0
        ? errors.map((d) => `${String(d.code)} ${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.character + 1} "${d.message}"`).join('; ')
        : `no error on line ${bad.line + 1} (${diagnostics.length} diagnostics in all)`;
      result.errorEdit = { ms, found: errors.length > 0, onToken, detail };
    }

    // The cold didOpen includes JIT warm-up; a warm whole-document re-lint is the fairer yardstick.
    for (let i = 0; i < 3; i++) {
      const { ms, diagnostics } = await change(undefined, text);
      result.warmFullMs.push(ms);
      if (diagnostics.length !== initial) result.countChanges.push(`full replacement ${i + 1}: ${diagnostics.length} diagnostics instead of ${initial}`);
    }
    const warm = [...result.warmFullMs].sort((a, b) => a - b);
    result.warmFullMedianMs = warm[1];
    if (result.editMedianMs !== undefined && result.warmFullMedianMs) result.warmRatio = result.editMedianMs / result.warmFullMedianMs;
    return result;
  } catch (e) {
    return { ...result, problem: `${(e as Error).message}${client.serverStderr ? ` — server stderr: ${client.serverStderr.trim().slice(-500)}` : ''}` };
  } finally {
    await client.shutdown();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

interface SizeResult {
  readonly ruleset: Omit<KubeProxyRuleset, 'text'> & { bytes: number; file: string };
  readonly lint: LintMeasurement;
  readonly nft: ToolMeasurement;
  readonly legacy: ToolMeasurement;
  readonly nftReal?: ToolMeasurement;
}

const fmtS = (t: Timing) => (t.runs === 0 ? 'n/a' : t.runs === 1 ? `${t.best.toFixed(2)} (1 run)` : `${t.best.toFixed(2)} / ${t.median.toFixed(2)}`);
const fmtInt = (n: number) => n.toLocaleString('en-US');
const fmtMs = (n: number | undefined) => (n === undefined ? 'n/a' : `${n.toFixed(0)} ms`);

function toolCell(m: ToolMeasurement): string {
  return m.accepted ? fmtS(m.timing) : `REFUSED (${fmtS(m.timing)})`;
}

function renderReport(results: readonly SizeResult[], lsp: LspMeasurement | undefined, checks: readonly { ok: boolean; text: string }[], env: string[]): string {
  const out: string[] = [];
  out.push('# kvmnet benchmark: kube-proxy-style rulesets', '');
  out.push(...env.map((e) => `- ${e}`), '');
  out.push('| rules | kvmnet lint (s) | iptables-nft-restore --test (s) | iptables-legacy-restore --test (s) | kvmnet peak RSS (MB) | findings |');
  out.push('|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const lint = r.lint.problem && r.lint.timing.runs === 0 ? 'n/a' : fmtS(r.lint.timing);
    const rss = r.lint.peakRssMb === undefined ? 'n/a' : r.lint.peakRssMb.toFixed(0);
    const findings = r.lint.findings ? fmtInt(r.lint.findings.length) : 'n/a';
    out.push(`| ${fmtInt(r.ruleset.rules)} | ${lint} | ${toolCell(r.nft)} | ${toolCell(r.legacy)} | ${rss} | ${findings} |`);
  }
  out.push('', 'Times are wall-clock seconds, best / median of the runs (process start included). Peak RSS is the');
  out.push('largest maximum resident set size of the `node dist/cli.js lint --format json FILE` runs.', '');

  out.push('## Generated rulesets', '');
  out.push('| rules | services | service ports | endpoints (KUBE-SEP) | user chains | size (MB) | file |');
  out.push('|---:|---:|---:|---:|---:|---:|---|');
  for (const r of results) {
    const g = r.ruleset;
    out.push(`| ${fmtInt(g.rules)} | ${fmtInt(g.services)} | ${fmtInt(g.servicePorts)} | ${fmtInt(g.endpoints)} | ${fmtInt(g.chains)} | ${(g.bytes / 1e6).toFixed(1)} | \`${g.file}\` |`);
  }
  for (const r of results) {
    if (r.nftReal) {
      out.push('', `Loaded for real with \`unshare -n iptables-nft-restore\` (${fmtInt(r.ruleset.rules)} rules): ${r.nftReal.accepted ? 'accepted' : `REFUSED: ${r.nftReal.message}`} in ${fmtS(r.nftReal.timing)} s.`);
    }
  }
  out.push('');

  out.push('## kvmnet findings by rule id', '');
  const withFindings = results.filter((r) => r.lint.findings);
  if (withFindings.length === 0) {
    out.push('No lint output (see the checks below).');
  } else {
    const keys = new Map<string, Map<number, number>>();
    for (const r of withFindings) {
      for (const f of r.lint.findings ?? []) {
        const key = `${f.code} | ${f.severity}`;
        const perSize = keys.get(key) ?? new Map<number, number>();
        perSize.set(r.ruleset.rules, (perSize.get(r.ruleset.rules) ?? 0) + 1);
        keys.set(key, perSize);
      }
    }
    if (keys.size === 0) {
      out.push('None: kvmnet reports nothing on these files.');
    } else {
      out.push(`| rule id | severity | ${withFindings.map((r) => fmtInt(r.ruleset.rules)).join(' | ')} |`);
      out.push(`|---|---|${withFindings.map(() => '---:').join('|')}|`);
      for (const [key, perSize] of [...keys].sort()) {
        out.push(`| ${key} | ${withFindings.map((r) => fmtInt(perSize.get(r.ruleset.rules) ?? 0)).join(' | ')} |`);
      }
      const sample = withFindings[0]?.lint.findings ?? [];
      const byCode = new Map<string, Finding>();
      for (const f of sample) if (!byCode.has(f.code)) byCode.set(f.code, f);
      out.push('', 'One example of each (smallest size):', '');
      for (const f of byCode.values()) out.push(`- \`${f.code}\` (${f.severity}) line ${f.line}: ${f.message}`);
    }
  }
  out.push('');

  out.push('## Incremental re-lint in the language server', '');
  if (!lsp) {
    out.push('Skipped (--no-lsp).');
  } else {
    out.push(`Document: the ${fmtInt(lsp.size)}-rule ruleset, opened with \`didOpen\`, then one-line incremental \`didChange\` edits`);
    out.push('(a `--dport` value of a nat KUBE-SERVICES rule), each timed until the `publishDiagnostics` of its version.', '');
    out.push('| measurement | value |', '|---|---:|');
    out.push(`| full lint (didOpen -> first publishDiagnostics) | ${fmtMs(lsp.fullLintMs)} |`);
    out.push(`| diagnostics on the opened document | ${lsp.initialDiagnostics ?? 'n/a'} |`);
    out.push(`| edits timed | ${lsp.editMs.length} |`);
    out.push(`| edit -> publishDiagnostics, median | ${fmtMs(lsp.editMedianMs)} |`);
    out.push(`| edit -> publishDiagnostics, max | ${fmtMs(lsp.editMaxMs)} |`);
    out.push(`| median edit / full lint (target < 0.1) | ${lsp.ratio === undefined ? 'n/a' : lsp.ratio.toFixed(3)} |`);
    out.push(`| error edit (port 99999) -> publishDiagnostics | ${fmtMs(lsp.errorEdit?.ms)} |`);
    out.push(`| warm full re-lint (whole-text didChange), median of ${lsp.warmFullMs.length} | ${fmtMs(lsp.warmFullMedianMs)} |`);
    out.push(`| median edit / warm full re-lint | ${lsp.warmRatio === undefined ? 'n/a' : lsp.warmRatio.toFixed(3)} |`);
    out.push('');
    if (lsp.editMs.length > 0) out.push(`Each edit: ${lsp.editMs.map((ms) => ms.toFixed(0)).join(', ')} ms.`);
    if (lsp.warmFullMs.length > 0) out.push(`Warm full re-lints: ${lsp.warmFullMs.map((ms) => ms.toFixed(0)).join(', ')} ms (the text is sent whole; a ratio near 1 means each edit re-lints the whole document).`);
    if (lsp.fullLintMs !== undefined && !lsp.versioned) out.push('The server does not put `version` in publishDiagnostics; the first publish after each change was taken.');
    if (lsp.extraPublishes > 0) out.push(`The server published ${lsp.extraPublishes} extra time(s) for a version already timed (the first publish was timed).`);
    if (lsp.errorEdit) out.push(`Error edit: ${lsp.errorEdit.detail}.`);
    for (const c of lsp.countChanges) out.push(`Note: ${c}.`);
    if (lsp.problem) out.push(`Problem: ${lsp.problem}`);
  }
  out.push('');

  out.push('## Checks', '');
  for (const c of checks) out.push(`- ${c.ok ? 'ok' : 'FAILED'}: ${c.text}`);
  out.push('');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------

/**
 * Copies the bundles into .bench/dist so that every measurement uses one build: other engineers
 * rebuild dist/ in the same tree while the bench runs. The bundles are self-contained (esbuild
 * bundles everything but `vscode`, which only the client needs).
 */
function snapshotBuild(root: string, outDir: string): { dir: string; built: string } {
  const dir = join(outDir, 'dist');
  mkdirSync(dir, { recursive: true });
  const found: string[] = [];
  for (const name of ['cli.js', 'server.js']) {
    const from = join(root, 'dist', name);
    rmSync(join(dir, name), { force: true });
    rmSync(join(dir, `${name}.map`), { force: true });
    if (!existsSync(from)) continue;
    copyFileSync(from, join(dir, name));
    if (existsSync(`${from}.map`)) copyFileSync(`${from}.map`, join(dir, `${name}.map`));
    found.push(`dist/${name} of ${statSync(from).mtime.toISOString()}`);
  }
  return { dir, built: found.length > 0 ? `${found.join(', ')} (copied to .bench/dist/ first)` : 'no dist/ bundles' };
}

export async function main(argv: readonly string[]): Promise<number> {
  const opts = parseOptions(argv);
  const root = process.cwd();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: string };
  if (pkg.name !== 'kvmnet') throw new Error('run the bench from the project root (npm run bench)');
  const outDir = join(root, '.bench');
  mkdirSync(outDir, { recursive: true });
  const started = performance.now();
  const log = (s: string) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${s}\n`);

  const cpu = cpus();
  const env = [
    `date: ${new Date().toISOString()}`,
    `machine: ${cpu.length} x ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Linux ${release()}`,
    `node ${process.version}; ${toolVersion('iptables-nft-restore')}; ${toolVersion('iptables-legacy-restore')}`,
    `peak RSS via ${existsSync('/usr/bin/time') ? 'GNU time (/usr/bin/time -f %M)' : 'process.resourceUsage().maxRSS (scripts/bench/maxRss.cjs)'}`,
    `runs per measurement: ${opts.runs} (1 when a run exceeds ${SLOW_RUN_S} s or the bench has run for ${BUDGET_S} s)`,
    `load average at start (1/5/15 min): ${loadavg().map((l) => l.toFixed(2)).join(' / ')} (the machine is shared; timings vary with it)`,
  ];
  const dist = snapshotBuild(root, outDir);
  env.push(`build measured: ${dist.built}`);
  const checks: { ok: boolean; text: string }[] = [];
  const results: SizeResult[] = [];
  const texts = new Map<number, { file: string; text: string }>();

  const runs = () => ((performance.now() - started) / 1000 > BUDGET_S ? 1 : opts.runs);
  for (const size of opts.sizes) {
    const generated = generateKubeProxyRuleset({ rules: size });
    const file = join(outDir, `kube-proxy-${size}.iptables`);
    writeFileSync(file, generated.text);
    texts.set(size, { file, text: generated.text });
    const { text: _text, ...stats } = generated;
    const relFile = `.bench/kube-proxy-${size}.iptables`;
    log(`${fmtInt(size)} rules: ${fmtInt(stats.services)} services, ${(generated.text.length / 1e6).toFixed(1)} MB -> ${relFile}`);

    const nft = measureTool('iptables-nft-restore --test', ['iptables-nft-restore', '--test'], file, runs(), root);
    const legacy = measureTool('iptables-legacy-restore --test', ['iptables-legacy-restore', '--test'], file, runs(), root);
    log(`  nft --test ${fmtS(nft.timing)} s, legacy --test ${fmtS(legacy.timing)} s`);
    // Loading for real (kernel checks included) is done once, on the smallest size.
    const nftReal = size === Math.min(...opts.sizes) ? measureTool('iptables-nft-restore', ['iptables-nft-restore'], file, 1, root) : undefined;
    for (const t of [nft, legacy, ...(nftReal ? [nftReal] : [])]) {
      checks.push({ ok: t.accepted, text: `\`${t.tool}\` ${t.tool.endsWith('--test') ? '' : '(for real, private netns) '}accepts the ${fmtInt(size)}-rule file${t.accepted ? '' : `: ${t.message}`}` });
    }

    log('  kvmnet lint ...');
    const lint = measureLint(root, dist.dir, relFile, runs());
    log(`  kvmnet lint ${fmtS(lint.timing)} s, peak ${lint.peakRssMb?.toFixed(0) ?? '?'} MB, ${lint.findings?.length ?? '?'} findings${lint.problem ? `; PROBLEM: ${lint.problem}` : ''}`);
    if (lint.problem) {
      checks.push({ ok: false, text: `kvmnet lint on ${fmtInt(size)} rules: ${lint.problem}` });
    } else {
      const errors = (lint.findings ?? []).filter((f) => f.severity === 'error');
      const shown = errors.slice(0, 5).map((f) => `line ${f.line}:${f.column} ${f.code}: ${f.message}`).join('; ');
      checks.push({ ok: errors.length === 0, text: `kvmnet reports no error on the ${fmtInt(size)}-rule file (the real tools accept it)${errors.length ? `: ${errors.length} errors, e.g. ${shown}` : ''}` });
    }
    writeFileSync(join(outDir, `lint-${size}.json`), JSON.stringify(lint.findings ?? [], null, 1));
    results.push({ ruleset: { ...stats, bytes: generated.text.length, file: relFile }, lint, nft, legacy, nftReal });
  }

  let lsp: LspMeasurement | undefined;
  if (opts.lsp) {
    let doc = texts.get(opts.lspSize);
    if (!doc) {
      const generated = generateKubeProxyRuleset({ rules: opts.lspSize });
      const file = join(outDir, `kube-proxy-${opts.lspSize}.iptables`);
      writeFileSync(file, generated.text);
      doc = { file, text: generated.text };
    }
    log(`language server: ${fmtInt(opts.lspSize)} rules, ${opts.edits} edits ...`);
    lsp = await measureLsp(root, dist.dir, resolve(doc.file), doc.text, opts.edits);
    log(`  full ${fmtMs(lsp.fullLintMs)} (warm ${fmtMs(lsp.warmFullMedianMs)}), edit median ${fmtMs(lsp.editMedianMs)}, max ${fmtMs(lsp.editMaxMs)}, ratio ${lsp.ratio?.toFixed(3) ?? 'n/a'} (to warm ${lsp.warmRatio?.toFixed(3) ?? 'n/a'})${lsp.problem ? `; PROBLEM: ${lsp.problem}` : ''}`);
    if (lsp.problem) checks.push({ ok: false, text: `language server session: ${lsp.problem}` });
    if (lsp.errorEdit) {
      checks.push({ ok: lsp.errorEdit.found, text: `the language server reports an error for \`--dport 99999\`${lsp.errorEdit.found ? (lsp.errorEdit.onToken ? ', on the port token' : ', but not on the port token alone') : ''}` });
    }
    if (lsp.ratio !== undefined) {
      checks.push({ ok: true, text: `incremental re-lint ratio ${lsp.ratio.toFixed(3)} (target < 0.1: ${lsp.ratio < 0.1 ? 'met' : 'NOT met'})` });
    }
  }

  env.push(`total bench time: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const report = renderReport(results, lsp, checks, env);
  writeFileSync(join(outDir, 'results.md'), report);
  writeFileSync(join(outDir, 'results.json'), JSON.stringify({ env, results: results.map((r) => ({ ...r, lint: { ...r.lint, findings: undefined, findingCount: r.lint.findings?.length } })), lsp, checks }, null, 2));
  process.stdout.write(`\n${report}\nWritten to .bench/results.md\n`);
  return checks.every((c) => c.ok) ? 0 : 1;
}
