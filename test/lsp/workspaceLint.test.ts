/**
 * The workspace lint (server/src/lsp/workspaceLint.ts) on real folders, with a recording host in
 * place of the connection: which files it finds, what it publishes and clears, and where it stops.
 * The LSP side (registration, settings, open and close) is in workspace.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import { isWorkspaceRuleset, WORKSPACE_LIMITS, WorkspaceLint, type WorkspaceLimits } from '../../server/src/lsp/workspaceLint.js';

const scratch: string[] = [];
after(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A folder with these files (path -> content). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'kvmnet-ws-'));
  scratch.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Stands in for the connection: a file's "lint" is one diagnostic per line that says BAD. */
class Host {
  readonly sent: Array<{ uri: string; count: number }> = [];
  readonly logs: string[] = [];
  readonly open = new Map<string, string>();
  readonly linted: string[] = [];
  send(uri: string, diagnostics: Diagnostic[]): void {
    this.sent.push({ uri, count: diagnostics.length });
  }
  openUri(path: string): string | undefined {
    return this.open.get(path);
  }
  lint(path: string, _uri: string, text: string): Diagnostic[] {
    this.linted.push(path);
    if (text.includes('THROW')) throw new Error('the lint failed');
    return text.split('\n').filter((l) => l.includes('BAD')).map(() => ({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'bad' }));
  }
  log(message: string): void {
    this.logs.push(message);
  }
  /** The last count published for each URI. */
  state(): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of this.sent) out.set(s.uri, s.count);
    return out;
  }
}

const RULES = '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n';
const BAD = '*filter\n-A INPUT -j BAD\nCOMMIT\n';
const uri = (path: string): string => pathToFileURL(path).href;

function start(root: string, limits: WorkspaceLimits = WORKSPACE_LIMITS): { host: Host; ws: WorkspaceLint } {
  const host = new Host();
  const ws = new WorkspaceLint(host, limits);
  ws.configure([root], true);
  return { host, ws };
}

