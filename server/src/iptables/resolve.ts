/**
 * Gives each option of a command line its owner, as iptables' getopt-based parser does: the generic
 * options, then the extensions loaded so far (in load order: `-m NAME`, the `-j` target, and the
 * match a `-p PROTO` loads implicitly when one of its options is used). Long options may be
 * abbreviated to any unambiguous prefix; `--name=value` is the same as `--name value`.
 */
import { findMatch, findTarget } from './kb/index.js';
import { GENERIC_OPTIONS, type GenericKey, type GenericOptionSpec } from './kb/generic.js';
import { STANDARD_TARGETS } from './kb/tables.js';
import type { ExtensionSpec, Family, OptionSpec, TargetSpec } from './kb/types.js';
import { parseUnsignedBig, PROTOCOL_NUMBERS } from './kb/values.js';
import type { Span } from '../core/span.js';
import { ParsedArg, PartWord, type Arg, type RuleLine, type Word } from './model.js';
import { COMMANDS, findCommand, queryCommandNamed, shortOptionArgs } from './parser.js';

/** An option with its owner and the values that belong to it. */
export interface ResolvedOption {
  readonly arg: Arg;
  /** Canonical name (e.g. `--dport` for `--destination-port` or `--dp`). */
  readonly canonical: string;
  readonly spec: OptionSpec;
  /** The option's own values (at most `spec.args.length`). */
  readonly values: readonly Word[];
  /** Words after the values that nothing takes ("Bad argument"). */
  readonly extra: readonly Word[];
  readonly negated: boolean;
}

export interface ExtensionUse {
  readonly kind: 'match' | 'target';
  /** As written (`-m NAME` value, `-j NAME` value, or the `-p` value for an implicit match). */
  readonly name: string;
  readonly nameWord?: Word;
  /** The `-m`/`-j` option that loaded it. */
  readonly loadedBy?: Arg;
  /** Undefined when the knowledge base does not know the extension. */
  readonly spec?: ExtensionSpec;
  /** Loaded by `-p PROTO` without `-m`. */
  readonly implicit: boolean;
  readonly options: ResolvedOption[];
  /** Options handed to this extension although the knowledge base does not know it. */
  readonly opaque: Arg[];
}

export interface GenericUse {
  readonly key: GenericKey;
  readonly spec: GenericOptionSpec;
  readonly arg: Arg;
  readonly values: readonly Word[];
  readonly extra: readonly Word[];
  readonly negated: boolean;
}

export interface TargetUse {
  readonly kind: 'jump' | 'goto';
  readonly arg: Arg;
  readonly word?: Word;
  /** A standard verdict, a known target extension, or undefined (a user chain or an unknown target). */
  readonly spec?: TargetSpec;
  /** The name is a user chain of the table (chains take priority over target extensions). */
  readonly isUserChain: boolean;
  readonly extension?: ExtensionUse;
}

export interface AmbiguousOption { readonly arg: Arg; readonly candidates: readonly string[] }

export interface ResolvedRule {
  readonly line: RuleLine;
  readonly generic: GenericUse[];
  readonly matches: ExtensionUse[];
  readonly target?: TargetUse;
  readonly protocol?: { readonly word: Word; readonly negated: boolean };
  /** Options no generic option or loaded extension owns. */
  readonly unknown: Arg[];
  readonly ambiguous: AmbiguousOption[];
  /** The command option's own values beyond what the command takes (`-A INPUT extra`). */
  readonly commandExtra: readonly Word[];
  /** The matches, then the target extension when there is one (what most checks walk). */
  readonly extensions: readonly ExtensionUse[];
  /**
   * The `-4` of a line in an IPv6 ruleset (or `-6` in an IPv4 one): ip6tables-restore (iptables-restore)
   * stops reading the line there, and skips its rule (see `familySkipsRule`). The options after it
   * are not resolved.
   */
  readonly familySkip?: Arg;
}

/**
 * Whether the tool skips the rule of this line: a `-4` in an IPv6 ruleset (`-6` in an IPv4 one) in
 * an -A or -I line adds nothing, whatever else the line says. Other commands still run, with what
 * was read before the `-4` (`-N X -4` makes the chain, `-P FORWARD DROP -4` sets the policy).
 */
export function familySkipsRule(r: ResolvedRule): boolean {
  const kind = r.line.commandKind;
  return r.familySkip !== undefined && (kind === 'append' || kind === 'insert');
}

