// Run inside a private network namespace (`unshare -n node restoreAndSave.mjs FAMILY BACKEND FILE...`,
// see loadAndSave in realTools.ts): restores each ruleset FILE in turn with the real tool (on its
// stdin; the second and later ones with -n, on top of the first, as ufw loads its files), stopping
// at the first one refused, then dumps what the kernel holds with the same backend's save. Prints
// one JSON object: {status, stderr, saved?}, status and stderr of the last restore run.
// With --each (`... FAMILY BACKEND --each FILE...`, see loadAndSaveEach) each FILE is loaded on its
// own instead: the tables the files name emptied first, then restored and dumped; prints an array
// of such objects. Argument arrays only; the ruleset never reaches a shell. The file is
// the tool's stdin rather than a pipe: a tool that refuses a line stops reading, and writing the
// rest of a large ruleset into its pipe would fail (EPIPE).
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

const [family, backend, ...rest] = process.argv.slice(2);
const each = rest[0] === '--each';
const files = each ? rest.slice(1) : rest;
if ((family !== 'ipv4' && family !== 'ipv6') || (backend !== 'nft' && backend !== 'legacy') || files.length === 0) {
  process.stderr.write('usage: restoreAndSave.mjs ipv4|ipv6 nft|legacy [--each] FILE...\n');
  process.exit(2);
}
const tool = `${family === 'ipv4' ? 'iptables' : 'ip6tables'}-${backend}`;
/** The tables the files name, each with no chain but its built-in ones and no rule. */
const tables = new Set(files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^\*([a-z]+)[ \t]*$/gm)].map((m) => m[1])));
const EMPTY = [...tables].map((t) => `*${t}\nCOMMIT\n`).join('');

/** One restore run: the file (or `input` text) on stdin. */
function restore(file, args, input) {
  const fd = file === undefined ? 'pipe' : openSync(file, 'r');
  const run = spawnSync(`${tool}-restore`, args, { stdio: [fd, 'pipe', 'pipe'], input, encoding: 'utf8', timeout: 120_000 });
  if (file !== undefined) closeSync(fd);
  if (run.error) {
    process.stderr.write(`cannot run ${tool}-restore: ${run.error.message}\n`);
    process.exit(2);
  }
  return run;
}

/** The verdict of the last restore, with the dump when it loaded. */
function result(last) {
  const out = { status: last.status, stderr: last.stderr };
  if (last.status === 0) {
    const save = spawnSync(`${tool}-save`, [], { encoding: 'utf8', timeout: 120_000, maxBuffer: 512 * 1024 * 1024 });
    if (save.error || save.status !== 0) {
      process.stderr.write(`${tool}-save failed: ${save.error?.message ?? save.stderr}\n`);
      process.exit(2);
    }
    out.saved = save.stdout;
  }
  return out;
}

if (each) {
  const results = [];
  for (const file of files) {
    const emptied = EMPTY === '' ? { status: 0 } : restore(undefined, [], EMPTY);
    if (emptied.status !== 0) {
      process.stderr.write(`${tool}-restore cannot empty the tables: ${emptied.stderr}\n`);
      process.exit(2);
    }
    results.push(result(restore(file, [])));
  }
  process.stdout.write(JSON.stringify(results));
} else {
  let last;
  for (const [k, file] of files.entries()) {
    last = restore(file, k === 0 ? [] : ['-n']);
    if (last.status !== 0) break;
  }
  process.stdout.write(JSON.stringify(result(last)));
}
