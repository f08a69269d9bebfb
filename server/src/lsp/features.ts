/** Language feature handlers: thin adapters from LSP requests to the pure services in iptables/. */
import {
  CodeActionKind, CompletionItemKind, DocumentHighlightKind, FoldingRangeKind, InsertTextFormat, LSPErrorCodes, ResponseError, SymbolKind, TextDocuments,
  type CallHierarchyIncomingCall, type CallHierarchyItem, type CallHierarchyOutgoingCall, type CodeAction, type CompletionItem, type Connection,
  type DocumentHighlight, type DocumentSymbol, type FormattingOptions, type Location, type Range, type SelectionRange, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { LINE_ENDING_FIX_KIND, type Finding, type Fix } from '../core/finding.js';
import { completeAt, type CompletionKind } from '../iptables/completion.js';
import { formatEdits, type FormatOptions } from '../iptables/format.js';
import { hoverAt } from '../iptables/hover.js';
import { cachedHostInterfaces } from '../net/hostInterfaces.js';
import { calleesOf, callersOf, chainNodeAt, chainNodeNamed, findDefinition, findHighlights, findReferences, prepareRename, renameChain, type ChainNode } from '../iptables/navigation.js';
import { selectionRanges } from '../iptables/selection.js';
import { documentSymbols, foldingRanges, type SymbolNode } from '../iptables/symbols.js';
import { markup, toRange, toSelectionRange } from './convert.js';
import { expandWithDefaults } from '../core/snippet.js';
import { directiveIds } from '../core/suppression.js';
import { notARuleset } from '../workspace/discover.js';
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

/** What the client can take, from its capabilities at initialize. */
export interface ClientSupport {
  /** `completionItem.snippetSupport`: without it, snippet completions are sent as their default text. */
  snippets: boolean;
  /** Hover in markdown (the client lists it among its `hover.contentFormat`, or lists none); else plain text. */
  markdown: boolean;
  /** Completion documentation in markdown (`completionItem.documentationFormat`, read the same way). */
  completionMarkdown: boolean;
}

export function registerFeatures(connection: Connection, documents: TextDocuments<TextDocument>, cache: DocumentCache, client: ClientSupport): void {
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
    if (!h) return null;
    return { contents: markup(h.markdown, client.markdown), range: toRange(doc, h.span) };
  }));

  connection.onCompletion((p) => withState(p.textDocument.uri, [] as CompletionItem[], (doc, s) => {
    const offset = doc.offsetAt(p.position);
    return completeAt(s.result.document, s.result.analysis, offset, { interfaces: hostInterfaces(), snippets: client.snippets }).map((c): CompletionItem => {
      const snippet = c.isSnippet === true && client.snippets;
      // A client without snippet support gets the text the snippet stands for with its defaults.
      const text = c.isSnippet && !client.snippets && c.insertText !== undefined ? expandWithDefaults(c.insertText) : c.insertText;
      return {
        label: c.label,
        kind: COMPLETION_KIND[c.kind],
        ...(c.detail ? { detail: c.detail } : {}),
        ...(c.documentation ? { documentation: markup(c.documentation, client.completionMarkdown) } : {}),
        ...(c.sortText ? { sortText: c.sortText } : {}),
        // The label is what clients filter by anyway; neovim 0.7's omnifunc ignores the edit's start when filterText is set.
        ...(c.filterText && c.filterText !== c.label ? { filterText: c.filterText } : {}),
        insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        ...(c.replaceSpan
          ? { textEdit: { range: toRange(doc, c.replaceSpan), newText: text ?? c.label } }
          : text ? { insertText: text } : {}),
      };
    });
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

  connection.onSelectionRanges((p) => withState(p.textDocument.uri, null as SelectionRange[] | null, (doc, s) =>
    selectionRanges(s.result.document, s.result.analysis, p.positions.map((pos) => doc.offsetAt(pos))).map((chain) => toSelectionRange(doc, chain))));

  connection.onDefinition((p) => withState(p.textDocument.uri, [] as Location[], (doc, s) =>
    findDefinition(s.result.document, s.result.analysis, doc.offsetAt(p.position)).map((span) => ({ uri: doc.uri, range: toRange(doc, span) }))));

  connection.onReferences((p) => withState(p.textDocument.uri, [] as Location[], (doc, s) =>
    findReferences(s.result.document, s.result.analysis, doc.offsetAt(p.position), p.context.includeDeclaration).map((span) => ({ uri: doc.uri, range: toRange(doc, span) }))));

  connection.onDocumentHighlight((p) => withState(p.textDocument.uri, [] as DocumentHighlight[], (doc, s) =>
    findHighlights(s.result.document, s.result.analysis, doc.offsetAt(p.position))
      .map((h) => ({ range: toRange(doc, h.span), kind: h.declaration ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }))));

  // The call hierarchy of chains: a call is a -j/-g to a user chain. An item carries its table's
  // position and the chain's name, and is looked up again in the document's current analysis.
  const chainItem = (doc: TextDocument, node: ChainNode): CallHierarchyItem => ({
    name: node.name, kind: SymbolKind.Function, detail: node.detail, uri: doc.uri,
    range: toRange(doc, node.span), selectionRange: toRange(doc, node.nameSpan), data: { table: node.tableIndex, chain: node.name },
  });
  const nodeOfItem = (s: DocumentState, item: CallHierarchyItem): ChainNode | undefined => {
    const data: unknown = item.data;
    if (typeof data !== 'object' || data === null) return undefined;
    const { table, chain } = data as { table?: unknown; chain?: unknown };
    return typeof table === 'number' && typeof chain === 'string' ? chainNodeNamed(s.result.analysis, table, chain) : undefined;
  };

  connection.languages.callHierarchy.onPrepare((p) => withState(p.textDocument.uri, null as CallHierarchyItem[] | null, (doc, s) => {
    const node = chainNodeAt(s.result.document, s.result.analysis, doc.offsetAt(p.position));
    return node ? [chainItem(doc, node)] : null;
  }));

  connection.languages.callHierarchy.onIncomingCalls((p) => withState(p.item.uri, [] as CallHierarchyIncomingCall[], (doc, s) => {
    const node = nodeOfItem(s, p.item);
    if (!node) return [];
    return callersOf(s.result.analysis, node).map((c) => ({ from: chainItem(doc, c.node), fromRanges: c.spans.map((span) => toRange(doc, span)) }));
  }));

  connection.languages.callHierarchy.onOutgoingCalls((p) => withState(p.item.uri, [] as CallHierarchyOutgoingCall[], (doc, s) => {
    const node = nodeOfItem(s, p.item);
    if (!node) return [];
    return calleesOf(s.result.analysis, node).map((c) => ({ to: chainItem(doc, c.node), fromRanges: c.spans.map((span) => toRange(doc, span)) }));
  }));

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

  // A script or XML that only bears a ruleset's name is no ruleset to tidy (it gets no diagnostics either).
  const formatting = (doc: TextDocument, s: DocumentState, options: FormattingOptions, range?: Range): TextEdit[] => {
    if (notARuleset(doc.getText()) !== undefined) return [];
    const span = range ? { start: doc.offsetAt(range.start), end: doc.offsetAt(range.end) } : undefined;
    return formatEdits(s.result.document, formatOptions(options), span).map((e) => ({ range: toRange(doc, e.span), newText: e.newText }));
  };

  connection.onDocumentFormatting((p) => withState(p.textDocument.uri, [] as TextEdit[], (doc, s) => formatting(doc, s, p.options)));

  connection.onDocumentRangeFormatting((p) => withState(p.textDocument.uri, [] as TextEdit[], (doc, s) => formatting(doc, s, p.options, p.range)));

  connection.onCodeAction((p) => withState(p.textDocument.uri, [] as CodeAction[], (doc, s) => {
    const start = doc.offsetAt(p.range.start);
    const end = doc.offsetAt(p.range.end);
    const actions: CodeAction[] = [];
    const toEdit = (fix: Fix): WorkspaceEdit => ({ changes: { [doc.uri]: fix.edits.map((e) => ({ range: toRange(doc, e.span), newText: e.newText })) } });
    const disabled = new Set<string>(); // "line id": one "disable" per rule and line
    const offered = new Set<string>(); // fixes already offered: their title and edits
    /** The one of `sent` (diagnostics of f's rule) whose rank among those on f's line (`line`) is f's rank among the findings there. */
    const sameRank = (sent: typeof p.context.diagnostics, f: Finding, line: number): (typeof sent)[number] | undefined => {
      const rank = s.result.findings.filter((g) => g.ruleId === f.ruleId && g.span.start < f.span.start && doc.positionAt(g.span.start).line === line).length;
      const onLine = sent.filter((d) => d.range.start.line === line).sort((a, b) => a.range.start.character - b.range.start.character);
      return onLine[rank] ?? onLine[0];
    };
    for (const f of s.result.findings) {
      if (f.span.end < start || f.span.start > end) continue;
      // The client's diagnostic for the finding: the same code at the same place, else the one of
      // the same rank among the line's diagnostics of that code (neovim 0.7 sends byte columns
      // back, which differ after a non-ASCII character).
      const line = doc.positionAt(f.span.start).line;
      const sameCode = p.context.diagnostics.filter((d) => d.code === f.ruleId);
      const diagnostic = sameCode.find((d) => doc.offsetAt(d.range.start) === f.span.start) ?? sameRank(sameCode, f, line);
      for (const fix of f.fixes ?? []) {
        // Two findings may offer the same edit (`-A FOO -j FOO`, FOO undeclared, twice "Declare chain
        // FOO"): once is enough, and applying both would declare the chain twice.
        const key = `${fix.title}\n${JSON.stringify(fix.edits)}`;
        if (offered.has(key)) continue;
        offered.add(key);
        actions.push({ title: fix.title, kind: fix.lineEndings ? LINE_ENDING_FIX_KIND : CodeActionKind.QuickFix, edit: toEdit(fix), ...(fix.preferred ? { isPreferred: true } : {}), ...(diagnostic ? { diagnostics: [diagnostic] } : {}) });
      }
      // An error means the real tools refuse the file: a comment would hide that from the editor and
      // from `kvmnet lint`, not make the file load. The menu offers "disable" for the rest only (the
      // comment still works when typed, for a finding the user knows better about).
      // Nor can a comment change a file's line ends.
      if (f.severity === 'error' || f.fixes?.some((fix) => fix.lineEndings)) continue;
      if (disabled.has(`${line} ${f.ruleId}`)) continue;
      disabled.add(`${line} ${f.ruleId}`);
      actions.push({
        title: `Disable ${f.ruleId} for this line`,
        kind: CodeActionKind.QuickFix,
        edit: { changes: { [doc.uri]: [disableEdit(doc, line, f.ruleId)] } },
        ...(diagnostic ? { diagnostics: [diagnostic] } : {}),
      });
    }
    // Only the kinds the client asked for (`context.only`), a kind covering its sub-kinds.
    const only = p.context.only;
    if (only && only.length > 0) return actions.filter((a) => a.kind !== undefined && only.some((k) => a.kind === k || a.kind?.startsWith(`${k}.`)));
    return actions;
  }));
}

/**
 * The edit that silences `id` on `line`: the id added to the directive on the line above when there
 * is one (a second directive line would take the first one's place above the rule), else a new
 * directive line. iptables-restore reads "#" as a comment only in column 0, so it goes at the line start.
 */
function disableEdit(doc: TextDocument, line: number, id: string): { range: Range; newText: string } {
  const above = line > 0 ? doc.getText({ start: { line: line - 1, character: 0 }, end: { line, character: 0 } }).replace(/\r?\n$/, '') : '';
  if (directiveIds(above) !== undefined) {
    const at = { line: line - 1, character: above.trimEnd().length };
    return { range: { start: at, end: at }, newText: ` ${id}` };
  }
  const lineStart = { line, character: 0 };
  return { range: { start: lineStart, end: lineStart }, newText: `# kvmnet-disable-next-line ${id}\n` };
}

/** The options of an LSP formatting request that kvmnet honours, each when the client sent it as a boolean. */
function formatOptions(options: FormattingOptions): FormatOptions {
  const flag = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);
  return { trimTrailingWhitespace: flag(options.trimTrailingWhitespace), insertFinalNewline: flag(options.insertFinalNewline), trimFinalNewlines: flag(options.trimFinalNewlines) };
}

/** A rename the service refuses: surfaced to the user as the request's error message. */
class RenameRefused extends Error {}
