/**
 * `kvmnet` command line (DESIGN.md §2):
 *   kvmnet lint [--format text|json|sarif] [--fail-on error|warning|info|never] [--host-facts FILE] PATH...
 * Exit 0: nothing at or above --fail-on; 1: findings; 2: bad usage or unreadable input.
 */
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SEVERITY_ORDER, type Finding, type Severity } from './core/finding.js';
import { DEFAULT_SETTINGS, type LintSettings } from './core/settings.js';
import { ConfigLookup, formatConfigProblem } from './workspace/config.js';
import { ruleDocPath } from './core/rulesCatalog.js';
import { computeLineStarts, offsetToPosition } from './core/span.js';
import { IPTABLES_RULES } from './iptables/rules/index.js';
import { lintStreamed } from './iptables/streamed.js';
import { VERSION } from './core/version.js';
import { isRulesetName, looksBinary, looksLikeRuleset, notARuleset, SKIPPED_DIRS } from './workspace/discover.js';

class UsageError extends Error {}

interface CliOptions {
  format: 'text' | 'json' | 'sarif';
  failOn: Severity | 'never';
  hostFacts?: string;
  paths: string[];
}

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

const USAGE = `usage: kvmnet lint [--format text|json|sarif] [--fail-on error|warning|info|never] [--host-facts FILE] PATH...

Lints iptables-save rulesets. PATH is a file, a folder (searched for rulesets by name and content),
or - for the standard input (iptables-save | kvmnet lint -). Each ruleset takes the nearest
.kvmnet.json in its folder or above (rule severities, the family; see the README).
Exit status: 0 nothing at or above --fail-on (default error), 1 findings, 2 bad usage or unreadable input.`;

function parseArgs(argv: readonly string[]): CliOptions {
  const opts: CliOptions = { format: 'text', failOn: 'error', paths: [] };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i] as string;
    let inline: string | undefined;
    if (arg.startsWith('--') && arg.includes('=')) {
      inline = arg.slice(arg.indexOf('=') + 1);
      arg = arg.slice(0, arg.indexOf('='));
    }
    const take = (): string => {
      if (inline !== undefined) return inline;
      const v = value(i, arg);
      i++;
      return v;
    };
    switch (arg) {
      case '--format': {
        const f = take();
        if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not "${f}"`);
        opts.format = f;
        break;
      }
      case '--fail-on': {
        const f = take();
        if (f !== 'error' && f !== 'warning' && f !== 'info' && f !== 'never') throw new UsageError(`--fail-on must be error, warning, info or never, not "${f}"`);
        opts.failOn = f;
        break;
      }
      case '--host-facts':
        opts.hostFacts = take();
        break;
      case '--':
        opts.paths.push(...argv.slice(i + 1));
        i = argv.length;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option "${arg}"`);
        opts.paths.push(arg);
    }
  }
  if (opts.paths.length === 0) throw new UsageError('no PATH given');
  return opts;
}

interface Input {
  path: string;
  text: string;
}

/**
 * The rulesets to lint. A file named on the command line that is clearly something else (a script,
 * XML) is skipped with a line in `skipped`; when nothing is left to lint, that is a usage error.
 */
