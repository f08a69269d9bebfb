/**
 * Table tests for the shared value checks of the knowledge base. The expectations were taken from
 * the real iptables 1.8.9 (`unshare -n iptables-nft-restore`); test/iptables/kb/matches.test.ts
 * re-runs the interesting ones through the real tools.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Family, ValueCheck } from '../../../server/src/iptables/kb/types.js';
import {
  cAtoi, cAtoll, checkAddressMask, checkAddressRange, checkHashlimitRate, checkHost, checkIcmpType, checkIcmpv6Type, checkIdOrRange,
  checkHostMask, checkInterface, checkLimitRate, checkResolvableHost, checkResolvableHostNoted, netmaskHolesNote, checkMac, checkMarkMask, checkPort, checkPortLoose, checkPortRange, checkPortRangeLoose, checkProtocol,
  commaList, hashlimitMinimumBurst, intInRange, intRangeInRange, isInetAton, isWarningReason, listOf, mintRange, nameStartedBy, oneOf, parseUnsigned,
  parseUnsignedBig, portList, protocolSpellings, readHashlimitBurst, readHashlimitRate, remembered, scanCUnsigned, startingWithOneOf,
  startListOf, stringLength, strtodEnd, tokenListOf, uintRange, UINT32_MAX, UINT64_MAX,
} from '../../../server/src/iptables/kb/values.js';
import { realToolAccepts, realToolsAvailable } from '../../helpers/realTools.js';

/** A value, whether the check accepts it (or accepts it with a warning), and the family. */
type Row = [value: string, ok: boolean | 'warning', family?: Family];

function table(name: string, check: ValueCheck, rows: Row[]): void {
  test(name, () => {
    for (const [value, ok, family = 'ipv4'] of rows) {
      const result = check(value, family);
      if (ok === 'warning') assert.ok(result !== undefined && isWarningReason(result), `${name}: "${value}" (${family}) should be accepted with a warning, got: ${result}`);
      else if (ok) assert.equal(result, undefined, `${name}: "${value}" (${family}) should be accepted, got: ${result}`);
      else assert.equal(typeof result, 'string', `${name}: "${value}" (${family}) should be refused`);
    }
  });
}

test('parseUnsigned / parseUnsignedBig read numbers like strtoul base 0', () => {
  assert.equal(parseUnsigned('10'), 10);
  assert.equal(parseUnsigned('0x10'), 16);
  assert.equal(parseUnsigned('010'), 8);
  assert.equal(parseUnsigned('08'), undefined);
  assert.equal(parseUnsigned('-1'), undefined);
  assert.equal(parseUnsigned('+7'), 7);
  assert.equal(parseUnsigned(' 7'), 7);
  assert.equal(parseUnsigned('7 '), undefined);
  assert.equal(parseUnsignedBig('18446744073709551616'), undefined, 'strtoumax overflows');
  assert.equal(parseUnsignedBig('18446744073709551615'), UINT64_MAX);
  assert.equal(parseUnsignedBig('+7'), 7n);
  assert.equal(parseUnsignedBig('0xffffffff'), BigInt(UINT32_MAX));
  assert.equal(parseUnsignedBig('abc'), undefined);
});

table('uintRange 32-bit', uintRange(0, UINT32_MAX), [['0', true], ['4294967295', true], ['4294967296', false], ['-1', false], ['0x10', true], ['x', false], ['', false]]);
table('uintRange 64-bit', uintRange(0, UINT64_MAX), [['18446744073709551615', true], ['18446744073709551616', false]]);
table('intInRange', intInRange(1, 255), [['1', true], ['255', true], ['0', false], ['256', false]]);
table('intRangeInRange', intRangeInRange(0, 100), [['5', true], ['5:10', true], ['10:5', false], ['5:101', false]]);
table('mintRange (generic n[:m])', mintRange(UINT32_MAX), [['0', true], [':32', true], ['4:', true], [':', true], ['0:4294967295', true], ['10:5', 'warning'], ['010', 'warning'], ['07:08', false], ['-1', false], ['0:invalid', false], ['1:2:3', false], ['4294967296', false]]);
table('mintRange ordered (tcpmss)', mintRange(65535, 'MSS', true), [['42:12345', true], ['65535:1000', false], ['42:65536', false]]);

