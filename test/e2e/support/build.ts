/**
 * Makes sure dist/ holds bundles built from the current sources, running `npm run build` at most
 * once even when the e2e files run in parallel (a mkdir lock; the loser waits for the winner).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { E2E_DIR, EXTENSION_BUNDLE, PROJECT_ROOT, SERVER_BUNDLE } from './paths.js';

const SOURCE_ROOTS = ['client/src', 'server/src', 'package.json', 'scripts/build.mjs'];
const LOCK_DIR = path.join(E2E_DIR, 'build.lock');
/** A lock older than this belongs to a build that died. */
const STALE_LOCK_MS = 120_000;

function newestMtime(p: string): number {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

function oldestBundleMtime(): number {
  try {
    return Math.min(fs.statSync(SERVER_BUNDLE).mtimeMs, fs.statSync(EXTENSION_BUNDLE).mtimeMs);
  } catch {
    return 0;
  }
}

function isFresh(): boolean {
  const sources = Math.max(...SOURCE_ROOTS.map((r) => newestMtime(path.join(PROJECT_ROOT, r))));
  return oldestBundleMtime() >= sources;
}

function tryLock(): boolean {
  try {
    fs.mkdirSync(LOCK_DIR);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const age = Date.now() - fs.statSync(LOCK_DIR).mtimeMs;
    if (age > STALE_LOCK_MS) fs.rmSync(LOCK_DIR, { recursive: true, force: true });
    return false;
  }
}

/** Resolves when the lock directory is gone (fs.watch on its parent, with a slow re-check as a fallback). */
function lockReleased(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      if (fs.existsSync(LOCK_DIR)) return;
      watcher.close();
      clearInterval(timer);
      resolve();
    };
    const watcher = fs.watch(E2E_DIR, done);
    const timer = setInterval(done, 500);
    done();
  });
}

/** Builds dist/ unless it is already newer than every source file. Returns whether it built. */
export async function ensureFreshBuild(): Promise<boolean> {
  fs.mkdirSync(E2E_DIR, { recursive: true });
  const deadline = Date.now() + STALE_LOCK_MS;
  for (;;) {
    if (isFresh()) return false;
    if (tryLock()) break;
    if (Date.now() > deadline) throw new Error(`build lock ${LOCK_DIR} is held for too long`);
    await lockReleased();
  }
  try {
    if (isFresh()) return false;
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    return true;
  } catch (err) {
    const e = err as { stderr?: Buffer; stdout?: Buffer; message: string };
    throw new Error(`npm run build failed:\n${String(e.stdout ?? '')}${String(e.stderr ?? e.message)}`);
  } finally {
    fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}
