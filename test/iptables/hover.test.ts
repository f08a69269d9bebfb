import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import type { Family } from '../../server/src/iptables/kb/types.js';
import { hoverAt } from '../../server/src/iptables/hover.js';
import { lintIptables } from '../../server/src/iptables/lint.js';
import { nftSavedRules, realToolsAvailable } from '../helpers/realTools.js';
import { caseName, stripCursor } from '../helpers/ruleTester.js';


const marked = stripCursor;

interface HoverCase {
  /** `‸` marks the cursor, `«…»` the span the hover must report. */
  readonly code: string;
  readonly family?: Family;
  /** Every one of these must appear in the markdown. */
  readonly has?: readonly (string | RegExp)[];
  /** None of these may appear. */
  readonly hasNot?: readonly (string | RegExp)[];
}

function hoverOf(text: string, offset: number, family?: Family) {
  const { document, analysis } = lintIptables(text, family ? { family } : {});
  return hoverAt(document, analysis, offset);
}

function runCases(cases: readonly HoverCase[]): void {
  for (const c of cases) {
    test(caseName(c.code, c.family), () => {
      const { text, cursor, ranges } = marked(c.code);
      const h = hoverOf(text, cursor, c.family);
      assert.ok(h, 'expected a hover');
      const range = ranges[0];
      if (range) assert.deepEqual(h.span, range, `hover span is ${JSON.stringify(text.slice(h.span.start, h.span.end))}`);
      for (const want of c.has ?? []) {
        if (typeof want === 'string') assert.ok(h.markdown.includes(want), `missing ${JSON.stringify(want)} in:\n${h.markdown}`);
        else assert.match(h.markdown, want);
      }
      for (const not of c.hasNot ?? []) {
        if (typeof not === 'string') assert.ok(!h.markdown.includes(not), `unexpected ${JSON.stringify(not)} in:\n${h.markdown}`);
        else assert.doesNotMatch(h.markdown, not);
      }
    });
  }
}

describe('hover: tables, chains, policies, counters, COMMIT', () => {
  runCases([
    { code: '*«fil‸ter»\n:INPUT ACCEPT [0:0]\nCOMMIT\n', has: ['table `filter`', 'Built-in chains', '`INPUT`, `FORWARD`, `OUTPUT`'] },
    { code: '*«n‸at»\nCOMMIT\n', has: ['Address translation', 'POSTROUTING'] },
    { code: '*«bogu‸s»\nCOMMIT\n', has: ['unknown', '`filter`'] },
    { code: '*filter\n:«INP‸UT» DROP [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n', has: ['built-in chain of table `filter`', 'Policy: **DROP**', 'Rules: 1', 'addressed to this host'] },
    { code: '*filter\n:«INPUT‸» DROP [0:0]\nCOMMIT\n', has: ['built-in chain'] },
    {
      code: '*filter\n:INPUT ACCEPT [0:0]\n:«LIBVIRT‸_INP» - [0:0]\n-A INPUT -j LIBVIRT_INP\n-A LIBVIRT_INP -i virbr0 -j ACCEPT\n-A LIBVIRT_INP -i virbr0 -p udp --dport 53 -j ACCEPT\nCOMMIT\n',
      has: ['user chain of table `filter`', 'Rules: 2', 'line 4 (`INPUT`)', 'Reached from built-in chain: `INPUT`', 'No policy'],
    },
    { code: '*filter\n:«UN‸USED» - [0:0]\nCOMMIT\n', has: ['Nothing jumps here', 'Rules: 0'] },
    { code: '*filter\n:A - [0:0]\n:«‸A» - [0:0]\nCOMMIT\n', has: ['Declared 2 times (lines 2, 3)'] },
    { code: '*filter\n:INPUT «DR‸OP» [0:0]\nCOMMIT\n', has: ['policy of `INPUT`', 'dropped'] },
    { code: '*filter\n:INPUT «ACCEPT‸» [0:0]\nCOMMIT\n', has: ['accepted'] },
    { code: '*filter\n:FOO «‸-» [0:0]\nCOMMIT\n', has: ['User chains have no policy'] },
    { code: '*filter\n:INPUT «REJ‸ECT» [0:0]\nCOMMIT\n', has: ['not a policy', 'ACCEPT or DROP'] },
    { code: '*filter\n:INPUT ACCEPT «[12‸34:5678901]»\nCOMMIT\n', has: ['1,234 packets', '5.42 MiB', '5,678,901 bytes'] },
    { code: '*filter\n«[1:‸2]» -A INPUT -j ACCEPT\nCOMMIT\n', has: ['1 packet,', '2 bytes'] },
    { code: '*filter\n:INPUT ACCEPT «[x:‸2]»\nCOMMIT\n', has: ['Malformed counters'] },
    { code: '*mangle\n«COM‸MIT»\n', has: ['ends table `mangle`', 'at once'] },
    // The policy set later by -P wins over the declaration.
    { code: '*filter\n:INPUT ACCEPT [0:0]\n-P INPUT DROP\n-A «INP‸UT» -j ACCEPT\nCOMMIT\n', has: ['Policy: **DROP**'] },
  ]);
});