table('checkPort (strict: tcp, sctp)', checkPort, [['22', true], ['65535', true], ['65536', false], ['0x50', true], ['010', true], ['+80', true], ['-1', false], ['ssh', true], ['http-alt', true], ["''", false]]);
table('checkPortRange (tcp, sctp)', checkPortRange, [['1:1023', true], ['1024:', true], [':1024', true], [':', true], ['90:80', false], ['1:65536', false], ['http:https', true], ['1:2:3', false], ['0025', 'warning'], ['007', true], ['0080', false], ['20:025', 'warning']]);
table('checkPortRangeLoose (udp, dccp)', checkPortRangeLoose, [['65536', 'warning'], ['90:80', 'warning'], ['1024:65536', 'warning'], ['80:90', true], [':90', true], ['1:', true], ['0x50', false], ['-1', false], ['1:2:3', false], ['domain', true]]);
table('portList (multiport)', portList(15), [
  ['53,1024:65535', true], ['80:80', false], ['90:80', false], ['1024:', false], [':1024', false], ['1,', false],
  ['1,2,3,4,5,6,7,8,9,10,11,12,13,14,15', true], ['1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16', false],
  ['1,2,3,4,5,6,7,8,9,10,11,12,13,14:15', true], ['1,2,3,4,5,6,7,8,9,10,11,12,13,14:15,16', false], ['1024:65536', false], ['http,https', true],
  ['22,0025', 'warning'], ['0025,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15', false], ['07,1:2', true],
]);

table('checkHost', checkHost, [['1.2.3.4', true], ['10.1', true], ['host.example', true], ['cafe', true], ['::1', false], ['::1', true, 'ipv6'], ['1.2.3.4', false, 'ipv6'], ['1.2.3.256', false]]);
// Names the resolver may know, also words of hex letters (`cafe` resolved with it in /etc/hosts, by hand).
table('checkResolvableHost (TEE, TPROXY, NETMAP, conntrack)', checkResolvableHost, [
  ['cafe', true], ['bad', true], ['cafe', true, 'ipv6'], ['127.1', true], ['1.2.3.256', false], ['::cafe', false], ['::cafe', true, 'ipv6'], [' 1.2.3.4', false], ['a..b', false],
]);
table('checkAddressMask', checkAddressMask, [['1.2.3.4/24', true], ['1.2.3.4/255.255.255.0', true], ['1.2.3.4/33', false], ['a::/64', true, 'ipv6'], ['a::/129', false, 'ipv6']]);
table('checkAddressRange (iprange)', checkAddressRange, [['1.1.1.1-1.1.1.10', true], ['1.1.1.1', true], ['1.1.1.10-1.1.1.1', 'warning'], ['10.0.0.1-50', 'warning'], ['10.0.0.010', 'warning'], ['1.1.1.1/24', false], ['::1-::5', true, 'ipv6'], ['1.1.1.1-1.1.1.5', false, 'ipv6']]);
table('checkInterface', checkInterface, [['eth0', true], ['eth+', true], ['+', true], ['alongifacename0', true], ['thisinterfaceistoolong0', false], ['', false], ['vnet+0', 'warning'], ['eth++', 'warning'], ['eth+.100', 'warning']]);
table('checkProtocol', checkProtocol, [['tcp', true], ['6', true], ['256', false], ['mobility-header', true], ['!x', false], ['+6', true], ['0x11', true], ['08', false], ['0x100', false], ['017', 'warning'], ['006', true], ['0', true], ['0377', 'warning'], ['0400', false]]);
table('checkMarkMask', checkMarkMask, [['0xffffffff', true], ['0xfeedcafe/0xfeedcafe', true], ['4294967296', false], ['-1', false], ['0xfffffffff', false], ['1/2/3', false], ['+5/+1', true], ['5/', false], ['010', 'warning'], ['0x10/0377', 'warning'], ['007', true], ['0', true], ['0x10', true], ['00/0', true], ['09', false]]);
table('checkMac', checkMac, [['42:01:02:03:04:05', true], ['42:01:02:03:04', false], ['42:01:02:03:04:05:06', false]]);

table('checkLimitRate', checkLimitRate, [
  ['1/sec', true], ['1/min', true], ['1000/hour', true], ['1000/day', true], ['5/s', true], ['5/m', true], ['5/MINUTE', true], ['5', true], ['10000/sec', true],
  ['10001/sec', false], ['0/sec', false], ['5/x', false], ['5/', false], ['abc', false],
  // atoi reads the number: what follows it is ignored, a 64-bit value is cut to 32 bits, a negative one is too fast.
  ['5x/sec', true], ['5.5/min', true], ['+5/sec', true], ['4294967301/sec', true], ['-5/sec', false], ['0x10', false], ['5/secondx', false],
]);
table('checkHashlimitRate', checkHashlimitRate, [
  ['1000000/sec', true], ['1/day', true], ['4kb/s', true], ['10mb/s', true], ['123456b/s', true], ['0/sec', false], ['5/x', false], ['x', false],
  ['10mb', true], ['10mb/s/', true], ['10mb/sx', true], ['5/sb/s', true], ['5x/sec', true], ['5Kb/s', true], ['5kB/s', true],
  ['1000001', false], ['-5/sec', false], ['0x10/sec', false], ['5/seconds', false], ['b/s', false], ['0b/s', false],
]);

