import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { completeAt, expandSnippetDefaults, type CompletionEntry } from '../../server/src/iptables/completion.js';
import { TABLES } from '../../server/src/iptables/kb/tables.js';
import type { Family, TableName } from '../../server/src/iptables/kb/types.js';
import { lintIptables } from '../../server/src/iptables/lint.js';
import { realToolAccepts, realToolsAvailable } from '../helpers/realTools.js';
import { caseName, stripCursor } from '../helpers/ruleTester.js';


const marked = stripCursor;

function complete(text: string, offset: number, family?: Family): CompletionEntry[] {
  const { document, analysis } = lintIptables(text, family ? { family } : {});
  return completeAt(document, analysis, offset);
}

interface CompletionCase {
  /** `‸` marks the cursor; `«…»` the span the entries of `has` must replace. */
  readonly code: string;
  readonly family?: Family;
  readonly has?: readonly string[];
  readonly hasNot?: readonly string[];
  /** The labels, exactly (order ignored). */
  readonly exactly?: readonly string[];
}

function runCases(cases: readonly CompletionCase[]): void {
  for (const c of cases) {
    test(caseName(c.code, c.family), () => {
      const { text, cursor, ranges } = marked(c.code);
      const entries = complete(text, cursor, c.family);
      const labels = entries.map((e) => e.label);
      if (c.exactly) assert.deepEqual([...labels].sort(), [...c.exactly].sort());
      for (const want of c.has ?? []) {
        const e = entries.find((x) => x.label === want);
        assert.ok(e, `missing ${want} in [${labels.join(', ')}]`);
        const range = ranges[0];
        if (range) assert.deepEqual(e.replaceSpan, range, `${want} replaces ${JSON.stringify(e.replaceSpan ? text.slice(e.replaceSpan.start, e.replaceSpan.end) : undefined)}`);
      }
      for (const not of c.hasNot ?? []) assert.ok(!labels.includes(not), `unexpected ${not} in [${labels.join(', ')}]`);
    });
  }
}

describe('completion at the start of a line', () => {
  runCases([
    { code: '‸', has: ['*filter', '*nat', '*mangle', '*raw', '*security', '*filter … COMMIT'], hasNot: ['-A', 'COMMIT', ':NAME - [0:0]', 'stateful accept'] },
    { code: '# header\n‸', has: ['*filter'] },
    {
      code: '*filter\n‸',
      has: ['-A', '-I', '-N', '-P', '-D', '-F', '-X', 'COMMIT', ':NAME - [0:0]', ':INPUT ACCEPT [0:0]', 'stateful accept', 'allow SSH', 'reject the rest', 'forward guest network'],
      hasNot: ['*filter', '*nat', 'masquerade network', 'DHCP checksum fill'],
    },
    { code: '*filter\n:INPUT DROP [0:0]\n‸', has: [':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]'], hasNot: [':INPUT ACCEPT [0:0]'] },
    { code: '*filter\nCOMMIT\n‸', has: ['*nat'], hasNot: ['COMMIT', '-A'] },
    // COMMIT only while the table has none.
    { code: '*filter\n-A INPUT -j ACCEPT\n‸\nCOMMIT\n', has: ['-A', 'stateful accept'], hasNot: ['COMMIT', '*nat'] },
    { code: '*filter\n-A INPUT -j ACCEPT\n«CO‸»', has: ['COMMIT'] },
    { code: '*nat\n‸', has: ['masquerade network', 'DNAT port forward', 'SNAT to a fixed address', ':POSTROUTING ACCEPT [0:0]'], hasNot: ['stateful accept', 'DHCP checksum fill', ':FORWARD ACCEPT [0:0]'] },
    { code: '*mangle\n‸', has: ['DHCP checksum fill', 'clamp MSS to PMTU'], hasNot: ['masquerade network'] },
    { code: '*raw\n‸', has: ['skip connection tracking'], hasNot: ['stateful accept'] },
    { code: '*filter\n«-‸»', has: ['-A', '-I'] },
    { code: '*filter\n«-A‸»', has: ['-A'] },
    // After counters only a command can follow.
    { code: '*filter\n[0:0] ‸', has: ['-A', '-I'], hasNot: ['COMMIT', ':NAME - [0:0]', 'stateful accept'] },
    { code: '*filter\n[0:‸', exactly: [] },
  ]);
});

describe('completion of *table and :chain lines', () => {
  runCases([
    { code: '*‸', exactly: ['filter', 'nat', 'mangle', 'raw', 'security'] },
    { code: '*«fil‸»', has: ['filter'] },
    { code: '*«fi‸lter»\n', has: ['filter', 'nat'] },
    // A table is still open: COMMIT it before the next one.
    { code: '*filter\n*‸', exactly: [] },
    { code: '*filter\n:‸', exactly: ['INPUT', 'FORWARD', 'OUTPUT'] },
    { code: '*nat\n:PREROUTING ACCEPT [0:0]\n:«PO‸»', exactly: ['INPUT', 'OUTPUT', 'POSTROUTING'], has: ['POSTROUTING'] },
    { code: '*filter\n:INPUT ‸', exactly: ['ACCEPT', 'DROP'] },
    { code: '*filter\n:INPUT «D‸»', has: ['DROP'] },
    { code: '*filter\n:LIBVIRT_INP ‸', exactly: ['-'] },
    { code: '*filter\n:FOO - ‸', exactly: ['[0:0]'] },
    { code: ':‸', exactly: [] },
  ]);
});

