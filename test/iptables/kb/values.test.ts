/**
 * Table tests for the shared value checks of the knowledge base. The expectations were taken from
 * the real iptables 1.8.9 (`unshare -n iptables-nft-restore`); test/iptables/kb/matches.test.ts
 * re-runs the interesting ones through the real tools.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Family, ValueCheck } from '../../../server/src/iptables/kb/types.js';
import {
  checkAddressMask, checkAddressRange, checkHashlimitRate, checkHost, checkIcmpType, checkIcmpv6Type, checkIdOrRange,
  checkInterface, checkLimitRate, checkMac, checkMarkMask, checkPort, checkPortRange, checkPortRangeLoose, checkProtocol,
  commaList, intInRange, intRangeInRange, listOf, mintRange, oneOf, parseUnsigned, parseUnsignedBig, portList,
  protocolSpellings, remembered, stringLength, uintRange, UINT32_MAX, UINT64_MAX,
} from '../../../server/src/iptables/kb/values.js';

type Row = [value: string, ok: boolean, family?: Family];

function table(name: string, check: ValueCheck, rows: Row[]): void {
  test(name, () => {
    for (const [value, ok, family = 'ipv4'] of rows) {
      const result = check(value, family);
      if (ok) assert.equal(result, undefined, `${name}: "${value}" (${family}) should be accepted, got: ${result}`);
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
  assert.equal(parseUnsignedBig('18446744073709551615'), UINT64_MAX);
  assert.equal(parseUnsignedBig('+7'), 7n);
  assert.equal(parseUnsignedBig('0xffffffff'), BigInt(UINT32_MAX));
  assert.equal(parseUnsignedBig('abc'), undefined);
});

table('uintRange 32-bit', uintRange(0, UINT32_MAX), [['0', true], ['4294967295', true], ['4294967296', false], ['-1', false], ['0x10', true], ['x', false], ['', false]]);
table('uintRange 64-bit', uintRange(0, UINT64_MAX), [['18446744073709551615', true], ['18446744073709551616', false]]);
table('intInRange', intInRange(1, 255), [['1', true], ['255', true], ['0', false], ['256', false]]);
table('intRangeInRange', intRangeInRange(0, 100), [['5', true], ['5:10', true], ['10:5', false], ['5:101', false]]);
table('mintRange (generic n[:m])', mintRange(UINT32_MAX), [['0', true], [':32', true], ['4:', true], [':', true], ['0:4294967295', true], ['10:5', true], ['-1', false], ['0:invalid', false], ['1:2:3', false], ['4294967296', false]]);
table('mintRange ordered (tcpmss)', mintRange(65535, 'MSS', true), [['42:12345', true], ['65535:1000', false], ['42:65536', false]]);

table('checkPort (strict: tcp, sctp)', checkPort, [['22', true], ['65535', true], ['65536', false], ['0x50', true], ['010', true], ['+80', true], ['-1', false], ['ssh', true], ['http-alt', true], ["''", false]]);
table('checkPortRange (tcp, sctp)', checkPortRange, [['1:1023', true], ['1024:', true], [':1024', true], [':', true], ['90:80', false], ['1:65536', false], ['http:https', true], ['1:2:3', false]]);
table('checkPortRangeLoose (udp, dccp)', checkPortRangeLoose, [['65536', true], ['90:80', true], ['1:', true], ['0x50', false], ['-1', false], ['1:2:3', false], ['domain', true]]);
table('portList (multiport)', portList(15), [
  ['53,1024:65535', true], ['80:80', false], ['90:80', false], ['1024:', false], [':1024', false], ['1,', false],
  ['1,2,3,4,5,6,7,8,9,10,11,12,13,14,15', true], ['1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16', false],
  ['1,2,3,4,5,6,7,8,9,10,11,12,13,14:15', true], ['1,2,3,4,5,6,7,8,9,10,11,12,13,14:15,16', false], ['1024:65536', false], ['http,https', true],
]);

table('checkHost', checkHost, [['1.2.3.4', true], ['10.1', true], ['host.example', true], ['::1', false], ['::1', true, 'ipv6'], ['1.2.3.4', false, 'ipv6'], ['1.2.3.256', false]]);
table('checkAddressMask', checkAddressMask, [['1.2.3.4/24', true], ['1.2.3.4/255.255.255.0', true], ['1.2.3.4/33', false], ['a::/64', true, 'ipv6'], ['a::/129', false, 'ipv6']]);
table('checkAddressRange (iprange)', checkAddressRange, [['1.1.1.1-1.1.1.10', true], ['1.1.1.1', true], ['1.1.1.10-1.1.1.1', true], ['1.1.1.1/24', false], ['::1-::5', true, 'ipv6'], ['1.1.1.1-1.1.1.5', false, 'ipv6']]);
table('checkInterface', checkInterface, [['eth0', true], ['eth+', true], ['alongifacename0', true], ['thisinterfaceistoolong0', false], ['', false]]);
table('checkProtocol', checkProtocol, [['tcp', true], ['6', true], ['256', false], ['mobility-header', true], ['!x', false]]);
table('checkMarkMask', checkMarkMask, [['0xffffffff', true], ['0xfeedcafe/0xfeedcafe', true], ['4294967296', false], ['-1', false], ['0xfffffffff', false], ['1/2/3', false]]);
table('checkMac', checkMac, [['42:01:02:03:04:05', true], ['42:01:02:03:04', false], ['42:01:02:03:04:05:06', false]]);

table('checkLimitRate', checkLimitRate, [['1/sec', true], ['1/min', true], ['1000/hour', true], ['1000/day', true], ['5/s', true], ['5/m', true], ['5/MINUTE', true], ['5', true], ['10000/sec', true], ['10001/sec', false], ['0/sec', false], ['5/x', false], ['5/', false], ['abc', false]]);
table('checkHashlimitRate', checkHashlimitRate, [['1000000/sec', true], ['1/day', true], ['4kb/s', true], ['10mb/s', true], ['123456b/s', true], ['0/sec', false], ['5/x', false], ['x', false]]);

table('checkIcmpType', checkIcmpType, [
  ['any', true], ['echo-request', true], ['ECHO-REQUEST', true], ['echo-req', true], ['ping', true], ['8', true], ['8/0', true], ['0x8', true],
  ['256', false], ['8/256', false], ['3/', false], ['host', false], ['destination-unreachable/network-unreachable', false], ['nonsense', false],
]);
table('checkIcmpv6Type', checkIcmpv6Type, [
  ['echo-request', true], ['neighbor-solicitation', true], ['neighbour-advertisement', true], ['135/0', true], ['dest', true], ['1', true],
  ['any', false], ['mld-listener-query', false], ['256', false],
]);
table('checkIdOrRange (owner)', checkIdOrRange, [['root', true], ['0', true], ['0-10', true], ['4294967294', true], ['4294967295', false], ['5-3', false], ['a b', false]]);

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
