import { badValue } from '../../../server/src/iptables/rules/bad-value.js';
import { ruleTester } from '../../helpers/ruleTester.js';

ruleTester.run(badValue, {
  valid: [
    '*filter\n-A INPUT ! -p udp -j ACCEPT\nCOMMIT\n',
    '*filter\n-A FORWARD -m physdev --physdev-is-bridged --physdev-out vnet0 -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -s 192.168.122.0/24 -d 192.168.122.1 -p udp --dport 53 -j ACCEPT\nCOMMIT\n',
    // Netmask form.
    '*filter\n-A INPUT -s 192.168.122.0/255.255.255.0 -j ACCEPT\nCOMMIT\n',
    // Address lists, port ranges, open-ended ranges, protocol numbers and names.
    '*filter\n-A INPUT -s 192.168.122.0/24,10.0.0.0/8 -p tcp --dport 1024:65535 -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -p tcp --sport :1023 --dport 22: -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -p 17 -j ACCEPT\n-A INPUT -p all -j ACCEPT\n-A INPUT ! -p icmp -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -m state --state INVALID -j DROP\nCOMMIT\n',
    '*filter\n-A INPUT -p icmp --icmp-type echo-request -j ACCEPT\n-A INPUT -p icmp --icmp-type 3/4 -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -j REJECT --reject-with icmp-host-prohibited\n-A FORWARD -p tcp -j REJECT --reject-with tcp-reset\nCOMMIT\n',
    '*filter\n-A INPUT -j LOG --log-level warning --log-prefix "INPUT drop: "\n-A INPUT -j LOG --log-level 4\nCOMMIT\n',
    '*mangle\n-A PREROUTING -i virbr0 -j MARK --set-xmark 0x1/0xffffffff\n-A PREROUTING -m mark --mark 0x1/0x1 -j ACCEPT\nCOMMIT\n',
    '*nat\n-A PREROUTING -i br0 -p tcp --dport 2222 -j DNAT --to-destination 192.168.122.10:22\nCOMMIT\n',
    '*filter\n-A INPUT -p tcp -m multiport --dports 22,80,8000:8080 -j ACCEPT\nCOMMIT\n',
    '*filter\n-A FORWARD -i virbr+ -o br0 -j ACCEPT\nCOMMIT\n',
    // Non-contiguous netmasks are accepted; reject types may be abbreviated.
    '*filter\n--append INPUT --source 192.168.122.0/255.0.255.0 --jump ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -j REJECT --reject-with icmp-host-prohib\nCOMMIT\n',
    { code: '*filter\n-A INPUT -j REJECT --reject-with icmp6-adm-prohib\nCOMMIT\n', family: 'ipv6' },
    // A log prefix longer than the kernel keeps is cut, not refused.
    '*filter\n-A INPUT -j LOG --log-prefix "a log prefix that is far too long for the kernel"\nCOMMIT\n',
    { code: '*filter\n-A INPUT -s fe80::/10 -p ipv6-icmp --icmpv6-type neighbour-solicitation -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
    { code: '*filter\n-A INPUT -j REJECT --reject-with icmp6-adm-prohibited\nCOMMIT\n', family: 'ipv6' },
  ],
  invalid: [
    { code: '*filter\n-A INPUT ! -p «all» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'neverMatches' }] },
    { code: '*filter\n-A OUTPUT -m physdev «--physdev-out» vnet0 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'problem' }] },
    { code: '*filter\n-A INPUT -s «192.168.122.0/33» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value', data: { option: '-s' } }] },
    { code: '*filter\n-A INPUT -s «192.168.300.0/24» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -p tcp --dport «65536» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -p tcp --dport «22-80» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -p «tpc» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'protocol', message: /did you mean "tcp"/ }] },
    { code: '*filter\n-A INPUT -p «256» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -m conntrack --ctstate «RELATED,ESTABLISED» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -m state --state «NEW,FOO» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -p icmp --icmp-type «echo-requests» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -j REJECT --reject-with «icmp-host-unreachble»\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -j LOG --log-level «verbose»\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*mangle\n-A PREROUTING -j MARK --set-mark «0xfffffffff»\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -p tcp -m multiport --dports «22,80,99999» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -i «virbr0virbr0virbr0» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*nat\n-A PREROUTING -p tcp --dport 2222 -j DNAT --to-destination «192.168.122.10:99999»\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    // Each side of a conflict is reported.
    { code: '*filter\n-A INPUT -p tcp «--syn» «--tcp-flags» SYN,ACK SYN -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'conflict' }, { messageId: 'conflict' }] },
    { code: '*filter\n-A INPUT -m recent «--set» «--rcheck» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'conflict' }, { messageId: 'conflict' }] },
    { code: '*filter\n-A INPUT -p tcp --dport «80:22» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value', message: /inverted/ }] },
    { code: '*filter\n-A INPUT -m mac --mac-source «52:54:00:zz:00:01» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -m limit --limit «5/fortnight» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -p tcp -m multiport --dports «1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value', message: /too many ports/ }] },
    { code: '*filter\n-A INPUT -m statistic --mode nth «--every» 3 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'requires', data: { other: '--packet' } }] },
    { code: '*filter\n-A INPUT -m recent --name ssh --set «--seconds» 60 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'problem' }] },
    { code: '*filter\n-A INPUT -m addrtype --src-type «FOO» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -s «fe80::/129» -j ACCEPT\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'value' }] },
  ],
});
