/**
 * Streamed linting (iptables/streamed.ts, what the CLI runs) gives exactly the findings of a full
 * lint, in the same order: on every real ruleset and every `.t` extension test file of the corpus
 * (as a whole file), on the examples, on a generated kube-proxy ruleset, and on seeded random edits
 * of them, with chunks as small as one line so that every chunk boundary is crossed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSettings } from '../../server/src/core/settings.js';
import { lintIptables, type LintOptions } from '../../server/src/iptables/lint.js';
import { lintStreamed, lintStreamedCounted, readStructure } from '../../server/src/iptables/streamed.js';
import { analyze, resolveContextOf, type AnalyzedRule, type TableAnalysis } from '../../server/src/iptables/analysis.js';
import { parseRuleLine } from '../../server/src/iptables/parser.js';
import { resolveRule, type ResolvedRule } from '../../server/src/iptables/resolve.js';
import { ShapeMemo } from '../../server/src/iptables/shapeMemo.js';
import { generateKubeProxyRuleset } from '../../scripts/bench/kubeProxyRuleset.js';
import { corpusTextsIn, findCorpus, PROJECT_ROOT } from '../conformance/corpus.js';
import { EDGE_CASES, edit, random } from '../helpers/edits.js';

function assertSame(text: string, options: LintOptions, chunks: readonly number[], what: string): void {
  const want = JSON.stringify(lintIptables(text, options).findings);
  for (const chunk of chunks) {
    const got = JSON.stringify(lintStreamed(text, options, chunk));
    if (got !== want) assert.deepEqual(JSON.parse(got), JSON.parse(want), `${what}, chunks of ${chunk} lines`);
  }
}

describe('streamed lint', () => {
  it('gives what a full lint gives on the edge cases, the examples and a kube-proxy ruleset, and over random edits of them', () => {
    const inputs = [
      { name: 'edge cases', text: EDGE_CASES, steps: 200 },
      { name: 'examples/etc/sysconfig/iptables', text: readFileSync(join(PROJECT_ROOT, 'examples', 'etc', 'sysconfig', 'iptables'), 'utf8'), steps: 60 },
      { name: 'kube-proxy.iptables', text: generateKubeProxyRuleset({ rules: 300 }).text, steps: 30 },
    ];
    for (const { name, text, steps } of inputs) {
      const rnd = random(name.length * 104729 + steps);
      let current = text;
      assertSame(current, { fileName: name }, [1, 2, 5, 512], name);
      for (let k = 0; k < steps; k++) {
        current = edit(current, rnd);
        assertSame(current, { fileName: name }, [1, 3, 64], `${name} after edit ${k + 1}`);
      }
    }
  });

  it('honours severity settings, rules turned off, a forced family and a restricted list of checks', () => {
    const settings = parseSettings({ rules: { 'unused-chain': 'off', 'bad-value': 'warning', 'syntax': 'hint' }, iptables: { family: 'ipv6' } });
    assertSame(EDGE_CASES, { fileName: 'x', settings }, [1, 4], 'settings');
    assertSame(EDGE_CASES, { family: 'ipv6' }, [1, 4], 'family');
    const full = lintIptables(EDGE_CASES, {}).findings;
    const few = lintStreamed(EDGE_CASES, { rules: [] }, 3);
    assert.equal(few.length, 0, 'no checks, no findings');
    assert.ok(full.length > 10, 'the edge cases have findings to compare');
  });

  it('handles empty and odd documents', () => {
    const numbered = '*filter\n-A INPUT -j ACCEPT\n-A INPUT -j ACCEPT\n-I INPUT 3 -j DROP\n-I INPUT 5 -j DROP\n-D INPUT 4\n-R INPUT 1 -j ACCEPT\n-F\n-I INPUT 2 -j DROP\nCOMMIT\n';
    for (const text of ['', '\n', '\n\n', '*filter', 'COMMIT\n', '-A INPUT -j ACCEPT\n', '\0\r\n', '*nat\n-A X -j Y\n-N X\nCOMMIT', numbered]) {
      assertSame(text, {}, [1, 2, 100], JSON.stringify(text));
    }
  });

  it('skips the checks of a line only when a clean line of its shape, table and kind of chain read its values alike', () => {
    const filter = (rules: string): string => `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${rules}COMMIT\n`;
    const long = 'x'.repeat(300);
    // [what, ruleset, the check that must report the last -A line]: the -A lines before it are
    // clean, and it has their shape with a value or a chain that draws a finding.
    const cases: ReadonlyArray<readonly [string, string, string]> = [
      ['a port out of range', filter('-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 443 -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 99999 -j ACCEPT\n'), 'bad-value'],
      ['host bits set', filter('-A INPUT -s 10.0.0.0/24 -j ACCEPT\n-A INPUT -s 10.0.1.0/24 -j ACCEPT\n-A INPUT -s 10.0.2.1/24 -j ACCEPT\n'), 'noncanonical-cidr'],
      ['a range of addresses', filter('-A INPUT -s 10.0.0.1 -j ACCEPT\n-A INPUT -s 10.0.0.2 -j ACCEPT\n-A INPUT -s 10.0.0.1-10.0.0.9 -j ACCEPT\n'), 'bad-value'],
      ['a negated network of any address', filter('-A INPUT ! -s 10.0.0.0/8 -j ACCEPT\n-A INPUT ! -s 172.16.0.0/12 -j ACCEPT\n-A INPUT ! -s 10.0.0.0/0 -j ACCEPT\n'), 'bad-value'],
      ['a negated list of addresses', filter('-A INPUT ! -s 10.0.0.0/8 -j ACCEPT\n-A INPUT ! -s 172.16.0.0/12 -j ACCEPT\n-A INPUT ! -s 10.0.0.1,10.0.0.2 -j ACCEPT\n'), 'bad-value'],
      ['an address of the other family', filter('-A INPUT -s 10.0.0.1 -j ACCEPT\n-A INPUT -s 10.0.0.2 -j ACCEPT\n-A INPUT -s ::1 -j ACCEPT\n'), 'family-mismatch'],
      ['a comment too long', filter(`-A INPUT -m comment --comment "ssh" -j ACCEPT\n-A INPUT -m comment --comment "web" -j ACCEPT\n-A INPUT -m comment --comment "${long}" -j ACCEPT\n`), 'bad-value'],
      ['a probability past 1 (an extension\'s own check)', filter('-A INPUT -m statistic --mode random --probability 0.5 -j ACCEPT\n-A INPUT -m statistic --mode random --probability 0.25 -j ACCEPT\n-A INPUT -m statistic --mode random --probability 1.5 -j ACCEPT\n'), 'bad-value'],
      ['an input interface in OUTPUT', filter('-A INPUT -i eth0 -j ACCEPT\n-A INPUT -i eth1 -j ACCEPT\n-A OUTPUT -i eth0 -j ACCEPT\n'), 'interface-not-allowed'],
      ['a chain made further down', filter(':A - [0:0]\n-A A -s 10.0.0.1 -j ACCEPT\n-A A -s 10.0.0.2 -j ACCEPT\n-A C -s 10.0.0.3 -j ACCEPT\n-N C\n'), 'undefined-chain'],
      ['a chain never declared', filter(':A - [0:0]\n-A A -s 10.0.0.1 -j ACCEPT\n-A A -s 10.0.0.2 -j ACCEPT\n-A D -s 10.0.0.3 -j ACCEPT\n'), 'undefined-chain'],
      ['a target reached from a hook it is not valid in', '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:A - [0:0]\n:B - [0:0]\n-A PREROUTING -j A\n-A INPUT -j B\n-A A -p tcp -j DNAT --to-destination 10.0.0.1:80\n-A A -p tcp -j DNAT --to-destination 10.0.0.2:80\n-A B -p tcp -j DNAT --to-destination 10.0.0.3:80\nCOMMIT\n', 'target-not-allowed'],
      ['a port range the wrong way round (DNAT\'s own check)', '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:80-90\n-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.2:80-90\n-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.3:90-80\nCOMMIT\n', 'bad-value'],
    ];
    for (const [what, text, rule] of cases) {
      const full = lintIptables(text, {}).findings;
      // The last -A line, which has the shape of the -A lines before it.
      const lastStart = text.lastIndexOf('\n-A ') + 1;
      const lastEnd = text.indexOf('\n', lastStart);
      assert.ok(full.some((f) => f.ruleId === rule && f.span.start >= lastStart && f.span.start < lastEnd), `${what}: a full lint reports ${rule} on the last line: ${JSON.stringify(full.map((f) => f.message))}`);
      assert.ok(!full.some((f) => f.span.start < lastStart && f.span.start >= text.indexOf('\n-A') && f.ruleId !== 'unused-chain'), `${what}: the lines before are clean`);
      for (const chunk of [1, 2, 128]) {
        const got = lintStreamedCounted(text, {}, chunk);
        assert.deepEqual(got.findings, full, `${what}, chunks of ${chunk} lines`);
      }
    }
  });

  it('remembers a bounded number of keys, and goes on without a memo for the others', () => {
    const text = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -s 10.0.0.1 -j ACCEPT\n-A INPUT -s 10.0.0.2 -j ACCEPT\n-A INPUT -d 10.0.0.1 -j ACCEPT\n-A INPUT -d 10.0.0.2 -j ACCEPT\nCOMMIT\n';
    const { doc, standIns, shapes } = readStructure(text, 'ipv4');
    const analysis = analyze(doc, (line) => standIns[line.index] as ResolvedRule);
    const memo = new ShapeMemo(text, 'ipv4', shapes, analysis, 1);
    const full = (known: AnalyzedRule): AnalyzedRule => {
      const line = parseRuleLine(text.slice(known.line.span.start, known.line.span.end), known.line.span.start, known.line.index).line;
      return { ...known, line, resolved: resolveRule(line, resolveContextOf(known.table, 'ipv4')), targetKind: undefined, validated: undefined };
    };
    const [s1, s2, d1, d2] = (analysis.tables[0] as TableAnalysis).rules as [AnalyzedRule, AnalyzedRule, AnalyzedRule, AnalyzedRule];
    const sKey = memo.keyOf(0, s1) as string;
    const dKey = memo.keyOf(0, d1) as string;
    assert.ok(sKey !== undefined && dKey !== undefined && sKey !== dKey, 'two keys');
    assert.equal(memo.keyOf(0, s2), sKey);
    assert.ok(memo.wants(sKey));
    memo.learn(sKey, full(s1), false);
    assert.ok(memo.clean(sKey, s2), 'the second -s line reads as the first');
    assert.equal(memo.wants(dKey), false, 'no room for a second key');
    memo.learn(dKey, full(d1), false);
    assert.equal(memo.clean(dKey, d2), false, 'the -d lines go through the checks');
  });

  it('spares the checks of most lines of a kube-proxy ruleset, with the findings it gives without the memo', () => {
    const text = generateKubeProxyRuleset({ rules: 3000 }).text;
    const memo = lintStreamedCounted(text, {}, 128, true);
    const none = lintStreamedCounted(text, {}, 128, false);
    assert.equal(none.skipped, 0);
    assert.ok(memo.skipped > 2000, `skipped ${memo.skipped} of 3,000 rules`);
    assert.deepEqual(memo.findings, none.findings);
    assert.deepEqual(memo.findings, lintIptables(text, {}).findings);
  });

  const corpus = findCorpus();
  it('gives what a full lint gives on every file of the corpus, and on a random edit of each', { skip: corpus ? false : 'the shared corpus is not there' }, () => {
    let compared = 0;
    for (const { path, text } of corpusTextsIn(corpus as string)) {
      if (text.length > 400_000) continue;
      assertSame(text, { fileName: path }, [1], path);
      const rnd = random(path.length);
      assertSame(edit(edit(text, rnd), rnd), { fileName: path }, [7], `${path}, edited`);
      compared++;
    }
    assert.ok(compared > 500, `compared ${compared} corpus files`);
  });
});
