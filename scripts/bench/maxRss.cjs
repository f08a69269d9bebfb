// Fallback peak-memory probe for machines without GNU time (/usr/bin/time):
//   node scripts/bench/maxRss.cjs SCRIPT ARGS...
// runs SCRIPT in this very process (as if started with `node SCRIPT ARGS...`) and, on exit,
// prints the process's peak resident set size to stderr in the same form the bench asks
// /usr/bin/time for, so both paths are parsed the same way.
'use strict';
const path = require('node:path');

const script = process.argv[2];
if (!script) {
  console.error('usage: node maxRss.cjs SCRIPT [ARGS...]');
  process.exit(2);
}
const resolved = path.resolve(script);
process.argv = [process.argv[0] ?? 'node', resolved, ...process.argv.slice(3)];
process.on('exit', () => {
  // resourceUsage().maxRSS is in kilobytes, like GNU time's %M.
  process.stderr.write(`\nKVMNET_BENCH_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});
// Run it as the main module, so that `require.main === module` holds in it as under `node SCRIPT`.
require('node:module').runMain();