describe('completion of command values (chains, policies)', () => {
  runCases([
    { code: '*filter\n:FOO - [0:0]\n-A ‸', exactly: ['INPUT', 'FORWARD', 'OUTPUT', 'FOO'] },
    { code: '*nat\n-A ‸', exactly: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'] },
    { code: '*filter\n-A «IN‸»', has: ['INPUT'] },
    { code: '*filter\n-A «IN‸PUT» -j ACCEPT\nCOMMIT\n', has: ['INPUT'] },
    { code: '*filter\n:FOO - [0:0]\n-I ‸', has: ['INPUT', 'FOO'] },
    { code: '*filter\n:FOO - [0:0]\n-X ‸', exactly: ['FOO'] },
    { code: '*filter\n:FOO - [0:0]\n-E ‸', exactly: ['FOO'] },
    { code: '*filter\n:FOO - [0:0]\n-E FOO ‸', exactly: [] },
    { code: '*filter\n:FOO - [0:0]\n-P ‸', exactly: ['INPUT', 'FORWARD', 'OUTPUT'] },
    { code: '*filter\n-P FORWARD ‸', exactly: ['ACCEPT', 'DROP'] },
    { code: '*filter\n-N ‸', exactly: [] },
    { code: '*filter\n-F INPUT ‸', exactly: [] },
    // Chains are per table.
    { code: '*nat\n:NATONLY - [0:0]\nCOMMIT\n*filter\n-A ‸', hasNot: ['NATONLY', 'PREROUTING'] },
  ]);
});

describe('completion of options', () => {
  runCases([
    { code: '*filter\n-A INPUT ‸', has: ['-p', '-s', '-d', '-i', '-m', '-j', '-g', '-f'], hasNot: ['-o', '-t', '-w', '-W', '-A', '--dport', '--ctstate'] },
    { code: '*filter\n-A OUTPUT ‸', has: ['-o'], hasNot: ['-i'] },
    { code: '*nat\n-A POSTROUTING ‸', has: ['-o'], hasNot: ['-i'] },
    { code: '*nat\n-A PREROUTING ‸', has: ['-i'], hasNot: ['-o'] },
    { code: '*filter\n-A INPUT ‸', family: 'ipv6', hasNot: ['-f'] },
    { code: '*filter\n-A INPUT -p tcp ‸', has: ['--dport', '--sport', '--syn', '--tcp-flags', '-m', '-j'], hasNot: ['-p'] },
    { code: '*filter\n-A INPUT -p tcp --dport 22 ‸', has: ['--sport', '--syn'], hasNot: ['--dport', '-p'] },
    { code: '*filter\n-A INPUT -p tcp «--dp‸»', has: ['--dport'] },
    { code: '*filter\n-A INPUT -p tcp «--dp‸ort» -j ACCEPT\nCOMMIT\n', has: ['--dport'] },
    { code: '*filter\n-A INPUT -p udp ‸', has: ['--dport', '--sport'], hasNot: ['--syn', '--tcp-flags'] },
    { code: '*filter\n-A INPUT -p tcp -m tcp ‸', has: ['--dport'] },
    // A negated protocol loads no match.
    { code: '*filter\n-A INPUT ! -p tcp ‸', hasNot: ['--dport'] },
    { code: '*filter\n-A INPUT -m conntrack ‸', has: ['--ctstate', '--ctstatus', '--ctorigsrc'] },
    { code: '*filter\n-A INPUT -m conntrack --ctstate NEW ‸', has: ['--ctstatus', '-j'], hasNot: ['--ctstate'] },
    { code: '*filter\n-A INPUT -p tcp -m multiport ‸', has: ['--dports', '--sports', '--ports', '--dport'] },
    { code: '*filter\n-A INPUT -j REJECT ‸', has: ['--reject-with', '-p'], hasNot: ['-j', '-g'] },
    { code: '*filter\n-A INPUT -j LOG ‸', has: ['--log-prefix', '--log-level'] },
    { code: '*filter\n:FOO - [0:0]\n-A INPUT -j FOO ‸', has: ['-p'], hasNot: ['-j', '-g', '--reject-with'] },
    // After "!" only options that can be negated.
    { code: '*filter\n-A INPUT -p tcp ! ‸', has: ['--dport', '-s', '-d', '-i'], hasNot: ['-m', '-j', '-g', '-p', '--tcp-option-x'] },
    { code: '*filter\n-A INPUT «--‸»', has: ['--protocol', '--source', '--jump', '--match'], hasNot: ['-p'] },
    { code: '*filter\n-A INPUT -m comment --comment "a b" ‸', has: ['-j'], hasNot: ['--comment'] },
    { code: '*filter\n-A INPUT -m comment --comment "a b‸', exactly: [] },
    { code: '*filter\n-A INPUT x‸', exactly: [] },
    // Options written after the cursor are not offered again.
    { code: '*filter\n-A INPUT ‸ -p tcp --dport 22 -j ACCEPT\nCOMMIT\n', has: ['-s', '-m'], hasNot: ['-p', '-j', '-g'] },
    { code: '*filter\n-A INPUT -p tcp ‸ --dport 22 -j ACCEPT\nCOMMIT\n', has: ['--sport', '--syn'], hasNot: ['--dport', '-j'] },
    { code: '*filter\n-A INPUT -p tcp «--d‸» --sport 1 -j ACCEPT\nCOMMIT\n', has: ['--dport'] },
    { code: '*filter\n-A INPUT -p icmp ‸', has: ['--icmp-type'] },
    { code: '*filter\n-A INPUT -p icmpv6 ‸', family: 'ipv6', has: ['--icmpv6-type'] },
  ]);
});

describe('completion of option values', () => {
  runCases([
    { code: '*filter\n-A INPUT -p ‸', has: ['tcp', 'udp', 'icmp', 'all', 'sctp'], hasNot: ['icmpv6', 'ipv6-icmp'] },
    { code: '*filter\n-A INPUT -p ‸', family: 'ipv6', has: ['tcp', 'icmpv6', 'ipv6-icmp'], hasNot: ['icmp'] },
    { code: '*filter\n-A INPUT -p «u‸»', has: ['udp'] },
    { code: '*filter\n-A INPUT -m ‸', has: ['conntrack', 'state', 'comment', 'limit', 'iprange', 'mac'], hasNot: ['tcp', 'udp', 'multiport', 'icmp', 'owner'] },
    { code: '*filter\n-A OUTPUT -m ‸', has: ['owner'], hasNot: ['mac'] },
    { code: '*filter\n-A INPUT -p tcp -m ‸', has: ['tcp', 'multiport', 'conntrack'], hasNot: ['udp', 'icmp'] },
    { code: '*filter\n-A INPUT -p 6 -m ‸', has: ['tcp', 'multiport'], hasNot: ['udp'] },
    // -p reads numbers as C does (0x6 and 06 are tcp) and names in any case.
    { code: '*filter\n-A INPUT -p 0x6 -m ‸', has: ['tcp', 'multiport'], hasNot: ['udp'] },
    { code: '*filter\n-A INPUT -p TCP -m ‸', has: ['tcp'], hasNot: ['udp'] },
    { code: '*filter\n-A INPUT -p 0x6 ‸', has: ['--dport', '--syn'] },
    { code: '*filter\n-A INPUT -p udp -m ‸', has: ['udp', 'multiport'], hasNot: ['tcp'] },
    { code: '*filter\n-A INPUT -p icmp -m ‸', has: ['icmp'], hasNot: ['multiport', 'icmp6'] },
    { code: '*filter\n-A INPUT -p icmpv6 -m ‸', family: 'ipv6', has: ['icmp6'], hasNot: ['icmp'] },
    { code: '*filter\n-A INPUT -m conntrack -m ‸', has: ['state'], hasNot: ['conntrack'] },
    { code: '*filter\n-A INPUT -m «conn‸»', has: ['conntrack', 'connmark'] },
    {
      code: '*filter\n:FOO - [0:0]\n:BAR - [0:0]\n-A INPUT -j ‸',
      has: ['ACCEPT', 'DROP', 'RETURN', 'QUEUE', 'REJECT', 'LOG', 'NFLOG', 'FOO', 'BAR'],
      hasNot: ['MASQUERADE', 'DNAT', 'SNAT', 'REDIRECT', 'CHECKSUM', 'INPUT', 'NOTRACK'],
    },
    { code: '*filter\n:FOO - [0:0]\n:BAR - [0:0]\n-A FOO -j ‸', has: ['BAR'], hasNot: ['FOO'] },
    { code: '*nat\n-A POSTROUTING -j ‸', has: ['MASQUERADE', 'SNAT', 'ACCEPT', 'RETURN'], hasNot: ['DNAT', 'REDIRECT', 'REJECT', 'CHECKSUM'] },
    { code: '*nat\n-A PREROUTING -j ‸', has: ['DNAT', 'REDIRECT'], hasNot: ['MASQUERADE', 'SNAT'] },
    { code: '*nat\n-A OUTPUT -j ‸', has: ['DNAT', 'REDIRECT'], hasNot: ['MASQUERADE'] },
    { code: '*mangle\n-A POSTROUTING -j ‸', has: ['CHECKSUM', 'MARK', 'TCPMSS'], hasNot: ['MASQUERADE', 'REJECT'] },
    { code: '*raw\n-A PREROUTING -j ‸', has: ['CT', 'NOTRACK'], hasNot: ['MASQUERADE', 'REJECT'] },
    // A user chain is offered what every built-in chain that reaches it allows.
    { code: '*nat\n:MASQ - [0:0]\n-A POSTROUTING -j MASQ\n-A MASQ -j ‸', has: ['MASQUERADE', 'RETURN'], hasNot: ['DNAT', 'MASQ'] },
    { code: '*nat\n:X - [0:0]\n-A POSTROUTING -j X\n-A PREROUTING -j X\n-A X -j ‸', hasNot: ['DNAT', 'MASQUERADE'] },
    // A chain that a later -E renames: its hooks are those of the renamed chain.
    { code: '*nat\n:OLD - [0:0]\n-A POSTROUTING -j OLD\n-A OLD -j ‸\n-E OLD NEW\n', has: ['MASQUERADE', 'SNAT'], hasNot: ['DNAT', 'REDIRECT'] },
    { code: '*filter\n-A INPUT -j ‸', family: 'ipv6', has: ['REJECT'] },
    // ip6tables compares -p after the extension headers: those names never match there; hopopt is "all".
    { code: '*filter\n-A INPUT -p ‸', family: 'ipv6', has: ['tcp', 'ipv6-icmp', 'esp', 'ipv6-nonxt'], hasNot: ['ipv6-frag', 'ipv6-route', 'ipv6-opts', 'ah', 'hopopt'] },
    { code: '*filter\n-A INPUT -p ‸', has: ['tcp', 'icmp', 'ah', 'esp'], hasNot: ['ipv6-frag', 'hopopt'] },
    { code: '*filter\n-A INPUT -j «MAS‸»', has: ['ACCEPT'] },
    { code: '*filter\n:FOO - [0:0]\n-A INPUT -g ‸', exactly: ['FOO'] },
    { code: '*filter\n-A INPUT -m conntrack --ctstate ‸', has: ['NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED'] },
    { code: '*filter\n-A INPUT -m conntrack --ctstate RELATED,«‸»', has: ['ESTABLISHED', 'NEW'], hasNot: ['RELATED'] },
    { code: '*filter\n-A INPUT -m conntrack --ctstate RELATED,«EST‸»', has: ['ESTABLISHED'] },
    { code: '*filter\n-A INPUT -m state --state ‸', has: ['NEW', 'ESTABLISHED'] },
    { code: '*filter\n-A INPUT -j REJECT --reject-with ‸', has: ['icmp-host-prohibited', 'icmp-port-unreachable'], hasNot: ['icmp6-adm-prohibited', 'tcp-reset'] },
    { code: '*filter\n-A INPUT -p tcp -j REJECT --reject-with ‸', has: ['icmp-host-prohibited', 'icmp-port-unreachable', 'tcp-reset'], hasNot: ['icmp6-adm-prohibited'] },
    { code: '*filter\n-A INPUT -j REJECT --reject-with ‸', family: 'ipv6', has: ['icmp6-adm-prohibited'], hasNot: ['icmp-host-prohibited', 'tcp-reset'] },
    { code: '*filter\n-A INPUT -p tcp -j REJECT --reject-with ‸', family: 'ipv6', has: ['icmp6-adm-prohibited', 'tcp-reset'], hasNot: ['icmp-host-prohibited'] },
    { code: '*filter\n-A INPUT -j LOG --log-level ‸', has: ['warning', 'debug', 'info'] },
    { code: '*filter\n-A INPUT -p tcp --tcp-flags ‸', has: ['SYN', 'ACK', 'ALL'] },
    { code: '*filter\n-A INPUT -p tcp --tcp-flags SYN,RST,ACK ‸', has: ['SYN', 'RST'] },
    { code: '*filter\n-A INPUT -p icmp --icmp-type ‸', has: ['echo-request', 'destination-unreachable'] },
    { code: '*filter\n-A INPUT -p icmpv6 --icmpv6-type ‸', family: 'ipv6', has: ['neighbour-solicitation', 'echo-request'] },
    { code: '*filter\n-A INPUT -i virbr0 -j ACCEPT\n-A FORWARD -o br0 -j ACCEPT\n-A FORWARD -i ‸', exactly: ['virbr0', 'br0'] },
    { code: '*nat\n-A POSTROUTING -s 192.168.122.0/24 -j MASQUERADE\nCOMMIT\n*filter\n-A FORWARD -d ‸', exactly: ['192.168.122.0/24'] },
    // No list of values: nothing to offer, and no options in a value position either.
    // Ports: those a KVM host's rules name most, per protocol (any other can be typed).
    { code: '*filter\n-A INPUT -p tcp --dport ‸', has: ['22', '16509', '5900:5999', '49152:49215'], hasNot: ['67'] },
    { code: '*filter\n-A INPUT -i virbr0 -p udp -m udp --dport ‸', has: ['53', '67', '69'], hasNot: ['22', '16509', '547'] },
    { code: '*filter\n-A INPUT -i virbr0 -p udp --dport ‸', family: 'ipv6', has: ['53', '547'], hasNot: ['67', '68'] },
    { code: '*filter\n-A INPUT -p tcp --sport ‸', exactly: [] },
    // The end of a range: no entry fits there (each would replace "5900:").
    { code: '*filter\n-A INPUT -p tcp --dport 5900:‸', exactly: [] },
    { code: '*filter\n-A INPUT -p tcp --tcp-flags SYN,«‸»', has: ['ACK', 'RST'], hasNot: ['ALL', 'NONE', 'SYN'] },
    { code: '*filter\n-A INPUT -p sctp --dport ‸', exactly: [] },
    { code: '*filter\n-A INPUT -j LOG --log-prefix ‸', exactly: [] },
  ]);
});

describe('completion of interfaces from the machine the server runs on', () => {
  const host = {
    interfaces: [
      { name: 'br0', kind: 'bridge' as const },
      { name: 'enp3s0', kind: 'bridge port' as const, master: 'br0' },
      { name: 'lo', kind: 'loopback' as const },
      { name: 'virbr0', kind: 'bridge' as const },
      { name: 'vnet0', kind: 'tun/tap' as const },
      { name: 'vnet1', kind: 'tun/tap' as const },
    ],
  };
  const at = (code: string): CompletionEntry[] => {
    const { text, cursor } = marked(code);
    const { document, analysis } = lintIptables(text, { family: 'ipv4' });
    return completeAt(document, analysis, cursor, host);
  };
  test('-i: the names the file uses first, then the host\'s, then a wildcard for the guests\' taps', () => {
    const entries = at('*filter\n-A FORWARD -o virbr0 -j ACCEPT\n-A FORWARD -i ‸');
    const sorted = [...entries].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((e) => e.label);
    assert.deepEqual(sorted, ['virbr0', 'br0', 'enp3s0', 'lo', 'vnet0', 'vnet1', 'vnet+']);
    assert.match(entries.find((e) => e.label === 'enp3s0')?.detail ?? '', /bridge port on this machine \(in bridge br0\)/);
    assert.match(entries.find((e) => e.label === 'vnet+')?.detail ?? '', /2 on this machine/);
    assert.match(entries.find((e) => e.label === 'virbr0')?.detail ?? '', /used 1 time in this file/);
  });
  test('--physdev-in: bridge ports and taps only', () => {
    const labels = at('*filter\n-A FORWARD -m physdev --physdev-in ‸').map((e) => e.label);
    assert.deepEqual([...labels].sort(), ['enp3s0', 'vnet+', 'vnet0', 'vnet1']);
  });
  test('without host facts (the CLI, tests): only the file\'s names', () => {
    const { text, cursor } = marked('*filter\n-A FORWARD -i ‸');
    const { document, analysis } = lintIptables(text, { family: 'ipv4' });
    assert.deepEqual(completeAt(document, analysis, cursor), []);
  });
});

describe('completion on the libvirt reference ruleset (examples/etc/sysconfig/iptables)', () => {
  const text = readFileSync(resolve(__dirname, '../../examples/etc/sysconfig/iptables'), 'utf8');
  const { document, analysis } = lintIptables(text, { fileName: 'examples/etc/sysconfig/iptables' });
  const after = (needle: string): number => {
    const i = text.indexOf(needle);
    assert.ok(i !== -1, `${needle} is not in the reference ruleset`);
    return i + needle.length;
  };
  const labels = (offset: number): string[] => completeAt(document, analysis, offset).map((e) => e.label);

  test('-j in INPUT: verdicts, REJECT, the user chains, not the NAT targets', () => {
    const l = labels(after('-A INPUT -j '));
    for (const want of ['ACCEPT', 'DROP', 'REJECT', 'LIBVIRT_INP', 'LIBVIRT_FWX', 'LIBVIRT_FWI', 'LIBVIRT_FWO']) assert.ok(l.includes(want), want);
    for (const not of ['MASQUERADE', 'DNAT', 'CHECKSUM', 'INPUT']) assert.ok(!l.includes(not), not);
  });
  test('-A in the nat table: the nat chains', () => {
    const l = labels(after('*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A '));
    assert.deepEqual([...l].sort(), ['INPUT', 'OUTPUT', 'POSTROUTING', 'PREROUTING']);
  });
  test('-i offers the interfaces of the file', () => {
    const l = labels(after('-A LIBVIRT_INP -i '));
    for (const want of ['virbr0', 'br0', 'lo']) assert.ok(l.includes(want), want);
  });
  test('every offset: entries replace a span on the cursor line that contains the cursor', () => {
    let total = 0;
    for (let offset = 0; offset <= text.length; offset++) {
      for (const e of completeAt(document, analysis, offset)) {
        total++;
        const r = e.replaceSpan;
        assert.ok(r, `${e.label} at ${offset} has no replace span`);
        assert.ok(r.start <= offset && offset <= r.end, `${e.label} at ${offset} replaces ${r.start}-${r.end}`);
        assert.ok(!text.slice(r.start, r.end).includes('\n'), `${e.label} at ${offset} replaces across lines`);
      }
    }
    assert.ok(total > 1000);
  });
});

describe('what completion offers is legal where it is offered', () => {
  const tables: TableName[] = ['filter', 'nat', 'mangle', 'raw', 'security'];
  for (const family of ['ipv4', 'ipv6'] as const) {
    for (const table of tables) {
      test(`${family} ${table}: no offered target or match is refused for its table or chain`, () => {
        for (const chain of TABLES[table]) {
          const text = `*${table}\n-A ${chain} -j \nCOMMIT\n`;
          const targets = complete(text, text.indexOf(' -j ') + 4, family).map((e) => e.label);
          assert.ok(targets.length > 4, `${table} ${chain}: only ${targets.join(', ')}`);
          for (const t of targets) {
            const findings = lintIptables(`*${table}\n-A ${chain} -j ${t}\nCOMMIT\n`, { family }).findings;
            // Targets the kernel removed are offered last, with that said (tested below), for hosts on older kernels.
            const refused = findings.filter((f) => (f.ruleId === 'target-not-allowed' && !/was removed from the kernel/.test(f.message)) || f.ruleId === 'family-mismatch' || f.ruleId === 'undefined-chain');
            assert.deepEqual(refused.map((f) => f.message), [], `${table} ${chain} -j ${t}`);
          }
          const mtext = `*${table}\n-A ${chain} -p tcp -m \nCOMMIT\n`;
          for (const m of complete(mtext, mtext.indexOf(' -m ') + 4, family).map((e) => e.label)) {
            const findings = lintIptables(`*${table}\n-A ${chain} -p tcp -m ${m}\nCOMMIT\n`, { family }).findings;
            const refused = findings.filter((f) => ['target-not-allowed', 'option-needs-protocol', 'family-mismatch', 'unknown-module', 'unknown-extension'].includes(f.ruleId));
            assert.deepEqual(refused.map((f) => f.message), [], `${table} ${chain} -p tcp -m ${m}`);
          }
        }
      });
    }
  }
});

describe('snippets expand to rulesets the real tools accept', () => {
  const skip = realToolsAvailable() ? undefined : 'real tools unavailable (needs root, unshare, iptables-nft-restore and iptables-legacy-restore)';
  test('expandSnippetDefaults', () => {
    assert.equal(expandSnippetDefaults('-A ${1|INPUT,FORWARD|} -s ${2:10.0.0.0/8} ! -d ${2} -j ${3:ACCEPT}$0'), '-A INPUT -s 10.0.0.0/8 ! -d 10.0.0.0/8 -j ACCEPT');
  });
  for (const family of ['ipv4', 'ipv6'] as const) {
    for (const table of ['filter', 'nat', 'mangle', 'raw'] as const) {
      test(`${family} ${table}: every rule snippet`, { ...(skip ? { skip } : {}) }, () => {
        const text = `*${table}\n\nCOMMIT\n`;
        const snippets = complete(text, text.indexOf('\n\n') + 1, family).filter((e) => e.kind === 'snippet');
        assert.ok(snippets.length > 0);
        const body = snippets.map((s) => expandSnippetDefaults(s.insertText ?? '')).join('\n');
        const ruleset = `*${table}\n${body}\nCOMMIT\n`;
        const verdict = realToolAccepts(ruleset, family);
        assert.ok(verdict.accepted, `${verdict.message}\n---\n${ruleset}`);
        const errors = lintIptables(ruleset, { family }).findings.filter((f) => f.severity === 'error');
        assert.deepEqual(errors.map((f) => `${f.ruleId}: ${f.message}`), []);
      });
    }
    test(`${family}: every table skeleton`, { ...(skip ? { skip } : {}) }, () => {
      const skeletons = complete('', 0, family).filter((e) => e.kind === 'snippet');
      assert.equal(skeletons.length, 5);
      const ruleset = skeletons.map((s) => expandSnippetDefaults(s.insertText ?? '')).join('');
      const verdict = realToolAccepts(ruleset, family);
      assert.ok(verdict.accepted, `${verdict.message}\n---\n${ruleset}`);
    });
  }
});

describe('completion never throws on odd input', () => {
  const inputs = ['', '\0', '*', ':', '-A', '"', '*filter\n-A INPUT -s\n', '*filter\n-A INPUT ! !\n', '*filter\r\n-A INPUT -j \r\nCOMMIT\r\n', '[1:2', '*filter\n-A INPUT --dport=22 -p tcp\n', '*filter\n-A INPUT -m comment --comment "a \\" b" -j ACCEPT\nCOMMIT\n', '*foo\n-A X -j \n'];
  for (const input of inputs) {
    test(JSON.stringify(input), () => {
      const { document, analysis } = lintIptables(input);
      for (let offset = 0; offset <= input.length; offset++) completeAt(document, analysis, offset);
    });
  }
  test('CRLF: the \\r is not part of the replaced word', () => {
    const text = '*filter\r\n-A INPUT -j ACC\r\nCOMMIT\r\n';
    const offset = text.indexOf('ACC') + 3;
    const e = complete(text, offset).find((x) => x.label === 'ACCEPT');
    assert.ok(e?.replaceSpan);
    assert.equal(text.slice(e.replaceSpan.start, e.replaceSpan.end), 'ACC');
  });
});

describe('completion: targets the kernel removed', () => {
  test('come last, saying since when', () => {
    const { text, cursor } = marked('*filter\n-A INPUT -j ‸');
    const entries = complete(text, cursor).sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
    assert.deepEqual(entries.slice(-2).map((e) => [e.label, e.detail]), [['CLUSTERIP', 'removed from Linux 6.3'], ['ULOG', 'removed from Linux 3.17']]);
    assert.equal(entries.find((e) => e.label === 'NFLOG')?.detail, 'target (non-terminating)');
  });
});

/* ---------------------------------------------------------------------------------------------
 * Findings of the LSP audit (/tmp/lsp-audit/REPORT.md #6 #7 #8 #9 #17)
 * ------------------------------------------------------------------------------------------- */

/** The document after accepting `label` at the cursor (a snippet with its defaults). */
function accept(code: string, label: string, family?: Family): { entry: CompletionEntry; result: string } {
  const { text, cursor } = marked(code);
  const entry = complete(text, cursor, family).find((e) => e.label === label);
  assert.ok(entry?.replaceSpan, `no ${label} at the cursor`);
  const inserted = entry.isSnippet ? expandSnippetDefaults(entry.insertText ?? entry.label) : entry.insertText ?? entry.label;
  return { entry, result: text.slice(0, entry.replaceSpan.start) + inserted + text.slice(entry.replaceSpan.end) };
}

/** Labels in the order an editor shows them (sortText, then label). */
function ordered(code: string, family?: Family): string[] {
  const { text, cursor } = marked(code);
  return complete(text, cursor, family)
    .sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label) || a.label.localeCompare(b.label))
    .map((e) => e.label);
}

