// Run inside a private network namespace (`unshare -n node restoreAndSave.mjs FAMILY BACKEND FILE...`,
// see loadAndSave in realTools.ts): restores each ruleset FILE in turn with the real tool (on its
// stdin; the second and later ones with -n, on top of the first, as ufw loads its files), stopping
// at the first one refused, then dumps what the kernel holds with the same backend's save. Prints
// one JSON object: {status, stderr, saved?}, status and stderr of the last restore run. Argument arrays only; the ruleset never reaches a shell. The file is
// the tool's stdin rather than a pipe: a tool that refuses a line stops reading, and writing the
// rest of a large ruleset into its pipe would fail (EPIPE).
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

const [family, backend, ...files] = process.argv.slice(2);
if ((family !== 'ipv4' && family !== 'ipv6') || (backend !== 'nft' && backend !== 'legacy') || files.length === 0) {
  process.stderr.write('usage: restoreAndSave.mjs ipv4|ipv6 nft|legacy FILE...\n');
  process.exit(2);
}
const tool = `${family === 'ipv4' ? 'iptables' : 'ip6tables'}-${backend}`;
let restore;
for (const [k, file] of files.entries()) {
  const input = openSync(file, 'r');
  restore = spawnSync(`${tool}-restore`, k === 0 ? [] : ['-n'], { stdio: [input, 'pipe', 'pipe'], encoding: 'utf8', timeout: 120_000 });
  closeSync(input);
  if (restore.error) {
    process.stderr.write(`cannot run ${tool}-restore: ${restore.error.message}\n`);
    process.exit(2);
  }
  if (restore.status !== 0) break;
}
const result = { status: restore.status, stderr: restore.stderr };
if (restore.status === 0) {
  const save = spawnSync(`${tool}-save`, [], { encoding: 'utf8', timeout: 120_000, maxBuffer: 512 * 1024 * 1024 });
  if (save.error || save.status !== 0) {
    process.stderr.write(`${tool}-save failed: ${save.error?.message ?? save.stderr}\n`);
    process.exit(2);
  }
  result.saved = save.stdout;
}
process.stdout.write(JSON.stringify(result));