describe('hover: commands', () => {
  runCases([
    { code: '*filter\n«-‸A» INPUT -j ACCEPT\nCOMMIT\n', has: ['**-A**', '`--append`', 'Append a rule'] },
    { code: '*filter\n«--ins‸ert» INPUT 2 -j ACCEPT\nCOMMIT\n', has: ['**-I**', 'position'] },
    { code: '*filter\n-I INPUT «‸2» -j ACCEPT\nCOMMIT\n', has: ['rule number in `INPUT`', 'before the rule now at this position'] },
    { code: '*filter\n-D INPUT «3‸»\nCOMMIT\n', has: ['rule number in `INPUT`'] },
    { code: '*filter\n-P INPUT «DR‸OP»\nCOMMIT\n', has: ['policy of `INPUT`'] },
    { code: '*filter\n«-‸N» FOO\nCOMMIT\n', has: ['Create a user-defined chain'] },
    { code: '*filter\n-N «F‸OO»\n-A INPUT -j FOO\nCOMMIT\n', has: ['user chain of table `filter`', 'line 3'] },
    { code: '*filter\n-N FOO\n-E FOO «B‸AR»\nCOMMIT\n', has: ['new name of chain `FOO`'] },
    { code: '*filter\n-A «NOSU‸CH» -j ACCEPT\nCOMMIT\n', has: ['not declared in table `filter`'] },
  ]);
});

describe('hover: generic options and their values', () => {
  runCases([
    { code: '*filter\n-A INPUT «-‸p» tcp -j ACCEPT\nCOMMIT\n', has: ['**-p** `protocol`', 'generic option', '`--protocol`', 'Can be negated'] },
    { code: '*filter\n-A INPUT «--prot‸ocol» tcp -j ACCEPT\nCOMMIT\n', has: ['**--protocol**', 'also `-p`'] },
    { code: '*filter\n-A INPUT -p «t‸cp» --dport 22 -j ACCEPT\nCOMMIT\n', has: ['protocol number 6', 'Transmission Control Protocol', '`--dport`'] },
    { code: '*filter\n-A INPUT -p «‸6» -j ACCEPT\nCOMMIT\n', has: ['protocol number 6 (tcp)'] },
    { code: '*filter\n-A INPUT -p «a‸ll» -j ACCEPT\nCOMMIT\n', has: ['every protocol'] },
    { code: '*filter\n-A INPUT -p «ospf‸x» -j ACCEPT\nCOMMIT\n', has: ['/etc/protocols'] },
    { code: '*filter\n-A INPUT -p «icmp‸v6» -j ACCEPT\nCOMMIT\n', family: 'ipv6', has: ['number 58', '`icmp6`', '--icmpv6-type'] },
    { code: '*filter\n-A OUTPUT «-‸i» eth0 -j ACCEPT\nCOMMIT\n', has: ['Not allowed in OUTPUT and POSTROUTING'] },
    { code: '*filter\n-A INPUT -i «virb‸r0» -j ACCEPT\nCOMMIT\n', has: ['input interface', 'libvirt'] },
    { code: '*filter\n-A FORWARD -o «virbr‸+» -j ACCEPT\nCOMMIT\n', has: ['wildcard', 'starts with `virbr`'] },
    { code: '*filter\n-A INPUT «‸-f» -j DROP\nCOMMIT\n', has: ['fragments', 'Only in IPv4'] },
    { code: '*filter\n-A INPUT -j ACCEPT «-‸t» nat\nCOMMIT\n', has: ['Refused in a restore file'] },
    { code: '*filter\n-A INPUT -j ACCEPT -c 10 «20‸48»\nCOMMIT\n', has: ['10 packets', '2 KiB'] },
    { code: '*filter\n-A INPUT «‸!» -s 10.0.0.0/8 -j DROP\nCOMMIT\n', has: ['negation', '`-s 10.0.0.0/8` does **not** hold'] },
    // A quoted "!" negates too; a "!" after an option that needs a value is that value, not a negation.
    { code: '*filter\n-A INPUT «‸"!"» -s 10.0.0.0/8 -j DROP\nCOMMIT\n', has: ['negation', '`-s 10.0.0.0/8` does **not** hold'] },
    { code: '*filter\n-A INPUT -m comment --comment «‸!» -j ACCEPT\nCOMMIT\n', has: ['--comment'], hasNot: ['negation'] },
  ]);
});

