import { unknownModule } from '../../../server/src/iptables/rules/unknown-module.js';
import { ruleTester } from '../../helpers/ruleTester.js';

ruleTester.run(unknownModule, {
  valid: [
    '*filter\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\nCOMMIT\n',
    '*nat\n-A POSTROUTING -s 192.168.122.0/24 ! -d 192.168.122.0/24 -j MASQUERADE\nCOMMIT\n',
    // Long option forms, and a match loaded by -p (implicit).
    '*filter\n-A INPUT --protocol udp --match udp --dport 67 --jump ACCEPT\nCOMMIT\n',
    // A user chain whose name is close to a target is a chain, not a typo.
    '*filter\n:LOGDROP - [0:0]\n-A LOGDROP -j LOG --log-prefix "drop: "\n-A LOGDROP -j DROP\n-A INPUT -j LOGDROP\nCOMMIT\n',
    // Two user chains with close names are both declared.
    '*filter\n:LIBVIRT_FWI - [0:0]\n:LIBVIRT_FWO - [0:0]\n-A FORWARD -j LIBVIRT_FWI\n-A FORWARD -j LIBVIRT_FWO\nCOMMIT\n',
    { code: '*filter\n-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 135 -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
    '*mangle\n-A POSTROUTING -o virbr0 -p udp -m udp --dport 68 -j CHECKSUM --checksum-fill\nCOMMIT\n',
  ],
  invalid: [
    // A blank missing between an extension and its option: iptables looks for an extension of that name.
    { code: '*filter\n-A INPUT -p tcp -m «tcp--syn» -j ACCEPT\n-A INPUT -m «conntrack--ctstate=NEW» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'glued', data: { what: 'match', known: 'tcp', known_option: '--syn' } }, { messageId: 'glued', data: { known: 'conntrack', known_option: '--ctstate' } }] },
    { code: '*mangle\n-A PREROUTING -j «CONNMARK--save-mark» --nfmask 0xff --ctmask 0xff\nCOMMIT\n', errors: [{ messageId: 'glued', data: { what: 'target', known: 'CONNMARK', known_option: '--save-mark' } }] },
    // getopt gives -m/-j/-g the next word whatever it is: an option or a "!" there is no name.
    { code: '*filter\n-A INPUT -p ah -m «!» --ahspi 0\n-A INPUT -m «--state» NEW\nCOMMIT\n', errors: [{ messageId: 'notAName', message: /"!" is none: .*\(-m NAME ! --option\)/ }, { messageId: 'notAName', data: { name: '--state', what: 'match' } }] },
    { code: '*mangle\n-A PREROUTING -j «--save-mark» --nfmask 0xff\n-A PREROUTING -g «!»\nCOMMIT\n', errors: [{ messageId: 'notAName', data: { option: '-j', what: 'target or chain' } }, { messageId: 'notAName', data: { option: '-g' } }] },
    // An invisible character glued to a name (a form feed, a no-break space) is shown in the message.
    { code: '*filter\n-A INPUT -j «ACCEPT\f»\nCOMMIT\n', errors: [{ messageId: 'target', message: /^unknown target "ACCEPT\\f": did you mean "ACCEPT"\?$/ }] },
    { code: '*filter\n-A INPUT -p tcp -m «tcp\u00a0» --dport 22 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'match', message: /"tcp\\xa0"/ }] },
    // Single quotes from a shell command are part of the word in a restore file.
    { code: "*filter\n-A INPUT -p tcp -m «'tcp'» --dport 22 -j ACCEPT\n-A INPUT -m «'conntrack'» --ctstate NEW -j ACCEPT\nCOMMIT\n", errors: [{ messageId: 'singleQuoted', message: /write tcp/ }, { messageId: 'singleQuoted' }] },
    { code: "*nat\n:MY - [0:0]\n-A POSTROUTING -j «'SNAT'» --to-source 1.1.1.1\n-A POSTROUTING -j «'MY'»\n-A OUTPUT -j «'LOG'»\nCOMMIT\n", errors: [{ messageId: 'target', message: /did you mean "SNAT"/ }, { messageId: 'target', message: /"MY" \(a chain/ }, { messageId: 'target', message: /"LOG"/ }] },
    { code: '*filter\n-A INPUT -m «conntrak» --ctstate NEW -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'match', data: { suggestion: 'conntrack' } }] },
    { code: '*filter\n-A INPUT -m «multiports» --dports 22,80 -p tcp -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'match', data: { suggestion: 'multiport' } }] },
    // Names are case-sensitive: -m is lower case.
    { code: '*filter\n-A INPUT -m «Conntrack» --ctstate NEW -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'match', data: { suggestion: 'conntrack' } }] },
    { code: '*filter\n--append INPUT --match «stat» --state NEW --jump ACCEPT\nCOMMIT\n', errors: [{ messageId: 'match', data: { suggestion: 'state' } }] },
    // A target given to -m, a match given to -j.
    { code: '*filter\n-A INPUT -m «LOG» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'matchIsTarget' }] },
    { code: '*filter\n-A INPUT -j «conntrack»\nCOMMIT\n', errors: [{ messageId: 'targetIsMatch' }] },
    { code: '*filter\n-A INPUT -j «multiport» --dports 22,80\nCOMMIT\n', errors: [{ messageId: 'targetIsMatch' }] },
    { code: '*filter\n-A INPUT -j «rt»\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'targetIsMatch', message: /use -m rt/ }] },
    { code: '*nat\n-A POSTROUTING -s 192.168.122.0/24 -j «MASQUERAD»\nCOMMIT\n', errors: [{ messageId: 'target', data: { suggestion: 'MASQUERADE' } }] },
    { code: '*filter\n-A INPUT -j «accept»\nCOMMIT\n', errors: [{ messageId: 'target', data: { suggestion: 'ACCEPT' } }] },
    { code: '*filter\n-A INPUT -j «REJCT» --reject-with icmp-host-prohibited\nCOMMIT\n', errors: [{ messageId: 'target', data: { suggestion: 'REJECT' } }] },
    // A near miss of a chain of this table.
    { code: '*filter\n:LIBVIRT_FWO - [0:0]\n-A FORWARD -i virbr0 -g «LIBVIRT_FWI»\nCOMMIT\n', errors: [{ messageId: 'target', message: /a chain of this table/, data: { suggestion: 'LIBVIRT_FWO' } }] },
    { code: '*filter\n:libvirt_inp - [0:0]\n-A libvirt_inp -j ACCEPT\n-A INPUT -j «LIBVIRT_INP»\nCOMMIT\n', errors: [{ messageId: 'target', data: { suggestion: 'libvirt_inp' } }] },
    { code: '*filter\n-A INPUT -p ipv6-icmp -m «icmp7» -j ACCEPT\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'match', data: { suggestion: 'icmp6' } }] },
  ],
});
