import { duplicateChain } from '../../../server/src/iptables/rules/duplicate-chain.js';
import { ruleTester } from '../../helpers/ruleTester.js';

ruleTester.run(duplicateChain, {
  valid: [
    '*filter\n:LIBVIRT_INP - [0:0]\n:LIBVIRT_FWO - [0:0]\n-A INPUT -j LIBVIRT_INP\n-A FORWARD -j LIBVIRT_FWO\nCOMMIT\n',
    // One name in two tables is two chains.
    '*nat\n:LIBVIRT_PRT - [0:0]\n-A POSTROUTING -j LIBVIRT_PRT\nCOMMIT\n*mangle\n:LIBVIRT_PRT - [0:0]\n-A POSTROUTING -j LIBVIRT_PRT\nCOMMIT\n',
    // Chain names are case-sensitive.
    '*filter\n:br0_fwd - [0:0]\n:BR0_FWD - [0:0]\n-A FORWARD -j br0_fwd\n-A FORWARD -j BR0_FWD\nCOMMIT\n',
    // Declaring a built-in chain twice just sets its policy twice.
    '*filter\n:INPUT ACCEPT [0:0]\n:INPUT DROP [0:0]\nCOMMIT\n',
    '*filter\n--new-chain LIBVIRT_INP\n-A INPUT -j LIBVIRT_INP\nCOMMIT\n',
    // PREROUTING is no built-in chain of filter, so -N may create a user chain of that name.
    '*filter\n-N PREROUTING\n-A INPUT -j PREROUTING\nCOMMIT\n',
    // A second *filter block starts the table afresh.
    '*filter\n:LIBVIRT_INP - [0:0]\n-A INPUT -j LIBVIRT_INP\nCOMMIT\n*filter\n:LIBVIRT_INP - [0:0]\nCOMMIT\n',
    // -X deletes the chain, so -N may create it again.
    '*filter\n-N LIBVIRT_INP\n-X LIBVIRT_INP\n-N LIBVIRT_INP\n-A INPUT -j LIBVIRT_INP\nCOMMIT\n',
    { code: '*filter\n:LIBVIRT_INP - [0:0]\n-A INPUT -j LIBVIRT_INP\nCOMMIT\n', family: 'ipv6' },
    // A rename frees the old name: -N may create it again.
    { code: '*filter\n:OLD - [0:0]\n-E OLD NEW\n-N OLD\n-A OLD -j NEW\n-A INPUT -j OLD\nCOMMIT\n', realTools: { verdict: 'refuse', why: 'iptables-nft-restore 1.8.9 refuses every rename of a chain the file creates; iptables-legacy-restore accepts this file (test/iptables/analysis-rename.test.ts loads it)' } },
  ],
  invalid: [
    // A chain line after the last command line declares its chain too. iptables-legacy-restore
    // refuses a second declaration ("File exists"); the nf_tables backend lets a chain line repeat.
    { code: '*filter\n:X - [0:0]\n-A INPUT -j X\n:«X» - [0:0]\nCOMMIT\n', errors: [{ messageId: 'duplicate', data: { line: 2 } }] },
    { code: '*filter\n-N X\n:«X» - [0:0]\nCOMMIT\n', errors: [{ messageId: 'duplicate' }] },
    { code: '*filter\n:LIBVIRT_INP - [0:0]\n:«LIBVIRT_INP» - [0:0]\n-A INPUT -j LIBVIRT_INP\nCOMMIT\n', errors: [{ messageId: 'duplicate', data: { name: 'LIBVIRT_INP', line: 2 } }] },
    { code: '*filter\n:LIBVIRT_INP - [0:0]\n-N «LIBVIRT_INP»\n-A INPUT -j LIBVIRT_INP\nCOMMIT\n', errors: [{ messageId: 'duplicate' }] },
    { code: '*filter\n-N LIBVIRT_INP\n--new-chain «LIBVIRT_INP»\n-A INPUT -j LIBVIRT_INP\nCOMMIT\n', errors: [{ messageId: 'duplicate' }] },
    // Every repeat is reported, each pointing at the first declaration.
    { code: '*filter\n:BR0_FWD - [0:0]\n:«BR0_FWD» - [0:0]\n:«BR0_FWD» - [0:0]\n-A FORWARD -j BR0_FWD\nCOMMIT\n', errors: [{ messageId: 'duplicate', data: { line: 2 } }, { messageId: 'duplicate', data: { line: 2 } }] },
    { code: '*filter\n-N «INPUT»\nCOMMIT\n', errors: [{ messageId: 'builtin', data: { name: 'INPUT', table: 'filter' } }] },
    { code: '*filter\n:FORWARD DROP [0:0]\n-N «FORWARD»\nCOMMIT\n', errors: [{ messageId: 'builtin' }] },
    { code: '*nat\n-N «POSTROUTING»\nCOMMIT\n', errors: [{ messageId: 'builtin', data: { table: 'nat' } }] },
    { code: '*filter\n:LIBVIRT_INP - [0:0]\n:«LIBVIRT_INP» - [0:0]\n-A INPUT -j LIBVIRT_INP\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'duplicate' }] },
    // -E to a name a chain of the table has (both backends refuse: "File exists").
    { code: '*filter\n:A - [0:0]\n:B - [0:0]\n-E A «B»\n-A INPUT -j A\nCOMMIT\n', errors: [{ messageId: 'duplicate', data: { name: 'B', line: 3 } }] },
    { code: '*filter\n:OLD - [0:0]\n-E OLD «OLD»\nCOMMIT\n', errors: [{ messageId: 'duplicate', data: { line: 2 } }] },
    { code: '*filter\n:OLD - [0:0]\n-E OLD «INPUT»\nCOMMIT\n', errors: [{ messageId: 'builtin', data: { name: 'INPUT' } }] },
    // After -E OLD NEW, NEW exists: the -E line is its declaration.
    { code: '*filter\n:OLD - [0:0]\n-E OLD NEW\n-N «NEW»\nCOMMIT\n', errors: [{ messageId: 'duplicate', data: { name: 'NEW', line: 3 } }] },
    { code: '*filter\n:A - [0:0]\n:B - [0:0]\n-E A «B»\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'duplicate' }] },
  ],
});
