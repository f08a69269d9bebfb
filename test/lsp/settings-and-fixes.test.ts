/**
 * Settings and quick fixes over real LSP JSON-RPC: the server pulls the `kvmnet` section
 * (workspace/configuration), applies `kvmnet.rules` overrides, re-lints when told the settings
 * changed, and offers code actions whose edits give a ruleset the real tools accept.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  CodeActionRequest, ConfigurationRequest, DidChangeConfigurationNotification, DidOpenTextDocumentNotification, InitializedNotification,
  InitializeRequest, PublishDiagnosticsNotification, RegistrationRequest,
  type CodeAction, type Diagnostic, type PublishDiagnosticsParams, type TextEdit,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { realToolAccepts, realToolsAvailable } from '../helpers/realTools.js';
import { LINE_ENDING_FIX_KIND } from '../../server/src/core/finding.js';

const ROOT = resolve(__dirname, '..', '..');
const SERVER = join(ROOT, 'dist', 'server.js');

const RULESET = '*filter\n:INPUT DROP [0:0]\n-A INPUT -s 192.168.122.1/24 -j ACCEPT\n-A INPUT -i virbr0 -j LIBVIRT_INP\nCOMMIT\n';

describe('settings and quick fixes over LSP', { timeout: 60_000 }, () => {
  let child: ChildProcessWithoutNullStreams;
  let conn: MessageConnection;
  let settings: unknown = { rules: {} };
  const published: PublishDiagnosticsParams[] = [];
  let waiter: ((p: PublishDiagnosticsParams) => void) | undefined;
  const next = (): Promise<PublishDiagnosticsParams> => new Promise((res) => (waiter = res));
  /** The first publish that satisfies `ok` (earlier ones, e.g. a re-lint for the initial settings, are skipped); the test timeout bounds it. */
  const until = async (ok: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> => {
    for (;;) {
      const p = await next();
      if (ok(p)) return p;
    }
  };

  before(async () => {
    assert.ok(existsSync(SERVER), 'dist/server.js is missing: run npm run build');
    child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
    conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    conn.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.section === 'kvmnet' ? settings : null)));
    conn.onRequest(RegistrationRequest.type, () => undefined);
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      published.push(p);
      const w = waiter;
      waiter = undefined;
      w?.(p);
    });
    conn.listen();
    await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: pathToFileURL(ROOT).href, workspaceFolders: null,
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } } } },
    });
    await conn.sendNotification(InitializedNotification.type, {});
  });
  after(() => child.kill());

  const uri = pathToFileURL(join(ROOT, 'test', 'lsp', 'virtual', 'rules.v4')).href;
  /** Opens a document under test/lsp/virtual/; resolves with its URI and its first diagnostics. */
  const openVirtual = async (name: string, text: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> => {
    const docUri = pathToFileURL(join(ROOT, 'test', 'lsp', 'virtual', name)).href;
    const published = until((p) => p.uri === docUri);
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: docUri, languageId: 'iptables', version: 1, text } });
    return { uri: docUri, diagnostics: (await published).diagnostics };
  };
  /** A diagnostic as neovim 0.7 sends it back: byte columns, `extra` more than UTF-16 after non-ASCII text. */
  const inBytes = (d: Diagnostic, extra: number): Diagnostic => ({
    ...d, range: { start: { ...d.range.start, character: d.range.start.character + extra }, end: { ...d.range.end, character: d.range.end.character + extra } },
  });

  test('default settings: an error and a warning', async () => {
    const diagnostics = next();
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'iptables', version: 1, text: RULESET } });
    const p = await diagnostics;
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.severity]).sort(), [['noncanonical-cidr', 2], ['undefined-chain', 1]]);
  });

  test('kvmnet.rules turns a rule off and re-levels another after a settings change', async () => {
    settings = { rules: { 'noncanonical-cidr': 'off', 'undefined-chain': 'warning' } };
    const diagnostics = until((p) => p.diagnostics.length === 1);
    await conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const p = await diagnostics;
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.severity]), [['undefined-chain', 2]]);
    settings = { rules: {} };
    const back = until((q) => q.diagnostics.length === 2);
    await conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    assert.deepEqual((await back).diagnostics.map((d) => [d.code, d.severity]).sort(), [['noncanonical-cidr', 2], ['undefined-chain', 1]]);
  });

  test('quick fixes: declare the chain and mask the CIDR; the fixed ruleset loads in the real tools', async (t) => {
    const current = published[published.length - 1] as PublishDiagnosticsParams;
    const doc = TextDocument.create(uri, 'iptables', 1, RULESET);
    const edits: TextEdit[] = [];
    for (const d of current.diagnostics) {
      const actions = (await conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
      // An error (the real tools refuse the file) is not offered for suppression; a warning is.
      assert.equal(actions.some((a) => a.title === `Disable ${String(d.code)} for this line`), d.severity !== 1, `suppression offered for ${String(d.code)}`);
      const preferred = actions.find((a) => a.isPreferred);
      assert.ok(preferred, `a preferred fix for ${String(d.code)}`);
      edits.push(...(preferred.edit?.changes?.[uri] ?? []));
    }
    const fixed = TextDocument.applyEdits(doc, edits);
    assert.equal(fixed, '*filter\n:INPUT DROP [0:0]\n:LIBVIRT_INP - [0:0]\n-A INPUT -s 192.168.122.0/24 -j ACCEPT\n-A INPUT -i virbr0 -j LIBVIRT_INP\nCOMMIT\n');
    if (!realToolsAvailable()) {
      t.skip('the real iptables tools cannot run here (needs root and the iptables package)');
      return;
    }
    assert.equal(realToolAccepts(RULESET).accepted, false, 'the original is refused');
    assert.equal(realToolAccepts(fixed).accepted, true, 'the fixed ruleset is accepted');
  });

  test('code actions: the diagnostic is matched on its line when the client sends other columns; only the kinds asked for', async () => {
    const text = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m comment --comment "Zugang für Gäste" -j ACCPET\nCOMMIT\n';
    const { uri: textUri, diagnostics } = await openVirtual('umlaut.v4', text);
    const d = diagnostics.find((x) => x.code === 'unknown-module');
    assert.ok(d, 'the diagnostic on ACCPET');
    // neovim 0.7 counts bytes: "ü" and "ä" are two each, so its columns are 2 more.
    const sent = inBytes(d, 2);
    const actions = (await conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: textUri }, range: d.range, context: { diagnostics: [sent] } })) as CodeAction[];
    const fix = actions.find((a) => a.title.includes('ACCEPT'));
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    assert.deepEqual(fix.diagnostics, [sent], 'the fix names the diagnostic it fixes');
    const source = (await conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: textUri }, range: d.range, context: { diagnostics: [d], only: ['source'] } })) as CodeAction[];
    assert.deepEqual(source, []);
    const quick = (await conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: textUri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } })) as CodeAction[];
    assert.equal(quick.length, actions.length);
  });

  test('code actions: two findings of one rule on a line keep their own diagnostics; "disable" joins an existing directive, once per rule', async () => {
    const text = '*filter\n:INPUT ACCEPT [0:0]\n# kvmnet-disable-next-line unused-chain\n-A INPUT -m comment --comment "für Gäste" -s 10.1.2.3/8 -d 172.16.5.5/12 -j ACCEPT\nCOMMIT\n';
    const { uri: textUri, diagnostics } = await openVirtual('two.v4', text);
    const found = diagnostics.filter((d) => d.code === 'noncanonical-cidr');
    assert.equal(found.length, 2);
    // As neovim 0.7 sends them back: byte columns, two more after "ü" and "ä".
    const sent = found.map((d) => inBytes(d, 2));
    const whole = { start: { line: 3, character: 0 }, end: { line: 3, character: 200 } };
    const actions = (await conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: textUri }, range: whole, context: { diagnostics: sent } })) as CodeAction[];
    const fixes = actions.filter((a) => a.title.startsWith('Change to'));
    assert.equal(fixes.length, 4, fixes.map((a) => a.title).join(' | '));
    // Each fix names the diagnostic of its own address (-s 10.x first, -d 172.x second).
    for (const fix of fixes) assert.deepEqual(fix.diagnostics, [fix.title.includes('10.') ? sent[0] : sent[1]], fix.title);
    const disable = actions.filter((a) => a.title === 'Disable noncanonical-cidr for this line');
    assert.equal(disable.length, 1, 'one "disable" for the rule on this line');
    const after = TextDocument.applyEdits(TextDocument.create(textUri, 'iptables', 1, text), disable[0]?.edit?.changes?.[textUri] ?? []);
    assert.equal(after.split('\n')[2], '# kvmnet-disable-next-line unused-chain noncanonical-cidr');
    assert.equal(after.split('\n').length, text.split('\n').length, 'no second directive line');
  });

  test('code actions: a fix two findings offer alike is offered once', async () => {
    // FOO is undeclared, as the chain of -A and as the target: two findings, the same fix.
    const text = '*filter\n-A FOO -j FOO\nCOMMIT\n';
    const { uri: textUri, diagnostics } = await openVirtual('same-fix.v4', text);
    const found = diagnostics.filter((d) => d.code === 'undefined-chain');
    assert.equal(found.length, 2);
    const whole = { start: { line: 1, character: 0 }, end: { line: 1, character: 13 } };
    const actions = (await conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: textUri }, range: whole, context: { diagnostics: found } })) as CodeAction[];
    const declare = actions.filter((a) => a.title === 'Declare chain FOO in table filter');
    assert.equal(declare.length, 1, actions.map((a) => a.title).join(' | '));
    const after = TextDocument.applyEdits(TextDocument.create(textUri, 'iptables', 1, text), declare[0]?.edit?.changes?.[textUri] ?? []);
    assert.equal(after, '*filter\n:FOO - [0:0]\n-A FOO -j FOO\nCOMMIT\n');
  });

  test('CRLF: the diagnostic covers a word, and the fix (its own kind, for the VS Code client) gives LF line ends that load', async (t) => {
    const lf = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    const { uri: crlfUri, diagnostics } = await openVirtual('crlf.v4', crlf);
    const d = diagnostics.find((x) => /CRLF/.test(x.message));
    assert.ok(d, 'the CRLF diagnostic');
    assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 7 } }, 'on "*filter", not an empty range at the line end');
    const actions = (await conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: crlfUri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
    const fix = actions.find((a) => a.title === 'Convert to LF line endings');
    assert.equal(fix?.kind, LINE_ENDING_FIX_KIND);
    assert.deepEqual(actions.filter((a) => a.title.startsWith('Disable')).map((a) => a.title), [], 'a comment cannot make the file load: no "disable" for CRLF');
    assert.match(d.message, /fileformat=unix/, 'the way out for editors that hide the \\r (vim)');
    const fixed = TextDocument.applyEdits(TextDocument.create(crlfUri, 'iptables', 1, crlf), fix?.edit?.changes?.[crlfUri] ?? []);
    assert.equal(fixed, lf);
    if (!realToolsAvailable()) {
      t.skip('the real iptables tools cannot run here (needs root and the iptables package)');
      return;
    }
    assert.equal(realToolAccepts(crlf).accepted, false, 'the CRLF file is refused');
    assert.equal(realToolAccepts(fixed).accepted, true, 'the fixed file is accepted');
  });
});

