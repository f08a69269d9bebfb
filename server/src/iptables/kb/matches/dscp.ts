import type { MatchSpec } from '../types.js';
import { startingWithOneOf, uintRange } from '../values.js';

/** DiffServ class names iptables knows (class_to_dscp). */
export const DSCP_CLASSES = ['CS0', 'CS1', 'CS2', 'CS3', 'CS4', 'CS5', 'CS6', 'CS7', 'BE', 'AF11', 'AF12', 'AF13', 'AF21', 'AF22', 'AF23', 'AF31', 'AF32', 'AF33', 'AF41', 'AF42', 'AF43', 'EF'];

export const dscp: MatchSpec = {
  name: 'dscp',
  doc: 'Matches the 6-bit DSCP field of the IPv4 TOS / IPv6 traffic class byte.',
  requireOneOf: [['--dscp', '--dscp-class']],
  options: {
    '--dscp': { args: [{ display: 'value', check: uintRange(0, 63, 'DSCP value') }], negatable: true, conflicts: ['--dscp-class'], doc: 'DSCP code point 0-63 (decimal or hex, e.g. 0x2e).' },
    '--dscp-class': { args: [{ display: 'class', check: startingWithOneOf(DSCP_CLASSES, 'DiffServ class'), values: DSCP_CLASSES }], negatable: true, conflicts: ['--dscp'], doc: 'A DiffServ class name: BE, EF, AF11-AF43 or CS0-CS7 (any case; iptables ignores what follows the name).' },
  },
};