const realSkip = realToolsAvailable() ? {} : { skip: 'real tools unavailable (needs root, unshare, iptables-nft-restore and iptables-legacy-restore)' };

describe('completing an option inside a word whose value follows inserts the name only (#7)', () => {
  const cases: ReadonlyArray<{ code: string; label: string; insert: string; snippet: boolean; result?: string }> = [
    { code: '*filter\n-A INPUT -p tcp --dp‸ort 22 -j ACCEPT\nCOMMIT\n', label: '--dport', insert: '--dport', snippet: false, result: '-A INPUT -p tcp --dport 22 -j ACCEPT' },
    { code: '*filter\n-A INPUT -p tcp --sp‸ 1024:65535 -j ACCEPT\nCOMMIT\n', label: '--sport', insert: '--sport', snippet: false, result: '-A INPUT -p tcp --sport 1024:65535 -j ACCEPT' },
    { code: '*filter\n-A INPUT -m conntrack --ctst‸ate NEW -j ACCEPT\nCOMMIT\n', label: '--ctstate', insert: '--ctstate', snippet: false, result: '-A INPUT -m conntrack --ctstate NEW -j ACCEPT' },
    { code: '*filter\n-A INPUT -‸p tcp -j ACCEPT\nCOMMIT\n', label: '-p', insert: '-p', snippet: false, result: '-A INPUT -p tcp -j ACCEPT' },
    // No value after the word: the placeholder (or the blank before the offered values) stays.
    { code: '*filter\n-A INPUT -p tcp --dp‸\nCOMMIT\n', label: '--dport', insert: '--dport ${1:port[:port]}', snippet: true },
    { code: '*filter\n-A INPUT -p tcp --dp‸ -j ACCEPT\nCOMMIT\n', label: '--dport', insert: '--dport ${1:port[:port]}', snippet: true },
    { code: '*filter\n-A INPUT -p tcp ‸ ! --syn -j ACCEPT\nCOMMIT\n', label: '--dport', insert: '--dport ${1:port[:port]}', snippet: true },
    { code: '*filter\n-A INPUT -‸\nCOMMIT\n', label: '-p', insert: '-p ', snippet: false },
  ];
  for (const c of cases) {
    test(caseName(c.code, undefined), () => {
      const { entry, result } = accept(c.code, c.label);
      assert.equal(entry.insertText, c.insert);
      assert.equal(entry.isSnippet === true, c.snippet);
      if (c.result) assert.equal(result.split('\n')[1], c.result);
    });
  }
  test('the accepted rule loads with the real tools', realSkip, () => {
    for (const c of cases.filter((x) => x.result)) {
      const { result } = accept(c.code, c.label);
      const verdict = realToolAccepts(result, 'ipv4');
      assert.ok(verdict.accepted, `${verdict.message}\n---\n${result}`);
    }
  });
});

