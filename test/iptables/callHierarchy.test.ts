/**
 * The jump graph as the editor's call hierarchy (navigation.ts: chainNodeAt, callersOf, calleesOf):
 * a call is a rule's -j or -g to a user chain of the same table.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { lintIptables } from '../../server/src/iptables/lint.js';
import { calleesOf, callersOf, chainNodeAt, chainNodeNamed, type ChainCall } from '../../server/src/iptables/navigation.js';
import { generateKubeProxyRuleset } from '../../scripts/bench/kubeProxyRuleset.js';
import { caseName, stripCursor, stripMarkers } from '../helpers/ruleTester.js';

function parsed(text: string) {
  const { document, analysis } = lintIptables(text);
  return { document, analysis };
}

/** The calls as [chain at the other end, where each of their -j/-g names starts]. */
function calls(list: readonly ChainCall[]): Array<[string, number[]]> {
  return list.map((c) => [c.node.name, c.spans.map((s) => s.start)]);
}

describe('the chain the call hierarchy starts from', () => {
  // [code with the cursor, chain (or null), table]
  const cases: Array<[string, string | null, string?]> = [
    ['*filter\n:FOO - [0:0]\n-A INPUT -j F‸OO\nCOMMIT\n', 'FOO', 'filter'],
    ['*filter\n:F‸OO - [0:0]\nCOMMIT\n', 'FOO', 'filter'],
    // Anywhere on a chain line.
    ['*filter\n‸:FOO - [0:0]\nCOMMIT\n', 'FOO', 'filter'],
    ['*filter\n:FOO - [0:‸0]\nCOMMIT\n', 'FOO', 'filter'],
    ['*filter\n:INPUT DROP [0:0]‸\nCOMMIT\n', 'INPUT', 'filter'],
    ['*filter\n‸:\nCOMMIT\n', null],
    ['*filter\n:FOO - [0:0]\n-A F‸OO -j ACCEPT\nCOMMIT\n', 'FOO', 'filter'],
    // Anywhere else on a command line: the chain of the command.
    ['*filter\n:FOO - [0:0]\n-A FOO -s 10.0.0.0/8 -j ACC‸EPT\nCOMMIT\n', 'FOO', 'filter'],
    ['*filter\n:FOO - [0:0]\n-A FOO -s 10.0.‸0.0/8 -j ACCEPT\nCOMMIT\n', 'FOO', 'filter'],
    ['*filter\n-A INPUT -j L‸OG\nCOMMIT\n', 'INPUT', 'filter'],
    // A built-in chain.
    ['*filter\n:IN‸PUT DROP [0:0]\nCOMMIT\n', 'INPUT', 'filter'],
    // Chains are per table.
    ['*filter\n:FOO - [0:0]\nCOMMIT\n*nat\n:FOO - [0:0]\n-A POSTROUTING -j F‸OO\nCOMMIT\n', 'FOO', 'nat'],
    // A chain renamed by -E is known by its last name, from its old name too.
    ['*filter\n:OLD - [0:0]\n-A INPUT -j O‸LD\n-E OLD NEW\nCOMMIT\n', 'NEW', 'filter'],
    // No chain there.
    ['# FO‸O\n*filter\n:FOO - [0:0]\nCOMMIT\n', null],
    ['*fil‸ter\n:FOO - [0:0]\nCOMMIT\n', null],
    ['*filter\nCOM‸MIT\n', null],
    ['‸', null],
  ];
  for (const [code, chain, table] of cases) {
    test(caseName(code, undefined), () => {
      const { text, cursor } = stripCursor(code);
      const { document, analysis } = parsed(text);
      const node = chainNodeAt(document, analysis, cursor);
      assert.equal(node?.name ?? null, chain);
      if (node) {
        assert.equal(node.table, table);
        assert.equal(analysis.tables[node.tableIndex]?.name, table);
        // The node opens on the chain's name, inside the node's line.
        assert.ok(node.span.start <= node.nameSpan.start && node.nameSpan.end <= node.span.end);
        // A renamed chain opens where it got its last name (the -E line).
        assert.equal(text.slice(node.nameSpan.start, node.nameSpan.end), chain);
      }
    });
  }
});

