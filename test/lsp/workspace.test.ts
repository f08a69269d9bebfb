/**
 * Diagnostics for the rulesets of the workspace that are not open, over real LSP JSON-RPC: a
 * spawned `node dist/server.js --stdio` with a workspace folder on disk. The real tools confirm
 * that the broken ruleset is refused and the others load.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, DidChangeWorkspaceFoldersNotification, DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification, ExitNotification, FileChangeType, InitializedNotification, InitializeRequest, PublishDiagnosticsNotification,
  RegistrationRequest, ShowMessageNotification, ShutdownRequest, SymbolKind, WorkspaceSymbolRequest, type PublishDiagnosticsParams, type Registration, type ShowMessageParams,
  type SymbolInformation,
} from 'vscode-languageserver-protocol';
import { realToolAccepts } from '../helpers/realTools.js';
import { ensureBuilt, ROOT, SERVER } from '../helpers/serverBundle.js';
import { WORKSPACE_RULESETS_REQUEST, type WorkspaceRulesetsAnswer } from '../../server/src/lsp/protocol.js';

/** A jump to a chain declared nowhere: iptables-restore refuses the file. */
const BROKEN = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n-A FORWARD -o virbr0 -j LIBVIRT_FWZ\nCOMMIT\n';
const FIXED = BROKEN.replace('LIBVIRT_FWZ', 'ACCEPT');
const V6 = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p ipv6-icmp -j ACCEPT\n-A INPUT -s fd00::/64 -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';
/** A port out of range: refused. */
const NEW_BROKEN = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 99999 -j ACCEPT\nCOMMIT\n';

