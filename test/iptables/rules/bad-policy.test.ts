import { badPolicy } from '../../../server/src/iptables/rules/bad-policy.js';
import { ruleTester } from '../../helpers/ruleTester.js';

ruleTester.run(badPolicy, {
  valid: [
    '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:LIBVIRT_INP - [0:0]\n-A INPUT -j LIBVIRT_INP\nCOMMIT\n',
    '*filter\n-P INPUT DROP\n--policy FORWARD ACCEPT\nCOMMIT\n',
    // "-" on a built-in chain keeps its policy.
    '*filter\n:INPUT - [0:0]\nCOMMIT\n',
    '*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n',
    '*nat\n-P PREROUTING ACCEPT\nCOMMIT\n*mangle\n-P PREROUTING DROP\nCOMMIT\n*raw\n:PREROUTING DROP [0:0]\nCOMMIT\n',
    // Reject by a last rule, not by the policy.
    '*filter\n:INPUT DROP [0:0]\n-A INPUT -j REJECT --reject-with icmp-host-prohibited\nCOMMIT\n',
    { code: '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\nCOMMIT\n', family: 'ipv6' },
  ],
  invalid: [
    // The chain of a chain line keeps its policy problem when a later -E renames it.
    { code: '*filter\n:OLD «ACCEPT» [0:0]\n-E OLD NEW\nCOMMIT\n', errors: [{ messageId: 'userChain' }] },
    { code: '*filter\n:INPUT «REJECT» [0:0]\nCOMMIT\n', errors: [{ messageId: 'badName', message: /end the chain with "-j REJECT"/ }] },
    // Policies are upper case.
    { code: '*filter\n:INPUT «drop» [0:0]\nCOMMIT\n', errors: [{ messageId: 'badName', message: /write DROP/ }] },
    { code: '*filter\n:FORWARD «RETURN» [0:0]\nCOMMIT\n', errors: [{ messageId: 'badName' }] },
    { code: '*filter\n:OUTPUT «QUEUE» [0:0]\nCOMMIT\n', errors: [{ messageId: 'badName' }] },
    { code: '*filter\n-P INPUT «REJECT»\nCOMMIT\n', errors: [{ messageId: 'badName' }] },
    { code: '*filter\n--policy FORWARD «accept»\nCOMMIT\n', errors: [{ messageId: 'badName' }] },
    { code: '*filter\n:LIBVIRT_INP «DROP» [0:0]\n-A INPUT -j LIBVIRT_INP\nCOMMIT\n', errors: [{ messageId: 'userChain', data: { name: 'LIBVIRT_INP' } }] },
    { code: '*filter\n:LIBVIRT_FWO «ACCEPT» [0:0]\n-A FORWARD -j LIBVIRT_FWO\nCOMMIT\n', errors: [{ messageId: 'userChain' }] },
    { code: '*filter\n:LIBVIRT_INP - [0:0]\n-A INPUT -j LIBVIRT_INP\n-P «LIBVIRT_INP» DROP\nCOMMIT\n', errors: [{ messageId: 'notBuiltin' }] },
    { code: '*filter\n:INPUT «REJECT» [0:0]\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'badName' }] },
    // iptables refuses DROP in nat: "the nat table is not intended for filtering".
    { code: '*nat\n-P PREROUTING «DROP»\nCOMMIT\n', errors: [{ messageId: 'natDrop' }] },
    { code: '*nat\n:POSTROUTING ACCEPT [0:0]\n-P POSTROUTING «DROP»\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'natDrop' }] },
    // As a chain line it loads, and drops every new connection the chain does not let through.
    { code: '*nat\n:PREROUTING «DROP» [0:0]\nCOMMIT\n', errors: [{ messageId: 'natDropLine', severity: 'warning', data: { name: 'PREROUTING' } }] },
  ],
});