describe('callers and callees', () => {
  test('callers are grouped by chain, in the order of their first call, with every -j and -g', () => {
    const { text, ranges } = stripMarkers(
      '*filter\n:FOO - [0:0]\n:BAR - [0:0]\n-A INPUT -p tcp -j «FOO»\n-A FORWARD -j «FOO»\n-A INPUT -s 10.0.0.1 -j «FOO»\n-A BAR -g «FOO»\n-A INPUT -j BAR\nCOMMIT\n',
    );
    const { document, analysis } = parsed(text);
    const foo = chainNodeAt(document, analysis, text.indexOf(':FOO') + 1);
    assert.ok(foo);
    const starts = ranges.map((r) => r.start);
    assert.deepEqual(calls(callersOf(analysis, foo)), [['INPUT', [starts[0], starts[2]]], ['FORWARD', [starts[1]]], ['BAR', [starts[3]]]]);
    for (const c of callersOf(analysis, foo)) for (const s of c.spans) assert.equal(text.slice(s.start, s.end), 'FOO');
    assert.deepEqual(calleesOf(analysis, foo), []);
  });

  test('callees are the user chains a chain jumps or goes to, not targets or verdicts', () => {
    const { text, ranges } = stripMarkers(
      '*filter\n:FOO - [0:0]\n:BAR - [0:0]\n:LOG - [0:0]\n-A INPUT -j «FOO»\n-A INPUT -j ACCEPT\n-A INPUT -g «BAR»\n-A INPUT -p tcp -j «FOO»\n-A INPUT -j REJECT\n-A INPUT -j «LOG»\nCOMMIT\n',
    );
    const { document, analysis } = parsed(text);
    const input = chainNodeAt(document, analysis, text.indexOf('-A INPUT') + 4);
    assert.equal(input?.name, 'INPUT');
    const starts = ranges.map((r) => r.start);
    // A user chain named like a target extension (LOG) is the chain: iptables prefers it.
    assert.deepEqual(calls(calleesOf(analysis, input)), [['FOO', [starts[0], starts[2]]], ['BAR', [starts[1]]], ['LOG', [starts[3]]]]);
    assert.deepEqual(callersOf(analysis, input), []);
  });

  test('the reference scenario: INPUT and FORWARD call libvirt\'s chains', () => {
    const text = readFileSync(resolve('examples/etc/sysconfig/iptables'), 'utf8');
    const { document, analysis } = parsed(text);
    const forward = chainNodeAt(document, analysis, text.indexOf('-A FORWARD -j LIBVIRT_FWX') + 4);
    assert.ok(forward);
    assert.equal(forward.detail, 'table filter, policy DROP, 4 rules');
    assert.deepEqual(calleesOf(analysis, forward).map((c) => c.node.name), ['LIBVIRT_FWX', 'LIBVIRT_FWI', 'LIBVIRT_FWO']);
    const inp = chainNodeNamed(analysis, forward.tableIndex, 'LIBVIRT_INP');
    assert.ok(inp);
    assert.equal(inp.detail, 'table filter, 4 rules');
    assert.equal(text.slice(inp.span.start, inp.span.end), ':LIBVIRT_INP - [0:0]');
    assert.deepEqual(callersOf(analysis, inp).map((c) => [c.node.name, c.spans.length]), [['INPUT', 1]]);
    // The nat table's chains call nothing.
    const post = chainNodeAt(document, analysis, text.lastIndexOf('-A POSTROUTING') + 4);
    assert.equal(post?.table, 'nat');
    assert.deepEqual(calleesOf(analysis, post!), []);
  });

  test('a built-in chain\'s detail has the policy the table ends with (-P after the chain line)', () => {
    const text = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\n-P INPUT DROP\nCOMMIT\n';
    const { document, analysis } = parsed(text);
    assert.equal(chainNodeAt(document, analysis, 10)?.detail, 'table filter, policy DROP, 1 rule');
  });

  test('a renamed chain keeps the calls made under its old name', () => {
    const { text, ranges } = stripMarkers('*filter\n:OLD - [0:0]\n-A INPUT -j «OLD»\n-E OLD NEW\n-A FORWARD -j «NEW»\nCOMMIT\n');
    const { document, analysis } = parsed(text);
    const node = chainNodeAt(document, analysis, text.indexOf('j NEW') + 3);
    assert.equal(node?.name, 'NEW');
    assert.deepEqual(calls(callersOf(analysis, node!)), [['INPUT', [ranges[0]!.start]], ['FORWARD', [ranges[1]!.start]]]);
  });

  test('a chain no line declares still has a place: its first command', () => {
    const text = '*filter\n-A INPUT -j GHOST\n-A GHOST -j DROP\nCOMMIT\n';
    const { document, analysis } = parsed(text);
    const ghost = chainNodeAt(document, analysis, text.indexOf('-A GHOST') + 5);
    assert.equal(ghost?.name, 'GHOST');
    assert.equal(text.slice(ghost!.span.start, ghost!.span.end), '-A GHOST -j DROP');
  });

  test('an item of another version: found again by table and name, or not at all', () => {
    const { analysis } = parsed('*filter\n:FOO - [0:0]\n-A INPUT -j FOO\nCOMMIT\n');
    assert.equal(chainNodeNamed(analysis, 0, 'FOO')?.name, 'FOO');
    assert.equal(chainNodeNamed(analysis, 0, 'GONE'), undefined);
    assert.equal(chainNodeNamed(analysis, 3, 'FOO'), undefined);
  });

  test('a kube-proxy ruleset: every chain\'s callees are the callers\' mirror image', () => {
    const { text } = generateKubeProxyRuleset({ rules: 2000 });
    const { analysis } = parsed(text);
    let edges = 0;
    analysis.tables.forEach((table, tableIndex) => {
      const out = new Map<string, number>();
      const into = new Map<string, number>();
      for (const name of table.chains.keys()) {
        const node = chainNodeNamed(analysis, tableIndex, name);
        if (!node) continue;
        for (const c of calleesOf(analysis, node)) out.set(`${name}>${c.node.name}`, c.spans.length);
        for (const c of callersOf(analysis, node)) into.set(`${c.node.name}>${name}`, c.spans.length);
      }
      assert.deepEqual(new Map([...into].sort()), new Map([...out].sort()), table.name);
      edges += out.size;
    });
    assert.ok(edges > 500, `${edges} edges`);
  });
});

describe('the call hierarchy never throws on odd input', () => {
  for (const input of ['', '\0', '*', ':', ':\n', '-A', '-E', '*filter\n-E A\n-E\n:\n-N\n-j\nCOMMIT\n', '*filter\r\n:FOO - [0:0]\r\n-A INPUT -j FOO\r\nCOMMIT\r\n', '*filter\n-A A -j A\nCOMMIT\n']) {
    test(JSON.stringify(input), () => {
      const { document, analysis } = parsed(input);
      for (let offset = 0; offset <= input.length; offset++) {
        const node = chainNodeAt(document, analysis, offset);
        if (node) {
          callersOf(analysis, node);
          calleesOf(analysis, node);
        }
      }
    });
  }
});