/** The protocol names whose match iptables loads implicitly (`-p icmpv6` loads `icmp6`). */
const PROTOCOL_BY_NUMBER: Readonly<Record<string, string>> = Object.fromEntries(
  ['tcp', 'udp', 'icmp', 'icmpv6', 'sctp', 'dccp', 'udplite', 'esp', 'ah', 'mh'].map((name) => [String(PROTOCOL_NUMBERS[name]), name]),
);

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

export function implicitMatchName(protocol: string, family: Family): string {
  // iptables reads a number first, as C does: `0x11` and `021` are 17, `+6` is 6, but `017` is 15.
  const n = isLetter(protocol.charCodeAt(0)) ? undefined : parseUnsignedBig(protocol);
  const p = n === undefined ? protocol.toLowerCase() : PROTOCOL_BY_NUMBER[String(n)] ?? String(n);
  if (family === 'ipv6' && (p === 'icmpv6' || p === 'ipv6-icmp' || p === '58')) return 'icmp6';
  if (p === 'ipv6-mh') return 'mh';
  return p;
}

interface OptionHit {
  /** The generic option, or the extension that owns the option. */
  readonly owner: GenericOptionSpec | ExtensionUse;
  readonly canonical: string;
  readonly spec: OptionSpec;
}

interface Spelling {
  readonly canonical: string;
  readonly spec: OptionSpec;
}

/** Every spelling (canonical name and aliases) of each extension's options, computed once per spec. */
const spellings = new Map<ExtensionSpec, Map<string, Spelling>>();
function spellingsOf(spec: ExtensionSpec): Map<string, Spelling> {
  let map = spellings.get(spec);
  if (!map) {
    map = new Map();
    for (const [canonical, o] of Object.entries(spec.options)) {
      map.set(canonical, { canonical, spec: o });
      for (const a of o.aliases ?? []) if (!map.has(a)) map.set(a, { canonical, spec: o });
    }
    spellings.set(spec, map);
  }
  return map;
}

const GENERIC_SPELLINGS = new Map<string, GenericOptionSpec>();
const GENERIC_COUNTERS = GENERIC_OPTIONS.find((g) => g.key === '-c');
for (const g of GENERIC_OPTIONS) for (const name of [g.key, ...g.long]) GENERIC_SPELLINGS.set(name, g);
/** The hit of each generic spelling, made once (lookups run for every option of a ruleset). */
const GENERIC_HITS = new Map<string, OptionHit>();
for (const [name, g] of GENERIC_SPELLINGS) GENERIC_HITS.set(name, { owner: g, canonical: g.key, spec: g });

/**
 * Finds the owner of an option the way getopt_long does over iptables' merged option table:
 * an exact spelling wins (generic options first, then extensions in load order); otherwise a
 * long option may be abbreviated to a prefix shared by one option only. Returns the hit, the
 * spellings it is ambiguous between, or undefined. `tables[i]` is `spellingsOf(loaded[i].spec)`.
 */
