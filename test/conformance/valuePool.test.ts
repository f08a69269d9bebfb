/**
 * The value pool (valuePool.ts) judged by the real tools: no kvmnet error on a variant both tools
 * accept. Refusals kvmnet misses are printed, not asserted: the ones left are corners of single
 * extensions (docs/conformance.md, "A pool of values").
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { findCorpus } from './corpus.js';
import { describeMutation, runMutations, type MutationResult } from './mutations.js';
import { conformanceSkip } from './parity.js';
import { valuePoolCases } from './valuePool.js';

const corpus = findCorpus();
const skip = conformanceSkip(corpus, 'iptables-t/cases-v1.8.9.csv');

describe('conformance: a pool of edge values in place of each value, against the real tools', { skip, timeout: 900_000 }, () => {
  let results: MutationResult[];

  before(async () => {
    results = await runMutations(valuePoolCases(corpus as string));
  });

  it('reports no error on a variant both tools accept', (t) => {
    const accepted = results.filter((r) => r.verdict.accepted);
    const missed = results.filter((r) => r.outcome === 'missed' && !r.hostCause);
    t.diagnostic(`${results.length} variants: ${accepted.length} accepted, ${results.length - accepted.length} refused, ${missed.length} of them without a kvmnet error`);
    const falseErrors = results.filter((r) => r.outcome === 'false-error');
    assert.equal(falseErrors.length, 0, falseErrors.map(describeMutation).join('\n'));
  });
});
