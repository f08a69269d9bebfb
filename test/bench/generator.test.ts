import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKubeProxyRuleset, minimumRules } from '../../scripts/bench/kubeProxyRuleset.js';
import { nftRestore, legacyRestoreTest, realToolsAvailable } from '../helpers/realTools.js';

const ruleLines = (text: string) => text.split('\n').filter((l) => l.startsWith('-A '));

describe('kube-proxy ruleset generator', () => {
  const small = generateKubeProxyRuleset({ rules: 400 });

  it('emits exactly the requested number of rules', () => {
    for (const rules of [minimumRules, minimumRules + 1, minimumRules + 2, 123, 400, 1001]) {
      const r = generateKubeProxyRuleset({ rules });
      assert.equal(r.rules, rules);
      assert.equal(ruleLines(r.text).length, rules);
    }
  });

  it('refuses a count below the fixed part', () => {
    assert.throws(() => generateKubeProxyRuleset({ rules: minimumRules - 1 }), /rules must be/);
  });

  it('is deterministic for a seed and varies with it', () => {
    assert.equal(generateKubeProxyRuleset({ rules: 400 }).text, small.text);
    assert.notEqual(generateKubeProxyRuleset({ rules: 400, seed: 7 }).text, small.text);
  });

  it('has the filter and nat tables with the kube-proxy chains', () => {
    assert.match(small.text, /^\*filter\n/m);
    assert.match(small.text, /^\*nat\n/m);
    assert.equal(small.text.match(/^COMMIT$/gm)?.length, 2);
    for (const chain of ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ', 'KUBE-FORWARD']) {
      assert.match(small.text, new RegExp(`^:${chain} - \\[0:0\\]$`, 'm'), chain);
    }
    // Hash-named chains, as kube-proxy derives them (the API server's chain name is well known).
    assert.match(small.text, /^:KUBE-SVC-NPX46M4PTMTKRN6Y - \[0:0\]$/m);
    const hashed = small.text.match(/^:KUBE-(SVC|SEP|EXT|SVL)-\S+/gm) ?? [];
    assert.ok(hashed.length > 50);
    for (const name of hashed) assert.match(name, /^:KUBE-(SVC|SEP|EXT|SVL)-[A-Z2-7]{16}$/);
  });

  it('uses the kube-proxy matches and targets', () => {
    const t = small.text;
    assert.match(t, / -m comment --comment "[a-z0-9-]+\/[a-z0-9-]+(:[a-z-]+)? cluster IP" /);
    assert.match(t, / -m statistic --mode random --probability 0\.\d{11} -j KUBE-SEP-/);
    assert.match(t, / -j DNAT --to-destination 10\.\d+\.\d+\.\d+:\d+$/m);
    assert.match(t, / -m mark --mark 0x4000\/0x4000 /);
    assert.match(t, / -j MARK --set-xmark 0x4000\/0x4000$/m);
    assert.match(t, / -j MASQUERADE --random-fully$/m);
    assert.match(t, / -m conntrack --ctstate INVALID -j DROP$/m);
    assert.match(t, / -m addrtype --dst-type LOCAL /);
  });

  it('declares every chain it jumps to and jumps to every SEP chain', () => {
    const declared = new Set((small.text.match(/^:\S+/gm) ?? []).map((d) => d.slice(1)));
    const targets = ruleLines(small.text).map((l) => / -j (\S+)/.exec(l)?.[1]);
    const builtinTargets = new Set(['ACCEPT', 'DROP', 'RETURN', 'REJECT', 'DNAT', 'MARK', 'MASQUERADE']);
    for (const t of targets) {
      assert.ok(t !== undefined);
      assert.ok(builtinTargets.has(t) || declared.has(t), `undeclared jump target ${t}`);
    }
    const jumped = new Set(targets);
    for (const chain of declared) if (chain.startsWith('KUBE-SEP-')) assert.ok(jumped.has(chain), chain);
  });

  it('is accepted by the real tools (nf_tables for real in a private netns, legacy --test)', (t) => {
    if (!realToolsAvailable()) {
      t.skip('iptables-restore / unshare not usable here');
      return;
    }
    for (const r of [small, generateKubeProxyRuleset({ rules: 2000, seed: 3 })]) {
      const nft = nftRestore(r.text);
      assert.ok(nft.accepted, nft.message);
      const legacy = legacyRestoreTest(r.text);
      assert.ok(legacy.accepted, legacy.message);
    }
  });
});