function lookup(name: string, loaded: readonly ExtensionUse[], tables: ReadonlyArray<Map<string, Spelling> | undefined>): OptionHit | string[] | undefined {
  const g = GENERIC_HITS.get(name);
  if (g) return g;
  // The latest instance of an extension takes its options (`-m recent ... -m recent --rcheck`).
  for (let at = tables.length - 1; at >= 0; at--) {
    const o = tables[at]?.get(name);
    if (o) return { owner: loaded[at] as ExtensionUse, canonical: o.canonical, spec: o.spec };
  }
  if (!name.startsWith('--') || name.length < 3) return undefined;
  // The newest instance of each loaded extension, in the order extensions were first loaded: a second
  // `-m recent` shares the first one's options, but two extensions that both have `--mark` (connmark
  // and mark) make `--mar` ambiguous.
  const newest = new Map<Map<string, Spelling>, number>();
  tables.forEach((table, at) => {
    if (table) newest.set(table, at);
  });
  const hits: Array<OptionHit & { name: string }> = [];
  for (const [spelling, gs] of GENERIC_SPELLINGS) if (spelling.startsWith(name)) hits.push({ name: spelling, owner: gs, canonical: gs.key, spec: gs });
  // The commands are in getopt's table too: a prefix of one of them is no option of the rule, and
  // shared with an option, it is ambiguous (`-m time --mo` is --monthdays or --modprobe, `--re`
  // --reject-with or --replace).
  const commands = COMMAND_LONGS.filter((c) => c.startsWith(name));
  if (commands.length > 0) {
    const names = [...hits.map((h) => h.name), ...commands];
    for (const t of tables) if (t) for (const k of t.keys()) if (k.startsWith(name)) names.push(k);
    // A command alone: the rule has no option of that name; a command and options: ambiguous.
    return names.length === commands.length ? undefined : [...new Set(names)];
  }
  for (const [table, i] of newest) {
    for (const [spelling, o] of table) if (spelling.startsWith(name)) hits.push({ name: spelling, owner: loaded[i] as ExtensionUse, canonical: o.canonical, spec: o.spec });
  }
  const first = hits[0];
  if (!first) return undefined;
  if (hits.every((h) => h.owner === first.owner && h.canonical === first.canonical)) return first;
  // One spelling of two owners is named with its owner: "--mark of -m connmark, --mark of -m mark".
  const shared = (h: (typeof hits)[number]): boolean => hits.some((x) => x.name === h.name && x.owner !== h.owner);
  return [...new Set(hits.map((h) => (shared(h) ? `${h.name} of ${ownerName(h.owner)}` : h.name)))];
}

function ownerName(owner: GenericOptionSpec | ExtensionUse): string {
  return 'kind' in owner ? `${owner.kind === 'match' ? '-m' : '-j'} ${owner.name}` : 'iptables';
}

/**
 * The long forms of iptables' commands (they share getopt's table with the options): those a
 * restore file may use, and the ones it may not (-C, -L, -S).
 */
const COMMAND_LONGS: readonly string[] = [...COMMANDS.map((c) => c.long), '--check', '--list', '--list-rules'];

/** The word of the line that starts where `span` does (a "!" is a word of its own). */
function wordAt(line: RuleLine, span: Span): Word | undefined {
  const words = line.words;
  for (let i = 0; i < words.length; i++) if ((words[i] as Word).span.start === span.start) return words[i];
  return undefined;
}

/** Splits `--name=value` into a name word and a value word (parts of the written word). */
function splitEquals(arg: Arg): Arg {
  const t = arg.name.text;
  const eq = t.indexOf('=');
  if (eq === -1 || !t.startsWith('--')) return arg;
  return new ParsedArg(new PartWord(t.slice(0, eq), arg.name, 0), arg.negation, [new PartWord(t.slice(eq + 1), arg.name, eq + 1), ...arg.values]);
}

const NO_WORDS: readonly Word[] = Object.freeze([]);
const NO_OPTIONS: readonly ResolvedOption[] = Object.freeze([]);
const NO_ARGS: readonly Arg[] = Object.freeze([]);
const NO_USES: readonly ExtensionUse[] = Object.freeze([]);
const NO_AMBIGUOUS: readonly AmbiguousOption[] = Object.freeze([]);

/** The words after an option's own values (`values` is always a prefix of `arg.values`). */
function extraOf(arg: Arg, values: readonly Word[]): readonly Word[] {
  return values.length < arg.values.length ? arg.values.slice(values.length) : NO_WORDS;
}

/**
 * A comma list that a blank cut in two (`--state RELATED, ESTABLISHED`, `--dports 80, 443`): the
 * option's last value ends with a comma and the words after it, left to nothing, carry the list on.
 * Returns the number of those words (each but the last also ends with a comma), or 0. iptables
 * refuses such a line (an empty item, or a stray word); syntax reports it once, as one list.
 */
export function listCutByBlanks(use: { readonly values: readonly Word[]; readonly extra: readonly Word[] }): number {
  const last = use.values[use.values.length - 1];
  const extra = use.extra;
  if (!last || extra.length === 0 || last.quoted || !last.text.endsWith(',') || last.text === ',') return 0;
  let n = 0;
  while (n < extra.length) {
    const w = extra[n] as Word;
    if (!mayContinueValue(w)) break;
    n++;
    if (!w.text.endsWith(',')) break;
  }
  return n;
}

/**
 * Whether a word left to nothing after an option's value may be the rest of that value, cut off by
 * a blank: not quoted (a value of its own), not empty, not an option or a "!".
 */
