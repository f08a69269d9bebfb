/**
 * Word-edit conformance (wordEdits.ts): the accepted 1.8.9 `.t` lines with a word deleted, repeated,
 * swapped with the next, joined to it, or in the other case, an option moved to the front or the
 * end, or a word inserted (-4, -6, --, -v, -c 1 2), judged by the real tools. kvmnet must report no error on a variant they
 * accept and an error on every one they refuse because of its text.
 */
import { before, describe, it } from 'node:test';
import { findCorpus } from './corpus.js';
import { assertVariantVerdicts, MUTATION_SUITES, runMutations, type MutationResult } from './mutations.js';
import { conformanceSkip } from './parity.js';
import { wordEditCases } from './wordEdits.js';

const corpus = findCorpus();
const skip = conformanceSkip(corpus, 'iptables-t/cases-*.csv');

describe('conformance: accepted .t lines with a word deleted, repeated, swapped, joined, in the other case or inserted, or an option moved, against the real tools', { skip, timeout: 600_000 }, () => {
  let results: MutationResult[];

  before(async () => {
    const [installed] = MUTATION_SUITES;
    results = await runMutations(wordEditCases(corpus!, installed, ['delete', 'repeat', 'swap', 'join', 'case', 'move', 'insert']));
  });

  it('reports no error on a variant the tools accept, and an error on every one they refuse', (t) => {
    assertVariantVerdicts(t, results, 'variants');
  });
});
