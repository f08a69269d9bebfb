import type { MatchSpec } from '../types.js';
import { checkHostMask, checkPortLoose, checkProtocol, oneOf } from '../values.js';

const DIRS = ['ORIGINAL', 'REPLY'];
const METHODS = ['GATE', 'IPIP', 'MASQ'];

export const ipvs: MatchSpec = {
  name: 'ipvs',
  doc: 'Matches packets that belong to an IPVS (Linux Virtual Server) connection, by virtual service address, port, protocol and forwarding method. Needs the ip_vs kernel module.',
  requireOneOf: [['--ipvs', '--vproto', '--vaddr', '--vport', '--vdir', '--vmethod', '--vportctl']],
  options: {
    '--ipvs': { args: [], negatable: true, doc: 'The packet belongs to an IPVS connection.' },
    '--vproto': { args: [{ display: 'protocol', check: checkProtocol }], negatable: true, doc: 'Protocol of the virtual service, by name or number.' },
    '--vaddr': { args: [{ display: 'address[/mask]', check: checkHostMask }], negatable: true, doc: 'Virtual service address, `address[/mask]`.' },
    '--vport': { args: [{ display: 'port', check: checkPortLoose }], negatable: true, doc: 'Virtual service port, number or service name.' },
    '--vdir': { args: [{ display: 'ORIGINAL|REPLY', check: oneOf(DIRS, 'direction'), values: DIRS }], doc: 'Direction of the packet within the connection.' },
    '--vmethod': { args: [{ display: 'GATE|IPIP|MASQ', check: oneOf(METHODS, 'forwarding method'), values: METHODS }], negatable: true, doc: 'IPVS forwarding method: direct routing (GATE), tunnelling (IPIP) or NAT (MASQ).' },
    '--vportctl': { args: [{ display: 'port', check: checkPortLoose }], negatable: true, doc: 'Port of the controlling connection (e.g. 21 for FTP data).' },
  },
};
