import { chainLoop } from '../../../server/src/iptables/rules/chain-loop.js';
import { ruleTester } from '../../helpers/ruleTester.js';

ruleTester.run(chainLoop, {
  valid: [
    '*filter\n:LIBVIRT_INP - [0:0]\n-A INPUT -j LIBVIRT_INP\n-A LIBVIRT_INP -i virbr0 -p udp --dport 53 -j ACCEPT\nCOMMIT\n',
    // Two paths to the same chain (a diamond) are no loop.
    '*filter\n:A - [0:0]\n:B - [0:0]\n:C - [0:0]\n-A INPUT -j A\n-A INPUT -j B\n-A A -j C\n-A B -j C\n-A C -j ACCEPT\nCOMMIT\n',
    // A chain that returns to its caller with RETURN.
    '*filter\n:LIBVIRT_FWI - [0:0]\n-A FORWARD -j LIBVIRT_FWI\n-A LIBVIRT_FWI -o virbr0 -j RETURN\nCOMMIT\n',
    // Chains of the same name in two tables do not connect.
    '*nat\n:A - [0:0]\n:B - [0:0]\n-A PREROUTING -j A\n-A A -j B\nCOMMIT\n*mangle\n:A - [0:0]\n:B - [0:0]\n-A PREROUTING -j B\n-A B -j A\nCOMMIT\n',
    { code: '*filter\n:A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -j B\nCOMMIT\n', family: 'ipv6' },
    // Names are not chains: A jumps to the chain first called B, now C; the new B jumps back to A, C does not.
    { code: '*filter\n:A - [0:0]\n:B - [0:0]\n-A A -j B\n-E B C\n-N B\n-A B -j A\n-A INPUT -j A\n-A INPUT -j B\nCOMMIT\n', realTools: { verdict: 'refuse', why: 'iptables-nft-restore 1.8.9 refuses every rename of a chain the file creates; iptables-legacy-restore accepts this file (test/iptables/analysis-rename.test.ts loads it)' } },
    // The kernel looks for loops when the table is committed: a jump that a later line deletes,
    // flushes or replaces away does not count (found by random structural programs).
    '*filter\n:A - [0:0]\n-A FORWARD -j A\n-F\n-A A -j ACCEPT\n-A A -j A\n-D A 2\n-A A -j ACCEPT\nCOMMIT\n',
    '*filter\n:A - [0:0]\n-A INPUT -j A\n-A A -j A\n-F A\nCOMMIT\n',
    '*filter\n:A - [0:0]\n-A INPUT -j A\n-A A -j A\n-D A -j A\nCOMMIT\n',
    '*filter\n:A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -j B\n-A B -j A\n-D B 1\n-A B -j RETURN\nCOMMIT\n',
  ],
  invalid: [
    { code: '*filter\n:A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -j B\n-A B -j «A»\nCOMMIT\n', errors: [{ messageId: 'loop', data: { cycle: 'A → B → A' } }] },
    { code: '*filter\n:LOOP - [0:0]\n-A INPUT -j LOOP\n-A LOOP -j «LOOP»\nCOMMIT\n', errors: [{ messageId: 'loop', data: { cycle: 'LOOP → LOOP' } }] },
    // Matches do not matter: the kernel refuses any possible path.
    { code: '*filter\n:A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -p tcp -j B\n-A B -p udp -j «A»\nCOMMIT\n', errors: [{ messageId: 'loop' }] },
    // -g counts as well as -j.
    { code: '*filter\n:A - [0:0]\n:B - [0:0]\n:C - [0:0]\n-A FORWARD -j A\n-A A -j B\n-A B -g C\n-A C -j «A»\nCOMMIT\n', errors: [{ messageId: 'loop', data: { cycle: 'A → B → C → A' } }] },
    { code: '*filter\n:A - [0:0]\n:B - [0:0]\n:C - [0:0]\n:D - [0:0]\n-A INPUT -j A\n-A A -j B\n-A B -j «A»\n-A INPUT -j C\n-A C -j D\n-A D -j «C»\nCOMMIT\n', errors: [{ messageId: 'loop' }, { messageId: 'loop' }] },
    { code: '*nat\n:LIBVIRT_PRT - [0:0]\n:PRT2 - [0:0]\n-A POSTROUTING -j LIBVIRT_PRT\n--append LIBVIRT_PRT --jump PRT2\n--append PRT2 --goto «LIBVIRT_PRT»\nCOMMIT\n', errors: [{ messageId: 'loop' }] },
    // A loop nothing reaches yet loads, so it is a warning.
    { code: '*filter\n:A - [0:0]\n:B - [0:0]\n-A A -j B\n-A B -j «A»\nCOMMIT\n', errors: [{ messageId: 'unreachableLoop', severity: 'warning' }] },
    { code: '*filter\n:A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -j B\n-A B -j «A»\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'loop' }] },
    // A rename keeps the jumps: A jumps to B, B is renamed C, C jumps back to A (the legacy kernel refuses it at COMMIT).
    { code: '*filter\n:A - [0:0]\n:B - [0:0]\n-A A -j B\n-E B C\n-A C -j «A»\n-A INPUT -j A\nCOMMIT\n', errors: [{ messageId: 'loop', data: { cycle: 'A → C → A' } }] },
    // After a bare -F iptables-nft-restore still holds the flushed rules and refuses the loop at
    // COMMIT; iptables-legacy-restore has flushed them and loads the file.
    {
      code: '*filter\n:A - [0:0]\n-A INPUT -j A\n-A A -j «A»\n-F\nCOMMIT\n', errors: [{ messageId: 'backendLoop', severity: 'warning', data: { refuser: 'iptables-nft-restore' } }],
      realTools: { verdict: 'refuse', why: 'iptables-nft-restore refuses it ("Too many links") and iptables-legacy-restore loads it: a warning, as the backends disagree' },
    },
    // A component where a walk that never turns back runs into a dead end (B only loops on itself
    // or goes back to C): the loop through A is still found (found by random structural programs).
    { code: '*filter\n:A - [0:0]\n:B - [0:0]\n:C - [0:0]\n-A INPUT -j A\n-A A -j C\n-A C -j B\n-A C -j «A»\n-A B -g B\n-A B -j C\nCOMMIT\n', errors: [{ messageId: 'loop', data: { cycle: 'A → C → A' } }] },
    // A loop left after a -D of another rule is still a loop.
    { code: '*filter\n:A - [0:0]\n-A INPUT -j A\n-A A -j ACCEPT\n-A A -j «A»\n-D A 1\nCOMMIT\n', errors: [{ messageId: 'loop', data: { cycle: 'A → A' } }] },
    { code: '*filter\n:OLD - [0:0]\n-A OLD -j «OLD»\n-E OLD NEW\n-A INPUT -j NEW\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'loop', data: { cycle: 'NEW → NEW' } }] },
  ],
});
