import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintIptables } from '../../../server/src/iptables/lint.js';
import { unknownOption } from '../../../server/src/iptables/rules/unknown-option.js';
import { assertFixLoads, ruleTester } from '../../helpers/ruleTester.js';

ruleTester.run(unknownOption, {
  valid: [
    '*filter\n-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT\nCOMMIT\n',
    // Options of an extension loaded by -p, by -m, and of the target.
    '*filter\n-A INPUT -p tcp --dport 22 --tcp-flags SYN,ACK SYN -j REJECT --reject-with tcp-reset\nCOMMIT\n',
    '*nat\n-A POSTROUTING -s 192.168.122.0/24 ! -d 192.168.122.0/24 -p tcp -j MASQUERADE --to-ports 1024-65535\nCOMMIT\n',
    // Long forms and unambiguous abbreviations iptables accepts.
    '*filter\n-A INPUT -m ttl --ttl 64 -j ACCEPT\n-A INPUT -m ttl ! --ttl 1 -j ACCEPT\nCOMMIT\n',
    { code: '*filter\n-A INPUT -m hl --hl 255 -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
    '*filter\n--append INPUT --protocol udp --destination-port 53 --in-interface virbr0 --jump ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -p tcp -m multiport --dports 22,80,443 -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -m comment --comment "dhcp from guests" -i virbr0 -j ACCEPT\nCOMMIT\n',
    // "--" ends getopt's options; with nothing after it, it does nothing. Given to an option that needs a value, it is that value.
    '*filter\n-A INPUT -j ACCEPT --\n-A INPUT -s 10.0.0.1 --\n-A INPUT -m comment --comment -- -j ACCEPT\nCOMMIT\n',
    // Short options as getopt reads them: clustered, with values written against them, one after the other.
    '*filter\n:X - [0:0]\n-AINPUT -p tcp -mtcp --dport 22 -vj ACCEPT\n-A INPUT -c1,2 -ieth0 -gX\n-A INPUT -m comment --comment -vn -j ACCEPT\nCOMMIT\n',
    { code: '*filter\n-A INPUT -p ipv6-icmp --icmpv6-type 135 -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
  ],
  invalid: [
    // --ctstate belongs to conntrack; state's option is --state.
    { code: '*filter\n-A INPUT -m state «--ctstate» NEW -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'unknown', message: /-m conntrack/ }] },
    // An extension option before the -m that loads it.
    { code: '*filter\n-A INPUT «--ctstate» NEW -m conntrack -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'unknown', message: /must come before it/ }] },
    { code: '*filter\n-A INPUT -p tcp «--dprot» 22 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'unknown', message: /did you mean "--dport"/ }] },
    { code: '*filter\n-A INPUT «--in-interfaces» virbr0 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'unknown' }] },
    { code: '*filter\n-A INPUT -j ACCEPT «--reject-with» tcp-reset\nCOMMIT\n', errors: [{ messageId: 'unknown', message: /-j REJECT/ }] },
    { code: '*nat\n-A POSTROUTING -o br0 -j MASQUERADE «--to-source» 203.0.113.1\nCOMMIT\n', errors: [{ messageId: 'unknown', message: /-j SNAT/ }] },
    { code: '*filter\n-A INPUT -p tcp -m tcp «--dports» 22,80 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'unknown', message: /-m multiport/ }] },
    { code: '*filter\n-A INPUT «--foo» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'unknown', data: { option: '--foo' } }] },
    { code: '*filter\n-A INPUT «--» -j ACCEPT\n-A INPUT -j ACCEPT «--» x\nCOMMIT\n', errors: [{ messageId: 'endOfOptions' }, { messageId: 'endOfOptions' }] },
    // A word of short options with a letter iptables has none for ("unknown option").
    { code: '*filter\n-A INPUT «-vq» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'unknown', data: { option: '-vq' } }] },
    { code: '*filter\n-A INPUT -p tcp -m conntrack «--ct» NEW -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'ambiguous' }] },
    // The commands share getopt's table: --mo is --monthdays or --modprobe, --re --reject-with or --replace.
    { code: '*filter\n-A INPUT -m time «--mo» 1 -j ACCEPT\n-A INPUT -p tcp -j REJECT «--re» tcp-reset\n-A INPUT -p sctp «--ch» DATA -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'ambiguous' }, { messageId: 'ambiguous' }, { messageId: 'ambiguous' }] },
    { code: '*filter\n-A INPUT «--ver» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'ambiguous', message: /--verbose.*--version|--version.*--verbose/ }] },
    // Two extensions with an option of the same name: the abbreviation names both owners.
    { code: '*filter\n-A INPUT -m connmark --mark 1 -m mark «--mar» 1 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'ambiguous', message: /--mark of -m connmark, --mark of -m mark/ }] },
  ],
});

describe('unknown-option quick fixes', () => {
  for (const [line, fixed] of [
    // The closest option of the loaded extensions.
    ['-A INPUT -p tcp --dprot 22 -j ACCEPT', '-A INPUT -p tcp --dport 22 -j ACCEPT'],
    ['-A INPUT -p tcp --dprot=22 -j ACCEPT', '-A INPUT -p tcp --dport=22 -j ACCEPT'],
    // The one match that has the option, loaded before it.
    ['-A INPUT -p tcp --dports 80,443 -j ACCEPT', '-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT'],
    // Before the "!" that negates the option.
    ['-A INPUT -p tcp ! --dports 80,443 -j DROP', '-A INPUT -p tcp -m multiport ! --dports 80,443 -j DROP'],
    // The match needs a protocol the rule does not give: with -p tcp in front (or -p udp, the second fix).
    ['-A INPUT --dports 80,443 -j ACCEPT', '-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT'],
    ['-A INPUT --ctstate RELATED,ESTABLISHED -j ACCEPT', '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'],
  ] as const) {
    it(line, () => {
      const text = `*filter\n${line}\nCOMMIT\n`;
      assertFixLoads(text, lintIptables(text, { rules: [unknownOption] }).findings[0], `*filter\n${fixed}\nCOMMIT\n`, [unknownOption]);
    });
  }
  it('no fix to load a match the rule\'s protocol does not suit, or before a -p written after the option', () => {
    for (const line of ['-A INPUT -p udp --syn -j ACCEPT', '-A INPUT --dports 80,443 -p tcp -j ACCEPT', '-A INPUT ! -p udp --dports 80 -j ACCEPT']) {
      const finding = lintIptables(`*filter\n${line}\nCOMMIT\n`, { rules: [unknownOption] }).findings[0];
      assert.match(finding?.message ?? '', /belongs to/, line);
      assert.equal(finding?.fixes, undefined, line);
    }
  });
  it('no fix where several extensions have the option', () => {
    const finding = lintIptables('*filter\n-A INPUT --mark 1 -j ACCEPT\nCOMMIT\n', { rules: [unknownOption] }).findings[0];
    assert.match(finding?.message ?? '', /belongs to/);
    assert.equal(finding?.fixes, undefined, finding?.message);
  });
});