function readInputs(paths: readonly string[], skipped: string[]): Input[] {
  const inputs: Input[] = [];
  const named = (path: string, text: string): void => {
    const other = notARuleset(text);
    if (other) skipped.push(`${path}: not an iptables ruleset: ${other}`);
    else inputs.push({ path, text });
  };
  for (const p of paths) {
    if (p === '-') {
      named(STDIN_NAME, readStdin());
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch (err) {
      throw new UsageError(`${p}: ${describeFsError(err)}`);
    }
    if (st.isDirectory()) {
      const found = searchFolder(p);
      if (found.length === 0) throw new UsageError(`${p}: no iptables rulesets found in this folder`);
      inputs.push(...found);
    } else {
      named(p, readText(p, true) as string);
    }
  }
  if (inputs.length === 0 && skipped.length > 0) throw new UsageError(`${skipped[0]}${skipped.length > 1 ? ` (and ${skipped.length - 1} more)` : ''}`);
  return inputs;
}

/** How findings name the standard input (`kvmnet lint -`, e.g. `iptables-save | kvmnet lint -`). */
const STDIN_NAME = '<stdin>';

function readStdin(): string {
  const bytes = readAll(0, STDIN_NAME);
  if (bytes === 'binary') throw new UsageError(`${STDIN_NAME}: binary input, not an iptables ruleset`);
  return bytes.toString('utf8');
}

/**
 * The largest input kvmnet reads. A kube-proxy ruleset of 100,000 rules is 15 MB; this is ten times
 * the largest ruleset a host could load in reasonable time, and it keeps `yes | kvmnet lint -` or a
 * device named by mistake from filling the memory.
 */
const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** The size of the first read, which decides whether the input is binary (`looksBinary` samples 8 KB). */
const FIRST_READ_BYTES = 64 * 1024;

/**
 * Reads a file or stream to its end, or up to the point where it shows binary content: the first
 * chunk decides that, so `/dev/zero` or `/dev/urandom` end at once instead of being read forever.
 * Input larger than MAX_INPUT_BYTES is refused. Errors of the file system become a UsageError that
 * names the input.
 */
function readAll(fd: number, name: string): Buffer | 'binary' {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    const st = fstatSync(fd);
    if (st.isFile() && st.size > MAX_INPUT_BYTES) throw new UsageError(tooLarge(name));
    for (;;) {
      // A regular file is read in one piece when its size is known; pipes and devices in chunks.
      const want = total === 0 ? (st.isFile() && st.size > 0 ? st.size + 1 : FIRST_READ_BYTES) : 1024 * 1024;
      const chunk = Buffer.allocUnsafe(want);
      const n = readChunk(fd, chunk);
      if (n === 0) break;
      const part = n === chunk.length ? chunk : chunk.subarray(0, n);
      if (total === 0 && looksBinary(part)) return 'binary';
      chunks.push(part);
      total += n;
      if (total > MAX_INPUT_BYTES) throw new UsageError(tooLarge(name));
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${name}: ${describeFsError(err)}`);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}

function tooLarge(name: string): string {
  return `${name}: larger than ${MAX_INPUT_BYTES / 1024 / 1024} MB, more than kvmnet reads (a 100,000-rule ruleset is about 15 MB)`;
}

/** One read; a stream that has nothing yet (EAGAIN, a non-blocking stdin) is waited for, briefly. */
function readChunk(fd: number, into: Buffer): number {
  for (;;) {
    try {
      return readSync(fd, into, 0, into.length, null);
    } catch (err) {
      if ((err as { code?: string }).code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

function searchFolder(dir: string): Input[] {
  const out: Input[] = [];
  const walk = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (err) {
      throw new UsageError(`${d}: ${describeFsError(err)}`);
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const full = join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) walk(full);
        continue;
      }
      if (!e.isFile()) continue;
      const byName = isRulesetName(full);
      let size = 0;
      try {
        size = statSync(full).size;
      } catch {
        continue;
      }
      if (!byName && size > 64 * 1024 * 1024) continue;
      const text = readText(full, byName);
      // By name, unless the content is clearly something else (Debian's if-pre-up.d/iptables script).
      if (text !== undefined && (byName ? notARuleset(text) === undefined : looksLikeRuleset(text))) out.push({ path: full, text });
    }
  };
  walk(dir);
  return out;
}

/** Reads a file as UTF-8; binary content is an error for files named on the command line, skipped otherwise. */
function readText(path: string, required: boolean): string | undefined {
  let bytes: Buffer | 'binary';
  try {
    const fd = openSync(path, 'r');
    try {
      bytes = readAll(fd, path);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if (!required) return undefined;
    throw err instanceof UsageError ? err : new UsageError(`${path}: ${describeFsError(err)}`);
  }
  if (bytes === 'binary') {
    if (required) throw new UsageError(`${path}: binary file, not an iptables ruleset`);
    return undefined;
  }
  return bytes.toString('utf8');
}

function describeFsError(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return err instanceof Error ? err.message : String(err);
}

/**
 * The settings an input is linted with: the nearest `.kvmnet.json` in its folder or above (the
 * standard input: from the working folder). A config that kvmnet cannot take whole is a usage
 * error, named with its line and column: linting with half a config would report what the project
 * turned off.
 */
function settingsFor(configs: ConfigLookup, input: string): LintSettings {
  const found = configs.find(input === STDIN_NAME ? process.cwd() : dirname(resolve(input)));
  if (!found) return DEFAULT_SETTINGS;
  const [first, ...more] = found.config.problems;
  if (first) throw new UsageError(`${found.path}:${formatConfigProblem(found.text, first)}${more.length > 0 ? ` (and ${more.length} more problem(s))` : ''}`);
  return found.config.settings;
}

/** A config file's text; undefined when there is none at that path. */
function readConfig(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new UsageError(`${path}: ${describeFsError(err)}`);
  }
}

function toJson(input: Input, findings: readonly Finding[]): JsonFinding[] {
  const starts = computeLineStarts(input.text);
  return findings.map((f) => {
    const s = offsetToPosition(starts, f.span.start);
    const e = offsetToPosition(starts, f.span.end);
    return { file: input.path, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1, severity: f.severity, code: f.ruleId, message: f.message };
  });
}

function formatText(all: JsonFinding[]): string {
  const lines = all.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.code}: ${f.message}`);
  const count = (s: Severity): number => all.filter((f) => f.severity === s).length;
  const summary = all.length === 0 ? 'no problems found' : `${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info, ${count('hint')} hint(s)`;
  return [...lines, summary].join('\n') + '\n';
}

function formatSarif(all: JsonFinding[]): string {
  const level = (s: Severity): string => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'kvmnet',
          version: VERSION,
          informationUri: 'https://example.invalid/kvmnet',
          rules: IPTABLES_RULES.map((r) => ({ id: r.id, shortDescription: { text: r.docs.summary }, fullDescription: { text: r.docs.rationale }, helpUri: ruleDocPath(r.id), defaultConfiguration: { level: level(r.severity) } })),
        },
      },
      results: all.map((f) => ({
        ruleId: f.code,
        level: level(f.severity),
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: relativeUri(f.file) }, region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn } } }],
      })),
    }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function relativeUri(file: string): string {
  if (file === STDIN_NAME) return 'stdin';
  const rel = relative(process.cwd(), resolve(file));
  return rel.startsWith('..') ? pathToFileURL(resolve(file)).href : rel.split('\\').join('/');
}