describe('hover: addresses and CIDRs', () => {
  runCases([
    {
      code: '*filter\n-A INPUT -s «192.168.‸122.0/24» -j ACCEPT\nCOMMIT\n',
      has: ['IPv4 network', 'private (RFC 1918)', '192.168.122.0 – 192.168.122.255', '256 addresses', 'netmask 255.255.255.0', 'broadcast 192.168.122.255'],
      hasNot: ['host bits'],
    },
    { code: '*filter\n-A INPUT -s «192.168.122.1/‸24» -j ACCEPT\nCOMMIT\n', has: ['host bits are set', '`192.168.122.0/24`'] },
    { code: '*filter\n-A INPUT -s «10.0.0.0/255.0.0.0‸» -j ACCEPT\nCOMMIT\n', has: ['netmask 255.0.0.0', '16,777,216 addresses'] },
    { code: '*filter\n-A INPUT -d «‸127.0.0.1» -j ACCEPT\nCOMMIT\n', has: ['single IPv4 address', 'loopback'] },
    { code: '*nat\n-A POSTROUTING -s 192.168.122.0/24 -d «224.0.0.0/‸24» -j RETURN\nCOMMIT\n', has: ['multicast', '256 addresses'] },
    { code: '*filter\n-A INPUT -s «10.0.0.1,‸10.0.0.2» -j ACCEPT\nCOMMIT\n', has: ['list (iptables adds one rule per item)', '`10.0.0.1`', '`10.0.0.2`'] },
    { code: '*filter\n-A INPUT -s «exa‸mple.org» -j ACCEPT\nCOMMIT\n', has: ['host name', 'resolves it once'] },
    { code: '*filter\n-A INPUT -s «fd00::/‸8» -j ACCEPT\nCOMMIT\n', family: 'ipv6', has: ['IPv6 network', 'unique local', '2^120 addresses'] },
    { code: '*filter\n-A INPUT -s «2001:db8::/‸120» -j ACCEPT\nCOMMIT\n', family: 'ipv6', has: ['256 addresses', '2001:db8:: – 2001:db8::ff'] },
    { code: '*filter\n-A INPUT -s «fe80::1‸» -j ACCEPT\nCOMMIT\n', family: 'ipv6', has: ['single IPv6 address', 'link-local'] },
    { code: '*filter\n-A INPUT -s «‸10.0.0.0/8» -j ACCEPT\nCOMMIT\n', family: 'ipv6', has: ['IPv4 in an IPv6 ruleset'] },
    { code: '*filter\n-A INPUT -m iprange --src-range «10.0.0.1-10.0.0.‸10» -j ACCEPT\nCOMMIT\n', has: ['10 addresses', '10.0.0.1 – 10.0.0.10'] },
    // Other spellings, read as each option reads them (iptables-nft-save shows the same addresses):
    // -s with libxtables' reader (missing parts zero), then the resolver; conntrack with the
    // resolver alone (the last number fills the bytes left); iprange with the first alone.
    { code: '*filter\n-A INPUT -s «10.1/‸16» -j ACCEPT\nCOMMIT\n', has: ['reads the address as `10.1.0.0`', '10.1.0.0 – 10.1.255.255'], hasNot: ['host name'] },
    { code: '*filter\n-A INPUT -s «2‸56» -j ACCEPT\nCOMMIT\n', has: ['reads the address as `0.0.1.0`', 'inet_aton'] },
    { code: '*filter\n-A INPUT -m conntrack --ctorigsrc «10.‸1» -j ACCEPT\nCOMMIT\n', has: ['reads the address as `10.0.0.1`'] },
    { code: '*filter\n-A INPUT -m iprange --src-range «10.1-‸10.2» -j ACCEPT\nCOMMIT\n', has: ['65,537 addresses', '10.1.0.0 – 10.2.0.0'] },
    { code: '*filter\n-A INPUT -s «::ffff:102:‸304» -j ACCEPT\nCOMMIT\n', family: 'ipv4', has: ['reads the address as `1.2.3.4`', 'IPv4-mapped', 'single IPv4 address'], hasNot: ['IPv6 in an IPv4 ruleset'] },
    { code: '*filter\n-A INPUT -s «::ffff:102:‸304» -j ACCEPT\nCOMMIT\n', family: 'ipv6', has: ['single IPv6 address'], hasNot: ['IPv4-mapped'] },
    { code: '*nat\n-A PREROUTING -p tcp -j DNAT --to-destination «10.‸1.1.1»\nCOMMIT\n', has: ['single IPv4 address'], hasNot: ['reads the address'] },
    { code: '*nat\n-A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination «192.168.122.10:‸80»\nCOMMIT\n', has: ['single IPv4 address', 'port 80 (http)'] },
    { code: '*nat\n-A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination «[fd00::10]:‸80»\nCOMMIT\n', family: 'ipv6', has: ['single IPv6 address', 'port 80 (http)'] },
  ]);
});

describe('hover: interfaces on the machine the server runs on', () => {
  const interfaces = [
    { name: 'br0', kind: 'bridge' as const },
    { name: 'enp3s0', kind: 'bridge port' as const, master: 'br0' },
    { name: 'virbr0', kind: 'bridge' as const },
    { name: 'vnet0', kind: 'bridge port' as const, master: 'br0' },
  ];
  const at = (code: string, withHost = true): string | undefined => {
    const { text, cursor } = marked(code);
    const { document, analysis } = lintIptables(text, { family: 'ipv4' });
    return hoverAt(document, analysis, cursor, withHost ? { interfaces } : {})?.markdown;
  };
  test('a bridge with its ports', () => {
    assert.match(at('*filter\n-A FORWARD -i b‸r0 -j ACCEPT\n') ?? '', /On this machine: a bridge with the ports `enp3s0`, `vnet0`/);
  });
  test('a bridge port names its bridge; so does physdev\'s', () => {
    assert.match(at('*filter\n-A FORWARD -o vn‸et0 -j ACCEPT\n') ?? '', /a bridge port of `br0`/);
    assert.match(at('*filter\n-A FORWARD -m physdev --physdev-in enp‸3s0 -j ACCEPT\n') ?? '', /a bridge port of `br0`/);
  });
  test('a wildcard lists what it covers now; a name the machine lacks matches nothing yet', () => {
    assert.match(at('*filter\n-A FORWARD -i vn‸et+ -j ACCEPT\n') ?? '', /it covers `vnet0`/);
    assert.match(at('*filter\n-A FORWARD -i et‸h9 -j ACCEPT\n') ?? '', /No interface of this name on this machine now/);
    const address = at('*filter\n-A FORWARD -i virbr0 -s 1‸0.0.0.1 -j ACCEPT\n');
    assert.match(address ?? '', /single IPv4 address/);
    assert.doesNotMatch(address ?? '', /this machine/);
  });
  test('without host facts (the CLI, tests, a machine without sysfs) the hover says nothing of the machine', () => {
    assert.doesNotMatch(at('*filter\n-A FORWARD -i et‸h9 -j ACCEPT\n', false) ?? '', /this machine/);
    const { text, cursor } = marked('*filter\n-A FORWARD -i et‸h9 -j ACCEPT\n');
    const { document, analysis } = lintIptables(text, { family: 'ipv4' });
    assert.doesNotMatch(hoverAt(document, analysis, cursor, { interfaces: [] })?.markdown ?? '', /this machine/);
  });
});

