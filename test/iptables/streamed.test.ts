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
import { lintStreamed } from '../../server/src/iptables/streamed.js';
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
