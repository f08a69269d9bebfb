// Parity report: kvmnet's error findings against the real iptables tools, over iptables' own
// v1.8.9 extension tests and (with --real) the real rulesets of ../shared/corpus.
//   node --import tsx scripts/conformance.mjs [--family ipv4|ipv6] [--only FILE] [--real] [--jobs N]
// Output lines start with PARITY, FALSE-ERROR, MISSED, SKIPPED, REAL or REAL-FALSE-ERROR (grep them);
// the harness is TypeScript in test/conformance/ (report.ts), loaded through tsx.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('../test/conformance/report.ts', import.meta.url);
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  console.error(`conformance: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  process.exitCode = 2;
}
