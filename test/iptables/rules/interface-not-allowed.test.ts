import { interfaceNotAllowed } from '../../../server/src/iptables/rules/interface-not-allowed.js';
import { ruleTester } from '../../helpers/ruleTester.js';

ruleTester.run(interfaceNotAllowed, {
  valid: [
    '*filter\n-A INPUT -i virbr0 -p udp --dport 67 -j ACCEPT\n-A OUTPUT -o virbr0 -p udp --dport 68 -j ACCEPT\nCOMMIT\n',
    '*filter\n-A FORWARD -i virbr0 -o br0 -j ACCEPT\n-A FORWARD -i br0 -o br0 -j ACCEPT\nCOMMIT\n',
    '*nat\n-A PREROUTING -i br0 -p tcp --dport 2222 -j DNAT --to-destination 192.168.122.10:22\n-A POSTROUTING -o br0 -s 192.168.122.0/24 -j MASQUERADE\nCOMMIT\n',
    '*mangle\n-A PREROUTING -i virbr0 -j ACCEPT\n-A FORWARD -i virbr0 -o br0 -j ACCEPT\n-A POSTROUTING -o virbr0 -p udp --dport 68 -j CHECKSUM --checksum-fill\nCOMMIT\n',
    // In a user chain the tools do not check (the rule just never matches); that is no error.
    '*filter\n:LIBVIRT_INP - [0:0]\n-A INPUT -j LIBVIRT_INP\n-A LIBVIRT_INP -o virbr0 -j ACCEPT\nCOMMIT\n',
    { code: '*filter\n-A INPUT -i virbr0 -j ACCEPT\n-A OUTPUT -o virbr0 -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
  ],
  invalid: [
    { code: '*filter\n-A OUTPUT «-i» lo -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'input', data: { chain: 'OUTPUT' } }] },
    { code: '*filter\n-A OUTPUT ! «-i» lo -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'input' }] },
    { code: '*filter\n-A OUTPUT «--in-interface» lo -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'input', data: { option: '--in-interface' } }] },
    { code: '*nat\n-A POSTROUTING «-i» virbr0 -j MASQUERADE\nCOMMIT\n', errors: [{ messageId: 'input', message: /did you mean -o\?/ }] },
    { code: '*mangle\n-A POSTROUTING «-i» virbr0 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'input' }] },
    { code: '*raw\n-A OUTPUT «-i» lo -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'input' }] },
    { code: '*filter\n-A INPUT «-o» virbr0 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'output', data: { chain: 'INPUT' } }] },
    { code: '*nat\n-A PREROUTING «-o» br0 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'output', message: /did you mean -i\?/ }] },
    { code: '*nat\n-A INPUT «--out-interface» lo -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'output' }] },
    { code: '*raw\n-A PREROUTING ! «-o» lo -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'output' }] },
    // Both in one rule.
    { code: '*filter\n-A INPUT -i virbr0 «-o» br0 -j ACCEPT\n-A OUTPUT «-i» br0 -o virbr0 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'output' }, { messageId: 'input' }] },
    { code: '*filter\n-A OUTPUT «-i» lo -j ACCEPT\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'input' }] },
  ],
});
