import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../../server/src/core/finding.js';
import { lintIncremental } from '../../../server/src/iptables/incremental.js';
import { lintIptables } from '../../../server/src/iptables/lint.js';
import { badValue } from '../../../server/src/iptables/rules/bad-value.js';
import { realToolAccepts, realToolsAvailable } from '../../helpers/realTools.js';
import { assertFixLoads, ruleTester } from '../../helpers/ruleTester.js';

ruleTester.run(badValue, {
  valid: [
    // Mark values inside their masks; MARK's --set-mark may set bits outside the mask (it means to).
    '*filter\n-A INPUT -m mark --mark 0x1/0xff -j ACCEPT\n-A INPUT -m connmark --mark 0x100/0xf00 -j ACCEPT\n-A INPUT -m mark --mark 0x100 -j ACCEPT\nCOMMIT\n*mangle\n-A PREROUTING -j MARK --set-mark 0x100/0xff\nCOMMIT\n',
    // Not extension headers, or negated (no "never matched" from the tools), or AH in IPv4.
    { code: '*filter\n-A INPUT -p esp -j ACCEPT\n-A INPUT ! -p ah -j ACCEPT\n-A INPUT -p ipv6-icmp -j ACCEPT\n-A INPUT -p 0 -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
    // "ip" is protocol 0 too, which reads as what it says: any IP protocol.
    '*filter\n-A INPUT -p ah -j ACCEPT\n-A INPUT -p all -j ACCEPT\n-A INPUT -p ip -j ACCEPT\nCOMMIT\n',
    // Flags to be set among those examined, in any case and spelling (ALL is the six, NONE none).
    '*filter\n-A INPUT -p tcp --tcp-flags SYN,RST,ACK,FIN SYN -j ACCEPT\n-A INPUT -p tcp --tcp-flags ALL NONE -j DROP\n-A INPUT -p tcp --tcp-flags all syn,ack -j DROP\n-A INPUT -p tcp --tcp-flags SYN,ACK, SYN -j DROP\nCOMMIT\n',
    // Address forms found with a pool of values put in place of each value of the .t lines:
    // libxtables reads a numeric IPv4 address part by part with strtoul ("+1", "1.+2.3.4"); -s and
    // -d read no address at all when the mask is zero; conntrack's and policy's addresses take any
    // netmask the resolver reads ("/200" is 0.0.0.200); iprange autocompletes ("0x1.1" is 1.1.0.0).
    '*filter\n-A INPUT -s +1 -d 1.+2.3.4\n-A INPUT -s 1.2.3.4.5/0\n-A INPUT -s 007.1.1.1 -d 00\nCOMMIT\n',
    { code: '*filter\n-A INPUT -s 1/0 -d x/::\nCOMMIT\n', family: 'ipv6' },
    '*filter\n-A INPUT -m conntrack --ctorigsrc 1.2.3.4/200 --ctrepldst 256/1.2\nCOMMIT\n',
    '*filter\n-A INPUT -m policy --dir in --pol ipsec --tunnel-src 256/4294967295 --mode tunnel\nCOMMIT\n',
    '*filter\n-A INPUT -m iprange --src-range +1 --dst-range 0x1.1-1.2.3.+4\nCOMMIT\n',
    // 1.8.9 reads A:B as a range of ICMP types and takes a range of one type.
    '*filter\n-A INPUT -p icmp --icmp-type 8:8\n-A INPUT -p icmp --icmp-type 0x8:010/0\nCOMMIT\n',
    { code: '*filter\n-A INPUT -p ipv6-icmp --icmpv6-type 128:128\nCOMMIT\n', family: 'ipv6' },
    // The options matches read each number with strtoul and keep its low 8 bits.
    { code: '*filter\n-A INPUT -m hbh --hbh-opts 0x1:0x10,07:255\nCOMMIT\n', family: 'ipv6' },
    // getaddrinfo ports: strtoul skips blanks and a sign; -0 is 0.
    '*filter\n-A INPUT -p udp --sport -0\n-A INPUT -p udp --dport " 53"\nCOMMIT\n',
    // Leading zeros that change nothing: 07 is 7 in octal too; udp's getaddrinfo ports read decimal.
    '*filter\n-A INPUT -p tcp --dport 07 -j ACCEPT\n-A INPUT -p udp --dport 0053 -j ACCEPT\n-A INPUT -m conntrack --ctorigdstport 1024:65535 -j ACCEPT\nCOMMIT\n',
    // ... blanks before the number are skipped, and an empty service is 0 to the C library.
    '*filter\n-A INPUT -p udp --dport ""\n-A INPUT -p udp --sport " 1"\n-A INPUT -m conntrack --ctorigsrcport ""\nCOMMIT\n',
    // The resolver takes an IPv4-mapped IPv6 address for an IPv4 address or netmask.
    '*filter\n-A INPUT -s ::ffff:10.0.0.1 -m conntrack --ctorigsrc ::ffff:1.2.3.4/::ffff:255.255.0.0\n-A INPUT -m connlimit --connlimit-above 1 --connlimit-mask ::ffff:255.255.255.0\nCOMMIT\n',
    '*nat\n-A PREROUTING -j NETMAP --to ::ffff:1.2.3.0/24\nCOMMIT\n',
    // getaddrinfo takes an IPv6 host with a scope: an interface name for a link-local address, a
    // number for any (the interface must exist on the host; lo does everywhere).
    { code: '*filter\n-A INPUT -s fe80::1%lo -d ::1%1\n-A INPUT -m conntrack --ctorigsrc ff02::1%lo/64 -m connlimit --connlimit-above 1 --connlimit-mask ffff::%99\nCOMMIT\n', family: 'ipv6' },
    { code: '*mangle\n-A PREROUTING -j TEE --gateway fe80::1%lo\n-A PREROUTING -p tcp -j TPROXY --on-port 1 --on-ip ::1%1\nCOMMIT\n', family: 'ipv6' },
    { code: '*nat\n-A PREROUTING -j NETMAP --to fe80::%1/64\n-A PREROUTING -j NETMAP --to 1::/ffff::%1\nCOMMIT\n', family: 'ipv6' },
    // u32 as its parser reads it: blanks between the parts, "+" before a number, ten of each kind.
    '*filter\n-A INPUT -m u32 --u32 " 0 >> 22 & 0x3C @ 12 = 1 : 2 , +3 && 0=1"\nCOMMIT\n',
    '*filter\n-A INPUT -m u32 --u32 "0=1&&0=2&&0=3&&0=4&&0=5&&0=6&&0=7&&0=8&&0=9&&0=1,2,3,4,5,6,7,8,9,10"\n-A INPUT -m u32 --u32 "0@1@2@3@4@5@6@7@8<<31=4294967295"\nCOMMIT\n',
    // NETMAP --to, TEE --gateway and TPROXY --on-ip go through getaddrinfo: inet_aton's forms load.
    '*nat\n-A PREROUTING -j NETMAP --to 0x1.0x2/24\n-A POSTROUTING -j NETMAP --to 007.1.65535\nCOMMIT\n',
    '*mangle\n-A PREROUTING -j TEE --gateway 4294967295\n-A PREROUTING -p tcp -j TPROXY --on-port 1 --on-ip 0x1.2\nCOMMIT\n',
    // statistic reads the probability with strtod: C's spellings, blanks before it (nan too: a warning).
    '*filter\n-A INPUT -m statistic --mode random --probability 0x1p-1\n-A INPUT -m statistic --mode random --probability " .5"\nCOMMIT\n',
    // ipv6header asks /etc/protocols first: its names of the header numbers load (ip is 0).
    { code: '*filter\n-A INPUT -m ipv6header --header hopopt,IPv6-Frag,ah\n-A INPUT -m ipv6header --header ip --soft\nCOMMIT\n', family: 'ipv6' },
    // The same rate with a burst every common tick rate takes (37; 38 overflows), and 1/d with 3.
    '*filter\n-A INPUT -m hashlimit --hashlimit-name x --hashlimit-upto 1/h --hashlimit-burst 37\n-A INPUT -m hashlimit --hashlimit-name y --hashlimit-upto 1/d --hashlimit-burst 3\nCOMMIT\n',
    // The longest prefixes kept whole.
    `*filter\n-A INPUT -j LOG --log-prefix "${'d'.repeat(29)}"\n-A INPUT -j NFLOG --nflog-prefix ${'x'.repeat(63)}\nCOMMIT\n`,
    // Interface negation before the option, the "+" wildcard, and "+" alone (any interface).
    '*filter\n-A FORWARD ! -i virbr0 -o vnet+ -j DROP\n-A FORWARD -i + -m physdev --physdev-in vnet+ -j ACCEPT\nCOMMIT\n',
    // physdev and osf have no empty-name check of their own.
    '*filter\n-A FORWARD -m physdev --physdev-in "" -j ACCEPT\n-A INPUT -p tcp -m osf --genre "" -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -m recent --set --name a.b\nCOMMIT\n',
    // A line the tool skips (-4 in an IPv6 ruleset) gets no final or kernel checks.
    { code: '*nat\n-A POSTROUTING -j SNPT --src-pfx dead::beef -4 --dst-pfx 1c3::/64\n-A PREROUTING -s 10.0.0.1 -4 -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
    // -D by specification of a rule the chain has.
    '*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-D INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n',
    // ... written another way that loads the same matches in the same order (tcp, then comment).
    '*filter\n-A INPUT -p tcp -m tcp --dport 22 -m comment --comment ssh -j ACCEPT\n-D INPUT -p tcp --dport 22 -m comment --comment ssh -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -p icmp --icmp-type 8 -j ACCEPT\n-D INPUT -p icmp -m icmp --icmp-type 8 -j ACCEPT\nCOMMIT\n',
    // Addresses and interfaces as the backends read them.
    '*filter\n-A INPUT -s 1.2.3.4 -i eth0 -j ACCEPT\n-D INPUT -i "eth0" -s 1.2.3.4/32 -j ACCEPT\n-A INPUT -s 0.0.0.0/0 -i + -j DROP\n-D INPUT -j DROP\nCOMMIT\n',
    { code: '*filter\n-A INPUT -s 2001:db8::1 -j ACCEPT\n-D INPUT -s 2001:db8:0::1/128 -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
    // The protocol as a number: a name of iptables' own table in any case, "all" and 0 are no -p.
    '*filter\n-A INPUT -p tcp -j ACCEPT\n-D INPUT -p 6 -j ACCEPT\n-A INPUT -p TCP -j DROP\n-D INPUT -p 0x6 -j DROP\n-A INPUT -j REJECT\n-D INPUT -p all -j REJECT\n-A INPUT -p 0 -j LOG\n-D INPUT -j LOG\nCOMMIT\n',
    // A rule with the same -j name may match: -m tcp is what iptables adds for -p tcp --dport anyway.
    '*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-D INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -s 10.0.0.1\n-A INPUT -j DROP\n-D INPUT -s 10.0.0.1\nCOMMIT\n',

    // policy: --dir where the kernel knows that policy (FORWARD has both).
    '*filter\n-A INPUT -m policy --dir in --pol ipsec -j ACCEPT\n-A FORWARD -m policy --dir in --pol ipsec -j ACCEPT\n-A FORWARD -m policy --dir out --pol none -j ACCEPT\n-A OUTPUT -m policy --dir out --pol ipsec -j ACCEPT\nCOMMIT\n',
    // policy: a negated --mode in another element does not take tunnel mode away from this one; four elements at most.
    '*filter\n-A INPUT -m policy --dir in --pol ipsec --strict --mode tunnel --tunnel-dst 10.0.0.0/8 --next ! --mode tunnel -j ACCEPT\n-A INPUT -m policy --dir in --pol ipsec --strict --reqid 1 --next --reqid 2 --next --reqid 3 --next --reqid 4 -j ACCEPT\nCOMMIT\n',
    { code: '*filter\n-A INPUT -m rt --rt-type 0x0 --rt-0-res --rt-0-addrs ::1 --rt-0-not-strict -j ACCEPT\n-A INPUT -m rt ! --rt-type 0 --rt-segsleft 1:23 -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
    // Quoted addresses may start with blanks: strtoul and the host lookup skip them.
    '*filter\n-A INPUT -s " 10.0.0.1" -d "1. 2.3.4, 10.1" -j ACCEPT\n-A INPUT -m iprange --src-range " 10.0.0.1- 10.0.0.9" -j ACCEPT\nCOMMIT\n',
    { code: '*filter\n-A INPUT -s " ::1" -d " 2001:db8::/32" -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
    // policy: an element's --mode may come after its tunnel addresses.
    '*filter\n-A INPUT -m policy --dir in --pol ipsec --strict --tunnel-src 10.0.0.0/8 --mode tunnel --next --mode tunnel --tunnel-dst 10.0.0.0/8 -j ACCEPT\nCOMMIT\n',
    // Inserts before a rule that stays, at the head (no rule referred to), or whose own rule or whole chain goes.
    '*filter\n-A FORWARD -j ACCEPT\n-A FORWARD -j DROP\n-I FORWARD 2 -j RETURN\n-D FORWARD 1\n-I FORWARD 1 -j LOG\n-D FORWARD 2\n-I FORWARD 2 -j ACCEPT\n-D FORWARD 2\nCOMMIT\n',
    '*filter\n-A FORWARD -j ACCEPT\n-A FORWARD -j DROP\n-I FORWARD 2 -j RETURN\n-F FORWARD\nCOMMIT\n',
    // C-style rule numbers (0x1, +1, 02) and both counters in one word (-c 2,3, quoted too).
    '*filter\n-A INPUT -j ACCEPT\n-I INPUT 0x1 -j ACCEPT\n-I INPUT +1 -j ACCEPT\n-I INPUT 02 -j ACCEPT\n-A INPUT -c 2,3 -j ACCEPT\n-A INPUT -c "5,6" -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT ! -p udp -j ACCEPT\nCOMMIT\n',
    '*filter\n-A FORWARD -m physdev --physdev-is-bridged --physdev-out vnet0 -j ACCEPT\nCOMMIT\n',
    // Only OUTPUT needs --physdev-is-bridged with an output port (xt_physdev's check).
    '*filter\n-A FORWARD -m physdev --physdev-out vnet0 -j ACCEPT\n-A FORWARD -m physdev --physdev-is-out -j ACCEPT\nCOMMIT\n*mangle\n-A POSTROUTING -m physdev --physdev-out vnet0 ! --physdev-is-bridged -j ACCEPT\nCOMMIT\n',
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
    { code: '*filter\n-A INPUT -s fe80::/10 -p ipv6-icmp --icmpv6-type neighbour-solicitation -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
    { code: '*filter\n-A INPUT -j REJECT --reject-with icmp6-adm-prohibited\nCOMMIT\n', family: 'ipv6' },
    // NAT targets: a service name alone is a port; ranges and the base in numbers (or a service base).
    '*nat\n-A PREROUTING -p tcp -j REDIRECT --to-ports ftp\n-A PREROUTING -p tcp -j REDIRECT --to-ports 21-22\n-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:ftp\nCOMMIT\n',
    // x11-1 and ftp-data are service names with a dash (/etc/services), not ranges.
    '*nat\n-A POSTROUTING -p tcp -j MASQUERADE --to-ports x11-1\n-A POSTROUTING -p tcp -j MASQUERADE --to-ports ftp-data\n-A POSTROUTING -p tcp -j MASQUERADE --to-ports 1024-2000/ftp\n-A POSTROUTING -p tcp -j SNAT --to-source :ftp\nCOMMIT\n',
    { code: '*nat\n-A PREROUTING -p tcp -j DNAT --to-destination [::1]:ftp\nCOMMIT\n', family: 'ipv6' },
    // Rule numbers within the chain as it is at each line: -I up to count + 1, -R and -D up to count.
    '*filter\n-I INPUT 1 -j ACCEPT\n-A INPUT -j DROP\n-I INPUT 3 -j LOG\n-D INPUT 3\n-D INPUT 2\n-I INPUT 2 -j DROP\nCOMMIT\n',
    '*filter\n-A INPUT -j ACCEPT\n-A INPUT -j DROP\n-D INPUT -j ACCEPT\n-D INPUT 1\n-I INPUT -j DROP\n-I INPUT 2 -j ACCEPT\nCOMMIT\n',
    // Octal like strtoul: 03 is 3.
    '*filter\n-A INPUT -j ACCEPT\n-A INPUT -j ACCEPT\n-I INPUT 03 -j DROP\nCOMMIT\n',
    // A chain made again starts empty; a chain line after rules makes the chain there.
    '*filter\n:FOO - [0:0]\n-A FOO -j ACCEPT\n-F FOO\n-X FOO\n-N FOO\n-I FOO 1 -j DROP\nCOMMIT\n',
    '*filter\n-A INPUT -j ACCEPT\n:FOO - [0:0]\n-I FOO 1 -j DROP\n-I INPUT 2 -j DROP\nCOMMIT\n',
    // After -F without a chain name both backends accept inserting at 1.
    '*filter\n-A INPUT -j ACCEPT\n-F\n-A INPUT -j DROP\n-I INPUT 2 -j DROP\nCOMMIT\n',
    // Open-ended and equal MH type ranges; `home-test` is type 3, not home-test-init (1).
    { code: '*filter\n-A INPUT -p mh -m mh --mh-type :3 -j ACCEPT\n-A INPUT -p mh -m mh --mh-type 3: -j ACCEPT\n-A INPUT -p mh -m mh --mh-type 3:3 -j ACCEPT\n-A INPUT -p mh -m mh --mh-type home-test:careof-test -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
    '*filter\n-A INPUT -m connbytes --connbytes 1000: --connbytes-dir both --connbytes-mode bytes -j ACCEPT\n-A INPUT -m connbytes --connbytes :1000 --connbytes-dir both --connbytes-mode bytes -j ACCEPT\n-A INPUT -m connbytes --connbytes 1000:1000 --connbytes-dir both --connbytes-mode bytes -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -m recent --rcheck --hitcount 0 -j ACCEPT\n-A INPUT -m recent --update --seconds 60 --hitcount 65535 -j DROP\nCOMMIT\n',
    // A range of ICMP codes (1.8.9 does not check its order).
    '*filter\n-A INPUT -p icmp -m icmp --icmp-type 3/0:255 -j ACCEPT\n-A INPUT -p icmp --icmp-type 8/3:0 -j ACCEPT\nCOMMIT\n',
    // Values the mutation conformance test found refused by mistake (test/conformance/mutations.test.ts).
    // Counters are read by sscanf: a sign, decimal digits, anything after them ignored.
    '*filter\n-A INPUT -c 2,3x -j ACCEPT\n-A INPUT -c 0x2 3 -j ACCEPT\n-A INPUT -c -2 3.5 -j ACCEPT\n-A INPUT -c 2,3,4 -j ACCEPT\nCOMMIT\n',
    // States, statuses and address types by the start of their name, any case.
    '*filter\n-A INPUT -m conntrack --ctstate N,e --ctstatus s -j ACCEPT\n-A INPUT -m state --state rel -j ACCEPT\n-A INPUT -m addrtype --dst-type loc -j ACCEPT\nCOMMIT\n',
    // Empty items of strtok lists, hashlimit amounts read by atoll/strtoul, time's cut items.
    '*filter\n-A INPUT -p tcp --tcp-flags SYN,RST, SYN -j DROP\n-A INPUT -p dccp --dccp-types ,REQUEST -j DROP\nCOMMIT\n',
    '*filter\n-A INPUT -m hashlimit --hashlimit-upto 10 --hashlimit-burst 5x --hashlimit-name a -j ACCEPT\n-A INPUT -m hashlimit --hashlimit-upto 1mb/s/ --hashlimit-burst 1m --hashlimit-name b -j ACCEPT\nCOMMIT\n',
    // Rates read as meant: a whole number, a unit that starts one, a byte rate with k or m before b/s,
    // text after the number that changes nothing (10pps is 10 a second).
    '*filter\n-A INPUT -m limit --limit " 7/h" -j ACCEPT\n-A INPUT -m limit --limit 10 -j ACCEPT\n-A INPUT -m limit --limit 10pps -j ACCEPT\n-A INPUT -m limit --limit 5x/min -j ACCEPT\n-A INPUT -m limit --limit 5pkts/h -j ACCEPT\n-A INPUT -m hashlimit --hashlimit-upto 100kb/sec --hashlimit-name a -j ACCEPT\n-A INPUT -m hashlimit --hashlimit-above 10mb/s --hashlimit-name b -j ACCEPT\n-A INPUT -m hashlimit --hashlimit-upto 5b/s --hashlimit-name c -j ACCEPT\n-A INPUT -m hashlimit --hashlimit-upto 16b/s --hashlimit-burst 100 --hashlimit-name d -j ACCEPT\nCOMMIT\n',
    // Leading zeros that change nothing, and ranges in order.
    '*filter\n-A INPUT -s 192.168.001.001 -d 10.0.0.0/007 -j ACCEPT\n-A INPUT -m iprange --src-range 10.0.0.1-10.0.0.50 --dst-range 10.1-10.1.0.9 -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -m length --length 1000:1500 -m statistic --mode random --probability 0.0000000005 -m time --datestart 2024-02-29 --datestop 2024-04-30T23:59 -m ttl --ttl-eq 64\n-A INPUT -m hashlimit --hashlimit-upto 5/s --hashlimit-burst 10 --hashlimit-name a --hashlimit-rate-match --hashlimit-rate-interval 10s\n-A INPUT -m hashlimit --hashlimit-upto 5/s --hashlimit-name b --hashlimit-rate-match --hashlimit-rate-interval 10sec\nCOMMIT\n',
    '*filter\n-A INPUT -p icmp --icmp-type any -j ACCEPT\n-A INPUT -p tcp -j REJECT --reject-with icmp-port-unreach\n-A INPUT -p tcp -j REJECT --reject-with tcp-rst\n-A INPUT -p tcp -m tcp --syn -j SYNPROXY --mss 1460 --wscale 7\n-A INPUT -m connlimit --connlimit-above 2 --connlimit-mask 24 -j DROP\nCOMMIT\n*mangle\n-A PREROUTING -j DSCP --set-dscp-class cs1\nCOMMIT\n*raw\n-A PREROUTING -j CT --zone-orig 1 --zone-reply 0x1\n-A PREROUTING -j CT --zone-reply mark --zone-orig mark\nCOMMIT\n',
    '*mangle\n-A POSTROUTING -j CLASSIFY --set-class 1:10\n-A POSTROUTING -j CLASSIFY --set-class 0x1:0xffff\nCOMMIT\n*filter\n-A INPUT -m helper --helper ftp -j ACCEPT\n-A INPUT -m helper --helper ftp-2121 -j ACCEPT\nCOMMIT\n',
    { code: '*filter\n-A INPUT -m recent --rcheck --mask ffff:ffff:ffff:ffff::\nCOMMIT\n', family: 'ipv6' },
    '*filter\n-A INPUT -m recent --rcheck --mask 255.255.255.0\n-A INPUT -m recent --rcheck --mask 0xffffff00\n-A INPUT -m recent --rcheck --mask 0\nCOMMIT\n',
    '*filter\n-A INPUT -m time --weekdays Mo,Sunday,7,Thursday --monthdays 31,, -j ACCEPT\nCOMMIT\n',
    '*mangle\n-A PREROUTING -m dscp --dscp-class ef -j DSCP --set-dscp-class "cs0 "\n-A PREROUTING -m mark --mark +1/+1 -m policy --dir in --pol ipsec --proto IPCOMP -j ACCEPT\nCOMMIT\n',
    `*filter\n-A INPUT -m comment --comment ${'c'.repeat(255)} -m connlimit --connlimit-above 2 --connlimit-mask 4294967040 -j ACCEPT\nCOMMIT\n`,
    // Names and comments as long as the kernel keeps them.
    `*filter\n-A INPUT -m recent --set --name ${'r'.repeat(199)}\n-A INPUT -m hashlimit --hashlimit-upto 1/s --hashlimit-name ${'h'.repeat(254)}\nCOMMIT\n`,
    // Prefix lengths and dotted masks are C numbers: /07 is /7, /0x20 is /32 (a leading 0 that changes the number, /010 for /8, gets a warning).
    '*filter\n-A INPUT -s 10.0.0.0/07 -j ACCEPT\n-A INPUT -d 10.0.0.0/+8 -j ACCEPT\n-A INPUT -s 1.2.3.4/0x20 -j ACCEPT\n-A INPUT -s 10.0.0.0/0377.0.0.0 -j ACCEPT\nCOMMIT\n',
    { code: '*filter\n-A INPUT -s ::/0x80 -j ACCEPT\n-A INPUT -d fe80::/+10 -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
    // Owner ids in C syntax, ranges with - or :; times and dates field by field, empty fields as 0.
    '*filter\n-A OUTPUT -m owner --uid-owner 0x10 --gid-owner 0:10 -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -m time --timestart 8: --timestop 017:30 --datestart 2001-02-01T -j ACCEPT\nCOMMIT\n',
  ],
  invalid: [
    // getaddrinfo reads a numeric host with inet_aton (leading-0 parts are octal, the last part
    // fills the bytes left); what it refuses is then looked up as a name, and these are not names.
    { code: '*nat\n-A PREROUTING -j NETMAP --to «08.1.1.0/24»\n-A POSTROUTING -j NETMAP --to «1.2.3.256»\n-A PREROUTING -j NETMAP --to «1.16777216»\nCOMMIT\n', errors: [{ messageId: 'value', message: /"08.1.1.0"/ }, { messageId: 'value' }, { messageId: 'value' }] },
    { code: '*mangle\n-A PREROUTING -j TEE --gateway «4294967296»\n-A PREROUTING -p tcp -j TPROXY --on-port 1 --on-ip «1.2.3.09»\nCOMMIT\n', errors: [{ messageId: 'value' }, { messageId: 'value' }] },
    // IPv6: inet_pton reads an embedded IPv4 part without leading zeros, and takes no brackets;
    // getaddrinfo takes a scope name only on a link-local address, and no empty scope.
    {
      code: '*filter\n-A INPUT -s «[::1]»\n-A INPUT -s «::1.2.3.04»\n-A INPUT -s «::1%lo»\n-A INPUT -d «fe80::1%»\nCOMMIT\n',
      family: 'ipv6',
      errors: [{ messageId: 'value' }, { messageId: 'value' }, { messageId: 'value' }, { messageId: 'value' }],
    },
    // ipvs reads its address through the resolver alone, as conntrack does: libxtables' "+1" is refused.
    { code: '*filter\n-A INPUT -m ipvs --vaddr «+1.2.3.4»\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    // u32: more than ten tests, numbers or ranges; "08" reads as 0 and leaves an "8"; no blank inside "&&".
    {
      code: '*filter\n-A INPUT -m u32 --u32 «0=1&&0=2&&0=3&&0=4&&0=5&&0=6&&0=7&&0=8&&0=9&&0=10&&0=11»\n-A INPUT -m u32 --u32 «0@1@2@3@4@5@6@7@8@9@10=1»\n-A INPUT -m u32 --u32 «0=1,2,3,4,5,6,7,8,9,10,11»\nCOMMIT\n',
      errors: [{ messageId: 'value', message: /too many tests/ }, { messageId: 'value', message: /too many operators/ }, { messageId: 'value', message: /too many ","/ }],
    },
    { code: '*filter\n-A INPUT -m u32 --u32 «0=08»\n-A INPUT -m u32 --u32 «"0=1& &1=2"»\n-A INPUT -m u32 --u32 «0=-1»\nCOMMIT\n', errors: [{ messageId: 'value' }, { messageId: 'value' }, { messageId: 'value' }] },
    // hashlimit's token arithmetic overflows for a slow rate with a large burst; where that depends
    // on the kernel's tick rate, a warning (this machine's HZ=250 refuses, HZ=100 loads).
    {
      code: '*filter\n-A INPUT -m hashlimit --hashlimit-name x --hashlimit-upto 1/h «--hashlimit-burst» 38\nCOMMIT\n',
      errors: [{ severity: 'warning', message: /HZ=250, HZ=1000 .* refuse the rate 1\/h with a burst of 38/ }],
      realTools: { verdict: 'refuse', why: 'the kernel here is built with HZ=250, one of the tick rates that refuse it; HZ=100 loads it, so a warning' },
    },
    // ip6tables compares -p after the extension headers: these never match (both tools warn
    // "never matched protocol" and load them). Protocol 0 is "all" (iptables-save drops the -p).
    {
      code: '*filter\n-A INPUT -p «ipv6-frag» -j DROP\n-A INPUT -p «0x2b» -j DROP\n-A INPUT -p «AH» -j DROP\n-A INPUT -p «ipv6-opts» -j DROP\n-A INPUT -p «hopopt» -j DROP\nCOMMIT\n',
      family: 'ipv6',
      errors: [
        { messageId: 'extensionHeader', severity: 'warning', data: { match: '-m frag' } },
        { messageId: 'extensionHeader', severity: 'warning', data: { match: '-m rt' } },
        { messageId: 'extensionHeader', severity: 'warning', data: { match: '-m ah' } },
        { messageId: 'extensionHeader', severity: 'warning', data: { match: '-m dst' } },
        { messageId: 'hopopt', severity: 'warning', message: /-p hopopt is protocol 0, which iptables reads as "all": .*; for hop-by-hop options use -m hbh$/ },
      ],
    },
    { code: '*filter\n-A INPUT -p «HOPOPT» -j DROP\nCOMMIT\n', errors: [{ messageId: 'hopopt', severity: 'warning', message: /the rule matches every protocol$/ }] },
    // "! -p" of protocol 0 in any spelling: both tools refuse it ("rule would never match protocol").
    {
      code: '*filter\n-A INPUT ! -p «ip» -j DROP\n-A INPUT ! -p «HOPOPT» -j DROP\n-A INPUT ! -p «0x0» -j DROP\n-A INPUT ! -p «All» -j DROP\nCOMMIT\n',
      errors: [{ messageId: 'neverMatches' }, { messageId: 'neverMatches' }, { messageId: 'neverMatches' }, { messageId: 'neverMatches' }],
    },
    // A mark match whose value has bits outside its mask: (mark & mask) never equals it (the tools load it as written).
    {
      code: '*filter\n-A INPUT -m mark --mark «0x100/0xff» -j ACCEPT\n-A INPUT -m connmark ! --mark «3/1» -j ACCEPT\nCOMMIT\n',
      errors: [
        { severity: 'warning', message: /--mark: the value has bits outside the mask \(0x100\), .* the rule never matches/ },
        { severity: 'warning', message: /\(0x2\)/ },
      ],
    },
    // --tcp-flags: the kernel compares (flags & mask) with comp, so a flag to be set outside the mask
    // makes the test fail always (the tools load it as written).
    {
      code: '*filter\n-A INPUT -p tcp «--tcp-flags» SYN,RST ACK -j DROP\n-A INPUT -p tcp ! «--tcp-flags» SYN syn,fin -j DROP\nCOMMIT\n',
      errors: [
        { severity: 'warning', message: /^--tcp-flags: ACK is to be set but not among the flags examined \(SYN,RST\), so the test never holds and the rule never matches/ },
        { severity: 'warning', message: /FIN is to be set .* the rule matches every TCP packet/ },
      ],
    },
    { code: '*filter\n-A INPUT -p tcp «--tcp-flags» NONE none -j DROP\nCOMMIT\n', errors: [{ severity: 'warning', message: /NONE none examines no flag, so every TCP segment matches .*; a null scan \(no flag set\) is ALL NONE$/ }] },
    // A shift by 32 or more: the kernel here refuses it when the rule is loaded; older kernels do not check.
    {
      code: '*filter\n-A INPUT -m u32 «--u32» 0>>32=1\nCOMMIT\n',
      errors: [{ severity: 'warning', message: /shift by 32/ }],
      realTools: { verdict: 'refuse', why: 'the kernel of this machine refuses the shift when the rule is loaded; --test of the legacy backend and older kernels accept it, so a warning' },
    },
    // A netmask with a scope name on an address that is not link-local (getaddrinfo refuses it).
    { code: '*nat\n-A PREROUTING -j NETMAP --to «1::/ffff::%lo»\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'value' }] },
    // strtod must read the whole probability; ipv6header compares its numbers as written and knows
    // which protocols are no extension headers.
    { code: '*filter\n-A INPUT -m statistic --mode random --probability «"1 "»\n-A INPUT -m statistic --mode random --probability «1e»\nCOMMIT\n', errors: [{ messageId: 'value' }, { messageId: 'value' }] },
    {
      code: '*filter\n-A INPUT -m ipv6header --header «00»\n-A INPUT -m ipv6header --header «AH»\n-A INPUT -m ipv6header --header «esp,tcp»\nCOMMIT\n',
      family: 'ipv6',
      errors: [{ messageId: 'value' }, { messageId: 'value' }, { messageId: 'value', message: /"tcp" is a protocol, not an IPv6 extension header/ }],
    },
    // Masks, iprange and rt read inet_pton alone: no scope.
    {
      code: '*filter\n-A INPUT -m conntrack --ctorigsrc «1::/ffff::%lo»\n-A INPUT -m iprange --src-range «::1.2.3.04»\n-A INPUT -m rt --rt-type 0 --rt-0-addrs «fe80::1%lo»\nCOMMIT\n',
      family: 'ipv6',
      errors: [{ messageId: 'value' }, { messageId: 'value' }, { messageId: 'value' }],
    },
    { code: '*nat\n-A PREROUTING -p tcp -j DNAT --to-destination «::1.2.3.04»\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'value' }] },
    // The options read through getaddrinfo (conntrack, policy, TEE, TPROXY, NETMAP) skip no leading
    // blank, unlike -s (which loads " ::1"), and take no name with an empty label or a label that starts with "-".
    {
      code: '*filter\n-A INPUT -s " ::1" -m conntrack --ctorigsrc «" ::1"»\n-A INPUT -m policy --dir in --pol ipsec --mode tunnel --tunnel-src «" ::1/64"»\nCOMMIT\n',
      family: 'ipv6',
      errors: [{ messageId: 'value', message: /invalid IPv6 address " ::1"/ }, { messageId: 'value' }],
    },
    { code: '*nat\n-A PREROUTING -j NETMAP --to «a..b/24»\n-A POSTROUTING -j NETMAP --to «gw.-x»\nCOMMIT\n', errors: [{ messageId: 'value' }, { messageId: 'value' }] },
    // The kernel refuses the unspecified address as TEE's gateway, in any spelling.
    {
      code: '*mangle\n-A PREROUTING -j TEE --gateway «0x0.0»\n-A PREROUTING -j TEE --gateway «::ffff:0:0»\nCOMMIT\n',
      errors: [{ messageId: 'value', message: /unspecified/ }, { messageId: 'value', message: /unspecified/ }],
    },
    // -p, -s and -d take their value from the whole word when it is written against them: "-ptcp"
    // is the protocol "-ptcp", "-s10.0.0.1" the host "-s10.0.0.1" (iptables' argv[optind - 1]).
    { code: '*filter\n-A INPUT «-ptcp» -j ACCEPT\n-A INPUT «-s10.0.0.1» -j ACCEPT\n-A INPUT «-vd10.0.0.1» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value', message: /"-ptcp"/ }, { messageId: 'value', message: /"-s10.0.0.1"/ }, { messageId: 'value', message: /"-vd10.0.0.1"/ }] },
    // -D by specification of a rule that loads other matches than every rule of that target, or the
    // same in another order: both backends compare match by match and find nothing to delete.
    {
      code: '*filter\n-A INPUT -p tcp -m comment --comment ssh --dport 22 -j ACCEPT\n-D «INPUT» -p tcp --dport 22 -m comment --comment ssh -j ACCEPT\nCOMMIT\n',
      errors: [{ messageId: 'noMatchingRule', message: /-p 6; matches tcp, comment, in this order/ }],
    },
    {
      code: '*filter\n-A INPUT -m conntrack --ctstate NEW -j ACCEPT\n-A INPUT -p tcp -j ACCEPT\n-D «INPUT» -m state --state NEW -j ACCEPT\n-D «INPUT» -p tcp -m tcp -j ACCEPT\nCOMMIT\n',
      errors: [{ messageId: 'noMatchingRule', message: /this one: no -p, -s, -d, -i, -o or -f; matches state, in this order/ }, { messageId: 'noMatchingRule', message: /-p 6; matches tcp, in this order/ }],
    },
    { code: '*filter\n-A INPUT -m limit --limit 1/s -j ACCEPT\n-D «INPUT» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'noMatchingRule', message: /this one: no -p, -s, -d, -i, -o or -f; no matches/ }] },
    // ... or another address, interface or fragment flag (as the backends read them: 1.2.3.4 is
    // 1.2.3.4/32, "+" alone is any interface, 0.0.0.0/0 any address).
    { code: '*filter\n-A INPUT -s 1.2.3.4 -i eth+ -j DROP\n-D «INPUT» -s 1.2.3.5 -i eth+ -j DROP\nCOMMIT\n', errors: [{ messageId: 'noMatchingRule', message: /this one: -i eth\+ -s 1\.2\.3\.5\/32; no matches/ }] },
    { code: '*filter\n-A INPUT -s 1.2.3.4 -i eth+ -j DROP\n-D «INPUT» -s 1.2.3.4 -i eth0 -j DROP\nCOMMIT\n', errors: [{ messageId: 'noMatchingRule', message: /this one: -i eth0 -s 1\.2\.3\.4\/32/ }] },
    { code: '*filter\n-A INPUT -f -j LOG\n-D «INPUT» -j LOG\nCOMMIT\n', errors: [{ messageId: 'noMatchingRule', message: /this one: no -p, -s, -d, -i, -o or -f/ }] },
    // ... or another protocol (a negated one is another).
    {
      code: '*filter\n-A INPUT ! -p tcp -j ACCEPT\n-A INPUT -p udp -j ACCEPT\n-D «INPUT» -p tcp -j ACCEPT\n-D «INPUT» -j ACCEPT\nCOMMIT\n',
      errors: [{ messageId: 'noMatchingRule', message: /\(this one: -p 6; no matches\)/ }, { messageId: 'noMatchingRule', message: /\(this one: no -p, -s, -d, -i, -o or -f; no matches\)/ }],
    },
    // -D by specification in a chain that has no rules at that line deletes nothing: refused.
    { code: '*filter\n-D «INPUT» -p tcp --dport 22 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'nothingToDelete', data: { chain: 'INPUT' } }] },
    // After a bare -F, nft still holds the flushed rules: only the legacy backend refuses.
    {
      code: '*filter\n-A INPUT -j ACCEPT\n-F\n-D «INPUT» -j ACCEPT\nCOMMIT\n',
      errors: [{ messageId: 'nothingToDeleteOne', severity: 'warning', data: { refuser: 'iptables-legacy-restore' } }],
      realTools: { verdict: 'refuse', why: 'iptables-legacy-restore refuses it and iptables-nft-restore accepts it: a warning, as the backends disagree' },
    },
    { code: '*filter\n-A INPUT -s «08»\n-A INPUT -d «1.2.3.09»\nCOMMIT\n', errors: [{ messageId: 'value' }, { messageId: 'value' }] },
    { code: '*filter\n-A INPUT -m conntrack --ctorigsrc «+1»\n-A INPUT -m conntrack --ctorigdst «1.2.3.4.5/0»\n-A INPUT -m conntrack --ctorigsrc «1.2.3.4/-1»\nCOMMIT\n', errors: [{ messageId: 'value' }, { messageId: 'value' }, { messageId: 'value', message: /invalid mask/ }] },
    { code: '*filter\n-A INPUT -m iprange --src-range «256»\n-A INPUT -m iprange --dst-range «08»\nCOMMIT\n', errors: [{ messageId: 'value' }, { messageId: 'value' }] },
    { code: '*filter\n-A INPUT -p icmp --icmp-type «8:0»\nCOMMIT\n', errors: [{ messageId: 'value', message: /ranges are not supported/ }] },
    { code: '*filter\n-A INPUT -m dst --dst-opts «0:0»\n-A INPUT -m hbh --hbh-opts «256:1»\n-A INPUT -m dst --dst-opts «1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16:1»\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'value', message: /Pad1/ }, { messageId: 'value', message: /Pad1/ }, { messageId: 'value', message: /16th option/ }] },
    { code: '*filter\n-A INPUT -p udp --dport «2147483648»\n-A INPUT -p udp --sport «-5»\nCOMMIT\n', errors: [{ messageId: 'value', message: /out of range/ }, { messageId: 'value' }] },
    { code: '*filter\n-A INPUT -p udp --dport «" "»\n-A INPUT -p udp --dport «"1 "»\nCOMMIT\n', errors: [{ messageId: 'value' }, { messageId: 'value' }] },
    // The kernel makes a file of these names: ".", ".." and a "/" are refused when the rule is loaded.
    { code: '*filter\n-A INPUT -m recent --set --name «a/b»\n-A INPUT -m hashlimit --hashlimit-upto 1/sec --hashlimit-name «..»\nCOMMIT\n', errors: [{ messageId: 'value', message: /\/proc/ }, { messageId: 'value', message: /\/proc/ }] },
    // ! before -s/-d: a list cannot be negated; nft refuses to negate "any".
    { code: '*filter\n-A INPUT ! -s «10.0.0.1,10.0.0.2» -j DROP\nCOMMIT\n', errors: [{ messageId: 'negatedList' }] },
    {
      code: '*filter\n-A INPUT ! -s «0/0» -j DROP\n-A INPUT ! -d «1.2.3.4/0.0.0.0» -j DROP\nCOMMIT\n', errors: [{ messageId: 'negatedAny', severity: 'warning' }, { messageId: 'negatedAny', severity: 'warning' }],
      realTools: { verdict: 'refuse', why: 'iptables-nft-restore refuses it (RULE_APPEND failed: Invalid argument) and iptables-legacy-restore accepts it: a warning, as the backends disagree' },
    },
    // -D by specification where no rule of the chain has the rule's -j/-g name (or has one, when the
    // rule has none): no rule can match. Rules with the same name are not compared.
    { code: '*filter\n-A INPUT -j ACCEPT\n-D «INPUT» -j DROP\nCOMMIT\n', errors: [{ messageId: 'noMatchingRule', message: /no rule of INPUT at this line has -j DROP/ }] },
    { code: '*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-D «INPUT» -p tcp --dport 22\nCOMMIT\n', errors: [{ messageId: 'noMatchingRule', message: /this one has none/ }] },
    { code: '*filter\n:A - [0:0]\n-A A -g A\n-D «A» -j A\nCOMMIT\n', errors: [{ messageId: 'noMatchingRule', message: /has -j A/ }] },
    // Legacy's chain is empty after the bare -F, nft's holds a rule with another target: both refuse.
    { code: '*filter\n-A INPUT -j ACCEPT\n-F\n-D «INPUT» -j DROP\nCOMMIT\n', errors: [{ messageId: 'noMatchingRule' }] },
    {
      code: '*filter\n-A INPUT -j ACCEPT\n-F\n-A INPUT -j DROP\n-D «INPUT» -j ACCEPT\nCOMMIT\n',
      errors: [{ messageId: 'noMatchingRuleOne', severity: 'warning', data: { refuser: 'iptables-legacy-restore' } }],
      realTools: { verdict: 'refuse', why: 'iptables-legacy-restore refuses it and iptables-nft-restore (which still holds the flushed ACCEPT rule) accepts it: a warning, as the backends disagree' },
    },
    // policy: each element option once per element (elements are separated by --next).
    { code: '*filter\n-A INPUT -m policy --dir in --pol ipsec --strict --reqid 1 --spi 0x1 «--reqid» 2 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'problem', message: /--reqid is given twice in policy element 1/ }] },
    { code: '*filter\n-A INPUT -m policy --dir in --pol ipsec --strict --reqid 1 «--next» --next --reqid 2 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'problem', message: /policy element 2 is empty/ }] },
    // policy: the decapsulation policy (in) only before routing, the encapsulation policy (out) only after it.
    { code: '*filter\n-A OUTPUT -m policy «--dir» in --pol ipsec -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'problem', message: /--dir in is not valid in OUTPUT/ }] },
    { code: '*mangle\n-A PREROUTING -m policy «--dir» out --pol none -j ACCEPT\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'problem', message: /--dir out is not valid in PREROUTING:/ }] },
    // Through a jump the nf_tables backend loads it (it runs the kernel's check only in built-in
    // chains) and the legacy backend refuses it at load time: a warning.
    { code: '*mangle\n:IPSEC - [0:0]\n-A PREROUTING -j IPSEC\n-A FORWARD -j IPSEC\n-A IPSEC -m policy «--dir» out --pol none -j ACCEPT\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'problem', severity: 'warning', message: /--dir out is not valid in PREROUTING: .*reached from PREROUTING through a jump/ }] },
    { code: '*filter\n:BR - [0:0]\n-A OUTPUT -j BR\n-A BR -m physdev «--physdev-out» vnet0 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'problem', severity: 'warning', message: /legacy backend refuses/ }] },
    { code: '*filter\n-A OUTPUT -m physdev «--physdev-is-out» ! --physdev-is-bridged -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'problem', message: /--physdev-is-bridged \(not negated\)/ }] },
    // The tunnel addresses need an element in tunnel mode, "! --mode tunnel" is not one; at most 4 elements.
    { code: '*filter\n-A INPUT -m policy --dir in --pol ipsec ! --mode tunnel «--tunnel-dst» 10.0.0.0/8 -j ACCEPT\n-A INPUT -m policy --dir in --pol ipsec --strict --reqid 1 «--next» --reqid 2 --next --reqid 3 --next --reqid 4 --next --reqid 5 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'problem', message: /need --mode tunnel/ }, { messageId: 'problem', message: /at most 4 policy elements/ }] },
    // Blanks after an address are not skipped.
    { code: '*filter\n-A INPUT -s «"10.0.0.1 "» -j ACCEPT\n-A INPUT -s «"1 .2.3.4"» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }, { messageId: 'value' }] },
    // iptables' own values read before a -4 are checked even where the tool then skips the line.
    { code: '*filter\n-A INPUT -i «eth0123456789abcdef» -4 -j ACCEPT\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'value' }] },
    // A blank or "/" in an interface name: iptables only warns ("weird character in interface").
    { code: '*filter\n-A INPUT -i «"eth 0"» -j ACCEPT\n-A FORWARD -m physdev --physdev-in «br/0» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value', severity: 'warning', message: /weird character in interface/ }, { messageId: 'value', severity: 'warning' }] },
    // Ports that load as other ports (iptables-save after a real load shows each reading): the
    // getaddrinfo ports of udp, dccp and conntrack are cut to 16 bits (strtoul's int is 4294967296
    // = 0 again), so a range topped with 65536 is 1024:0 and matches nothing, as does one written
    // backwards; a leading 0 makes a tcp, multiport or NAT port octal.
    {
      code: '*filter\n-A INPUT -p udp --dport «4294967296»\n-A INPUT -p udp --dport «70000» -j ACCEPT\n-A INPUT -p udp --dport «1024:65536» -j ACCEPT\n-A INPUT -m conntrack --ctorigdstport «2222:22» -j ACCEPT\nCOMMIT\n',
      errors: [
        { messageId: 'value', severity: 'warning', message: /port 4294967296 is above 65535, and the C library cuts it to 16 bits: iptables reads port 0/ },
        { messageId: 'value', severity: 'warning', message: /iptables reads port 4464/ },
        { messageId: 'value', severity: 'warning', message: /the range 1024:65536 reads as 1024:0 \(a port above 65535 is cut to 16 bits\), first above last, so it matches no port/ },
        { messageId: 'value', severity: 'warning', message: /the range 2222:22 has its first port above its last, so it matches no port \(negated, every port\)/ },
      ],
    },
    {
      code: '*filter\n-A INPUT -p tcp --dport «0025» -j ACCEPT\n-A INPUT -p udp -m multiport --dports «53,0123» -j ACCEPT\nCOMMIT\n*nat\n-A PREROUTING -p tcp -j DNAT --to-destination «10.0.0.1:0443»\n-A POSTROUTING -p tcp -j MASQUERADE --to-ports «01024-065535»\nCOMMIT\n',
      errors: [
        { messageId: 'value', severity: 'warning', message: /port "0025" starts with 0, so iptables reads it as octal: 21, not 25/ },
        { messageId: 'value', severity: 'warning', message: /"0123" .* octal: 83, not 123/ },
        { messageId: 'value', severity: 'warning', message: /"0443" .* octal: 291, not 443/ },
        { messageId: 'value', severity: 'warning', message: /"01024" .* octal: 532, not 1024/ },
      ],
    },
    // Day lists that load as fewer days (iptables-save after a real load shows Mon, Mon,Wed and an
    // empty list): only the first letters of each comma-separated day count, and 8 names no day.
    {
      code: '*filter\n-A INPUT -m time --weekdays «Mon-Fri» -j ACCEPT\n-A INPUT -m time --weekdays «Mon,Wed-Fri» -j ACCEPT\n-A INPUT -m time --weekdays «8» -j ACCEPT\n-A INPUT -m time --weekdays «7,100» -j ACCEPT\nCOMMIT\n',
      errors: [
        { messageId: 'value', severity: 'warning', message: /iptables reads this list as Mon: "Mon-Fri" is Mon alone, since only its first letters count \(day ranges are not supported: list the days, Mon,Tue,Wed,Thu,Fri\)/ },
        { messageId: 'value', severity: 'warning', message: /as Mon,Wed: "Wed-Fri" is Wed alone/ },
        { messageId: 'value', severity: 'warning', message: /as no day at all, so the rule never matches \(negated, it always does\): "8" names no day/ },
        { messageId: 'value', severity: 'warning', message: /iptables reads this list as Thu,Sun: "100" is Thu \(the day number wraps at 32\)/ },
      ],
    },
    // recent's --mask reads an address (inet_aton): 24 is the mask 0.0.0.24, 255.255.255 is
    // 255.255.0.255 (iptables-save after a real load); a blank before it is refused.
    {
      code: '*filter\n-A INPUT -m recent --rcheck --mask «24»\n-A INPUT -m recent --rcheck --mask «255.255.255»\n-A INPUT -m recent --rcheck --mask «" 255.255.255.0"»\nCOMMIT\n',
      errors: [
        { messageId: 'value', severity: 'warning', message: /the mask 24 reads as 0\.0\.0\.24, a non-contiguous mask, so addresses are grouped by scattered bits; for a \/24 write 255\.255\.255\.0/ },
        { messageId: 'value', severity: 'warning', message: /the mask 255\.255\.255 reads as 255\.255\.0\.255/ },
        { messageId: 'value', message: /invalid IPv4 address " 255\.255\.255\.0"/ },
      ],
    },
    // Addresses that load as others (iptables-save after a real load shows each): a leading 0 makes a
    // part or a prefix length octal; iprange fills a short end with zeros, not from its start, and a
    // range written backwards matches nothing (the kernel only logs it).
    {
      code: '*filter\n-A INPUT -s «192.168.010.020/24» -j ACCEPT\n-A INPUT -d «192.168.1.0/024» -j ACCEPT\n-A INPUT -m iprange --src-range «10.0.0.1-50» -j ACCEPT\n-A INPUT -m iprange --src-range «10.0.0.100-50» -j ACCEPT\n-A INPUT -m iprange --dst-range «10.0.0.9-10.0.0.1» -j ACCEPT\nCOMMIT\n',
      errors: [
        { messageId: 'value', severity: 'warning', message: /part "010" starts with 0, so iptables reads it as octal: 8, not 10 \(192\.168\.010\.020 is 192\.168\.8\.16\)/ },
        { messageId: 'value', severity: 'warning', message: /prefix length "024" .* octal: 20, not 24/ },
        { messageId: 'value', severity: 'warning', message: /the end 50 reads as 50\.0\.0\.0 \(its missing parts are zeros, not those of the start\); for the range up to 10\.0\.0\.50 write 10\.0\.0\.1-10\.0\.0\.50/ },
        { messageId: 'value', severity: 'warning', message: /the end 50 reads as 50\.0\.0\.0 \(its missing parts are zeros, not those of the start\)$/ },
        { messageId: 'value', severity: 'warning', message: /the range 10\.0\.0\.9-10\.0\.0\.1 starts above its end, so it matches no address/ },
      ],
    },
    {
      code: '*filter\n-A INPUT -s «2001:db8::/064» -j ACCEPT\n-A INPUT -m iprange --src-range «2001:db8::9-2001:db8::1» -j ACCEPT\nCOMMIT\n',
      family: 'ipv6',
      errors: [{ messageId: 'value', severity: 'warning', message: /octal: 52, not 64/ }, { messageId: 'value', severity: 'warning', message: /starts above its end/ }],
    },
    // More values that load as others (iptables-save after a real load shows each reading): a range
    // written backwards, a probability below the kernel's step, a day past the month's end, an octal
    // TTL, a label cut to 27 bytes, a burst with a fraction or a byte scale on a packet rate, an
    // interval with a unit.
    {
      code: '*filter\n-A INPUT -m length --length «1500:1000» -j DROP\n-A INPUT -m statistic --mode random --probability «0.0000000001» -j DROP\n-A INPUT -m time --datestart «2023-02-29T10:00» -j DROP\n-A INPUT -m ttl --ttl-eq «064» -j DROP\nCOMMIT\n',
      errors: [
        { messageId: 'value', severity: 'warning', message: /the length range 1500:1000 has its first number above its last \(1500 > 1000\), so it matches no value/ },
        { messageId: 'value', severity: 'warning', message: /probability 0\.0000000001 rounds to 0 in the kernel .* never matches/ },
        { messageId: 'value', severity: 'warning', message: /2023-02-29 is not a valid date \(that month has 28 days\): iptables rolls it over to 2023-03-01/ },
        { messageId: 'value', severity: 'warning', message: /TTL "064" starts with 0, so iptables reads it as octal: 52, not 64/ },
      ],
    },
    {
      code: '*mangle\n-A PREROUTING -j TTL --ttl-set «064»\n-A PREROUTING -j IDLETIMER --timeout 10 --label «abcdefghijklmnopqrstuvwxyz0123»\nCOMMIT\n',
      errors: [
        { messageId: 'value', severity: 'warning', message: /octal: 52, not 64/ },
        { messageId: 'value', severity: 'warning', message: /the label is 30 bytes long and iptables keeps only the first 27 \("abcdefghijklmnopqrstuvwxyz0"\)/ },
      ],
    },
    {
      code: '*filter\n-A INPUT -m hashlimit --hashlimit-upto 5/s «--hashlimit-burst» 2k --hashlimit-name a\n-A INPUT -m hashlimit --hashlimit-upto 5/s «--hashlimit-burst» 5.9 --hashlimit-name b\n-A INPUT -m hashlimit --hashlimit-upto 5/s --hashlimit-name c --hashlimit-rate-match --hashlimit-rate-interval «500ms»\nCOMMIT\n',
      errors: [
        { messageId: 'problem', severity: 'warning', message: /burst 2k is 2048 packets: with a packet rate the burst counts packets/ },
        { messageId: 'problem', severity: 'warning', message: /burst 5\.9 is 5: iptables reads the whole number at the start and skips "\.9"/ },
        { messageId: 'value', severity: 'warning', message: /the interval is a whole number of seconds, and iptables skips "ms": 500ms is 500 seconds/ },
      ],
    },
    // Values the extensions read as others (iptables-save after a real load shows each): ICMP type 255
    // is "any", a start of several reject types is the first of them, SYNPROXY cuts its numbers to 16
    // and 8 bits, connlimit takes a prefix above 32 as 32, a DSCP class name is compared by its start,
    // and CT keeps one zone.
    {
      code: '*filter\n-A INPUT -p icmp --icmp-type «255» -j ACCEPT\n-A INPUT -p tcp -j REJECT --reject-with «icmp-host»\n-A INPUT -p tcp -m tcp --syn -j SYNPROXY --mss «70000» --wscale «300»\n-A INPUT -m connlimit --connlimit-above 2 --connlimit-mask «33» -j DROP\nCOMMIT\n',
      errors: [
        { messageId: 'value', severity: 'warning', message: /ICMP type 255 is iptables' "any": it stands for every ICMP packet/ },
        { messageId: 'value', severity: 'warning', message: /"icmp-host" is the start of 2 reject types, and iptables takes the first: icmp-host-unreachable; write the type in full/ },
        { messageId: 'value', severity: 'warning', message: /MSS 70000 does not fit in 16 bits, and iptables keeps the low ones: 4464/ },
        { messageId: 'value', severity: 'warning', message: /window scale 300 does not fit in 8 bits, and iptables keeps the low ones: 44/ },
        { messageId: 'value', severity: 'warning', message: /prefix length 33 is above 32, and iptables takes it as 32/ },
      ],
    },
    {
      code: '*mangle\n-A PREROUTING -j DSCP --set-dscp-class «CS10»\nCOMMIT\n*raw\n-A PREROUTING -j CT --zone-orig 1 «--zone-reply» 2\n-A PREROUTING -j CT --zone 1 «--zone-orig» 1\nCOMMIT\n',
      errors: [
        { messageId: 'value', severity: 'warning', message: /"CS10" is read as CS1: iptables compares the start with the names and skips "0"/ },
        { messageId: 'problem', severity: 'warning', message: /CT keeps one zone and its directions: --zone-orig 1 --zone-reply 2 loads as --zone 2/ },
        { messageId: 'problem', severity: 'warning', message: /--zone 1 --zone-orig 1 loads as --zone-orig 1/ },
      ],
    },
    // Names with a blank load, and iptables-save writes them without quotes: the saved rules do not restore.
    {
      code: '*filter\n-A INPUT -m recent --set --name «"ssh list"»\n-A INPUT -m hashlimit --hashlimit-upto 1/s --hashlimit-name «"a b"»\nCOMMIT\n*mangle\n-A PREROUTING -j IDLETIMER --timeout 10 --label «"foo bar"»\nCOMMIT\n',
      errors: [
        { messageId: 'value', severity: 'warning', message: /the list name "ssh list" has a blank: it loads, but iptables-save writes it as it is, without quotes, and restoring the saved rules fails/ },
        { messageId: 'value', severity: 'warning', message: /the hash table name "a b" has a blank/ },
        { messageId: 'value', severity: 'warning', message: /the label "foo bar" has a blank/ },
      ],
    },
    { code: '*filter\n-A INPUT -m recent --set --name «"a\\"b"»\nCOMMIT\n', errors: [{ messageId: 'value', severity: 'warning', message: /the list name "a"b" has a double quote/ }] },
    // More numbers a leading 0 makes octal (iptables-save after a real load shows 8, 3/8, 816 and 8).
    {
      code: '*filter\n-A INPUT -p icmp --icmp-type «010» -j ACCEPT\n-A INPUT -p icmp --icmp-type «3/010» -j ACCEPT\n-A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss «01460»\nCOMMIT\n*raw\n-A PREROUTING -j CT --zone «010»\nCOMMIT\n',
      errors: [
        { messageId: 'value', severity: 'warning', message: /ICMP type "010" starts with 0, so iptables reads it as octal: 8, not 10/ },
        { messageId: 'value', severity: 'warning', message: /ICMP type code "010" .* 8, not 10/ },
        { messageId: 'value', severity: 'warning', message: /MSS "01460" .* 816, not 1460/ },
        { messageId: 'value', severity: 'warning', message: /zone "010" .* 8, not 10/ },
      ],
    },
    // Round 2 of the readings (iptables-save after a real load shows each): a leading 0 makes marks,
    // TOS values, owner ids, -p numbers, hashlimit bursts, realm numbers, u32 numbers and the parts
    // of the addresses the resolver reads (conntrack, TEE, TPROXY, NETMAP) octal.
    {
      code: '*filter\n-A INPUT -p «017»\n-A INPUT -m mark --mark «010»\n-A INPUT -m connmark --mark «0x10/0377»\n-A INPUT -m tos --tos «010»\n-A INPUT -m realm --realm «010»\n-A INPUT -m hashlimit --hashlimit-upto 5/s --hashlimit-burst «020» --hashlimit-name a\n-A INPUT -m u32 --u32 «"0>>22&0x3C@012=8"»\n-A INPUT -m conntrack --ctorigdst «192.168.001.010» --ctorigsrc «192.168.1.0/024»\n-A OUTPUT -m owner --uid-owner «01000» --gid-owner «0100-0200»\nCOMMIT\n',
      errors: [
        { messageId: 'value', severity: 'warning', message: /-p: protocol number "017" starts with 0, so iptables reads it as octal: 15, not 17/ },
        { messageId: 'value', severity: 'warning', message: /mark "010" .* octal: 8, not 10/ },
        { messageId: 'value', severity: 'warning', message: /mask "0377" .* octal: 255, not 377/ },
        { messageId: 'value', severity: 'warning', message: /TOS value "010" .* octal: 8, not 10/ },
        { messageId: 'value', severity: 'warning', message: /number "010" .* octal: 8, not 10/ },
        { messageId: 'value', severity: 'warning', message: /burst "020" .* octal: 16, not 20/ },
        { messageId: 'value', severity: 'warning', message: /number "012" .* octal: 10, not 12/ },
        { messageId: 'value', severity: 'warning', message: /part "010" .* octal: 8, not 10 \(192\.168\.001\.010 is 192\.168\.1\.8\)/ },
        { messageId: 'value', severity: 'warning', message: /prefix length "024" .* octal: 20, not 24/ },
        { messageId: 'value', severity: 'warning', message: /id "01000" .* octal: 512, not 1000/ },
        { messageId: 'value', severity: 'warning', message: /id "0100" .* octal: 64, not 100/ },
      ],
    },
    {
      code: '*mangle\n-A PREROUTING -j MARK --set-mark «010»\n-A PREROUTING -j CONNMARK --set-xmark «0x10/0377»\n-A PREROUTING -j TOS --set-tos «010/0xff»\n-A PREROUTING -j TEE --gateway «192.168.1.010»\n-A PREROUTING -p tcp -j TPROXY --on-port 80 --on-ip «010.0.0.1»\n-A PREROUTING -j HMARK --hmark-src-prefix «024» --hmark-rnd 1 --hmark-mod 2\nCOMMIT\n*nat\n-A PREROUTING -j NETMAP --to «010.0.0.0/24»\nCOMMIT\n',
      errors: [
        { messageId: 'value', severity: 'warning', message: /mark "010" .* octal: 8, not 10/ },
        { messageId: 'value', severity: 'warning', message: /mask "0377" .* octal: 255, not 377/ },
        { messageId: 'value', severity: 'warning', message: /TOS value "010" .* octal: 8, not 10/ },
        { messageId: 'value', severity: 'warning', message: /\(192\.168\.1\.010 is 192\.168\.1\.8\)/ },
        { messageId: 'value', severity: 'warning', message: /\(010\.0\.0\.1 is 8\.0\.0\.1\)/ },
        { messageId: 'value', severity: 'warning', message: /prefix length "024" .* octal: 20, not 24/ },
        { messageId: 'value', severity: 'warning', message: /\(010\.0\.0\.0 is 8\.0\.0\.0\)/ },
      ],
    },
    {
      code: '*filter\n-A INPUT -m dst --dst-opts «-1,18446744073709551615,1:-1»\n-A INPUT -m hbh --hbh-opts «300»\n-A INPUT -m hbh --hbh-opts «1:300»\n-A INPUT -m hbh --hbh-opts «010»\n-A INPUT -m connlimit --connlimit-above 1 --connlimit-mask «fe80::1%99»\nCOMMIT\n*mangle\n-A PREROUTING -j HMARK --hmark-src-prefix «fe80::1%lo» --hmark-rnd 1 --hmark-mod 42\nCOMMIT\n',
      family: 'ipv6',
      errors: [
        { messageId: 'value', severity: 'warning', message: /option type -1 is negative, and iptables keeps its low 8 bits: 255/ },
        { messageId: 'value', severity: 'warning', message: /option type 300 is above 255, and iptables keeps its low 8 bits: 44/ },
        { messageId: 'value', severity: 'warning', message: /option length 300 is above 255, and iptables keeps its low 8 bits: 44/ },
        { messageId: 'value', severity: 'warning', message: /option type "010" .* octal: 8, not 10/ },
        { messageId: 'value', severity: 'warning', message: /the netmask fe80::1%99 has holes, and iptables then uses \/128/ },
        { messageId: 'value', severity: 'warning', message: /the netmask fe80::1%lo has holes/ },
      ],
    },
    // Netmasks with holes where a prefix length is meant become /32; a byte burst past 32 bits wraps;
    // days of the month are cut to two characters, and day 0 names none; a day or month 0 rolls back
    // (before 1970 the tools refuse it); a start after the stop, nan, a backwards NAT or u32 range,
    // and a "+" inside an interface name.
    {
      code: '*filter\n-A INPUT -m connlimit --connlimit-above 2 --connlimit-mask «32.5»\n-A INPUT -m connlimit --connlimit-above 2 --connlimit-mask «256»\n-A INPUT -m hashlimit --hashlimit-upto 1kb/s --hashlimit-name a «--hashlimit-burst» 5000mb\n-A INPUT -m time --monthdays «0»\n-A INPUT -m time --monthdays «1,0»\n-A INPUT -m time --monthdays «010,311»\n-A INPUT -m time --datestart «2024-01-00»\n-A INPUT -m time --datestop «2024-00-10»\n-A INPUT -m time --datestart «2001-»\n-A INPUT -m time «--datestart» 2025-01-01 --datestop 2024-12-31\n-A INPUT -m time «--datestart» 2038-02-01\n-A INPUT -m statistic --mode random --probability «nan»\n-A INPUT -m u32 --u32 «"6&0xFF=1:5,7:6"»\n-A INPUT -i «vnet+0»\n-A FORWARD -m physdev --physdev-in «eth++»\nCOMMIT\n*mangle\n-A PREROUTING -j HMARK --hmark-src-prefix «288» --hmark-rnd 1 --hmark-mod 2\nCOMMIT\n*nat\n-A PREROUTING -p tcp -j DNAT --to-destination «10.0.0.5-10.0.0.1:80»\n-A POSTROUTING -j SNAT --to-source «1.2.3.4-1.2.3.1»\nCOMMIT\n',
      errors: [
        { messageId: 'value', severity: 'warning', message: /"32\.5" is not a prefix length, so iptables reads it as the netmask 32\.0\.0\.5, which has holes, and then uses \/32/ },
        { messageId: 'value', severity: 'warning', message: /the netmask 0\.0\.1\.0/ },
        { messageId: 'problem', severity: 'warning', message: /burst 5000mb is 5242880000 bytes, more than 32 bits hold: iptables keeps the low 32 bits, 947912704 bytes \(about 904mb\)/ },
        { messageId: 'value', severity: 'warning', message: /reads this list as no day at all, so the rule never matches .*"0" is day 0, which names no day/ },
        { messageId: 'value', severity: 'warning', message: /reads this list as 1: "0" is day 0/ },
        { messageId: 'value', severity: 'warning', message: /reads this list as 1,31: "010" is 1, since only its first two characters count; "311" is 31/ },
        { messageId: 'value', severity: 'warning', message: /2024-01-00 is not a valid date \(days start at 1\): iptables rolls it over to 2023-12-31/ },
        { messageId: 'value', severity: 'warning', message: /2024-00-10 is not a valid date \(months start at 1\): iptables rolls it over to 2023-12-10/ },
        { messageId: 'value', severity: 'warning', message: /2001- is not a valid date \(an empty month reads as 0, and months start at 1\): iptables rolls it over to 2000-12-01/ },
        { messageId: 'problem', severity: 'warning', message: /--datestart: 2025-01-01 is after --datestop 2024-12-31, so the rule never matches/ },
        { messageId: 'problem', severity: 'warning', message: /2038-02-01 is after 2038-01-19T03:14:07, the stop the match takes without --datestop/ },
        { messageId: 'value', severity: 'warning', message: /probability nan is not a number, and the kernel gets 0/ },
        { messageId: 'value', severity: 'warning', message: /the range 7:6 starts above its end, so it matches no value/ },
        { messageId: 'value', severity: 'warning', message: /"vnet\+0" has a "\+" before its last character: "\+" is a wildcard only at the end of the name, so this matches only an interface named "vnet\+0"/ },
        { messageId: 'value', severity: 'warning', message: /only names that start with "eth\+"/ },
        { messageId: 'value', severity: 'warning', message: /"288" is not a prefix length, so iptables reads it as the netmask 0\.0\.1\.32/ },
        { messageId: 'value', severity: 'warning', message: /the address range 10\.0\.0\.5-10\.0\.0\.1 starts above its end: it loads, and the kernel then picks addresses from nearly the whole address space, not between the two; the range in order is written 10\.0\.0\.1-10\.0\.0\.5:80/ },
        { messageId: 'value', severity: 'warning', message: /the range in order is written 1\.2\.3\.1-1\.2\.3\.4$/ },
      ],
    },
    // A day or month 0 that rolls back before 1970: mktime's result is refused.
    { code: '*filter\n-A INPUT -m time --datestart «1970-01-00»\nCOMMIT\n', errors: [{ messageId: 'value', message: /rolls over to 1969-12-31, before 1970, and iptables refuses that \("mktime returned an error"\)/ }] },
    // CLASSIFY keeps 16 bits of each hex half and skips what follows; a helper name in the wrong case
    // matches nothing (xt_helper compares it with case); a non-contiguous IPv6 mask for recent.
    {
      code: '*mangle\n-A POSTROUTING -j CLASSIFY --set-class «1:99999»\n-A POSTROUTING -j CLASSIFY --set-class «1:10x»\nCOMMIT\n*filter\n-A INPUT -m helper --helper «FTP» -j ACCEPT\nCOMMIT\n',
      errors: [
        { messageId: 'value', severity: 'warning', message: /each half of the class keeps 16 bits: 1:99999 loads as 1:9999/ },
        { messageId: 'value', severity: 'warning', message: /iptables reads the class 1:10 and skips "x"/ },
        { messageId: 'value', severity: 'warning', message: /"FTP" matches no connection, the helper is named ftp/ },
      ],
    },
    { code: '*filter\n-A INPUT -m recent --rcheck --mask «ffff::ff»\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'value', severity: 'warning', message: /the mask ffff::ff is a non-contiguous mask/ }] },
    // Rates that load as something else than they say (iptables-save after a real load shows 2/sec,
    // 10/sec, 3/min, 100/sec and 0b/s for 10 bytes a second): atoll reads the number and skips the
    // rest up to "/", and only a lower-case k or m right before b/s scales a byte rate.
    {
      code: '*filter\n-A INPUT -m limit «--limit» 2.5/sec -j ACCEPT\n-A INPUT -m limit «--limit» 10kbps -j ACCEPT\n-A INPUT -m limit «--limit» 1,5/h -j ACCEPT\nCOMMIT\n',
      errors: [
        { messageId: 'problem', severity: 'warning', message: /2\.5\/sec is 2 packets a second: .* skips "\.5"; rates are whole numbers \(150\/minute is the same rate\)/ },
        { messageId: 'problem', severity: 'warning', message: /10kbps is 10 packets a second: .* skips "kbps"; limit counts packets, hashlimit has byte rates/ },
        { messageId: 'problem', severity: 'warning', message: /1,5\/h is 1 packet an hour: .* skips ",5"; rates are whole numbers \(36\/day is the same rate\)/ },
      ],
    },
    {
      code: '*filter\n-A INPUT -m hashlimit «--hashlimit-upto» 1.5mb/s --hashlimit-name d -j DROP\n-A INPUT -m limit «--limit» 3e2/s -j ACCEPT\nCOMMIT\n',
      errors: [
        { messageId: 'problem', severity: 'warning', message: /1\.5mb\/s is 1048576 bytes a second: iptables reads the whole number at the start and skips "\.5"; rates are whole numbers$/ },
        { messageId: 'problem', severity: 'warning', message: /3e2\/s is 3 packets a second: .* skips "e2"; rates are whole numbers, without an exponent/ },
      ],
    },
    {
      code: '*filter\n-A INPUT -m hashlimit «--hashlimit-above» 3kb/min --hashlimit-name a -j DROP\n-A INPUT -m hashlimit «--hashlimit-upto» 100KB/s --hashlimit-name b -j ACCEPT\n-A INPUT -m hashlimit «--hashlimit-upto» 10Mb/s --hashlimit-name c -j ACCEPT\nCOMMIT\n',
      errors: [
        { messageId: 'problem', severity: 'warning', message: /3kb\/min is 3 packets a minute: .* skips "kb"; a byte rate is written N\[k\|m\]b\/s, in lower case and per second only/ },
        { messageId: 'problem', severity: 'warning', message: /100KB\/s is 100 packets a second/ },
        { messageId: 'problem', severity: 'warning', message: /10Mb\/s is 10 bytes a second: iptables skips "M" after the number, and only a lower-case k or m right before b\/s scales it \(10kb\/s, 10mb\/s\)/ },
      ],
    },
    // Comments and names longer than the kernel keeps load and are cut without a word (iptables-save
    // after a real load shows 255, 199 and 254 bytes); é is two bytes.
    {
      code: `*filter\n-A INPUT -m comment --comment «"${'é'.repeat(128)}"» -j ACCEPT\n-A INPUT -m recent --set --name «${'r'.repeat(200)}»\n-A INPUT -m hashlimit --hashlimit-upto 1/s --hashlimit-name «${'h'.repeat(255)}»\nCOMMIT\n`,
      errors: [
        { messageId: 'value', severity: 'warning', message: /comment is 256 bytes long and iptables keeps only the first 255, silently/ },
        { messageId: 'value', severity: 'warning', message: /list name is 200 bytes long and iptables keeps only the first 199, silently: lists whose names agree/ },
        { messageId: 'value', severity: 'warning', message: /hash table name is 255 bytes long and iptables keeps only the first 254/ },
      ],
    },
    // Prefixes the kernel structures cannot hold are cut without a word: LOG to 29 bytes, NFLOG to 63
    // on the legacy backend (127 on nf_tables); é is two bytes.
    {
      code: `*filter\n-A INPUT -j LOG --log-prefix «"${'é'.repeat(15)}"»\n-A INPUT -j NFLOG --nflog-prefix «${'x'.repeat(64)}»\nCOMMIT\n`,
      errors: [
        { messageId: 'value', severity: 'warning', message: /30 bytes long and iptables keeps only the first 29/ },
        { messageId: 'value', severity: 'warning', message: /64 bytes long and the legacy backend keeps only the first 63/ },
      ],
    },
    // Names that load without a word but that no interface has: the old negation, an alias label,
    // a list, a glob. The rule never matches (a DROP that drops nothing).
    {
      code: '*filter\n-A FORWARD -i «!virbr0» -o «eth0:1» -j DROP\n-A FORWARD -i «vnet*» -m physdev --physdev-out «vnet0,vnet1» -j DROP\nCOMMIT\n',
      errors: [
        { messageId: 'value', severity: 'warning', message: /not as a negation.*! -i virbr0/ },
        { messageId: 'value', severity: 'warning', message: /alias label/ },
        { messageId: 'value', severity: 'warning', message: /trailing "\+" \(vnet\+\)/ },
        { messageId: 'value', severity: 'warning', message: /not a list/ },
      ],
    },
    // libip6t_rt checks the type as it reads the type 0 options: --rt-type 0 must come first.
    { code: '*filter\n-A INPUT -m rt «--rt-0-addrs» ::1 --rt-type 0 -j ACCEPT\n-A INPUT -m rt «--rt-0-res» --rt-type 0 -j ACCEPT\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'problem', message: /before it/ }, { messageId: 'problem' }] },
    // policy's tunnel addresses need --mode tunnel in their own element (before or after them).
    { code: '*filter\n-A INPUT -m policy --dir in --pol ipsec --strict --mode tunnel --next «--tunnel-src» 10.0.0.0/8 -j ACCEPT\n-A INPUT -m policy --dir in --pol ipsec --strict «--tunnel-dst» 10.0.0.0/8 --next --mode tunnel -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'problem', message: /same policy element \(element 2 has none\)/ }, { messageId: 'problem', message: /element 1 has none/ }] },
    // rt's type 0 options need --rt-type 0 itself, not negated.
    { code: '*filter\n-A INPUT -m rt ! --rt-type 0 «--rt-0-res» -j ACCEPT\n-A INPUT -m rt --rt-type 2 «--rt-0-addrs» ::1 -j ACCEPT\n-A INPUT -m rt «--rt-0-res» -j ACCEPT\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'problem', message: /--rt-type 0/ }, { messageId: 'problem' }, { messageId: 'problem' }] },
    { code: '*filter\n-A INPUT ! -p «all» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'neverMatches' }] },
    { code: '*filter\n-A OUTPUT -m physdev «--physdev-out» vnet0 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'problem' }] },
    { code: '*filter\n-A INPUT -s «192.168.122.0/33» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value', data: { option: '-s' } }] },
    { code: '*filter\n-A INPUT -s «192.168.300.0/24» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -p tcp --dport «65536» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -p tcp --dport «22-80» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    // A list where one port goes: said so, with -m multiport named.
    { code: '*filter\n-A INPUT -p tcp --dport «22,80» -j ACCEPT\n-A INPUT -p udp ! --source-port «53,5353:5360» -j ACCEPT\n-A INPUT -m sctp --dport «1,2» -p sctp -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'portList', data: { multi: '--dports' } }, { messageId: 'portList', data: { option: '--source-port', multi: '--sports' } }, { messageId: 'portList' }] },
    // A range of addresses where one goes: a host name to iptables, which never resolves.
    { code: '*filter\n-A INPUT -s «192.168.1.10-192.168.1.20» -j ACCEPT\n-A INPUT ! --destination «10.0.0.1-10.0.0.9» -j DROP\n-A INPUT -s «10.0.0.9-10.0.0.1,10.0.1.1» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'addressRange', data: { range: '--src-range' } }, { messageId: 'addressRange', data: { option: '--destination', range: '--dst-range' } }, { messageId: 'addressRange', data: { value: '10.0.0.9-10.0.0.1' } }] },
    { code: '*filter\n-A INPUT -s «2001:db8::1-2001:db8::5» -j ACCEPT\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'addressRange' }] },
    // A list multiport would refuse too (16 ports, an item out of range) is only a bad value.
    { code: '*filter\n-A INPUT -p tcp --dport «1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16» -j ACCEPT\n-A INPUT -p tcp --dport «22,70000» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }, { messageId: 'value' }] },
    { code: '*filter\n-A INPUT -p «tpc» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'protocol', message: /did you mean "tcp"/ }] },
    { code: '*filter\n-A INPUT -p «256» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -p «tcp,udp» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value', message: /one protocol, not a list; write one rule for each \(-p tcp, -p udp\)/ }] },
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
    // Service names in NAT port ranges: libxt_NAT looks up only a whole word as a service.
    { code: '*nat\n-A PREROUTING -p tcp -j REDIRECT --to-ports «ftp-ssh»\nCOMMIT\n', errors: [{ messageId: 'value', message: /only in numbers.*e\.g\. 21-22/ }] },
    { code: '*nat\n-A POSTROUTING -p tcp -j MASQUERADE --to-ports «ftp/21»\n-A POSTROUTING -p udp -j MASQUERADE --to-ports «domain-ntp»\nCOMMIT\n', errors: [{ messageId: 'value' }, { messageId: 'value', message: /53-123/ }] },
    { code: '*nat\n-A PREROUTING -p tcp -j DNAT --to-destination «1.2.3.4:ftp-22»\n-A PREROUTING -p tcp -j DNAT --to-destination «1.2.3.4:http-8080»\nCOMMIT\n', errors: [{ messageId: 'value' }, { messageId: 'value' }] },
    { code: '*nat\n-A POSTROUTING -p tcp -j SNAT --to-source «1.2.3.4:ssh-ftp»\nCOMMIT\n', errors: [{ messageId: 'value', data: { option: '--to-source' } }] },
    { code: '*nat\n-A PREROUTING -p tcp -j DNAT --to-destination «[::1]:ftp-ssh»\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'value' }] },
    // Rule numbers past the end of the chain at that line.
    { code: '*filter\n-I INPUT «2» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'pastEnd', message: /INPUT has no rules at this line.*-I takes only 1/ }] },
    { code: '*filter\n-A INPUT -j ACCEPT\n-I INPUT «3» -j DROP\nCOMMIT\n', errors: [{ messageId: 'pastEnd', message: /has 1 rule at this line.*-I takes 1 to 2/ }] },
    { code: '*filter\n-R INPUT «1» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'pastEnd', message: /no rule to replace/ }] },
    { code: '*filter\n-A INPUT -j ACCEPT\n-R INPUT «2» -j DROP\nCOMMIT\n', errors: [{ messageId: 'pastEnd', message: /-R takes only 1/ }] },
    { code: '*filter\n-A INPUT -j ACCEPT\n-A INPUT -j DROP\n-D INPUT «3»\nCOMMIT\n', errors: [{ messageId: 'pastEnd', message: /-D takes 1 to 2/ }] },
    { code: '*filter\n-A INPUT -j ACCEPT\n-D INPUT 1\n-D INPUT «1»\nCOMMIT\n', errors: [{ messageId: 'pastEnd', message: /no rule to delete/ }] },
    // A delete by specification removes one rule; -F CHAIN empties the chain.
    { code: '*filter\n-A INPUT -j ACCEPT\n-A INPUT -j DROP\n-D INPUT -j ACCEPT\n-D INPUT «2»\nCOMMIT\n', errors: [{ messageId: 'pastEnd' }] },
    { code: '*filter\n-A INPUT -j ACCEPT\n-F INPUT\n-D INPUT «1»\nCOMMIT\n', errors: [{ messageId: 'pastEnd' }] },
    // A chain deleted and made again is empty; a renamed chain keeps its rules.
    { code: '*filter\n:FOO - [0:0]\n-A FOO -j ACCEPT\n-F FOO\n-X FOO\n-N FOO\n-I FOO «2» -j DROP\nCOMMIT\n', errors: [{ messageId: 'pastEnd' }] },
    { code: '*filter\n:FOO - [0:0]\n-A FOO -j ACCEPT\n-E FOO BAR\n-I BAR «3» -j DROP\nCOMMIT\n', errors: [{ messageId: 'pastEnd', data: { chain: 'BAR' } }] },
    // Each *table block starts from an empty table.
    { code: '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*filter\n-I INPUT «2» -j DROP\nCOMMIT\n', errors: [{ messageId: 'pastEnd' }] },
    // Rule numbers iptables cannot read: from 1 to 2147483647, C syntax (08 is a bad octal number).
    { code: '*filter\n-I INPUT «0» -j ACCEPT\n-D INPUT «2147483648»\n-R INPUT «foo» -j ACCEPT\n-I INPUT «08» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'ruleNumber' }, { messageId: 'ruleNumber' }, { messageId: 'ruleNumber' }, { messageId: 'ruleNumber' }] },
    { code: '*filter\n-A INPUT -j ACCEPT\n-A INPUT -j ACCEPT\n-I INPUT «04» -j DROP\nCOMMIT\n', errors: [{ messageId: 'pastEnd' }] },
    // Any word after the chain that does not start with "-" or "!" is read as the rule number.
    { code: '*filter\n-A INPUT -j ACCEPT\n-I INPUT «foo» -j ACCEPT\n-D INPUT «1x»\nCOMMIT\n', errors: [{ messageId: 'ruleNumber' }, { messageId: 'ruleNumber' }] },
    // -c P,B: both counters in one word.
    { code: '*filter\n-A INPUT -c 2,«x» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value', message: /byte counter/ }] },
    // -F without a chain name: iptables-nft-restore 1.8.9 keeps counting the flushed rules.
    {
      code: '*filter\n-A INPUT -j ACCEPT\n-F\n-I INPUT «2» -j DROP\nCOMMIT\n',
      errors: [{ messageId: 'backendsDiffer', severity: 'warning', data: { refuser: 'iptables-legacy-restore' } }],
      realTools: { verdict: 'refuse', why: 'iptables-legacy-restore refuses it and iptables-nft-restore accepts it: a warning, as the backends disagree' },
    },
    { code: '*filter\n-A INPUT -j ACCEPT\n-F\n-I INPUT «3» -j DROP\nCOMMIT\n', errors: [{ messageId: 'pastEnd' }] },
    {
      code: '*filter\n-A INPUT -j ACCEPT\n«-R» INPUT 1 -j DROP\nCOMMIT\n',
      errors: [{ messageId: 'replaceCrash', severity: 'warning' }],
      realTools: { verdict: 'refuse', why: 'iptables-nft-restore 1.8.9 crashes on it while iptables-legacy-restore accepts it: a warning, as the backends disagree' },
    },
    // An insert put before a rule that a later line deletes (by number or as written): nft fails at commit.
    {
      code: '*filter\n-A FORWARD -j ACCEPT\n-A FORWARD -m comment --comment b -j ACCEPT\n-I FORWARD «2» -j DROP\n-D FORWARD -m comment --comment b -j ACCEPT\n-N X\n-A X -j ACCEPT\n-A X -j DROP\n-I X «2» -j RETURN\n-D X 3\nCOMMIT\n',
      errors: [{ messageId: 'lostAnchor', severity: 'warning', message: /line 3, which line 5 deletes/ }, { messageId: 'lostAnchor', severity: 'warning', message: /line 8, which line 10 deletes/ }],
      realTools: { verdict: 'refuse', why: 'iptables-nft-restore 1.8.9 fails at commit (RULE_INSERT failed) while iptables-legacy-restore accepts it: a warning, as the backends disagree' },
    },
    // Reversed ranges: MH types, connbytes; the kernel's limit on --hitcount.
    { code: '*filter\n-A INPUT -p mh -m mh --mh-type «4:3» -j ACCEPT\n-A INPUT -p mh -m mh --mh-type «bu:brr» -j ACCEPT\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'value', message: /inverted \(4 > 3\)/ }, { messageId: 'value', message: /inverted \(5 > 0\)/ }] },
    { code: '*filter\n-A INPUT -m connbytes --connbytes «1000:0» --connbytes-dir both --connbytes-mode bytes -j ACCEPT\n-A INPUT -m connbytes ! --connbytes «0x10:0x5» --connbytes-dir reply --connbytes-mode packets -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value', message: /inverted \(1000 > 0\)/ }, { messageId: 'value', message: /inverted \(16 > 5\)/ }] },
    { code: '*filter\n-A INPUT -m recent --rcheck --hitcount «65536» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value', message: /above 65535/ }] },
    { code: '*filter\n-A INPUT -p icmp --icmp-type «8/0:» -j ACCEPT\n-A INPUT -p icmp --icmp-type «3/1:256» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }, { messageId: 'value' }] },
    // The refusing side of the mutation fixes: an empty item where the parser wants one, a word
    // longer than the name, a number a C parser cannot read.
    { code: '*filter\n-A INPUT -c «x» 3 -j ACCEPT\n-A INPUT -c 2,«» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value', message: /packet counter/ }, { messageId: 'value', message: /byte counter/ }] },
    { code: '*filter\n-A INPUT -m conntrack --ctstate «NEW,» -j ACCEPT\n-A INPUT -m state --state «NEWX» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value', message: /empty conntrack state/ }, { messageId: 'value', message: /did you mean "NEW"/ }] },
    { code: '*filter\n-A INPUT -m addrtype --src-type «B» -j ACCEPT\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'value', message: /IPv6 has no address type "B" \(BROADCAST\)/ }] },
    { code: '*filter\n-A INPUT -m time --weekdays «Mon,,Tue» --monthdays «1.5» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }, { messageId: 'value' }] },
    { code: '*filter\n-A INPUT -m hashlimit --hashlimit-upto 4kb/s «--hashlimit-burst» 4000 --hashlimit-name a -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'problem', message: /below the 4096 bytes/ }] },
    // A byte rate below 16 bytes a second with a burst: both tools die of a division by zero.
    {
      code: '*filter\n-A INPUT -m hashlimit --hashlimit-upto 15b/s «--hashlimit-burst» 100 --hashlimit-name a -j ACCEPT\nCOMMIT\n',
      errors: [{ messageId: 'problem', message: /iptables crashes \(a division by zero\) on a burst with a byte rate below 16 bytes a second \(15b\/s is 15\)/ }],
    },
    { code: '*filter\n-A INPUT -m hashlimit --hashlimit-upto 5/sec «--hashlimit-burst» 5m --hashlimit-name a -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'problem', message: /above 1000000/ }] },
    { code: '*filter\n-A INPUT -m hashlimit --hashlimit-upto 5/sec --hashlimit-burst «08» --hashlimit-name a -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -m connlimit --connlimit-above 2 --connlimit-mask «32x» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -m rateest --rateest RE1 --rateest-eq --rateest-pps «8.0» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -s «10.0.0.0/08» -j ACCEPT\n-A INPUT -s «1.2.3.4/0x21» -j ACCEPT\n-A INPUT -s «1.2.3.4/255.255.255» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }, { messageId: 'value' }, { messageId: 'value' }] },
    { code: '*filter\n-A INPUT -m hashlimit --hashlimit-upto 1/day «--hashlimit-burst» 100 --hashlimit-name a -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'problem', message: /Numerical result out of range/ }] },
    { code: '*filter\n-A INPUT -m time --timestart «1» --datestart «2001-1-1x» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }, { messageId: 'value' }] },
  ],
});

/**
 * Rule numbers depend on earlier lines, through the document's structure only (commands, chains,
 * rule numbers, chain lines), so `bad-value` can stay a per-rule check of incremental linting: an
 * edit that keeps the structure re-checks the edited lines alone and must still count the whole
 * chain. Each edit below is linted from the previous version and compared with a full lint.
 */
describe('bad-value rule numbers under incremental linting', () => {
  const base = '*filter\n:FOO - [0:0]\n-A INPUT -j ACCEPT\n-A FOO -j ACCEPT\n-I INPUT 3 -j DROP\n-I INPUT 2 -j LOG\n-D FOO 2\nCOMMIT\n';
  const edits: ReadonlyArray<readonly [string, string]> = [
    ['-A INPUT -j ACCEPT', '-A INPUT -p tcp -j ACCEPT'], // options of an earlier rule: structure kept
    ['-I INPUT 3 -j DROP', '-I INPUT 3 -p udp -j DROP'], // options of the refused line itself
    ['-I INPUT 2 -j LOG', '-I INPUT 2 -s 10.0.0.1 -j LOG'],
    ['-I INPUT 3 -j DROP', '-I INPUT 2 -j DROP'], // the number itself: a structure change
    ['-A INPUT -j ACCEPT', '-I INPUT -j ACCEPT'],
    ['-D FOO 2', '-D FOO 1'],
  ];
  const shown = (findings: readonly Finding[]): string[] => findings.map((f) => `${f.span.start}-${f.span.end} ${f.severity} ${f.message}`);
  for (const [from, to] of edits) {
    it(`"${from}" -> "${to}"`, () => {
      const options = { family: 'ipv4' as const, rules: [badValue] };
      const first = lintIncremental(base, options);
      const edited = base.replace(from, to);
      const next = lintIncremental(edited, options, first);
      assert.deepEqual(shown(next.result.findings), shown(lintIptables(edited, options).findings));
    });
  }
});

/**
 * Near misses of a name from a fixed list get "did you mean" and a quick fix that replaces the
 * refused item where it stands (alone, in a comma list, before "/code"). The real tools refuse each
 * text and accept it once the fix is applied.
 */
describe('bad-value suggestions and their quick fixes', () => {
  const cases: ReadonlyArray<{ readonly code: string; readonly fixed: string; readonly family?: 'ipv4' | 'ipv6' }> = [
    { code: '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHD -j ACCEPT', fixed: '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT' },
    { code: '-A INPUT -m state --state NEW,ESTABLISHED,RELATD -j ACCEPT', fixed: '-A INPUT -m state --state NEW,ESTABLISHED,RELATED -j ACCEPT' },
    { code: '-A INPUT -p icmp --icmp-type echo-reqest -j ACCEPT', fixed: '-A INPUT -p icmp --icmp-type echo-request -j ACCEPT' },
    { code: '-A INPUT -p ipv6-icmp --icmpv6-type neighbour-solicitaton -j ACCEPT', fixed: '-A INPUT -p ipv6-icmp --icmpv6-type neighbour-solicitation -j ACCEPT', family: 'ipv6' },
    { code: '-A INPUT -j LOG --log-level warn', fixed: '-A INPUT -j LOG --log-level warning' },
    { code: '-A INPUT -p tcp -j REJECT --reject-with tcp-resett', fixed: '-A INPUT -p tcp -j REJECT --reject-with tcp-reset' },
    { code: '-A INPUT -m pkttype --pkt-type brodcast -j DROP', fixed: '-A INPUT -m pkttype --pkt-type broadcast -j DROP' },
    { code: '-A INPUT -m addrtype --dst-type LOCL -j ACCEPT', fixed: '-A INPUT -m addrtype --dst-type LOCAL -j ACCEPT' },
    // A reject type of the other family (a rule copied between rules.v4 and rules.v6): its counterpart.
    { code: '-A INPUT -j REJECT --reject-with icmp-port-unreachable', fixed: '-A INPUT -j REJECT --reject-with icmp6-port-unreachable', family: 'ipv6' },
    { code: '-A INPUT -j REJECT --reject-with icmp6-adm-prohibited', fixed: '-A INPUT -j REJECT --reject-with icmp-admin-prohibited' },
    // A port range written with a dash, as most other firewalls write it.
    { code: '-A INPUT -p tcp --dport 5900-5910 -j ACCEPT', fixed: '-A INPUT -p tcp --dport 5900:5910 -j ACCEPT' },
    { code: '-A INPUT -p udp --sport 6000-6010 -j ACCEPT', fixed: '-A INPUT -p udp --sport 6000:6010 -j ACCEPT' },
    { code: '-A INPUT -p tcp -m multiport --dports 22,5900-5910 -j ACCEPT', fixed: '-A INPUT -p tcp -m multiport --dports 22,5900:5910 -j ACCEPT' },
  ];
  const ruleset = (line: string): string => `*filter\n${line}\nCOMMIT\n`;
  for (const c of cases) {
    it(c.code, (t) => {
      const family = c.family ?? 'ipv4';
      const text = ruleset(c.code);
      const findings = lintIptables(text, { family, rules: [badValue] }).findings;
      assert.equal(findings.length, 1, findings.map((f) => f.message).join('\n'));
      const f = findings[0] as Finding;
      assert.match(f.message, /did you mean "/);
      // The fix gives the expected text, which lints clean and the real tools load.
      assertFixLoads(text, f, ruleset(c.fixed), [badValue], family, c.code);
      if (!realToolsAvailable()) {
        t.skip('real tools unavailable');
        return;
      }
      assert.equal(realToolAccepts(text, family).accepted, false, 'the real tools refuse the original');
    });
  }
  it('--dport 22,80 gets a fix to -m multiport --dports 22,80, which the tools load', () => {
    for (const [line, fixed] of [
      ['-A INPUT -p tcp --dport 22,80 -j ACCEPT', '-A INPUT -p tcp -m multiport --dports 22,80 -j ACCEPT'],
      ['-A INPUT -p tcp -m tcp ! --dport 22,80:90 -j ACCEPT', '-A INPUT -p tcp -m tcp -m multiport ! --dports 22,80:90 -j ACCEPT'],
      ['-A INPUT -p udp --sport 53 --destination-port=1,2 -j ACCEPT', '-A INPUT -p udp --sport 53 -m multiport --dports=1,2 -j ACCEPT'],
    ] as const) {
      const text = ruleset(line);
      const f = lintIptables(text, { rules: [badValue] }).findings[0];
      assert.equal(f?.severity, 'error');
      assertFixLoads(text, f, ruleset(fixed), [badValue], 'ipv4', line);
    }
    for (const line of [
      // multiport reads the protocol when it meets its option: with -p after the list there is no fix.
      '-A INPUT -m sctp --dport 1,2 -p sctp -j ACCEPT',
      // A --dport after the list would go to the multiport the fix loads (getopt reads it as --dports).
      '-A INPUT -p udp --sport 53,5353 --dport 1 -j ACCEPT',
    ]) {
      const f = lintIptables(ruleset(line), { rules: [badValue] }).findings[0];
      assert.equal(f?.message.includes('-m multiport'), true, line);
      assert.deepEqual(f?.fixes ?? [], [], line);
    }
    // What that fix would give is refused indeed: the tools read the later --dport as multiport's --dports.
    if (realToolsAvailable()) assert.equal(realToolAccepts(ruleset('-A INPUT -p udp -m multiport --sports 53,5353 --dport 1 -j ACCEPT')).accepted, false);
  });
  it('-s 10.0.0.5-10.0.0.9 gets a fix to -m iprange --src-range, which the tools load', () => {
    for (const [line, fixed, family] of [
      ['-A INPUT -s 192.168.1.10-192.168.1.20 -j ACCEPT', '-A INPUT -m iprange --src-range 192.168.1.10-192.168.1.20 -j ACCEPT', 'ipv4'],
      ['-A INPUT -p tcp ! -d 10.0.0.1-10.0.0.9 --dport 22 -j DROP', '-A INPUT -p tcp -m iprange ! --dst-range 10.0.0.1-10.0.0.9 --dport 22 -j DROP', 'ipv4'],
      ['-A INPUT --src 2001:db8::1-2001:db8::5 -j ACCEPT', '-A INPUT -m iprange --src-range 2001:db8::1-2001:db8::5 -j ACCEPT', 'ipv6'],
    ] as const) {
      const text = ruleset(line);
      const f = lintIptables(text, { rules: [badValue], family }).findings[0];
      assert.equal(f?.severity, 'error');
      assertFixLoads(text, f, ruleset(fixed), [badValue], family, line);
    }
    // No fix for a range in a list (iprange takes one range), nor for one iprange refuses (backwards).
    for (const line of ['-A INPUT -s 10.0.0.1-10.0.0.9,10.0.1.1 -j ACCEPT', '-A INPUT -s 10.0.0.9-10.0.0.1 -j ACCEPT']) {
      const f = lintIptables(ruleset(line), { rules: [badValue] }).findings[0];
      assert.equal(f?.message.includes('-m iprange'), true, line);
      assert.deepEqual(f?.fixes ?? [], [], line);
    }
  });
  it('-i !virbr0 (an interface named "!virbr0") gets a fix to ! -i virbr0, which the tools load', () => {
    for (const [line, fixed] of [
      ['-A FORWARD -i !virbr0 -j DROP', '-A FORWARD ! -i virbr0 -j DROP'],
      ['-A FORWARD --out-interface !vnet+ -j DROP', '-A FORWARD ! --out-interface vnet+ -j DROP'],
      ['-A FORWARD -m physdev --physdev-in !vnet0 -j DROP', '-A FORWARD -m physdev ! --physdev-in vnet0 -j DROP'],
    ] as const) {
      const text = ruleset(line);
      const f = lintIptables(text, { rules: [badValue] }).findings[0];
      assert.equal(f?.severity, 'warning');
      assertFixLoads(text, f, ruleset(fixed), [badValue], 'ipv4', line);
    }
    // Negated already: moving the "!" would undo the negation, so there is no fix.
    const negated = lintIptables(ruleset('-A FORWARD ! -i !virbr0 -j DROP'), { rules: [badValue] }).findings[0];
    assert.equal(negated?.severity, 'warning');
    assert.equal(negated?.fixes, undefined);
  });
  it('a reject type written as a start that several share gets one fix per type, each loading', () => {
    const text = '*filter\n-A INPUT -j REJECT --reject-with icmp-host\nCOMMIT\n';
    const f = lintIptables(text, { rules: [badValue] }).findings[0];
    assert.deepEqual(f?.fixes?.map((x) => [x.title, x.preferred]), [['Change to icmp-host-unreachable', undefined], ['Change to icmp-host-prohibited', undefined]]);
    assertFixLoads(text, f, '*filter\n-A INPUT -j REJECT --reject-with icmp-host-unreachable\nCOMMIT\n', [badValue]);
    assertFixLoads(text, { ...f, fixes: f?.fixes?.slice(1) } as Finding, '*filter\n-A INPUT -j REJECT --reject-with icmp-host-prohibited\nCOMMIT\n', [badValue]);
  });
  it('values that load as something else get a fix to what they say, which the tools read so', () => {
    for (const [table, line, fixed] of [
      ['filter', '-A INPUT -p tcp --dport 0025 -j ACCEPT', '-A INPUT -p tcp --dport 25 -j ACCEPT'],
      ['filter', '-A INPUT -s 192.168.010.020/024 -j ACCEPT', '-A INPUT -s 192.168.10.20/24 -j ACCEPT'],
      ['filter', '-A INPUT -p tcp -m multiport --dports 22,0070:0443 -j ACCEPT', '-A INPUT -p tcp -m multiport --dports 22,70:443 -j ACCEPT'],
      ['nat', '-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:0443', '-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:443'],
      ['filter', '-A INPUT -m time --weekdays Mon-Fri,Sun -j ACCEPT', '-A INPUT -m time --weekdays Mon,Tue,Wed,Thu,Fri,Sun -j ACCEPT'],
      ['filter', '-A INPUT -m iprange --src-range 10.0.0.1-50 -j ACCEPT', '-A INPUT -m iprange --src-range 10.0.0.1-10.0.0.50 -j ACCEPT'],
      ['filter', '-A INPUT -m recent --rcheck --mask 24 -j DROP', '-A INPUT -m recent --rcheck --mask 255.255.255.0 -j DROP'],
      ['filter', '-A INPUT -m limit --limit 2.5/sec -j LOG', '-A INPUT -m limit --limit 150/minute -j LOG'],
      ['filter', '-A INPUT -p 017 -j ACCEPT', '-A INPUT -p 17 -j ACCEPT'],
      ['filter', '-A INPUT -m mark --mark 017/0377 -j ACCEPT', '-A INPUT -m mark --mark 17/377 -j ACCEPT'],
      ['filter', '-A OUTPUT -m owner --uid-owner 01000 -j ACCEPT', '-A OUTPUT -m owner --uid-owner 1000 -j ACCEPT'],
      ['filter', '-A INPUT -m tos --tos 010 -j ACCEPT', '-A INPUT -m tos --tos 10 -j ACCEPT'],
      ['filter', '-A INPUT -m conntrack --ctorigdst 192.168.001.010/024 -j ACCEPT', '-A INPUT -m conntrack --ctorigdst 192.168.1.10/24 -j ACCEPT'],
      ['filter', '-A INPUT -m hashlimit --hashlimit-upto 5/s --hashlimit-burst 020 --hashlimit-name a -j ACCEPT', '-A INPUT -m hashlimit --hashlimit-upto 5/s --hashlimit-burst 20 --hashlimit-name a -j ACCEPT'],
      ['mangle', '-A PREROUTING -j MARK --set-mark 010', '-A PREROUTING -j MARK --set-mark 10'],
      ['mangle', '-A PREROUTING -j TEE --gateway 192.168.1.010', '-A PREROUTING -j TEE --gateway 192.168.1.10'],
      ['nat', '-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.5-10.0.0.1:80', '-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1-10.0.0.5:80'],
      ['nat', '-A POSTROUTING -j SNAT --to-source 1.2.3.4-1.2.3.1', '-A POSTROUTING -j SNAT --to-source 1.2.3.1-1.2.3.4'],
    ] as const) {
      const text = `*${table}\n${line}\nCOMMIT\n`;
      const f = lintIptables(text, { rules: [badValue] }).findings[0];
      assert.equal(f?.severity, 'warning', line);
      assertFixLoads(text, f, `*${table}\n${fixed}\nCOMMIT\n`, [badValue], 'ipv4', line);
    }
    {
      const text = '*filter\n-A INPUT -m hbh --hbh-opts 010:4 -j ACCEPT\nCOMMIT\n';
      const f = lintIptables(text, { family: 'ipv6', rules: [badValue] }).findings[0];
      assert.equal(f?.severity, 'warning');
      assertFixLoads(text, f, '*filter\n-A INPUT -m hbh --hbh-opts 10:4 -j ACCEPT\nCOMMIT\n', [badValue], 'ipv6', 'hbh');
    }
    // No fix where the meant value is not known: a short end that would run backwards, a cut string,
    // a cut or wrapped number, day 0, a netmask with holes, a "+" inside an interface name.
    for (const line of [
      '-A INPUT -m iprange --src-range 10.0.0.100-50 -j ACCEPT', `-A INPUT -j LOG --log-prefix ${'x'.repeat(30)}`,
      '-A INPUT -m time --monthdays 010 -j ACCEPT', '-A INPUT -m time --monthdays 1,0 -j ACCEPT', '-A INPUT -m connlimit --connlimit-above 2 --connlimit-mask 32.5 -j DROP',
      '-A INPUT -i vnet+0 -j ACCEPT', '-A INPUT -m statistic --mode random --probability nan -j ACCEPT', '-A INPUT -m time --datestart 2024-01-00 -j ACCEPT',
    ]) {
      const f = lintIptables(`*filter\n${line}\nCOMMIT\n`, { rules: [badValue] }).findings[0];
      assert.equal(f?.severity, 'warning', line);
      assert.equal(f?.fixes, undefined, line);
    }
  });
  it('no suggestion for a name with a code: names take no "/code", so no fix would load', () => {
    const f = lintIptables(ruleset('-A INPUT -p icmp --icmp-type destination-unreachble/4 -j ACCEPT'), { rules: [badValue] }).findings[0];
    assert.match(f?.message ?? '', /unknown ICMP type "destination-unreachble\/4": expected/);
    assert.equal(f?.fixes, undefined);
  });
  it('no fix when the item is not found once as a whole element', () => {
    const text = ruleset('-A INPUT -m conntrack --ctstate "NEW,ESTABLISHD" -j ACCEPT');
    const f = lintIptables(text, { rules: [badValue] }).findings[0];
    assert.match(f?.message ?? '', /did you mean "ESTABLISHED"/);
    assert.equal(f?.fixes, undefined); // quoted: the word's text is not where it stands in the line
  });
});
