import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import type { Span } from '../../server/src/core/span.js';
import { lintIptables } from '../../server/src/iptables/lint.js';
import { documentSymbols, foldingRanges, MAX_RULE_SYMBOLS, type SymbolNode } from '../../server/src/iptables/symbols.js';
import { stripMarkers } from '../helpers/ruleTester.js';

function symbolsOf(text: string): SymbolNode[] {
  const { document, analysis } = lintIptables(text);
  return documentSymbols(document, analysis);
}

function foldsOf(text: string) {
  const { document, analysis } = lintIptables(text);
  return foldingRanges(document, analysis);
}

/** `name (detail)` per node, children indented, for readable deep comparisons. */
function outline(nodes: readonly SymbolNode[], depth = 0): string[] {
  return nodes.flatMap((n) => [`${'  '.repeat(depth)}${n.kind} ${n.name}${n.detail ? ` (${n.detail})` : ''}`, ...outline(n.children, depth + 1)]);
}

function inside(inner: Span, outer: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** LSP requires selectionRange inside range; children are expected inside their parent. */
function assertWellFormed(nodes: readonly SymbolNode[], parent?: SymbolNode): void {
  for (const n of nodes) {
    assert.ok(inside(n.selectionSpan, n.span), `${n.name}: selection ${JSON.stringify(n.selectionSpan)} outside ${JSON.stringify(n.span)}`);
    if (parent) assert.ok(inside(n.span, parent.span), `${n.name} lies outside ${parent.name}`);
    assert.ok(n.name.length > 0);
    assertWellFormed(n.children, n);
  }
}

describe('document symbols', () => {
  test('the libvirt reference ruleset: table -> chain -> rule, with short rule names', () => {
    const text = readFileSync(resolve(__dirname, '../../examples/etc/sysconfig/iptables'), 'utf8');
    const symbols = symbolsOf(text);
    assertWellFormed(symbols);
    assert.deepEqual(outline(symbols), [
      'table mangle (table, 0 user chains, 1 command)',
      '  chain PREROUTING (policy ACCEPT, 0 rules)',
      '  chain INPUT (policy ACCEPT, 0 rules)',
      '  chain FORWARD (policy ACCEPT, 0 rules)',
      '  chain OUTPUT (policy ACCEPT, 0 rules)',
      '  chain POSTROUTING (policy ACCEPT, 1 rule)',
      '    rule -o virbr0 -p udp --dport 68 -j CHECKSUM --checksum-fill (line 9)',
      'table nat (table, 0 user chains, 5 commands)',
      '  chain PREROUTING (policy ACCEPT, 0 rules)',
      '  chain INPUT (policy ACCEPT, 0 rules)',
      '  chain OUTPUT (policy ACCEPT, 0 rules)',
      '  chain POSTROUTING (policy ACCEPT, 5 rules)',
      '    rule -s 192.168.122.0/24 -d 224.0.0.0/24 -j RETURN (line 16)',
      '    rule -s 192.168.122.0/24 -d 255.255.255.255/32 -j RETURN (line 17)',
      '    rule -s 192.168.122.0/24 ! -d 192.168.122.0/24 -p tcp -j MASQUERADE --to-ports 1024-65535 (line 18)',
      '    rule -s 192.168.122.0/24 ! -d 192.168.122.0/24 -p udp -j MASQUERADE --to-ports 1024-65535 (line 19)',
      '    rule -s 192.168.122.0/24 ! -d 192.168.122.0/24 -j MASQUERADE (line 20)',
      'table filter (table, 4 user chains, 19 commands)',
      '  chain INPUT (policy DROP, 6 rules)',
      '    rule -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT (line 30)',
      '    rule -i lo -j ACCEPT (line 31)',
      '    rule -p icmp --icmp-type 8 -j ACCEPT (line 32)',
      '    rule -p tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT (line 33)',
      '    rule -j LIBVIRT_INP (line 34)',
      '    rule -j REJECT --reject-with icmp-host-prohibited (line 35)',
      '  chain FORWARD (policy DROP, 4 rules)',
      '    rule -j LIBVIRT_FWX (line 40)',
      '    rule -j LIBVIRT_FWI (line 41)',
      '    rule -j LIBVIRT_FWO (line 42)',
      '    rule -i br0 -o br0 -j ACCEPT (line 43)',
      '  chain OUTPUT (policy ACCEPT, 0 rules)',
      '  chain LIBVIRT_INP (user chain, 4 rules)',
      '    rule -i virbr0 -p udp --dport 53 -j ACCEPT (line 36)',
      '    rule -i virbr0 -p tcp --dport 53 -j ACCEPT (line 37)',
      '    rule -i virbr0 -p udp --dport 67 -j ACCEPT (line 38)',
      '    rule -i virbr0 -p tcp --dport 67 -j ACCEPT (line 39)',
      '  chain LIBVIRT_FWX (user chain, 1 rule)',
      '    rule -i virbr0 -o virbr0 -j ACCEPT (line 44)',
      '  chain LIBVIRT_FWI (user chain, 2 rules)',
      '    rule -d 192.168.122.0/24 -o virbr0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT (line 45)',
      '    rule -o virbr0 -j REJECT --reject-with icmp-port-unreachable (line 46)',
      '  chain LIBVIRT_FWO (user chain, 2 rules)',
      '    rule -s 192.168.122.0/24 -i virbr0 -j ACCEPT (line 47)',
      '    rule -i virbr0 -j REJECT --reject-with icmp-port-unreachable (line 48)',
    ]);
  });

  test('spans: table from *table to COMMIT, selection on the names', () => {
    const { text, ranges } = stripMarkers('«*«filter»\n:«FOO» - [0:0]\n-A FOO -j ACCEPT\nCOMMIT»\n');
    const [table] = symbolsOf(text);
    assert.ok(table);
    assert.deepEqual(table.span, ranges[0]);
    assert.deepEqual(table.selectionSpan, ranges[1]);
    const foo = table.children.find((c) => c.name === 'FOO');
    assert.ok(foo);
    assert.deepEqual(foo.selectionSpan, ranges[2]);
    assert.equal(text.slice(foo.span.start, foo.span.end), ':FOO - [0:0]\n-A FOO -j ACCEPT');
  });

  test('iptables-save layout (every chain declared at the top): a chain spans its own rules only, selected at the first', () => {
    const text = readFileSync(resolve(__dirname, '..', '..', 'examples', 'etc', 'sysconfig', 'iptables'), 'utf8');
    const symbols = symbolsOf(text);
    assertWellFormed(symbols);
    const filter = symbols.find((t) => t.name === 'filter');
    assert.ok(filter);
    const withRules = filter.children.filter((c) => c.kind === 'chain' && c.children.length > 0);
    assert.ok(withRules.length >= 5, `${withRules.length} chains with rules`);
    for (const c of withRules) {
      const lines = text.slice(c.span.start, c.span.end).split('\n');
      // Sticky scroll and breadcrumbs read these spans: each line inside is one of the chain's own commands.
      for (const line of lines) assert.match(line, new RegExp(`^-[AIDRZFE] ${c.name} `), `${c.name} spans "${line}"`);
      assert.equal(text.slice(c.selectionSpan.start, c.selectionSpan.end), c.name);
      assert.equal(c.selectionSpan.start, text.indexOf(`\n-A ${c.name} `) + 4);
    }
    // A chain without rules stays on its declaration.
    const empty = filter.children.find((c) => c.kind === 'chain' && c.children.length === 0);
    if (empty) assert.match(text.slice(empty.span.start, empty.span.end), /^:/);
  });

  test('a file written by hand that comes back to a chain: one symbol per run, each command inside its own chain only', () => {
    const text = [
      '*filter',
      ':INPUT ACCEPT [0:0]',
      ':FORWARD DROP [0:0]',
      '# ssh first',
      '-A INPUT -p tcp --dport 22 -j ACCEPT',
      '-A INPUT -i lo -j ACCEPT',
      '-A FORWARD -i br0 -o br0 -j ACCEPT',
      '',
      '# back to INPUT',
      '-A INPUT -j DROP',
      '-P INPUT DROP',
      'COMMIT',
      '',
    ].join('\n');
    const symbols = symbolsOf(text);
    assertWellFormed(symbols);
    const chains = symbols[0]?.children ?? [];
    assert.deepEqual(chains.map((c) => [c.name, c.detail, text.slice(c.span.start, c.span.end)]), [
      ['INPUT', 'policy DROP, 3 rules, part 1 of 2', '-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -i lo -j ACCEPT'],
      ['INPUT', 'policy DROP, 3 rules, part 2 of 2', '-A INPUT -j DROP\n-P INPUT DROP'],
      ['FORWARD', 'policy DROP, 1 rule', '-A FORWARD -i br0 -o br0 -j ACCEPT'],
    ]);
    // What sticky scroll shows: the innermost chain symbol around each command line is its own chain.
    const lines = text.split('\n');
    let offset = 0;
    for (const line of lines) {
      const command = /^-[AP] (\S+)/.exec(line);
      if (command) {
        const around = chains.filter((c) => c.span.start <= offset && offset + line.length <= c.span.end);
        assert.deepEqual(around.map((c) => c.name), [command[1]], line);
      }
      offset += line.length + 1;
    }
  });

  test('comments become the detail; other commands get their own names; undeclared chains still appear', () => {
    const text = [
      '*filter',
      '-N WEB',
      '-A WEB -p tcp -m tcp --dport 443 -m comment --comment "HTTPS in" -j ACCEPT',
      '-I INPUT 2 -j WEB',
      '-P FORWARD DROP',
      '-F',
      '-D INPUT 3',
      '-A GHOST -j DROP',
      '-A INPUT',
      'COMMIT',
      '',
    ].join('\n');
    const symbols = symbolsOf(text);
    assertWellFormed(symbols);
    assert.deepEqual(outline(symbols), [
      'table filter (table, 2 user chains, 8 commands)',
      '  chain WEB (user chain, 1 rule)',
      '    rule -p tcp --dport 443 -j ACCEPT (HTTPS in)',
      // INPUT comes back twice after other commands: a symbol per run.
      '  chain INPUT (2 rules, part 1 of 3)',
      '    rule -I 2 -j WEB (line 4)',
      '  chain INPUT (2 rules, part 2 of 3)',
      '    rule -D 3 (line 7)',
      '  chain INPUT (2 rules, part 3 of 3)',
      '    rule (every packet, no target) (line 9)',
      '  chain FORWARD (policy DROP, 0 rules)',
      '    rule -P DROP (line 5)',
      '  chain GHOST (user chain, 1 rule)',
      '    rule -j DROP (line 8)',
      '  rule -F (line 6)',
    ]);
  });

  test('a file of more command lines than the limit lists tables and chains only, with the same counts', () => {
    const text = '*filter\n-N WEB\n-A WEB -j ACCEPT\n-A INPUT -j WEB\n-A INPUT -j DROP\n-F\nCOMMIT\n*nat\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n';
    const { document, analysis } = lintIptables(text);
    const listed = documentSymbols(document, analysis, 6);
    assert.equal(listed[0]?.children.find((c) => c.name === 'INPUT')?.children.length, 2);
    const short = documentSymbols(document, analysis, 5);
    assertWellFormed(short);
    assert.deepEqual(outline(short), [
      'table filter (table, 1 user chain, 5 commands (rules not listed: the file has over 5))',
      '  chain WEB (user chain, 1 rule)',
      '  chain INPUT (2 rules)',
      'table nat (table, 0 user chains, 1 command (rules not listed: the file has over 5))',
      '  chain POSTROUTING (1 rule)',
    ]);
    // The default limit: one command line over it, and exactly at it.
    const big = `*filter\n${'-A INPUT -j ACCEPT\n'.repeat(MAX_RULE_SYMBOLS)}-A GHOST -j DROP\nCOMMIT\n`;
    assert.deepEqual(outline(symbolsOf(big)), [
      `table filter (table, 1 user chain, ${MAX_RULE_SYMBOLS + 1} commands (rules not listed: the file has over ${MAX_RULE_SYMBOLS.toLocaleString('en-US')}))`,
      `  chain INPUT (${MAX_RULE_SYMBOLS} rules)`,
      '  chain GHOST (user chain, 1 rule)',
    ]);
    assert.equal(symbolsOf(`*filter\n${'-A INPUT -j ACCEPT\n'.repeat(MAX_RULE_SYMBOLS)}COMMIT\n`)[0]?.children[0]?.children.length, MAX_RULE_SYMBOLS);
  });

  test('long rules are shortened', () => {
    const text = `*filter\n-A INPUT -m comment --comment x -p tcp -m multiport --dports ${Array.from({ length: 15 }, (_, i) => 1000 + i).join(',')} -j ACCEPT\nCOMMIT\n`;
    const rule = symbolsOf(text)[0]?.children.find((c) => c.name === 'INPUT')?.children[0];
    assert.ok(rule);
    assert.ok(rule.name.length <= 100);
    assert.ok(rule.name.endsWith('…'));
  });

  test('an unterminated table and a table without name', () => {
    const symbols = symbolsOf('*filter\n-A INPUT -j ACCEPT\n*\n-A X -j DROP\n');
    assertWellFormed(symbols);
    assert.equal(symbols.length, 2);
    assert.equal(symbols[1]?.name, '*');
  });

  test('never throws on odd input', () => {
    for (const input of ['', '\0', '*', ':', ':\n', '-A', 'COMMIT\n', '*filter\r\n:INPUT ACCEPT [0:0]\r\nCOMMIT\r\n', '*filter\n:\n-A\n-N\nCOMMIT\n']) {
      assertWellFormed(symbolsOf(input));
      foldsOf(input);
    }
  });
});

describe('folding ranges', () => {
  test('the libvirt reference ruleset: one region per table and per run of a chain\'s rules, the header comments', () => {
    const text = readFileSync(resolve(__dirname, '../../examples/etc/sysconfig/iptables'), 'utf8');
    const folds = foldsOf(text);
    assert.deepEqual(folds, [
      { startLine: 0, endLine: 1, kind: 'comment' },
      { startLine: 2, endLine: 9, kind: 'region' },
      { startLine: 10, endLine: 20, kind: 'region' },
      { startLine: 15, endLine: 19, kind: 'region' }, // POSTROUTING
      { startLine: 21, endLine: 48, kind: 'region' },
      { startLine: 29, endLine: 34, kind: 'region' }, // INPUT
      { startLine: 35, endLine: 38, kind: 'region' }, // LIBVIRT_INP
      { startLine: 39, endLine: 42, kind: 'region' }, // FORWARD
      { startLine: 44, endLine: 45, kind: 'region' }, // LIBVIRT_FWI
      { startLine: 46, endLine: 47, kind: 'region' }, // LIBVIRT_FWO
    ]);
    // Each chain region holds the rules of one chain, and no more of them follow it.
    const lines = text.split('\n');
    for (const f of folds.filter((x) => x.kind === 'region' && lines[x.startLine]?.startsWith('-A '))) {
      const chain = lines[f.startLine]?.split(' ')[1] ?? '';
      for (let i = f.startLine; i <= f.endLine; i++) assert.ok(lines[i]?.startsWith(`-A ${chain} `), `line ${i + 1} in ${chain}'s fold`);
      assert.ok(!lines[f.endLine + 1]?.startsWith(`-A ${chain} `), `${chain}'s fold ends at its last rule`);
    }
  });

  test('comment runs inside tables; a single comment line does not fold; an unclosed table folds to its last line', () => {
    const text = ['# one', '*filter', '# a', '# b', '# c', '-A INPUT -j ACCEPT', '# lone', '-A INPUT -j DROP', ''].join('\n');
    assert.deepEqual(foldsOf(text), [
      { startLine: 1, endLine: 7, kind: 'region' },
      { startLine: 2, endLine: 4, kind: 'comment' },
      { startLine: 5, endLine: 7, kind: 'region' }, // INPUT's two rules, across the comment between them
    ]);
  });

  test('a table of one line does not fold', () => {
    assert.deepEqual(foldsOf('*filter\n'), []);
  });
});
