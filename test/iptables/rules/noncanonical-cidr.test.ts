import { noncanonicalCidr } from '../../../server/src/iptables/rules/noncanonical-cidr.js';
import { ruleTester } from '../../helpers/ruleTester.js';

ruleTester.run(noncanonicalCidr, {
  valid: [
    '*nat\n-A POSTROUTING -s 192.168.122.0/24 ! -d 192.168.122.0/24 -j MASQUERADE\nCOMMIT\n',
    // A host address, with or without /32; the whole address space.
    '*filter\n-A INPUT -s 192.168.122.1 -j ACCEPT\n-A INPUT -d 192.168.122.1/32 -j ACCEPT\n-A INPUT -s 0.0.0.0/0 -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -s 192.168.122.0/255.255.255.0 -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -s 192.168.122.0/24,10.0.0.0/8 -j ACCEPT\nCOMMIT\n',
    // Ranges have no prefix.
    '*filter\n-A INPUT -m iprange --src-range 192.168.122.2-192.168.122.254 -j ACCEPT\nCOMMIT\n',
    { code: '*filter\n-A INPUT -s fd00::/64 -d fe80::1/128 -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
  ],
  invalid: [
    { code: '*filter\n-A INPUT -s «192.168.122.1/24» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'cidr', data: { canonical: '192.168.122.0/24' } }] },
    { code: '*filter\n-A INPUT ! -d «192.168.122.1/24» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'cidr' }] },
    { code: '*filter\n--append INPUT --source «192.168.122.1/24» --jump ACCEPT\nCOMMIT\n', errors: [{ messageId: 'cidr' }] },
    // Inside quotes the finding covers the address, not the quotes.
    { code: '*filter\n-A INPUT -s "«192.168.122.1/24»" -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'cidr' }] },
    // Only the item of a list that has host bits.
    { code: '*filter\n-A INPUT -s 192.168.122.0/24,«10.1.2.3/8» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'cidr', data: { canonical: '10.0.0.0/8' } }] },
    { code: '*filter\n-A INPUT -s «192.168.122.1/255.255.255.0» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'cidr', data: { canonical: '192.168.122.0/24' } }] },
    // /0 with an address: matches everything, which is rarely what was meant.
    { code: '*filter\n-A INPUT -s «10.0.0.1/0» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'cidr', data: { canonical: '0.0.0.0/0' } }] },
    { code: '*nat\n-A POSTROUTING -s «192.168.122.1/24» ! -d «192.168.122.1/24» -j MASQUERADE\nCOMMIT\n', errors: [{ messageId: 'cidr' }, { messageId: 'cidr' }] },
    { code: '*filter\n-A INPUT -s «fd00::1/64» -j ACCEPT\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'cidr', data: { canonical: 'fd00::/64' } }] },
    // Extension options with addresses are masked the same way.
    { code: '*filter\n-A INPUT -m conntrack --ctorigsrc «192.168.122.1/24» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'cidr' }] },
  ],
});