table('checkIcmpType', checkIcmpType, [
  ['any', true], ['echo-request', true], ['ECHO-REQUEST', true], ['echo-req', true], ['ping', true], ['8', true], ['8/0', true], ['0x8', true],
  ['256', false], ['8/256', false], ['3/', false], ['host', false], ['destination-unreachable/network-unreachable', false], ['nonsense', false],
]);
table('checkIcmpv6Type', checkIcmpv6Type, [
  ['echo-request', true], ['neighbor-solicitation', true], ['neighbour-advertisement', true], ['135/0', true], ['dest', true], ['1', true],
  ['any', false], ['mld-listener-query', false], ['256', false],
]);
table('checkIdOrRange (owner)', checkIdOrRange, [['root', true], ['0', true], ['0-10', true], ['4294967294', true], ['4294967295', false], ['5-3', false], ['a b', false], ['01000', 'warning'], ['0100-0200', 'warning'], ['1:010', 'warning'], ['007', true], ['0x3e8', true], ['1000', true], ['0200-0100', false]]);

test('scanCUnsigned reads like strtoumax', () => {
  assert.deepEqual(scanCUnsigned('0x1fz'), { value: 31n, end: 4, negative: false, overflow: false });
  assert.deepEqual(scanCUnsigned('08'), { value: 0n, end: 1, negative: false, overflow: false });
  assert.deepEqual(scanCUnsigned('0x'), { value: 0n, end: 1, negative: false, overflow: false });
  assert.deepEqual(scanCUnsigned(' +12ab', 10), { value: 12n, end: 4, negative: false, overflow: false });
  assert.deepEqual(scanCUnsigned('-1'), { value: UINT64_MAX, end: 2, negative: true, overflow: false });
  assert.equal(scanCUnsigned('18446744073709551616')?.overflow, true);
  assert.equal(scanCUnsigned('x'), undefined);
  assert.equal(scanCUnsigned('0x10', 10)?.end, 1);
});

test('cAtoll / cAtoi read like atoll / atoi', () => {
  assert.equal(cAtoll('5x'), 5n);
  assert.equal(cAtoll(' -7.5'), -7n);
  assert.equal(cAtoll('x5'), 0n);
  assert.equal(cAtoll('99999999999999999999'), 0x7fffffffffffffffn);
  assert.equal(cAtoi('4294967297'), 1);
  assert.equal(cAtoi('2147483648'), -2147483648);
  assert.equal(cAtoi('0xa'), 0);
});

test('strtodEnd stops where strtod does', () => {
  for (const [text, end] of [['8bit', 1], ['.5KiBps', 2], ['1e3bit', 3], ['1e', 1], ['0x10bit', 5], ['inf', 3], ['NaN', 3], ['x', 0], ['', 0], ['+8', 2], ['0x', 1]] as const) {
    assert.equal(strtodEnd(text), end, text);
  }
});

test('isInetAton reads addresses like inet_aton with nothing after them', () => {
  for (const v of ['255.255.255.0', '256', '1.65535', '1.2.65535', '0x1.0x2', '010.0.0.1', '4294967295', '0xffffffff']) assert.ok(isInetAton(v), v);
  for (const v of ['4294967296', '1.16777216', '1.2.3.4.5', '1.', '.1', '08', '09.1', '+1', '1.2.3.4 ', 'localhost', '0x100.1']) assert.ok(!isInetAton(v), v);
});

test('nameStartedBy takes the first name the item starts, in any case', () => {
  const states = ['INVALID', 'NEW', 'ESTABLISHED', 'RELATED', 'UNTRACKED', 'SNAT', 'DNAT'];
  assert.equal(nameStartedBy('e', states), 'ESTABLISHED');
  assert.equal(nameStartedBy('S', states), 'SNAT');
  assert.equal(nameStartedBy('NEWX', states), undefined);
  assert.equal(nameStartedBy('', states), undefined);
  assert.equal(nameStartedBy('UN', ['UNSPEC', 'UNICAST', 'UNREACHABLE']), 'UNSPEC');
});

