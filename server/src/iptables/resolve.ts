/**
 * Gives each option of a command line its owner, as iptables' getopt-based parser does: the generic
 * options, then the extensions loaded so far (in load order: `-m NAME`, the `-j` target, and the
 * match a `-p PROTO` loads implicitly when one of its options is used). Long options may be
 * abbreviated to any unambiguous prefix; `--name=value` is the same as `--name value`.
 */
import type { Span } from '../core/span.js';
import { findMatch, findOption, findTarget } from './kb/index.js';
import { GENERIC_OPTIONS, type GenericKey, type GenericOptionSpec } from './kb/generic.js';
import { STANDARD_TARGETS } from './kb/tables.js';
import type { ExtensionSpec, Family, MatchSpec, OptionSpec, TargetSpec } from './kb/types.js';
import type { Arg, RuleLine, Word } from './model.js';
import { findCommand } from './parser.js';

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
}

/** The protocol names whose match iptables loads implicitly (`-p icmpv6` loads `icmp6`). */
const PROTOCOL_BY_NUMBER: Readonly<Record<string, string>> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6', '132': 'sctp', '33': 'dccp', '136': 'udplite', '50': 'esp', '51': 'ah', '135': 'mh' };

export function implicitMatchName(protocol: string, family: Family): string {
  const p = PROTOCOL_BY_NUMBER[protocol.replace(/^0+(?=\d)/, '')] ?? protocol.toLowerCase();
  if (family === 'ipv6' && (p === 'icmpv6' || p === 'ipv6-icmp' || p === '58')) return 'icmp6';
  if (p === 'ipv6-mh') return 'mh';
  return p;
}

interface OptionHit {
  /** The generic option, or the index into `loaded` of the extension that owns the option. */
  readonly owner: GenericOptionSpec | ExtensionUse;
  readonly canonical: string;
  readonly spec: OptionSpec;
}

