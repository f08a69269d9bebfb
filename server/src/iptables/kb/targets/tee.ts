import type { TargetSpec, ValueCheck } from '../types.js';
import { checkResolvableHost, hostOctalNote } from '../values.js';
import { isUnspecifiedAddress } from './targetValues.js';

const checkGateway: ValueCheck = (v, family) =>
  checkResolvableHost(v, family) ?? (isUnspecifiedAddress(v, family) ? `the gateway cannot be the unspecified address ${v}` : hostOctalNote(v, family));

export const tee: TargetSpec = {
  name: 'TEE',
  terminating: false,
  doc: 'Sends a copy of the packet to another host on a directly connected network (e.g. a capture box); the original continues normally.',
  options: {
    '--gateway': { args: [{ display: 'address', check: checkGateway }], doc: 'Required: next hop that receives the copy (not 0.0.0.0 or ::).' },
    '--oif': { args: [{ display: 'interface' }], doc: 'Send the copy out of this interface.' },
  },
  requireOneOf: [['--gateway']],
};
