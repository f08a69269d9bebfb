import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lintIptables } from '../../../server/src/iptables/lint.js';
import { realToolAccepts, realToolsAvailable } from '../../helpers/realTools.js';
import { optionNeedsProtocol } from '../../../server/src/iptables/rules/option-needs-protocol.js';
import { applyEdits } from '../../helpers/edits.js';
import { assertFixLoads, ruleTester } from '../../helpers/ruleTester.js';

ruleTester.run(optionNeedsProtocol, {
  valid: [
    // Helpers with their protocols; a helper of another name may come from user space (nfct), with any protocol.
    { code: '*raw\n-A PREROUTING -p tcp --dport 21 -j CT --helper ftp\n-A PREROUTING -p udp -j CT --helper tftp\n-A PREROUTING -p TCP -j CT --helper sip\n-A OUTPUT -p 17 -j CT --helper sip\nCOMMIT\n' },
    // iptables-nft writes these tcp/udp options as its own expressions: nft loads them with "! -p" (a warning, see below).
    '*filter\n-A INPUT -m ecn --ecn-ip-ect 1 ! -p tcp -j ACCEPT\nCOMMIT\n',
    // -p before an option that reads it as it is parsed, or between the extension and that option.
    '*filter\n-A INPUT -m multiport -p tcp --dports 80,443 -j ACCEPT\nCOMMIT\n',
    '*nat\n-A PREROUTING -j REDIRECT -p tcp --to-ports 80\n-A PREROUTING -j DNAT --to-destination 192.168.122.10 -p icmp\nCOMMIT\n',
    // Options that the kernel checks against the protocol later do not care where -p stands.
    '*filter\n-A INPUT -m tcp --dport 22 -p tcp -j ACCEPT\n-A INPUT -j REJECT --reject-with tcp-reset -p tcp\nCOMMIT\n',
    '*filter\n-A INPUT -i virbr0 -p udp --dport 53 -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -i virbr0 -p udp -m udp --sport 68 --dport 67 -j ACCEPT\nCOMMIT\n',
    '*filter\n--append INPUT --protocol tcp --match multiport --dports 22,80 --jump ACCEPT\nCOMMIT\n',
    // Protocol names are not case-sensitive.
    '*filter\n-A INPUT -p TCP --dport 22 -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -p sctp --dport 2905 -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -p icmp --icmp-type echo-request -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -p tcp -j REJECT --reject-with tcp-reset\nCOMMIT\n',
    '*nat\n-A PREROUTING -i br0 -p tcp --dport 2222 -j DNAT --to-destination 192.168.122.10:22\n-A PREROUTING -i br0 -p tcp --dport 80 -j REDIRECT --to-ports 8080\nCOMMIT\n',
    '*nat\n-A POSTROUTING -s 192.168.122.0/24 ! -d 192.168.122.0/24 -p udp -j MASQUERADE --to-ports 1024-65535\nCOMMIT\n',
    // DNAT without a port needs no protocol.
    '*nat\n-A PREROUTING -i br0 -d 203.0.113.5 -j DNAT --to-destination 192.168.122.10\nCOMMIT\n',
    '*mangle\n-A FORWARD -o virbr0 -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu\nCOMMIT\n',
    // Any tcp match of SYN packets only will do for a legacy host: --syn, flags in any case, ALL.
    '*mangle\n-A FORWARD -p tcp --syn -j TCPMSS --set-mss 1400\n-A FORWARD -p 6 -m tcp --tcp-flags syn,rst syn -j TCPMSS --set-mss 1400\n-A POSTROUTING -p tcp --tcp-flags ALL ALL -j TCPMSS --clamp-mss-to-pmtu\nCOMMIT\n',
    { code: '*filter\n-A INPUT -p ipv6-icmp --icmpv6-type router-advertisement -j ACCEPT\n-A INPUT -p icmpv6 -m icmp6 --icmpv6-type 135 -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
    // A protocol number loads the same match as its name ("! -p tcp" too: see negatedPorts below).
    '*filter\n-A INPUT -p 6 --dport 22 -j ACCEPT\nCOMMIT\n',
  ],
  invalid: [
    // CT --helper: the kernel looks the helper up by name and protocol when the rule is loaded
    // (a real load refuses these; legacy --test does not ask the kernel).
    {
      code: '*raw\n-A PREROUTING -d 192.168.122.40/32 -j CT «--helper» ftp\n-A PREROUTING -i eth0 ! -p udp -j CT «--helper» tftp\n-A PREROUTING -p udp -j CT «--helper» ftp\n-A PREROUTING -j CT «--helper» myhelper\nCOMMIT\n',
      errors: [
        { messageId: 'problem', message: /^--helper needs -p tcp for the conntrack helper ftp: the kernel looks it up by name and the rule's protocol/ },
        { messageId: 'problem', message: /^--helper needs -p udp for the conntrack helper tftp/ },
        { messageId: 'problem', message: /^--helper needs -p tcp for the conntrack helper ftp/ },
        { messageId: 'problem', message: /^--helper needs -p tcp\|udp for the conntrack helper myhelper/ },
      ],
    },
    // A "! -p" after the option comes too late to load the option's match ("unknown option").
    { code: '*filter\n-A INPUT «--dport» 1 ! -p udp -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'optionNeedsProtocol', data: { option: '--dport' } }] },
    // A protocol's own match with a negated -p: the kernel's match refuses it (nft: RULE_APPEND failed).
    { code: '*filter\n-A INPUT ! -p tcp -m «tcp» -j ACCEPT\n-A INPUT ! -p sctp -m «sctp» --dport 1 -j ACCEPT\n-A INPUT ! -p icmp «--icmp-type» any -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'negatedProtocol', data: { protocol: 'tcp' } }, { messageId: 'negatedProtocol' }, { messageId: 'negatedProtocol', message: /the icmp match/ }] },
    { code: '*filter\n-A INPUT ! -p tcp «--tcp-option» 2 -j ACCEPT\n-A INPUT ! -p udp -m «tcp» --dport 22 -j ACCEPT\n-A INPUT ! -p tcp -m ecn «--ecn-tcp-cwr» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'negatedProtocol' }, { messageId: 'negatedProtocol' }, { messageId: 'negatedProtocol', data: { subject: '--ecn-tcp-cwr' } }] },
    { code: '*filter\n-A INPUT ! -p ipv6-icmp «--icmpv6-type» 1 -j ACCEPT\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'negatedProtocol' }] },
    // Ports and TCP flags with their own protocol negated: nft loads them, legacy's kernel match does not.
    {
      code: '*filter\n-A INPUT ! -p tcp «--dport» 22 -j ACCEPT\n-A INPUT ! -p tcp -m «tcp» --syn -j DROP\n-A INPUT ! -p udp «--sport» 53 -j ACCEPT\nCOMMIT\n',
      errors: [{ messageId: 'negatedPorts', severity: 'warning', message: /port/ }, { messageId: 'negatedPorts', severity: 'warning', message: /flag/ }, { messageId: 'negatedPorts', severity: 'warning' }],
    },
    // -p after an option whose parser reads the protocol (libxt_multiport, libxt_NAT's ports).
    { code: '*filter\n-A INPUT -m multiport «--dports» 80,443 -p tcp -j ACCEPT\n-A INPUT -m multiport ! «--sports» 1:1023 -p udp -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'protocolAfter', data: { protocol: 'tcp', option: '--dports' } }, { messageId: 'protocolAfter', data: { protocol: 'udp' } }] },
    { code: '*nat\n-A PREROUTING -j DNAT «--to-destination» 192.168.122.10:22 -p tcp\n-A POSTROUTING -j MASQUERADE «--to-ports» 1024-65535 -p udp\n-A POSTROUTING -j SNAT «--to-source» 1.2.3.4:1000 -p tcp\nCOMMIT\n', errors: [{ messageId: 'protocolAfter' }, { messageId: 'protocolAfter' }, { messageId: 'protocolAfter' }] },
    { code: '*nat\n-A PREROUTING -j DNAT «--to-destination» 192.168.122.10:22 -p icmp\nCOMMIT\n', errors: [{ messageId: 'protocolAfter', data: { protocol: 'icmp' } }] },
    { code: '*filter\n-A INPUT «--dport» 22 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'optionNeedsProtocol', message: /-p tcp\|udp\|sctp\|dccp/ }] },
    { code: '*filter\n--append INPUT «--destination-port» 22 --jump ACCEPT\nCOMMIT\n', errors: [{ messageId: 'optionNeedsProtocol' }] },
    { code: '*filter\n-A INPUT «--syn» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'optionNeedsProtocol', message: /-p tcp/ }] },
    { code: '*filter\n-A INPUT «--icmp-type» 8 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'optionNeedsProtocol', message: /-p icmp/ }] },
    // "-p all" has no ports.
    { code: '*filter\n-A INPUT -p all «--dport» 22 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'optionNeedsProtocol' }] },
    { code: '*filter\n-A INPUT -m «tcp» --dport 22 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'extensionNeedsProtocol' }] },
    { code: '*filter\n-A INPUT -p udp -m «tcp» --dport 22 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'extensionNeedsProtocol', message: /the rule has -p udp/ }] },
    { code: '*filter\n-A INPUT -m «multiport» --dports 22,80 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'extensionNeedsProtocol' }] },
    { code: '*filter\n-A INPUT -p icmp -m «multiport» --dports 22,80 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'extensionNeedsProtocol' }] },
    { code: '*mangle\n-A FORWARD -j «TCPMSS» --clamp-mss-to-pmtu\nCOMMIT\n', errors: [{ messageId: 'extensionNeedsProtocol', message: /target TCPMSS/ }] },
    // The nf_tables backend loads TCPMSS on any TCP packet; a legacy host wants SYN packets only.
    { code: '*mangle\n-A FORWARD -o ppp0 -p tcp -j «TCPMSS» --clamp-mss-to-pmtu\n-A FORWARD -p tcp --tcp-flags SYN,RST RST -j «TCPMSS» --set-mss 1400\nCOMMIT\n', errors: [{ messageId: 'problem', severity: 'warning', message: /TCPMSS needs -p tcp with a match of SYN packets only/ }, { messageId: 'problem', severity: 'warning' }] },
    { code: '*filter\n-A INPUT -m «tcpmss» --mss 1400 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'extensionNeedsProtocol' }] },
    { code: '*nat\n-A PREROUTING -i br0 -j REDIRECT «--to-ports» 8080\nCOMMIT\n', errors: [{ messageId: 'problem' }] },
    { code: '*nat\n-A POSTROUTING -s 192.168.122.0/24 -j MASQUERADE «--to-ports» 1024-65535\nCOMMIT\n', errors: [{ messageId: 'problem' }] },
    { code: '*nat\n-A PREROUTING -i br0 -j DNAT «--to-destination» 192.168.122.10:22\nCOMMIT\n', errors: [{ messageId: 'problem' }] },
    { code: '*filter\n-A INPUT -j REJECT «--reject-with» tcp-reset\nCOMMIT\n', errors: [{ messageId: 'problem', message: /tcp-reset/ }] },
    { code: '*filter\n-A INPUT «--icmpv6-type» 135 -j ACCEPT\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'optionNeedsProtocol', message: /-p icmpv6/ }] },
    // A -p on the rule that jumps to a user chain does not count for the chain's rules: the message says so.
    {
      code: '*filter\n:INPUT ACCEPT [0:0]\n:WEB - [0:0]\n-A INPUT -i br0 -j WEB\n-A INPUT -p tcp -j WEB\n-A WEB «--dport» 22 -j ACCEPT\n-A WEB -m «multiport» --dports 80,443 -j ACCEPT\n-A WEB -j REJECT «--reject-with» tcp-reset\nCOMMIT\n',
      errors: [
        { messageId: 'optionNeedsProtocol', message: /; the "-p tcp" of line 5, which jumps to WEB, does not carry over to its rules: each rule is checked alone$/ },
        { messageId: 'extensionNeedsProtocol', message: /"-p tcp" of line 5/ },
        { messageId: 'problem', message: /tcp-reset .*"-p tcp" of line 5/ },
      ],
    },
  ],
});

describe('option-needs-protocol: the note on a jump\'s -p', () => {
  const messages = (text: string): string[] => lintIptables(text, { rules: [optionNeedsProtocol] }).findings.map((f) => f.message);
  it('is left out when no jump to the chain has a protocol, when it is negated, and in a built-in chain', () => {
    for (const jump of ['-A INPUT -i br0 -j WEB', '-A INPUT ! -p udp -j WEB']) {
      const found = messages(`*filter\n:WEB - [0:0]\n${jump}\n-A WEB --dport 22 -j ACCEPT\nCOMMIT\n`);
      assert.equal(found.length, 1, jump);
      assert.doesNotMatch(found[0] ?? '', /carry over/, jump);
    }
    const builtin = messages('*filter\n:WEB - [0:0]\n-A WEB -p tcp -j ACCEPT\n-A INPUT --dport 22 -j ACCEPT\nCOMMIT\n');
    assert.equal(builtin.length, 1);
    assert.doesNotMatch(builtin[0] ?? '', /carry over/);
  });
});

describe('option-needs-protocol: moving -p before the option', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['-A INPUT -m multiport --dports 80,443 -p tcp -j ACCEPT', '-A INPUT -m multiport -p tcp --dports 80,443 -j ACCEPT'],
    ['-A INPUT -m multiport ! --dports 80,443 -p tcp -j ACCEPT', '-A INPUT -m multiport -p tcp ! --dports 80,443 -j ACCEPT'],
  ];
  for (const [line, fixed] of cases) {
    it(line, (t) => {
      const text = `*filter\n${line}\nCOMMIT\n`;
      const f = lintIptables(text, { rules: [optionNeedsProtocol] }).findings[0];
      const fix = f?.fixes?.[0];
      assert.ok(fix, 'a quick fix');
      const out = applyEdits(text, fix.edits);
      assert.equal(out, `*filter\n${fixed}\nCOMMIT\n`);
      assert.deepEqual(lintIptables(out, { rules: [optionNeedsProtocol] }).findings, []);
      if (!realToolsAvailable()) {
        t.skip('real tools unavailable');
        return;
      }
      assert.equal(realToolAccepts(text).accepted, false);
      assert.equal(realToolAccepts(out).accepted, true);
    });
  }
});

describe('option-needs-protocol quick fixes', () => {
  it('offers "-p tcp" and "-p udp" (in that order) before a port option of a rule with no -p; each fixed rule loads', () => {
    const text = '*filter\n-A INPUT --dport 22 -j ACCEPT\nCOMMIT\n';
    const finding = lintIptables(text, { rules: [optionNeedsProtocol] }).findings[0];
    assert.deepEqual(finding?.fixes?.map((f) => f.title), ['Insert "-p tcp" before --dport', 'Insert "-p udp" before --dport', 'Insert "-p sctp" before --dport']);
    assertFixLoads(text, finding, '*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n', [optionNeedsProtocol]);
    const udp = { ...finding, fixes: finding?.fixes?.slice(1) } as typeof finding;
    assertFixLoads(text, udp, '*filter\n-A INPUT -p udp --dport 22 -j ACCEPT\nCOMMIT\n', [optionNeedsProtocol]);
  });
  for (const [table, line, fixed] of [
    ['nat', '-A POSTROUTING -s 192.168.122.0/24 ! -d 192.168.122.0/24 -j MASQUERADE --to-ports 1024-65535', '-A POSTROUTING -s 192.168.122.0/24 ! -d 192.168.122.0/24 -p tcp -j MASQUERADE --to-ports 1024-65535'],
    ['filter', '-A INPUT -m multiport --dports 80,443 -j ACCEPT', '-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT'],
    ['nat', '-A PREROUTING -i virbr0 -j REDIRECT --to-ports 3128', '-A PREROUTING -i virbr0 -p tcp -j REDIRECT --to-ports 3128'],
  ] as const) {
    it(`inserts -p tcp before what needs it: ${line}`, () => {
      const text = `*${table}\n${line}\nCOMMIT\n`;
      const finding = lintIptables(text, { rules: [optionNeedsProtocol] }).findings[0];
      assert.match(finding?.fixes?.[0]?.title ?? '', /^Insert "-p tcp" before /);
      assertFixLoads(text, finding, `*${table}\n${fixed}\nCOMMIT\n`, [optionNeedsProtocol]);
    });
  }
  for (const [line, fixed] of [
    // Before the "!" that negates the option, and before the first option that needs the protocol.
    ['-A INPUT ! --dport 22 -j DROP', '-A INPUT -p tcp ! --dport 22 -j DROP'],
    ['-A INPUT --sport 1024:65535 --dport 22 -j ACCEPT', '-A INPUT -p tcp --sport 1024:65535 --dport 22 -j ACCEPT'],
  ] as const) {
    it(`puts -p where it works: ${line}`, () => {
      const text = `*filter\n${line}\nCOMMIT\n`;
      for (const finding of lintIptables(text, { rules: [optionNeedsProtocol] }).findings) {
        assertFixLoads(text, finding, `*filter\n${fixed}\nCOMMIT\n`, [optionNeedsProtocol]);
      }
    });
  }
  it('offers no fix when the rule has a -p already (a second one is refused)', () => {
    const finding = lintIptables('*filter\n-A INPUT --dport 1 ! -p udp -j ACCEPT\nCOMMIT\n', { rules: [optionNeedsProtocol] }).findings[0];
    assert.equal(finding?.fixes, undefined);
  });
});
