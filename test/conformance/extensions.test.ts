/**
 * Conformance with iptables' own extension tests (v1.8.9 `.t` files, read in place from
 * ../shared/corpus): every test line becomes a one-rule ruleset, `*<table>\n-A <first chain>
 * <RULE>\nCOMMIT\n`, judged by the real tools (iptables-nft-restore committing into a private
 * netns, so the kernel's checks run, plus iptables-legacy-restore --test; the ip6tables variants
 * for libip6t_ files) and by kvmnet.
 *
 * - No kvmnet `error` on a line both tools accept (DESIGN.md §3).
 * - An `error` on at least 95% of the lines refused for a reason in the text. Refusals caused by
 *   this host's state (a kernel module it lacks, an ipset/nfacct object, SELinux ...) are counted
 *   apart: the same line loads on a host that has them, so an error there would be a false one.
 *
 * `node --import tsx scripts/conformance.mjs` prints the same comparison in full.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { findCorpus, readExtensionCorpus, type ExtensionCase, type ExtensionCorpus } from './corpus.js';
import { conformanceSkip, describeExtensionFalseError, describeExtensionMiss, percent, runExtensionCases, tally, type CaseResult } from './parity.js';

const MIN_FLAGGED_SHARE = 0.95;

const corpus = findCorpus();
const skip = conformanceSkip(corpus, 'iptables-t/extensions-v1.8.9');

describe('conformance: iptables 1.8.9 extension tests against the real tools', { skip, timeout: 240_000 }, () => {
  let data: ExtensionCorpus;
  let results: CaseResult<ExtensionCase>[];

  before(async () => {
    data = readExtensionCorpus(corpus!);
    results = await runExtensionCases(data.cases);
  });

  it('reads every in-scope test line (libxt_, libipt_, iptables.t as IPv4; libip6t_ as IPv6)', (t) => {
    const skippedFiles = [...new Set(data.skipped.map((s) => s.file))];
    t.diagnostic(`${data.files.length} .t files, ${data.cases.length} cases run; ${data.outOfScope.length} ebtables/arptables files out of scope`);
    t.diagnostic(`${data.skipped.length} line(s) skipped because they need objects made by @/% setup lines (${skippedFiles.join(', ') || 'none'})`);
    for (const s of data.skipped) t.diagnostic(`  skipped ${s.file}:${s.line} ${s.rule} (${s.reason})`);
    assert.ok(data.cases.length > 800, `expected the v1.8.9 corpus to give more than 800 cases, got ${data.cases.length}`);
    assert.ok(data.cases.some((c) => c.family === 'ipv6'), 'no IPv6 case was read');
  });

  it('reports no error on a line that both tools accept', (t) => {
    const offenders = results.filter((r) => r.outcome === 'false-error');
    const all = tally(results);
    t.diagnostic(`${all.accepted} line(s) accepted by both tools, ${offenders.length} with a kvmnet error`);
    assert.equal(
      offenders.length,
      0,
      `${offenders.length} false error(s) (file:line family table/chain | rule | finding [at "token"]):\n${offenders.map(describeExtensionFalseError).join('\n')}`,
    );
  });

  it(`reports an error on at least ${MIN_FLAGGED_SHARE * 100}% of the lines a tool refuses`, (t) => {
    const all = tally(results);
    for (const family of ['ipv4', 'ipv6'] as const) {
      const f = tally(results.filter((r) => r.subject.family === family));
      t.diagnostic(`${family}: refused ${f.refused} (${f.hostRefused} by this host's state), flagged ${f.textFlagged} of ${f.textRefused} text refusals (${percent(f.textFlagged, f.textRefused)}); raw ${f.flagged}/${f.refused} (${percent(f.flagged, f.refused)})`);
    }
    const hostMissed = results.filter((r) => r.outcome === 'missed' && r.hostCause);
    t.diagnostic(`${hostMissed.length} host-dependent refusal(s) without an error, not counted: ${[...new Set(hostMissed.map((r) => r.hostCause))].join('; ')}`);
    const missed = results.filter((r) => r.outcome === 'missed' && !r.hostCause);
    const share = all.textRefused === 0 ? 1 : all.textFlagged / all.textRefused;
    assert.ok(
      share >= MIN_FLAGGED_SHARE,
      `only ${all.textFlagged} of ${all.textRefused} refused lines get an error (${percent(all.textFlagged, all.textRefused)}); missed:\n${missed.map(describeExtensionMiss).join('\n')}`,
    );
  });
});
