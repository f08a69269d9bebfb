import type { TargetSpec, ValueCheck } from '../types.js';
import { parseWholeUnsigned, stringUpTo } from './targetValues.js';

const checkDelay: ValueCheck = (v) =>
  v === 'inf' || parseWholeUnsigned(v, 0, 0xffffffff) !== undefined ? undefined : `invalid delay "${v}": expected milliseconds 0-4294967295 or "inf"`;

export const led: TargetSpec = {
  name: 'LED',
  terminating: false,
  doc: 'Creates an LED trigger named `netfilter-ID` that fires for matching packets; attach it to an LED under /sys/class/leds to see traffic.',
  options: {
    '--led-trigger-id': { args: [{ display: 'name', check: stringUpTo(16, 'trigger id') }], doc: 'Required: the trigger\'s name suffix (at most 16 characters).' },
    '--led-delay': { args: [{ display: 'ms|inf', check: checkDelay }], doc: 'How long the LED stays on after a packet, in milliseconds; `inf` keeps it on.' },
    '--led-always-blink': { args: [], doc: 'Blink on every packet even when the LED is already on.' },
  },
  requireOneOf: [['--led-trigger-id']],
};
