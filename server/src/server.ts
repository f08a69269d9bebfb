/**
 * kvmnet language server: `node dist/server.js --stdio` (or --node-ipc / --socket=N, as any
 * vscode-languageserver). Only wiring here; see lsp/connection.ts.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './lsp/connection.js';

const connection = createConnection(ProposedFeatures.all);
process.on('uncaughtException', (err) => {
  // The server must survive any input; log and keep serving.
  connection.console.error(`kvmnet: unexpected error: ${err.stack ?? err.message}`);
});
startServer(connection, __dirname);
