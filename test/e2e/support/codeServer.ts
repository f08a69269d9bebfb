/**
 * code-server 4.100.3 (VS Code 1.100.3 in the browser) as a throw-away editor for one test run:
 * its own user-data, extensions, XDG and temp dirs under .e2e/, its own process group, and a
 * stop() that takes the whole tree down (extension host and language server included).
 * Pitfalls behind these choices: ../shared/recipes/vscode-e2e/NOTES.md.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { E2E_DIR, PROJECT_ROOT } from './paths.js';

export const CODE_SERVER_VERSION = '4.100.3';
const CODE_SERVER_BIN = path.join(E2E_DIR, 'code-server', 'node_modules', '.bin', 'code-server');

export type InstallResult = { ok: true; ms: number } | { ok: false; reason: string; log: string };

/** Runs scripts/e2e-setup.sh (quick when code-server is already there). */
export function installCodeServer(): InstallResult {
  const t0 = Date.now();
  const r = spawnSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'e2e-setup.sh')], { encoding: 'utf8', timeout: 600_000 });
  if (r.status === 0 && fs.existsSync(CODE_SERVER_BIN)) return { ok: true, ms: Date.now() - t0 };
  const log = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}`.trim();
  const lastLine = log.split('\n').filter((l) => l.trim()).pop() ?? `exit status ${r.status}`;
  return { ok: false, reason: `code-server ${CODE_SERVER_VERSION} is not installed and scripts/e2e-setup.sh could not install it: ${lastLine}`, log };
}

/** Environment that keeps code-server's config, data and logs out of $HOME. */
function isolatedEnv(): NodeJS.ProcessEnv {
  const xdg = path.join(E2E_DIR, 'xdg');
  const tmp = path.join(E2E_DIR, 'tmp');
  for (const d of ['config', 'data', 'cache']) fs.mkdirSync(path.join(xdg, d), { recursive: true });
  fs.mkdirSync(tmp, { recursive: true });
  return {
    ...process.env,
    XDG_CONFIG_HOME: path.join(xdg, 'config'),
    XDG_DATA_HOME: path.join(xdg, 'data'),
    XDG_CACHE_HOME: path.join(xdg, 'cache'),
    TMPDIR: tmp,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface CodeServerRun {
  readonly url: string;
  readonly workspace: string;
  readonly logFile: string;
  readonly userDataDir: string;
  /** SIGTERM to the process group, wait for code-server to exit, then SIGKILL whatever is left. */
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** A fresh directory for this run; code-server's dirs and logs go under it. */
  readonly runDir: string;
  /** The folder to open. */
  readonly workspace: string;
  /** User settings.json content. */
  readonly settings: string;
  /** .vsix files to install before the start. */
  readonly extensions: readonly string[];
}

/** Installs the extensions into a fresh extensions dir and starts code-server on a free port. */
export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServerRun> {
  const env = isolatedEnv();
  const userData = path.join(opts.runDir, 'user-data');
  const extensionsDir = path.join(opts.runDir, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), opts.settings);
  const port = await freePort();
  const config = path.join(opts.runDir, 'config.yaml');
  // Without --config, code-server writes ~/.config/code-server/config.yaml with a random password.
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensionsDir];

  for (const vsix of opts.extensions) {
    // --install-extension, not a folder copy: a copied folder is ignored once extensions.json exists.
    execFileSync(CODE_SERVER_BIN, [...common, '--install-extension', vsix, '--force'], { env, stdio: 'pipe', timeout: 60_000 });
  }

  const logFile = path.join(opts.runDir, 'code-server.log');
  const log = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(
    CODE_SERVER_BIN,
    [...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', opts.workspace],
    // detached: a new session and process group, so stop() can signal the whole tree at once.
    { env, detached: true, stdio: ['ignore', 'pipe', log] },
  );
  fs.closeSync(log);
  const pgid = child.pid;
  if (pgid === undefined) throw new Error('code-server did not start');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Last resort if the test process dies before stop(): no code-server outlives it.
  const onExit = (): void => killGroup(pgid, 'SIGKILL');
  process.once('exit', onExit);

  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    killGroup(pgid, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000).unref())]);
    // The file watcher and extension host may linger for a moment after code-server itself.
    killGroup(pgid, 'SIGKILL');
  };

  try {
    await waitForListening(child, logFile, port);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, workspace: opts.workspace, logFile, userDataDir: userData, stop };
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Resolves when code-server logs "HTTP server listening on"; rejects if it exits or takes too long. */
function waitForListening(child: ChildProcess, logFile: string, port: number, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => finish(new Error(`code-server did not listen on port ${port} within ${timeoutMs} ms (log: ${logFile})`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      fs.appendFileSync(logFile, chunk);
      seen = (seen + chunk.toString('utf8')).slice(-4000);
      if (seen.includes('HTTP server listening on')) finish();
    };
    const onExit = (code: number | null): void => finish(new Error(`code-server exited with ${code} before listening:\n${seen.slice(-2000)}`));
    function finish(err?: Error): void {
      clearTimeout(timer);
      child.removeListener('exit', onExit);
      if (err) reject(err);
      else resolve();
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * Waits until the log file of the output channel `name` (code-server keeps one per channel under
 * user-data/logs/.../output_logging_*) satisfies `done`; returns its text.
 */
export async function waitForChannelLog(run: CodeServerRun, name: string, done: (text: string) => boolean, timeoutMs = 20_000): Promise<string> {
  const logs = path.join(run.userDataDir, 'logs');
  const find = (): string | undefined => {
    const files = fs.existsSync(logs) ? (fs.readdirSync(logs, { recursive: true }) as string[]) : [];
    const hit = files.find((f) => path.basename(f).endsWith(`-${name}.log`) && f.includes('output_logging_'));
    return hit === undefined ? undefined : path.join(logs, hit);
  };
  const deadline = Date.now() + timeoutMs;
  let text = '';
  for (;;) {
    const file = find();
    text = file ? fs.readFileSync(file, 'utf8') : '';
    if (done(text)) return text;
    if (Date.now() > deadline) throw new Error(`the "${name}" output channel log did not reach the expected state in ${timeoutMs} ms:\n${text}`);
    // The extension host appends to the file; re-read after each short interval until it is there.
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves with a file's text once `done` holds for it (the editor writes it when it saves). */
export async function waitForFile(file: string, done: (text: string) => boolean, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (done(text)) return text;
    if (Date.now() > deadline) throw new Error(`${file} did not reach the expected content in ${timeoutMs} ms:\n${JSON.stringify(text)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
