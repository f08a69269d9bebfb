/**
 * kvmnet language server: `node dist/server.js --stdio` (or --node-ipc / --socket=N, as any
 * vscode-languageserver). Without a transport flag it speaks LSP on stdin/stdout, as editors that
 * leave the flag out expect. Only wiring here; see lsp/connection.ts.
 */
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { startServer } from './lsp/connection.js';
import { VERSION } from './core/version.js';

const USAGE = `usage: kvmnet-language-server [--stdio | --node-ipc | --socket=PORT]

The kvmnet language server for iptables-save rulesets. It speaks the Language Server Protocol on
standard input and output when no transport is given. See the README for editor set-up.
`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (args.includes('--version') || args.includes('-V')) {
  process.stdout.write(`kvmnet-language-server ${VERSION}\n`);
  process.exit(0);
}
// vscode-languageserver reads these itself; a --socket or --pipe without its value would make it
// fail, so such a flag (or none) means stdin/stdout. Other flags are left alone.
const transport = args.some((a) => a === '--stdio' || a === '--node-ipc' || /^--socket=\d+$/.test(a) || /^--pipe=.+/.test(a));
const connection: Connection = transport ? createConnection(ProposedFeatures.all) : createConnection(ProposedFeatures.all, process.stdin, process.stdout);
process.on('uncaughtException', (err) => {
  // The server must survive any input; log and keep serving.
  connection.console.error(`kvmnet: unexpected error: ${err.stack ?? err.message}`);
});
startServer(connection, __dirname);
