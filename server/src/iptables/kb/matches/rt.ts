import type { ExtensionProblem, MatchSpec, ValueCheck } from '../types.js';
import { commaList, isPtonIPv6, mintRange, parseUnsigned, uintRange, UINT32_MAX } from '../values.js';

const checkAddr: ValueCheck = (v) => (isPtonIPv6(v) ? undefined : `invalid IPv6 address "${v}"`);

export const rt: MatchSpec = {
  name: 'rt',
  family: 'ipv6',
  doc: 'Matches the IPv6 Routing extension header: type, segments left, length and (type 0) the address list.',
  options: {
    '--rt-type': { args: [{ display: 'type', check: uintRange(0, UINT32_MAX, 'routing type') }], negatable: true, doc: 'Routing header type.' },
    '--rt-segsleft': { args: [{ display: 'num[:num]', check: mintRange(UINT32_MAX, 'segments left') }], negatable: true, doc: 'Segments Left field, or an inclusive range.' },
    '--rt-len': { args: [{ display: 'length', check: uintRange(0, UINT32_MAX, 'length') }], negatable: true, doc: 'The header length field equals this number.' },
    '--rt-0-res': { args: [], doc: 'Type 0: the reserved field must be zero.' },
    '--rt-0-addrs': { args: [{ display: 'addr[,addr...]', check: commaList(checkAddr, 16, 'address') }], doc: 'Type 0: the listed addresses (at most 16) must appear in the header, in order. Needs `--rt-type 0` before it.' },
    '--rt-0-not-strict': { args: [], requires: ['--rt-0-addrs'], doc: 'With --rt-0-addrs: other addresses may appear in between.' },
  },
  validate: (given) => {
    // The type 0 options need `--rt-type 0` itself: not another type, not `! --rt-type 0`.
    const type = given.get('--rt-type')?.[0];
    const typeZero = type !== undefined && parseUnsigned(type) === 0 && !given.has('!--rt-type');
    // libip6t_rt checks the type as it reads the option: `--rt-type 0` must come first.
    const order = given.get('@order');
    const typeFirst = (option: string): boolean => order === undefined || order.indexOf('--rt-type') < order.indexOf(option);
    const problems: ExtensionProblem[] = [];
    for (const option of ['--rt-0-res', '--rt-0-addrs']) {
      if (given.has(option) && !(typeZero && typeFirst(option))) problems.push({ option, message: `${option} needs "--rt-type 0" (not negated) before it` });
    }
    return problems;
  },
};
