import type { TargetSpec } from '../types.js';
import { checkMac } from '../values.js';
import { parseWholeUnsigned, uint } from './targetValues.js';

const HASHMODES = ['sourceip', 'sourceip-sourceport', 'sourceip-sourceport-destport'];

export const clusterip: TargetSpec = {
  name: 'CLUSTERIP',
  family: 'ipv4',
  terminating: false,
  doc: 'Deprecated (removed from Linux 6.3): lets several hosts share one IP and multicast MAC, each answering the connections that hash to its node number. Prefer `-m cluster`. The kernel also wants the rule to name the shared address with `-d addr/32` and, with `--new`, an input interface `-i`.',
  removedFromKernel: { version: '6.3', instead: 'share the address with -m cluster instead' },
  options: {
    '--new': { args: [], doc: 'Creates the cluster address; the other options may only be given together with it.' },
    '--hashmode': {
      args: [{ display: 'mode', values: HASHMODES, check: (v) => (HASHMODES.includes(v) ? undefined : `unknown hash mode "${v}": expected one of ${HASHMODES.join(', ')}`) }],
      requires: ['--new'],
      doc: 'Which header fields are hashed to pick the node: source address, plus source port, plus destination port.',
    },
    '--clustermac': {
      args: [{ display: 'XX:XX:XX:XX:XX:XX', check: (v, f) => checkMac(v, f) ?? ((parseInt(v.split(':')[0] ?? '0', 16) & 1) === 0 ? `cluster MAC ${v} must be a multicast address (lowest bit of the first byte set)` : undefined) }],
      requires: ['--new'],
      doc: 'The shared link-layer address; it must be a multicast MAC.',
    },
    '--total-nodes': { args: [{ display: '1-16', check: uint(0, 16, 'node count') }], requires: ['--new'], doc: 'Number of nodes in the cluster (at most 16).' },
    '--local-node': { args: [{ display: '1-16', check: uint(0, 65535, 'node number') }], requires: ['--new'], doc: 'This host\'s node number, from 1 to the total.' },
    '--hash-init': { args: [{ display: 'number', check: uint(0, 0xffffffff, 'hash seed') }], requires: ['--new'], doc: 'Seed of the hash; must be the same on every node.' },
  },
  validate(given) {
    const problems = [];
    const opts = ['--new', '--hashmode', '--clustermac', '--total-nodes', '--local-node'];
    const any = [...given.keys()].some((k) => k.startsWith('--'));
    if (any && opts.some((o) => !given.has(o))) {
      problems.push({ message: 'with --new, CLUSTERIP needs all of --hashmode, --clustermac, --total-nodes and --local-node' });
    }
    const total = parseWholeUnsigned(given.get('--total-nodes')?.[0] ?? '', 0, 16);
    const local = parseWholeUnsigned(given.get('--local-node')?.[0] ?? '', 0, 65535);
    if (total !== undefined && local !== undefined && (local < 1 || local > total)) {
      problems.push({ option: '--local-node', message: `local node ${local} must be between 1 and the total node count ${total}` });
    }
    return problems;
  },
};
