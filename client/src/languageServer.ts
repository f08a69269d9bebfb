import * as vscode from 'vscode';
import {
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node.js';
import { LINE_ENDING_FIX_KIND } from '../../server/src/core/finding.js';

/**
 * The client id. vscode-languageclient reads the trace level from `<id>.trace.server`, so this
 * must match the `kvmnet.trace.server` setting in package.json.
 */
const CLIENT_ID = 'kvmnet';
const CLIENT_NAME = 'kvmnet language server';

function createLanguageClient(serverModule: string, output: vscode.OutputChannel): LanguageClient {
  // TransportKind.ipc makes the client fork `node serverModule --node-ipc`; the server's
  // createConnection() picks the transport from that flag.
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6039'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'iptables' },
      { scheme: 'untitled', language: 'iptables' },
    ],
    // Sends the whole `kvmnet` section with workspace/didChangeConfiguration whenever it changes.
    synchronize: { configurationSection: 'kvmnet' },
    outputChannel: output,
    // The server's log goes to the channel; it never pops up by itself (kvmnet.showOutput does that).
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    middleware: {
      provideCodeActions: async (document, range, context, token, next) => {
        const actions = await next(document, range, context, token);
        return actions?.map((action) => (action instanceof vscode.CodeAction && action.kind?.value === LINE_ENDING_FIX_KIND ? asEndOfLineSwitch(document, action) : action));
      },
    },
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

/**
 * The server's "Convert to LF line endings" replaces each "\r\n" with "\n"; VS Code keeps one line
 * ending per document and would write "\r\n" again, so the fix switches the document's end of line.
 */
function asEndOfLineSwitch(document: vscode.TextDocument, action: vscode.CodeAction): vscode.CodeAction {
  const edit = new vscode.WorkspaceEdit();
  edit.set(document.uri, [vscode.TextEdit.setEndOfLine(vscode.EndOfLine.LF)]);
  action.edit = edit;
  return action;
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Owns the language client. A restart builds a new client instead of restarting the old one,
 * because vscode-languageclient cannot start again a client whose first start failed.
 */
export class LanguageServerSession implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  private readonly started = new vscode.EventEmitter<void>();
  /** Fires each time a server has started (the first time and after a restart). */
  readonly onDidStart = this.started.event;

  constructor(
    private readonly serverModule: string,
    private readonly output: vscode.OutputChannel,
  ) {}

  /** Starts a client. A failure is logged (the client also shows it) and does not throw. */
  start(): Promise<void> {
    const client = createLanguageClient(this.serverModule, this.output);
    this.client = client;
    this.starting = client.start().then(
      () => {
        this.output.appendLine(`[kvmnet] language server started (${this.serverModule})`);
        this.started.fire();
      },
      (err: unknown) => this.output.appendLine(`[kvmnet] the language server did not start: ${describeError(err)}`),
    );
    return this.starting;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    // Stopping a client that is still starting throws, so let the start settle first.
    await this.starting;
    try {
      // dispose() stops a running client and releases its diagnostics and handlers.
      await client.dispose();
    } catch (err) {
      // A client whose start failed has no connection to shut down; there is nothing left to stop.
      this.output.appendLine(`[kvmnet] stopping the language server: ${describeError(err)}`);
    }
  }

  /** Sends a request to the running server; undefined when none runs or it fails (the caller shows nothing then). */
  async request<R>(method: string, params: object): Promise<R | undefined> {
    const client = this.client;
    if (!client) return undefined;
    await this.starting;
    if (!client.isRunning()) return undefined;
    try {
      return await client.sendRequest<R>(method, params);
    } catch {
      return undefined;
    }
  }

  async restart(): Promise<void> {
    this.output.appendLine('[kvmnet] restarting the language server');
    await this.stop();
    await this.start();
  }

  dispose(): void {
    this.started.dispose();
    void this.stop();
  }
}
