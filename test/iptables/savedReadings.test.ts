/**
 * The readings the "loads as something else" warnings of bad-value and syntax state, checked against
 * the kernel: each ruleset is loaded for real and read back with iptables-nft-save, whose rule must
 * hold what the warning says iptables reads, and kvmnet must give that warning.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintIptables } from '../../server/src/iptables/lint.js';
import { nftSavedRules, realToolsAvailable, type Family } from '../helpers/realTools.js';

interface Reading {
  /** The rule, after `-A CHAIN` (filter INPUT unless `table` says otherwise). */
  readonly rule: string;
  readonly table?: 'filter' | 'nat' | 'mangle' | 'raw';
  readonly family?: Family;
  /** The chain, when not the table's first built-in one. */
  readonly chain?: string;
  /** What iptables-save shows for the value. */
  readonly saved: string;
  /** What kvmnet's warning says. */
  readonly warning: RegExp;
}

const READINGS: readonly Reading[] = [
  { rule: '-p udp --dport 70000', saved: '--dport 4464', warning: /reads port 4464/ },
  { rule: '-p udp --dport 1024:65536', saved: '--dport 1024:0', warning: /reads as 1024:0/ },
  { rule: '-p tcp --dport 0025', saved: '--dport 21', warning: /octal: 21, not 25/ },
  { rule: '-p tcp -j DNAT --to-destination 10.0.0.1:0443', table: 'nat', saved: '--to-destination 10.0.0.1:291', warning: /octal: 291, not 443/ },
  { rule: '-s 192.168.010.020', saved: '-s 192.168.8.16/32', warning: /192\.168\.010\.020 is 192\.168\.8\.16/ },
  { rule: '-s 192.168.1.0/024', saved: '-s 192.168.0.0/20', warning: /octal: 20, not 24/ },
  { rule: '-m iprange --src-range 10.0.0.1-50', saved: '--src-range 10.0.0.1-50.0.0.0', warning: /the end 50 reads as 50\.0\.0\.0/ },
  { rule: '-m time --weekdays Mon-Fri', saved: '--weekdays Mon ', warning: /reads this list as Mon:/ },
  { rule: '-m time --weekdays 7,100', saved: '--weekdays Thu,Sun', warning: /reads this list as Thu,Sun/ },
  { rule: '-m time --datestart 2023-02-29', saved: '--datestart 2023-03-01', warning: /rolls it over to 2023-03-01/ },
  { rule: '-m recent --rcheck --mask 24', saved: '--mask 0.0.0.24', warning: /reads as 0\.0\.0\.24/ },
  { rule: '-m recent --rcheck --mask 255.255.255', saved: '--mask 255.255.0.255', warning: /reads as 255\.255\.0\.255/ },
  { rule: '-m limit --limit 2.5/sec', saved: '--limit 2/sec', warning: /is 2 packets a second/ },
  { rule: '-m hashlimit --hashlimit-upto 3kb/min --hashlimit-name a', saved: '--hashlimit-upto 3/min', warning: /is 3 packets a minute/ },
  { rule: '-m hashlimit --hashlimit-upto 100KB/s --hashlimit-name a', saved: '--hashlimit-upto 100/sec', warning: /is 100 packets a second/ },
  { rule: '-m hashlimit --hashlimit-upto 5/s --hashlimit-burst 2k --hashlimit-name a', saved: '--hashlimit-burst 2048', warning: /is 2048 packets/ },
  { rule: '-m hashlimit --hashlimit-upto 5/s --hashlimit-burst 5.9 --hashlimit-name a', saved: '--hashlimit-burst 5 ', warning: /burst 5\.9 is 5/ },
  { rule: '-m hashlimit --hashlimit-upto 5/s --hashlimit-name a --hashlimit-rate-match --hashlimit-rate-interval 500ms', saved: '--hashlimit-rate-interval 500', warning: /500ms is 500 seconds/ },
  { rule: '-m ttl --ttl-eq 064', saved: '--ttl-eq 52', warning: /octal: 52, not 64/ },
  { rule: '-p icmp --icmp-type 255', saved: '--icmp-type any', warning: /ICMP type 255 is iptables' "any"/ },
  { rule: '-p icmp --icmp-type 010', saved: '--icmp-type 8', warning: /octal: 8, not 10/ },
  { rule: '-p tcp -j REJECT --reject-with icmp', saved: '--reject-with icmp-net-unreachable', warning: /takes the first: icmp-net-unreachable/ },
  { rule: '-p tcp -m tcp --syn -j SYNPROXY --mss 70000', saved: '--mss 4464', warning: /keeps the low ones: 4464/ },
  { rule: '-p tcp -m tcp --syn -j SYNPROXY --wscale 300', saved: '--wscale 44', warning: /keeps the low ones: 44$/ },
  { rule: '-m connlimit --connlimit-above 2 --connlimit-mask 33', saved: '--connlimit-mask 32', warning: /takes it as 32/ },
  { rule: '-m comment --comment "C:\\Windows"', saved: '--comment "C:Windows"', warning: /iptables reads "C:Windows"/ },
  { rule: '-j DSCP --set-dscp-class CS10', table: 'mangle', saved: '--set-dscp 0x08', warning: /"CS10" is read as CS1/ },
  { rule: '-j CT --zone-orig 1 --zone-reply 2', table: 'raw', saved: '-j CT --zone 2', warning: /loads as --zone 2/ },
  { rule: '-j CT --zone 1 --zone-orig 1', table: 'raw', saved: '-j CT --zone-orig 1', warning: /loads as --zone-orig 1/ },
  { rule: '-m statistic --mode random --probability 0.0000000001', saved: '--probability 0.00000000000', warning: /rounds to 0 in the kernel/ },
  { rule: '-j IDLETIMER --timeout 10 --label abcdefghijklmnopqrstuvwxyz0123', table: 'mangle', saved: '--label abcdefghijklmnopqrstuvwxyz0 ', warning: /keeps only the first 27/ },
  { rule: '-m recent --set --name "ssh list"', saved: '--name ssh list ', warning: /writes it as it is, without quotes/ },
  { rule: '-j CLASSIFY --set-class 1:99999', table: 'mangle', chain: 'POSTROUTING', saved: '--set-class 0001:9999', warning: /loads as 1:9999/ },
  { rule: '-m recent --rcheck --mask ffff::ff', family: 'ipv6', saved: '--mask ffff::ff', warning: /non-contiguous mask/ },
  { rule: '-m conntrack --ctorigdst 192.168.001.010', saved: '--ctorigdst 192.168.1.8', warning: /192\.168\.001\.010 is 192\.168\.1\.8/ },
  { rule: '-m conntrack --ctorigsrc 192.168.1.0/024', saved: '--ctorigsrc 192.168.1.0/20', warning: /octal: 20, not 24/ },
  { rule: '-p tcp -j TPROXY --on-port 80 --on-ip 010.0.0.1', table: 'mangle', saved: '--on-ip 8.0.0.1', warning: /010\.0\.0\.1 is 8\.0\.0\.1/ },
  { rule: '-j TEE --gateway 192.168.1.010', table: 'mangle', saved: '--gateway 192.168.1.8', warning: /192\.168\.1\.010 is 192\.168\.1\.8/ },
  { rule: '-j NETMAP --to 010.0.0.0/24', table: 'nat', saved: '--to 8.0.0.0/24', warning: /010\.0\.0\.0 is 8\.0\.0\.0/ },
  { rule: '-m mark --mark 010', saved: '--mark 0x8', warning: /mark "010" .* octal: 8, not 10/ },
  { rule: '-j MARK --set-mark 010', table: 'mangle', saved: '--set-xmark 0x8/0xffffffff', warning: /octal: 8, not 10/ },
  { rule: '-m connmark --mark 010/0xff', saved: '--mark 0x8/0xff', warning: /octal: 8, not 10/ },
  { rule: '-m owner --uid-owner 01000', chain: 'OUTPUT', saved: '--uid-owner 512', warning: /octal: 512, not 1000/ },
  { rule: '-m hashlimit --hashlimit-upto 5/s --hashlimit-burst 020 --hashlimit-name a', saved: '--hashlimit-burst 16 ', warning: /octal: 16, not 20/ },
  { rule: '-p 017', saved: '-p 15', warning: /octal: 15, not 17/ },
  { rule: '-m tos --tos 010', saved: '--tos 0x08/0xff', warning: /octal: 8, not 10/ },
  { rule: '-j TOS --set-tos 010', table: 'mangle', saved: '--set-tos 0x08/0xff', warning: /octal: 8, not 10/ },
  { rule: '-m realm --realm 010', saved: '--realm 0x8', warning: /octal: 8, not 10/ },
  { rule: '-m u32 --u32 "0>>22&0x3C@012=8"', saved: '@0xa=0x8', warning: /octal: 10, not 12/ },
  { rule: '-m hbh --hbh-opts 1:300', family: 'ipv6', saved: '--hbh-opts 1:44', warning: /keeps its low 8 bits: 44/ },
  { rule: '-m time --monthdays 0', saved: '--monthdays  ', warning: /no day at all/ },
  { rule: '-m time --monthdays 010,1,0', saved: '--monthdays 1 ', warning: /reads this list as 1:/ },
  { rule: '-m time --datestart 2024-01-00', saved: '--datestart 2023-12-31T00:00:00', warning: /rolls it over to 2023-12-31/ },
  { rule: '-m time --datestart 2024-00-10', saved: '--datestart 2023-12-10T00:00:00', warning: /rolls it over to 2023-12-10/ },
  { rule: '-m time --datestart 2038-02-01', saved: '--datestart 2038-02-01T00:00:00 --datestop 2038-01-19T03:14:07', warning: /after 2038-01-19T03:14:07/ },
  { rule: '-m hashlimit --hashlimit-upto 1kb/s --hashlimit-burst 5000mb --hashlimit-name a', saved: '--hashlimit-burst 904mb', warning: /about 904mb/ },
  { rule: '-m statistic --mode random --probability nan', saved: '--probability 0.00000000000', warning: /kernel gets 0/ },
  { rule: '-m connlimit --connlimit-above 2 --connlimit-mask 32.5', saved: '--connlimit-mask 32 ', warning: /uses \/32/ },
  { rule: '-j HMARK --hmark-src-prefix 288 --hmark-rnd 1 --hmark-mod 2', table: 'mangle', saved: '--hmark-src-prefix 32 ', warning: /uses \/32/ },
];

const CHAINS = { filter: 'INPUT', nat: 'PREROUTING', mangle: 'PREROUTING', raw: 'PREROUTING' } as const;

describe('what the misreading warnings say iptables reads, against iptables-nft-save after a real load', () => {
  for (const r of READINGS) {
    const table = r.table ?? 'filter';
    const text = `*${table}\n-A ${r.chain ?? CHAINS[table]} ${r.rule}\nCOMMIT\n`;
    it(`${r.rule}: kvmnet warns`, () => {
      const found = lintIptables(text, { family: r.family ?? 'ipv4' }).findings.filter((f) => f.severity === 'warning' || f.severity === 'error');
      assert.equal(found.length, 1, found.map((f) => `${f.severity} ${f.message}`).join('\n'));
      assert.equal(found[0]?.severity, 'warning');
      assert.match(found[0]?.message ?? '', r.warning);
    });
    it(`${r.rule}: iptables-save shows ${r.saved.trim()}`, { skip: !realToolsAvailable() && 'real tools unavailable' }, () => {
      const saved = nftSavedRules(text, r.family);
      assert.ok(saved, `the real tool refuses:\n${text}`);
      assert.equal(saved.length, 1, saved.join('\n'));
      assert.ok(`${saved[0]} `.includes(r.saved), `iptables-nft-save shows: ${saved[0]}`);
    });
  }
});
