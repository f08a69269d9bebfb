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
    const mask = flagBits(flagsGiven[0] as string);
    const comp = flagBits(flagsGiven[1] as string);
    const outside = comp & ~mask;
    if (outside === 0) return [];
    // The kernel compares (flags & mask) with comp: a bit of comp outside the mask is never there.
    const names = FLAG_BITS.filter(([, bit]) => (outside & bit) !== 0).map(([name]) => name).join(',');
    const negated = (given.get('!--tcp-flags') ?? []).length > 0;
    const problem: ExtensionProblem = {
      option: '--tcp-flags',
      severity: 'warning',
      message: `${names} ${names.includes(',') ? 'are' : 'is'} to be set but not among the flags examined (${flagsGiven[0]}), so the test never holds and the rule ${negated ? 'matches every TCP packet' : 'never matches'}: add ${names} to the first list`,
    };
    return [problem];
  },
};

/** The flag bits of the TCP header as libxt_tcp names them. */
const FLAG_BITS: ReadonlyArray<readonly [string, number]> = [['FIN', 0x01], ['SYN', 0x02], ['RST', 0x04], ['PSH', 0x08], ['ACK', 0x10], ['URG', 0x20]];

/** The bits of a flag list (`SYN,ACK`, `ALL`, `NONE`; any case; empty items skipped); unknown names count nothing. */
function flagBits(list: string): number {
  let bits = 0;
  for (const item of list.toUpperCase().split(',')) {
    if (item === 'ALL') bits |= 0x3f;
    else bits |= FLAG_BITS.find(([name]) => name === item)?.[1] ?? 0;
  }
  return bits;
}
