import { targetNotAllowed } from '../../../server/src/iptables/rules/target-not-allowed.js';
import { ruleTester } from '../../helpers/ruleTester.js';

ruleTester.run(targetNotAllowed, {
  valid: [
    // The reference scenario: MASQUERADE in nat POSTROUTING, CHECKSUM in mangle, REJECT in filter.
    '*nat\n-A POSTROUTING -s 192.168.122.0/24 ! -d 192.168.122.0/24 -j MASQUERADE\nCOMMIT\n',
    '*mangle\n-A POSTROUTING -o virbr0 -p udp -m udp --dport 68 -j CHECKSUM --checksum-fill\nCOMMIT\n',
    '*filter\n-A INPUT -j REJECT --reject-with icmp-host-prohibited\n-A FORWARD -o virbr0 -j REJECT --reject-with icmp-port-unreachable\nCOMMIT\n',
    '*nat\n-A PREROUTING -i br0 -p tcp --dport 2222 -j DNAT --to-destination 192.168.122.10:22\n-A OUTPUT -p tcp --dport 2222 -j DNAT --to-destination 192.168.122.10:22\nCOMMIT\n',
    '*nat\n-A INPUT -j SNAT --to-source 192.168.122.1\n-A POSTROUTING -o br0 -j SNAT --to-source 203.0.113.1\nCOMMIT\n',
    // Reached through a user chain from an allowed built-in chain.
    '*nat\n:LIBVIRT_PRT - [0:0]\n-A POSTROUTING -j LIBVIRT_PRT\n-A LIBVIRT_PRT -s 192.168.122.0/24 ! -d 192.168.122.0/24 -j MASQUERADE\nCOMMIT\n',
    '*filter\n:LIBVIRT_FWI - [0:0]\n:REJ - [0:0]\n-A FORWARD -j LIBVIRT_FWI\n-A LIBVIRT_FWI -o virbr0 -j REJ\n-A REJ -j REJECT\nCOMMIT\n',
    // A user chain nothing jumps to is checked by nobody: the kernel accepts it.
    '*nat\n:LIBVIRT_PRT - [0:0]\n-A LIBVIRT_PRT -s 192.168.122.0/24 -j MASQUERADE\nCOMMIT\n',
    '*raw\n-A PREROUTING -i virbr0 -j CT --notrack\n-A OUTPUT -j NOTRACK\nCOMMIT\n',
    '*filter\n-A OUTPUT -m owner --uid-owner 0 -j ACCEPT\nCOMMIT\n',
    '*raw\n-A PREROUTING -p tcp --dport 22 -j TRACE\n-A OUTPUT -j TRACE\nCOMMIT\n',
    // DROP everywhere but nat; cgroup where sockets are known; osf on incoming packets.
    '*mangle\n-A PREROUTING -j DROP\nCOMMIT\n*raw\n-A PREROUTING -j DROP\nCOMMIT\n*security\n-A INPUT -j DROP\nCOMMIT\n',
    '*filter\n-A INPUT -m cgroup --path / -j ACCEPT\n-A OUTPUT -m cgroup ! --cgroup 1 -j DROP\n-A FORWARD -p tcp -m osf --genre Linux -j ACCEPT\nCOMMIT\n*mangle\n-A POSTROUTING -m cgroup --cgroup 1 -j ACCEPT\n-A PREROUTING -p tcp -m osf --genre Linux -j ACCEPT\nCOMMIT\n',
    // Targets allowed in any table.
    '*filter\n-A INPUT -j LOG\n-A INPUT -j NFLOG\n-A INPUT -j MARK --set-mark 1\nCOMMIT\n',
    '*mangle\n-A PREROUTING -p tcp -j TPROXY --on-port 3128 --tproxy-mark 0x1/0x1\nCOMMIT\n',
    { code: '*filter\n-A INPUT -j REJECT --reject-with icmp6-adm-prohibited\nCOMMIT\n*nat\n-A POSTROUTING -s fd00::/64 -j MASQUERADE\nCOMMIT\n', family: 'ipv6' },
    // The kernel checks a user chain's rules at COMMIT, with the jumps left then; a rule of a
    // built-in chain that a -F of the chain empties never reaches the kernel with nft.
    '*nat\n:A - [0:0]\n-A OUTPUT -j A\n-A A -j MASQUERADE\n-D OUTPUT 1\nCOMMIT\n',
    '*nat\n:A - [0:0]\n-A A -j MASQUERADE\n-A OUTPUT -j A\n-F OUTPUT\nCOMMIT\n',
    '*nat\n:A - [0:0]\n-A OUTPUT -j A\n-A A -j MASQUERADE\n-D A 1\nCOMMIT\n',
    '*mangle\n:A - [0:0]\n-A OUTPUT -j A\n-A A -p tcp -j TPROXY --on-port 1\n-D OUTPUT -j A\nCOMMIT\n',
    '*nat\n-A PREROUTING -j MASQUERADE\n-F PREROUTING\nCOMMIT\n',
  ],
  invalid: [
    // Targets the kernel dropped: iptables parses them and iptables-legacy-restore --test accepts
    // them, but a real load on this kernel refuses them ("Extension ULOG revision 0 not supported").
    {
      code: '*filter\n-A INPUT -j «ULOG» --ulog-nlgroup 2\n-A INPUT -d 192.168.122.10/32 -i eth0 -j «CLUSTERIP» --new --hashmode sourceip --clustermac 01:00:5E:00:00:20 --total-nodes 2 --local-node 1\nCOMMIT\n',
      errors: [
        { messageId: 'removed', severity: 'warning', message: /^target ULOG was removed from the kernel in Linux 3\.17: .*; log with NFLOG/ },
        { messageId: 'removed', severity: 'warning', message: /^target CLUSTERIP was removed from the kernel in Linux 6\.3: .*-m cluster/ },
      ],
      realTools: { verdict: 'refuse', why: 'a real load refuses both on this kernel (6.x); older kernels load them, so a warning' },
    },
    // After a bare -F, nft still holds the jump from PREROUTING at the commit; legacy has flushed it.
    {
      code: '*nat\n:A - [0:0]\n-A PREROUTING -j A\n-F\n-A A -j «MASQUERADE»\nCOMMIT\n', errors: [{ messageId: 'backendChain', severity: 'warning', data: { refuser: 'iptables-nft-restore', hooks: 'PREROUTING' } }],
      realTools: { verdict: 'refuse', why: 'iptables-nft-restore refuses it ("RULE_APPEND failed (Invalid argument)") and iptables-legacy-restore loads it: a warning, as the backends disagree' },
    },
    // ... but a -D of a rule of a built-in chain comes too late for nft, which has refused the rule already.
    { code: '*nat\n-A OUTPUT -j «MASQUERADE»\n-D OUTPUT 1\nCOMMIT\n', errors: [{ messageId: 'chain' }] },
    // TRACE: anywhere with nf_tables, only in raw on a legacy-backend host.
    { code: '*filter\n-A INPUT -p tcp --dport 22 -j «TRACE»\nCOMMIT\n', errors: [{ messageId: 'legacyTable', severity: 'warning', data: { tables: 'raw', table: 'filter' } }] },
    // iptables refuses DROP in nat however it is written, in a user chain too, in both families.
    { code: '*nat\n-A PREROUTING -p tcp --dport 23 -j «DROP»\nCOMMIT\n', errors: [{ messageId: 'table', data: { name: 'DROP', table: 'nat' }, message: /not meant for filtering/ }] },
    { code: '*nat\n:BLOCK - [0:0]\n-A OUTPUT -j BLOCK\n-A BLOCK --goto «DROP»\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'table' }] },
    // Matches the kernel registers for some hooks only: cgroup (local sockets), osf (incoming packets).
    { code: '*filter\n-A FORWARD -m «cgroup» --path /system.slice -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'chain', message: /cgroup is only valid in INPUT\/OUTPUT of table filter, not in FORWARD/ }] },
    { code: '*mangle\n:FROM_LAN - [0:0]\n-A PREROUTING -j FROM_LAN\n-A FROM_LAN -m «cgroup» --cgroup 1 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'chain', message: /reached from PREROUTING/ }] },
    { code: '*filter\n-A OUTPUT -p tcp -m «osf» --genre Linux -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'chain' }] },
    { code: '*filter\n-A FORWARD -s 192.168.122.0/24 -j «MASQUERADE»\nCOMMIT\n', errors: [{ messageId: 'table', data: { name: 'MASQUERADE', tables: 'nat', table: 'filter' } }] },
    { code: '*nat\n-A PREROUTING -j «MASQUERADE»\nCOMMIT\n', errors: [{ messageId: 'chain', message: /only valid in POSTROUTING of table nat, not in PREROUTING/ }] },
    { code: '*nat\n--append OUTPUT --jump «MASQUERADE»\nCOMMIT\n', errors: [{ messageId: 'chain' }] },
    { code: '*nat\n-A POSTROUTING -p tcp -j «DNAT» --to-destination 192.168.122.10\nCOMMIT\n', errors: [{ messageId: 'chain' }] },
    { code: '*nat\n-A POSTROUTING -p tcp -j «REDIRECT» --to-ports 8080\nCOMMIT\n', errors: [{ messageId: 'chain' }] },
    { code: '*mangle\n-A INPUT -j «REJECT»\nCOMMIT\n', errors: [{ messageId: 'table', data: { tables: 'filter' } }] },
    { code: '*filter\n-A INPUT -p udp -j «CHECKSUM» --checksum-fill\nCOMMIT\n', errors: [{ messageId: 'table', data: { tables: 'mangle' } }] },
    { code: '*filter\n-A INPUT -j «CT» --notrack\nCOMMIT\n', errors: [{ messageId: 'table' }] },
    { code: '*filter\n-A INPUT -j «TTL» --ttl-set 64\nCOMMIT\n', errors: [{ messageId: 'table' }] },
    { code: '*mangle\n-A INPUT -p tcp -j «TPROXY» --on-port 3128\nCOMMIT\n', errors: [{ messageId: 'chain' }] },
    // Matches have hooks too.
    { code: '*filter\n-A INPUT -m «owner» --uid-owner 0 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'chain', data: { kind: 'match', name: 'owner' } }] },
    // Through user chains: the hook of the built-in chain that jumps (or goes) there decides.
    { code: '*nat\n:LIBVIRT_PRT - [0:0]\n-A PREROUTING -j LIBVIRT_PRT\n-A LIBVIRT_PRT -s 192.168.122.0/24 -j «MASQUERADE»\nCOMMIT\n', errors: [{ messageId: 'chain', message: /chain LIBVIRT_PRT is reached from PREROUTING/ }] },
    { code: '*nat\n:A - [0:0]\n:B - [0:0]\n-A PREROUTING -j A\n-A A -g B\n-A B -j «MASQUERADE»\nCOMMIT\n', errors: [{ messageId: 'chain', message: /chain B is reached from PREROUTING/ }] },
    { code: '*filter\n:OWN - [0:0]\n-A OWN -m «owner» --uid-owner 0 -j ACCEPT\n-A INPUT -j OWN\nCOMMIT\n', errors: [{ messageId: 'chain' }] },
    // Options with hooks of their own.
    { code: '*filter\n-A INPUT -p tcp --tcp-flags SYN,RST SYN -j TCPMSS «--clamp-mss-to-pmtu»\nCOMMIT\n', errors: [{ messageId: 'chain' }] },
    // An option whose hooks the kernel checks in its own check function: through a jump the
    // nf_tables backend loads it, the legacy backend refuses it at load time (kb/hookChecks.ts).
    { code: '*filter\n:X - [0:0]\n-A OUTPUT -j X\n-A X -m addrtype --src-type LOCAL «--limit-iface-in» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'optionViaJump', severity: 'warning', message: /reached from OUTPUT: the legacy backend refuses/ }] },
    { code: '*filter\n:MSS - [0:0]\n-A INPUT -j MSS\n-A FORWARD -j MSS\n-A MSS -p tcp --tcp-flags SYN,RST SYN -j TCPMSS «--clamp-mss-to-pmtu»\nCOMMIT\n', errors: [{ messageId: 'optionViaJump', severity: 'warning' }] },
    { code: '*filter\n-A FORWARD -s fd00::/64 -j «MASQUERADE»\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'table' }] },
  ],
});