test('hashlimit bursts and rates', () => {
  assert.deepEqual(readHashlimitBurst('5x'), { amount: 5n, end: 1, scaled: false });
  assert.deepEqual(readHashlimitBurst('400kb'), { amount: 409600n, end: 3, scaled: true });
  assert.deepEqual(readHashlimitBurst('1m'), { amount: 1048576n, end: 1, scaled: true });
  assert.deepEqual(readHashlimitBurst('400K'), { amount: 400n, end: 3, scaled: false });
  assert.ok('reason' in readHashlimitBurst('1000001'));
  assert.ok('reason' in readHashlimitBurst('08'));
  assert.deepEqual(readHashlimitRate('4kb/s'), { kind: 'bytes', bytes: 4096n });
  assert.deepEqual(readHashlimitRate('10mb'), { kind: 'packets', cost: 100000n });
  assert.deepEqual(readHashlimitRate('1/day'), { kind: 'packets', cost: 86400000000n });
  assert.equal(hashlimitMinimumBurst(4096n), 4096n);
  assert.equal(hashlimitMinimumBurst(123456n), 123456n);
});

table('tokenListOf (strtok: empty items skipped)', tokenListOf(['SYN', 'ACK']), [['SYN,,ACK,', true], [',', true], ['', true], ['syn', true], ['SY', false], ['SYN,X', false]]);
table('tokenListOf with | (hashlimit modes)', tokenListOf(['srcip', 'dstip'], 'mode', true, ',|'), [['srcip|dstip,', true], ['SRCIP', false]]);
table('startListOf (conntrack states)', startListOf(['NEW', 'ESTABLISHED'], 'state'), [['N,e', true], ['NEW,ESTABLISHE', true], ['NEW,', false], [',NEW', false], ['', false], ['NEWX', false]]);
table('startingWithOneOf (DSCP classes)', startingWithOneOf(['CS0', 'EF'], 'class'), [['EFx', 'warning'], ['EF', true], ['cs0', true], ['E', false], ['CS', false]]);
table('checkPortLoose (getaddrinfo ports)', checkPortLoose, [['+12345', true], ['65535', true], ['0053', true], ['65536', 'warning'], ['ssh', true], ['0x10', false], ['-1', false], ['5x', false]]);

table('oneOf (case-insensitive)', oneOf(['NEW', 'ESTABLISHED']), [['NEW', true], ['new', true], ['OLD', false]]);
table('listOf', listOf(['NEW', 'RELATED']), [['NEW,RELATED', true], ['NEW,', false], ['', false], ['NEW,SNAT', false]]);
table('commaList (max 2)', commaList(uintRange(0, 9), 2, 'digit'), [['1,2', true], ['1,2,3', false], ['1,,2', false], ['12', false]]);
table('stringLength 255', stringLength(255, 'comment'), [['x'.repeat(255), true], ['x'.repeat(256), false], ['é'.repeat(128), false]]);

test('protocolSpellings lists names, aliases and numbers', () => {
  assert.deepEqual(protocolSpellings('tcp').sort(), ['6', 'tcp']);
  assert.deepEqual(protocolSpellings('icmpv6').sort(), ['58', 'icmpv6', 'ipv6-icmp']);
  assert.ok(protocolSpellings('mh').includes('mobility-header'));
});

test('remembered checks give the verdicts of the check they wrap, per family, and forget past their limit', () => {
  const calls: string[] = [];
  const check: ValueCheck = (v, family) => {
    calls.push(`${family}:${v}`);
    return v.startsWith('bad') ? `${v} is bad in ${family}` : undefined;
  };
  const memo = remembered(check, 3);
  for (const v of ['ok1', 'bad1', 'ok1', 'bad1']) assert.equal(memo(v, 'ipv4'), check(v, 'ipv4'));
  assert.equal(memo('bad1', 'ipv6'), 'bad1 is bad in ipv6', 'each family has its own verdicts');
  // ipv4:ok1 and ipv4:bad1 were checked once by the memo (and once more directly above).
  assert.equal(calls.filter((c) => c === 'ipv4:ok1').length, 3);
  calls.length = 0;
  memo('ok2', 'ipv4'); // the third ipv4 value: the memory is full
  memo('ok3', 'ipv4'); // a fourth: it starts over
  memo('ok1', 'ipv4');
  assert.deepEqual(calls, ['ipv4:ok2', 'ipv4:ok3', 'ipv4:ok1'], 'values are checked again once the memory started over');
  // A long value is answered but not kept.
  const long = 'bad'.padEnd(300, 'x');
  calls.length = 0;
  memo(long, 'ipv4');
  memo(long, 'ipv4');
  assert.equal(calls.length, 2);
});

