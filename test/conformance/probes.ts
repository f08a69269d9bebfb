/**
 * Hand-written probes of how iptables-restore reads a rule line, beyond what the `.t` files cover:
 * getopt behaviour (long-option abbreviations, `--opt=value`, a value that starts with `-`),
 * negation placement, quoting, counters, and everyday rules of each table and family. Each probe is
 * one line in one table; the real tools decide whether it is legal, exactly as for the `.t` cases.
 */
import type { Family } from './corpus.js';

export interface Probe {
  readonly family: Family;
  readonly table: string;
  /** A whole ruleset line (`-A CHAIN ...`, or with a `[p:b]` counter prefix). */
  readonly line: string;
}

const v4 = (table: string, lines: readonly string[]): Probe[] => lines.map((line) => ({ family: 'ipv4', table, line }));
const v6 = (table: string, lines: readonly string[]): Probe[] => lines.map((line) => ({ family: 'ipv6', table, line }));

export const PROBES: readonly Probe[] = [
  // getopt: unambiguous prefixes of long options, `=` forms, values that begin with a dash
  ...v4('filter', [
    '-A INPUT -p tcp --dpor 22 -j ACCEPT',
    '-A INPUT -p tcp --dp 22 -j ACCEPT',
    '-A INPUT --proto tcp --dport 22 -j ACCEPT',
    '-A INPUT --src 1.2.3.4 -j ACCEPT',
    '-A INPUT --jump ACCEPT',
    '-A INPUT --in-int lo -j ACCEPT',
    '--append INPUT -j ACCEPT',
    '-A INPUT --match tcp -p tcp --dport 22 -j ACCEPT',
    '-A INPUT -p tcp --dport=22 -j ACCEPT',
    '-A INPUT --protocol=tcp -j ACCEPT',
    '-A INPUT -ptcp --dport 22 -j ACCEPT',
    '-A INPUT -p tcp -jACCEPT',
    '-A INPUT -m comment --comment -x -j ACCEPT',
    '-A INPUT -m comment --comment --x -j ACCEPT',
    '-A INPUT -m comment --comment - -j ACCEPT',
    '-A INPUT -j LOG --log-prefix -in-',
    '-A INPUT -i -eth0 -j ACCEPT',
    '-A INPUT -m mark --mark -1 -j ACCEPT',
    '-A INPUT -s -1 -j ACCEPT',
    '-A INPUT -p tcp --dport -1 -j ACCEPT',
  ]),
  // negation, quoting, counters, whitespace, repeated options
  ...v4('filter', [
    '-A INPUT ! -s 1.2.3.4 -j ACCEPT',
    '-A INPUT -s ! 1.2.3.4 -j ACCEPT',
    '-A INPUT -p tcp -m tcp --dport ! 22 -j ACCEPT',
    '-A INPUT -m conntrack ! --ctstate INVALID -j ACCEPT',
    '-A INPUT ! -f -j DROP',
    '-A INPUT -p tcp ! --syn -m state --state NEW -j DROP',
    "-A INPUT -m comment --comment 'a b' -j ACCEPT",
    '-A INPUT -m comment --comment "a \\"b\\" c" -j ACCEPT',
    '-A INPUT -m comment --comment "" -j ACCEPT',
    // iptables-restore takes the quotes off before getopt reads the words: a quoted option is an option.
    '-A INPUT "-p" tcp "--dport" 22 "-j" ACCEPT',
    '-A INPUT -m comment --comment "!" -j ACCEPT',
    // An abbreviation is ambiguous between two extensions that have the option, not between two
    // instances of one extension.
    '-A INPUT -m connmark --mark 1 -m mark --mar 1 -j ACCEPT',
    '-A INPUT -m mark --mark 1 -m mark --mar 2 -j ACCEPT',
    '-A INPUT -m recent --name a --set -m recent --name b --rch -j ACCEPT',
    // A "!" is the value of an option that needs one (getopt's required argument), quoted or not.
    '-A INPUT -m comment --comment ! -j ACCEPT',
    '-A INPUT -m comment --comment !',
    '-A INPUT -m comment --comment ! !',
    '-A INPUT -j LOG --log-prefix ! --log-level 4',
    '-A INPUT -i ! -s 1.2.3.4 -j ACCEPT',
    '-A INPUT -i ! ! -s 1.2.3.4 -j ACCEPT',
    '-A INPUT -s ! -j ACCEPT',
    '-A INPUT -p ! -j ACCEPT',
    '-A INPUT "!" -s 1.2.3.4 -j ACCEPT',
    '-A INPUT -p tcp "!" --dport 22 -j ACCEPT',
    '-A INPUT -p tcp --syn "!" -s 1.2.3.4 -j ACCEPT',
    '-A INPUT -p tcp --syn !',
    '-A INPUT -p tcp --syn ! ! -s 1.2.3.4 -j ACCEPT',
    '-A INPUT -f "!"',
    '-A INPUT -m comment --comment "-x y" -j ACCEPT',
    "-A INPUT -p tcp -m 'tcp' --dport 22 -j ACCEPT",
    "-A INPUT -j 'ACCEPT'",
    '-A INPUT -j LOG --log-prefix "-abc "',
    '-A INPUT -j ACCEPT # trailing comment',
    '[1:2] -A INPUT -j ACCEPT',
    '-A INPUT -c 1 2 -j ACCEPT',
    '-A INPUT\t-p tcp\t--dport 22 -j ACCEPT',
    '-A INPUT -j ACCEPT ',
    '-A INPUT -s 1.2.3.4 -s 5.6.7.8 -j ACCEPT',
    '-A INPUT -j ACCEPT -j DROP',
    '-A INPUT -p tcp -m tcp -m tcp --dport 22 -j ACCEPT',
    '-A INPUT -m TCP -p tcp --dport 22',
    '-A INPUT -p TCP --dport 22 -j ACCEPT',
    '-A INPUT -j accept',
  ]),
  // everyday filter rules
  ...v4('filter', [
    '-A INPUT -p 6 --dport 22 -j ACCEPT',
    '-A INPUT -p all -j ACCEPT',
    '-A INPUT -p icmp --icmp-type echo-request -j ACCEPT',
    '-A INPUT -i eth+ -j ACCEPT',
    '-A INPUT -s 10.0.0.1/255.255.255.0 -j ACCEPT',
    '-A INPUT -s 10.0.0.0/8,192.168.0.0/16 -j ACCEPT',
    '-A INPUT -d localhost -j ACCEPT',
    '-A INPUT -m state --state NEW,established -j ACCEPT',
    '-A INPUT -m limit --limit 5/min --limit-burst 10 -j LOG --log-prefix "x: " --log-level 4',
    '-A INPUT -j LOG --log-level warning',
    '-A INPUT -j LOG --log-level Warning',
    '-A INPUT -m multiport -p tcp --dports 22,80,443:450 -j ACCEPT',
    '-A INPUT -p tcp --tcp-flags ALL NONE -j DROP',
    '-A INPUT -m hashlimit --hashlimit-upto 1/sec --hashlimit-name x -j ACCEPT',
    '-A INPUT -m recent --update --seconds 60 --hitcount 4 --name SSH -j DROP',
    '-A INPUT -m time --timestart 08:00 --timestop 18:00 --weekdays Mon,Tue -j ACCEPT',
    '-A INPUT -m owner --uid-owner 0 -j ACCEPT',
    '-A OUTPUT -m owner --uid-owner 0 -j ACCEPT',
    '-A INPUT -m u32 --u32 "0>>22&0x3C@4>>16=0x1234" -j DROP',
    '-A INPUT -m string --string "GET /" --algo kmp -j DROP',
    '-A INPUT -p tcp -j REJECT --reject-with tcp-reset',
    '-A INPUT -j REJECT --reject-with icmp-admin-prohibited',
  ]),
  // the other tables (the KVM reference setup and its neighbours)
  ...v4('nat', [
    // --to is DNAT's --to-destination only while no loaded extension has another option starting so.
    '-A PREROUTING -p tcp -j DNAT --to 192.168.122.10',
    '-A PREROUTING -m tos --tos 0 -p tcp -j DNAT --to 192.168.122.10',
    '-A PREROUTING -p tcp -j DNAT --to 192.168.122.10 -m tos --tos 0',
    '-A POSTROUTING -m tos --tos 0 -j SNAT --to 192.168.122.1',
    '-A POSTROUTING -s 192.168.122.0/24 ! -d 192.168.122.0/24 -p tcp -j MASQUERADE --to-ports 1024-65535',
    '-A PREROUTING -p tcp --dport 80 -j DNAT --to 10.0.0.1:8080',
    '-A PREROUTING -p tcp --dport 80 -j REDIRECT --to-port 8080',
  ]),
  ...v4('mangle', [
    '-A POSTROUTING -o virbr0 -p udp -m udp --dport 68 -j CHECKSUM --checksum-fill',
    '-A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu',
    '-A PREROUTING -j MARK --set-xmark 0x1/0xffffffff',
  ]),
  ...v4('raw', ['-A PREROUTING -p udp --dport 53 -j NOTRACK', '-A PREROUTING -j CT --notrack']),
  ...v6('filter', [
    '-A INPUT -p ipv6-icmp -j ACCEPT',
    '-A INPUT -p icmpv6 --icmpv6-type echo-request -j ACCEPT',
    '-A INPUT -s fe80::/10 -j ACCEPT',
    '-A INPUT -s 2001:db8::1/64 -j ACCEPT',
    '-A INPUT -s ::ffff:1.2.3.4 -j ACCEPT',
    '-A INPUT -m rt --rt-type 0 -j DROP',
    '-A INPUT -j REJECT --reject-with icmp6-adm-prohibited',
    '-A INPUT -p udp --dport 546 -d fe80::/64 -j ACCEPT',
    '-A INPUT -m hl --hl-eq 255 -j ACCEPT',
    '-A INPUT -i -eth0 -j ACCEPT',
  ]),
  ...v6('nat', ['-A POSTROUTING -s fd00::/64 -j MASQUERADE']),
  // word order: most protocol needs are checked once the rule is read, a few as the option is parsed
  ...v4('filter', [
    '-A INPUT -m multiport --dports 80,443 -p tcp -j ACCEPT',
    '-A INPUT -m multiport -p tcp --dports 80,443 -j ACCEPT',
    '-A INPUT -m tcp --dport 22 -p tcp -j ACCEPT',
    '-A INPUT --dport 22 -p tcp -j ACCEPT',
    '-A INPUT -j REJECT --reject-with tcp-reset -p tcp',
    '-A INPUT -j LOG --log-prefix "x " -m comment --comment y -p tcp',
    '-A INPUT -j ACCEPT -m conntrack --ctstate NEW -s 10.0.0.1',
  ]),
  ...v4('nat', [
    '-A PREROUTING -j DNAT --to-destination 10.0.0.1:8080 -p tcp',
    '-A PREROUTING -j REDIRECT -p tcp --to-ports 8080',
    '-A POSTROUTING -j MASQUERADE --to-ports 1024-65535 -p udp',
    '-A POSTROUTING -j SNAT --to-source 10.0.0.1 -p tcp',
  ]),
  ...v6('nat', ['-A PREROUTING -j DNAT --to-destination [fd00::1]:80 -p tcp']),
];

/** The probe as a restore input. */
export function probeText(p: Probe): string {
  return `*${p.table}\n${p.line}\nCOMMIT\n`;
}