describe('no options where the option before still needs its value (#8)', () => {
  runCases([
    // ip6tables has no --icmp-type (family-mismatch says to write --icmpv6-type): an icmpv6 name
    // after it would still leave a line ip6tables refuses, and an option would become its value.
    { code: '*filter\n-A INPUT -p icmpv6 --icmp-type ‸', family: 'ipv6', exactly: [] },
    { code: '*filter\n-A INPUT -p icmpv6 --icmp-type «-‸»', family: 'ipv6', exactly: [] },
    // An ambiguous abbreviation whose every reading takes a value.
    { code: '*filter\n-A INPUT -m conntrack --ctst ‸', exactly: [] },
    // An option that takes no value where kvmnet knows it: the options go on.
    { code: '*filter\n-A INPUT -p udp --syn ‸', has: ['-j', '--dport'] },
    // An option of an extension kvmnet does not know: it cannot tell, so options are offered.
    { code: '*filter\n-A INPUT -m frobnicate --level ‸', has: ['-j'] },
    // -o in INPUT/PREROUTING and -i in OUTPUT/POSTROUTING: iptables refuses the option there.
    { code: '*filter\n-A FORWARD -i virbr0 -j ACCEPT\n-A INPUT -o ‸', exactly: [] },
    { code: '*filter\n-A FORWARD -o virbr0 -j ACCEPT\n-A OUTPUT -i ‸', exactly: [] },
    { code: '*nat\n-A POSTROUTING -o eth0 -j MASQUERADE\n-A PREROUTING -o ‸', exactly: [] },
    { code: '*nat\n-A PREROUTING -i eth0 -j ACCEPT\n-A POSTROUTING -i ‸', exactly: [] },
    { code: '*filter\n-A FORWARD -i virbr0 -j ACCEPT\n-A OUTPUT -o ‸', exactly: ['virbr0'] },
    { code: '*filter\n:FOO - [0:0]\n-A FORWARD -i virbr0 -j ACCEPT\n-A FOO -o ‸', exactly: ['virbr0'] },
  ]);
});

