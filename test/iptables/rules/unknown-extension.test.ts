import { unknownExtension } from '../../../server/src/iptables/rules/unknown-extension.js';
import { ruleTester } from '../../helpers/ruleTester.js';

/**
 * kvmnet knows every extension of iptables 1.8.9, so the extensions it does not know are also
 * missing from the iptables on this machine (xtables-addons' geoip, a vendor's own target ...):
 * the tools refuse these cases. On a host whose iptables has them, they would load.
 */
const notInThisIptables = { verdict: 'refuse', why: 'the extension is not in this iptables either' } as const;

ruleTester.run(unknownExtension, {
  valid: [
    '*filter\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\nCOMMIT\n',
    '*filter\n-A INPUT -p tcp -m recent --name ssh --rcheck --seconds 60 -j DROP\nCOMMIT\n',
    '*mangle\n-A POSTROUTING -o virbr0 -p udp -m udp --dport 68 -j CHECKSUM --checksum-fill\nCOMMIT\n',
    '*filter\n:LIBVIRT_INP - [0:0]\n-A INPUT -j LIBVIRT_INP\nCOMMIT\n',
    { code: '*filter\n-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 135 -j ACCEPT\nCOMMIT\n', family: 'ipv6' },
  ],
  invalid: [
    { code: '*filter\n-A INPUT -m «geoip» --src-cc CN -j DROP\nCOMMIT\n', errors: [{ messageId: 'match', data: { name: 'geoip' } }], realTools: notInThisIptables },
    { code: '*filter\n-A INPUT -p tcp -j «TARPIT» --tarpit\nCOMMIT\n', errors: [{ messageId: 'target', data: { name: 'TARPIT' } }], realTools: notInThisIptables },
    // Said once per name, not once per use.
    { code: '*filter\n-A INPUT -m «geoip» --src-cc CN -j DROP\n-A INPUT -m geoip --src-cc RU -j DROP\nCOMMIT\n', errors: [{ messageId: 'match' }], realTools: notInThisIptables },
    { code: '*filter\n--append INPUT --match «pknock» --knockports 4002 --jump ACCEPT\nCOMMIT\n', errors: [{ messageId: 'match' }], realTools: notInThisIptables },
    { code: '*filter\n-A INPUT -m «geoip» --src-cc CN -j DROP\nCOMMIT\n', family: 'ipv6', errors: [{ messageId: 'match' }], realTools: notInThisIptables },
  ],
});
