import { checkedHookProblem } from '../hookChecks.js';
import type { ExtensionProblem, MatchSpec, ValueCheck } from '../types.js';
import { checkHostMask, didYouMean, oneOf, parseUnsignedBig, uintRange, UINT32_MAX } from '../values.js';

/**
 * Spellings of the IPsec protocols that libxt_policy's protocol lookup finds: the names and, as it
 * asks the host's /etc/protocols (case matters there), the aliases of the common distributions
 * (Debian's IPSEC-ESP, IPSEC-AH, IPCOMP; Fedora's ESP, AH, IPComp).
 */
const IPSEC_PROTOCOL_NAMES = ['esp', 'ah', 'ipcomp', 'IPSEC-ESP', 'IPSEC-AH', 'IPCOMP', 'ESP', 'AH', 'IPComp'];
const IPSEC_PROTOCOL_NUMBERS = [50n, 51n, 108n];

/** `--proto`: ah, esp or ipcomp by name, or their numbers 51, 50, 108 (C syntax: 0x32 and 062 are 50). */
const checkIpsecProtocol: ValueCheck = (v) => {
  const n = parseUnsignedBig(v);
  if (n !== undefined ? IPSEC_PROTOCOL_NUMBERS.includes(n) : IPSEC_PROTOCOL_NAMES.includes(v)) return undefined;
  return `invalid IPsec protocol "${v}"${n === undefined ? didYouMean(v, ['ah', 'esp', 'ipcomp']) : ''}: expected ah, esp or ipcomp (or 51, 50, 108)`;
};

const ELEMENT_OPTIONS = ['--reqid', '--spi', '--proto', '--mode', '--tunnel-src', '--tunnel-dst'];

/**
 * Elements are separated by --next: each needs an element option and takes each one once
 * ("policy match: empty policy element", "double --reqid option"). `order` is the match's options
 * in the order written.
 */
function elementProblems(order: readonly string[], modes: readonly string[]): ExtensionProblem[] {
  const problems: ExtensionProblem[] = [];
  let element: string[] = [];
  let number = 1;
  let mode = 0; // the next of `modes`, the values of every --mode in order
  let tunnel = false; // the element has `--mode tunnel` (not negated)
  let address: string | undefined; // the element's first --tunnel-src or --tunnel-dst
  const endElement = (): void => {
    if (element.length === 0) problems.push({ option: '--next', message: `policy element ${number} is empty: give it --reqid, --spi, --proto, --mode or --tunnel-src/--tunnel-dst before --next` });
    if (address && !tunnel) problems.push({ option: address, message: `--tunnel-src/--tunnel-dst need --mode tunnel in the same policy element (element ${number} has none)` });
    element = [];
    number++;
    tunnel = false;
    address = undefined;
  };
  for (const written of order) {
    const o = written.startsWith('!') ? written.slice(1) : written;
    if (o === '--next') endElement();
    else if (ELEMENT_OPTIONS.includes(o)) {
      if (element.includes(o)) problems.push({ option: o, last: true, message: `${o} is given twice in policy element ${number}: each element takes it once, with --next between elements` });
      element.push(o);
      if (o === '--mode' && modes[mode++]?.toLowerCase() === 'tunnel' && o === written) tunnel = true;
      if (o === '--tunnel-src' || o === '--tunnel-dst') address ??= o;
    }
  }
  if (order.includes('--next') || address) endElement();
  return problems;
}

