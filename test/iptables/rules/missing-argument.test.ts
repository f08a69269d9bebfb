import { missingArgument } from '../../../server/src/iptables/rules/missing-argument.js';
import { ruleTester } from '../../helpers/ruleTester.js';

ruleTester.run(missingArgument, {
  valid: [
    // A line the tool skips (-4 in an IPv6 ruleset) is not checked for the options its extensions must have.
    { code: '*nat\n-A PREROUTING -p tcp -j DNAT -4 --to-destination 10.0.0.1\nCOMMIT\n', family: 'ipv6' },
    '*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n',
    '*mangle\n-A POSTROUTING -o virbr0 -p udp -m udp --dport 68 -j CHECKSUM --checksum-fill\nCOMMIT\n',
    // Options whose value is optional, and targets without options.
    '*filter\n-A INPUT -j REJECT\n-A FORWARD -j LOG\nCOMMIT\n',
    '*filter\n-N LIBVIRT_INP\n-I INPUT -j LIBVIRT_INP\n-I INPUT 2 -i lo -j ACCEPT\n-P FORWARD DROP\nCOMMIT\n',
    '*filter\n--append INPUT --protocol tcp --tcp-flags SYN,ACK SYN --jump ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -m hashlimit --hashlimit-upto 5/sec --hashlimit-name ssh -j ACCEPT\nCOMMIT\n',
    { code: '*filter\n-A INPUT -p ipv6-icmp --icmpv6-type 135 -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
    // -F and -X work without a chain (all chains of the table).
    '*filter\n-F\n-X\n-A INPUT -j ACCEPT\nCOMMIT\n',
  ],
  invalid: [
    { code: '*filter\n-A INPUT -p tcp «--dport»\nCOMMIT\n', errors: [{ messageId: 'option', data: { option: '--dport' } }] },
    { code: '*filter\n-A INPUT -i virbr0 «-j»\nCOMMIT\n', errors: [{ messageId: 'option' }] },
    { code: '*filter\n-A INPUT -j ACCEPT «-s»\nCOMMIT\n', errors: [{ messageId: 'option' }] },
    { code: '*filter\n--append INPUT --jump ACCEPT «--in-interface»\nCOMMIT\n', errors: [{ messageId: 'option' }] },
    { code: '*filter\n-A INPUT -p tcp -m tcp «--tcp-flags» SYN -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'option', message: /a value/ }] },
    { code: '*mangle\n-A POSTROUTING -o virbr0 -p udp --dport 68 -j «CHECKSUM»\nCOMMIT\n', errors: [{ messageId: 'oneOf', message: /--checksum-fill/ }] },
    { code: '*filter\n-A INPUT -m «hashlimit» --hashlimit-upto 5/sec -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'oneOf', message: /--hashlimit-name/ }] },
    { code: '*filter\n-A INPUT -m «conntrack» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'oneOf' }] },
    { code: '*filter\n«-A»\nCOMMIT\n', errors: [{ messageId: 'command', message: /chain name/ }] },
    { code: '*filter\n«-P INPUT»\nCOMMIT\n', errors: [{ messageId: 'command', message: /policy/ }] },
    { code: '*filter\n:LIBVIRT_INP - [0:0]\n«-E LIBVIRT_INP»\nCOMMIT\n', errors: [{ messageId: 'command', message: /new chain name/ }] },
    { code: '*filter\n-A INPUT -j ACCEPT\n«-R INPUT» -j DROP\nCOMMIT\n', errors: [{ messageId: 'command', message: /number of the rule/ }] },
    { code: '*filter\n«-N»\nCOMMIT\n', errors: [{ messageId: 'command' }] },
    { code: '*filter\n-A INPUT -p ipv6-icmp «--icmpv6-type»\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'option' }] },
  ],
});
