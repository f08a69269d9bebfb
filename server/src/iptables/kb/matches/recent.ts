import type { ExtensionProblem, MatchSpec, ValueCheck } from '../types.js';
import ipaddr from 'ipaddr.js';
import { checkResolvableHost, cutSilently, dottedIPv4, inetAtonValue, isPtonIPv6, parseUnsignedBig, procFileNameProblem, savedUnquoted, uintRange, UINT32_MAX, WARNING_REASON } from '../values.js';

const COMMANDS = ['--set', '--rcheck', '--update', '--remove'];

/**
 * The kernel's limit on `--hitcount` (XT_RECENT_MAX_NSTAMPS - 1): xt_recent refuses larger counts
 * when the rule is loaded, although the userspace parser takes any 32-bit number (so
 * `iptables-legacy-restore --test` alone lets them through).
 */
export const RECENT_MAX_HITCOUNT = 65535;

/** A list's name: not empty, a file name the kernel can make in /proc, 199 bytes kept (XT_RECENT_NAME_LEN with its NUL). */
const checkListName: ValueCheck = (v) =>
  v === '' ? 'empty list name' : (procFileNameProblem(v, 'list name') ?? cutSilently(v, 199, 'list name', 'lists whose names agree in those bytes are one list') ?? savedUnquoted(v, 'list name'));

/**
 * `--mask`: an address the resolver reads (inet_aton's forms in IPv4: no blank before it). A mask
 * that is not ones then zeros loads and groups addresses by odd bits: `24` is the mask 0.0.0.24,
 * not a /24, and `255.255.255` is 255.255.0.255 (iptables-save after a real load shows both), a
 * warning.
 */
const checkMask: ValueCheck = (v, family) => {
  const problem = checkResolvableHost(v, family);
  if (problem) return problem;
  if (family === 'ipv6') {
    const address = v.replace(/%.*$/, '');
    if (!isPtonIPv6(address) || ipaddr.IPv6.parse(address).prefixLengthFromSubnetMask() !== null) return undefined; // a name, or ones then zeros
    return `${WARNING_REASON}the mask ${v} is a non-contiguous mask, so addresses are grouped by scattered bits`;
  }
  const mask = inetAtonValue(v);
  if (mask === undefined || ipaddr.IPv4.parse(dottedIPv4(mask)).prefixLengthFromSubnetMask() !== null) return undefined; // ones then zeros
  const lone = /^[0-9]+$/.test(v) && Number(v) <= 32;
  const meant = lone ? `; for a /${v} write ${ipaddr.IPv4.subnetMaskFromPrefixLength(Number(v)).toString()}` : '';
  return `${WARNING_REASON}the mask ${v} reads as ${dottedIPv4(mask)}, a non-contiguous mask, so addresses are grouped by scattered bits${meant}`;
};

const checkHitcount: ValueCheck = (v) => {
  const n = parseUnsignedBig(v);
  if (n === undefined || n > BigInt(UINT32_MAX)) return `hit count must be an integer 0-${RECENT_MAX_HITCOUNT}, got "${v}"`;
  if (n > BigInt(RECENT_MAX_HITCOUNT)) return `hit count ${v} is above ${RECENT_MAX_HITCOUNT}: the kernel remembers at most ${RECENT_MAX_HITCOUNT} packets per address and refuses the rule`;
  return undefined;
};

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
    '--hitcount': { args: [{ display: 'hits', check: checkHitcount }], doc: 'With --rcheck/--update: only if the address was seen at least this many times, 0-65535 (the kernel keeps at most 65535 time stamps per address; older kernels allowed fewer).' },
    '--rttl': { args: [], doc: 'With --rcheck/--update: the TTL must also equal the one of the packet that was added.' },
    '--name': { args: [{ display: 'name', check: checkListName }], doc: 'Name of the list (default DEFAULT), visible in /proc/net/xt_recent/NAME.' },
    '--rsource': { args: [], doc: 'Use the source address (the default).' },
    '--rdest': { args: [], doc: 'Use the destination address.' },
    '--mask': { args: [{ display: 'netmask', check: checkMask }], doc: 'Netmask applied to the address before it is stored or looked up, e.g. 255.255.255.0.' },
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
