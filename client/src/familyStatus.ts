/**
 * A language status item for iptables files: the address family kvmnet reads the active ruleset
 * in (IPv4 or IPv6) and what decided it, so that an ip6tables file read as IPv4 (or the reverse)
 * is seen at once. Asks the server (kvmnet/family), which decides it as the lint does.
 */
import * as vscode from 'vscode';
import { FAMILY_REQUEST, type FamilyAnswer } from '../../server/src/lsp/protocol.js';
import type { LanguageServerSession } from './languageServer.js';

const EVIDENCE: Record<FamilyAnswer['evidence'], string> = {
  setting: 'set by kvmnet.iptables.family',
  name: 'from the file name',
  header: 'from the iptables-save header',
  content: 'from the addresses and protocols in the file',
};

export function registerFamilyStatus(session: LanguageServerSession): vscode.Disposable[] {
  const item = vscode.languages.createLanguageStatusItem('kvmnet.family', { language: 'iptables' });
  item.name = 'kvmnet address family';
  item.text = 'iptables';
  item.command = { title: 'Change', command: 'workbench.action.openSettings', arguments: ['kvmnet.iptables.family'] };
  let asked = 0;
  const update = async (): Promise<void> => {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== 'iptables') return;
    const mine = ++asked;
    const answer = await session.request<FamilyAnswer | null>(FAMILY_REQUEST, { uri: doc.uri.toString() });
    if (mine !== asked) return; // a later question is on its way
    if (answer === undefined) return; // no server (yet): it asks again once one has started
    if (answer === null) {
      item.text = 'not a ruleset';
      item.detail = 'kvmnet does not check this file';
      return;
    }
    item.text = answer.family === 'ipv6' ? 'IPv6 (ip6tables)' : 'IPv4 (iptables)';
    item.detail = EVIDENCE[answer.evidence];
  };
  let timer: NodeJS.Timeout | undefined;
  const soon = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void update(), 300);
  };
  void update();
  return [
    item,
    vscode.window.onDidChangeActiveTextEditor(() => void update()),
    // The header or the content may decide the family: ask again after edits settle.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) soon();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('kvmnet')) soon();
    }),
    // The server publishes again once it has the new settings.
    vscode.languages.onDidChangeDiagnostics((e) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (active && e.uris.some((u) => u.toString() === active)) soon();
    }),
    session.onDidStart(() => void update()),
    { dispose: () => timer && clearTimeout(timer) },
  ];
}
