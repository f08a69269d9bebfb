/**
 * Pair conformance (pairs.ts): two accepted `.t` lines of different extensions joined into one rule,
 * some with shortened options, from the 1.8.9 and the HEAD tables. The real tools judge each; kvmnet
 * must report no error on one they accept and an error on every one they refuse.
 */
import { before, describe, it } from 'node:test';
import { findCorpus } from './corpus.js';
import { assertVariantVerdicts, MUTATION_SUITES, runMutations, type MutationResult } from './mutations.js';
import { pairCases } from './pairs.js';
import { conformanceSkip } from './parity.js';

const corpus = findCorpus();
const skip = conformanceSkip(corpus, 'iptables-t/cases-*.csv');

/** Pairs drawn per table: about 30 s of the real tools on two cores. */
const PAIRS_PER_SUITE = 1_600;

describe('conformance: pairs of accepted .t lines joined into one rule, against the real tools', { skip, timeout: 300_000 }, () => {
  let results: MutationResult[];

  before(async () => {
    const cases = MUTATION_SUITES.flatMap((s, i) => pairCases(corpus!, s, PAIRS_PER_SUITE, 17 + i));
    results = await runMutations(cases);
  });

  it('reports no error on a pair the tools accept, and an error on every one they refuse', (t) => {
    assertVariantVerdicts(t, results, 'pairs');
  });
});