describe('workspace lint', () => {
  test('names it reads as rulesets, and names it does not', () => {
    for (const p of ['/etc/iptables/rules.v4', '/etc/iptables/rules.v6', '/etc/sysconfig/iptables', '/etc/sysconfig/ip6tables', '/x/host.iptables', '/etc/ufw/before.rules', '/etc/ufw/user6.rules', '/lib/ufw/user.rules']) {
      assert.ok(isWorkspaceRuleset(p), p);
    }
    for (const p of ['/etc/iptables/rules.v5', '/home/me/user.rules', '/etc/iptables-config', '/x/iptables.sh', '/x/notes.txt']) {
      assert.ok(!isWorkspaceRuleset(p), p);
    }
  });

  test('finds the rulesets by name, skips .git and node_modules, follows no links, and publishes only files with findings', async () => {
    const root = tree({
      'etc/iptables/rules.v4': BAD,
      'etc/iptables/rules.v6': RULES,
      'etc/sysconfig/iptables': '#!/bin/sh\necho BAD\n', // the host's lint would flag it: the script must not reach it
      'etc/ufw/user.rules': BAD,
      'notes.txt': BAD,
      'node_modules/pkg/rules.v4': BAD,
      '.git/rules.v4': BAD,
      'bin.iptables': `*filter\n\0BAD\n`,
    });
    symlinkSync(join(root, 'etc'), join(root, 'loop'));
    const { host, ws } = start(root);
    const found = await ws.rulesets();
    assert.deepEqual(found, ['etc/iptables/rules.v4', 'etc/iptables/rules.v6', 'etc/sysconfig/iptables', 'etc/ufw/user.rules', 'bin.iptables'].map((p) => join(root, p)).sort());
    // The script and the binary file are read but not linted; the clean file is linted, not published.
    assert.deepEqual(host.linted.sort(), [join(root, 'etc/iptables/rules.v4'), join(root, 'etc/iptables/rules.v6'), join(root, 'etc/ufw/user.rules')].sort());
    assert.deepEqual([...host.state()].sort(), [[uri(join(root, 'etc/iptables/rules.v4')), 1], [uri(join(root, 'etc/ufw/user.rules')), 1]].sort());
  });

  test('a change on disk is linted again; a deleted file and a fixed one are cleared; a new one is found', async () => {
    const root = tree({ 'rules.v4': BAD, 'rules.v6': RULES });
    const { host, ws } = start(root);
    await ws.rulesets();
    const v4 = join(root, 'rules.v4');
    const v6 = join(root, 'rules.v6');
    assert.equal(host.state().get(uri(v4)), 1);

    writeFileSync(v4, RULES);
    writeFileSync(v6, BAD + BAD);
    ws.changed([{ uri: uri(v4), type: 2 }, { uri: uri(v6), type: 2 }]);
    await ws.rulesets();
    assert.equal(host.state().get(uri(v4)), 0);
    assert.equal(host.state().get(uri(v6)), 2);

    const added = join(root, 'sub', 'new.iptables');
    mkdirSync(dirname(added));
    writeFileSync(added, BAD);
    rmSync(v6);
    ws.changed([{ uri: uri(added), type: 1 }, { uri: uri(v6), type: 3 }, { uri: uri(join(root, 'notes.txt')), type: 1 }, { uri: 'file:///elsewhere/rules.v4', type: 1 }]);
    assert.deepEqual(await ws.rulesets(), [v4, added].sort());
    assert.equal(host.state().get(uri(v6)), 0);
    assert.equal(host.state().get(uri(added)), 1);
    assert.ok(!host.state().has('file:///elsewhere/rules.v4'));
  });

  test('an open file is the editor\'s: not published from disk while open, read again when closed, under the client\'s spelling', async () => {
    const root = tree({ 'rules.v4': BAD });
    const path = join(root, 'rules.v4');
    const { host, ws } = start(root);
    await ws.rulesets();
    assert.equal(host.state().get(uri(path)), 1);

    // The client spells the URI its own way (VS Code escapes more than node does).
    const spelled = uri(path).replace('rules.v4', 'rules%2Ev4');
    host.open.set(path, spelled);
    ws.opened(spelled);
    assert.equal(host.state().get(uri(path)), 0, 'the other spelling is cleared');
    writeFileSync(path, BAD + BAD);
    ws.changed([{ uri: spelled, type: 2 }]);
    await ws.rulesets();
    assert.ok(!host.state().has(spelled), 'nothing is published from disk while the file is open');

    host.open.delete(path);
    ws.closed(spelled);
    await ws.rulesets();
    assert.equal(host.state().get(spelled), 2);
  });

  test('turned off, it clears what it published; the workspace folders can change', async () => {
    const one = tree({ 'rules.v4': BAD });
    const two = tree({ 'x.iptables': BAD });
    const { host, ws } = start(one);
    await ws.rulesets();
    ws.configure([one, two], true);
    assert.deepEqual(await ws.rulesets(), [join(one, 'rules.v4'), join(two, 'x.iptables')].sort());
    ws.configure([two], true);
    assert.deepEqual(await ws.rulesets(), [join(two, 'x.iptables')]);
    assert.equal(host.state().get(uri(join(one, 'rules.v4'))), 0, 'a folder taken out of the workspace is cleared');
    ws.configure([two], false);
    assert.deepEqual(await ws.rulesets(), []);
    assert.equal(host.state().get(uri(join(two, 'x.iptables'))), 0);
    ws.changed([{ uri: uri(join(two, 'x.iptables')), type: 2 }]);
    ws.relintAll();
    assert.deepEqual(await ws.rulesets(), []);
    assert.equal(host.state().get(uri(join(two, 'x.iptables'))), 0);
  });

  test('a lint that fails is logged, publishes nothing, and the other files go on', async () => {
    const root = tree({ 'a.iptables': '*filter\nTHROW\n', 'b.iptables': BAD });
    const { host, ws } = start(root);
    await ws.rulesets();
    assert.deepEqual([...host.state()], [[uri(join(root, 'b.iptables')), 1]]);
    assert.match(host.logs.join('\n'), /cannot lint .*a\.iptables: Error: the lint failed/);
  });

  test('stops at its limits and says so', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`d${i}/r${i}.iptables`] = BAD;
    const root = tree(files);
    const few = start(root, { entries: 1_000, files: 3, bytes: 1 << 20 });
    assert.equal((await few.ws.rulesets()).length, 3);
    assert.match(few.host.logs.join('\n'), /stopped at 3 rulesets/);
    const shallow = start(root, { entries: 4, files: 100, bytes: 1 << 20 });
    assert.ok((await shallow.ws.rulesets()).length < 6);
    assert.match(shallow.host.logs.join('\n'), /stopped after 4 files and folders/);
    const small = start(root, { entries: 1_000, files: 100, bytes: 10 });
    assert.equal((await small.ws.rulesets()).length, 6);
    assert.deepEqual(small.host.linted, [], 'files over the size limit are left for when they are opened');
  });
});
