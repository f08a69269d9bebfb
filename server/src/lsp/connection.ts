/**
 * Wires the LSP connection: document sync, settings, pushed diagnostics and the language features.
 * Handlers are adapters of a few lines around the pure services in iptables/.
 */
import {
  DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, MessageType, ShowMessageNotification, SymbolKind, TextDocumentSyncKind, TextDocuments, type Connection, type InitializeParams,
  type InitializeResult, type SymbolInformation,
} from 'vscode-languageserver';
import { basename, dirname } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS, overlaySettings, parseSettings, type LintSettings } from '../core/settings.js';
import { toDiagnostics } from './convert.js';
import { notARuleset } from '../workspace/discover.js';
import { DocumentCache, documentPath, isIptablesDocument } from './documents.js';
import { makeDocUrl } from './docsUrl.js';
import { VERSION } from '../core/version.js';
import { lintFamily } from '../iptables/lint.js';
import { lintStreamed } from '../iptables/streamed.js';
import { declaredChains, matchesQuery, type DeclaredChain } from '../iptables/chainIndex.js';
import { uriToPath, WORKSPACE_RULESET_GLOBS, WorkspaceLint } from './workspaceLint.js';
import { FAMILY_REQUEST, WORKSPACE_RULESETS_REQUEST, type FamilyAnswer, type WorkspaceRulesetsAnswer } from './protocol.js';
import { registerFeatures, type ClientSupport } from './features.js';
import { CONFIG_GLOB, ProjectSettings } from './projectConfig.js';

/** Chains listed for one workspace-symbol query at most (kube-proxy dumps declare tens of thousands). */
const MAX_WORKSPACE_SYMBOLS = 2000;