describe('workspace diagnostics over LSP JSON-RPC', { timeout: 60_000 }, () => {
  let child: ChildProcessWithoutNullStreams;
  let conn: MessageConnection;
  let root: string;
  let other: string;
  const published: PublishDiagnosticsParams[] = [];
  const waiters: Array<{ uri: string; test: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }> = [];
  const registrations: Registration[] = [];
  const shown: ShowMessageParams[] = [];

  const uriOf = (path: string): string => pathToFileURL(path).href;
  /** The next publication for `uri` that passes `test` (no timers: the suite's timeout bounds it). */
  const next = (uri: string, test: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> =>
    new Promise((resolve) => waiters.push({ uri, test, resolve }));
  const last = (uri: string): PublishDiagnosticsParams | undefined => published.filter((p) => p.uri === uri).at(-1);
  const rulesets = async (): Promise<string[]> => [...(await conn.sendRequest<WorkspaceRulesetsAnswer>(WORKSPACE_RULESETS_REQUEST)).paths];

  before(async () => {
    ensureBuilt();
    root = mkdtempSync(join(tmpdir(), 'kvmnet-lsp-ws-'));
    other = mkdtempSync(join(tmpdir(), 'kvmnet-lsp-ws2-'));
    const files: Record<string, string> = {
      'etc/iptables/rules.v4': BROKEN,
      'etc/iptables/rules.v6': V6,
      'etc/network/if-pre-up.d/iptables': '#!/bin/sh\n/sbin/iptables-restore < /etc/iptables/rules.v4\n',
      'node_modules/x/rules.v4': BROKEN,
      'notes.txt': BROKEN,
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    writeFileSync(join(other, 'host.iptables'), NEW_BROKEN);
    child = spawn(process.execPath, [SERVER, '--stdio'], { cwd: ROOT, stdio: 'pipe' });
    conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      published.push(p);
      for (let i = waiters.length - 1; i >= 0; i--) {
        const w = waiters[i];
        if (w && w.uri === p.uri && w.test(p)) {
          waiters.splice(i, 1);
          w.resolve(p);
        }
      }
    });
    conn.onNotification(ShowMessageNotification.type, (p) => shown.push(p));
    conn.onRequest(RegistrationRequest.type, (p) => {
      registrations.push(...p.registrations);
    });
    conn.listen();
    await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uriOf(root),
      workspaceFolders: [{ uri: uriOf(root), name: 'host' }],
      capabilities: {
        workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
        textDocument: { publishDiagnostics: { versionSupport: true } },
      },
    });
    await conn.sendNotification(InitializedNotification.type, {});
  });

  after(async () => {
    if (conn) {
      await conn.sendRequest(ShutdownRequest.type);
      await conn.sendNotification(ExitNotification.type);
      conn.dispose();
    }
    if (child && child.exitCode === null) child.kill();
    for (const dir of [root, other]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the real tools refuse the broken rulesets and load the others', () => {
    assert.equal(realToolAccepts(BROKEN).accepted, false);
    assert.equal(realToolAccepts(NEW_BROKEN).accepted, false);
    assert.equal(realToolAccepts(FIXED).accepted, true, realToolAccepts(FIXED).message);
    assert.equal(realToolAccepts(V6, 'ipv6').accepted, true, realToolAccepts(V6, 'ipv6').message);
  });

  test('the unopened broken ruleset gets its diagnostic; the clean one, the script, node_modules and other names get none', async () => {
    assert.deepEqual(await rulesets(), [join(root, 'etc/iptables/rules.v4'), join(root, 'etc/iptables/rules.v6'), join(root, 'etc/network/if-pre-up.d/iptables')]);
    const v4 = last(uriOf(join(root, 'etc/iptables/rules.v4')));
    assert.ok(v4, 'diagnostics were published for rules.v4');
    assert.equal(v4.version, undefined, 'a file from disk has no version');
    assert.deepEqual(v4.diagnostics.map((d) => [d.code, d.severity, d.range.start.line, d.source]), [['undefined-chain', 1, 3, 'kvmnet']]);
    assert.match(v4.diagnostics[0]?.message ?? '', /LIBVIRT_FWZ/);
    const others = published.filter((p) => p.uri !== v4.uri);
    assert.deepEqual(others.map((p) => p.uri), [], 'nothing else was published');
  });

  test('the server watches the ruleset names', () => {
    const watch = registrations.find((r) => r.method === DidChangeWatchedFilesNotification.method);
    assert.ok(watch, `registrations: ${registrations.map((r) => r.method).join(', ')}`);
    const globs = (watch.registerOptions as { watchers: Array<{ globPattern: string }> }).watchers.map((w) => w.globPattern);
    assert.ok(globs.some((g) => g.includes('rules.v4')) && globs.some((g) => g.includes('*.{iptables')), globs.join(' '));
    assert.ok(globs.includes('**/.kvmnet.json'), globs.join(' '));
  });

  test('Go to Symbol in Workspace lists the chains of the rulesets on disk and of the open ones', async () => {
    const open = uriOf(join(root, 'scratch.iptables'));
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: open, languageId: 'iptables', version: 1, text: '*filter\n:FORWARD ACCEPT [0:0]\n:LIBVIRT_FWX - [0:0]\nCOMMIT\n' } });
    const found = (await conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'forw' })) as SymbolInformation[];
    const seen = found.map((s) => [s.name, s.containerName, s.location.uri.slice(uriOf(root).length), s.location.range.start.line, s.location.range.start.character, s.location.range.end.character]);
    assert.deepEqual(seen.sort(), [
      ['FORWARD', 'filter · iptables/rules.v4', '/etc/iptables/rules.v4', 2, 1, 8],
      ['FORWARD', `filter · ${root.split('/').at(-1)}/scratch.iptables`, '/scratch.iptables', 1, 1, 8],
    ].sort());
    assert.ok(found.every((s) => s.kind === SymbolKind.Function));
    const libvirt = (await conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'LIBVIRT_FWX' })) as SymbolInformation[];
    assert.deepEqual(libvirt.map((s) => s.location.uri), [open]);
    await conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: open } });
    // scratch.iptables never existed on disk: closed, it is gone from the list.
    assert.deepEqual((await conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'LIBVIRT_FWX' })), []);
  });

  test('a file fixed on disk is cleared when the watcher reports it', async () => {
    const path = join(root, 'etc/iptables/rules.v4');
    writeFileSync(path, FIXED);
    const cleared = next(uriOf(path));
    await conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(path), type: FileChangeType.Changed }] });
    assert.deepEqual((await cleared).diagnostics, []);
  });

  test('open, the editor\'s text counts; closed, the file on disk counts again', async () => {
    const path = join(root, 'etc/iptables/rules.v4');
    const uri = uriOf(path);
    writeFileSync(path, BROKEN);
    const fromDisk = next(uri, (p) => p.diagnostics.length === 1);
    await conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri, type: FileChangeType.Changed }] });
    await fromDisk;
    const opened = next(uri, (p) => p.version === 1);
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'iptables', version: 1, text: FIXED } });
    assert.deepEqual((await opened).diagnostics, []);
    // Changes on disk while the file is open do not replace the editor's diagnostics.
    await conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri, type: FileChangeType.Changed }] });
    await rulesets();
    assert.deepEqual(last(uri)?.diagnostics, []);
    const closed = next(uri, (p) => p.diagnostics.length === 1);
    await conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    assert.equal((await closed).diagnostics[0]?.code, 'undefined-chain');
  });

  test('a new ruleset is linted, a deleted one cleared, a new workspace folder searched', async () => {
    const added = join(root, 'srv', 'fw.iptables');
    mkdirSync(dirname(added), { recursive: true });
    writeFileSync(added, NEW_BROKEN);
    const found = next(uriOf(added));
    await conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(added), type: FileChangeType.Created }] });
    assert.deepEqual((await found).diagnostics.map((d) => d.code), ['bad-value']);
    rmSync(added);
    const gone = next(uriOf(added));
    await conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(added), type: FileChangeType.Deleted }] });
    assert.deepEqual((await gone).diagnostics, []);

    const host = uriOf(join(other, 'host.iptables'));
    const inOther = next(host);
    await conn.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [{ uri: uriOf(other), name: 'other' }], removed: [] } });
    assert.deepEqual((await inOther).diagnostics.map((d) => d.code), ['bad-value']);
    assert.ok((await rulesets()).includes(join(other, 'host.iptables')));
  });

  test('kvmnet.workspaceDiagnostics false clears them; true brings them back', async () => {
    const uri = uriOf(join(root, 'etc/iptables/rules.v4'));
    const cleared = next(uri, (p) => p.diagnostics.length === 0);
    await conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { kvmnet: { workspaceDiagnostics: false } } });
    await cleared;
    assert.deepEqual(await rulesets(), []);
    const back = next(uri, (p) => p.diagnostics.length === 1);
    await conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { kvmnet: { workspaceDiagnostics: true, rules: { 'undefined-chain': 'warning' } } } });
    assert.equal((await back).diagnostics[0]?.severity, 2, 'the rule settings apply to files from disk too');
  });

  test('a .kvmnet.json applies to the rulesets in its folder and below; the editor\'s rule settings lie over it', async () => {
    // Still set by the test above: the editor makes undefined-chain a warning.
    const config = join(root, 'etc', '.kvmnet.json');
    const v4 = uriOf(join(root, 'etc/iptables/rules.v4'));
    const below = uriOf(join(root, 'etc/iptables/typed.iptables'));
    const beside = uriOf(join(root, 'typed.iptables'));
    writeFileSync(config, '// this host\n{ "rules": { "noncanonical-cidr": "error", "undefined-chain": "off" } }\n');
    const relinted = next(v4);
    await conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(config), type: FileChangeType.Created }] });
    assert.deepEqual((await relinted).diagnostics.map((d) => [d.code, d.severity]), [['undefined-chain', 2]], 'the editor\'s setting wins over the file\'s');

    const cidr = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 192.168.122.1/24 -j ACCEPT\nCOMMIT\n';
    assert.equal(realToolAccepts(cidr).accepted, true, 'the real tools load it: an error here is the project\'s own choice');
    for (const [uri, severity] of [[below, 1], [beside, 2]] as const) {
      const linted = next(uri, (p) => p.version === 1);
      await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'iptables', version: 1, text: cidr } });
      assert.deepEqual((await linted).diagnostics.map((d) => [d.code, d.severity]), [['noncanonical-cidr', severity]], uri);
      await conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    }

    const off = next(v4, (p) => p.diagnostics.length === 0);
    await conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { kvmnet: { workspaceDiagnostics: true, rules: {} } } });
    await off;
    assert.deepEqual(shown, [], 'a good config says nothing');
  });

  test('a config\'s mistakes are marked in it and said once, the rest applies; fixed, the marks go; deleted, it no longer applies', async () => {
    const config = join(root, 'etc', '.kvmnet.json');
    const v4 = uriOf(join(root, 'etc/iptables/rules.v4'));
    writeFileSync(config, '{\n  "rules": { "undefined-chain": "warn", "unused_chain": "off" },\n  "iptables": { "family": "ipv4" }\n}\n');
    const marked = next(uriOf(config));
    const relinted = next(v4);
    await conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(config), type: FileChangeType.Changed }] });
    const marks = (await marked).diagnostics;
    assert.deepEqual(marks.map((d) => [d.range.start.line, d.range.start.character, d.severity, d.source]), [[1, 32, 2, 'kvmnet'], [1, 40, 2, 'kvmnet']]);
    assert.match(marks[0]?.message ?? '', /severity of "undefined-chain" is one of off, hint, info, warning, error, not "warn"/);
    assert.match(marks[1]?.message ?? '', /unknown rule id "unused_chain"; did you mean "unused-chain"\?/);
    assert.deepEqual((await relinted).diagnostics.map((d) => [d.code, d.severity]), [['undefined-chain', 1]], 'the bad severity is ignored, the default holds');
    assert.equal(shown.length, 1);
    assert.match(shown[0]?.message ?? '', /\.kvmnet\.json has 2 problem\(s\)/);

    writeFileSync(config, '{ "rules": { "undefined-chain": "warning" } }\n');
    const unmarked = next(uriOf(config));
    const warning = next(v4, (p) => p.diagnostics[0]?.severity === 2);
    await conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(config), type: FileChangeType.Changed }] });
    assert.deepEqual((await unmarked).diagnostics, []);
    await warning;

    rmSync(config);
    const error = next(v4, (p) => p.diagnostics[0]?.severity === 1);
    await conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(config), type: FileChangeType.Deleted }] });
    await error;
    assert.equal(shown.length, 1, 'said once');
  });
});
