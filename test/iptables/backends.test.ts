/**
 * Where the two backends differ on a ruleset `iptables-restore --test` and the nf_tables backend
 * both take, and kvmnet says so. The legacy backend's kernel modules check more when the table is
 * loaded: hooks that an extension checks in its own check function (kb/hookChecks.ts: the nf_tables
 * backend runs that check for a rule in a built-in chain only), TRACE outside raw (the nf_tables
 * backend translates it and traces from any table), TCPMSS on a rule that does not match SYN
 * packets only (the kernel module skips that check under nf_tables). kvmnet reports an error where
 * both refuse and a warning where only a legacy host does; this test holds each claim against the
 * real tools, the legacy one with a real load in a private network namespace where the kernel has
 * the legacy tables.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintIptables } from '../../server/src/iptables/lint.js';
import { legacyLoadAvailable, legacyRestoreLoad, nftRestore, realToolsAvailable, type Family } from '../helpers/realTools.js';

interface BackendCase {
  readonly what: string;
  readonly text: string;
  readonly family?: Family;
  /** The finding kvmnet must give (rule and severity), and nothing else of error or warning severity. */
  readonly ruleId: string;
  readonly severity: 'error' | 'warning';
}

const CASES: readonly BackendCase[] = [
  { what: 'physdev output port in OUTPUT', ruleId: 'bad-value', severity: 'error', text: '*filter\n-A OUTPUT -m physdev --physdev-out vnet0 -j ACCEPT\nCOMMIT\n' },
  { what: 'physdev output port, OUTPUT jumps to the chain', ruleId: 'bad-value', severity: 'warning', text: '*filter\n:BR - [0:0]\n-A OUTPUT -j BR\n-A BR -m physdev --physdev-out vnet0 -j ACCEPT\nCOMMIT\n' },
  { what: 'policy --dir in in OUTPUT', ruleId: 'bad-value', severity: 'error', text: '*filter\n-A OUTPUT -m policy --dir in --pol none -j ACCEPT\nCOMMIT\n' },
  { what: 'policy --dir out, PREROUTING jumps to the chain', family: 'ipv6', ruleId: 'bad-value', severity: 'warning', text: '*mangle\n:IPSEC - [0:0]\n-A PREROUTING -j IPSEC\n-A IPSEC -m policy --dir out --pol none -j ACCEPT\nCOMMIT\n' },
  { what: 'addrtype --limit-iface-in in OUTPUT', ruleId: 'target-not-allowed', severity: 'error', text: '*filter\n-A OUTPUT -m addrtype --src-type LOCAL --limit-iface-in -j ACCEPT\nCOMMIT\n' },
  { what: 'addrtype --limit-iface-in, OUTPUT jumps to the chain', ruleId: 'target-not-allowed', severity: 'warning', text: '*filter\n:X - [0:0]\n-A OUTPUT -j X\n-A X -m addrtype --src-type LOCAL --limit-iface-in -j ACCEPT\nCOMMIT\n' },
  { what: 'TCPMSS --clamp-mss-to-pmtu, INPUT jumps to the chain', ruleId: 'target-not-allowed', severity: 'warning', text: '*filter\n:MSS - [0:0]\n-A INPUT -j MSS\n-A MSS -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu\nCOMMIT\n' },
  // Registered hooks are checked through jumps by both backends: an error.
  { what: 'cgroup (registered hooks), PREROUTING jumps to the chain', ruleId: 'target-not-allowed', severity: 'error', text: '*mangle\n:FROM_LAN - [0:0]\n-A PREROUTING -j FROM_LAN\n-A FROM_LAN -m cgroup --cgroup 1 -j ACCEPT\nCOMMIT\n' },
  { what: 'TRACE in filter', ruleId: 'target-not-allowed', severity: 'warning', text: '*filter\n-A INPUT -p tcp --dport 22 -j TRACE\nCOMMIT\n' },
  { what: 'TRACE in mangle', family: 'ipv6', ruleId: 'target-not-allowed', severity: 'warning', text: '*mangle\n-A PREROUTING -j TRACE\nCOMMIT\n' },
  { what: 'TCPMSS without a SYN match', ruleId: 'option-needs-protocol', severity: 'warning', text: '*mangle\n-A FORWARD -o ppp0 -p tcp -j TCPMSS --clamp-mss-to-pmtu\nCOMMIT\n' },
  { what: 'TCPMSS on packets that are not SYNs', family: 'ipv6', ruleId: 'option-needs-protocol', severity: 'warning', text: '*filter\n-A FORWARD -p tcp ! --syn -j TCPMSS --set-mss 1400\nCOMMIT\n' },
  // The kernel's limit match needs a burst of at least 1; nf_tables loads the rule without one.
  { what: 'limit with a burst of 0', ruleId: 'bad-value', severity: 'warning', text: '*filter\n-A INPUT -m limit --limit 10/s --limit-burst 0 -j ACCEPT\nCOMMIT\n' },
];

describe('rulesets a legacy host refuses and the nf_tables backend loads', () => {
  for (const c of CASES) {
    it(`${c.what}: kvmnet says ${c.severity}`, () => {
      const found = lintIptables(c.text, { family: c.family ?? 'ipv4' }).findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
      assert.deepEqual(found.map((f) => `${f.ruleId} ${f.severity}`), [`${c.ruleId} ${c.severity}`], found.map((f) => f.message).join('\n'));
    });
    it(`${c.what}: the nf_tables backend ${c.severity === 'error' ? 'refuses' : 'loads'} it, a legacy load refuses it`, { skip: !realToolsAvailable() ? 'real tools unavailable' : !legacyLoadAvailable() ? 'the kernel here has no legacy ip_tables' : false }, () => {
      assert.equal(nftRestore(c.text, c.family).accepted, c.severity === 'warning', c.text);
      assert.equal(legacyRestoreLoad(c.text, c.family).accepted, false, c.text);
    });
  }
});
