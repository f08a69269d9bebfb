/**
 * The language server over real LSP JSON-RPC: spawns `node dist/server.js --stdio` (built by
 * `npm run build`; rebuilt here when missing or older than server/src) and talks to it with
 * vscode-jsonrpc's stream reader and writer, the way an editor does.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  CallHierarchyIncomingCallsRequest, CallHierarchyOutgoingCallsRequest, CallHierarchyPrepareRequest, CompletionRequest, DefinitionRequest, DiagnosticSeverity, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, DocumentHighlightKind, DocumentHighlightRequest,
  DidOpenTextDocumentNotification, DocumentSymbolRequest, ExitNotification, FoldingRangeRequest, HoverRequest, InitializedNotification,
  InitializeRequest, LogMessageNotification, MessageType, PrepareRenameRequest, PublishDiagnosticsNotification, ReferencesRequest, RenameRequest, ShutdownRequest,
  type CallHierarchyItem, type CompletionItem, type CompletionList, type Diagnostic, type DocumentSymbol, type Hover, type Location, type MarkupContent,
  type Position, type PublishDiagnosticsParams, type Range, type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { stripMarkers } from '../helpers/ruleTester.js';
import { ensureBuilt, ROOT, SERVER } from '../helpers/serverBundle.js';

/** Offset -> LSP position (UTF-16, `\n` line ends). */
function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

function rangeOf(text: string, span: { start: number; end: number }): Range {
  return { start: positionAt(text, span.start), end: positionAt(text, span.end) };
}

function offsetOf(text: string, needle: string, delta = 0): number {
  const i = text.indexOf(needle);
  assert.ok(i !== -1, `${JSON.stringify(needle)} not in the document`);
  return i + delta;
}

/** A minimal LSP client: opens documents, waits for their diagnostics, sends requests. */
class Client {
  private readonly published: PublishDiagnosticsParams[] = [];
  private readonly waiters: Array<{ uri: string; version: number | undefined; resolve: (p: PublishDiagnosticsParams) => void }> = [];
  private readonly versions = new Map<string, number>();
  readonly stderr: string[] = [];
  /** window/logMessage errors: the server logs there when a handler or a check fails. */
  readonly loggedErrors: string[] = [];
  readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcessWithoutNullStreams, readonly conn: MessageConnection) {
    this.exited = new Promise((res) => child.on('exit', (code) => res(code)));
    child.stderr.on('data', (d: Buffer) => this.stderr.push(d.toString()));
    conn.onNotification(LogMessageNotification.type, (p) => {
      if (p.type === MessageType.Error) this.loggedErrors.push(p.message);
    });
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.push(p);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        const w = this.waiters[i];
        if (w && w.uri === p.uri && (w.version === undefined || p.version === w.version)) {
          this.waiters.splice(i, 1);
          w.resolve(p);
        }
      }
    });
    conn.listen();
  }

  /** `plain`: a client that takes neither snippets nor markdown (as neovim 0.7's omnifunc and plain-text clients). */
  static async start(args: readonly string[] = ['--stdio'], plain = false): Promise<Client> {
    const child = spawn(process.execPath, [SERVER, ...args], { cwd: ROOT, stdio: 'pipe' });
    const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new Client(child, conn);
    const init = await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(ROOT).href,
      workspaceFolders: null,
      capabilities: {
        textDocument: {
          hover: { contentFormat: plain ? ['plaintext'] : ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: !plain, documentationFormat: plain ? ['plaintext'] : ['markdown', 'plaintext'] } },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          rename: { prepareSupport: true },
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, versionSupport: true },
        },
      },
    });
    assert.ok(init.capabilities.hoverProvider);
    await conn.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** The versions of a document whose diagnostics were published so far, in order. */
  publishedVersions(uri: string): Array<number | undefined> {
    return this.published.filter((p) => p.uri === uri).map((p) => p.version);
  }

  /** Resolves with the next diagnostics published for this document version (no timers: the test timeout bounds it). */
  diagnostics(uri: string, version?: number): Promise<PublishDiagnosticsParams> {
    const already = this.published.find((p) => p.uri === uri && (version === undefined || p.version === version));
    if (already) return Promise.resolve(already);
    return new Promise((res) => this.waiters.push({ uri, version, resolve: res }));
  }

  async open(name: string, text: string, languageId = 'iptables'): Promise<{ uri: string; diagnostics: Promise<PublishDiagnosticsParams> }> {
    const uri = pathToFileURL(join(ROOT, 'test', 'lsp', 'virtual', name)).href;
    this.versions.set(uri, 1);
    const diagnostics = this.diagnostics(uri, 1);
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return { uri, diagnostics };
  }

  async replace(uri: string, text: string): Promise<PublishDiagnosticsParams> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const diagnostics = this.diagnostics(uri, version);
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    return diagnostics;
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const r: CompletionItem[] | CompletionList | null = await this.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
    return r === null ? [] : Array.isArray(r) ? r : r.items;
  }

  async symbols(uri: string): Promise<DocumentSymbol[]> {
    const r = await this.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
    return (r ?? []) as DocumentSymbol[];
  }

  async stop(): Promise<number | null> {
    await this.conn.sendRequest(ShutdownRequest.type);
    await this.conn.sendNotification(ExitNotification.type);
    const code = await this.exited;
    this.conn.dispose();
    return code;
  }
}