describe('hover: matches, targets and their options', () => {
  runCases([
    { code: '*filter\n-A INPUT -m «conn‸track» --ctstate NEW -j ACCEPT\nCOMMIT\n', has: ['`conntrack`', 'match extension', '--ctstate'] },
    { code: '*filter\n-A INPUT -p tcp -m «multi‸port» --dports 22,80 -j ACCEPT\nCOMMIT\n', has: ['match extension', 'Needs `-p'] },
    { code: '*filter\n-A INPUT -m «frobni‸cate» -j ACCEPT\nCOMMIT\n', has: ['does not know'] },
    { code: '*filter\n-A INPUT -p tcp «--dp‸ort» 22 -j ACCEPT\nCOMMIT\n', has: ['**--dport** `port[:port]`', 'option of match `tcp` (loaded by `-p tcp`)', '`--destination-port`', 'Needs `-p tcp`', 'Can be negated'] },
    { code: '*filter\n-A INPUT -p tcp -m tcp «--dp‸ort» 22 -j ACCEPT\nCOMMIT\n', has: ['option of match `tcp`'], hasNot: ['loaded by'] },
    { code: '*filter\n-A INPUT -m conntrack «--ct‸state» NEW -j ACCEPT\nCOMMIT\n', has: ['Values: `INVALID`, `NEW`'] },
    { code: '*filter\n-A INPUT -j «ACC‸EPT»\nCOMMIT\n', has: ['standard verdict'] },
    { code: '*filter\n-A INPUT -j «REJ‸ECT»\nCOMMIT\n', has: ['terminating', 'Only in table `filter`', '`INPUT`, `FORWARD`, `OUTPUT`', '--reject-with'], hasNot: ['Only in IPv'] },
    // REJECT exists in both families (with reject types of its own in each); ULOG only in IPv4.
    { code: '*filter\n-A INPUT -j «REJ‸ECT»\nCOMMIT\n', family: 'ipv6', has: ['terminating'], hasNot: ['Only in IPv'] },
    { code: '*filter\n-A INPUT -j «UL‸OG»\nCOMMIT\n', has: ['Only in IPv4 (iptables) rulesets'] },
    { code: '*filter\n-A INPUT -p «ipv6-fr‸ag» -j DROP\nCOMMIT\n', family: 'ipv6', has: ['protocol number 44', 'never matches', '`-m frag`'], hasNot: ['Not a name kvmnet knows'] },
    { code: '*filter\n-A INPUT -p «5‸1» -j DROP\nCOMMIT\n', family: 'ipv6', has: ['never matches', '`-m ah`'] },
    { code: '*filter\n-A INPUT -p «5‸1» -j DROP\nCOMMIT\n', has: ['protocol number 51'], hasNot: ['never matches'] },
    { code: '*filter\n-A INPUT -p «hop‸opt» -j DROP\nCOMMIT\n', family: 'ipv6', has: ['every protocol', '`-m hbh`'] },
    { code: '*filter\n-A INPUT -j «L‸OG»\nCOMMIT\n', has: ['non-terminating'] },
    { code: '*nat\n-A POSTROUTING -j «MASQ‸UERADE»\nCOMMIT\n', has: ['Only in table `nat`', 'Only in chain `POSTROUTING`'] },
    { code: '*filter\n:FOO - [0:0]\n-A INPUT -j «F‸OO»\nCOMMIT\n', has: ['user chain of table `filter`', 'Jump:'] },
    { code: '*filter\n:FOO - [0:0]\n-A INPUT -g «F‸OO»\nCOMMIT\n', has: ['Goto:'] },
    { code: '*filter\n-A INPUT -j «NOSU‸CH»\nCOMMIT\n', has: ['not a chain of table `filter`', ':NOSUCH - [0:0]'] },
    { code: '*filter\n-A FORWARD -j «INP‸UT»\nCOMMIT\n', has: ['built-in chain', 'cannot jump'] },
    // A user chain named like a target: iptables takes the chain.
    { code: '*filter\n:LOG - [0:0]\n-A INPUT -j «L‸OG»\nCOMMIT\n', has: ['user chain of table `filter`'] },
    { code: '*filter\n-A INPUT -j REJECT «--reject-‸with» tcp-reset\nCOMMIT\n', has: ['option of target `REJECT`'] },
    { code: '*filter\n-A INPUT -p tcp «--frob‸nicate» 1 -j ACCEPT\nCOMMIT\n', has: ['not an option'] },
    { code: '*filter\n-A INPUT -m conntrack «--ctst‸» NEW -j ACCEPT\nCOMMIT\n', has: ['ambiguous', '`--ctstate`, `--ctstatus`'] },
    { code: '*filter\n-A INPUT -m conntrack «--ctsta‸te» NEW -j ACCEPT\nCOMMIT\n', has: ['**--ctstate**'] },
  ]);
});