export function mayContinueValue(w: Word): boolean {
  return !w.quoted && w.text !== '' && !w.text.startsWith('-') && !w.text.startsWith('!');
}

/** What the value checks said, and for which family (an option belongs to one document, so one family). */
interface Verdicts {
  readonly family: Family;
  readonly verdicts: readonly (string | undefined)[];
}

const ALL_ACCEPTED: Readonly<Record<Family, Verdicts>> = {
  ipv4: { family: 'ipv4', verdicts: Object.freeze([]) },
  ipv6: { family: 'ipv6', verdicts: Object.freeze([]) },
};

function computeVerdicts(spec: OptionSpec, values: readonly Word[], family: Family): Verdicts {
  let verdicts: Array<string | undefined> | undefined;
  for (let i = 0; i < values.length; i++) {
    const reason = spec.args[i]?.check?.((values[i] as Word).text, family);
    if (reason !== undefined) (verdicts ??= new Array<string | undefined>(values.length).fill(undefined))[i] = reason;
  }
  return verdicts ? { family, verdicts } : ALL_ACCEPTED[family];
}

/**
 * What each value's check (`spec.args[i].check`) says about it: the reason it is refused, or
 * undefined (accepted, or no check). Worked out once per option: `bad-value` and `family-mismatch`
 * both ask, and value checks (addresses, ports) are a good part of linting a large ruleset.
 */
export function valueVerdicts(o: ResolvedOption | GenericUse, family: Family): readonly (string | undefined)[] {
  if (o instanceof OptionBase) {
    if (o.checked === undefined || o.checked.family !== family) o.checked = computeVerdicts(o.spec, o.values, family);
    return o.checked.verdicts;
  }
  return computeVerdicts(o.spec, o.values, family).verdicts;
}

/** Drops the verdicts kept with an option, whose words have been given other texts (shapeMemo.ts). */
export function forgetVerdicts(o: ResolvedOption | GenericUse): void {
  if (o instanceof OptionBase) o.checked = undefined;
}

/**
 * The resolver's objects are classes with the derived fields as getters: a kube-proxy ruleset has
 * hundreds of thousands of them, and each stored field costs 8 bytes.
 */
/** What an option and a generic option share: the words after its own values, its `!`, its verdicts. */
abstract class OptionBase {
  /** See `valueVerdicts`. */
  checked: Verdicts | undefined = undefined;

  abstract readonly arg: Arg;
  abstract readonly values: readonly Word[];

  get extra(): readonly Word[] {
    return extraOf(this.arg, this.values);
  }

  get negated(): boolean {
    return this.arg.negation !== undefined;
  }
}

class Option extends OptionBase implements ResolvedOption {
  constructor(
    readonly arg: Arg,
    readonly canonical: string,
    readonly spec: OptionSpec,
    readonly values: readonly Word[],
  ) {
    super();
  }
}

class Generic extends OptionBase implements GenericUse {
  constructor(
    readonly key: GenericKey,
    readonly spec: GenericOptionSpec,
    readonly arg: Arg,
    readonly values: readonly Word[],
  ) {
    super();
  }
}

/** `options` and `opaque` start shared and empty; `resolveRule` cuts them to their exact size at the end (most hold 0-2). */
class Extension implements ExtensionUse {
  options: ResolvedOption[] = NO_OPTIONS as ResolvedOption[];
  opaque: Arg[] = NO_ARGS as Arg[];

  constructor(
    readonly kind: 'match' | 'target',
    readonly name: string,
    readonly implicit: boolean,
    readonly spec: ExtensionSpec | undefined,
    readonly nameWord: Word | undefined,
    readonly loadedBy: Arg | undefined,
  ) {}
}

/** How many arguments an option cannot do without (its arguments that are not optional), once per spec. */
const requiredCounts = new Map<OptionSpec, number>();
export function requiredCount(spec: OptionSpec): number {
  let n = requiredCounts.get(spec);
  if (n === undefined) {
    n = spec.args.filter((a) => !a.optional).length;
    requiredCounts.set(spec, n);
  }
  return n;
}

/**
 * Whether iptables reads the word after an -I/-D/-Z chain as the rule number: unless it starts
 * with "-" or "!" (`0x1`, `+3` and `010` are numbers to it, `foo` a bad one, see bad-value).
 */
export function readAsRuleNumber(text: string): boolean {
  return !/^[-!]/.test(text);
}

