import type { ExtensionProblem, MatchSpec } from '../types.js';
import { checkHost, uintRange, UINT32_MAX } from '../values.js';

const COMMANDS = ['--set', '--rcheck', '--update', '--remove'];
const others = (o: string): string[] => COMMANDS.filter((c) => c !== o);

export const recent: MatchSpec = {
  name: 'recent',
  doc: 'Keeps a named list of recently seen addresses: one rule adds addresses (`--set`), others test, refresh or remove them, e.g. to throttle repeated SSH connection attempts.',
  requireOneOf: [COMMANDS],
  options: {
    '--set': { args: [], negatable: true, conflicts: others('--set'), doc: 'Add (or refresh) the address in the list; always matches.' },
    '--rcheck': { args: [], negatable: true, conflicts: others('--rcheck'), doc: 'Match if the address is in the list.' },
    '--update': { args: [], negatable: true, conflicts: others('--update'), doc: 'Match if the address is in the list, and refresh its last-seen time.' },
    '--remove': { args: [], negatable: true, conflicts: others('--remove'), doc: 'Match if the address is in the list, and remove it.' },
    '--seconds': { args: [{ display: 'seconds', check: uintRange(1, UINT32_MAX, 'seconds') }], doc: 'With --rcheck/--update: only if the address was seen within this many seconds.' },
    '--reap': { args: [], requires: ['--seconds'], doc: 'With --seconds: purge entries older than that.' },
    '--hitcount': { args: [{ display: 'hits', check: uintRange(0, UINT32_MAX, 'hit count') }], doc: 'With --rcheck/--update: only if the address was seen at least this many times (kernels before 6.x refuse values above 255; the module parameter ip_pkt_list_tot may limit it further).' },
    '--rttl': { args: [], doc: 'With --rcheck/--update: the TTL must also equal the one of the packet that was added.' },
    '--name': { args: [{ display: 'name', check: (v) => (v === '' ? 'empty list name' : undefined) }], doc: 'Name of the list (default DEFAULT), visible in /proc/net/xt_recent/NAME.' },
    '--rsource': { args: [], doc: 'Use the source address (the default).' },
    '--rdest': { args: [], doc: 'Use the destination address.' },
    '--mask': { args: [{ display: 'netmask', check: checkHost }], doc: 'Netmask applied to the address before it is stored or looked up, e.g. 255.255.255.0.' },
  },
  validate: (given) => {
    const problems: ExtensionProblem[] = [];
    if (given.has('--set') || given.has('--remove')) {
      for (const o of ['--seconds', '--hitcount', '--rttl', '--reap']) {
        if (given.has(o)) problems.push({ option: o, message: `${o} works only with --rcheck or --update` });
      }
    }
    return problems;
  },
};
