import { checkedHookProblem } from '../hookChecks.js';
import type { MatchSpec, ValueCheck } from '../types.js';
import { checkInterface } from '../values.js';

/** A bridge port name: as -i/-o take one, but the empty name loads (physdev has no "Empty interface" check). */
const physdevInterface: ValueCheck = (v, family) => (v === '' ? undefined : checkInterface(v, family));

export const physdev: MatchSpec = {
  name: 'physdev',
  doc: 'Matches the bridge port a bridged packet came in on or goes out through (needs br_netfilter, i.e. bridge-nf-call-iptables).',
  requireOneOf: [['--physdev-in', '--physdev-out', '--physdev-is-in', '--physdev-is-out', '--physdev-is-bridged']],
  validate: (given) => {
    // The kernel (xt_physdev's check) refuses an output-port test in OUTPUT unless the rule also
    // requires bridged traffic (--physdev-is-bridged, not negated); FORWARD and POSTROUTING take it.
    const out = given.has('--physdev-out') ? '--physdev-out' : given.has('--physdev-is-out') ? '--physdev-is-out' : undefined;
    const bridged = given.has('--physdev-is-bridged') && !given.has('!--physdev-is-bridged');
    const problem = out && !bridged ? checkedHookProblem(given, out, (h) => h === 'OUTPUT', () => 'in OUTPUT the kernel accepts it only together with --physdev-is-bridged (not negated)') : undefined;
    return problem ? [problem] : [];
  },
  options: {
    '--physdev-in': { args: [{ display: 'name[+]', check: physdevInterface }], negatable: true, doc: 'Bridge port the packet entered through; `+` at the end is a wildcard. Not in OUTPUT or POSTROUTING.' },
    '--physdev-out': { args: [{ display: 'name[+]', check: physdevInterface }], negatable: true, doc: 'Bridge port the packet will leave through (FORWARD and POSTROUTING). In OUTPUT the kernel wants `--physdev-is-bridged` with it.' },
    '--physdev-is-in': { args: [], negatable: true, doc: 'The packet entered through a bridge port.' },
    '--physdev-is-out': { args: [], negatable: true, doc: 'The packet will leave through a bridge port.' },
    '--physdev-is-bridged': { args: [], negatable: true, doc: 'The packet is being bridged (not routed).' },
  },
};