describe('--reject-with offers tcp-reset only to a TCP rule (#9)', () => {
  runCases([
    { code: '*filter\n-A INPUT -p udp -j REJECT --reject-with ‸', has: ['icmp-port-unreachable'], hasNot: ['tcp-reset', 'tcp-rst'] },
    { code: '*filter\n-A INPUT ! -p tcp -j REJECT --reject-with ‸', hasNot: ['tcp-reset', 'tcp-rst'] },
    { code: '*filter\n-A INPUT -p tcp -j REJECT --reject-with ‸', has: ['tcp-reset', 'tcp-rst'] },
    { code: '*filter\n-A INPUT -p 6 -j REJECT --reject-with ‸', has: ['tcp-reset'] },
    { code: '*filter\n-A INPUT -p TCP -j REJECT --reject-with ‸', has: ['tcp-reset'] },
    { code: '*filter\n-A INPUT -p udp -j REJECT --reject-with ‸', family: 'ipv6', has: ['icmp6-port-unreachable'], hasNot: ['tcp-reset'] },
  ]);
  for (const family of ['ipv4', 'ipv6'] as const) {
    test(`${family}: every type offered loads with the real tools, for -p tcp, -p udp and no -p`, realSkip, () => {
      const lines: string[] = [];
      for (const p of ['-p tcp ', '-p udp ', '']) {
        const code = `*filter\n-A INPUT ${p}-j REJECT --reject-with ‸`;
        for (const label of ordered(code, family)) lines.push(`-A INPUT ${p}-j REJECT --reject-with ${label}`);
      }
      const ruleset = `*filter\n${lines.join('\n')}\nCOMMIT\n`;
      const verdict = realToolAccepts(ruleset, family);
      assert.ok(verdict.accepted, `${verdict.message}\n---\n${ruleset}`);
    });
  }
});

