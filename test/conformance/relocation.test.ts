/**
 * Relocation conformance (relocation.ts): the accepted `.t` lines, one per shape, moved into every
 * built-in chain of every table, and into a user chain each built-in chain jumps to (the 1.8.9
 * lines, the version installed here). The real tools judge each ruleset; kvmnet must report no error
 * on one they accept and an error on every one they refuse.
 *
 * Where the kernel has the legacy tables, each accepted ruleset is also loaded for real with the
 * legacy backend, which checks more than `--test` and the nf_tables backend do (test/iptables/
 * backends.test.ts): kvmnet must warn on every one a legacy load refuses, and its warnings that
 * name the legacy backend must be about rulesets a legacy load refuses.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { lintIptables } from '../../server/src/iptables/lint.js';
import { legacyLoadAvailable } from '../helpers/realTools.js';
import { findCorpus } from './corpus.js';
import { assertVariantVerdicts, describeMutation, MUTATION_SUITES, runMutations, type MutationResult } from './mutations.js';
import { conformanceSkip } from './parity.js';
import { relocationCases, shapeOf } from './relocation.js';
import { IN_FLIGHT, mapLimit, TOOL_RUNS } from './tools.js';

describe('relocation: shapes', () => {
  it('leave out values, order and repeats, and keep the names that load extensions', () => {
    assert.equal(shapeOf('-p tcp -m tcp --dport 22 -j ACCEPT'), shapeOf('-m tcp -p tcp --dport 80:90 -j ACCEPT'));
    assert.notEqual(shapeOf('-p tcp --dport 22'), shapeOf('-p udp --dport 22'));
    assert.notEqual(shapeOf('-j DROP'), shapeOf('-j ACCEPT'));
    assert.equal(shapeOf('-m mark --mark -1 -j ACCEPT'), '--mark -j -m ACCEPT mark');
  });
});

const corpus = findCorpus();
const skip = conformanceSkip(corpus, 'iptables-t/cases-*.csv');

describe('conformance: the accepted .t lines in every chain, against the real tools', { skip, timeout: 600_000 }, () => {
  let results: MutationResult[];
  /** The accepted rulesets a real legacy load refuses, with kvmnet's warnings (undefined: no legacy load here). */
  let legacy: Array<{ result: MutationResult; refused: boolean; warnings: string[] }> | undefined;

  before(async () => {
    const seen = new Set<string>();
    const direct = MUTATION_SUITES.flatMap((s) => relocationCases(corpus!, s, 'direct', seen));
    const [installed] = MUTATION_SUITES;
    const jump = relocationCases(corpus!, installed, 'jump');
    results = await runMutations([...direct, ...jump]);
    if (!legacyLoadAvailable()) return;
    legacy = await mapLimit(results.filter((r) => r.verdict.accepted), IN_FLIGHT, async (result) => {
      const warnings = lintIptables(result.subject.text, { family: result.subject.family }).findings.filter((f) => f.severity === 'warning').map((f) => `${f.ruleId}: ${f.message}`);
      const load = await TOOL_RUNS.ask('legacy-load', result.subject.family, result.subject.text, warnings.some((w) => /legacy/.test(w)));
      return { result, refused: !load.accepted, warnings };
    });
  });

  it('reports no error on a ruleset the tools accept, and an error on every one they refuse', (t) => {
    assertVariantVerdicts(t, results, 'rulesets');
  });

  it('warns on every accepted ruleset a real legacy load refuses, and names the legacy backend only then', (t) => {
    if (!legacy) {
      t.skip('the kernel here has no legacy ip_tables');
      return;
    }
    const refused = legacy.filter((l) => l.refused);
    t.diagnostic(`${legacy.length} accepted rulesets loaded with the legacy backend: ${refused.length} refused`);
    const silent = refused.filter((l) => l.warnings.length === 0);
    assert.equal(silent.length, 0, silent.map((l) => describeMutation(l.result)).join('\n'));
    const wrong = legacy.filter((l) => !l.refused && l.warnings.some((w) => /legacy/.test(w)));
    assert.equal(wrong.length, 0, wrong.map((l) => `${describeMutation(l.result)} | ${l.warnings.join(' ; ')}`).join('\n'));
  });
});
