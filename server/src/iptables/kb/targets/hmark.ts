import type { ExtensionProblem, TargetSpec, ValueCheck } from '../types.js';
import { netmaskHolesNote, octalNote } from '../values.js';
import { checkPrefixLength, parseWholeUnsigned, uint } from './targetValues.js';

/** Tuple words in the order iptables tries them; an item may be any leading part of a word (any case). */
const TUPLE_WORDS = ['ct', 'src', 'dst', 'sport', 'dport', 'proto', 'spi'];

function resolveTupleItem(item: string): string | undefined {
  if (item === '') return undefined;
  const i = item.toLowerCase();
  return TUPLE_WORDS.find((w) => w.startsWith(i));
}

const checkTuple: ValueCheck = (v) => {
  for (const item of v.split(',')) {
    if (resolveTupleItem(item) === undefined) {
      return item === '' ? `empty item in tuple "${v}"` : `unknown tuple member "${item}": expected ${TUPLE_WORDS.join(', ')}`;
    }
  }
  return undefined;
};

/**
 * A prefix length (or netmask) as HMARK reads it: `024` is /20 and a netmask with holes (`33`,
 * `288`, `32.5` as inet_aton reads them) is /32 (iptables-save after a real load shows both).
 */
const checkHmarkPrefix: ValueCheck = (v, family) =>
  checkPrefixLength(v, family) ?? (parseWholeUnsigned(v, 0, family === 'ipv4' ? 32 : 128) !== undefined ? octalNote(v, 'prefix length') : netmaskHolesNote(v, family));

const u16 = uint(0, 65535, 'value');
const u32 = uint(0, 0xffffffff, 'value');

export const hmark: TargetSpec = {
  name: 'HMARK',
  terminating: false,
  doc: 'Sets the packet mark from a hash of chosen header fields (or the conntrack tuple): mark = hash % mod + offset. Spreads flows over several routes or queues while keeping each flow on one.',
  options: {
    '--hmark-tuple': { args: [{ display: 'member[,member...]', values: TUPLE_WORDS, check: checkTuple }], doc: 'Fields to hash: src, dst, sport, dport, spi, proto, and ct to use the conntrack tuple.' },
    '--hmark-mod': { args: [{ display: 'number (>0)', check: uint(1, 0xffffffff, 'modulus') }], doc: 'Required: the hash is taken modulo this number.' },
    '--hmark-offset': { args: [{ display: 'number', check: u32 }], doc: 'Added to the result (first mark value).' },
    '--hmark-rnd': { args: [{ display: 'number', check: u32 }], doc: 'Required: random seed of the hash.' },
    '--hmark-src-prefix': { args: [{ display: 'length', check: checkHmarkPrefix }], doc: 'Source address prefix length that is hashed.' },
    '--hmark-dst-prefix': { args: [{ display: 'length', check: checkHmarkPrefix }], doc: 'Destination address prefix length that is hashed.' },
    '--hmark-sport-mask': { args: [{ display: '16-bit mask', check: u16 }], conflicts: ['--hmark-spi-mask'], doc: 'Mask applied to the source port.' },
    '--hmark-dport-mask': { args: [{ display: '16-bit mask', check: u16 }], conflicts: ['--hmark-spi-mask'], doc: 'Mask applied to the destination port.' },
    '--hmark-spi-mask': { args: [{ display: '32-bit mask', check: u32 }], conflicts: ['--hmark-sport-mask', '--hmark-dport-mask'], doc: 'Mask applied to the ESP/AH SPI.' },
    '--hmark-sport': { args: [{ display: '16-bit value', check: u16 }], doc: 'Value ORed into the source port.' },
    '--hmark-dport': { args: [{ display: '16-bit value', check: u16 }], doc: 'Value ORed into the destination port.' },
    '--hmark-spi': { args: [{ display: '32-bit value', check: u32 }], doc: 'Value ORed into the SPI.' },
    '--hmark-proto-mask': { args: [{ display: 'mask', check: u16 }], doc: 'Mask applied to the layer-4 protocol number.' },
  },
  requireOneOf: [['--hmark-mod'], ['--hmark-rnd']],
  validate(given) {
    const problems: ExtensionProblem[] = [];
    const tuple = (given.get('--hmark-tuple')?.[0] ?? '').split(',').map(resolveTupleItem);
    const has = (opt: string, word: string): boolean => given.has(opt) || tuple.includes(word);
    const fieldOptions = ['--hmark-src-prefix', '--hmark-dst-prefix', '--hmark-sport-mask', '--hmark-dport-mask', '--hmark-spi-mask', '--hmark-proto-mask', '--hmark-sport', '--hmark-dport', '--hmark-spi'];
    if (!fieldOptions.some((o) => given.has(o)) && !tuple.some((w) => w !== undefined)) {
      problems.push({ message: 'HMARK needs something to hash: --hmark-tuple or one of the prefix/mask options' });
    }
    if (has('--hmark-spi-mask', 'spi') && (has('--hmark-sport-mask', 'sport') || has('--hmark-dport-mask', 'dport'))) {
      problems.push({ option: '--hmark-tuple', message: 'spi cannot be hashed together with sport or dport' });
    }
    return problems;
  },
};
