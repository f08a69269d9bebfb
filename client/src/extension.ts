/**
 * The VS Code side of kvmnet: starts the language server (dist/server.js) for iptables rulesets
 * and registers the commands. Everything about the files themselves happens in the server.
 */
import * as vscode from 'vscode';
import { registerServerCommands } from './commands/server.js';
import { registerFamilyStatus } from './familyStatus.js';
import { LanguageServerSession } from './languageServer.js';

let session: LanguageServerSession | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('kvmnet');
  session = new LanguageServerSession(context.asAbsolutePath('dist/server.js'), output);
  context.subscriptions.push(output, ...registerServerCommands(session, output), ...registerFamilyStatus(session));
  await session.start();
}

export async function deactivate(): Promise<void> {
  await session?.stop();
  session = undefined;
}
