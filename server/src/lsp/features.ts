/** Language feature handlers: thin adapters from LSP requests to the pure services in iptables/. */
import {
  CodeActionKind, CompletionItemKind, DocumentHighlightKind, FoldingRangeKind, InsertTextFormat, LSPErrorCodes, ResponseError, SymbolKind, TextDocuments,
  type CodeAction, type CompletionItem, type Connection, type DocumentHighlight, type DocumentSymbol, type Location, type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { LINE_ENDING_FIX_KIND, type Fix } from '../core/finding.js';
import { completeAt, type CompletionKind } from '../iptables/completion.js';
import { hoverAt } from '../iptables/hover.js';
import { cachedHostInterfaces } from '../net/hostInterfaces.js';
import { findDefinition, findHighlights, findReferences, prepareRename, renameChain } from '../iptables/navigation.js';
import { documentSymbols, foldingRanges, type SymbolNode } from '../iptables/symbols.js';
import { toRange } from './convert.js';
import { isIptablesDocument, type DocumentCache, type DocumentState } from './documents.js';

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword,
  table: CompletionItemKind.Module,
  chain: CompletionItemKind.Function,
  option: CompletionItemKind.Property,
  module: CompletionItemKind.Module,
  target: CompletionItemKind.Event,
  value: CompletionItemKind.Value,
  snippet: CompletionItemKind.Snippet,
};

const SYMBOL_KIND: Record<SymbolNode['kind'], SymbolKind> = { table: SymbolKind.Namespace, chain: SymbolKind.Function, rule: SymbolKind.Field };

