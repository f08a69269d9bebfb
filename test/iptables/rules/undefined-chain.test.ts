import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { undefinedChain } from '../../../server/src/iptables/rules/undefined-chain.js';
import { lintIptables } from '../../../server/src/iptables/lint.js';
import { applyEdits } from '../../helpers/edits.js';
import { legacyRestoreTest, nftRestore, nftRestoreOnTop, realToolAccepts, realToolsAvailable, type Family } from '../../helpers/realTools.js';
import { ruleTester, stripMarkers, type ExpectedError, type InvalidCase, type RealToolsOverride } from '../../helpers/ruleTester.js';

/** The verdict of every rename that takes effect: nft refuses the file, legacy loads it. */
const NFT_REFUSES_RENAMES: RealToolsOverride = {
  verdict: 'refuse',
  why: 'iptables-nft-restore 1.8.9 refuses every rename of a chain the file creates and iptables-legacy-restore accepts the file (checked per backend below): a warning, as the backends disagree',
};
const nftRename = (from: string, to: string): ExpectedError => ({ messageId: 'nftRename', severity: 'warning', data: { from, to } });

/**
 * Renames that take effect, each reported once on its -E with the nft warning and nothing else:
 * the new name needs no declaration, and lines after the rename may use it.
 */
const RENAMES: readonly InvalidCase[] = [
  {
    code: '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:OLD - [0:0]\n-A OLD -j ACCEPT\n-A INPUT -j OLD\n«-E» OLD NEW\n-A NEW -j DROP\n-A INPUT -j NEW\nCOMMIT\n',
    errors: [nftRename('OLD', 'NEW')], realTools: NFT_REFUSES_RENAMES,
  },
  // A chain made by -N; the new name flushed and deleted.
  { code: '*filter\n-N OLD\n-A OLD -j ACCEPT\n«-E» OLD NEW\n-F NEW\n-X NEW\nCOMMIT\n', errors: [nftRename('OLD', 'NEW')], realTools: NFT_REFUSES_RENAMES },
  // Renamed twice (the long spelling too): each rename is one nft refuses.
  { code: '*filter\n:A - [0:0]\n«-E» A B\n«--rename-chain» B C\n-A INPUT -j C\nCOMMIT\n', errors: [nftRename('A', 'B'), nftRename('B', 'C')], realTools: NFT_REFUSES_RENAMES },
  // Once renamed, the old name is free for a new chain.
  { code: '*filter\n:OLD - [0:0]\n«-E» OLD NEW\n-N OLD\n-A OLD -j NEW\n-A INPUT -j OLD\nCOMMIT\n', errors: [nftRename('OLD', 'NEW')], realTools: NFT_REFUSES_RENAMES },
  // iptables takes the name of another table's built-in chain, and of a target (a jump then goes to the chain).
  { code: '*filter\n:OLD - [0:0]\n«-E» OLD PREROUTING\n-A PREROUTING -j ACCEPT\n-A INPUT -j PREROUTING\nCOMMIT\n', errors: [nftRename('OLD', 'PREROUTING')], realTools: NFT_REFUSES_RENAMES },
  { code: '*filter\n:OLD - [0:0]\n-A OLD -j DROP\n«-E» OLD LOG\n-A INPUT -j LOG\nCOMMIT\n', errors: [nftRename('OLD', 'LOG')], realTools: NFT_REFUSES_RENAMES },
  // 31 characters is the longest new name (-N takes 28).
  { code: '*filter\n:OLD - [0:0]\n«-E» OLD ABCDEFGHIJKLMNOPQRSTUVWXYZ12345\nCOMMIT\n', errors: [nftRename('OLD', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ12345')], realTools: NFT_REFUSES_RENAMES },
  { code: '*nat\n:OLD - [0:0]\n-A OLD -j MASQUERADE\n-A POSTROUTING -j OLD\n«-E» OLD NEW\n-A POSTROUTING -j NEW\nCOMMIT\n', errors: [nftRename('OLD', 'NEW')], realTools: NFT_REFUSES_RENAMES },
  { code: '*filter\n:OLD - [0:0]\n-A INPUT -j OLD\n«-E» OLD NEW\n-A NEW -p ipv6-icmp -j ACCEPT\nCOMMIT\n', family: 'ipv6', errors: [nftRename('OLD', 'NEW')], realTools: NFT_REFUSES_RENAMES },
  // The legacy backend takes even an empty new name.
  { code: '*filter\n-N OLD\n«-E» OLD ""\nCOMMIT\n', errors: [nftRename('OLD', '')], realTools: NFT_REFUSES_RENAMES },
];

/** A file in the shape of ufw's before.rules (written for this test): its required lines, then rules that jump to ufw's logging chain. */
const UFW_BEFORE_RULES = [
  '*filter',
  ':ufw-before-input - [0:0]',
  ':ufw-before-output - [0:0]',
  ':ufw-not-local - [0:0]',
  '-A ufw-before-input -i lo -j ACCEPT',
  '-A ufw-before-output -o lo -j ACCEPT',
  '-A ufw-before-input -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  '-A ufw-before-input -m conntrack --ctstate INVALID -j ufw-logging-deny',
  '-A ufw-before-input -j ufw-not-local',
  '-A ufw-not-local -m addrtype --dst-type LOCAL -j RETURN',
  '-A ufw-not-local -j DROP',
  'COMMIT',
  '',
].join('\n');

ruleTester.run(undefinedChain, {
  valid: [
    // The rule of a line the tool skips (-4 in an IPv6 ruleset) needs no chain; a -N with -4 still makes its chain.
    { code: '*filter\n-A NOCHAIN -4 -j NOPE\n-N X -4\n-A INPUT -j X\nCOMMIT\n', family: 'ipv6' },
    // -X of a chain emptied by -F CHAIN, or whose only jump was deleted (by spec or by number).
    '*filter\n:X - [0:0]\n-A X -j ACCEPT\n-F X\n-X X\nCOMMIT\n',
    '*filter\n:X - [0:0]\n-A INPUT -j ACCEPT\n-A INPUT -j X\n-D INPUT -j X\n-X X\nCOMMIT\n',
    '*filter\n:X - [0:0]\n-A INPUT -j X\n-D INPUT 1\n-X\nCOMMIT\n',
    '*filter\n:LIBVIRT_INP - [0:0]\n-A INPUT -j LIBVIRT_INP\nCOMMIT\n',
    // -N declares the chain as well as ":NAME - [0:0]" does.
    '*filter\n-N LIBVIRT_INP\n-A LIBVIRT_INP -i virbr0 -p udp --dport 53 -j ACCEPT\n-A INPUT -j LIBVIRT_INP\nCOMMIT\n',
    // A goto to a declared chain; long option form.
    '*filter\n:LIBVIRT_FWO - [0:0]\n--append FORWARD --in-interface virbr0 --goto LIBVIRT_FWO\nCOMMIT\n',
    // Built-in chains need no declaration, and standard targets are no chains.
    '*filter\n-A INPUT -j ACCEPT\n-A FORWARD -j DROP\n-A OUTPUT -j RETURN\nCOMMIT\n',
    // Target extensions are not chains.
    '*nat\n-A POSTROUTING -s 192.168.122.0/24 ! -d 192.168.122.0/24 -j MASQUERADE\nCOMMIT\n',
    // The same chain name declared in two tables, used in each.
    '*nat\n:LIBVIRT_PRT - [0:0]\n-A POSTROUTING -j LIBVIRT_PRT\nCOMMIT\n*mangle\n:LIBVIRT_PRT - [0:0]\n-A POSTROUTING -j LIBVIRT_PRT\nCOMMIT\n',
    // -N in the middle of the rules works as long as it comes before the first use.
    '*filter\n-N BR0_FWD\n-A FORWARD -i br0 -j BR0_FWD\n-A BR0_FWD -o br0 -j ACCEPT\nCOMMIT\n',
    { code: '*filter\n:LIBVIRT_INP - [0:0]\n-A INPUT -j LIBVIRT_INP\nCOMMIT\n', family: 'ipv6' },
    '*filter\n:LIBVIRT_INP - [0:0]\n-F LIBVIRT_INP\n-X LIBVIRT_INP\nCOMMIT\n',
    // A rename onto an existing chain does not happen (duplicate-chain reports it): A is still there.
    { code: '*filter\n:A - [0:0]\n:B - [0:0]\n-E A B\n-A INPUT -j A\n-A INPUT -j B\nCOMMIT\n', realTools: { verdict: 'refuse', why: 'both backends refuse the rename onto the existing B ("File exists"): duplicate-chain\'s error' } },
    // -Z of a built-in chain once the table has made it (chain line, rule, policy or -F CHAIN).
    '*filter\n:INPUT ACCEPT [0:0]\n-Z INPUT\nCOMMIT\n',
    '*filter\n-A INPUT -j ACCEPT\n-Z INPUT\nCOMMIT\n',
    '*filter\n-P FORWARD DROP\n-Z FORWARD\n-F OUTPUT\n-Z OUTPUT\nCOMMIT\n',
    '*filter\n-Z\nCOMMIT\n',
  ],
  invalid: [
    // One of ufw's rule files: ufw makes ufw-logging-deny itself and loads the file on top of it with
    // iptables-restore -n (the ufw test below loads it that way); alone, the tools refuse it.
    {
      code: UFW_BEFORE_RULES.replace('-j ufw-logging-deny', '-j «ufw-user-input»'),
      errors: [{ messageId: 'ufwChain', severity: 'hint', data: { name: 'ufw-user-input' } }],
      realTools: { verdict: 'refuse', why: 'alone the file lacks ufw\'s own chains; loaded as ufw loads it, on top of them, it is accepted (see "ufw\'s rule files" below)' },
    },
    // A dump of a whole ufw host declares the built-in chains: it is complete, and read as any dump.
    { code: '*filter\n:INPUT DROP [0:0]\n:ufw-before-input - [0:0]\n-A INPUT -j ufw-before-input\n-A ufw-before-input -j «ufw-logging-deny»\nCOMMIT\n', errors: [{ messageId: 'jump' }] },
    // A chain of ufw's in a file that is not one of ufw's (it declares none): an error as usual.
    { code: '*filter\n-A INPUT -j «ufw-logging-deny»\nCOMMIT\n', errors: [{ messageId: 'jump' }] },
    // A chain of an earlier block of the same table: the second *filter empties the table (both tools refuse the jump).
    { code: '*filter\n:MYCHAIN - [0:0]\n-A INPUT -j MYCHAIN\nCOMMIT\n*filter\n-A INPUT -j «MYCHAIN»\nCOMMIT\n', errors: [{ message: /\(the filter block at line 1 declares it, but iptables-restore empties the table again at this block's \*filter line\)$/ }] },
    { code: '*nat\n:MYCHAIN - [0:0]\nCOMMIT\n*filter\n-A INPUT -j «MYCHAIN»\nCOMMIT\n', errors: [{ message: /\(it is declared in table nat; chains are per table\)$/ }] },
    // -g goes on in a user chain: iptables looks for no target of that name ("goto 'ACCEPT' is not a chain").
    { code: '*filter\n-A INPUT -g «ACCEPT»\n-A INPUT --goto «LOG»\nCOMMIT\n', errors: [{ messageId: 'gotoTarget', data: { name: 'ACCEPT' } }, { messageId: 'gotoTarget', data: { name: 'LOG' } }] },
    // iptables-nft-restore makes a built-in chain only for its chain line, a rule, its policy or a
    // -F of it; -Z before that is refused there ("No chain/target/match by that name"), not by legacy.
    {
      code: '*filter\n:A - [0:0]\n-A A -j ACCEPT\n-Z «INPUT»\n-F\n-Z «OUTPUT»\nCOMMIT\n*nat\n-Z «PREROUTING»\nCOMMIT\n',
      errors: [{ messageId: 'zeroUnmade', severity: 'warning', data: { name: 'INPUT' } }, { messageId: 'zeroUnmade', severity: 'warning', data: { name: 'OUTPUT' } }, { messageId: 'zeroUnmade', severity: 'warning', data: { name: 'PREROUTING' } }],
      realTools: { verdict: 'refuse', why: 'iptables-nft-restore refuses it and iptables-legacy-restore accepts it: a warning, as the backends disagree' },
    },
    { code: '*filter\n-A INPUT -4 -j X\n-A INPUT -j «X»\nCOMMIT\n', family: 'ipv6', errors: [{ message: /no chain "X"/ }] },
    // -X of a chain that still has rules or that a rule still jumps to, at that line.
    { code: '*filter\n:X - [0:0]\n-A X -j ACCEPT\n-X «X»\nCOMMIT\n', errors: [{ messageId: 'deleteBusy', message: /still has 1 rule/ }] },
    // Built-in chains are never deleted ("No chain/target/match by that name").
    { code: '*filter\n-X «INPUT»\nCOMMIT\n*nat\n--delete-chain «POSTROUTING»\nCOMMIT\n', errors: [{ messageId: 'deleteBuiltin', data: { name: 'INPUT', table: 'filter' } }, { messageId: 'deleteBuiltin', data: { name: 'POSTROUTING' } }] },
    { code: '*filter\n:X - [0:0]\n-A INPUT -j X\n-X «X»\nCOMMIT\n', errors: [{ messageId: 'deleteReferenced', data: { from: 'INPUT' } }] },
    { code: '*filter\n:X - [0:0]\n:Y - [0:0]\n-A Y -j X\n-F Y\n-A Y -g X\n«-X»\nCOMMIT\n', errors: [{ messageId: 'deleteBusy', data: { chain: 'Y' } }] },
    // A renamed chain keeps the jumps to it.
    { code: '*filter\n:X - [0:0]\n-A INPUT -j X\n«-E» X Z\n-X «Z»\nCOMMIT\n', errors: [{ messageId: 'nftRename', severity: 'warning' }, { messageId: 'deleteReferenced', data: { chain: 'Z' } }] },
    // After -F without a chain name, iptables-nft-restore 1.8.9 still holds the flushed rules.
    {
      code: '*filter\n:X - [0:0]\n-A INPUT -j X\n-F\n-X «X»\nCOMMIT\n', errors: [{ messageId: 'deleteBackendsDiffer', severity: 'warning', message: /iptables-nft-restore/ }],
      realTools: { verdict: 'refuse', why: 'iptables-nft-restore refuses the -X (CHAIN_DEL failed: Device or resource busy); iptables-legacy-restore accepts the file' },
    },
    { code: '*filter\n-A INPUT -j «LIBVIRT_INP»\nCOMMIT\n', errors: [{ messageId: 'jump', data: { name: 'LIBVIRT_INP', table: 'filter' } }] },
    { code: '*filter\n-A «LIBVIRT_INP» -i virbr0 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'append' }] },
    // (A name close to a declared chain, such as LIBVIRT_FWI next to LIBVIRT_FWO, is unknown-module's.)
    { code: '*filter\n:LIBVIRT_FWO - [0:0]\n-A FORWARD -i virbr0 -g «BR0_FWD»\nCOMMIT\n', errors: [{ messageId: 'jump', message: /^-g BR0_FWD/ }] },
    { code: '*filter\n--append FORWARD --jump «LIBVIRT_FWX»\nCOMMIT\n', errors: [{ messageId: 'jump', data: { option: '--jump' } }] },
    // Chains belong to one table: the nat declaration does not help filter.
    {
      code: '*nat\n:LIBVIRT_PRT - [0:0]\n-A POSTROUTING -j LIBVIRT_PRT\nCOMMIT\n*filter\n-A FORWARD -j «LIBVIRT_PRT»\nCOMMIT\n',
      errors: [{ messageId: 'jump', message: /declared in table nat/ }],
    },
    { code: '*filter\n-A INPUT -j «INPUT»\nCOMMIT\n', errors: [{ messageId: 'builtin' }] },
    { code: '*filter\n-A INPUT -j «OUTPUT»\nCOMMIT\n', errors: [{ messageId: 'builtin' }] },
    { code: '*filter\n-I INPUT 1 -j ACCEPT\n-F «BR0_FWD»\nCOMMIT\n', errors: [{ messageId: 'append', data: { name: 'BR0_FWD' } }] },
    { code: '*filter\n-D «BR0_FWD» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'append' }] },
    { code: '*filter\n-A INPUT -j «LIBVIRT_INP»\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'jump' }] },
    // A chain used before its -N line does not exist yet when the rule is applied.
    { code: '*filter\n-A FORWARD -i br0 -j «BR0_FWD»\n-N BR0_FWD\nCOMMIT\n', errors: [{ messageId: 'notYet' }] },
    // ... and after -X it is gone again.
    { code: '*filter\n-N BR0_FWD\n-X BR0_FWD\n-A FORWARD -i br0 -j «BR0_FWD»\nCOMMIT\n', errors: [{ messageId: 'notYet' }] },
    // -Z takes a chain name; "3" is not one.
    { code: '*filter\n-Z «3»\nCOMMIT\n', errors: [{ messageId: 'append' }] },
    ...RENAMES,
    // After -E OLD NEW, OLD is gone: as the chain of a command, and as a jump.
    { code: '*filter\n:OLD - [0:0]\n«-E» OLD NEW\n-A «OLD» -j ACCEPT\nCOMMIT\n', errors: [nftRename('OLD', 'NEW'), { messageId: 'renamed', data: { name: 'OLD', to: 'NEW', line: 3 } }] },
    { code: '*filter\n:OLD - [0:0]\n«-E» OLD NEW\n-A INPUT -j «OLD»\nCOMMIT\n', errors: [nftRename('OLD', 'NEW'), { messageId: 'renamed' }] },
    { code: '*filter\n:OLD - [0:0]\n«-E» OLD NEW\n-F «OLD»\nCOMMIT\n', family: 'ipv6', errors: [nftRename('OLD', 'NEW'), { messageId: 'renamed' }] },
    // ... and NEW is not there before it.
    { code: '*filter\n:OLD - [0:0]\n-A «NEW» -j ACCEPT\n«-E» OLD NEW\nCOMMIT\n', errors: [{ messageId: 'notYet' }, nftRename('OLD', 'NEW')] },
    // Renames both backends refuse: a built-in chain, a chain that is not there, a verdict's name, a name too long or read as an option.
    { code: '*filter\n-E «INPUT» NEW\nCOMMIT\n', errors: [{ messageId: 'renameBuiltin', data: { name: 'INPUT', table: 'filter' } }] },
    { code: '*filter\n-E «NOPE» NEW\n-A INPUT -j «NEW»\nCOMMIT\n', errors: [{ messageId: 'append' }, { messageId: 'jump' }] },
    { code: '*filter\n:OLD - [0:0]\n-X OLD\n-E «OLD» NEW\nCOMMIT\n', errors: [{ messageId: 'notYet' }] },
    { code: '*filter\n:OLD - [0:0]\n-E OLD «DROP»\nCOMMIT\n', errors: [{ messageId: 'renameTo', message: /standard verdict/ }] },
    { code: '*filter\n:OLD - [0:0]\n-E OLD «RETURN»\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'renameTo' }] },
    { code: '*filter\n:OLD - [0:0]\n-E OLD «ABCDEFGHIJKLMNOPQRSTUVWXYZ123456»\nCOMMIT\n', errors: [{ messageId: 'renameTo', message: /32 characters/ }] },
    { code: '*filter\n:OLD - [0:0]\n-E OLD «!x»\nCOMMIT\n', errors: [{ messageId: 'renameTo' }] },
  ],
});

/** A real load with the legacy backend into a throw-away namespace (the kernel's checks run too). */
function legacyLoad(text: string, family: Family): { accepted: boolean; message: string } {
  const r = spawnSync('unshare', ['-n', family === 'ipv4' ? 'iptables-legacy-restore' : 'ip6tables-legacy-restore'], { input: text, encoding: 'utf8', timeout: 30_000 });
  return { accepted: r.status === 0, message: (r.stderr ?? '').trim() };
}

describe('undefined-chain: the renames it warns about, backend by backend', () => {
  for (const c of RENAMES) {
    const family = c.family ?? 'ipv4';
    it(`${family}: ${JSON.stringify(c.code)}`, { skip: realToolsAvailable() ? false : 'real tools unavailable' }, () => {
      const { text } = stripMarkers(c.code);
      const nft = nftRestore(text, family);
      assert.ok(!nft.accepted, `iptables-nft-restore accepts:\n${text}`);
      assert.match(nft.message, /CHAIN_RENAME failed|No chain\/target\/match by that name|Chain '[^']+' does not exist|Chain already exists/);
      const test = legacyRestoreTest(text, family);
      assert.ok(test.accepted, `iptables-legacy-restore --test refuses:\n${test.message}`);
      const load = legacyLoad(text, family);
      assert.ok(load.accepted, `iptables-legacy-restore refuses to load it:\n${load.message}`);
    });
  }
});

describe('undefined-chain: the quick fix of -g before a target', () => {
  it('turns -g into -j and --goto into --jump, which the real tools accept', (t) => {
    const text = '*filter\n-A INPUT -p tcp -g ACCEPT\n-A INPUT --goto LOG --log-prefix "x "\nCOMMIT\n';
    const findings = lintIptables(text, { rules: [undefinedChain] }).findings;
    assert.deepEqual(findings.map((f) => f.message.split(':')[0]), ['-g ACCEPT', '--goto LOG']);
    let out = text;
    for (const f of [...findings].reverse()) out = applyEdits(out, f.fixes?.[0]?.edits ?? []);
    assert.equal(out, '*filter\n-A INPUT -p tcp -j ACCEPT\n-A INPUT --jump LOG --log-prefix "x "\nCOMMIT\n');
    assert.deepEqual(lintIptables(out, { rules: [undefinedChain] }).findings, []);
    if (!realToolsAvailable()) {
      t.skip('real tools unavailable');
      return;
    }
    assert.equal(realToolAccepts(text, 'ipv4').accepted, false);
    assert.equal(realToolAccepts(out, 'ipv4').accepted, true, realToolAccepts(out, 'ipv4').message);
  });
});

describe("ufw's rule files", () => {
  const skip = realToolsAvailable() ? undefined : 'real tools unavailable';
  it('load as ufw loads them: with -n, on top of the chains ufw has made', { skip }, () => {
    const framework = '*filter\n:ufw-before-input - [0:0]\n:ufw-before-output - [0:0]\n:ufw-logging-deny - [0:0]\n-A INPUT -j ufw-before-input\n-A OUTPUT -j ufw-before-output\nCOMMIT\n';
    const verdict = nftRestoreOnTop(framework, UFW_BEFORE_RULES);
    assert.equal(verdict.accepted, true, verdict.message);
    assert.equal(realToolAccepts(UFW_BEFORE_RULES).accepted, false, 'alone, it is refused');
  });
  it('get no error and no unused-chain for their own chains, and nothing for the chains ufw makes itself', () => {
    assert.deepEqual(lintIptables(UFW_BEFORE_RULES).findings, []);
    const ipv6 = UFW_BEFORE_RULES.replace(/ufw-/g, 'ufw6-').replace('--ctstate INVALID -j ufw6-logging-deny', '--ctstate INVALID -j ufw6-skip-to-policy-input');
    assert.deepEqual(lintIptables(ipv6, { family: 'ipv6' }).findings, []);
  });
});
