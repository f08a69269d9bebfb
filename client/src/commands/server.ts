import * as vscode from 'vscode';
import type { LanguageServerSession } from '../languageServer.js';

/** Command ids; they must match `contributes.commands` in package.json. */
export const SERVER_COMMANDS = {
  restartServer: 'kvmnet.restartServer',
  showOutput: 'kvmnet.showOutput',
} as const;

/** Commands that act on the language server and its output channel. */
export function registerServerCommands(session: LanguageServerSession, output: vscode.OutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(SERVER_COMMANDS.restartServer, () => session.restart()),
    vscode.commands.registerCommand(SERVER_COMMANDS.showOutput, () => output.show(true)),
  ];
}
