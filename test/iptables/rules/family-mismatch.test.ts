import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintIptables } from '../../../server/src/iptables/lint.js';
import { familyMismatch } from '../../../server/src/iptables/rules/family-mismatch.js';
import { assertFixLoads, ruleTester } from '../../helpers/ruleTester.js';

ruleTester.run(familyMismatch, {
  valid: [
    // ip6tables-restore skips a -4 line before reading its addresses and final checks.
    { code: '*filter\n-A INPUT -4 -s 192.168.0.0/16 -p icmp --icmp-type echo-request -j REJECT --reject-with icmp-host-prohibited\n-A OUTPUT -s 10.0.0.1 -4 -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
    '*filter\n-A INPUT -s 192.168.122.0/24 -d 192.168.122.1 -j ACCEPT\n-A INPUT -p icmp --icmp-type echo-request -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -f -j DROP\n-A INPUT -m ttl --ttl-lt 2 -j DROP\nCOMMIT\n',
    { code: '*filter\n-A INPUT -s fe80::/10 -d 2001:db8::1 -j ACCEPT\n-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 135 -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
    { code: '*filter\n-A INPUT -m frag --fragmore -j DROP\n-A INPUT -m hl --hl-lt 2 -j DROP\nCOMMIT\n', family: 'ipv6' },
    { code: '*filter\n-A INPUT -j REJECT --reject-with icmp6-adm-prohibited\nCOMMIT\n', family: 'ipv6' },
    // Each family's own ICMP.
    { code: '*filter\n-A INPUT -p ipv6-icmp -j ACCEPT\n-A INPUT -p icmpv6 -j ACCEPT\n-A INPUT -p 58 -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
    '*filter\n-A INPUT -p icmp -j ACCEPT\n-A INPUT -p 1 -j ACCEPT\nCOMMIT\n',
    // -p reads a number as C does: 0x3a and 072 are 58; 0x1 and 01 are 1.
    { code: '*filter\n-A INPUT -p 0x3a -j ACCEPT\n-A INPUT -p 072 -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
    '*filter\n-A INPUT -p 0x1 -j ACCEPT\n-A INPUT -p 01 -j ACCEPT\nCOMMIT\n',
    { code: '*mangle\n-A POSTROUTING -o br0 -s fd00::/64 -j SNPT --src-pfx fd00::/64 --dst-pfx 2001:db8::/64\nCOMMIT\n', family: 'ipv6' },
    // An IPv4-mapped IPv6 address is resolved to its IPv4 address by iptables.
    { code: '*filter\n-A INPUT -s ::ffff:192.168.122.1 -j ACCEPT\nCOMMIT\n' },
    // ... in any IPv6 spelling of it (getaddrinfo reads the text with inet_pton, then maps it).
    '*filter\n-A INPUT -s ::ffff:102:304 -d 0:0:0:0:0:ffff:0102:0304 -j ACCEPT\n-A INPUT -m conntrack --ctorigsrc 0::ffff:1.2.3.4/32 --ctrepldst ::FFFF:0:0\nCOMMIT\n',
    '*filter\n-A INPUT -m connlimit --connlimit-above 1 --connlimit-mask ::ffff:ffff:ff00\n-A INPUT -m conntrack --ctorigdst 1.2.3.4/::ffff:ffff:ff00\nCOMMIT\n',
    '*nat\n-A PREROUTING -j NETMAP --to ::ffff:102:300/24\nCOMMIT\n',
  ],
  invalid: [
    // The other family's ICMP as -p loads and never matches (negated, it excludes nothing): a warning.
    {
      code: '*filter\n-A INPUT -p «icmp» -j ACCEPT\n-A INPUT ! -p «1» -j DROP\nCOMMIT\n',
      family: 'ipv6',
      errors: [
        { messageId: 'protocol', severity: 'warning', message: /-p icmp is protocol 1, IPv4's ICMP, which IPv6 packets do not carry: the rule never matches; ICMPv6 is -p ipv6-icmp \(58\)/ },
        { messageId: 'protocol', severity: 'warning', message: /excludes nothing/ },
      ],
    },
    { code: '*filter\n-A INPUT -p «ipv6-icmp» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'protocol', severity: 'warning', message: /ICMP is -p icmp \(1\)/ }] },
    // ... in any spelling of its number that iptables reads (strtoul, base 0).
    {
      code: '*filter\n-A INPUT -p «0x1» -j ACCEPT\n-A INPUT ! -p «+01» -j DROP\nCOMMIT\n',
      family: 'ipv6',
      errors: [{ messageId: 'protocol', severity: 'warning', message: /-p 0x1 is protocol 1/ }, { messageId: 'protocol', severity: 'warning', message: /excludes nothing/ }],
    },
    { code: '*filter\n-A INPUT -p «072» -j ACCEPT\n-A INPUT -p «0X3A» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'protocol', severity: 'warning' }, { messageId: 'protocol', severity: 'warning' }] },
    // An IPv4-mapped address whose IPv4 part inet_pton refuses (a leading zero) is no IPv4 address.
    { code: '*filter\n-A INPUT -s «::ffff:010.1.1.1»\n-A INPUT -m conntrack --ctorigsrc «::ffff:08.1.1.1»\nCOMMIT\n', errors: [{ messageId: 'value', message: /IPv6 address in an IPv4 ruleset/ }, { messageId: 'value', message: /IPv6 address in an IPv4 ruleset/ }] },
    // A zone or brackets make it no address inet_pton reads.
    { code: '*filter\n-A INPUT -s «::ffff:1.2.3.4%eth0»\n-A INPUT -m conntrack --ctorigsrc «[::ffff:1.2.3.4]»\nCOMMIT\n', errors: [{ messageId: 'value' }, { messageId: 'value' }] },
    { code: '*filter\n-A INPUT -s «fe80::/10» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value', message: /IPv6 address in an IPv4 ruleset/ }] },
    { code: '*filter\n--append INPUT --destination «2001:db8::1» --jump ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value', data: { option: '--destination' } }] },
    { code: '*filter\n-A INPUT ! -d «2001:db8::/32» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -p ipv6-icmp -m «icmp6» --icmpv6-type 135 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'match', data: { name: 'icmp6' } }] },
    { code: '*filter\n-A INPUT -m «hl» --hl-eq 64 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'match' }] },
    { code: '*mangle\n-A POSTROUTING -j «SNPT» --src-pfx fd00::/64 --dst-pfx 2001:db8::/64\nCOMMIT\n', errors: [{ messageId: 'target', data: { name: 'SNPT' } }] },
    // Only the IPv6 item of a list is wrong.
    { code: '*filter\n-A INPUT -s 192.168.122.0/24,«fe80::/10» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'value' }] },
    { code: '*filter\n-A INPUT -s «192.168.122.0/24» -j ACCEPT\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'value', message: /IPv4 address in an IPv6 ruleset/ }] },
    { code: '*filter\n-A INPUT -m «ttl» --ttl-eq 64 -j ACCEPT\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'match', message: /exists only for IPv4/ }] },
    { code: '*filter\n-A INPUT «-f» -j DROP\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'value', message: /exists only in IPv4/ }] },
    // The icmp match's options in ip6tables (DESIGN.md lists them under family-mismatch).
    { code: '*filter\n-A INPUT -p icmp «--icmp-type» 8 -j ACCEPT\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'option' }] },
    { code: '*filter\n-A INPUT -p ipv6-icmp «--icmp-type» 8 -j ACCEPT\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'option' }] },
  ],
});

describe('family-mismatch: the quick fix of the other family\'s ICMP', () => {
  for (const [family, line, fixed] of [
    ['ipv6', '-A INPUT -p icmp -j ACCEPT', '-A INPUT -p ipv6-icmp -j ACCEPT'],
    ['ipv6', '-A INPUT ! -p 1 -j DROP', '-A INPUT ! -p 58 -j DROP'],
    ['ipv6', '-A INPUT -p 0x01 -j ACCEPT', '-A INPUT -p 58 -j ACCEPT'],
    ['ipv4', '-A INPUT -p icmpv6 -j ACCEPT', '-A INPUT -p icmp -j ACCEPT'],
  ] as const) {
    it(`${family}: ${line}`, () => {
      const text = `*filter\n${line}\nCOMMIT\n`;
      const f = lintIptables(text, { family, rules: [familyMismatch] }).findings[0];
      assertFixLoads(text, f, `*filter\n${fixed}\nCOMMIT\n`, [familyMismatch], family, line);
    });
  }
});

describe('family-mismatch: an ICMP rule of the other family, written out for this one', () => {
  for (const [family, line, fixed] of [
    ['ipv6', '-A INPUT -p icmp --icmp-type echo-request -j ACCEPT', '-A INPUT -p ipv6-icmp --icmpv6-type echo-request -j ACCEPT'],
    ['ipv4', '-A INPUT -p ipv6-icmp --icmpv6-type echo-request -j ACCEPT', '-A INPUT -p icmp --icmp-type echo-request -j ACCEPT'],
  ] as const) {
    it(`${family}: ${line}`, () => {
      const text = `*filter\n${line}\nCOMMIT\n`;
      const finding = lintIptables(text, { family, rules: [familyMismatch] }).findings.find((f) => f.fixes);
      assertFixLoads(text, finding, `*filter\n${fixed}\nCOMMIT\n`, [familyMismatch], family);
    });
  }
  it('no fix for a type number (the numbers differ) or a type the family lacks', () => {
    for (const line of ['-A INPUT -p icmp --icmp-type 8 -j ACCEPT', '-A INPUT -p icmp --icmp-type source-quench -j ACCEPT']) {
      const findings = lintIptables(`*filter\n${line}\nCOMMIT\n`, { family: 'ipv6', rules: [familyMismatch] }).findings;
      assert.ok(findings.length > 0 && findings.every((f) => f.fixes === undefined || f.ruleId !== 'family-mismatch' || !/icmpv6-type/.test(f.fixes[0]?.title ?? '')), line);
    }
  });
});