export const policy: MatchSpec = {
  name: 'policy',
  doc: 'Matches the IPsec policy that was used to decapsulate the packet (`--dir in`) or will be used to encapsulate it (`--dir out`). Element options may repeat, separated by `--next`.',
  requireOneOf: [['--dir'], ['--pol']],
  options: {
    '--dir': { args: [{ display: 'in|out', check: oneOf(['in', 'out'], 'direction', true), values: ['in', 'out'] }], doc: '`in`: the decapsulation policy (PREROUTING, INPUT, FORWARD); `out`: the encapsulation policy (FORWARD, OUTPUT, POSTROUTING).' },
    '--pol': { args: [{ display: 'none|ipsec', check: oneOf(['none', 'ipsec'], 'policy', true), values: ['none', 'ipsec'] }], doc: '`ipsec` for packets subject to IPsec, `none` for the others.' },
    '--strict': { args: [], doc: 'The policy must match the listed elements exactly and in order (otherwise any one element matching is enough).' },
    '--reqid': { args: [{ display: 'id', check: uintRange(0, UINT32_MAX, 'reqid') }], negatable: true, repeatable: true, doc: 'Request id of the policy rule (`reqid` in setkey/ip xfrm).' },
    '--spi': { args: [{ display: 'spi', check: uintRange(0, UINT32_MAX, 'SPI') }], negatable: true, repeatable: true, doc: 'Security Parameters Index of the SA.' },
    '--proto': { args: [{ display: 'ah|esp|ipcomp', check: checkIpsecProtocol, values: ['ah', 'esp', 'ipcomp'] }], negatable: true, repeatable: true, doc: 'IPsec protocol of the element: ah, esp or ipcomp.' },
    '--mode': { args: [{ display: 'transport|tunnel', check: oneOf(['transport', 'tunnel'], 'mode', true), values: ['transport', 'tunnel'] }], negatable: true, repeatable: true, doc: 'Encapsulation mode of the element.' },
    '--tunnel-src': { args: [{ display: 'address[/mask]', check: checkHostMask }], negatable: true, repeatable: true, doc: 'Tunnel source address (needs `--mode tunnel`).' },
    '--tunnel-dst': { args: [{ display: 'address[/mask]', check: checkHostMask }], negatable: true, repeatable: true, doc: 'Tunnel destination address (needs `--mode tunnel`).' },
    '--next': { args: [], repeatable: true, requires: ['--strict'], doc: 'Starts the next policy element (up to 4 elements; only with `--strict`).' },
  },
  validate: (given) => {
    const problems: ExtensionProblem[] = [];
    // Each element may give each element option once, so the most repeated one counts the elements.
    const elements = Math.max(1, ...ELEMENT_OPTIONS.map((o) => given.get(o)?.length ?? 0));
    if (given.has('--strict') && !ELEMENT_OPTIONS.some((o) => given.has(o))) {
      problems.push({ option: '--strict', message: '--strict needs at least one policy element (--reqid, --spi, --proto, --mode, --tunnel-src/--tunnel-dst)' });
    }
    if (elements > 4) problems.push({ option: '--next', message: `at most 4 policy elements are allowed, ${elements} given` });
    // Read from the options in the order written, when the caller gives it.
    const order = given.get('@order');
    if (order) problems.push(...elementProblems(order, given.get('--mode') ?? []));
    const dir = given.get('--dir')?.[0];
    const known = dir === 'in' ? ['PREROUTING', 'INPUT', 'FORWARD'] : ['FORWARD', 'OUTPUT', 'POSTROUTING'];
    const wrong = dir === 'in' || dir === 'out'
      ? checkedHookProblem(given, '--dir', (h) => !known.includes(h), (hooks) => `--dir ${dir} is not valid in ${hooks.join(' or ')}: the kernel knows the ${dir === 'in' ? 'decapsulation' : 'encapsulation'} policy in ${known.join(', ')}`)
      : undefined;
    if (wrong) problems.push(wrong);
    const tunnel = given.has('--tunnel-src') || given.has('--tunnel-dst');
    // `! --mode tunnel` does not count: the addresses need an element in tunnel mode. With the
    // options in order, elementProblems checks this element by element.
    const tunnels = (values: readonly string[] | undefined): number => (values ?? []).filter((m) => m.toLowerCase() === 'tunnel').length;
    if (!order && tunnel && tunnels(given.get('--mode')) <= tunnels(given.get('!--mode'))) {
      problems.push({ option: given.has('--tunnel-src') ? '--tunnel-src' : '--tunnel-dst', message: '--tunnel-src/--tunnel-dst need --mode tunnel' });
    }
    return problems;
  },
};
