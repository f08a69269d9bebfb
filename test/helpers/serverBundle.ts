/**
 * The language server bundle the LSP tests spawn (`node dist/server.js --stdio`), built by
 * `npm run build`; a direct run of one test file builds it when it is missing or older than server/src.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const SERVER = join(ROOT, 'dist', 'server.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** `npm test` builds first; a direct run of an LSP test file builds when dist/server.js is missing or stale. */
export function ensureBuilt(): void {
  if (existsSync(SERVER) && statSync(SERVER).mtimeMs >= newestMtime(join(ROOT, 'server', 'src'))) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `build failed: ${r.stderr}`);
}
