/**
 * Mutation conformance (mutations.ts): near variants of every `.t` line both real tools accept (a
 * value changed, an option shortened, a `!` added or dropped), over the 1.8.9 and the HEAD tables of
 * ../shared/corpus. The real tools judge each variant; kvmnet must report no error on a variant they
 * accept, and an error on every variant they refuse because of its text. The refusals that depend
 * on the host's databases or kernel objects (services, users, protocol names, DNS, estimators ...)
 * are printed, counted by cause, with examples.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { findCorpus } from './corpus.js';
import { describeMutation, MUTATION_SUITES, mutationCases, mutationsOf, optionNamesOf, runMutations, type MutationCase, type MutationResult } from './mutations.js';
import { conformanceSkip } from './parity.js';
import { samplingNote } from './tools.js';

describe('mutations: the variants of a value word', () => {
  it('are made in a fixed order, without the word itself and without duplicates', () => {
    assert.deepEqual(mutationsOf('22'), ['022', '0x16', '22.0', '+22', '22x']);
    assert.deepEqual(mutationsOf('1024:65535'), ['65535:1024', '1024-65535', '1024:', ':65535', '1024:6553', '1024:65535x']);
    assert.deepEqual(mutationsOf('NEW,ESTABLISHED'), ['new,established', 'NEW,ESTABLISHED,', ',NEW,ESTABLISHED', 'NEW,,ESTABLISHED', 'NEW,ESTABLISHE', 'NEW,ESTABLISHEDx']);
    assert.deepEqual(mutationsOf('10.0.0.0/8'), ['10.0.0.0', '10.0.0.0/8/', '10.0.0.0/', '10.0.0.0/8x']);
    assert.deepEqual(mutationsOf('ab'), ['AB', 'abx']);
  });

  it('shorten long options three ways, never to a start of --help or --version', () => {
    assert.deepEqual(optionNamesOf('--dport'), ['--d', '--dp', '--dpor']);
    assert.deepEqual(optionNamesOf('--hashlimit-name'), ['--ha', '--hashlimit-nam']); // --h starts --help
    assert.deepEqual(optionNamesOf('--to'), []);
    assert.deepEqual(optionNamesOf('22'), []);
  });
});

const corpus = findCorpus();
const skip = conformanceSkip(corpus, 'iptables-t/cases-*.csv');

describe('conformance: mutations of the accepted .t lines against the real tools', { skip, timeout: 300_000 }, () => {
  const bySuite = new Map<string, MutationResult[]>();

  before(async () => {
    const cases = MUTATION_SUITES.flatMap((s) => mutationCases(corpus!, s));
    // The HEAD table repeats most 1.8.9 lines: each distinct ruleset is judged once.
    const key = (c: MutationCase): string => `${c.family}\0${c.text}`;
    const distinct = new Map<string, MutationCase>();
    for (const c of cases) if (!distinct.has(key(c))) distinct.set(key(c), c);
    const judged = new Map<string, MutationResult>();
    for (const r of await runMutations([...distinct.values()])) judged.set(key(r.subject), r);
    for (const c of cases) {
      const r = judged.get(key(c));
      if (!r) continue; // flagged and not judged in this run (see judgedWhenFlagged)
      const list = bySuite.get(c.suite) ?? [];
      list.push({ ...r, subject: c });
      bySuite.set(c.suite, list);
    }
  });

  it('reports no error on a variant both tools accept', (t) => {
    const offenders: MutationResult[] = [];
    for (const s of MUTATION_SUITES) {
      const results = bySuite.get(s.name) ?? [];
      const count = (keep: (r: MutationResult) => boolean): number => results.filter(keep).length;
      const refused = count((r) => !r.verdict.accepted);
      const host = count((r) => r.hostCause !== undefined);
      t.diagnostic(
        `${s.name}: ${results.length} variants, ${results.length - refused} accepted (${count((r) => r.outcome === 'false-error')} with a kvmnet error), ` +
          `${refused} refused (${host} for the host's sake); ${count((r) => r.outcome === 'flagged' && !r.hostCause)} of ${refused - host} text refusals flagged; ${samplingNote()}`,
      );
      assert.ok(results.length > 3000, `${s.name}: expected more than 3000 variants, got ${results.length}`);
      offenders.push(...results.filter((r) => r.outcome === 'false-error'));
    }
    assert.equal(offenders.length, 0, `${offenders.length} false error(s) (suite file:line family [word -> variant] rule | finding):\n${offenders.map(describeMutation).join('\n')}`);
  });

  it('reports an error on every variant the tools refuse because of its text', () => {
    const missed = MUTATION_SUITES.flatMap((s) => (bySuite.get(s.name) ?? []).filter((r) => r.outcome === 'missed' && !r.hostCause));
    assert.equal(missed.length, 0, `${missed.length} text refusal(s) without a kvmnet error:\n${missed.map(describeMutation).join('\n')}`);
  });

  it('lists the refusals kvmnet does not flag', (t) => {
    for (const s of MUTATION_SUITES) {
      const missed = (bySuite.get(s.name) ?? []).filter((r) => r.outcome === 'missed');
      for (const r of missed.filter((x) => !x.hostCause)) t.diagnostic(`  refused for the text, no kvmnet error: ${describeMutation(r)}`);
      const causes = new Map<string, MutationResult[]>();
      for (const r of missed) if (r.hostCause) causes.set(r.hostCause, [...(causes.get(r.hostCause) ?? []), r]);
      for (const [cause, list] of causes) {
        t.diagnostic(`  ${s.name}: ${list.length} refused by this host (${cause}), e.g.`);
        for (const r of list.slice(0, 3)) t.diagnostic(`    ${describeMutation(r)}`);
      }
    }
  });
});