export interface ResolveContext {
  readonly family: Family;
  /** User chains declared in the rule's table (`-j NAME` prefers a chain over a target extension). */
  readonly isUserChain: (name: string) => boolean;
}

export function resolveRule(line: RuleLine, ctx: ResolveContext): ResolvedRule {
  const generic: GenericUse[] = [];
  // Lists are pushed to (a spread per item would be quadratic on a pathological line) and cut to
  // their exact size at the end.
  const matchList: ExtensionUse[] = [];
  const loaded: Extension[] = [];
  const tables: Array<Map<string, Spelling> | undefined> = [];
  let lastUnknown: Extension | undefined;
  const unknownList: Arg[] = [];
  const ambiguousList: AmbiguousOption[] = [];
  let target: TargetUse | undefined;
  let protocol: { word: Word; negated: boolean } | undefined;
  let commandExtra: readonly Word[] = NO_WORDS;
  let familySkip: Arg | undefined;

  const load = (use: Extension): void => {
    loaded.push(use);
    const table = use.spec ? spellingsOf(use.spec) : undefined;
    tables.push(table);
    if (!table) lastUnknown = use;
  };
  const loadMatch = (name: string, implicit: boolean, nameWord: Word | undefined, loadedBy: Arg | undefined): void => {
    const use = new Extension('match', name, implicit, findMatch(name, ctx.family), nameWord, loadedBy);
    matchList.push(use);
    load(use);
  };

  // The line's options; a cluster of short options the parser could not split (`--rsource -mrecent`)
  // is replaced by its options here, once it is clear that no option takes it as its value.
  let args = line.args;
  // The next option without its "!", once that "!" turned out to be the value of the option before.
  let unnegated: Arg | undefined;
  for (let index = 0; index < args.length; index++) {
    const rawArg = unnegated ?? (args[index] as Arg);
    unnegated = undefined;
    if (rawArg === line.command) {
      const c = findCommand(rawArg.name.text);
      const takes = c === undefined ? 1 : c.kind === 'policy' || c.kind === 'rename-chain' || c.kind === 'insert' || c.kind === 'delete' || c.kind === 'replace' || c.kind === 'zero' ? 2 : 1;
      // -I/-D/-Z take an optional rule number; -R needs one; -P and -E take two words.
      const second = rawArg.values[1];
      if (c && (c.kind === 'insert' || c.kind === 'delete' || c.kind === 'zero') && second && !readAsRuleNumber(second.text)) {
        commandExtra = rawArg.values.slice(1);
      } else if (rawArg.values.length > takes) {
        commandExtra = rawArg.values.slice(takes);
      }
      continue;
    }
    if (findCommand(rawArg.name.text, true)) continue; // a second command: reported by the parser
    if (queryCommandNamed(rawArg.name.text)) continue; // -L/-S/-C: see queryCommandOf, the parser and the syntax check
    const arg = splitEquals(rawArg);
    let hit = lookup(arg.name.text, loaded, tables);
    if (!hit) {
      const parts = shortOptionArgs(arg);
      if (parts) {
        args = [...args.slice(0, index), ...parts, ...args.slice(index + 1)];
        index--;
        continue;
      }
    }
    // iptables loads the protocol's match for an unknown option even when -p is negated. getopt never
    // calls "--" an option (it ends the options), so that loads nothing.
    if (!hit && protocol && arg.name.text !== '--') {
      const implicitName = implicitMatchName(protocol.word.text, ctx.family);
      if (!matchList.some((m) => m.name === implicitName) && findMatch(implicitName, ctx.family)) {
        loadMatch(implicitName, true, protocol.word, undefined);
        hit = lookup(arg.name.text, loaded, tables);
      }
    }
    if (Array.isArray(hit)) {
      ambiguousList.push({ arg, candidates: hit });
      continue;
    }
    if (!hit) {
      // An option of an extension we do not know: hand it to the latest unknown extension.
      if (!lastUnknown) unknownList.push(arg);
      else if (lastUnknown.opaque.length === 0) lastUnknown.opaque = [arg];
      else lastUnknown.opaque.push(arg);
      continue;
    }
    let optionArg = arg;
    // `-c P,B` gives both counters in one word (iptables looks for the comma after the first character).
    const counters = hit.owner === GENERIC_COUNTERS ? arg.values[0] : undefined;
    const comma = counters ? counters.text.indexOf(',', 1) : -1;
    if (counters && comma !== -1) {
      const q = counters.quoted ? 1 : 0; // offsets inside `"P,B"` start after the quote
      optionArg = new ParsedArg(arg.name, arg.negation, [new PartWord(counters.text.slice(0, comma), counters, q), new PartWord(counters.text.slice(comma + 1), counters, q + comma + 1), ...arg.values.slice(1)]);
    }
    // getopt gives an option with a required argument the next word even when it starts with "-"
    // (`--comment -x`, `-i -eth0`): that word is a value here, not an option. Only the first
    // argument is getopt's; extensions read further ones themselves and refuse a leading "-"
    // (`--tcp-flags SYN -j` lacks its second argument).
    if (optionArg.values.length === 0 && requiredCount(hit.spec) >= 1 && hit.spec.args[0]?.optional !== true) {
      // The same goes for a "!" (`--comment ! -j ACCEPT` is the comment "!" and an ACCEPT).
      const next = args[index + 1];
      const bang = next?.negation ? wordAt(line, next.negation) : undefined;
      if (next && next !== line.command && !next.negation) {
        optionArg = new ParsedArg(arg.name, arg.negation, [next.name, ...next.values]);
        index++;
      } else if (next && bang) {
        optionArg = new ParsedArg(arg.name, arg.negation, [bang]);
        unnegated = new ParsedArg(next.name, undefined, next.values);
      }
    }
    const max = hit.spec.args.length;
    // getopt never gives a separate word to an optional argument: a "!" that ends the line after
    // such an option is left over (the parser lets the resolver decide, see groupArgs).
    const own = hit.spec.args[0]?.optional === true && optionArg.values[0]?.text === '!' ? NO_WORDS
      : optionArg.values.length <= max ? optionArg.values : optionArg.values.slice(0, max);
    const negated = arg.negation !== undefined;
    const owner = hit.owner;
    if (owner instanceof Extension) {
      const o = new Option(optionArg, hit.canonical, hit.spec, own);
      if (owner.options.length === 0) owner.options = [o];
      else (owner.options as ResolvedOption[]).push(o);
      continue;
    }
    const g = owner as GenericOptionSpec;
    generic.push(new Generic(g.key, g, optionArg, own));
    if ((g.key === '-4' && ctx.family === 'ipv6') || (g.key === '-6' && ctx.family === 'ipv4')) {
      familySkip = arg;
      break;
    }
    const value = own[0];
    if (g.key === '-p' && value) protocol = { word: value, negated };
    if (g.key === '-m' && value) loadMatch(value.text, false, value, arg);
    if ((g.key === '-j' || g.key === '-g') && !target) {
      const name = value?.text ?? '';
      const isUserChain = name !== '' && ctx.isUserChain(name);
      let spec: TargetSpec | undefined;
      let extension: Extension | undefined;
      if (!isUserChain && name !== '') {
        spec = findTarget(name, ctx.family);
        if (!STANDARD_TARGETS.includes(name) && (spec || (g.key === '-j' && !isUserChain))) {
          extension = new Extension('target', name, false, spec, value, arg);
          // Options after an unknown target go to it unchecked (it may be a newer extension).
          load(extension);
        }
      }
      target = { kind: g.key === '-j' ? 'jump' : 'goto', arg, word: value, spec, isUserChain, extension };
    }
  }
  for (let k = 0; k < loaded.length; k++) {
    const use = loaded[k] as Extension;
    if (use.options.length > 1) use.options = use.options.slice();
    if (use.opaque.length > 1) use.opaque = use.opaque.slice();
  }
  const matches: ExtensionUse[] = matchList.length === 0 ? (NO_USES as ExtensionUse[]) : matchList.slice();
  const unknown: Arg[] = unknownList.length === 0 ? (NO_ARGS as Arg[]) : unknownList.slice();
  const ambiguous: AmbiguousOption[] = ambiguousList.length === 0 ? (NO_AMBIGUOUS as AmbiguousOption[]) : ambiguousList.slice();
  const ext = target?.extension;
  return {
    line,
    generic: generic.slice(),
    matches,
    target,
    protocol,
    unknown,
    ambiguous,
    commandExtra,
    extensions: ext ? (matches.length === 0 ? [ext] : [...matches, ext]) : matches,
    familySkip,
  };
}