describe('completion order (#17)', () => {
  const before = (labels: readonly string[], a: string, b: string): void => {
    assert.ok(labels.includes(a) && labels.includes(b), `${a} or ${b} missing in [${labels.join(', ')}]`);
    assert.ok(labels.indexOf(a) < labels.indexOf(b), `${a} should come before ${b} in [${labels.join(', ')}]`);
  };
  test('-j: QUEUE after REJECT and LOG, saying it drops when no program listens', () => {
    const labels = ordered('*filter\n-A INPUT -j ‸');
    before(labels, 'REJECT', 'QUEUE');
    before(labels, 'LOG', 'QUEUE');
    assert.deepEqual(labels.slice(0, 3), ['ACCEPT', 'DROP', 'RETURN']);
    assert.match(complete('*filter\n-A INPUT -j ', 20).find((e) => e.label === 'QUEUE')?.detail ?? '', /dropped when none listens/);
  });
  test('--reject-with: the default first, the usual choices next, short aliases last', () => {
    assert.deepEqual(ordered('*filter\n-A INPUT -j REJECT --reject-with ‸'), [
      'icmp-port-unreachable', 'icmp-host-prohibited', 'icmp-admin-prohibited', 'icmp-net-unreachable', 'icmp-host-unreachable', 'icmp-proto-unreachable', 'icmp-net-prohibited',
      'port-unreach', 'host-prohib', 'admin-prohib', 'net-unreach', 'host-unreach', 'proto-unreach', 'net-prohib',
    ]);
    assert.deepEqual(ordered('*filter\n-A INPUT -p tcp -j REJECT --reject-with ‸').slice(0, 3), ['icmp-port-unreachable', 'tcp-reset', 'icmp-host-prohibited']);
    assert.deepEqual(ordered('*filter\n-A INPUT -p tcp -j REJECT --reject-with ‸', 'ipv6'), [
      'icmp6-port-unreachable', 'tcp-reset', 'icmp6-adm-prohibited', 'icmp6-no-route', 'icmp6-addr-unreachable', 'icmp6-policy-fail', 'icmp6-reject-route',
      'port-unreach', 'adm-prohibited', 'no-route', 'addr-unreach', 'policy-fail', 'reject-route',
    ]);
  });
  test('--icmp-type: the common types first', () => {
    assert.deepEqual(ordered('*filter\n-A INPUT -p icmp --icmp-type ‸').slice(0, 4), ['echo-request', 'echo-reply', 'destination-unreachable', 'time-exceeded']);
  });
  test('--icmpv6-type: the common types and neighbour discovery first', () => {
    const first = ordered('*filter\n-A INPUT -p icmpv6 --icmpv6-type ‸', 'ipv6').slice(0, 10);
    assert.deepEqual(first.slice(0, 3), ['echo-request', 'echo-reply', 'destination-unreachable']);
    for (const nd of ['neighbour-solicitation', 'neighbour-advertisement', 'router-solicitation', 'router-advertisement', 'packet-too-big']) assert.ok(first.includes(nd), nd);
  });
  test('line start: the commands that build a table before those that change or remove', () => {
    const labels = ordered('*filter\n‸');
    for (const good of ['-A', '-I', '-N', '-P', 'COMMIT']) for (const risky of ['-D', '-R', '-F', '-X', '-Z', '-E']) before(labels, good, risky);
    assert.deepEqual(labels.slice(0, 4), ['-A', '-I', '-N', '-P']);
  });
});

