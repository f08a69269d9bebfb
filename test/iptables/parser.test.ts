/** The tolerant parser: words and spans as iptables-restore splits them, structure, and no throw on any input. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintIptables } from '../../server/src/iptables/lint.js';
import { detectFamily, familyOf, groupArgs, parseIptables, splitWords } from '../../server/src/iptables/parser.js';
import type { RuleLine } from '../../server/src/iptables/model.js';

const words = (t: string): Array<[string, number, number, boolean]> => splitWords(t, 0).map((w) => [w.text, w.span.start, w.span.end, w.quoted]);

describe('splitWords (iptables-restore quoting)', () => {
  const cases: Array<[string, Array<[string, number, number, boolean]>]> = [
    ['-A INPUT  -j\tACCEPT', [['-A', 0, 2, false], ['INPUT', 3, 8, false], ['-j', 10, 12, false], ['ACCEPT', 13, 19, false]]],
    ['--comment "a b"', [['--comment', 0, 9, false], ['a b', 10, 15, true]]],
    ['"a \\"q\\" b"', [['a "q" b', 0, 11, true]]],
    ["'a b'", [["'a", 0, 2, false], ["b'", 3, 5, false]]],
    ['ab"c d"e', [['abc d', 0, 7, true], ['e', 7, 8, false]]],
    ['""', [['', 0, 2, true]]],
    // Inside quotes a backslash escapes any character and is dropped; outside quotes it is kept.
    ['"C:\\Windows"', [['C:Windows', 0, 12, true]]],
    ['"a\\\\b" a\\b', [['a\\b', 0, 6, true], ['a\\b', 7, 10, false]]],
  ];
  for (const [input, expected] of cases) it(JSON.stringify(input), () => assert.deepEqual(words(input), expected));

  it('marks an unterminated quote (iptables-restore accepts it)', () => {
    const [w] = splitWords('"abc', 0);
    assert.equal(w?.text, 'abc');
    assert.equal(w?.unterminatedQuote, true);
  });
});

describe('groupArgs', () => {
  it('attaches "!" to the option after it and values to the option before them', () => {
    const g = groupArgs(splitWords('-A INPUT ! -s 10.0.0.0/8 -p tcp --dport 22 -j ACCEPT', 0));
    assert.deepEqual(g.args.map((a) => [a.negation !== undefined, a.name.text, a.values.map((v) => v.text)]), [
      [false, '-A', ['INPUT']], [true, '-s', ['10.0.0.0/8']], [false, '-p', ['tcp']], [false, '--dport', ['22']], [false, '-j', ['ACCEPT']],
    ]);
    assert.deepEqual(g.args[1]?.span, { start: 9, end: 24 });
  });
  it('reports the old "-s ! addr" placement and stray "!"', () => {
    const old = groupArgs(splitWords('-A INPUT -s ! 1.2.3.4', 0));
    assert.equal(old.misplaced.length, 1);
    assert.deepEqual(old.args[1]?.values.map((v) => v.text), ['1.2.3.4']);
    assert.equal(groupArgs(splitWords('-A INPUT ! ! -s x', 0)).strayNegations.length, 1);
    assert.equal(groupArgs(splitWords('-A INPUT -j ACCEPT !', 0)).strayNegations.length, 1);
  });
  it('keeps words before the first option apart', () => {
    assert.deepEqual(groupArgs(splitWords('x y -A I', 0)).leading.map((w) => w.text), ['x', 'y']);
  });
});

describe('parseIptables', () => {
  it('reads tables, chains with policies and counters, rules and COMMIT', () => {
    const doc = parseIptables('# c\n*filter\n:INPUT DROP [1:2]\n:L - [0:0]\n[5:6] -A INPUT -j L\n-N X\nCOMMIT\n');
    assert.deepEqual(doc.lines.map((l) => l.kind), ['comment', 'table', 'chain', 'chain', 'rule', 'rule', 'commit']);
    assert.equal(doc.problems.length, 0);
    const t = doc.tables[0];
    assert.equal(t?.name, 'filter');
    assert.deepEqual(t?.chainLines.map((c) => [c.name.text, c.policy?.text, c.counters?.packets, c.counters?.bytes]), [['INPUT', 'DROP', '1', '2'], ['L', '-', '0', '0']]);
    const rule = t?.rules[0] as RuleLine;
    assert.deepEqual([rule.commandKind, rule.chain?.text, rule.counters?.packets], ['append', 'INPUT', '5']);
    assert.equal(t?.rules[1]?.commandKind, 'new-chain');
  });

  const problems: Array<[string, RegExp]> = [
    ['-A INPUT -j ACCEPT\n', /rule outside a table/],
    ['*filter\n-A INPUT -j ACCEPT\n', /has no COMMIT/],
    ['*filter\nCOMMIT\n-A INPUT -j ACCEPT\n', /after COMMIT/],
    ['*filter\n*nat\nCOMMIT\n', /is not closed/],
    ['*filter\nCOMMIT', /without a newline/],
    ['*filter\n  \nCOMMIT\n', /only spaces/],
    ['*filter\n:\nCOMMIT\n', /missing chain name/],
    ['*filter\n:FOO\nCOMMIT\n', /missing policy/],
    ['*filter\r\nCOMMIT\r\n', /CRLF/],
    ['*filter\n-A INPUT -j AC\0CEPT\nCOMMIT\n', /NUL/],
    ['*filter\n-A INPUT -j ACCEPT # note\nCOMMIT\n', /comment must be on a line of its own/],
    ['*filter\nCOMMIT \n', /blanks around COMMIT/],
  ];
  for (const [input, pattern] of problems) {
    it(`reports ${JSON.stringify(input)}`, () => {
      const doc = parseIptables(input);
      assert.ok(doc.problems.some((p) => pattern.test(p.message)), doc.problems.map((p) => p.message).join('; '));
    });
  }

  it('never throws, whatever the bytes', () => {
    const inputs = ['', '\0\0\0', '*', ':', '[', '[1:2', '"', '!', '-', '--', '*filter\n' + 'x'.repeat(1_000_000), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1')];
    for (const input of inputs) assert.doesNotThrow(() => parseIptables(input));
  });
});

describe('detectFamily', () => {
  it('uses the file name, the save header, then the content', () => {
    assert.equal(detectFamily('*filter\nCOMMIT\n', '/etc/iptables/rules.v6'), 'ipv6');
    assert.equal(detectFamily('*filter\nCOMMIT\n', '/etc/sysconfig/ip6tables'), 'ipv6');
    assert.equal(detectFamily('# Generated by ip6tables-save v1.8.9\n*filter\nCOMMIT\n'), 'ipv6');
    assert.equal(detectFamily('*filter\n-A INPUT -s 2001:db8::/32 -j ACCEPT\nCOMMIT\n'), 'ipv6');
    assert.equal(detectFamily('*filter\n-A INPUT -s 192.168.122.0/24 -j ACCEPT\nCOMMIT\n', '/etc/sysconfig/iptables'), 'ipv4');
    // An IPv4 file name wins over content that looks IPv6 (iptables reads -s ::ffff:1.2.3.4 as 1.2.3.4).
    const mapped = '*filter\n-A INPUT -s ::ffff:1.2.3.4 -j ACCEPT\nCOMMIT\n';
    assert.equal(detectFamily(mapped), 'ipv6');
    for (const name of ['/etc/iptables/rules.v4', '/etc/sysconfig/iptables', '/etc/ufw/before.rules', 'host.iptables']) {
      assert.equal(detectFamily(mapped, name), 'ipv4', name);
    }
    assert.equal(detectFamily(mapped, '/etc/ufw/before6.rules'), 'ipv6');
  });

  it('reads the headers of iptables 1.8.10 and later, which name the backend', () => {
    for (const tool of ['ip6tables-nft-save v1.8.10 (nf_tables)', 'ip6tables-legacy-save v1.8.10']) {
      assert.deepEqual(familyOf(`# Generated by ${tool} on Tue Dec  1 06:00:00 2026\n*filter\n-A INPUT -s 10.0.0.1 -j ACCEPT\nCOMMIT\n`), { family: 'ipv6', evidence: 'header' }, tool);
    }
    for (const tool of ['iptables-nft-save v1.8.10 (nf_tables)', 'iptables-legacy-save v1.8.10', 'xtables-save v1.8.2']) {
      assert.deepEqual(familyOf(`# Generated by ${tool}\n*filter\n-A INPUT -s 2001:db8::1 -j ACCEPT\nCOMMIT\n`), { family: 'ipv4', evidence: 'header' }, tool);
    }
  });

  it('takes only the IPv6 names for IPv6, not any name with a 6 before .rules', () => {
    const v4 = '*filter\n-A INPUT -s 10.0.0.1 -j ACCEPT\nCOMMIT\n';
    for (const name of ['/etc/iptables/ip6tables.rules', '/root/saved-ip6tables', '/etc/ufw/user6.rules', '/etc/ufw/after6.rules', 'rules.v6']) {
      assert.equal(familyOf(v4, name).family, 'ipv6', name);
    }
    for (const name of ['/root/fw-2016.rules', '/root/backup-6.rules', '/tmp/myuser6rules.txt']) {
      assert.deepEqual(familyOf(v4, name), { family: 'ipv4', evidence: 'content' }, name);
    }
  });
});

describe('pathological lines', () => {
  // A resolver that rescans every loaded extension per option is quadratic on such lines (minutes
  // for a 5 MB line); these must lint in well under the test timeout.
  const line = (unit: string, length: number): string => {
    let s = '*filter\n-A INPUT';
    while (s.length < length) s += unit;
    return `${s}\nCOMMIT\n`;
  };
  for (const unit of [' -m tcp', ' -m recent --rcheck', ' -s 10.0.0.1', ' -m foo --bar 1', ' !', ' --dp 22 -p tcp']) {
    it(`a 1 MB line of "${unit.trim()}"`, { timeout: 20_000 }, () => {
      const { findings } = lintIptables(line(unit, 1_000_000));
      assert.ok(Array.isArray(findings));
    });
  }
});
