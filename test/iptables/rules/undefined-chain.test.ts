import { undefinedChain } from '../../../server/src/iptables/rules/undefined-chain.js';
import { ruleTester } from '../../helpers/ruleTester.js';

ruleTester.run(undefinedChain, {
  valid: [
    '*filter\n:LIBVIRT_INP - [0:0]\n-A INPUT -j LIBVIRT_INP\nCOMMIT\n',
    // -N declares the chain as well as ":NAME - [0:0]" does.
    '*filter\n-N LIBVIRT_INP\n-A LIBVIRT_INP -i virbr0 -p udp --dport 53 -j ACCEPT\n-A INPUT -j LIBVIRT_INP\nCOMMIT\n',
    // A goto to a declared chain; long option form.
    '*filter\n:LIBVIRT_FWO - [0:0]\n--append FORWARD --in-interface virbr0 --goto LIBVIRT_FWO\nCOMMIT\n',
    // Built-in chains need no declaration, and standard targets are no chains.
    '*filter\n-A INPUT -j ACCEPT\n-A FORWARD -j DROP\n-A OUTPUT -j RETURN\nCOMMIT\n',
    // Target extensions are not chains.
    '*nat\n-A POSTROUTING -s 192.168.122.0/24 ! -d 192.168.122.0/24 -j MASQUERADE\nCOMMIT\n',
    // The same chain name declared in two tables, used in each.
    '*nat\n:LIBVIRT_PRT - [0:0]\n-A POSTROUTING -j LIBVIRT_PRT\nCOMMIT\n*mangle\n:LIBVIRT_PRT - [0:0]\n-A POSTROUTING -j LIBVIRT_PRT\nCOMMIT\n',
    // -N in the middle of the rules works as long as it comes before the first use.
    '*filter\n-N BR0_FWD\n-A FORWARD -i br0 -j BR0_FWD\n-A BR0_FWD -o br0 -j ACCEPT\nCOMMIT\n',
    { code: '*filter\n:LIBVIRT_INP - [0:0]\n-A INPUT -j LIBVIRT_INP\nCOMMIT\n', family: 'ipv6' },
    '*filter\n:LIBVIRT_INP - [0:0]\n-F LIBVIRT_INP\n-X LIBVIRT_INP\nCOMMIT\n',
  ],
  invalid: [
    { code: '*filter\n-A INPUT -j «LIBVIRT_INP»\nCOMMIT\n', errors: [{ messageId: 'jump', data: { name: 'LIBVIRT_INP', table: 'filter' } }] },
    { code: '*filter\n-A «LIBVIRT_INP» -i virbr0 -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'append' }] },
    // (A name close to a declared chain, such as LIBVIRT_FWI next to LIBVIRT_FWO, is unknown-module's.)
    { code: '*filter\n:LIBVIRT_FWO - [0:0]\n-A FORWARD -i virbr0 -g «BR0_FWD»\nCOMMIT\n', errors: [{ messageId: 'jump', message: /^-g BR0_FWD/ }] },
    { code: '*filter\n--append FORWARD --jump «LIBVIRT_FWX»\nCOMMIT\n', errors: [{ messageId: 'jump', data: { option: '--jump' } }] },
    // Chains belong to one table: the nat declaration does not help filter.
    {
      code: '*nat\n:LIBVIRT_PRT - [0:0]\n-A POSTROUTING -j LIBVIRT_PRT\nCOMMIT\n*filter\n-A FORWARD -j «LIBVIRT_PRT»\nCOMMIT\n',
      errors: [{ messageId: 'jump', message: /declared in table nat/ }],
    },
    { code: '*filter\n-A INPUT -j «INPUT»\nCOMMIT\n', errors: [{ messageId: 'builtin' }] },
    { code: '*filter\n-A INPUT -j «OUTPUT»\nCOMMIT\n', errors: [{ messageId: 'builtin' }] },
    { code: '*filter\n-I INPUT 1 -j ACCEPT\n-F «BR0_FWD»\nCOMMIT\n', errors: [{ messageId: 'append', data: { name: 'BR0_FWD' } }] },
    { code: '*filter\n-D «BR0_FWD» -j ACCEPT\nCOMMIT\n', errors: [{ messageId: 'append' }] },
    { code: '*filter\n-A INPUT -j «LIBVIRT_INP»\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'jump' }] },
    // A chain used before its -N line does not exist yet when the rule is applied.
    { code: '*filter\n-A FORWARD -i br0 -j «BR0_FWD»\n-N BR0_FWD\nCOMMIT\n', errors: [{ messageId: 'notYet' }] },
    // ... and after -X it is gone again.
    { code: '*filter\n-N BR0_FWD\n-X BR0_FWD\n-A FORWARD -i br0 -j «BR0_FWD»\nCOMMIT\n', errors: [{ messageId: 'notYet' }] },
    // -Z takes a chain name; "3" is not one.
    { code: '*filter\n-Z «3»\nCOMMIT\n', errors: [{ messageId: 'append' }] },
  ],
});
