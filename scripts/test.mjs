// Runs the test suites with Node's built-in runner (TypeScript through tsx).
//   node scripts/test.mjs            every *.test.ts under test/
//   node scripts/test.mjs unit       skips the slow real-editor suites (test/e2e)
//   node scripts/test.mjs PATH...    only these files or folders
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(path, out) {
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) collect(join(path, entry), out);
  } else if (path.endsWith('.test.ts')) {
    out.push(path);
  }
  return out;
}

const args = process.argv.slice(2);
const unitOnly = args[0] === 'unit';
const roots = unitOnly || args.length === 0 ? ['test'] : args;
let files = roots.flatMap((r) => collect(r, []));
if (unitOnly) files = files.filter((f) => !f.startsWith(join('test', 'e2e')));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