describe('hover: values with a known meaning', () => {
  runCases([
    { code: '*filter\n-A INPUT -m conntrack --ctstate «RELATED,EST‸ABLISHED» -j ACCEPT\nCOMMIT\n', has: ['`RELATED`:', '`ESTABLISHED`:', 'both directions'] },
    { code: '*filter\n-A INPUT -m state --state «N‸EW» -j ACCEPT\nCOMMIT\n', has: ['`NEW`: the packet opens a new connection'] },
    { code: '*filter\n-A INPUT -m conntrack --ctstatus «ASS‸URED» -j ACCEPT\nCOMMIT\n', has: ['`ASSURED`:'] },
    { code: '*filter\n-A INPUT -j REJECT --reject-with «icmp-host-prohib‸ited»\nCOMMIT\n', has: ['host administratively prohibited'] },
    { code: '*filter\n-A INPUT -p tcp -j REJECT --reject-with «tcp-‸reset»\nCOMMIT\n', has: ['TCP RST'] },
    { code: '*filter\n-A INPUT -j REJECT --reject-with «host-pro‸hib»\nCOMMIT\n', has: ['(`icmp-host-prohibited`; `host-prohib` is its short name)'] },
    { code: '*filter\n-A INPUT -j REJECT --reject-with «icmp6-adm-prohib‸ited»\nCOMMIT\n', family: 'ipv6', has: ['ICMPv6 "administratively prohibited"'] },
    { code: '*filter\n-A INPUT -j LOG --log-level «‸4»\nCOMMIT\n', has: ['syslog level 4 (warning)'] },
    { code: '*filter\n-A INPUT -j LOG --log-level «deb‸ug»\nCOMMIT\n', has: ['syslog level 7 (debug)'] },
    // Rates as limit and hashlimit read them.
    { code: '*filter\n-A INPUT -m limit --limit «5/m‸in» -j LOG\nCOMMIT\n', has: ['5 packets a minute, one every 12 s on average'] },
    { code: '*filter\n-A INPUT -m limit --limit «2.5/s‸ec» -j LOG\nCOMMIT\n', has: ['2 packets a second, one every 500 ms on average'] },
    { code: '*filter\n-A INPUT -m hashlimit --hashlimit-upto «10m‸b/s» --hashlimit-name a\nCOMMIT\n', has: ['10485760 bytes a second (10 MiB a second)'] },
    { code: '*filter\n-A INPUT -m hashlimit --hashlimit-above «10M‸b/s» --hashlimit-name a\nCOMMIT\n', has: ['10 bytes a second'], hasNot: ['MiB'] },
    { code: '*filter\n-A INPUT -m hashlimit --hashlimit-upto «1/‸h» --hashlimit-name a\nCOMMIT\n', has: ['1 packet an hour, one every 1 h on average'] },
    { code: '*filter\n-A INPUT -p tcp --tcp-flags «SYN,R‸ST» SYN -j DROP\nCOMMIT\n', has: ['Flags examined', '`RST`: reset'] },
    { code: '*filter\n-A INPUT -p tcp --tcp-flags SYN,RST «S‸YN» -j DROP\nCOMMIT\n', has: ['must be set', '`SYN`: synchronize'] },
    { code: '*filter\n-A INPUT -p icmp -m icmp --icmp-type «‸8» -j ACCEPT\nCOMMIT\n', has: ['type 8: `echo-request`, ping'] },
    { code: '*filter\n-A INPUT -p icmp --icmp-type «ec‸ho-request» -j ACCEPT\nCOMMIT\n', has: ['type 8: ping'] },
    { code: '*filter\n-A INPUT -p icmp --icmp-type «‸3/4» -j ACCEPT\nCOMMIT\n', has: ['type 3, code 4: `destination-unreachable`'] },
    { code: '*filter\n-A INPUT -p ipv6-icmp --icmpv6-type «neighbour-sol‸icitation» -j ACCEPT\nCOMMIT\n', family: 'ipv6', has: ['type 135', 'never block it'] },
    { code: '*filter\n-A INPUT -p icmpv6 --icmpv6-type «1‸28» -j ACCEPT\nCOMMIT\n', family: 'ipv6', has: ['type 128: `echo-request`'] },
    { code: '*filter\n-A INPUT -p tcp --dport «‸22» -j ACCEPT\nCOMMIT\n', has: ['port 22 (ssh)'] },
    { code: '*filter\n-A INPUT -p tcp --dport «ht‸tps» -j ACCEPT\nCOMMIT\n', has: ['port 443 (https)'] },
    { code: '*filter\n-A INPUT -p tcp --dport «‸1024:65535» -j ACCEPT\nCOMMIT\n', has: ['ports 1024–65535 (64,512 ports)'] },
    // Ports as each option reads them: octal in tcp; cut to 16 bits in udp and conntrack (iptables-save
    // shows 21, 4464 and 1024:0).
    { code: '*filter\n-A INPUT -p tcp --dport «‸0025» -j ACCEPT\nCOMMIT\n', has: ['port 21 (ftp)'] },
    { code: '*filter\n-A INPUT -p udp --dport «‸70000» -j ACCEPT\nCOMMIT\n', has: ['port 4464, as the C library cuts 70000 to 16 bits'] },
    { code: '*filter\n-A INPUT -p udp --dport «‸1024:65536» -j ACCEPT\nCOMMIT\n', has: ['ports 1024–0: first above last, so no port'] },
    { code: '*filter\n-A INPUT -m conntrack --ctorigdstport «‸53» -j ACCEPT\nCOMMIT\n', has: ['port 53 (domain)'] },
    { code: '*filter\n-A INPUT -p tcp --sport «:10‸23» -j ACCEPT\nCOMMIT\n', has: ['ports 0–1023 (1,024 ports)'] },
    { code: '*filter\n-A INPUT -p tcp -m multiport --dports «22,80,‸443:445» -j ACCEPT\nCOMMIT\n', has: ['port 22 (ssh)', 'port 80 (http)', 'ports 443–445 (3 ports)'] },
    { code: '*filter\n-A INPUT -p udp --dport «myserv‸ice» -j ACCEPT\nCOMMIT\n', has: ['/etc/services'] },
    { code: '*nat\n-A POSTROUTING -p tcp -j MASQUERADE --to-ports «1024-‸65535»\nCOMMIT\n', has: ['ports 1024–65535'] },
    { code: '*filter\n-A INPUT -m pkttype --pkt-type «broad‸cast» -j DROP\nCOMMIT\n', has: ['every host of the link'] },
    { code: '*filter\n-A INPUT -m addrtype --dst-type «LO‸CAL» -j ACCEPT\nCOMMIT\n', has: ['an address of this host'] },
    { code: '*filter\n-A INPUT -m conntrack --ctdir «REP‸LY» -j ACCEPT\nCOMMIT\n', has: ['answers'] },
    { code: '*filter\n-A INPUT -p sctp -m sctp --chunk-types any «DA‸TA» -j ACCEPT\nCOMMIT\n', has: ['Accepted values:'] },
    // A value without a special explanation falls back to the option's documentation.
    { code: '*filter\n-A INPUT -j LOG --log-prefix «"dro‸p: "»\nCOMMIT\n', has: ['`--log-prefix`'] },
  ]);
});

