/**
 * Expand Selection over real LSP JSON-RPC: spawns `node dist/server.js --stdio` (rebuilt here when
 * missing or older than server/src, as server.test.ts does), checks that the server announces
 * `selectionRangeProvider`, and follows the `parent` links of `textDocument/selectionRange` answers.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  DidOpenTextDocumentNotification, ExitNotification, InitializedNotification, InitializeRequest, LogMessageNotification, MessageType,
  SelectionRangeRequest, ShutdownRequest,
  type InitializeResult, type Position, type SelectionRange,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { stripCursor } from '../helpers/ruleTester.js';
import { ensureBuilt, ROOT, SERVER } from '../helpers/serverBundle.js';


/** The texts a chain of selection ranges selects, innermost first (following `parent`). */
function selectedTexts(doc: TextDocument, range: SelectionRange | undefined): string[] {
  const out: string[] = [];
  for (let r = range; r; r = r.parent) out.push(doc.getText(r.range));
  return out;
}

const RULESET = [
  '# kvmnet test',
  '*filter',
  ':INPUT DROP [0:0]',
  ':LIBVIRT_INP - [0:0]',
  '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  '-A INPUT ! -s 192.168.122.0/24 -p tcp --dport 22 -j ACCEPT',
  '-A INPUT -m comment --comment "ssh from «anywhere»" -j LIBVIRT_INP',
  '-A LIBVIRT_INP -i virbr0 -p udp --dport 53 -j ACCEPT',
  'COMMIT',
  '',
].join('\n');

