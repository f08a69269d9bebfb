import { unusedChain } from '../../../server/src/iptables/rules/unused-chain.js';
import { ruleTester } from '../../helpers/ruleTester.js';

ruleTester.run(unusedChain, {
  valid: [
    // With a policy it is another table's built-in chain: chain-not-in-table reports that, once.
    { code: '*filter\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n', realTools: { verdict: 'refuse', why: 'iptables-legacy-restore refuses a policy on a chain filter does not have; chain-not-in-table reports it' } },
    '*filter\n:LIBVIRT_INP - [0:0]\n-A INPUT -j LIBVIRT_INP\n-A LIBVIRT_INP -i virbr0 -p udp --dport 53 -j ACCEPT\nCOMMIT\n',
    // A goto is a use; so is a jump from another user chain.
    '*filter\n:LIBVIRT_FWO - [0:0]\n-A FORWARD -i virbr0 -g LIBVIRT_FWO\nCOMMIT\n',
    '*filter\n:A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -j B\nCOMMIT\n',
    '*filter\n--new-chain LIBVIRT_INP\n--append INPUT --jump LIBVIRT_INP\nCOMMIT\n',
    // Built-in chains are never "unused", whatever their table.
    '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n',
    { code: '*filter\n:LIBVIRT_INP - [0:0]\n-A INPUT -j LIBVIRT_INP\nCOMMIT\n', family: 'ipv6' },
    // A renamed chain is used by the jumps to its old name and to its new one.
    { code: '*filter\n:OLD - [0:0]\n-A INPUT -j OLD\n-E OLD NEW\nCOMMIT\n', realTools: { verdict: 'refuse', why: 'iptables-nft-restore 1.8.9 refuses every rename of a chain the file creates; iptables-legacy-restore accepts this file (test/iptables/analysis-rename.test.ts loads it)' } },
    { code: '*filter\n:OLD - [0:0]\n-E OLD NEW\n-A INPUT -j NEW\nCOMMIT\n', realTools: { verdict: 'refuse', why: 'iptables-nft-restore 1.8.9 refuses every rename of a chain the file creates; iptables-legacy-restore accepts this file (test/iptables/analysis-rename.test.ts loads it)' } },
  ],
  invalid: [
    // Declared without a policy, PREROUTING in filter is a user chain like any other (both tools load it).
    { code: '*filter\n:«PREROUTING» - [0:0]\nCOMMIT\n', errors: [{ messageId: 'unused' }] },
    { code: '*filter\n:«LIBVIRT_INP» - [0:0]\n-A LIBVIRT_INP -i virbr0 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'unused', message: /its 1 rule never runs/ }] },
    { code: '*filter\n:«LIBVIRT_INP» - [0:0]\n-A LIBVIRT_INP -i virbr0 -p udp --dport 53 -j ACCEPT\n-A LIBVIRT_INP -i virbr0 -p tcp --dport 53 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'unused', message: /its 2 rules never run$/ }] },
    { code: '*filter\n:«EMPTY» - [0:0]\nCOMMIT\n', errors: [{ messageId: 'unused', message: /^chain "EMPTY" of table filter is never used: no rule of the table jumps to it$/ }] },
    { code: '*filter\n-N «BR0_FWD»\nCOMMIT\n', errors: [{ messageId: 'unused' }] },
    // Only the head of an unused group is reported: B is used, by A.
    { code: '*filter\n:«A» - [0:0]\n:B - [0:0]\n-A A -j B\nCOMMIT\n', errors: [{ messageId: 'unused' }] },
    // Chains are per table: the jump in nat does not use filter's chain.
    { code: '*nat\n:LIBVIRT_PRT - [0:0]\n-A POSTROUTING -j LIBVIRT_PRT\nCOMMIT\n*filter\n:«LIBVIRT_PRT» - [0:0]\nCOMMIT\n', errors: [{ messageId: 'unused' }] },
    // A chain that only jumps to itself is still unused (it is also a loop).
    { code: '*filter\n:«SELF» - [0:0]\n-A SELF -p tcp -j SELF\nCOMMIT\n', errors: [{ messageId: 'unused' }] },
    { code: '*filter\n:«LIBVIRT_INP» - [0:0]\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'unused' }] },
    // A renamed chain nothing jumps to: reported where it is first declared, by its last name.
    { code: '*filter\n:«OLD» - [0:0]\n-A OLD -j ACCEPT\n-E OLD NEW\nCOMMIT\n', errors: [{ messageId: 'unused', data: { name: 'NEW' }, message: /its 1 rule never runs/ }], realTools: { verdict: 'refuse', why: 'iptables-nft-restore 1.8.9 refuses every rename of a chain the file creates; iptables-legacy-restore accepts this file (test/iptables/analysis-rename.test.ts loads it)' } },
  ],
});