const BROKEN = [
  '*filter',
  ':INPUT ACCEPT [0:0]',
  ':FOO - [0:0]',
  '-A INPUT -s «192.168.122.1/24» -j FOO',
  '-A INPUT -j «NOSUCH»',
  '-A FOO -p tcp --dport 22 -j ACCEPT',
  'COMMIT',
  '',
].join('\n');

describe('language server over LSP JSON-RPC (node dist/server.js --stdio)', { timeout: 120_000 }, () => {
  let client: Client;
  before(async () => {
    ensureBuilt();
    client = await Client.start();
  });
  after(async () => {
    if (client && client.child.exitCode === null) client.child.kill();
  });

  test('pushes diagnostics: source kvmnet, rule id code, doc link, range on the offending token', async () => {
    const { text, ranges } = stripMarkers(BROKEN);
    const { diagnostics } = await client.open('broken.iptables', text);
    const params = await diagnostics;
    assert.equal(params.version, 1);
    const byCode = new Map(params.diagnostics.map((d) => [String(d.code), d]));
    assert.deepEqual([...byCode.keys()].sort(), ['noncanonical-cidr', 'undefined-chain']);
    const cidr = byCode.get('noncanonical-cidr') as Diagnostic;
    const chain = byCode.get('undefined-chain') as Diagnostic;
    assert.deepEqual(cidr.range, rangeOf(text, ranges[0] as { start: number; end: number }));
    assert.deepEqual(chain.range, rangeOf(text, ranges[1] as { start: number; end: number }));
    assert.equal(cidr.severity, DiagnosticSeverity.Warning);
    assert.equal(chain.severity, DiagnosticSeverity.Error);
    for (const d of [cidr, chain]) {
      assert.equal(d.source, 'kvmnet');
      assert.ok(d.codeDescription?.href.endsWith(`docs/rules/${String(d.code)}.md`), d.codeDescription?.href);
      assert.ok(d.message.length > 0);
    }
    assert.match(chain.message, /NOSUCH/);
  });

  test('a fix clears the diagnostics; the reference ruleset has none', async () => {
    const { text } = stripMarkers(BROKEN);
    const { uri } = await client.open('fixed.iptables', text);
    const fixed = text.replace('192.168.122.1/24', '192.168.122.0/24').replace('-j NOSUCH', '-j DROP');
    const params = await client.replace(uri, fixed);
    assert.deepEqual(params.diagnostics, []);
    const reference = readFileSync(join(ROOT, 'examples', 'etc', 'sysconfig', 'iptables'), 'utf8');
    const opened = await client.open('etc/sysconfig/iptables', reference);
    assert.deepEqual((await opened.diagnostics).diagnostics, []);
  });

  test('a document recognised by name without the iptables language id is served too', async () => {
    const { text } = stripMarkers(BROKEN);
    const { diagnostics } = await client.open('rules.v4', text, 'plaintext');
    assert.equal((await diagnostics).diagnostics.length, 2);
  });

  test('a script that only bears a ruleset\'s name gets no diagnostics, and gets them once it is a ruleset', async () => {
    const { uri, diagnostics } = await client.open('if-pre-up.d/iptables', '#!/bin/sh\n/sbin/iptables-restore < /etc/iptables.up.rules\n');
    assert.deepEqual((await diagnostics).diagnostics, []);
    const now = await client.replace(uri, '*filter\n-A INPUT -j NOWHERE\nCOMMIT\n');
    assert.deepEqual(now.diagnostics.map((d) => d.code), ['undefined-chain']);
  });

  test('hover: markdown and the range of the word', async () => {
    const reference = readFileSync(join(ROOT, 'examples', 'etc', 'sysconfig', 'iptables'), 'utf8');
    const { uri, diagnostics } = await client.open('hover/iptables', reference);
    await diagnostics;
    const at = offsetOf(reference, '--dport 22', 3);
    const h = await client.hover(uri, positionAt(reference, at));
    assert.ok(h);
    const contents = h.contents as MarkupContent;
    assert.equal(contents.kind, 'markdown');
    assert.match(contents.value, /--dport/);
    const start = offsetOf(reference, '--dport 22');
    assert.deepEqual(h.range, rangeOf(reference, { start, end: start + '--dport'.length }));
    const cidr = await client.hover(uri, positionAt(reference, offsetOf(reference, '! -d 192.168.122.0/24', 8)));
    assert.match((cidr?.contents as MarkupContent).value, /256 addresses/);
    assert.equal(await client.hover(uri, positionAt(reference, 3)), null); // inside the header comment
  });

  test('completion after -j: verdicts, targets of the table, user chains, with a text edit on the word', async () => {
    const text = '*filter\n:FOO - [0:0]\n-A INPUT -p tcp -j RE\nCOMMIT\n';
    const { uri } = await client.open('complete.iptables', text);
    const offset = offsetOf(text, '-j RE', 5);
    const items = await client.completion(uri, positionAt(text, offset));
    const labels = items.map((i) => i.label);
    for (const want of ['ACCEPT', 'DROP', 'RETURN', 'REJECT', 'LOG', 'FOO']) assert.ok(labels.includes(want), `${want} in ${labels.join(', ')}`);
    for (const not of ['MASQUERADE', 'DNAT', 'INPUT']) assert.ok(!labels.includes(not), not);
    const reject = items.find((i) => i.label === 'REJECT');
    assert.ok(reject?.textEdit && 'range' in reject.textEdit);
    assert.deepEqual(reject.textEdit.range, rangeOf(text, { start: offset - 2, end: offset }));
    assert.equal(reject.textEdit.newText, 'REJECT');
    const lineStart = await client.completion(uri, { line: 3, character: 0 });
    assert.ok(lineStart.some((i) => i.label === 'stateful accept' && i.insertTextFormat === 2), 'rule snippets at the line start');
  });

  test('completion after -i offers the interfaces of the machine the server runs on, and hover describes them', async () => {
    const text = '*filter\n-A FORWARD -i \nCOMMIT\n';
    const { uri } = await client.open('interfaces.iptables', text);
    const items = await client.completion(uri, positionAt(text, offsetOf(text, '-i ', 3)));
    // Every Linux machine has a loopback; the server reads it from this machine's /sys/class/net.
    const lo = items.find((i) => i.label === 'lo');
    assert.ok(lo, `lo in ${items.map((i) => i.label).join(', ')}`);
    assert.match(lo.detail ?? '', /loopback on this machine/);
    const loText = '*filter\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n';
    const opened = await client.open('lo.iptables', loText);
    const onLo = await client.hover(opened.uri, positionAt(loText, offsetOf(loText, '-i lo', 4)));
    assert.match((onLo?.contents as MarkupContent).value, /On this machine: the loopback/);
  });

  test('document symbols and folding ranges', async () => {
    const reference = readFileSync(join(ROOT, 'examples', 'etc', 'sysconfig', 'iptables'), 'utf8');
    const { uri } = await client.open('symbols/iptables', reference);
    const symbols = await client.symbols(uri);
    assert.deepEqual(symbols.map((s) => s.name), ['mangle', 'nat', 'filter']);
    const filter = symbols[2];
    assert.ok(filter?.children);
    const input = filter.children.find((c) => c.name === 'INPUT');
    assert.equal(input?.children?.length, 6);
    assert.equal(input?.children?.[3]?.name, '-p tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT');
    assert.ok(filter.children.some((c) => c.name === 'LIBVIRT_INP'));
    const folds = await client.conn.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
    // Three tables, and the six runs of a chain's rules in them.
    assert.equal(folds?.filter((f) => f.kind === 'region').length, 9);
  });

  test('definition, references and rename of a user chain', async () => {
    const reference = readFileSync(join(ROOT, 'examples', 'etc', 'sysconfig', 'iptables'), 'utf8');
    const { uri } = await client.open('nav/iptables', reference);
    const jump = positionAt(reference, offsetOf(reference, '-j LIBVIRT_FWI', 5));
    const defs = (await client.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: jump })) as Location[];
    const decl = offsetOf(reference, ':LIBVIRT_FWI', 1);
    assert.deepEqual(defs, [{ uri, range: rangeOf(reference, { start: decl, end: decl + 'LIBVIRT_FWI'.length }) }]);

    const refs = await client.conn.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: jump, context: { includeDeclaration: true } });
    assert.equal(refs?.length, 4); // the declaration, the jump from FORWARD, two -A LIBVIRT_FWI
    const withoutDecl = await client.conn.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: jump, context: { includeDeclaration: false } });
    assert.equal(withoutDecl?.length, 3);

    const highlights = await client.conn.sendRequest(DocumentHighlightRequest.type, { textDocument: { uri }, position: jump });
    assert.deepEqual(highlights?.map((h) => h.kind), [DocumentHighlightKind.Write, DocumentHighlightKind.Read, DocumentHighlightKind.Read, DocumentHighlightKind.Read]);
    assert.deepEqual(highlights?.map((h) => h.range), refs?.map((r) => r.range));

    const prepared = await client.conn.sendRequest(PrepareRenameRequest.type, { textDocument: { uri }, position: jump });
    assert.ok(prepared && 'placeholder' in prepared);
    assert.equal(prepared.placeholder, 'LIBVIRT_FWI');
    const edit: WorkspaceEdit | null = await client.conn.sendRequest(RenameRequest.type, { textDocument: { uri }, position: jump, newName: 'GUESTS_IN' });
    const edits = edit?.changes?.[uri] ?? [];
    assert.equal(edits.length, 4);
    assert.ok(edits.every((e) => e.newText === 'GUESTS_IN'));

    const builtin = positionAt(reference, offsetOf(reference, '-A INPUT -i lo', 4));
    await assert.rejects(client.conn.sendRequest(PrepareRenameRequest.type, { textDocument: { uri }, position: builtin }), /built-in chain/);
    await assert.rejects(client.conn.sendRequest(RenameRequest.type, { textDocument: { uri }, position: jump, newName: 'LIBVIRT_FWO' }), /already has a chain/);
  });

  test('call hierarchy: the chains a chain jumps to, and the chains that jump to it', async () => {
    const reference = readFileSync(join(ROOT, 'examples', 'etc', 'sysconfig', 'iptables'), 'utf8');
    const { uri } = await client.open('calls/iptables', reference);
    const onForward = positionAt(reference, offsetOf(reference, '-A FORWARD -i br0', 4));
    const items = await client.conn.sendRequest(CallHierarchyPrepareRequest.type, { textDocument: { uri }, position: onForward });
    assert.equal(items?.length, 1);
    const forward = items?.[0] as CallHierarchyItem;
    assert.equal(forward.name, 'FORWARD');
    assert.equal(forward.detail, 'table filter, policy DROP, 4 rules');
    const decl = offsetOf(reference, ':FORWARD DROP', 1);
    assert.deepEqual(forward.selectionRange, rangeOf(reference, { start: decl, end: decl + 'FORWARD'.length }));

    const outgoing = await client.conn.sendRequest(CallHierarchyOutgoingCallsRequest.type, { item: forward });
    assert.deepEqual(outgoing?.map((c) => c.to.name), ['LIBVIRT_FWX', 'LIBVIRT_FWI', 'LIBVIRT_FWO']);
    const jump = offsetOf(reference, '-A FORWARD -j LIBVIRT_FWI', '-A FORWARD -j '.length);
    assert.deepEqual(outgoing?.[1]?.fromRanges, [rangeOf(reference, { start: jump, end: jump + 'LIBVIRT_FWI'.length })]);

    // From the callee back: the item the server handed out is asked about again.
    const fwi = outgoing?.[1]?.to as CallHierarchyItem;
    const incoming = await client.conn.sendRequest(CallHierarchyIncomingCallsRequest.type, { item: fwi });
    assert.deepEqual(incoming?.map((c) => [c.from.name, c.fromRanges]), [['FORWARD', [rangeOf(reference, { start: jump, end: jump + 'LIBVIRT_FWI'.length })]]]);
    assert.deepEqual(await client.conn.sendRequest(CallHierarchyOutgoingCallsRequest.type, { item: fwi }), []);

    // An item whose chain is gone after an edit gets no calls; a position on no chain, no item.
    await client.replace(uri, reference.replaceAll('LIBVIRT_FWI', 'GUESTS_IN'));
    assert.deepEqual(await client.conn.sendRequest(CallHierarchyIncomingCallsRequest.type, { item: fwi }), []);
    assert.equal(await client.conn.sendRequest(CallHierarchyPrepareRequest.type, { textDocument: { uri }, position: { line: 0, character: 3 } }), null);
    assert.deepEqual(client.loggedErrors, []);
  });

  test('survives garbage (binary, a 5 MB line, NUL, CRLF, empty) and still answers', async () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const binary = Array.from({ length: 65_536 }, () => String.fromCharCode(random() % 256)).join('');
    const reference = readFileSync(join(ROOT, 'examples', 'etc', 'sysconfig', 'iptables'), 'utf8');
    const garbage: Array<[string, string]> = [
      ['binary.iptables', binary],
      ['long-line.iptables', `*filter\n-A INPUT ${'x'.repeat(5 * 1024 * 1024)}\nCOMMIT\n`],
      ['nul.iptables', '*filter\n-A INPUT -j ACC\0EPT\n\0\0\0\nCOMMIT\n'],
      ['crlf.iptables', reference.replace(/\n/g, '\r\n')],
      ['empty.iptables', ''],
      ['unicode.iptables', '*filter\n-A INPUT -m comment --comment "😀 ✓ ünïcödé" -j ACCEPT\nCOMMIT\n'],
    ];
    for (const [name, text] of garbage) {
      const { uri, diagnostics } = await client.open(name, text);
      const params = await diagnostics;
      assert.ok(Array.isArray(params.diagnostics), name);
      const end = positionAt(text, text.length);
      await client.hover(uri, { line: 0, character: 1 });
      await client.hover(uri, end);
      await client.completion(uri, end);
      await client.completion(uri, { line: 1, character: 3 });
      await client.symbols(uri);
      await client.conn.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
      await client.close(uri);
    }
    const crlf = client.diagnostics(pathToFileURL(join(ROOT, 'test', 'lsp', 'virtual', 'crlf.iptables')).href, 1);
    assert.ok((await crlf).diagnostics.some((d) => d.code === 'syntax' && /CRLF/.test(d.message)), 'CRLF is reported');
    const nul = client.diagnostics(pathToFileURL(join(ROOT, 'test', 'lsp', 'virtual', 'nul.iptables')).href, 1);
    assert.ok((await nul).diagnostics.some((d) => /NUL/.test(d.message)), 'NUL is reported');

    // Still alive and answering.
    const { uri } = await client.open('after-garbage.iptables', reference);
    const h = await client.hover(uri, positionAt(reference, offsetOf(reference, '-j MASQUERADE', 5)));
    assert.match((h?.contents as MarkupContent).value, /MASQUERADE/);
    assert.equal(client.child.exitCode, null);
    assert.deepEqual(client.loggedErrors, [], 'no handler or check failed');
    const internal = (await client.diagnostics(uri, 1)).diagnostics.filter((d) => /internal error/.test(d.message));
    assert.deepEqual(internal, []);
  });

  test('kvmnet/family: the family the server reads a ruleset in, and what decided it', async () => {
    const ask = (uri: string): Promise<unknown> => client.conn.sendRequest('kvmnet/family', { uri });
    const rule = '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n';
    const byName = await client.open('family/rules.v6', rule);
    assert.deepEqual(await ask(byName.uri), { family: 'ipv6', evidence: 'name' });
    const byHeader = await client.open('family/saved', `# Generated by ip6tables-save v1.8.9\n${rule}`);
    assert.deepEqual(await ask(byHeader.uri), { family: 'ipv6', evidence: 'header' });
    const byContent = await client.open('family/fw.txt', '*filter\n-A INPUT -s 10.0.0.0/8 -j ACCEPT\nCOMMIT\n');
    assert.deepEqual(await ask(byContent.uri), { family: 'ipv4', evidence: 'content' });
    // A script that only bears a ruleset's name (asked at once, before any lint), and a document the server does not have.
    const script = await client.open('family/iptables', '#!/bin/sh\niptables-restore < /etc/iptables/rules.v4\n');
    assert.equal(await ask(script.uri), null);
    await script.diagnostics;
    assert.equal(await ask('file:///nowhere/rules.v4'), null);
    // Edited into a ruleset, it is one.
    await client.replace(script.uri, rule);
    assert.deepEqual(await ask(script.uri), { family: 'ipv4', evidence: 'name' });
  });

  test('a document whose URI has a malformed percent escape is linted all the same', async () => {
    const uri = pathToFileURL(join(ROOT, 'test', 'lsp', 'virtual', 'x')).href.replace(/x$/, 'weird%ZZ.rules');
    const diagnostics = client.diagnostics(uri, 1);
    await client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'iptables', version: 1, text: stripMarkers(BROKEN).text } });
    assert.deepEqual((await diagnostics).diagnostics.map((d) => d.code).sort(), ['noncanonical-cidr', 'undefined-chain']);
    assert.deepEqual(await client.conn.sendRequest('kvmnet/family', { uri }), { family: 'ipv4', evidence: 'content' });
    assert.deepEqual(client.loggedErrors, []);
  });

  test('changes that queue up while the server lints are linted once, at their last version', async () => {
    // A document that takes the server a while to lint, then 20 edits sent at once: they reach the
    // server while it is busy with the first lint and wait in the pipe.
    const rules = Array.from({ length: 20_000 }, (_, i) => `-A INPUT -s 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 -p tcp --dport 22 -j ACCEPT\n`);
    const text = `*filter\n:INPUT ACCEPT [0:0]\n${rules.join('')}COMMIT\n`;
    const { uri } = await client.open('burst.iptables', text);
    const sent: Array<Promise<void>> = [];
    for (let version = 2; version <= 21; version++) {
      // Each edit renames the chain of the first rule a little more: a change of the structure, the slow path.
      sent.push(client.conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line: 2, character: 3 }, end: { line: 2, character: 3 } }, text: 'X' }],
      }));
    }
    await Promise.all(sent);
    const last = await client.diagnostics(uri, 21);
    assert.ok(last.diagnostics.some((d) => d.code === 'undefined-chain' && d.message.includes(`${'X'.repeat(20)}INPUT`)), 'the last version is linted');
    const versions = client.publishedVersions(uri);
    assert.equal(versions.at(-1), 21);
    // Once per queued change would be 20 lints of 20,000 rules; a straggler that arrived after a lint may add one.
    assert.ok(versions.filter((v) => v !== 1).length <= 2, `published for versions ${versions.join(', ')}`);
    await client.close(uri);
  });

  test('shuts down cleanly', async () => {
    assert.equal(await client.stop(), 0);
  });
});

