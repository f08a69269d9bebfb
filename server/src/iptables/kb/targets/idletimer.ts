import type { TargetSpec, ValueCheck } from '../types.js';
import { cutSilently, savedUnquoted } from '../values.js';
import { uint, unquote } from './targetValues.js';

const checkLabel: ValueCheck = (v) => {
  const s = unquote(v);
  if (s === '') return 'the label must not be empty';
  if (s.includes('/')) return `label "${s}" must not contain "/": it names a sysfs file`;
  if (['.', '..', 'power', 'subsystem', 'uevent'].includes(s)) return `label "${s}" is reserved by sysfs`;
  // struct idletimer_tg_info keeps 28 bytes with the final NUL (iptables-save after a real load).
  return cutSilently(s, 27, 'label', 'rules whose labels agree in those bytes share one timer') ?? savedUnquoted(s, 'label');
};

export const idletimer: TargetSpec = {
  name: 'IDLETIMER',
  terminating: false,
  doc: 'Restarts a named timer each time a packet hits the rule; when the timer runs out the kernel notifies userspace (sysfs file /sys/class/xt_idletimer/timers/LABEL), e.g. to power down an idle link.',
  options: {
    '--timeout': { args: [{ display: 'seconds', check: uint(1, 2147482, 'timeout', 'seconds; the kernel refuses 0 and values of 2147483 or more') }], doc: 'Required: idle time in seconds before the notification.' },
    '--label': { args: [{ display: 'name', check: checkLabel }], doc: 'Required: the timer\'s name (up to 27 characters are kept); rules with the same label share one timer.' },
    '--alarm': { args: [], doc: 'Use an alarm timer, which also runs while the system is suspended.' },
  },
  requireOneOf: [['--timeout'], ['--label']],
};
