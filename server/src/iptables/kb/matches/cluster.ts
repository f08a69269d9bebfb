import type { ExtensionProblem, MatchSpec } from '../types.js';
import { parseUnsignedBig, uintRange, UINT32_MAX } from '../values.js';

export const cluster: MatchSpec = {
  name: 'cluster',
  doc: 'Splits traffic between the nodes of a load-sharing cluster by a hash of the connection; each node matches its own share.',
  requireOneOf: [['--cluster-total-nodes'], ['--cluster-local-node', '--cluster-local-nodemask'], ['--cluster-hash-seed']],
  options: {
    '--cluster-total-nodes': { args: [{ display: 'num', check: uintRange(1, 32, 'node count') }], doc: 'Number of nodes in the cluster, 1-32.' },
    '--cluster-local-node': { args: [{ display: 'num', check: uintRange(1, 32, 'node number') }], negatable: true, conflicts: ['--cluster-local-nodemask'], doc: 'This node\'s number, 1 to the total.' },
    '--cluster-local-nodemask': { args: [{ display: 'mask', check: uintRange(0, UINT32_MAX, 'node mask') }], negatable: true, conflicts: ['--cluster-local-node'], doc: 'Bit mask of the node numbers this node answers for (bit 0 is node 1).' },
    '--cluster-hash-seed': { args: [{ display: 'num', check: uintRange(0, UINT32_MAX, 'seed') }], doc: 'Seed of the hash; must be the same on every node.' },
  },
  validate: (given) => {
    const problems: ExtensionProblem[] = [];
    const total = parseUnsignedBig(given.get('--cluster-total-nodes')?.[0] ?? '');
    const node = parseUnsignedBig(given.get('--cluster-local-node')?.[0] ?? '');
    const mask = parseUnsignedBig(given.get('--cluster-local-nodemask')?.[0] ?? '');
    if (total !== undefined && total <= 32n) {
      if (node !== undefined && node > total) problems.push({ option: '--cluster-local-node', message: `node ${node} is above the total of ${total} nodes` });
      if (mask !== undefined && mask >= 1n << total) problems.push({ option: '--cluster-local-nodemask', message: `node mask ${mask} has bits beyond the ${total} nodes` });
    }
    return problems;
  },
};