/**
 * Settings a client passes at initialize (`initializationOptions.settings`: what neovim users set with
 * `init_options`) stay in force under what it pulls or pushes later, which lies over them.
 */
describe('settings from initialize, under later pulls and pushes', { timeout: 60_000 }, () => {
  interface Session {
    readonly conn: MessageConnection;
    readonly child: ChildProcessWithoutNullStreams;
    /** Resolves with the first publish for `version` that satisfies `ok`. */
    readonly until: (ok: (p: PublishDiagnosticsParams) => boolean) => Promise<PublishDiagnosticsParams>;
  }
  const sessions: Session[] = [];
  after(() => sessions.forEach((s) => s.child.kill()));

  /** `pulled`: the client supports workspace/configuration and answers with this; undefined: it does not. */
  const start = async (init: unknown, pulled?: { value: unknown }): Promise<Session> => {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
    const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    if (pulled) conn.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => pulled.value));
    conn.onRequest(RegistrationRequest.type, () => undefined);
    const waiting: Array<{ ok: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }> = [];
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      for (let i = waiting.length - 1; i >= 0; i--) {
        const w = waiting[i];
        if (w?.ok(p)) {
          waiting.splice(i, 1);
          w.resolve(p);
        }
      }
    });
    conn.listen();
    await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: null, workspaceFolders: null, initializationOptions: { settings: init },
      capabilities: pulled ? { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } } : {},
    });
    await conn.sendNotification(InitializedNotification.type, {});
    const session: Session = { conn, child, until: (ok) => new Promise((resolve) => waiting.push({ ok, resolve })) };
    sessions.push(session);
    return session;
  };
  const codes = (p: PublishDiagnosticsParams): string[] => p.diagnostics.map((d) => `${String(d.code)}:${d.severity}`).sort();
  const open = async (s: Session, version = 1): Promise<void> => {
    await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: pathToFileURL(join(ROOT, 'test', 'lsp', 'virtual', `init-${version}.v4`)).href, languageId: 'iptables', version: 1, text: RULESET } });
  };

  test('a client that answers the pull with null (nothing configured) keeps the settings of initialize', async () => {
    const s = await start({ rules: { 'noncanonical-cidr': 'off' } }, { value: null });
    const first = s.until(() => true);
    await open(s);
    assert.deepEqual(codes(await first), ['undefined-chain:1']);
    // The re-lint after the pull (the server pulls once initialized) says the same.
    const again = s.until(() => true);
    await s.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    assert.deepEqual(codes(await again), ['undefined-chain:1']);
  });

  test('a pulled value replaces the initial one rule by rule', async () => {
    const s = await start({ rules: { 'noncanonical-cidr': 'off', 'undefined-chain': 'warning' } }, { value: { rules: { 'undefined-chain': 'info' } } });
    await open(s);
    assert.deepEqual(codes(await s.until((p) => p.diagnostics.some((d) => d.severity === 3))), ['undefined-chain:3']);
  });

  test('a client that can be asked still has a pushed kvmnet section applied', async () => {
    const s = await start({}, { value: null });
    const first = s.until(() => true);
    await open(s);
    assert.deepEqual(codes(await first), ['noncanonical-cidr:2', 'undefined-chain:1']);
    const pushed = s.until((p) => p.diagnostics.length === 1);
    await s.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { kvmnet: { rules: { 'noncanonical-cidr': 'off' } } } });
    assert.deepEqual(codes(await pushed), ['undefined-chain:1']);
  });

  test('kvmnet/family says when the family comes from the settings', async () => {
    const s = await start({ iptables: { family: 'ipv6' } });
    const first = s.until(() => true);
    await open(s);
    await first;
    const uri = pathToFileURL(join(ROOT, 'test', 'lsp', 'virtual', 'init-1.v4')).href;
    assert.deepEqual(await s.conn.sendRequest('kvmnet/family', { uri }), { family: 'ipv6', evidence: 'setting' });
  });

  test('a client that only pushes: a push without a kvmnet section changes nothing, one with it lies over initialize', async () => {
    const s = await start({ rules: { 'noncanonical-cidr': 'off' } });
    const first = s.until(() => true);
    await open(s);
    assert.deepEqual(codes(await first), ['undefined-chain:1']);
    await s.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await s.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { other: { x: 1 } } });
    const pushed = s.until(() => true);
    await s.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { kvmnet: { rules: { 'undefined-chain': 'hint' } } } });
    // The first publish after the pushes is the one the kvmnet push caused (the others caused none).
    assert.deepEqual(codes(await pushed), ['undefined-chain:4']);
  });
});
