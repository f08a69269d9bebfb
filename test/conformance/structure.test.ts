/**
 * Structural edits of real rulesets (structure.ts) judged by the real tools: kvmnet must report no
 * error on an edited ruleset both tools accept, and (asserted too, as these are what the chain and
 * rule-number checks are for) an error or a warning on every one they refuse.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Finding } from '../../server/src/core/finding.js';
import { lintIptables } from '../../server/src/iptables/lint.js';
import { findCorpus, readRealRulesets } from './corpus.js';
import { conformanceSkip, refusalText } from './parity.js';
import { editsOf, type StructuralEdit } from './structure.js';
import { IN_FLIGHT, mapLimit, VerdictCache, type RealVerdict } from './tools.js';
import { readFileSync } from 'node:fs';

const corpus = findCorpus();
const skip = conformanceSkip(corpus, 'real-iptables/index.csv');

/** Edits per ruleset: 6 keeps the run near 10 s on two cores. */
const EDITS_PER_RULESET = 6;

describe('conformance: structural edits of real rulesets against the real tools', { skip, timeout: 300_000 }, () => {
  let results: Array<{ edit: StructuralEdit; verdict: RealVerdict; errors: Finding[]; warned: boolean }>;

  before(async () => {
    const small = readRealRulesets(corpus!).filter((r) => r.source === 'original' && r.indexedTestRc.nft === '0' && r.indexedTestRc.legacy === '0').filter((r) => {
      const n = readFileSync(r.path, 'utf8').split('\n').length;
      return n > 8 && n < 300;
    });
    const edits = small.flatMap((r, i) => editsOf(r, EDITS_PER_RULESET, 7 + i));
    const cache = new VerdictCache();
    results = await mapLimit(edits, IN_FLIGHT, async (edit) => {
      const findings = lintIptables(edit.text, { family: edit.ruleset.family }).findings;
      const verdict = await cache.judge(edit.text, edit.ruleset.family, findings.some((f) => f.severity === 'error'));
      return { edit, verdict, errors: findings.filter((f) => f.severity === 'error'), warned: findings.some((f) => f.severity === 'warning') };
    });
  });

  it('reports no error on an edited ruleset both tools accept', (t) => {
    const accepted = results.filter((r) => r.verdict.accepted);
    t.diagnostic(`${results.length} edits of real rulesets: ${accepted.length} accepted, ${results.length - accepted.length} refused`);
    const offenders = accepted.filter((r) => r.errors.length > 0);
    assert.equal(offenders.length, 0, offenders.map((r) => `${r.edit.ruleset.name} | ${r.edit.what} | ${r.errors.map((e) => e.message).join('; ')}`).join('\n'));
  });

  it('reports an error (or, where one backend accepts, a warning) on every edited ruleset the tools refuse', () => {
    const missed = results.filter((r) => !r.verdict.accepted && r.errors.length === 0 && !(r.warned && (r.verdict.nft.accepted || r.verdict.legacy.accepted)));
    assert.equal(missed.length, 0, missed.map((r) => `${r.edit.ruleset.name} | ${r.edit.what} | ${refusalText(r.verdict)}`).join('\n'));
  });
});