/** Every spelling (canonical name and aliases) of each extension's options, computed once per spec. */
const spellings = new WeakMap<ExtensionSpec, Map<string, { canonical: string; spec: OptionSpec }>>();
function spellingsOf(spec: ExtensionSpec): Map<string, { canonical: string; spec: OptionSpec }> {
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
for (const g of GENERIC_OPTIONS) for (const name of [g.key, ...g.long]) GENERIC_SPELLINGS.set(name, g);

/**
 * Finds the owner of an option the way getopt_long does over iptables' merged option table:
 * an exact spelling wins (generic options first, then extensions in load order); otherwise a
 * long option may be abbreviated to a prefix shared by one option only.
 */
function lookup(name: string, loaded: readonly ExtensionUse[]): { hit?: OptionHit; ambiguous?: string[] } {
  const g = GENERIC_SPELLINGS.get(name);
  if (g) return { hit: { owner: g, canonical: g.key, spec: g } };
  // The latest instance of an extension takes its options (`-m recent ... -m recent --rcheck`).
  for (let i = loaded.length - 1; i >= 0; i--) {
    const use = loaded[i] as ExtensionUse;
    if (!use.spec) continue;
    const o = spellingsOf(use.spec).get(name);
    if (o) return { hit: { owner: use, canonical: o.canonical, spec: o.spec } };
  }
  if (!name.startsWith('--') || name.length < 3) return {};
  const hits: Array<OptionHit & { name: string }> = [];
  for (const [spelling, gs] of GENERIC_SPELLINGS) if (spelling.startsWith(name)) hits.push({ name: spelling, owner: gs, canonical: gs.key, spec: gs });
  for (const use of loaded) {
    if (!use.spec) continue;
    for (const [spelling, o] of spellingsOf(use.spec)) if (spelling.startsWith(name)) hits.push({ name: spelling, owner: use, canonical: o.canonical, spec: o.spec });
  }
  const first = hits[0];
  if (!first) return {};
  if (hits.every((h) => h.owner === first.owner && h.canonical === first.canonical)) return { hit: first };
  return { ambiguous: [...new Set(hits.map((h) => h.name))] };
}

/** Splits `--name=value` into a name word and a value word. */
function splitEquals(arg: Arg): Arg {
  const t = arg.name.text;
  const eq = t.indexOf('=');
  if (!t.startsWith('--') || eq === -1) return arg;
  const s = arg.name.span.start;
  const name: Word = { text: t.slice(0, eq), span: { start: s, end: s + eq }, quoted: false };
  const value: Word = { text: t.slice(eq + 1), span: { start: s + eq + 1, end: arg.name.span.end }, quoted: false };
  return { ...arg, name, values: [value, ...arg.values] };
}

const NO_WORDS: readonly Word[] = Object.freeze([]);
const NO_OPTIONS: readonly ResolvedOption[] = Object.freeze([]);
const NO_ARGS: readonly Arg[] = Object.freeze([]);
const NO_USES: readonly ExtensionUse[] = Object.freeze([]);
const NO_AMBIGUOUS: readonly AmbiguousOption[] = Object.freeze([]);

function takeValues(spec: OptionSpec, values: readonly Word[]): { own: readonly Word[]; extra: readonly Word[] } {
  const max = spec.args.length;
  if (values.length <= max) return { own: values, extra: NO_WORDS };
  return { own: values.slice(0, max), extra: values.slice(max) };
}

export interface ResolveContext {
  readonly family: Family;
  /** User chains declared in the rule's table (`-j NAME` prefers a chain over a target extension). */
  readonly isUserChain: (name: string) => boolean;
}

export function resolveRule(line: RuleLine, ctx: ResolveContext): ResolvedRule {
  const generic: GenericUse[] = [];
  const matches: ExtensionUse[] = [];
  const loaded: ExtensionUse[] = [];
  const unknown: Arg[] = [];
  const ambiguous: AmbiguousOption[] = [];
  let target: TargetUse | undefined;
  let protocol: { word: Word; negated: boolean } | undefined;
  let commandExtra: readonly Word[] = NO_WORDS;

  const loadMatch = (name: string, implicit: boolean, nameWord?: Word, loadedBy?: Arg): ExtensionUse => {
    const spec: MatchSpec | undefined = findMatch(name, ctx.family);
    const use: ExtensionUse = {
      kind: 'match', name, implicit, options: [], opaque: [],
      ...(spec ? { spec } : {}), ...(nameWord ? { nameWord } : {}), ...(loadedBy ? { loadedBy } : {}),
    };
    matches.push(use);
    loaded.push(use);
    return use;
  };

  const args = line.args;
  for (let index = 0; index < args.length; index++) {
    const rawArg = args[index] as Arg;
    if (rawArg === line.command) {
      const c = findCommand(rawArg.name.text);
      const takes = c === undefined ? 1 : c.kind === 'policy' || c.kind === 'rename-chain' || c.kind === 'insert' || c.kind === 'delete' || c.kind === 'replace' || c.kind === 'zero' ? 2 : 1;
      // -I/-D/-Z take an optional rule number; -R needs one; -P and -E take two words.
      const own = rawArg.values.slice(0, takes);
      if (c && (c.kind === 'insert' || c.kind === 'delete' || c.kind === 'zero') && own[1] && !/^[0-9]+$/.test(own[1].text)) {
        commandExtra = rawArg.values.slice(1);
      } else if (rawArg.values.length > takes) {
        commandExtra = rawArg.values.slice(takes);
      }
      continue;
    }
    if (findCommand(rawArg.name.text, true)) continue; // a second command: reported by the parser
    const arg = splitEquals(rawArg);
    let { hit, ambiguous: amb } = lookup(arg.name.text, loaded);
    // iptables loads the protocol's match for an unknown option even when -p is negated.
    if (!hit && !amb && protocol) {
      const implicitName = implicitMatchName(protocol.word.text, ctx.family);
      if (!loaded.some((u) => u.kind === 'match' && u.name === implicitName) && findMatch(implicitName, ctx.family)) {
        loadMatch(implicitName, true, protocol.word);
        ({ hit, ambiguous: amb } = lookup(arg.name.text, loaded));
      }
    }
    if (amb) {
      ambiguous.push({ arg, candidates: amb });
      continue;
    }
    if (!hit) {
      // An option of an extension we do not know: hand it to the latest unknown extension.
      const opaqueOwner = [...loaded].reverse().find((u) => !u.spec);
      if (opaqueOwner) opaqueOwner.opaque.push(arg);
      else unknown.push(arg);
      continue;
    }
    let optionArg = arg;
    // getopt gives an option with a required argument the next word even when it starts with "-"
    // (`--comment -x`, `-i -eth0`): that word is a value here, not an option. Only the first
    // argument is getopt's; extensions read further ones themselves and refuse a leading "-"
    // (`--tcp-flags SYN -j` lacks its second argument).
    const required = hit.spec.args.filter((a) => !a.optional).length;
    if (arg.values.length === 0 && required >= 1 && hit.spec.args[0]?.optional !== true) {
      const next = args[index + 1];
      if (next && next !== line.command && !next.negation) {
        optionArg = { ...arg, values: [...arg.values, next.name, ...next.values], span: { start: arg.span.start, end: next.span.end } };
        index++;
      }
    }
    const { own, extra } = takeValues(hit.spec, optionArg.values);
    const negated = arg.negation !== undefined;
    if ('key' in hit.owner) {
      const g = hit.owner;
      generic.push({ key: g.key, spec: g, arg: optionArg, values: own, extra, negated });
      const value = own[0];
      if (g.key === '-p' && value) protocol = { word: value, negated };
      if (g.key === '-m' && value) loadMatch(value.text, false, value, arg);
      if ((g.key === '-j' || g.key === '-g') && !target) {
        const name = value?.text ?? '';
        const isUserChain = name !== '' && ctx.isUserChain(name);
        let spec: TargetSpec | undefined;
        let extension: ExtensionUse | undefined;
        if (!isUserChain && name !== '') {
          spec = findTarget(name, ctx.family);
          if (!STANDARD_TARGETS.includes(name) && (spec || (g.key === '-j' && !isUserChain))) {
            extension = { kind: 'target', name, implicit: false, options: [], opaque: [], ...(spec ? { spec } : {}), ...(value ? { nameWord: value } : {}), loadedBy: arg };
            // Options after an unknown target go to it unchecked (it may be a newer extension).
            loaded.push(extension);
          }
        }
        target = { kind: g.key === '-j' ? 'jump' : 'goto', arg, isUserChain, ...(value ? { word: value } : {}), ...(spec ? { spec } : {}), ...(extension ? { extension } : {}) };
      }
    } else {
      hit.owner.options.push({ arg: optionArg, canonical: hit.canonical, spec: hit.spec, values: own, extra, negated });
    }
  }
  // Exact-size copies: arrays that were pushed to keep room for 16 items, which adds up over 100k rules.
  const compacted = new Map<ExtensionUse, ExtensionUse>();
  const compact = (u: ExtensionUse): ExtensionUse => {
    let c = compacted.get(u);
    if (!c) {
      c = { ...u, options: u.options.length === 0 ? (NO_OPTIONS as ResolvedOption[]) : u.options.slice(), opaque: u.opaque.length === 0 ? (NO_ARGS as Arg[]) : u.opaque.slice() };
      compacted.set(u, c);
    }
    return c;
  };
  if (target?.extension) target = { ...target, extension: compact(target.extension) };
  return {
    line,
    generic: generic.slice(),
    matches: matches.length === 0 ? (NO_USES as ExtensionUse[]) : matches.map(compact),
    unknown: unknown.length === 0 ? (NO_ARGS as Arg[]) : unknown,
    ambiguous: ambiguous.length === 0 ? (NO_AMBIGUOUS as AmbiguousOption[]) : ambiguous,
    commandExtra,
    ...(target ? { target } : {}),
    ...(protocol ? { protocol } : {}),
  };
}

/** The span to report "a problem with this option" on: the option name. */
export function optionSpan(o: { arg: Arg }): Span {
  return o.arg.name.span;
}