/**
 * The claims of the tables above that a one-rule ruleset can carry, put to the real tools in this
 * run: a value the check accepts must load, a value it refuses must not.
 */
test('value checks agree with the real tools', { skip: !realToolsAvailable() && 'real tools unavailable' }, () => {
  const rows: ReadonlyArray<readonly [check: ValueCheck, rule: string, values: readonly string[]]> = [
    [checkLimitRate, '-m limit --limit {}', ['5x/sec', '5.5/min', '+5/sec', '4294967301/sec', '10001/sec', '-5/sec', '0x10', '5/secondx']],
    [checkHashlimitRate, '-m hashlimit --hashlimit-name x --hashlimit-upto {}', ['10mb', '10mb/s/', '5/sb/s', '5x/sec', '5Kb/s', '1000001', '-5/sec', '0x10/sec', '5/seconds', '0b/s']],
    [checkMarkMask, '-m mark --mark {}', ['+5/+1', '5/', '0xfffffffff']],
    [checkProtocol, '-p {}', ['+6', '0x11', '08', '0x100']],
    [tokenListOf(['SYN', 'ACK', 'FIN', 'RST', 'URG', 'PSH', 'ALL', 'NONE']), '-p tcp --tcp-flags {} SYN', ['SYN,,ACK,', ',', 'SY']],
    [startListOf(['INVALID', 'NEW', 'ESTABLISHED', 'RELATED', 'UNTRACKED', 'SNAT', 'DNAT'], 'state'), '-m conntrack --ctstate {}', ['N,e', 'NEW,', ',NEW', 'NEWX']],
    [checkPortLoose, '-p udp --dport {}', ['+53', '65536', '0x10', '5x', '0053']],
    [checkPortRange, '-p tcp --dport {}', ['0025', '0080', '025:030']],
    [portList(), '-p udp -m multiport --dports {}', ['0053,0123', '08']],
  ];
  const wrong: string[] = [];
  for (const [check, rule, values] of rows) {
    for (const v of values) {
      const line = rule.replace('{}', v);
      const verdict = check(v, 'ipv4');
      const ours = verdict === undefined || isWarningReason(verdict); // a warning loads
      const tools = realToolAccepts(`*filter\n-A INPUT ${line}\nCOMMIT\n`, 'ipv4');
      if (ours !== tools.accepted) wrong.push(`${line}: the check ${ours ? 'accepts' : 'refuses'} "${v}", the tools ${tools.accepted ? 'accept' : `refuse (${tools.message.split('\n')[0] ?? ''})`}`);
    }
  }
  assert.deepEqual(wrong, []);
});

table('checkResolvableHostNoted (TPROXY --on-ip: octal parts)', checkResolvableHostNoted, [
  ['192.168.1.010', 'warning'], ['010.0.0.1', 'warning'], ['010.1', 'warning'], ['192.168.1.007', true], ['192.168.1.10', true], ['0x0a.0.0.1', true], ['10.0.0.08', false], ['::1', true, 'ipv6'],
]);
table('checkHostMask (conntrack: octal parts and prefix lengths)', checkHostMask, [
  ['192.168.001.010', 'warning'], ['192.168.1.0/024', 'warning'], ['192.168.1.0/24', true], ['192.168.1.0/007', true], ['10.0.0.0/0377.0.0.0', true], ['010.0.0.0/255.0.0.0', 'warning'], ['10.0.0.0/0400.0.0.0', false], ['2001:db8::/064', 'warning', 'ipv6'], ['2001:db8::/64', true, 'ipv6'],
]);
test('netmaskHolesNote: a netmask with holes where a prefix length is read becomes /32 or /128', () => {
  for (const v of ['32.5', '256', '288', '255.0.255.0']) assert.match(netmaskHolesNote(v, 'ipv4') ?? '', /has holes, and then uses \/32/, v);
  for (const v of ['255.255.255.0', '4294967040', '0.0.0.0', '255.255.255.255', 'x']) assert.equal(netmaskHolesNote(v, 'ipv4'), undefined, v);
  assert.match(netmaskHolesNote('ffff::ff', 'ipv6') ?? '', /uses \/128/);
  assert.equal(netmaskHolesNote('ffff:ffff::', 'ipv6'), undefined);
});