export function main(argv: readonly string[]): number {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-V') {
    process.stdout.write(`kvmnet ${VERSION}\n`);
    return 0;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  try {
    if (command !== 'lint') throw new UsageError(command === undefined ? 'no command given (try "kvmnet lint PATH")' : `unknown command "${command}" (try "kvmnet lint PATH")`);
    const opts = parseArgs(rest);
    if (opts.hostFacts !== undefined) {
      const raw = readText(opts.hostFacts, true) as string;
      try {
        JSON.parse(raw);
      } catch {
        throw new UsageError(`${opts.hostFacts}: host facts must be a JSON file`);
      }
    }
    const skipped: string[] = [];
    const inputs = readInputs(opts.paths, skipped);
    for (const line of skipped) process.stderr.write(`kvmnet: ${line}; skipped\n`);
    const configs = new ConfigLookup(readConfig);
    const all: JsonFinding[] = [];
    for (const input of inputs) {
      const findings = lintStreamed(input.text, { fileName: input.path, settings: settingsFor(configs, input.path) });
      all.push(...toJson(input, findings));
    }
    const out = opts.format === 'json' ? JSON.stringify(all, null, 2) + '\n' : opts.format === 'sarif' ? formatSarif(all) : formatText(all);
    process.stdout.write(out);
    if (opts.failOn === 'never') return 0;
    const threshold = SEVERITY_ORDER[opts.failOn];
    return all.some((f) => SEVERITY_ORDER[f.severity] >= threshold) ? 1 : 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`kvmnet: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`kvmnet: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

if (require.main === module) {
  // The lint reads every command line twice and keeps little of it (iptables/streamed.ts). V8
  // learns from the first reading that the parser's objects live long and starts allocating them
  // straight into the old generation, where the second reading's garbage then piles up until a
  // full collection: a 100,000-rule ruleset peaked at 600 MB instead of 300 MB that way.
  setFlagsFromString('--no-allocation-site-pretenuring');
  // `kvmnet lint ... | head`: the reader may close the pipe before the report is written. That is
  // no failure of the lint: stop quietly with the status the findings gave.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit();
    process.stderr.write(`kvmnet: cannot write the report: ${err.message}\n`);
    process.exit(2);
  });
  process.exitCode = main(process.argv.slice(2));
}
