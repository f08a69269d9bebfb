import { chainNotInTable } from '../../../server/src/iptables/rules/chain-not-in-table.js';
import { ruleTester } from '../../helpers/ruleTester.js';

ruleTester.run(chainNotInTable, {
  valid: [
    '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A FORWARD -i br0 -o br0 -j ACCEPT\nCOMMIT\n',
    '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s 192.168.122.0/24 ! -d 192.168.122.0/24 -j MASQUERADE\nCOMMIT\n',
    '*mangle\n-A PREROUTING -i virbr0 -j ACCEPT\n-A INPUT -j ACCEPT\n-A FORWARD -j ACCEPT\n-A OUTPUT -j ACCEPT\n-A POSTROUTING -o virbr0 -p udp --dport 68 -j CHECKSUM --checksum-fill\nCOMMIT\n',
    '*raw\n-A PREROUTING -i virbr0 -j ACCEPT\n-A OUTPUT -j ACCEPT\nCOMMIT\n',
    '*security\n-A INPUT -j ACCEPT\n-A FORWARD -j ACCEPT\n-A OUTPUT -j ACCEPT\nCOMMIT\n',
    // A user chain may carry the name of another table's built-in chain.
    '*filter\n:PREROUTING - [0:0]\n-A INPUT -j PREROUTING\n-A PREROUTING -j ACCEPT\nCOMMIT\n',
    '*filter\n-N POSTROUTING\n-A OUTPUT -j POSTROUTING\nCOMMIT\n',
    // ... also when it is renamed later: the lines before the rename use the user chain.
    {
      code: '*filter\n:PREROUTING - [0:0]\n-A PREROUTING -j ACCEPT\n-A INPUT -j PREROUTING\n-E PREROUTING FOO\n-A FOO -j DROP\nCOMMIT\n',
      realTools: { verdict: 'refuse', why: 'iptables-nft-restore 1.8.9 refuses every rename of a chain the file creates (undefined-chain warns of it); iptables-legacy-restore accepts the file' },
    },
    { code: '*nat\n-A PREROUTING -i br0 -p tcp --dport 2222 -j DNAT --to-destination [fd00::10]:22\nCOMMIT\n', family: 'ipv6' },
  ],
  invalid: [
    { code: '*filter\n-A «PREROUTING» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'notInTable', data: { name: 'PREROUTING', table: 'filter' }, message: /belongs to nat, mangle, raw/ }] },
    { code: '*nat\n-A «FORWARD» -i virbr0 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'notInTable', data: { table: 'nat' } }] },
    { code: '*raw\n-A «INPUT» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'notInTable' }] },
    { code: '*raw\n-P «INPUT» DROP\nCOMMIT\n', errors: [{ messageId: 'notInTable' }] },
    { code: '*security\n--insert «POSTROUTING» 1 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'notInTable' }] },
    // With a policy the line means the built-in chain, which filter does not have.
    { code: '*filter\n:«POSTROUTING» ACCEPT [0:0]\nCOMMIT\n', errors: [{ messageId: 'notInTable' }] },
    { code: '*nat\n:«FORWARD» ACCEPT [0:0]\nCOMMIT\n', errors: [{ messageId: 'notInTable' }] },
    { code: '*filter\n-A «POSTROUTING» -o virbr0 -j ACCEPT\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'notInTable' }] },
  ],
});
