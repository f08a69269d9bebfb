/**
 * The typed knowledge base of iptables 1.8.9 extensions (matches and targets). It is data: the
 * validator, hover and completion all read it; nothing here has behaviour beyond value checks.
 *
 * Facts come from `man iptables-extensions`, `iptables -m NAME --help`, `iptables -j NAME --help`
 * and iptables' own extension tests (../shared/corpus/iptables-t); the docs are our own words.
 */

export type Family = 'ipv4' | 'ipv6';

/** Built-in tables and their built-in chains. */
export type TableName = 'filter' | 'nat' | 'mangle' | 'raw' | 'security';

/**
 * Checks one argument value the way the extension's userspace parser (or the kernel's
 * checkentry) would. Returns `undefined` when the value is accepted, else a short reason that
 * names what is allowed, e.g. "port must be 0-65535" or "expected one of: INVALID, NEW, ...".
 */
export type ValueCheck = (value: string, family: Family) => string | undefined;

/** One argument of an option. */
export interface ArgSpec {
  /**
   * Display name in hovers and completion placeholders: `port[:port]`, `address[/mask]`, `state[,state...]`.
   */
  readonly display: string;
  /** Validation of the value; omitted means any string is accepted. */
  readonly check?: ValueCheck;
  /** The fixed set of legal values (or list items), offered by completion and used by `check` when given. */
  readonly values?: readonly string[];
  /** The argument may be left out (getopt `optional_argument`, e.g. `--clamp-mss-to-pmtu` has none). */
  readonly optional?: boolean;
}

export interface OptionSpec {
  /** Arguments in order: `[]` for a flag (`--syn`), two for `--tcp-flags mask comp`. */
  readonly args: readonly ArgSpec[];
  /** `!` may precede the option. */
  readonly negatable?: boolean;
  /** One or two sentences in our own words. */
  readonly doc: string;
  /** Other spellings that mean the same option (`--destination-port` for `--dport`). */
  readonly aliases?: readonly string[];
  /** Only in this family (e.g. `--reject-with icmp-net-unreachable` is handled by `values` instead). */
  readonly family?: Family;
  /** Options of the same extension that cannot be combined with this one. */
  readonly conflicts?: readonly string[];
  /** The option may be given more than once in one rule (most cannot: "multiple ... flags not allowed"). */
  readonly repeatable?: boolean;
  /** Other options of the same extension this one needs (e.g. `--rsource` needs `--set`...). */
  readonly requires?: readonly string[];
  /**
   * Like the extension's `protocols`, but only when this option is given (e.g. `-m ecn --ecn-tcp-cwr`
   * needs `-p tcp`, `--ecn-ip-ect` does not). Checked the same way (`option-needs-protocol`).
   */
  readonly protocols?: readonly string[];
  /**
   * Like the extension's `chains`, but only when this option is given (e.g. `-m addrtype
   * --limit-iface-in` is refused by the kernel in OUTPUT and POSTROUTING).
   */
  readonly chains?: readonly string[];
  /**
   * The option's parser reads the rule's protocol when it meets the option (`-m multiport
   * --dports`, the port ranges of the NAT targets), so only a `-p` written before the option on the
   * line counts for its protocol need: `-m multiport --dports 80 -p tcp` is refused.
   */
  readonly protocolFirst?: boolean;
}

/** Constraints that involve more than one option of an extension. */
export interface ExtensionConstraints {
  /** At least one option of each group must be given (e.g. TCPMSS: `--set-mss` or `--clamp-mss-to-pmtu`). */
  readonly requireOneOf?: readonly (readonly string[])[];
  /**
   * The rule's protocol (`-p`) must be one of these (e.g. `tcp` match: ['tcp'], `multiport`:
   * ['tcp','udp','udplite','dccp','sctp']). Omitted: any protocol.
   */
  readonly protocols?: readonly string[];
  /** Only these tables accept the extension (CHECKSUM: ['mangle']). Omitted: all. */
  readonly tables?: readonly TableName[];
  /** Why the other tables refuse it, when the table list alone does not say (DROP in nat). */
  readonly tablesNote?: string;
  /**
   * The tables the legacy backend's kernel module takes the extension in, where the nf_tables
   * backend translates it into its own expressions and takes it anywhere (TRACE: ['raw']).
   */
  readonly legacyTables?: readonly TableName[];
  /**
   * Only these built-in chains (hooks) may reach the extension (MASQUERADE: ['POSTROUTING']).
   * For a user chain, every built-in chain that jumps to it is checked. Omitted: all.
   */
  readonly chains?: readonly string[];
}

export interface ExtensionSpec extends ExtensionConstraints {
  /** As written after `-m` / `-j` (matches are lower case, targets upper case by convention). */
  readonly name: string;
  /** Only in this family; omitted means both. */
  readonly family?: Family;
  /** One or two sentences. */
  readonly doc: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Other names that load the same extension (`-m state` is separate; `-j NFLOG` is not an alias). */
  readonly aliases?: readonly string[];
  /**
   * The kernel dropped the extension: iptables still parses it (and `iptables-legacy-restore --test`
   * accepts it), but a kernel from `version` on refuses the rule. `instead` says what to use.
   */
  readonly removedFromKernel?: { readonly version: string; readonly instead: string };
  /**
   * Cross-option checks that the value checks cannot express (e.g. `--to-ports` range order, `hashlimit`
   * needing `--hashlimit-name`). Returns problems as (option or null for the whole extension, reason).
   * `given` maps each canonical option given to its values (a repeatable option's, of all its
   * occurrences in turn, and one "" per occurrence when it takes no argument); it also holds the rule's protocol under
   * the key `-p` (lower case; `['!', 'tcp']` when negated), under `!OPTION` the values of the
   * option's occurrences written with a `!` before them, under `@hooks` the built-in chains
   * through which the rule is reached (empty for a user chain no built-in chain jumps to), under
   * `@chain` the rule's own chain, under `@order` the extension's options in the order written
   * (with a "!" before the name of a negated one), and under `MATCH:OPTION` (and `!MATCH:OPTION`) the values of the
   * options of the rule's matches (`tcp:--tcp-flags`). A reason that starts with
   * "needs -p" is reported as `option-needs-protocol`, any other as `bad-value`.
   */
  readonly validate?: (given: ReadonlyMap<string, readonly string[]>, family: Family) => readonly ExtensionProblem[];
}

export interface ExtensionProblem {
  /** The option the problem is about (canonical name), or undefined for the extension name itself. */
  readonly option?: string;
  readonly message: string;
  /** Set when one backend loads the rule anyway (see kb/hookChecks.ts); an error otherwise. */
  readonly severity?: 'warning';
  /** The problem is about the last occurrence of a repeated option (the one too many), not the first. */
  readonly last?: boolean;
}

export type MatchSpec = ExtensionSpec;

export interface TargetSpec extends ExtensionSpec {
  /**
   * Terminating: the target decides the packet (ACCEPT, DROP, REJECT, DNAT ...). LOG, MARK, CHECKSUM ...
   * are not (the packet goes on to the next rule).
   */
  readonly terminating: boolean;
}
