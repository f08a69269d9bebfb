/**
 * Wires the LSP connection: document sync, settings, pushed diagnostics and the language features.
 * Handlers are adapters of a few lines around the pure services in iptables/.
 */
import {
  DidChangeConfigurationNotification, TextDocumentSyncKind, TextDocuments, type Connection, type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS, overlaySettings, parseSettings, type LintSettings } from '../core/settings.js';
import { toDiagnostics } from './convert.js';
import { notARuleset } from '../workspace/discover.js';
import { DocumentCache, documentPath, isIptablesDocument } from './documents.js';
import { makeDocUrl } from './docsUrl.js';
import { VERSION } from '../core/version.js';
import { lintFamily } from '../iptables/lint.js';
import { FAMILY_REQUEST, type FamilyAnswer } from './protocol.js';
import { registerFeatures, type ClientSupport } from './features.js';

export function startServer(connection: Connection, bundleDir: string): void {
  const documents = new TextDocuments(TextDocument);
  let settings: LintSettings = DEFAULT_SETTINGS;
  /** The settings passed at initialize; later pulls and pushes lie over them. */
  let initial: LintSettings = DEFAULT_SETTINGS;
  let canPullConfiguration = false;
  /** What the client said it can take (set at initialize); the features read it on every request. */
  const client: ClientSupport = { snippets: false, markdown: true, completionMarkdown: true };
  const cache = new DocumentCache(() => settings);
  const docUrl = makeDocUrl(bundleDir);
  const pending = new Map<string, NodeJS.Immediate>();

  /** Documents of the language that are no rulesets, logged once each. */
  const notRulesets = new Set<string>();
  const publish = (doc: TextDocument): void => {
    try {
      if (!isIptablesDocument(doc)) return;
      // A script or XML that only bears a ruleset's name (Debian's if-pre-up.d/iptables): no
      // diagnostics, rather than one "rule outside a table" per line; the log says why.
      const other = notARuleset(doc.getText());
      if (other) {
        if (!notRulesets.has(doc.uri)) connection.console.log(`kvmnet: ${doc.uri} is not an iptables ruleset (${other}); no diagnostics`);
        notRulesets.add(doc.uri);
        void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: [] });
        return;
      }
      notRulesets.delete(doc.uri);
      const state = cache.get(doc);
      void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: toDiagnostics(doc, state.result.findings, docUrl) });
    } catch (err) {
      connection.console.error(`kvmnet: cannot lint ${doc.uri}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
  };

  /**
   * Coalesces bursts of changes: only the latest version of a document is linted. The connection
   * handles one message per turn of the event loop, so changes that queued up while the server was
   * busy (typing into a large file during its last lint) come one turn apart; the lint waits for a
   * turn without a new change, else it would run once per queued change.
   */
  const schedule = (doc: TextDocument): void => {
    const prior = pending.get(doc.uri);
    if (prior) clearImmediate(prior);
    pending.set(doc.uri, setImmediate(() => {
      pending.set(doc.uri, setImmediate(() => {
        pending.delete(doc.uri);
        const latest = documents.get(doc.uri);
        if (latest) publish(latest);
      }));
    }));
  };

  /** Pulled settings lie over those of initialize (`initializationOptions.settings`); see overlaySettings. */
  const refreshSettings = async (): Promise<void> => {
    if (!canPullConfiguration) return;
    try {
      const raw: unknown = await connection.workspace.getConfiguration('kvmnet');
      settings = overlaySettings(initial, raw);
    } catch {
      settings = initial;
    }
  };

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    // LSP's defaults: no snippets unless the client says so; hover as markdown unless it lists formats without it.
    client.snippets = params.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
    client.markdown = takesMarkdown(params.capabilities.textDocument?.hover?.contentFormat);
    client.completionMarkdown = takesMarkdown(params.capabilities.textDocument?.completion?.completionItem?.documentationFormat);
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings) settings = initial = parseSettings(init.settings);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['-', ' ', '*', ':', ','] },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        callHierarchyProvider: true,
        renameProvider: { prepareProvider: true },
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
      },
      serverInfo: { name: 'kvmnet-language-server', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    if (canPullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'kvmnet' }).catch(() => undefined);
      void refreshSettings().then(() => {
        cache.clear();
        documents.all().forEach(schedule);
      });
    }
  });

  connection.onDidChangeConfiguration((change) => {
    const apply = (): void => {
      cache.clear();
      documents.all().forEach(schedule);
    };
    // A push that carries the kvmnet section is applied as it is, by any client; without one (some
    // clients push null to say "something changed") the server asks, if it can, and else keeps what is set.
    const raw = (change.settings as { kvmnet?: unknown } | null | undefined)?.kvmnet;
    if (typeof raw === 'object' && raw !== null) {
      settings = overlaySettings(initial, raw);
      apply();
    } else if (canPullConfiguration) void refreshSettings().then(apply);
  });

  documents.onDidOpen((e) => schedule(e.document));
  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidClose((e) => {
    cache.delete(e.document.uri);
    notRulesets.delete(e.document.uri);
    const prior = pending.get(e.document.uri);
    if (prior) clearImmediate(prior);
    pending.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onRequest(FAMILY_REQUEST, (p: { uri?: unknown }): FamilyAnswer | null => {
    const doc = typeof p?.uri === 'string' ? documents.get(p.uri) : undefined;
    // Read from the text itself: the request may come before the first lint, or after an edit made a script a ruleset.
    if (!doc || !isIptablesDocument(doc) || notARuleset(doc.getText()) !== undefined) return null;
    // As the lint decides it, with the options DocumentCache lints the document with.
    return lintFamily(doc.getText(), { fileName: documentPath(doc.uri), settings });
  });

  registerFeatures(connection, documents, cache, client);
  documents.listen(connection);
  connection.listen();
}

/** A client's list of markup formats allows markdown: it names it, or names none. */
function takesMarkdown(formats: readonly string[] | undefined): boolean {
  return formats === undefined || formats.length === 0 || formats.includes('markdown');
}
