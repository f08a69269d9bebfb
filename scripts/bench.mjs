// `npm run bench` (after `npm run build`): kube-proxy-sized rulesets, kvmnet lint against the real
// iptables-restore --test, peak memory, and incremental re-lint in the language server.
// The harness is TypeScript (scripts/bench/); tsx, already a dev dependency, loads it.
// Options are passed through: npm run bench -- --sizes=10000 --runs=1 --no-lsp
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('./bench/main.ts', import.meta.url);
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 2;
}