describe('hover: nothing where there is nothing to say', () => {
  for (const code of ['# a comm‸ent\n*filter\nCOMMIT\n', '*filter\n‸\nCOMMIT\n', '*filter\n-A INPUT  ‸  -j ACCEPT\nCOMMIT\n', '‸']) {
    test(caseName(code, undefined), () => {
      const { text, cursor } = marked(code);
      assert.equal(hoverOf(text, cursor), undefined);
    });
  }
});

describe('hover on the libvirt reference ruleset (examples/etc/sysconfig/iptables)', () => {
  const text = readFileSync(resolve(__dirname, '../../examples/etc/sysconfig/iptables'), 'utf8');
  const { document, analysis } = lintIptables(text, { fileName: 'examples/etc/sysconfig/iptables' });
  const at = (needle: string, delta = 0): number => {
    const i = text.indexOf(needle);
    assert.ok(i !== -1, `${needle} is not in the reference ruleset`);
    return i + delta;
  };
  const cases: Array<[string, number, string, readonly string[]]> = [
    ['*nat', 1, 'nat', ['table `nat`']],
    [':LIBVIRT_INP', 1, 'LIBVIRT_INP', ['Rules: 4', 'Jumped to from: line 34 (`INPUT`)']],
    [':LIBVIRT_FWI', 3, 'LIBVIRT_FWI', ['Rules: 2', 'line 41 (`FORWARD`)', '`FORWARD`']],
    [':INPUT DROP', 8, 'DROP', ['dropped']],
    ['-j CHECKSUM', 5, 'CHECKSUM', ['Only in table `mangle`']],
    ['--checksum-fill', 3, '--checksum-fill', ['option of target `CHECKSUM`']],
    ['--ctstate RELATED,ESTABLISHED', 12, 'RELATED,ESTABLISHED', ['`RELATED`:', '`ESTABLISHED`:']],
    ['--icmp-type 8', 12, '8', ['echo-request']],
    ['--dport 22', 8, '22', ['port 22 (ssh)']],
    ['--dport 53', 8, '53', ['port 53 (domain)']],
    ['--dport 67', 8, '67', ['port 67 (bootps)']],
    ['-j MASQUERADE --to-ports', 20, '--to-ports', ['option of target `MASQUERADE`']],
    ['1024-65535', 2, '1024-65535', ['64,512 ports']],
    ['-d 255.255.255.255/32', 5, '255.255.255.255/32', ['limited broadcast']],
    ['! -d 192.168.122.0/24', 0, '!', ['does **not** hold']],
    ['--reject-with icmp-port-unreachable', 16, 'icmp-port-unreachable', ['port unreachable']],
    ['-j LIBVIRT_FWX', 4, 'LIBVIRT_FWX', ['user chain', 'Jump:']],
    ['-i br0', 4, 'br0', ['input interface']],
  ];
  for (const [needle, delta, word, has] of cases) {
    test(`${needle} @${delta}`, () => {
      const h = hoverAt(document, analysis, at(needle, delta));
      assert.ok(h, 'expected a hover');
      assert.equal(text.slice(h.span.start, h.span.end), word);
      for (const s of has) assert.ok(h.markdown.includes(s), `missing ${JSON.stringify(s)} in:\n${h.markdown}`);
    });
  }

  test('every offset: a hover, when there is one, covers the offset and is non-empty markdown', () => {
    let hovers = 0;
    for (let offset = 0; offset <= text.length; offset++) {
      const h = hoverAt(document, analysis, offset);
      if (!h) continue;
      hovers++;
      assert.ok(h.span.start <= offset && offset <= h.span.end, `hover at ${offset} reports ${h.span.start}-${h.span.end}`);
      assert.ok(h.markdown.trim().length > 0);
    }
    assert.ok(hovers > text.length / 2, `only ${hovers} of ${text.length} offsets have a hover`);
  });
});

describe('hover never throws on odd input', () => {
  const inputs = ['', '\0', '*', ':', '-A', '*filter\n-A INPUT -s\n', '*filter\n-A INPUT ! !\n', '*filter\r\n-A INPUT -j ACCEPT\r\nCOMMIT\r\n', '[1:2', '*filter\n-A INPUT --dport=22 -p tcp\n', '*filter\n-A INPUT -p tcp --dport=22\nCOMMIT\n', '*filter\n-A INPUT -m comment --comment "a \\" b" -j ACCEPT\nCOMMIT\n'];
  for (const input of inputs) {
    test(JSON.stringify(input), () => {
      const { document, analysis } = lintIptables(input);
      for (let offset = 0; offset <= input.length; offset++) hoverAt(document, analysis, offset);
    });
  }
  test('--dport=22 hovers as the port', () => {
    const text = '*filter\n-A INPUT -p tcp --dport=22 -j ACCEPT\nCOMMIT\n';
    const h = hoverOf(text, text.indexOf('=22') + 2);
    assert.ok(h);
    assert.equal(text.slice(h.span.start, h.span.end), '22');
    assert.ok(h.markdown.includes('port 22 (ssh)'));
  });
});

/* ---------------------------------------------------------------------------------------------
 * Findings of the LSP audit (/tmp/lsp-audit/REPORT.md #6 #11 #12 #20)
 * ------------------------------------------------------------------------------------------- */

