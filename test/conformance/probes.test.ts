/**
 * Hand-written probes (probes.ts) of how iptables-restore reads a rule line: getopt abbreviations
 * and `=` forms, values that start with `-`, negation placement, quoting, counters, and everyday
 * rules of every table in both families. The real tools judge each probe (real nft commit in a
 * private netns + legacy --test); kvmnet must report no error on a probe they accept.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { conformanceSkip, describeProbe, runProbes, tally, type CaseResult } from './parity.js';
import { PROBES, type Probe } from './probes.js';

const skip = conformanceSkip(undefined);

describe('conformance: hand-written probes against the real tools', { skip, timeout: 120_000 }, () => {
  let results: CaseResult<Probe>[];

  before(async () => {
    results = await runProbes(PROBES);
  });

  it('reports no error on a probe that both tools accept', (t) => {
    const all = tally(results);
    t.diagnostic(`${all.cases} probes: ${all.accepted} accepted, ${all.refused} refused (${all.flagged} flagged by kvmnet)`);
    for (const r of results.filter((x) => x.outcome === 'missed')) t.diagnostic(`  refused, no kvmnet error: ${describeProbe(r)}`);
    const offenders = results.filter((r) => r.outcome === 'false-error');
    assert.equal(offenders.length, 0, `${offenders.length} false error(s) (family table | line | finding [at "token"]):\n${offenders.map(describeProbe).join('\n')}`);
  });
});
