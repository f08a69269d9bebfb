/**
 * Conformance on real rulesets: every iptables-save file of ../shared/corpus/real-iptables
 * (index.csv gives the family; the `_derived/` repaired copies of refused originals are included),
 * plus the dumps and restore fragments of iptables' own shell tests (iptables-t/shell-index.csv),
 * is judged by the real tools (iptables-nft-restore committing into a private netns, plus
 * iptables-legacy-restore --test; the ip6tables variants for IPv6 files) and linted by kvmnet.
 *
 * Asserted: no kvmnet `error` on a file both tools accept. Recorded, not asserted: how many refused
 * files kvmnet flags with an error.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { findCorpus, readRealRulesets, readShellRulesets, type RealRuleset, type RulesetSource } from './corpus.js';
import { conformanceSkip, describeRealFalseErrors, percent, refusalText, runRealRulesets, tally, type CaseResult } from './parity.js';

const corpus = findCorpus();
const skip = conformanceSkip(corpus, 'real-iptables/index.csv');

describe('conformance: real rulesets against the real tools', { skip, timeout: 600_000 }, () => {
  let results: CaseResult<RealRuleset>[];

  before(async () => {
    results = await runRealRulesets([...readRealRulesets(corpus!), ...readShellRulesets(corpus!)]);
  });

  it('reads the iptables-save files of the corpus (IPv4 and IPv6)', (t) => {
    const from = (source: RulesetSource) => results.filter((r) => r.subject.source === source);
    const originals = from('original');
    t.diagnostic(`${originals.length} original rulesets (${originals.filter((r) => r.subject.family === 'ipv6').length} IPv6), ${from('derived').length} repaired _derived copies, ${from('shell-dump').length} shell-test dumps, ${from('shell-heredoc').length} shell-test restore fragments`);
    for (const source of ['original', 'derived', 'shell-dump', 'shell-heredoc'] as const) {
      const s = tally(from(source));
      t.diagnostic(`  ${source}: ${s.cases} files, ${s.accepted} accepted (${s.falseErrors} with a kvmnet error), ${s.refused} refused (${s.flagged} flagged)`);
    }
    // The tools' verdicts here commit for real on nft; index.csv recorded `--test` only.
    for (const r of results) {
      const indexed = r.subject.indexedTestRc.nft === '0' && r.subject.indexedTestRc.legacy === '0';
      if (indexed !== r.verdict.accepted) t.diagnostic(`  ${r.subject.name}: index.csv says --test ${indexed ? 'accepts' : 'refuses'}, this run ${r.verdict.accepted ? 'accepts' : `refuses: ${refusalText(r.verdict)}`}`);
    }
    assert.ok(originals.length >= 100, `expected about 107 iptables-save files, found ${originals.length}`);
    assert.ok(results.some((r) => r.verdict.accepted), 'the real tools accepted no ruleset at all: is the oracle working?');
  });

  it('reports no error on a ruleset that both tools accept', (t) => {
    const all = tally(results);
    const offenders = results.filter((r) => r.outcome === 'false-error');
    t.diagnostic(`${all.accepted} ruleset(s) accepted by both tools, ${offenders.length} with a kvmnet error`);
    assert.equal(
      offenders.length,
      0,
      `kvmnet reports errors on ${offenders.length} accepted ruleset(s) (file:line family | finding [at "token"]):\n${offenders.flatMap(describeRealFalseErrors).join('\n')}`,
    );
  });

  it('records how many refused rulesets kvmnet flags (not asserted)', (t) => {
    const all = tally(results);
    t.diagnostic(`refused ${all.refused} (${all.hostRefused} by this host's state: DNS, ipset ...), flagged with an error ${all.flagged} (${percent(all.flagged, all.refused)}); text refusals flagged ${all.textFlagged}/${all.textRefused}`);
    for (const r of results.filter((x) => x.outcome === 'missed')) t.diagnostic(`  not flagged: ${r.subject.name}: ${refusalText(r.verdict)}${r.hostCause ? ` (host: ${r.hostCause})` : ''}`);
  });
});