describe('hover: --tcp-flags says what the pair matches (#6)', () => {
  runCases([
    {
      code: '*filter\n-A INPUT -p tcp --tcp-flags SYN,RST «A‸CK» -j DROP\nCOMMIT\n',
      has: ['`ACK`: acknowledgement', '**Never matches:** `ACK` is not among the examined flags (`SYN`, `RST`)'], hasNot: ['Of those, must be set'],
    },
    { code: '*filter\n-A INPUT -p tcp --tcp-flags «SY‸N,RST» ACK,FIN -j DROP\nCOMMIT\n', has: ['Flags examined', '**Never matches:** `ACK`, `FIN` are not among'] },
    { code: '*filter\n-A INPUT -p tcp ! --tcp-flags SYN,RST «A‸CK» -j DROP\nCOMMIT\n', has: ['(negated: every segment does)'] },
    { code: '*filter\n-A INPUT -p tcp --tcp-flags SYN,RST «S‸YN» -j DROP\nCOMMIT\n', has: ['must be set', '`SYN`: synchronize', 'Matches segments with `SYN` set and `RST` clear; the other flags may be anything'], hasNot: ['Never'] },
    { code: '*filter\n-A INPUT -p tcp --tcp-flags ALL «NO‸NE» -j DROP\nCOMMIT\n', has: ['Matches segments with none set and `SYN`, `ACK`, `FIN`, `RST`, `URG`, `PSH` clear.'] },
    { code: '*filter\n-A INPUT -p tcp --tcp-flags «A‸LL» ALL -j DROP\nCOMMIT\n', has: ['Flags examined', 'set and none clear.'] },
  ]);
});

describe('hover: the log prefix is cut by iptables, as the diagnostic says (#11)', () => {
  runCases([
    { code: '*filter\n-A INPUT -j LOG --log-prefix «"dro‸p: "»\nCOMMIT\n', has: ['iptables keeps at most the first 29 bytes'], hasNot: ['kernel keeps', 'Loads, with a warning'] },
    {
      code: '*filter\n-A INPUT -j LOG --log-prefix «"iptables INPUT denied ‸packet: "»\nCOMMIT\n',
      has: ['**Loads, with a warning:** the log prefix is 30 bytes long and iptables keeps only the first 29 ("iptables INPUT denied packet:")'], hasNot: ['kernel keeps'],
    },
  ]);
  test('the warning of the hover is the diagnostic\'s', () => {
    const text = '*filter\n-A INPUT -j LOG --log-prefix "iptables INPUT denied packet: "\nCOMMIT\n';
    const { findings } = lintIptables(text);
    const warning = findings.find((f) => f.ruleId === 'bad-value');
    assert.ok(warning);
    const h = hoverOf(text, text.indexOf('denied'));
    assert.ok(h?.markdown.includes(warning.message.replace(/^--log-prefix: /, '')), `${warning.message}\n---\n${h?.markdown}`);
  });
});

