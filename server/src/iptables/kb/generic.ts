/**
 * The options every rule has without loading an extension (iptables(8), "PARAMETERS"), plus the
 * ones iptables-restore refuses in a restore file.
 */
import type { OptionSpec, ValueCheck } from './types.js';
import { checkAddressMaskList, checkInterface, checkProtocol } from './values.js';

export type GenericKey = '-p' | '-s' | '-d' | '-i' | '-o' | '-f' | '-j' | '-g' | '-m' | '-c' | '-4' | '-6' | '-t' | '-w' | '-W' | '-v' | '-M' | '-n' | '-x' | '--line-numbers' | '-V' | '-h';

export interface GenericOptionSpec extends OptionSpec {
  readonly key: GenericKey;
  readonly long: readonly string[];
  /** iptables-restore refuses the option in a restore file, with this reason. */
  readonly refusedInRestore?: string;
  /**
   * iptables-restore obeys the option and exits at once with status 0 (`-h` prints the help, `-V`
   * the version): the line and everything after it are not applied. What it prints, for the message.
   */
  readonly endsRestore?: string;
  /** Accepted in a rule but of no use in a ruleset (`-v`, `--modprobe`): completion does not offer it. */
  readonly pointless?: boolean;
  /** Only in this family (`-f` is IPv4 only). */
}

/**
 * A counter of `-c` as iptables reads it (sscanf "%llu"): blanks, an optional sign, then at least
 * one decimal digit; whatever follows is ignored (`0x5` is 0, `5.5` is 5, `-2` wraps).
 */
function counter(what: string): ValueCheck {
  return (v) => (/^[ \t\n\v\f\r]*[+-]?[0-9]/.test(v) ? undefined : `${what} counter must be a number`);
}

export const GENERIC_OPTIONS: readonly GenericOptionSpec[] = [
  { key: '-p', long: ['--protocol'], args: [{ display: 'protocol', check: checkProtocol }], negatable: true, doc: 'The protocol: a name (tcp, udp, icmp, icmpv6, sctp, all ...) or a number 0-255. Loads the match of that name for options such as `--dport`.' },
  { key: '-s', long: ['--source', '--src'], args: [{ display: 'address[/mask][,...]', check: checkAddressMaskList }], negatable: true, doc: 'Source address: a host, a network `addr/prefix` (or a dotted mask), or a comma-separated list (one rule per item).' },
  { key: '-d', long: ['--destination', '--dst'], args: [{ display: 'address[/mask][,...]', check: checkAddressMaskList }], negatable: true, doc: 'Destination address: a host, a network `addr/prefix` (or a dotted mask), or a comma-separated list (one rule per item).' },
  { key: '-i', long: ['--in-interface'], args: [{ display: 'interface[+]', check: checkInterface }], negatable: true, doc: 'Interface the packet came in on (not in OUTPUT/POSTROUTING). A trailing `+` matches every name with that prefix, e.g. `virbr+`.' },
  { key: '-o', long: ['--out-interface'], args: [{ display: 'interface[+]', check: checkInterface }], negatable: true, doc: 'Interface the packet leaves through (not in INPUT/PREROUTING). A trailing `+` matches every name with that prefix.' },
  { key: '-f', long: ['--fragment'], args: [], negatable: true, family: 'ipv4', doc: 'Only second and later fragments of fragmented IPv4 packets (they carry no ports).' },
  { key: '-j', long: ['--jump'], args: [{ display: 'target' }], doc: 'What to do with a matching packet: a verdict (ACCEPT, DROP, RETURN), a target extension (REJECT, LOG, MASQUERADE ...) or a user chain to jump to.' },
  { key: '-g', long: ['--goto'], args: [{ display: 'chain' }], doc: 'Continue in a user chain; unlike `-j`, a RETURN there goes back to the chain that called this one.' },
  { key: '-m', long: ['--match'], args: [{ display: 'match' }], repeatable: true, doc: 'Loads a match extension; its options follow.' },
  { key: '-c', long: ['--set-counters'], args: [{ display: 'packets', check: counter('packet') }, { display: 'bytes', check: counter('byte') }], doc: 'Initial packet and byte counters of the rule.' },
  { key: '-4', long: ['--ipv4'], args: [], doc: 'The rule is for IPv4 only (ip6tables-restore skips it).' },
  { key: '-6', long: ['--ipv6'], args: [], doc: 'The rule is for IPv6 only (iptables-restore skips it).' },
  { key: '-t', long: ['--table'], args: [{ display: 'table' }], refusedInRestore: 'the table is chosen by the "*table" line; iptables-restore refuses -t in a rule', doc: 'Table option of the iptables command; not allowed in a restore file.' },
  { key: '-w', long: ['--wait'], args: [{ display: 'seconds', optional: true }], refusedInRestore: 'iptables-restore takes --wait on its command line, not in a rule', doc: 'Wait for the xtables lock (iptables command line only).' },
  // The rest of iptables' own options. getopt knows them while it reads a rule line, so they also
  // make abbreviations ambiguous (`--ver` could be --verbose or --version).
  { key: '-v', long: ['--verbose'], args: [], repeatable: true, pointless: true, doc: 'Verbose mode: iptables-restore prints each rule as it adds it. Harmless in a ruleset, and of no use there.' },
  { key: '-M', long: ['--modprobe'], args: [{ display: 'command' }], pointless: true, doc: 'The program iptables runs to load kernel modules. Accepted in a rule, but it belongs on the command line.' },
  { key: '-n', long: ['--numeric'], args: [], refusedInRestore: 'it only changes how rules are listed ("Illegal option -n with this command")', doc: 'Listing option: show addresses and ports as numbers.' },
  { key: '-x', long: ['--exact'], args: [], refusedInRestore: 'it only changes how rules are listed ("Illegal option -x with this command")', doc: 'Listing option: show exact counter values.' },
  { key: '--line-numbers', long: ['--line-numbers'], args: [], refusedInRestore: 'it only changes how rules are listed ("Illegal option -0 with this command")', doc: 'Listing option: number the rules.' },
  { key: '-V', long: ['--version'], args: [], endsRestore: 'its version', doc: 'Print the version of iptables and exit.' },
  { key: '-h', long: ['--help'], args: [], endsRestore: 'its help text', doc: 'Print the help of iptables and exit.' },
  { key: '-W', long: ['--wait-interval'], args: [{ display: 'usecs' }], refusedInRestore: 'iptables-restore takes --wait-interval on its command line, not in a rule', doc: 'Lock polling interval (iptables command line only).' },
];