export function startServer(connection: Connection, bundleDir: string): void {
  const documents = new TextDocuments(TextDocument);
  let settings: LintSettings = DEFAULT_SETTINGS;
  /** The settings passed at initialize; later pulls and pushes lie over them. */
  let initial: LintSettings = DEFAULT_SETTINGS;
  let canPullConfiguration = false;
  /** What the client said it can take (set at initialize); the features read it on every request. */
  const client: ClientSupport = { snippets: false, markdown: true, completionMarkdown: true };
  const project = new ProjectSettings({
    send: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
    warn: (message) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message }),
  });
  /** A document's settings: its `.kvmnet.json`, with the editor's over it. */
  const settingsFor = (uri: string): LintSettings => project.settingsFor(uri, settings);
  const cache = new DocumentCache(settingsFor);
  const docUrl = makeDocUrl(bundleDir);
  const pending = new Map<string, NodeJS.Immediate>();

  /** `kvmnet.workspaceDiagnostics`: the rulesets of the workspace folders are linted from disk too. */
  let workspaceOn = true;
  let initialWorkspaceOn = true;
  let roots: string[] = [];
  let canWatchFiles = false;
  let hearsFolderChanges = false;
  const workspace = new WorkspaceLint({
    send: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
    openUri: (path) => documents.all().find((d) => uriToPath(d.uri) === path)?.uri,
    lint: (path, uri, text) => toDiagnostics(TextDocument.create(uri, 'iptables', 0, text), lintStreamed(text, { fileName: path, settings: settingsFor(uri) }), docUrl),
    log: (message) => connection.console.log(message),
  });

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
      workspaceOn = workspaceFlag(raw) ?? initialWorkspaceOn;
    } catch {
      settings = initial;
      workspaceOn = initialWorkspaceOn;
    }
  };

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    // LSP's defaults: no snippets unless the client says so; hover as markdown unless it lists formats without it.
    client.snippets = params.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
    client.markdown = takesMarkdown(params.capabilities.textDocument?.hover?.contentFormat);
    client.completionMarkdown = takesMarkdown(params.capabilities.textDocument?.completion?.completionItem?.documentationFormat);
    canWatchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    project.rereadAlways = !canWatchFiles;
    hearsFolderChanges = params.capabilities.workspace?.workspaceFolders === true;
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings) settings = initial = parseSettings(init.settings);
    workspaceOn = initialWorkspaceOn = workspaceFlag(init?.settings) ?? true;
    roots = workspaceRoots(params);
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
        workspaceSymbolProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'kvmnet-language-server', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    if (canWatchFiles) {
      const watchers = [...WORKSPACE_RULESET_GLOBS, CONFIG_GLOB].map((globPattern) => ({ globPattern }));
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }).catch(() => undefined);
    }
    if (hearsFolderChanges) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
        roots = [...roots.filter((r) => !removed.has(r)), ...e.added.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined)];
        workspace.configure(roots, workspaceOn);
      });
    }
    if (canPullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'kvmnet' }).catch(() => undefined);
      void refreshSettings().then(() => {
        cache.clear();
        documents.all().forEach(schedule);
        workspace.configure(roots, workspaceOn);
      });
    } else workspace.configure(roots, workspaceOn);
  });

  connection.onDidChangeConfiguration((change) => {
    const apply = (): void => {
      cache.clear();
      documents.all().forEach(schedule);
      workspace.configure(roots, workspaceOn);
      workspace.relintAll();
    };
    // A push that carries the kvmnet section is applied as it is, by any client; without one (some
    // clients push null to say "something changed") the server asks, if it can, and else keeps what is set.
    const raw = (change.settings as { kvmnet?: unknown } | null | undefined)?.kvmnet;
    if (typeof raw === 'object' && raw !== null) {
      settings = overlaySettings(initial, raw);
      workspaceOn = workspaceFlag(raw) ?? initialWorkspaceOn;
      apply();
    } else if (canPullConfiguration) void refreshSettings().then(apply);
  });

  documents.onDidOpen((e) => {
    workspace.opened(e.document.uri);
    schedule(e.document);
  });
  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidClose((e) => {
    cache.delete(e.document.uri);
    notRulesets.delete(e.document.uri);
    const prior = pending.get(e.document.uri);
    if (prior) clearImmediate(prior);
    pending.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    workspace.closed(e.document.uri);
  });
  connection.onDidChangeWatchedFiles((p) => {
    if (project.changed(p.changes)) {
      cache.clear();
      documents.all().forEach(schedule);
      workspace.relintAll();
    }
    workspace.changed(p.changes);
  });

  connection.onRequest(FAMILY_REQUEST, (p: { uri?: unknown }): FamilyAnswer | null => {
    const doc = typeof p?.uri === 'string' ? documents.get(p.uri) : undefined;
    // Read from the text itself: the request may come before the first lint, or after an edit made a script a ruleset.
    if (!doc || !isIptablesDocument(doc) || notARuleset(doc.getText()) !== undefined) return null;
    // As the lint decides it, with the options DocumentCache lints the document with.
    return lintFamily(doc.getText(), { fileName: documentPath(doc.uri), settings: settingsFor(doc.uri) });
  });

  // Go to Symbol in Workspace: the chains of the open rulesets and of those the workspace lint read from disk.
  connection.onWorkspaceSymbol((p): SymbolInformation[] => {
    const out: SymbolInformation[] = [];
    const add = (uri: string, chains: readonly DeclaredChain[]): void => {
      const path = uriToPath(uri) ?? uri;
      const file = `${basename(dirname(path))}/${basename(path)}`;
      for (const c of chains) {
        if (out.length === MAX_WORKSPACE_SYMBOLS) return;
        if (!matchesQuery(c.name, p.query)) continue;
        const range = { start: { line: c.line, character: c.start }, end: { line: c.line, character: c.end } };
        out.push({ name: c.name, kind: SymbolKind.Function, location: { uri, range }, containerName: `${c.table} · ${file}` });
      }
    };
    try {
      for (const doc of documents.all()) {
        if (isIptablesDocument(doc) && notARuleset(doc.getText()) === undefined) add(doc.uri, declaredChains(doc.getText()));
      }
      for (const file of workspace.chainsOnDisk()) add(file.uri, file.chains);
    } catch (err) {
      connection.console.error(`kvmnet: workspace symbols failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
    return out;
  });

  connection.onRequest(WORKSPACE_RULESETS_REQUEST, async (): Promise<WorkspaceRulesetsAnswer> => ({ paths: await workspace.rulesets() }));

  registerFeatures(connection, documents, cache, client);
  documents.listen(connection);
  connection.listen();
}

/** `workspaceDiagnostics` of a settings object, when it sets it. */
function workspaceFlag(raw: unknown): boolean | undefined {
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['workspaceDiagnostics'] : undefined;
  return typeof value === 'boolean' ? value : undefined;
}

/** The workspace folders the client named (as paths), else its root. */
function workspaceRoots(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  const paths = uris.map(uriToPath).filter((p): p is string => p !== undefined);
  if (paths.length === 0 && typeof params.rootPath === 'string' && params.rootPath !== '') paths.push(params.rootPath);
  return paths;
}

/** A client's list of markup formats allows markdown: it names it, or names none. */
function takesMarkdown(formats: readonly string[] | undefined): boolean {
  return formats === undefined || formats.length === 0 || formats.includes('markdown');
}