describe('hover: --reject-with reads a start of a name as iptables does (#12)', () => {
  runCases([
    // The first type in iptables' order wins, ambiguous or not (iptables-nft-save shows these).
    { code: '*filter\n-A INPUT -j REJECT --reject-with «icmp-h‸ost»\nCOMMIT\n', has: ['(read as `icmp-host-unreachable`, the first of `icmp-host-unreachable`, `icmp-host-prohibited`)', 'host unreachable', '**Loads, with a warning:** "icmp-host" is the start of 2 reject types, and iptables takes the first'] },
    { code: '*filter\n-A INPUT -j REJECT --reject-with «icmp-‸p»\nCOMMIT\n', has: ['(read as `icmp-proto-unreachable`, the first of', 'protocol unreachable'], hasNot: ['"port unreachable"'] },
    { code: '*filter\n-A INPUT -j REJECT --reject-with «icmp-port-unr‸»\nCOMMIT\n', has: ['(`icmp-port-unreachable`: iptables takes a start of the name)'] },
    { code: '*filter\n-A INPUT -j REJECT --reject-with «‸h»\nCOMMIT\n', has: ['`icmp-host-unreachable`'] },
    { code: '*filter\n-A INPUT -j REJECT «--reject-‸with» icmp-host\nCOMMIT\n', has: ['any start of a name or alias is taken, even one that several types share'], hasNot: ['unambiguous'] },
    { code: '*filter\n-A INPUT -j REJECT «--reject-‸with» icmp6-adm\nCOMMIT\n', family: 'ipv6', hasNot: ['unambiguous'] },
    // A name that is neither a chain nor a target: a near miss says what the diagnostic says, anything else how to declare it.
    { code: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j «ACC‸PET»\nCOMMIT\n', has: ['Did you mean `ACCEPT`?'], hasNot: ['Declare it'] },
    { code: '*filter\n:LIBVIRT_INP - [0:0]\n-A INPUT -j «LIBVIRT_I‸N»\nCOMMIT\n', has: ['Did you mean `LIBVIRT_INP` (a chain of this table)?'] },
    { code: '*filter\n-A INPUT -j «MY‸CHAIN»\nCOMMIT\n', has: ['Declare it with `:MYCHAIN - [0:0]`'], hasNot: ['Did you mean'] },
  ]);
  const skip = realToolsAvailable() ? {} : { skip: 'real tools unavailable' };
  test('iptables-nft-save agrees with the hover', skip, () => {
    for (const [written, full] of [['icmp-host', 'icmp-host-unreachable'], ['icmp-p', 'icmp-proto-unreachable'], ['h', 'icmp-host-unreachable'], ['host-prohib', 'icmp-host-prohibited']] as const) {
      const saved = nftSavedRules(`*filter\n-A INPUT -j REJECT --reject-with ${written}\nCOMMIT\n`);
      assert.ok(saved, 'the ruleset loads');
      assert.ok(saved.some((l) => l.endsWith(`--reject-with ${full}`)), `${written}: ${saved.join(' | ')}`);
      const text = `*filter\n-A INPUT -j REJECT --reject-with ${written}\nCOMMIT\n`;
      assert.ok(hoverOf(text, text.indexOf(written))?.markdown.includes(`\`${full}\``));
    }
  });
});

describe('hover: small gaps (#20)', () => {
  runCases([
    // The marker of a *table or :chain line hovers as the name.
    { code: '«‸*filter»\n:INPUT ACCEPT [0:0]\nCOMMIT\n', has: ['table `filter`', 'Built-in chains'] },
    { code: '*filter\n«‸:INPUT» DROP [0:0]\nCOMMIT\n', has: ['built-in chain of table `filter`', 'Policy: **DROP**'] },
    { code: '*filter\n«‸:FOO» - [0:0]\nCOMMIT\n', has: ['user chain of table `filter`'] },
    // A refused value says why, with the words of the diagnostic.
    { code: '*filter\n-A INPUT -p tcp --dport «‸70000» -j ACCEPT\nCOMMIT\n', has: ['**iptables refuses this value:** port 70000 is out of range 0-65535.'] },
    { code: '*filter\n-A INPUT -p udp --dport «‸70000» -j ACCEPT\nCOMMIT\n', has: ['**Loads, with a warning:** port 70000 is above 65535', 'port 4464, as the C library cuts 70000 to 16 bits'] },
    { code: '*filter\n-A INPUT -p tcp --tcp-flags «SYN,F‸OO» ACK -j DROP\nCOMMIT\n', has: ['**iptables refuses this value:** invalid TCP flag "FOO"'] },
    { code: '*filter\n-A INPUT -s «10.0.0.‸300» -j DROP\nCOMMIT\n', has: ['**iptables refuses this value:**'] },
    { code: '*filter\n-A INPUT -p tcp --dport «‸22» -j ACCEPT\nCOMMIT\n', hasNot: ['refuses', 'warning'] },
    // Marks and masks read as numbers.
    { code: '*mangle\n-A PREROUTING -j MARK --set-xmark «0x1/0x‸ff»\nCOMMIT\n', has: ['mark 0x1, mask 0xff: clears the low 8 bits of the packet mark, then XORs 0x1 in; the other 24 bits are left as they are.'] },
    { code: '*mangle\n-A PREROUTING -j MARK --set-xmark «0x0/0x‸ff»\nCOMMIT\n', has: ['mark 0x0, mask 0xff: clears the low 8 bits'] },
    { code: '*mangle\n-A PREROUTING -j MARK --set-mark «0x100/0x‸ff»\nCOMMIT\n', has: ['sets the low 8 bits of the packet mark to 0x0 and also sets bit 8, the value\'s bits outside the mask (iptables-save shows `--set-xmark 0x100/0x1ff`); the other 23 bits are left as they are.'] },
    { code: '*mangle\n-A PREROUTING -j MARK --set-mark «0x1/0x‸ff»\nCOMMIT\n', has: ['mark 0x1, mask 0xff: sets the low 8 bits of the packet mark to 0x1; the other 24 bits are left as they are.'] },
    { code: '*mangle\n-A PREROUTING -j MARK --set-mark «‸5»\nCOMMIT\n', has: ['mark 0x5: sets the packet mark to 0x5.'] },
    { code: '*mangle\n-A PREROUTING -j MARK --and-mark «0xf‸f00»\nCOMMIT\n', has: ['keeps bits 8-15 of the packet mark and clears the others'] },
    { code: '*mangle\n-A PREROUTING -j CONNMARK --set-xmark «0x2/0x‸f»\nCOMMIT\n', has: ['connection mark 0x2, mask 0xf: clears the low 4 bits of the connection mark'] },
    { code: '*filter\n-A INPUT -m mark --mark «0x1/0x‸ff» -j ACCEPT\nCOMMIT\n', has: ['matches when the low 8 bits of the packet mark equal 0x1'] },
    { code: '*filter\n-A INPUT -m connmark --mark «0x‸1» -j ACCEPT\nCOMMIT\n', has: ['matches when the connection mark is 0x1'] },
    { code: '*filter\n-A INPUT -m mark --mark «0x100/0x‸ff» -j ACCEPT\nCOMMIT\n', has: ['**never matches**', 'bits outside the mask (0x100)'] },
    { code: '*filter\n-A INPUT -m mark ! --mark «0x100/0x‸ff» -j ACCEPT\nCOMMIT\n', has: ['(negated: matches every packet)'] },
    { code: '*mangle\n-A PREROUTING -j MARK --set-xmark «0x1/0xf0f‸0»\nCOMMIT\n', has: ['the bits of 0xf0f0'] },
  ]);
  test('iptables-nft-save shows --set-mark 0x100/0xff as clearing bits 0-8 and setting 0x100, as the hover says', realToolsAvailable() ? {} : { skip: 'real tools unavailable' }, () => {
    const saved = nftSavedRules('*mangle\n-A PREROUTING -j MARK --set-mark 0x100/0xff\n-A PREROUTING -j MARK --and-mark 0xff00\nCOMMIT\n');
    assert.ok(saved);
    assert.ok(saved.includes('-A PREROUTING -j MARK --set-xmark 0x100/0x1ff'), saved.join(' | '));
    assert.ok(saved.includes('-A PREROUTING -j MARK --set-xmark 0x0/0xffff00ff'), saved.join(' | '));
  });
});
