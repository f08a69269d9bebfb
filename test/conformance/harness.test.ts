/**
 * The conformance harness itself: `.t` parsing (headers, setup lines, variants), CSV reading and
 * the host-cause classification need neither the corpus nor root; the shared tool runs are checked
 * against the real tools.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { familiesOfTestFile, parseCsv, parseTestFile } from './corpus.js';
import { hostCause, tally } from './parity.js';
import { mapLimit, runWithInput, toolArgs, ToolRuns, type Backend, type RealVerdict, type ToolRun } from './tools.js';
import type { Family } from './corpus.js';
import { legacyLoadAvailable, realToolsAvailable } from '../helpers/realTools.js';
import { ownerOfTestFile } from './report.js';

const ok: ToolRun = { accepted: true, status: 0, message: '' };
const refused = (message: string, status = 2): ToolRun => ({ accepted: false, status, message });

describe('parseTestFile', () => {
  it('builds a one-rule ruleset with the table header and the first chain of the chain header', () => {
    const { cases } = parseTestFile('libxt_X.t', ':PREROUTING,OUTPUT\n*raw\n-j CT --notrack;=;OK\n# comment\n\n-j CT --zone -1;;FAIL\n', 'ipv4');
    assert.deepEqual(
      cases.map((c) => [c.line, c.table, c.chain, c.rule, c.text]),
      [
        [3, 'raw', 'PREROUTING', '-j CT --notrack', '*raw\n-A PREROUTING -j CT --notrack\nCOMMIT\n'],
        [6, 'raw', 'PREROUTING', '-j CT --zone -1', '*raw\n-A PREROUTING -j CT --zone -1\nCOMMIT\n'],
      ],
    );
    assert.deepEqual(cases[1]?.expected, { nft: 'FAIL', legacy: 'FAIL' });
  });

  it('defaults to filter and keeps headers in force until the next one', () => {
    const { cases } = parseTestFile('t.t', ':INPUT\n-p tcp;=;OK\n*mangle\n:FORWARD,OUTPUT\n-p udp;=;OK\n', 'ipv4');
    assert.deepEqual(cases.map((c) => `${c.table}/${c.chain}`), ['filter/INPUT', 'mangle/FORWARD']);
  });

  it('applies VARIANT and ALT_RESULT per backend', () => {
    const { cases } = parseTestFile('t.t', ':INPUT\n-a;=;OK;LEGACY;NOMATCH\n-b;=;FAIL;LEGACY\n-c;=;OK;NFT\n', 'ipv4');
    assert.deepEqual(cases.map((c) => c.expected), [
      { nft: 'NOMATCH', legacy: 'OK' },
      { nft: 'OK', legacy: 'FAIL' },
      { nft: 'OK', legacy: 'FAIL' },
    ]);
  });

  it('skips only the lines that name an object a setup line created, until it is removed', () => {
    const text = [
      ':INPUT',
      '%iptables -I INPUT -j RATEEST --rateest-name RE1 --rateest-interval 250.0ms --rateest-ewmalog 500.0ms',
      '-m rateest --rateest RE1 --rateest-lt --rateest-bps 8bit;=;OK',
      '@nfacct add test',
      '-m nfacct --nfacct-name wrong;;FAIL',
      '-m nfacct --nfacct-name test;=;OK',
      '@nfacct del test',
      '%iptables -D INPUT -j RATEEST --rateest-name RE1 --rateest-interval 250.0ms --rateest-ewmalog 500.0ms',
      '-m nfacct --nfacct-name test;;FAIL',
      '-m rateest --rateest RE1;;FAIL',
    ].join('\n');
    const { cases, skipped } = parseTestFile('t.t', text, 'ipv4');
    assert.deepEqual(cases.map((c) => c.line), [5, 9, 10]);
    assert.deepEqual(skipped.map((s) => [s.line, s.reason]), [
      [3, 'needs the setup object RE1'],
      [6, 'needs the setup object test'],
    ]);
  });

  it('skips a test line that comes before any chain header', () => {
    const { cases, skipped } = parseTestFile('t.t', '-p tcp;=;OK\n', 'ipv4');
    assert.equal(cases.length, 0);
    assert.equal(skipped.length, 1);
  });
});

describe('familiesOfTestFile and ownerOfTestFile', () => {
  it('runs libxt_ as IPv4 (v1.8.9), libip6t_ as IPv6, and leaves ebtables/arptables out', () => {
    const names = ['iptables.t', 'libipt_icmp.t', 'libxt_tcp.t', 'libip6t_mh.t', 'libebt_ip.t', 'libarpt_MARK.t'];
    assert.deepEqual(names.map((n) => familiesOfTestFile(n)), [['ipv4'], ['ipv4'], ['ipv4'], ['ipv6'], [], []]);
  });

  it('runs libxt_ with both families at HEAD', () => {
    assert.deepEqual(familiesOfTestFile('libxt_tcp.t', 'HEAD'), ['ipv4', 'ipv6']);
  });

  it('tells targets (upper case) from matches and the parser', () => {
    assert.deepEqual(['libxt_MARK.t', 'libxt_mark.t', 'libxt_standard.t', 'iptables.t', 'libip6t_REJECT.t'].map(ownerOfTestFile), ['targets', 'matches', 'parser', 'parser', 'targets']);
  });
});

describe('parseCsv', () => {
  it('handles quoted fields with commas, doubled quotes and newlines', () => {
    assert.deepEqual(parseCsv('a,b,c\n1,"x, ""y""",\n2,"multi\nline",z\n'), [
      ['a', 'b', 'c'],
      ['1', 'x, "y"', ''],
      ['2', 'multi\nline', 'z'],
    ]);
  });
});

describe('hostCause', () => {
  const verdict = (nft: ToolRun, legacy: ToolRun): RealVerdict => ({ accepted: nft.accepted && legacy.accepted, nft, legacy });

  it('recognises a missing kernel module and a missing ipset set', () => {
    assert.match(hostCause(verdict(refused('Warning: Extension ipvs revision 0 not supported, missing kernel module?\nline 2: RULE_APPEND failed (No such file or directory)', 4), ok)) ?? '', /kernel module/);
    assert.match(hostCause(verdict(refused("Set foo doesn't exist."), refused("Set foo doesn't exist."))) ?? '', /ipset/);
  });

  it('is undefined when a tool refuses for a reason in the text', () => {
    assert.equal(hostCause(verdict(refused('missing kernel module?', 4), refused("Bad argument `x'"))), undefined);
    assert.equal(hostCause(verdict(refused('line 2: RULE_APPEND failed (Invalid argument): rule in chain INPUT', 4), ok)), undefined);
    assert.equal(hostCause(verdict(ok, ok)), undefined);
  });

  it('keeps host refusals out of the parity denominator', () => {
    const host = verdict(refused("Set foo doesn't exist."), refused("Set foo doesn't exist."));
    const text = verdict(refused("Port `x' not valid"), ok);
    const t = tally([
      { subject: 1, verdict: host, errors: [], outcome: 'missed', hostCause: 'ipset', lintMs: 0 },
      { subject: 2, verdict: text, errors: [{ ruleId: 'bad-value', message: 'm', line: 2, token: 'x' }], outcome: 'flagged', lintMs: 0 },
      { subject: 3, verdict: verdict(ok, ok), errors: [], outcome: 'ok', lintMs: 0 },
    ]);
    assert.deepEqual(t, { cases: 3, accepted: 1, falseErrors: 0, refused: 2, flagged: 1, hostRefused: 1, textRefused: 1, textFlagged: 1 });
  });
});

describe('shared tool runs (ToolRuns) against a run of each ruleset alone', { skip: realToolsAvailable() ? false : 'real tools unavailable', timeout: 120_000 }, () => {
  const rule = (table: string, line: string): string => `*${table}\n${line}\nCOMMIT\n`;
  // Accepted and refused rulesets in one stream, refusals first, in the middle and last, and some
  // that cannot share a run (CRLF, two tables, a rate estimator whose name another one reuses), and
  // hashlimit tables and recent lists of one name with other parameters, which do share runs.
  const RULESETS: ReadonlyArray<readonly [string, Family]> = [
    [rule('filter', '-A INPUT -j DROP --nosuch'), 'ipv4'],
    [rule('filter', '-A INPUT -p tcp --dport 22 -j ACCEPT'), 'ipv4'],
    [rule('nat', '-A POSTROUTING -s 192.168.122.0/24 ! -d 192.168.122.0/24 -j MASQUERADE'), 'ipv4'],
    [rule('filter', '-A INPUT -j MASQUERADE'), 'ipv4'],
    [rule('mangle', '-A POSTROUTING -o virbr0 -p udp --dport 68 -j CHECKSUM --checksum-fill'), 'ipv4'],
    [rule('filter', '-A FORWARD -p tcp --dport 99999 -j ACCEPT'), 'ipv4'],
    ['*filter\n:LIBVIRT_INP - [0:0]\n-A INPUT -j LIBVIRT_INP\n-A LIBVIRT_INP -i virbr0 -p udp --dport 53 -j ACCEPT\nCOMMIT\n', 'ipv4'],
    [rule('filter', '-A INPUT -j LIBVIRT_NOSUCH'), 'ipv4'],
    ['*filter\r\n-A INPUT -j ACCEPT\r\nCOMMIT\r\n', 'ipv4'],
    ['*raw\n-A PREROUTING -j CT --notrack\nCOMMIT\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\n', 'ipv4'],
    [rule('mangle', '-A FORWARD -j RATEEST --rateest-name RE1 --rateest-interval 250ms --rateest-ewmalog 500ms'), 'ipv4'],
    [rule('mangle', '-A FORWARD -j RATEEST --rateest-name RE1 --rateest-interval 1s --rateest-ewmalog 4s'), 'ipv4'],
    [rule('filter', '-A INPUT -m hashlimit --hashlimit-upto 1/sec --hashlimit-name HL1 -j ACCEPT'), 'ipv4'],
    [rule('filter', '-A INPUT -m hashlimit --hashlimit-upto 5/min --hashlimit-mode srcip --hashlimit-srcmask 24 --hashlimit-name HL1 -j ACCEPT'), 'ipv4'],
    [rule('filter', '-A INPUT -m hashlimit --hashlimit-above 0/sec --hashlimit-name HL1 -j DROP'), 'ipv4'],
    [rule('filter', '-A INPUT -m recent --set --name R1 -j ACCEPT'), 'ipv4'],
    [rule('filter', '-A INPUT -m recent --rcheck --seconds 60 --hitcount 10 --name R1 -j DROP'), 'ipv4'],
    [rule('filter', '-A INPUT -m recent --rcheck --hitcount 100 --name R1 -j DROP'), 'ipv4'],
    [rule('filter', '-A INPUT -p ipv6-icmp --icmpv6-type echo-request -j ACCEPT'), 'ipv6'],
    [rule('filter', '-A INPUT -s fd00::1/200 -j ACCEPT'), 'ipv6'],
    [rule('filter', '-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT'), 'ipv4'],
    [rule('filter', '-A INPUT -m state --state BOGUS -j ACCEPT'), 'ipv4'],
  ];

  it('give each ruleset the verdict and message a run of its own gives, in fewer runs', async () => {
    const runs = new ToolRuns(2, 50);
    const backends: readonly Backend[] = legacyLoadAvailable() ? ['nft', 'legacy', 'legacy-load'] : ['nft', 'legacy'];
    const asks = RULESETS.flatMap(([text, family]) => backends.map((backend) => ({ text, family, backend })));
    const shared = await Promise.all(asks.map(({ text, family, backend }) => runs.ask(backend, family, text)));
    const alone = await mapLimit(asks, 2, ({ text, family, backend }) => runWithInput('unshare', toolArgs(backend, family), text));
    const view = (r: ToolRun): string => (r.accepted ? 'accepted' : `refused ${r.status}: ${r.message}`);
    assert.deepEqual(shared.map(view), alone.map(view));
    const refusals = alone.filter((r) => !r.accepted).length;
    assert.ok(refusals >= 8 && refusals < alone.length - 8, `a mix of verdicts: ${refusals} refused of ${alone.length}`);
    assert.ok(runs.started < alone.length, `${runs.started} shared runs for ${alone.length} asks`);
  });
});
