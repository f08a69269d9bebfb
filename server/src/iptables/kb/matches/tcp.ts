import type { ExtensionProblem, MatchSpec } from '../types.js';
import { checkPortRange, protocolSpellings, tokenListOf, uintRange } from '../values.js';

export const TCP_FLAGS = ['SYN', 'ACK', 'FIN', 'RST', 'URG', 'PSH', 'ALL', 'NONE'];
/** Flags in any case; empty items of the list are skipped (`SYN,ACK,` is SYN and ACK). */
const flags = tokenListOf(TCP_FLAGS, 'TCP flag');

export const tcp: MatchSpec = {
  name: 'tcp',
  doc: 'Matches TCP header fields: ports, flags and options. Loaded implicitly by `-p tcp`.',
  protocols: protocolSpellings('tcp'),
  options: {
    '--sport': { args: [{ display: 'port[:port]', check: checkPortRange }], negatable: true, aliases: ['--source-port'], doc: 'Source port or inclusive range `first:last` (an open end means 0 or 65535).' },
    '--dport': { args: [{ display: 'port[:port]', check: checkPortRange }], negatable: true, aliases: ['--destination-port'], doc: 'Destination port or inclusive range `first:last`.' },
    '--tcp-flags': { args: [{ display: 'mask', check: flags, values: TCP_FLAGS }, { display: 'comp', check: flags, values: TCP_FLAGS }], negatable: true, conflicts: ['--syn'], doc: 'Examines the flags in the first list; those in the second must be set, the rest of the first list clear. E.g. `SYN,RST SYN`.' },
    '--syn': { args: [], negatable: true, conflicts: ['--tcp-flags'], doc: 'Only TCP segments with SYN set and ACK, RST, FIN clear: the first packet of a connection. Same as `--tcp-flags SYN,RST,ACK,FIN SYN`.' },
    '--tcp-option': { args: [{ display: 'number', check: uintRange(1, 255, 'TCP option') }], negatable: true, doc: 'Matches if the TCP option with this number (1-255) is present.' },
  },
  validate(given) {
    const flagsGiven = given.get('--tcp-flags');
    if (!flagsGiven || flagsGiven.length !== 2) return [];
    const mask = tcpFlagSet(flagsGiven[0] as string);
    const comp = tcpFlagSet(flagsGiven[1] as string);
    if (!mask || !comp) return [];
    const negated = (given.get('!--tcp-flags') ?? []).length > 0;
    if (mask.size === 0 && comp.size === 0 && !negated) {
      // Nothing examined: every segment passes (iptables-save leaves the option out).
      return [{ option: '--tcp-flags', severity: 'warning', message: `${flagsGiven[0]} ${flagsGiven[1]} examines no flag, so every TCP segment matches (iptables-save leaves the option out); a null scan (no flag set) is ALL NONE` }];
    }
    // The kernel compares (flags & mask) with comp: a flag of comp outside the mask is never there.
    const outside = [...comp].filter((f) => !mask.has(f));
    if (outside.length === 0) return [];
    const names = outside.join(',');
    const problem: ExtensionProblem = {
      option: '--tcp-flags',
      severity: 'warning',
      message: `${names} ${outside.length > 1 ? 'are' : 'is'} to be set but not among the flags examined (${flagsGiven[0]}), so the test never holds and the rule ${negated ? 'matches every TCP packet' : 'never matches'}: add ${names} to the first list`,
    };
    return [problem];
  },
};

/** The six TCP flags, in the order libxt_tcp (and iptables-save) names them. */
const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG'];

/**
 * The flags a `--tcp-flags` list names, upper case (ALL is every flag, NONE none, empty items
 * skipped, any case); undefined when an item is not a flag.
 */
export function tcpFlagSet(list: string): Set<string> | undefined {
  const set = new Set<string>();
  for (const item of list.split(',')) {
    const f = item.toUpperCase();
    if (f === '' || f === 'NONE') continue;
    if (f === 'ALL') for (const x of FLAG_NAMES) set.add(x);
    else if (FLAG_NAMES.includes(f)) set.add(f);
    else return undefined;
  }
  return set;
}
