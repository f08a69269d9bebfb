import type { MatchSpec } from '../types.js';
import { checkIdOrRange } from '../values.js';

export const owner: MatchSpec = {
  name: 'owner',
  doc: 'Matches the user, group or existence of the local socket that sent the packet. Only for locally generated packets: OUTPUT and POSTROUTING.',
  chains: ['OUTPUT', 'POSTROUTING'],
  requireOneOf: [['--uid-owner', '--gid-owner', '--socket-exists']],
  options: {
    '--uid-owner': { args: [{ display: 'user[-user]', check: checkIdOrRange }], negatable: true, doc: 'Sending user: a name, a UID or a UID range `first-last`.' },
    '--gid-owner': { args: [{ display: 'group[-group]', check: checkIdOrRange }], negatable: true, doc: 'Sending group: a name, a GID or a GID range `first-last`.' },
    '--socket-exists': { args: [], negatable: true, doc: 'The packet has a local socket at all.' },
    '--suppl-groups': { args: [], requires: ['--gid-owner'], doc: 'With `--gid-owner`, also look at the supplementary groups of the socket\'s user. Must come after `--gid-owner`.' },
  },
  validate: (given) => {
    const keys = [...given.keys()];
    const s = keys.indexOf('--suppl-groups');
    const g = keys.indexOf('--gid-owner');
    return s !== -1 && g !== -1 && s < g ? [{ option: '--suppl-groups', message: '--suppl-groups must come after --gid-owner' }] : [];
  },
};