describe('selection ranges over LSP JSON-RPC (node dist/server.js --stdio)', { timeout: 120_000 }, () => {
  let child: ChildProcessWithoutNullStreams;
  let conn: MessageConnection;
  let init: InitializeResult;
  const loggedErrors: string[] = [];

  before(async () => {
    ensureBuilt();
    child = spawn(process.execPath, [SERVER, '--stdio'], { cwd: ROOT, stdio: 'pipe' });
    conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    conn.onNotification(LogMessageNotification.type, (p) => {
      if (p.type === MessageType.Error) loggedErrors.push(p.message);
    });
    conn.listen();
    init = await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: pathToFileURL(ROOT).href, workspaceFolders: null,
      capabilities: { textDocument: { selectionRange: { dynamicRegistration: false } } },
    });
    await conn.sendNotification(InitializedNotification.type, {});
  });
  after(async () => {
    if (!conn || child.exitCode !== null) return;
    await conn.sendRequest(ShutdownRequest.type);
    await conn.sendNotification(ExitNotification.type);
    conn.dispose();
  });

  const open = async (name: string, text: string, languageId = 'iptables'): Promise<TextDocument> => {
    const uri = pathToFileURL(join(ROOT, 'test', 'lsp', 'virtual', 'selection', name)).href;
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return TextDocument.create(uri, languageId, 1, text);
  };
  const request = (doc: TextDocument, positions: Position[]): Promise<SelectionRange[] | null> =>
    conn.sendRequest(SelectionRangeRequest.type, { textDocument: { uri: doc.uri }, positions });

  test('the server announces selectionRangeProvider', () => {
    assert.equal(init.capabilities.selectionRangeProvider, true);
  });

  test('one chain per position, each following the ruleset\'s structure out to the document', async () => {
    // The «…» in the comment is text here; the cursor markers go in below.
    const text = RULESET;
    const doc = await open('rules.v4', text);
    const at = (needle: string, delta: number): Position => {
      const i = text.indexOf(needle);
      assert.ok(i !== -1, needle);
      return doc.positionAt(i + delta);
    };
    const table = text.slice(text.indexOf('*filter'), text.indexOf('COMMIT') + 'COMMIT'.length);
    const positions = [at('ESTABLISHED', 3), at('192.168', 4), at('anywhere', 2), at('virbr0', 1), at('DROP', 1), at('kvmnet test', 2)];
    const answer = await request(doc, positions);
    assert.ok(answer);
    assert.equal(answer.length, positions.length);
    const chains = answer.map((r) => selectedTexts(doc, r));
    const inputRules = RULESET.split('\n').slice(4, 7).join('\n');
    assert.deepEqual(chains[0], [
      'ESTABLISHED', 'RELATED,ESTABLISHED', '--ctstate RELATED,ESTABLISHED', '-m conntrack --ctstate RELATED,ESTABLISHED',
      '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', inputRules, table, text,
    ]);
    assert.deepEqual(chains[1], [
      '192.168.122.0/24', '! -s 192.168.122.0/24', '-A INPUT ! -s 192.168.122.0/24 -p tcp --dport 22 -j ACCEPT', inputRules, table, text,
    ]);
    assert.deepEqual(chains[2], [
      'ssh from «anywhere»', '"ssh from «anywhere»"', '--comment "ssh from «anywhere»"', '-m comment --comment "ssh from «anywhere»"',
      '-A INPUT -m comment --comment "ssh from «anywhere»" -j LIBVIRT_INP', inputRules, table, text,
    ]);
    assert.deepEqual(chains[3], ['virbr0', '-i virbr0', '-A LIBVIRT_INP -i virbr0 -p udp --dport 53 -j ACCEPT', table, text]);
    assert.deepEqual(chains[4], ['DROP', ':INPUT DROP [0:0]', ':INPUT DROP [0:0]\n:LIBVIRT_INP - [0:0]', table, text]);
    assert.deepEqual(chains[5], ['kvmnet', 'kvmnet test', '# kvmnet test', text]);
    // Each range contains the position asked for, and each parent strictly contains its child.
    answer.forEach((r, i) => {
      const offset = doc.offsetAt(positions[i] as Position);
      assert.ok(doc.offsetAt(r.range.start) <= offset && offset <= doc.offsetAt(r.range.end), `range ${i} holds its position`);
      for (let c: SelectionRange | undefined = r; c?.parent; c = c.parent) {
        const p = c.parent;
        const [cs, ce, ps, pe] = [c.range.start, c.range.end, p.range.start, p.range.end].map((x) => doc.offsetAt(x)) as [number, number, number, number];
        assert.ok(ps <= cs && ce <= pe && (ps < cs || ce < pe), `parent of ${JSON.stringify(c.range)} strictly contains it`);
      }
    });
  });

  test('positions are UTF-16 characters: after a non-ASCII comment the ranges still fall on the words', async () => {
    const { text, cursor } = stripCursor('*filter\n-A INPUT -m comment --comment "Zürich 🌍" -s 10.0.‸0.1 -j ACCEPT\nCOMMIT\n');
    const doc = await open('utf16.rules', text);
    const [range] = (await request(doc, [doc.positionAt(cursor)])) ?? [];
    assert.deepEqual(selectedTexts(doc, range).slice(0, 2), ['10.0.0.1', '-s 10.0.0.1']);
    assert.equal(range?.range.start.character, text.split('\n')[1]?.indexOf('10.0.0.1'));
  });

  test('a position past the end and an empty document answer without an error', async () => {
    const text = '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n';
    const doc = await open('past-end.rules', text);
    const [past] = (await request(doc, [{ line: 40, character: 7 }])) ?? [];
    assert.deepEqual(selectedTexts(doc, past), [text]);
    const empty = await open('empty.rules', '');
    const answer = await request(empty, [{ line: 0, character: 0 }]);
    assert.deepEqual(answer, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }]);
    assert.deepEqual(loggedErrors, []);
  });

  test('a document kvmnet does not serve gets no answer', async () => {
    const doc = await open('notes.txt', 'just some text\n', 'plaintext');
    assert.equal(await request(doc, [{ line: 0, character: 2 }]), null);
  });

  test('the reference ruleset: a MASQUERADE rule grows into its target, its rule, the POSTROUTING rules and chain, the nat table', async () => {
    const text = readFileSync(join(ROOT, 'examples', 'etc', 'sysconfig', 'iptables'), 'utf8');
    const doc = await open('etc/sysconfig/iptables', text);
    const line = '-A POSTROUTING -s 192.168.122.0/24 ! -d 192.168.122.0/24 -p tcp -j MASQUERADE --to-ports 1024-65535';
    const [range] = (await request(doc, [doc.positionAt(text.indexOf(line) + line.indexOf('65535'))])) ?? [];
    const lines = text.split('\n');
    const nat = lines.indexOf('*nat');
    const commit = lines.indexOf('COMMIT', nat);
    const declaration = lines.indexOf(':POSTROUTING ACCEPT [0:0]', nat);
    assert.ok(nat !== -1 && declaration > nat && commit > declaration);
    assert.deepEqual(selectedTexts(doc, range), [
      '1024-65535', '--to-ports 1024-65535', '-j MASQUERADE --to-ports 1024-65535', line,
      lines.slice(declaration + 1, commit).join('\n'),
      // iptables-save declares POSTROUTING last, just above its rules: the outline counts the declaration in.
      lines.slice(declaration, commit).join('\n'),
      lines.slice(nat, commit + 1).join('\n'),
      text,
    ]);
  });
});