describe('starting the server', { timeout: 60_000 }, () => {
  test('without a transport flag it speaks LSP on stdin/stdout (editors that leave --stdio out), also with flags that name none', async () => {
    ensureBuilt();
    // --socket and --pipe without their value, and --clientProcessId alone, made vscode-languageserver fail.
    for (const args of [[], ['--socket'], ['--pipe'], ['--clientProcessId=1'], ['--unknown-flag']]) {
      const client = await Client.start(args);
      const { diagnostics } = await client.open('no-flag.iptables', stripMarkers(BROKEN).text);
      assert.deepEqual((await diagnostics).diagnostics.map((d) => d.code).sort(), ['noncanonical-cidr', 'undefined-chain'], args.join(' '));
      assert.equal(await client.stop(), 0, args.join(' '));
    }
  });

  test('--version and --help answer on stdout and exit 0', () => {
    ensureBuilt();
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const v = spawnSync(process.execPath, [SERVER, '--version'], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(v.status, 0);
    assert.equal(v.stdout, `kvmnet-language-server ${version}\n`);
    const h = spawnSync(process.execPath, [SERVER, '--help'], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(h.status, 0);
    assert.match(h.stdout, /^usage: kvmnet-language-server/);
  });
});

describe('a client without snippet support or markdown', { timeout: 60_000 }, () => {
  let client: Client;
  before(async () => {
    ensureBuilt();
    client = await Client.start(['--stdio'], true);
  });
  after(async () => {
    if (client && client.child.exitCode === null) client.child.kill();
  });

  test('gets completions as plain text: snippets with their defaults everywhere they appear, options with a blank for the value', async () => {
    const text = '*filter\n:INPUT ACCEPT [0:0]\n\n-A INPUT -p tcp --dp\nCOMMIT\n';
    const { uri } = await client.open('plain.iptables', text);
    const lineStart = await client.completion(uri, { line: 2, character: 0 });
    const snippets = lineStart.filter((i) => i.kind === 15 /* Snippet */);
    assert.ok(snippets.length >= 5, `${snippets.length} rule snippets`);
    for (const item of lineStart) {
      assert.notEqual(item.insertTextFormat, 2, `${item.label} is sent as a snippet`);
      const inserted = item.textEdit && 'newText' in item.textEdit ? item.textEdit.newText : item.insertText ?? item.label;
      assert.doesNotMatch(inserted, /\$\{?\d/, `${item.label} inserts snippet syntax`);
    }
    // The snippet that names the libvirt bridge twice gets it twice (neovim's own stripping left blanks).
    const bridged = snippets.map((i) => (i.textEdit && 'newText' in i.textEdit ? i.textEdit.newText : '')).find((t) => /-i virbr0 .*\n.*-i virbr0/s.test(t));
    assert.ok(bridged, snippets.map((i) => i.label).join(', '));
    const declare = lineStart.find((i) => i.label === ':NAME - [0:0]');
    assert.equal(declare?.textEdit && 'newText' in declare.textEdit ? declare.textEdit.newText : undefined, ':NAME - [0:0]');

    const options = await client.completion(uri, { line: 3, character: 20 });
    const dport = options.find((i) => i.label === '--dport');
    assert.ok(dport, options.map((i) => i.label).join(' '));
    assert.deepEqual(dport.textEdit && 'newText' in dport.textEdit ? dport.textEdit.newText : undefined, '--dport ');
    assert.equal(dport.filterText, undefined, 'a filterText equal to the label makes neovim 0.7 ignore where the word starts');
    // Its documentation in the format the client takes for completion.
    assert.equal((dport.documentation as MarkupContent | undefined)?.kind, 'plaintext');
    assert.doesNotMatch((dport.documentation as MarkupContent).value, /\*\*|`/);
  });

  test('gets hovers as plain text', async () => {
    const text = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';
    const { uri } = await client.open('plain-hover.iptables', text);
    for (const needle of ['INPUT ACCEPT', '--dport', 'ACCEPT\nCOMMIT']) {
      const h = await client.hover(uri, positionAt(text, offsetOf(text, needle, 1)));
      const contents = h?.contents as MarkupContent;
      assert.equal(contents.kind, 'plaintext', needle);
      assert.ok(contents.value.length > 20, needle);
      assert.doesNotMatch(contents.value, /\*\*|`/, needle);
    }
  });

  test('shuts down cleanly', async () => {
    assert.equal(await client.stop(), 0);
  });
});
