/**
 * Relocation conformance (relocation.ts): the accepted `.t` lines, one per shape, moved into every
 * built-in chain of every table, and into a user chain each built-in chain jumps to (the 1.8.9
 * lines, the version installed here). The real tools judge each ruleset; kvmnet must report no error
 * on one they accept and an error on every one they refuse.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { findCorpus } from './corpus.js';
import { describeMutation, MUTATION_SUITES, runMutations, type MutationResult } from './mutations.js';
import { conformanceSkip, DEFAULT_JOBS } from './parity.js';
import { relocationCases, shapeOf } from './relocation.js';

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

  before(async () => {
    const seen = new Set<string>();
    const direct = MUTATION_SUITES.flatMap((s) => relocationCases(corpus!, s, 'direct', seen));
    const [installed] = MUTATION_SUITES;
    const jump = relocationCases(corpus!, installed, 'jump');
    results = await runMutations([...direct, ...jump], DEFAULT_JOBS);
  });

  it('reports no error on a ruleset the tools accept, and an error on every one they refuse', (t) => {
    const accepted = results.filter((r) => r.verdict.accepted);
    const refused = results.filter((r) => !r.verdict.accepted);
    const falseErrors = results.filter((r) => r.outcome === 'false-error');
    const missed = results.filter((r) => r.outcome === 'missed' && !r.hostCause);
    t.diagnostic(`${results.length} rulesets: ${accepted.length} accepted (${falseErrors.length} with a kvmnet error), ${refused.length} refused (${refused.length - missed.length} flagged or refused by this host)`);
    for (const r of results.filter((x) => x.outcome === 'missed' && x.hostCause)) t.diagnostic(`  host: ${describeMutation(r)}`);
    assert.equal(falseErrors.length, 0, falseErrors.map(describeMutation).join('\n'));
    assert.equal(missed.length, 0, missed.map(describeMutation).join('\n'));
  });
});