export function registerFeatures(connection: Connection, documents: TextDocuments<TextDocument>, cache: DocumentCache): void {
  const hostInterfaces = cachedHostInterfaces();
  /** Runs a handler on an iptables document's current state; any failure becomes "no answer", never a crash. */
  const withState = <T>(uri: string, fallback: T, fn: (doc: TextDocument, state: DocumentState) => T): T => {
    const doc = documents.get(uri);
    if (!doc || !isIptablesDocument(doc)) return fallback;
    try {
      return fn(doc, cache.get(doc));
    } catch (err) {
      if (err instanceof RenameRefused) throw new ResponseError(LSPErrorCodes.RequestFailed, err.message);
      connection.console.error(`kvmnet: request failed on ${uri}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return fallback;
    }
  };

  connection.onHover((p) => withState(p.textDocument.uri, null, (doc, s) => {
    const h = hoverAt(s.result.document, s.result.analysis, doc.offsetAt(p.position), { interfaces: hostInterfaces() });
    return h ? { contents: { kind: 'markdown' as const, value: h.markdown }, range: toRange(doc, h.span) } : null;
  }));

  connection.onCompletion((p) => withState(p.textDocument.uri, [] as CompletionItem[], (doc, s) => {
    const offset = doc.offsetAt(p.position);
    return completeAt(s.result.document, s.result.analysis, offset, { interfaces: hostInterfaces() }).map((c): CompletionItem => ({
      label: c.label,
      kind: COMPLETION_KIND[c.kind],
      ...(c.detail ? { detail: c.detail } : {}),
      ...(c.documentation ? { documentation: { kind: 'markdown', value: c.documentation } } : {}),
      ...(c.sortText ? { sortText: c.sortText } : {}),
      ...(c.filterText ? { filterText: c.filterText } : {}),
      insertTextFormat: c.isSnippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      ...(c.replaceSpan
        ? { textEdit: { range: toRange(doc, c.replaceSpan), newText: c.insertText ?? c.label } }
        : c.insertText ? { insertText: c.insertText } : {}),
    }));
  }));

  connection.onDocumentSymbol((p) => withState(p.textDocument.uri, [] as DocumentSymbol[], (doc, s) => {
    const convert = (n: SymbolNode): DocumentSymbol => ({
      name: n.name || '(unnamed)',
      ...(n.detail ? { detail: n.detail } : {}),
      kind: SYMBOL_KIND[n.kind],
      range: toRange(doc, n.span),
      selectionRange: toRange(doc, n.selectionSpan),
      children: n.children.map(convert),
    });
    return documentSymbols(s.result.document, s.result.analysis).map(convert);
  }));

  connection.onFoldingRanges((p) => withState(p.textDocument.uri, [], (_doc, s) =>
    foldingRanges(s.result.document, s.result.analysis).map((f) => ({
      startLine: f.startLine,
      endLine: f.endLine,
      ...(f.kind ? { kind: f.kind === 'comment' ? FoldingRangeKind.Comment : FoldingRangeKind.Region } : {}),
    }))));

  connection.onDefinition((p) => withState(p.textDocument.uri, [] as Location[], (doc, s) =>
    findDefinition(s.result.document, s.result.analysis, doc.offsetAt(p.position)).map((span) => ({ uri: doc.uri, range: toRange(doc, span) }))));

  connection.onReferences((p) => withState(p.textDocument.uri, [] as Location[], (doc, s) =>
    findReferences(s.result.document, s.result.analysis, doc.offsetAt(p.position), p.context.includeDeclaration).map((span) => ({ uri: doc.uri, range: toRange(doc, span) }))));

  connection.onDocumentHighlight((p) => withState(p.textDocument.uri, [] as DocumentHighlight[], (doc, s) =>
    findHighlights(s.result.document, s.result.analysis, doc.offsetAt(p.position))
      .map((h) => ({ range: toRange(doc, h.span), kind: h.declaration ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }))));

  connection.onPrepareRename((p) => withState(p.textDocument.uri, null, (doc, s) => {
    const r = prepareRename(s.result.document, s.result.analysis, doc.offsetAt(p.position));
    if (!r) return null;
    if ('error' in r) throw new RenameRefused(r.error);
    return { range: toRange(doc, r.span), placeholder: r.placeholder };
  }));

  connection.onRenameRequest((p) => withState(p.textDocument.uri, null as WorkspaceEdit | null, (doc, s) => {
    const r = renameChain(s.result.document, s.result.analysis, doc.offsetAt(p.position), p.newName);
    if ('error' in r) throw new RenameRefused(r.error);
    return { changes: { [doc.uri]: r.edits.map((e) => ({ range: toRange(doc, e.span), newText: e.newText })) } };
  }));

  connection.onCodeAction((p) => withState(p.textDocument.uri, [] as CodeAction[], (doc, s) => {
    const start = doc.offsetAt(p.range.start);
    const end = doc.offsetAt(p.range.end);
    const actions: CodeAction[] = [];
    const toEdit = (fix: Fix): WorkspaceEdit => ({ changes: { [doc.uri]: fix.edits.map((e) => ({ range: toRange(doc, e.span), newText: e.newText })) } });
    for (const f of s.result.findings) {
      if (f.span.end < start || f.span.start > end) continue;
      const diagnostic = p.context.diagnostics.find((d) => d.code === f.ruleId && doc.offsetAt(d.range.start) === f.span.start);
      for (const fix of f.fixes ?? []) {
        actions.push({ title: fix.title, kind: fix.lineEndings ? LINE_ENDING_FIX_KIND : CodeActionKind.QuickFix, edit: toEdit(fix), ...(fix.preferred ? { isPreferred: true } : {}), ...(diagnostic ? { diagnostics: [diagnostic] } : {}) });
      }
      // iptables-restore reads "#" as a comment only in column 0, so the directive goes at the line start.
      const lineStart = doc.offsetAt({ line: doc.positionAt(f.span.start).line, character: 0 });
      actions.push({
        title: `Disable ${f.ruleId} for this line`,
        kind: CodeActionKind.QuickFix,
        edit: { changes: { [doc.uri]: [{ range: toRange(doc, { start: lineStart, end: lineStart }), newText: `# kvmnet-disable-next-line ${f.ruleId}\n` }] } },
        ...(diagnostic ? { diagnostics: [diagnostic] } : {}),
      });
    }
    return actions;
  }));
}

/** A rename the service refuses: surfaced to the user as the request's error message. */
class RenameRefused extends Error {}