describe('--tcp-flags: whole pairs, and for the comp only the mask\'s flags (#6, #17)', () => {
  runCases([
    { code: '*filter\n-A INPUT -p tcp --tcp-flags ‸', has: ['SYN,RST,ACK,FIN SYN', 'ALL NONE', 'ALL ALL', 'SYN,ACK SYN,ACK', 'SYN', 'ALL'] },
    // Inside a list, or with the comp already written after the cursor: flags only.
    { code: '*filter\n-A INPUT -p tcp --tcp-flags SYN,«‸»', has: ['RST', 'ACK'], hasNot: ['SYN', 'ALL NONE'] },
    { code: '*filter\n-A INPUT -p tcp --tcp-flags «‸» SYN -j DROP\nCOMMIT\n', has: ['SYN'], hasNot: ['ALL NONE'] },
    { code: '*filter\n-A INPUT -p tcp --tcp-flags SYN,RST ‸', exactly: ['SYN', 'RST', 'NONE'] },
    { code: '*filter\n-A INPUT -p tcp --tcp-flags syn,rst ‸', exactly: ['SYN', 'RST', 'NONE'] },
    { code: '*filter\n-A INPUT -p tcp --tcp-flags SYN,RST SYN,«‸»', exactly: ['RST', 'NONE'] },
    { code: '*filter\n-A INPUT -p tcp --tcp-flags ALL ‸', exactly: ['SYN', 'ACK', 'FIN', 'RST', 'URG', 'PSH', 'NONE', 'ALL'] },
    { code: '*filter\n-A INPUT -p tcp --tcp-flags NONE ‸', exactly: ['NONE'] },
  ]);
  test('the pairs come first', () => {
    assert.deepEqual(ordered('*filter\n-A INPUT -p tcp --tcp-flags ‸').slice(0, 2), ['SYN,RST,ACK,FIN SYN', 'SYN,ACK SYN,ACK']);
  });
  test('every pair, and every comp offered for a few masks, loads with the real tools', realSkip, () => {
    const lines: string[] = [];
    for (const pair of complete('*filter\n-A INPUT -p tcp --tcp-flags ', 39).map((e) => e.label).filter((l) => l.includes(' '))) lines.push(`-A INPUT -p tcp --tcp-flags ${pair} -j DROP`);
    for (const mask of ['SYN,RST', 'ALL', 'FIN,SYN,RST,ACK']) {
      const code = `*filter\n-A INPUT -p tcp --tcp-flags ${mask} ‸`;
      for (const comp of ordered(code)) lines.push(`-A INPUT -p tcp --tcp-flags ${mask} ${comp} -j DROP`);
    }
    assert.ok(lines.length > 15);
    const ruleset = `*filter\n${lines.join('\n')}\nCOMMIT\n`;
    const verdict = realToolAccepts(ruleset, 'ipv4');
    assert.ok(verdict.accepted, `${verdict.message}\n---\n${ruleset}`);
  });
});

describe('completion: port values', () => {
  const skip = realToolsAvailable() ? undefined : 'real tools unavailable';
  test('every port offered loads with its protocol', { skip }, () => {
    for (const p of ['tcp', 'udp'] as const) {
      const { text, cursor } = marked(`*filter\n-A INPUT -p ${p} --dport ‸`);
      const rules = complete(text, cursor).map((e) => `-A INPUT -p ${p} --dport ${e.label} -j ACCEPT`);
      assert.ok(rules.length >= 5, p);
      const ruleset = `*filter\n${rules.join('\n')}\nCOMMIT\n`;
      assert.deepEqual(lintIptables(ruleset).findings, [], p);
      const verdict = realToolAccepts(ruleset, 'ipv4');
      assert.equal(verdict.accepted, true, verdict.message);
    }
  });
});
