/**
 * How a protocol written as a number is read. iptables takes `-p` as a C number first (`0x11` and
 * `021` are 17, `+6` is 6, but `017` is 15), and the number decides which protocol match loads and
 * which protocol needs are met. Each row is a one-rule ruleset; the real tools decide in this run
 * whether it loads, and kvmnet must report an error exactly on the ones they refuse.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseUnsignedBig } from '../../../server/src/iptables/kb/values.js';
import { lintIptables } from '../../../server/src/iptables/lint.js';
import { implicitMatchName } from '../../../server/src/iptables/resolve.js';
import { realToolAccepts, realToolsAvailable, type Family } from '../../helpers/realTools.js';

test('implicitMatchName reads protocol numbers as C does', () => {
  assert.equal(implicitMatchName('0x11', 'ipv4'), 'udp');
  assert.equal(implicitMatchName('021', 'ipv4'), 'udp');
  assert.equal(implicitMatchName('+6', 'ipv4'), 'tcp');
  assert.equal(implicitMatchName('006', 'ipv4'), 'tcp');
  assert.equal(implicitMatchName('017', 'ipv4'), '15');
  assert.equal(implicitMatchName('0x3a', 'ipv6'), 'icmp6');
  assert.equal(implicitMatchName('TCP', 'ipv4'), 'tcp');
  assert.equal(parseUnsignedBig('08'), undefined);
});

const ROWS: ReadonlyArray<readonly [family: Family, table: string, line: string, loads: boolean]> = [
  ['ipv4', 'filter', '-A INPUT -m udp --dport 1 -p 0x11', true],
  ['ipv4', 'filter', '-A INPUT -m udp --dport 1 -p +17', true],
  ['ipv4', 'filter', '-A INPUT -m udp --dport 1 -p 0X11', true],
  ['ipv4', 'filter', '-A INPUT -m udp --dport 1 -p 017', false],
  ['ipv4', 'filter', '-A INPUT -p 0x11 --dport 1', true],
  ['ipv4', 'filter', '-A INPUT -p 021 --dport 1', true],
  ['ipv4', 'filter', '-A INPUT -p 017 --dport 1', false],
  ['ipv4', 'filter', '-A INPUT -p +6 --syn', true],
  ['ipv4', 'filter', '-A INPUT -p 0x6 -m multiport --dports 1,2', true],
  ['ipv4', 'filter', '-A INPUT -p 0x1 --icmp-type 8', true],
  ['ipv4', 'filter', '-A INPUT -p 0x6 -j REJECT --reject-with tcp-reset', true],
  ['ipv4', 'filter', '-A INPUT -p 08', false],
  ['ipv4', 'filter', '-A INPUT -p 0x100', false],
  ['ipv4', 'nat', '-A POSTROUTING -p 0x6 -j MASQUERADE --to-ports 1024', true],
  ['ipv4', 'nat', '-A PREROUTING -p 017 -j REDIRECT --to-ports 1024', false],
  ['ipv6', 'filter', '-A INPUT -p 0x3a --icmpv6-type 1', true],
  ['ipv6', 'filter', '-A INPUT -m udp --dport 1 -p 0x11', true],
];

test('protocol numbers: kvmnet reports an error exactly where the real tools refuse', { skip: !realToolsAvailable() && 'real tools unavailable' }, () => {
  const wrong: string[] = [];
  for (const [family, table, line, loads] of ROWS) {
    const text = `*${table}\n${line}\nCOMMIT\n`;
    const verdict = realToolAccepts(text, family);
    const errors = lintIptables(text, { family }).findings.filter((f) => f.severity === 'error');
    if (verdict.accepted !== loads) wrong.push(`${family} ${line}: the row says it ${loads ? 'loads' : 'is refused'}, the tools ${verdict.accepted ? 'accept' : 'refuse'} it`);
    if (verdict.accepted && errors.length > 0) wrong.push(`${family} ${line}: false error ${errors.map((e) => e.message).join('; ')}`);
    if (!verdict.accepted && errors.length === 0) wrong.push(`${family} ${line}: refused (${verdict.message.split('\n')[0] ?? ''}), no kvmnet error`);
  }
  assert.deepEqual(wrong, []);
});
