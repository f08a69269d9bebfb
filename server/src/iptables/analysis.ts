/**
 * Cross-line structure of a parsed ruleset: for every table, its chains (built-in and declared),
 * the rules in each chain with their resolved options, and the jump graph between chains.
 */
import ipaddr from 'ipaddr.js';
import { plainIPv4 } from '../net/cidr.js';
import type { ExtensionProblem, Family, TableName } from './kb/types.js';
import { protocolNumber } from './kb/targets/targetValues.js';
import { isPtonIPv6 } from './kb/values.js';
import { isBuiltinChain, isTableName, STANDARD_TARGETS, TABLES } from './kb/tables.js';
import { EMPTY_REPLAY, needsReplay, replayTable, ruleSpecText, type Backend, type TableReplay } from './replay.js';
import type { ChainLine, IptablesDocument, RuleLine, TableBlock, Word } from './model.js';
import { parseRuleLine } from './parser.js';
import { familySkipsRule, resolveRule, type ExtensionUse, type ResolveContext, type ResolvedOption, type ResolvedRule } from './resolve.js';
import { classifyTarget, type TargetKind } from './targetKind.js';
import { chainNameOf, targetNameOf } from './lineShapes.js';

/**
 * A chain of a table. A user chain renamed by `-E OLD NEW` stays one chain, as in the kernel: it
 * keeps the rules added to it under its earlier name and the jumps written to that name, and it is
 * known by its name at the end of the table (`name`, its key in `TableAnalysis.chains`).
 */
export interface ChainInfo {
  readonly name: string;
  readonly builtin: boolean;
  /**
   * Every declaration (`:NAME` line, `-N NAME`, or the NEW of `-E OLD NEW`), in order; a second
   * one that is not a rename taking effect is a duplicate. A renamed chain keeps the declarations
   * of its earlier names.
   */
  readonly declarations: Array<{ readonly word: Word; readonly line: ChainLine | RuleLine }>;
  /** Rules appended or inserted into this chain, in file order. */
  readonly rules: AnalyzedRule[];
  /** Rules that jump (`-j`) or go (`-g`) to this chain. */
  readonly references: AnalyzedRule[];
}

/**
 * An `-E OLD NEW` that takes effect: OLD is a user chain at that line, and NEW is a name iptables
 * accepts for it (no chain of that name exists, not a built-in chain or a standard verdict, at most
 * 31 characters). From that line on the chain is NEW and OLD names nothing (until declared again).
 */
export interface ChainRename {
  readonly line: RuleLine;
  readonly from: Word;
  readonly to: Word;
  readonly chain: ChainInfo;
}

export interface AnalyzedRule {
  readonly line: RuleLine;
  readonly table: TableAnalysis;
  readonly resolved: ResolvedRule;
  /**
   * The chain the command works on, when it names one: the key in `chains` of the chain the name
   * denotes at this line (a chain renamed later by `-E` is known by its last name), or the name as
   * written when it denotes no chain there.
   */
  readonly chain?: string;
  /** Whether the command's user chain / the `-j` user chain existed at this line (iptables-restore works line by line). */
  readonly chainExistsHere: boolean;
  readonly targetExistsHere: boolean;
  /** What the `-j`/`-g` name is, once asked for (see `targetKindOf`). */
  targetKind: TargetKind | undefined;
  /** The extensions' `validate` results, by position in `resolved.extensions`, once asked for (see `validateExtension`). */
  validated: Array<readonly ExtensionProblem[] | undefined> | undefined;
}

export interface TableAnalysis {
  readonly block: TableBlock;
  readonly name: string;
  readonly known: boolean;
  readonly chains: Map<string, ChainInfo>;
  readonly rules: AnalyzedRule[];
  /** For each user chain: the built-in chains from which it can be reached through jumps. */
  readonly hooks: Map<string, Set<string>>;
  /** Declarations of a user chain that exists already at that line (no `-X` in between), and `-E` to such a name. */
  readonly duplicates: Array<{ readonly word: Word; readonly first: Word; readonly firstLine: number }>;
  /** The renames that take effect, in file order (see `chainAt`). Empty in nearly every ruleset. */
  readonly renames: readonly ChainRename[];
  /** What numbered -I/-R/-D lines and -X lines find in their chains (replay.ts); empty when the table has none. */
  readonly replay: TableReplay;
}

export interface Analysis {
  readonly family: Family;
  readonly tables: TableAnalysis[];
}

const NOTHING: readonly never[] = Object.freeze([]);

/**
 * Arrays filled by `push` keep room for 17 items; a kube-proxy ruleset has tens of thousands of
 * chains with one to three rules each, so the lists are cut to size once the table is read.
 */
function compactChain(info: ChainInfo): void {
  const c = info as ChainLists;
  c.declarations = compacted(info.declarations);
  c.rules = compacted(info.rules);
  c.references = compacted(info.references);
}

/** A chain's lists, which `analyze` builds. */
type ChainLists = { declarations: ChainInfo['declarations']; rules: AnalyzedRule[]; references: AnalyzedRule[] };

/** Lists shorter than this are copied at their size when they grow (`added`); longer ones are pushed to. */
const SHORT_LIST = 4;

/**
 * `list` with `item` added. A list grown by pushing (or spread into a new array) reserves room for
 * seventeen items, and a kube-proxy table has tens of thousands of chains with one to three rules: a
 * short list is made anew at its size instead, as an array literal (`compactChain` trims the longer
 * ones once the table is done).
 */
function added<T>(list: T[], item: T): T[] {
  switch (list.length) {
    case 0:
      return [item];
    case 1:
      return [list[0] as T, item];
    case 2:
      return [list[0] as T, list[1] as T, item];
    case 3:
      return [list[0] as T, list[1] as T, list[2] as T, item];
    default:
      list.push(item);
      return list;
  }
}

function compacted<T>(list: T[]): T[] {
  return list.length === 0 ? (NOTHING as never[]) : list.length <= SHORT_LIST ? list : list.slice();
}

function chainOf(map: Map<string, ChainInfo>, name: string, builtin: boolean): ChainInfo {
  let info = map.get(name);
  if (!info) {
    info = { name, builtin, declarations: [], rules: [], references: [] };
    map.set(name, info);
  }
  return info;
}

/** Commands that put a rule into a chain (and so may jump). */
export function addsRule(line: RuleLine): boolean {
  return line.commandKind === 'append' || line.commandKind === 'insert' || line.commandKind === 'replace';
}

/**
 * What the resolver asks of a table: whether `-j NAME` names one of its user chains (declared
 * anywhere in the table, or renamed from or to that name; a chain takes priority over a target
 * extension of the same name).
 */
export function resolveContextOf(ta: TableAnalysis, family: Family): ResolveContext {
  return { family, isUserChain: (name) => ta.chains.get(name)?.builtin === false || (ta.renames.length > 0 && chainNames.get(ta.renames)?.has(name) === true) };
}

/** How a rule line gets resolved: `resolveRule`, or a cache of earlier results (lineCache.ts). */
export type RuleResolver = (line: RuleLine, ctx: ResolveContext) => ResolvedRule;

export function analyze(doc: IptablesDocument, resolve: RuleResolver = resolveRule): Analysis {
  const tables: TableAnalysis[] = [];
  for (const block of doc.tables) {
    const known = isTableName(block.name);
    const chains = new Map<string, ChainInfo>();
    if (known) for (const c of TABLES[block.name as keyof typeof TABLES]) chainOf(chains, c, true);
    const ta: TableAnalysis = { block, name: block.name, known, chains, rules: [], hooks: new Map(), duplicates: [], renames: NO_RENAMES, replay: EMPTY_REPLAY };
    const resolveContext = resolveContextOf(ta, doc.family);
    // User chains that exist so far, in file order, with their declaring word.
    const existing = new Map<string, { word: Word; line: number }>();
    const declare = (word: Word, line: number): void => {
      const prior = existing.get(word.text);
      if (prior) ta.duplicates.push({ word, first: prior.word, firstLine: prior.line });
      else existing.set(word.text, { word, line });
    };
    const firstRule = block.rules[0]?.index ?? Infinity;
    for (const cl of block.chainLines) {
      if (cl.name.text !== '' && !isBuiltinChain(block.name, cl.name.text) && cl.index < firstRule) declare(cl.name, cl.index);
    }
    const blockRules = block.rules;
    // A table that renames chains (rare) has its chains worked out line by line (`planChains`),
    // and its names looked up by line (`names`); any other table by name alone.
    let names: ChainNames | undefined;
    if (blockRules.some((line) => line.commandKind === 'rename-chain')) {
      const plan = planChains(block, chains);
      if (plan.renames.length > 0) {
        (ta as { renames: readonly ChainRename[] }).renames = plan.renames;
        chainNames.set(plan.renames, plan.names);
        names = plan.names;
      }
    } else {
      for (const cl of block.chainLines) {
        if (cl.name.text === '') continue;
        const builtin = isBuiltinChain(block.name, cl.name.text) && cl.policy?.text !== '-';
        const info = chainOf(chains, cl.name.text, isBuiltinChain(block.name, cl.name.text));
        if (!info.builtin || builtin) (info as ChainLists).declarations = added(info.declarations, { word: cl.name, line: cl });
      }
      for (let k = 0; k < blockRules.length; k++) {
        const line = blockRules[k] as RuleLine;
        if (line.commandKind === 'new-chain' && line.chain) {
          const info = chainOf(chains, line.chain.text, isBuiltinChain(block.name, line.chain.text));
          (info as ChainLists).declarations = added(info.declarations, { word: line.chain, line });
        }
      }
    }
    const lateChainLines = block.chainLines.filter((cl) => cl.name.text !== '' && !isBuiltinChain(block.name, cl.name.text) && cl.index >= firstRule);
    let nextLate = 0;
    for (let k = 0; k < blockRules.length; k++) {
      const line = blockRules[k] as RuleLine;
      while (nextLate < lateChainLines.length && (lateChainLines[nextLate] as ChainLine).index < line.index) {
        const cl = lateChainLines[nextLate++] as ChainLine;
        declare(cl.name, cl.index);
      }
      const resolved = resolve(line, resolveContext);
      const chainName = chainNameOf(line);
      const targetName = targetNameOf(resolved);
      const rule: AnalyzedRule = {
        line, table: ta, resolved,
        chain: names && chainName !== undefined ? (nameAt(names, chains, chainName, line.index)?.name ?? chainName) : chainName,
        chainExistsHere: chainName === undefined || existing.has(chainName) || isBuiltinChain(block.name, chainName),
        targetExistsHere: targetName === undefined || existing.has(targetName),
        targetKind: undefined,
        validated: undefined,
      };
      // The tool skips the rule of a line with -4 in an IPv6 ruleset (-6 in an IPv4 one): it is no part
      // of the structure, and only the checks of what is read before the -4 apply to it.
      if (familySkipsRule(resolved)) {
        ta.rules.push(rule);
        continue;
      }
      const chainWord = line.commandKind === 'append' ? undefined : line.chain;
      if (line.commandKind === 'new-chain' && chainWord && !isBuiltinChain(block.name, chainWord.text)) declare(chainWord, line.index);
      else if (line.commandKind === 'delete-chain') {
        if (chainWord) existing.delete(chainWord.text);
        else existing.clear();
      } else if (line.commandKind === 'rename-chain' && chainWord) {
        // The same conditions as planChains': a rename onto an existing chain is a duplicate.
        const to = line.command?.values[1];
        const prior = to && existing.get(to.text);
        if (to && prior) ta.duplicates.push({ word: to, first: prior.word, firstLine: prior.line });
        else if (to && existing.has(chainWord.text) && !isBuiltinChain(block.name, to.text) && newChainNameProblem(to.text) === undefined) {
          existing.delete(chainWord.text);
          existing.set(to.text, { word: to, line: line.index });
        }
      }
      ta.rules.push(rule);
      if (chainName !== undefined && addsRule(line)) {
        const c = names ? nameAt(names, chains, chainName, line.index) : chains.get(chainName);
        if (c) (c as ChainLists).rules = added(c.rules, rule);
        if (targetName !== undefined) {
          const dest = names ? nameAt(names, chains, targetName, line.index) : chains.get(targetName);
          if (dest) (dest as ChainLists).references = added(dest.references, rule);
        }
      }
    }
    // Chain lines after the last command line make chains too (and may declare one twice).
    while (nextLate < lateChainLines.length) {
      const cl = lateChainLines[nextLate++] as ChainLine;
      declare(cl.name, cl.index);
    }
    if (isTableName(block.name) && needsReplay(blockRules)) (ta as { replay: TableReplay }).replay = replayOf(ta, block.name, doc.text, doc.family);
    computeHooks(ta);
    for (const info of chains.values()) compactChain(info);
    tables.push(ta);
  }
  return { family: doc.family, tables };
}

const NO_RENAMES: readonly ChainRename[] = Object.freeze([]);

/**
 * The replay of a table's chain lines and commands, in file order, with the -j/-g name of each
 * command line and its rule as written in `text` (a view of the document may hold stand-ins for
 * its lines, so the rule is read from the text, not from the line's words).
 */
function replayOf(ta: TableAnalysis, table: TableName, text: string, family: Family): TableReplay {
  const targets = new Map<RuleLine, string | undefined>();
  const gotos = new Set<RuleLine>();
  for (let k = 0; k < ta.rules.length; k++) {
    const r = ta.rules[k] as AnalyzedRule;
    targets.set(r.line, r.resolved.target?.word?.text);
    if (r.resolved.target?.kind === 'goto') gotos.add(r.line);
  }
  const lines: Array<ChainLine | RuleLine> = [...ta.block.chainLines, ...ta.block.rules];
  lines.sort((a, b) => a.index - b.index);
  const ctx = resolveContextOf(ta, family);
  const facts = new Map<RuleLine, ReturnType<typeof ruleFactsOf>>();
  const reread = (line: RuleLine): ReturnType<typeof ruleFactsOf> => {
    let f = facts.get(line);
    if (!f) facts.set(line, (f = ruleFactsOf(text, line, ctx)));
    return f;
  };
  return replayTable(table, lines, {
    target: (line) => targets.get(line),
    goto: (line) => gotos.has(line),
    spec: (line) => ruleSpecText(text, line),
    matches: (line) => reread(line).matches,
    header: (line) => reread(line).header,
  });
}

/**
 * What the replay compares of a command line's rule besides its target, read again from the text
 * (the analysis may hold a stand-in that keeps only the unknown matches): the names of the matches
 * it loads, in order (undefined when one is unknown), and its header (`ruleHeaderOf`).
 */
function ruleFactsOf(text: string, line: RuleLine, ctx: ResolveContext): { matches: readonly string[] | undefined; header: string | undefined } {
  const resolved = resolveRule(parseRuleLine(text.slice(line.span.start, line.span.end), line.span.start, line.index).line, ctx);
  let matches: string[] | undefined = [];
  for (const m of resolved.matches) {
    if (!m.spec) {
      matches = undefined;
      break;
    }
    matches.push(m.spec.name);
  }
  return { matches, header: ruleHeaderOf(resolved, ctx.family) };
}

/**
 * A rule's -p, -s, -d, -i, -o and -f as both backends compare them (probed with -D): the protocol
 * as a number (`-p all`, `-p 0` and none are the same), an address as its network and prefix
 * (`1.2.3.4` is `1.2.3.4/32`, `0.0.0.0/0` is none), an interface as written (`+` alone is none),
 * each with its "!". Undefined when kvmnet cannot tell how a value reads (a protocol or host name,
 * an address list, another spelling of an address): the rules may then still compare equal.
 */
function ruleHeaderOf(resolved: ResolvedRule, family: Family): string | undefined {
  const parts: string[] = [];
  for (const g of resolved.generic) {
    const bang = g.negated ? '! ' : '';
    const value = g.values[0]?.text;
    switch (g.key) {
      case '-p': {
        if (value === undefined) return undefined;
        const number = value === 'all' ? 0 : protocolNumber(value.toLowerCase());
        if (number === undefined) return undefined;
        if (number !== 0 || g.negated) parts.push(`${bang}-p ${number}`);
        break;
      }
      case '-s':
      case '-d': {
        const network = value === undefined ? undefined : plainNetwork(value, family);
        if (network === undefined) return undefined;
        if (!network.endsWith('/0') || g.negated) parts.push(`${bang}${g.key} ${network}`);
        break;
      }
      case '-i':
      case '-o':
        if (value === undefined) return undefined;
        if (value !== '+' || g.negated) parts.push(`${bang}${g.key} ${value}`);
        break;
      case '-f':
        parts.push(`${bang}-f`);
        break;
      default:
        break;
    }
  }
  return parts.sort().join(' ');
}

/**
 * `address[/prefix]` written the plain way (four decimal parts, or inet_pton's IPv6 text; a decimal
 * prefix) as its network, `net/prefix`; undefined for any other spelling.
 */
function plainNetwork(value: string, family: Family): string | undefined {
  const slash = value.indexOf('/');
  const host = slash === -1 ? value : value.slice(0, slash);
  const prefixText = slash === -1 ? undefined : value.slice(slash + 1);
  const max = family === 'ipv4' ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^(0|[1-9][0-9]{0,2})$/.test(prefixText) ? Number(prefixText) : -1;
  if (prefix < 0 || prefix > max) return undefined;
  if (family === 'ipv4') {
    if (plainIPv4(host) === -1) return undefined;
    return `${ipaddr.IPv4.networkAddressFromCIDR(`${host}/${prefix}`).toString()}/${prefix}`;
  }
  if (!isPtonIPv6(host)) return undefined;
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${host}/${prefix}`).toNormalizedString()}/${prefix}`;
}

/** The longest new name `-E` takes: libiptc keeps it in 32 bytes with the NUL (`-N` allows 28 characters). */
export const MAX_RENAMED_CHAIN_NAME = 31;

/**
 * Why iptables-legacy-restore refuses `name` as the new name of `-E OLD NEW` whatever chains exist
 * (found with the real tool: a standard verdict's name, a name over 31 characters, a word starting
 * with "!" or "-"); undefined when it takes it.
 */
export function newChainNameProblem(name: string): string | undefined {
  if (name === '') return 'a chain name cannot be empty';
  if (name.startsWith('!') || name.startsWith('-')) return `iptables reads a word starting with "${name[0]}" as an option or a negation, not as the new name`;
  if (STANDARD_TARGETS.includes(name)) return `${name} is a standard verdict`;
  if (name.length > MAX_RENAMED_CHAIN_NAME) return `it is ${name.length} characters long and iptables takes at most ${MAX_RENAMED_CHAIN_NAME} here`;
  return undefined;
}

/** From line `at` on, a name denotes `chain`, or nothing (`chain` undefined: `rename` took it away). */
interface NameEvent {
  readonly at: number;
  readonly chain: ChainInfo | undefined;
  readonly rename?: ChainRename;
}

/** For each name a user chain of the table has had: what it denotes from which line, in file order. */
type ChainNames = ReadonlyMap<string, readonly NameEvent[]>;

/** The names of the tables with renames, by their `renames` list (which every view of a table shares). */
const chainNames = new WeakMap<readonly ChainRename[], ChainNames>();

/**
 * The chain a name denotes on line `index`: the last event before the line, else (a name used
 * before any chain has it: iptables refuses that line) the first chain that gets the name. Names
 * without events (built-in chains) are looked up by name.
 */
function nameAt(names: ChainNames, chains: ReadonlyMap<string, ChainInfo>, name: string, index: number): ChainInfo | undefined {
  const events = names.get(name);
  if (!events) return chains.get(name);
  return (lastEventBefore(events, index) ?? (events[0] as NameEvent)).chain;
}

/** The last of a name's events (in file order) on a line before `index`. */
function lastEventBefore(events: readonly NameEvent[], index: number): NameEvent | undefined {
  let hit: NameEvent | undefined;
  for (let i = 0; i < events.length && (events[i] as NameEvent).at < index; i++) hit = events[i];
  return hit;
}

/**
 * The chains of a table that renames chains. Its chain lines and its -N, -X and -E lines are
 * replayed in file order, as iptables-restore applies them, so that each name is tied to the chain
 * it denotes from each line on: a rename that takes effect (see `ChainRename`) moves the chain,
 * with the rules and jumps it has and will get, to its new name. A name declared again after -X
 * denotes the same chain as before (as for tables without renames); declared again after a rename
 * took it away, a new chain. Every chain is keyed by its last name; should a deleted chain and a
 * renamed one end with the same name, the one that exists at the end of the table keeps it.
 */
function planChains(block: TableBlock, chains: Map<string, ChainInfo>): { renames: ChainRename[]; names: Map<string, NameEvent[]> } {
  const table = block.name;
  const alive = new Map<string, ChainInfo>();
  const names = new Map<string, NameEvent[]>();
  const created: ChainInfo[] = [];
  const renames: ChainRename[] = [];
  const note = (name: string, event: NameEvent): void => {
    const events = names.get(name);
    if (events) events.push(event);
    else names.set(name, [event]);
  };
  const declareUser = (word: Word, line: ChainLine | RuleLine): void => {
    const name = word.text;
    let info = alive.get(name);
    if (!info) {
      const last = names.get(name)?.at(-1)?.chain;
      if (last !== undefined && last.name === name) info = last;
      else created.push((info = { name, builtin: false, declarations: [], rules: [], references: [] }));
      alive.set(name, info);
      note(name, { at: line.index, chain: info });
    }
    info.declarations.push({ word, line });
  };
  const chainLines = block.chainLines;
  const rules = block.rules;
  let c = 0;
  let r = 0;
  while (c < chainLines.length || r < rules.length) {
    const cl = chainLines[c];
    const rl = rules[r];
    if (cl && (!rl || cl.index < rl.index)) {
      c++;
      const name = cl.name.text;
      if (name === '') continue;
      if (isBuiltinChain(table, name)) {
        if (cl.policy?.text !== '-') chainOf(chains, name, true).declarations.push({ word: cl.name, line: cl });
      } else declareUser(cl.name, cl);
      continue;
    }
    const line = rl as RuleLine;
    r++;
    const from = line.chain;
    if (line.commandKind === 'new-chain' && from) {
      if (isBuiltinChain(table, from.text)) chainOf(chains, from.text, true).declarations.push({ word: from, line });
      else declareUser(from, line);
    } else if (line.commandKind === 'delete-chain') {
      if (from) alive.delete(from.text);
      else alive.clear();
    } else if (line.commandKind === 'rename-chain' && from) {
      const to = line.command?.values[1];
      if (!to) continue;
      const holder = isBuiltinChain(table, to.text) ? chainOf(chains, to.text, true) : alive.get(to.text);
      if (holder) {
        holder.declarations.push({ word: to, line }); // a duplicate (see duplicate-chain)
        continue;
      }
      const info = alive.get(from.text);
      if (!info || newChainNameProblem(to.text) !== undefined) continue;
      alive.delete(from.text);
      alive.set(to.text, info);
      (info as { name: string }).name = to.text;
      info.declarations.push({ word: to, line });
      const rename: ChainRename = { line, from, to, chain: info };
      renames.push(rename);
      note(from.text, { at: line.index, chain: undefined, rename });
      note(to.text, { at: line.index, chain: info });
    }
  }
  for (const info of created) {
    if (!chains.has(info.name) || alive.get(info.name) === info) chains.set(info.name, info);
  }
  return { renames, names };
}

/**
 * The chain `name` denotes at line `index` of the table: in a table with renames, a name denotes
 * different chains over the file (`-E OLD NEW`: OLD's chain is NEW's from that line on). A name
 * used where no chain has it gives the chain that gets it later, as for a chain declared late.
 */
export function chainAt(ta: TableAnalysis, name: string, index: number): ChainInfo | undefined {
  const names = ta.renames.length === 0 ? undefined : chainNames.get(ta.renames);
  return names ? nameAt(names, ta.chains, name, index) : ta.chains.get(name);
}

/** The chain a name denotes somewhere in the table: the chain of that name, else the chain last renamed away from it. */
export function chainNamed(ta: TableAnalysis, name: string): ChainInfo | undefined {
  const own = ta.chains.get(name);
  if (own || ta.renames.length === 0) return own;
  for (let i = ta.renames.length - 1; i >= 0; i--) {
    const rename = ta.renames[i] as ChainRename;
    if (rename.from.text === name) return rename.chain;
  }
  return undefined;
}

/** The rename that took `name` away before line `index`, when no chain has had the name since. */
export function renamedAwayBefore(ta: TableAnalysis, name: string, index: number): ChainRename | undefined {
  const events = ta.renames.length === 0 ? undefined : chainNames.get(ta.renames)?.get(name);
  if (!events) return undefined;
  const hit = lastEventBefore(events, index);
  return hit?.chain === undefined ? hit?.rename : undefined;
}

/** The rename done by the `-E` line at `index`, when it takes effect. */
export function renameAt(ta: TableAnalysis, index: number): ChainRename | undefined {
  const renames = ta.renames;
  for (let i = 0; i < renames.length; i++) if ((renames[i] as ChainRename).line.index === index) return renames[i];
  return undefined;
}

/** The jumps between the chains of a table, with chains numbered (their order in `chains`). */
export interface JumpGraph {
  readonly chains: readonly ChainInfo[];
  readonly ids: ReadonlyMap<string, number>;
  /** For each chain, its rules that jump or go to a user chain of the table, in order ... */
  readonly jumps: ReadonlyArray<readonly AnalyzedRule[]>;
  /** ... and the number of that user chain. */
  readonly targets: ReadonlyArray<readonly number[]>;
}

const graphs = new WeakMap<TableAnalysis, JumpGraph>();

/** The table's jump graph, built once (hooks and the loop check both walk it). */
export function jumpGraph(ta: TableAnalysis): JumpGraph {
  let graph = graphs.get(ta);
  if (!graph) {
    const chains = [...ta.chains.values()];
    const ids = new Map<string, number>();
    chains.forEach((info, i) => ids.set(info.name, i));
    const jumps: Array<readonly AnalyzedRule[]> = [];
    const targets: Array<readonly number[]> = [];
    // With renames, a jump goes to the chain its name denotes on its line.
    const names = ta.renames.length === 0 ? undefined : chainNames.get(ta.renames);
    const byChain = names ? new Map(chains.map((info, i) => [info, i])) : undefined;
    // A chain's jumps are gathered in these and kept as lists of their own size: a table can have
    // tens of thousands of chains with a jump or two each, and a list grown by pushing reserves room
    // for seventeen.
    const rules: AnalyzedRule[] = [];
    const to: number[] = [];
    for (const info of chains) {
      rules.length = 0;
      to.length = 0;
      const chainRules = info.rules;
      for (let k = 0; k < chainRules.length; k++) {
        const r = chainRules[k] as AnalyzedRule;
        const dest = targetNameOf(r.resolved);
        if (dest === undefined) continue;
        const d = names && byChain ? byChain.get(nameAt(names, ta.chains, dest, r.line.index) as ChainInfo) : ids.get(dest);
        if (d === undefined || (chains[d] as ChainInfo).builtin) continue;
        rules.push(r);
        to.push(d);
      }
      jumps.push(rules.length === 0 ? NOTHING : rules.slice());
      targets.push(to.length === 0 ? NOTHING : to.slice());
    }
    graph = { chains, ids, jumps, targets };
    graphs.set(ta, graph);
  }
  return graph;
}

/**
 * Built-in chains that reach each user chain: a breadth-first search over the jumps from each
 * built-in chain in turn, over chain numbers rather than names. Chains reached from the same
 * built-in chains share one set.
 */
function computeHooks(ta: TableAnalysis): void {
  // The kernel checks the hooks of a user chain's rules when the table is committed, with the jumps
  // left then: a jump that a later line deletes does not count (it must be left in both backends).
  const survivors = ta.replay.survivors;
  hookMap(ta, survivors ? (line) => survivors.legacy.has(line) && survivors.nft.has(line) : undefined, ta.hooks);
}

/**
 * The built-in chains that reach each user chain through the jumps of the rules `keep` takes (by
 * line index; all of them without `keep`), into `into`.
 */
function hookMap(ta: TableAnalysis, keep: ((line: number) => boolean) | undefined, into: Map<string, Set<string>>): Map<string, Set<string>> {
  const full = jumpGraph(ta);
  const infos = full.chains;
  const edges = keep ? keptJumps(full, (r) => keep(r.line.index)).targets : full.targets;
  const n = infos.length;
  const masks = new Array<number>(n).fill(0);
  const seen = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const builtins: number[] = [];
  const order: number[] = []; // user chains in the order a search first reaches them
  infos.forEach((info, b) => {
    if (!info.builtin) return;
    const bit = builtins.length;
    builtins.push(b);
    seen[b] = b;
    queue[0] = b;
    let tail = 1;
    for (let head = 0; head < tail; head++) {
      const out = edges[queue[head] as number] as readonly number[];
      for (let k = 0; k < out.length; k++) {
        const d = out[k] as number;
        if (seen[d] === b) continue;
        seen[d] = b;
        if (masks[d] === 0) order.push(d);
        masks[d] = (masks[d] as number) | (2 ** bit);
        queue[tail++] = d;
      }
    }
  });
  const shared = new Map<number, Set<string>>();
  for (const d of order) {
    const mask = masks[d] as number;
    let hooks = shared.get(mask);
    if (!hooks) {
      hooks = new Set();
      builtins.forEach((b, bit) => {
        if (Math.floor(mask / 2 ** bit) % 2 === 1) hooks?.add((infos[b] as ChainInfo).name);
      });
      shared.set(mask, hooks);
    }
    into.set((infos[d] as ChainInfo).name, hooks);
  }
  return into;
}

/** The jump graph with only the jumps of the rules `keep` takes. */
export function keptJumps(graph: JumpGraph, keep: (r: AnalyzedRule) => boolean): JumpGraph {
  const jumps = graph.jumps.map((list) => list.filter(keep));
  const targets = graph.jumps.map((list, c) => (graph.targets[c] as readonly number[]).filter((_, k) => keep(list[k] as AnalyzedRule)));
  return { chains: graph.chains, ids: graph.ids, jumps, targets };
}

const hooksByBackend = new WeakMap<TableAnalysis, Record<Backend, Map<string, Set<string>>>>();

/**
 * For each user chain, the built-in chains that reach it through the jumps `backend` still holds
 * when it commits the table. Differs from `hooks` only in a table that removes rules, where the
 * backends may hold different ones (nft keeps the rules of a bare -F); undefined for a table that
 * removes none. Worked out once per table, when first asked.
 */
export function hooksAtCommit(t: TableAnalysis, backend: Backend): ReadonlyMap<string, ReadonlySet<string>> | undefined {
  const survivors = t.replay.survivors;
  if (!survivors) return undefined;
  let maps = hooksByBackend.get(t);
  if (!maps) {
    maps = { legacy: hookMap(t, (line) => survivors.legacy.has(line), new Map()), nft: hookMap(t, (line) => survivors.nft.has(line), new Map()) };
    hooksByBackend.set(t, maps);
  }
  return maps[backend];
}

/**
 * The built-in chains whose hooks `backend` checks rule `r` of a user chain against when it commits
 * the table (`hooksAtCommit`), none when it no longer holds the rule; undefined for a rule of a
 * built-in chain or a table that removes no rule.
 */
export function userRuleHooksIn(r: AnalyzedRule, backend: Backend): ReadonlySet<string> | undefined {
  const t = r.table;
  const hooks = hooksAtCommit(t, backend);
  if (!hooks || !r.chain || t.chains.get(r.chain)?.builtin !== false) return undefined;
  if (!t.replay.survivors?.[backend].has(r.line.index)) return NO_HOOKS;
  return hooks.get(r.chain) ?? NO_HOOKS;
}

const NO_HOOKS: ReadonlySet<string> = new Set();
/** `{chain}` for each built-in chain name, made once (checks ask for every rule). */
const BUILTIN_HOOKS = new Map<string, ReadonlySet<string>>();

/** The built-in chains (hooks) through which a rule in `chain` is reached. */
export function hooksOf(ta: TableAnalysis, chain: string): ReadonlySet<string> {
  const info = ta.chains.get(chain);
  if (info?.builtin) {
    let hooks = BUILTIN_HOOKS.get(chain);
    if (!hooks) BUILTIN_HOOKS.set(chain, (hooks = new Set([chain])));
    return hooks;
  }
  return ta.hooks.get(chain) ?? NO_HOOKS;
}

/**
 * The built-in chains whose hooks the kernel checks rule `r` against: its chain's (`hooksOf`), but
 * none for a rule of a user chain that a later line of the table removes or replaces in either
 * backend, as the kernel checks a user chain's rules only when the table is committed. A rule of a
 * built-in chain is checked when it is added: iptables-nft-restore refuses it even if a -D deletes
 * it later, but not when a `-F CHAIN` empties the chain (it drops the rule from its batch).
 */
export function ruleHooks(r: AnalyzedRule): ReadonlySet<string> {
  if (!r.chain) return NO_HOOKS;
  const t = r.table;
  const survivors = t.replay.survivors;
  const i = r.line.index;
  if (survivors && !(survivors.legacy.has(i) && survivors.nft.has(i)) && (!t.chains.get(r.chain)?.builtin || t.replay.flushed?.has(i))) return NO_HOOKS;
  return hooksOf(t, r.chain);
}

/** `classifyTarget` of the rule, worked out once and kept on the rule (several checks ask). */
export function targetKindOf(r: AnalyzedRule, family: Family): TargetKind {
  return (r.targetKind ??= classifyTarget(r.resolved, r.table, family));
}

/** First position in `rules` (in line order) of a rule on line `index` or later. */
function firstRuleFrom(rules: readonly AnalyzedRule[], index: number): number {
  let lo = 0;
  let hi = rules.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((rules[mid] as AnalyzedRule).line.index < index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function replaceIn<T>(list: readonly T[], old: T, by: T): boolean {
  const at = list.indexOf(old);
  if (at === -1) return false;
  (list as T[])[at] = by;
  return true;
}

/**
 * The analysis of a new version of a document in which only the command lines [from, to) changed,
 * at the same indices, without changing the structure: the same tables, chains, declarations and
 * jumps (the caller checks this, see incremental.ts). The previous analysis is updated in place to
 * point at the new lines and rules, and returned under a new `Analysis` object; undefined when the
 * changed lines do not pair up with the previous ones (the caller then analyses from scratch).
 */
export function patchAnalysis(prev: Analysis, doc: IptablesDocument, from: number, to: number, resolve: RuleResolver): Analysis | undefined {
  if (prev.family !== doc.family || prev.tables.length !== doc.tables.length) return undefined;
  const pairs: Array<{ ta: TableAnalysis; at: number; old: AnalyzedRule; line: RuleLine }> = [];
  for (let t = 0; t < prev.tables.length; t++) {
    const ta = prev.tables[t] as TableAnalysis;
    const block = doc.tables[t] as TableBlock;
    if (block.name !== ta.name || block.rules.length !== ta.rules.length) return undefined;
    const first = firstRuleFrom(ta.rules, from);
    const end = firstRuleFrom(ta.rules, to);
    for (let at = first; at < end; at++) {
      const line = block.rules[at];
      if (!line || line.index < from || line.index >= to) return undefined;
      const old = ta.rules[at] as AnalyzedRule;
      // An edited -E line may change which chain every later name denotes: analyse again.
      if (line.commandKind === 'rename-chain' || old.line.commandKind === 'rename-chain') return undefined;
      pairs.push({ ta, at, old, line });
    }
    if (block.rules[end] !== ta.rules[end]?.line || (first > 0 && block.rules[first - 1] !== ta.rules[first - 1]?.line)) return undefined;
  }
  for (let t = 0; t < prev.tables.length; t++) {
    const ta = prev.tables[t] as TableAnalysis;
    (ta as { block: TableBlock }).block = doc.tables[t] as TableBlock;
    graphs.delete(ta); // it lists rules, some of which are replaced below
  }
  for (const { ta, at, old, line } of pairs) {
    const resolved = resolve(line, resolveContextOf(ta, doc.family));
    const rule: AnalyzedRule = {
      line, table: ta, resolved,
      // The same chain name on the same line denotes the same chain (renames did not change).
      chain: line.chain?.text === old.line.chain?.text ? old.chain : line.chain?.text,
      chainExistsHere: old.chainExistsHere,
      targetExistsHere: old.targetExistsHere,
      targetKind: undefined,
      validated: undefined,
    };
    ta.rules[at] = rule;
    if (line.chain && addsRule(line)) {
      const own = chainAt(ta, line.chain.text, line.index);
      if (own && !replaceIn(own.rules, old, rule)) return undefined;
      const dest = resolved.target?.word?.text;
      const target = dest === undefined ? undefined : chainAt(ta, dest, line.index);
      if (target && !replaceIn(target.references, old, rule)) return undefined;
    }
    // Declarations and duplicates hold the words of -N and -E lines.
    const words = new Map<Word, Word>();
    if (old.line.chain && line.chain) words.set(old.line.chain, line.chain);
    const oldTo = old.line.command?.values[1];
    const newTo = line.command?.values[1];
    if (oldTo && newTo) words.set(oldTo, newTo);
    if (words.size === 0) continue;
    if (line.commandKind === 'new-chain' && line.chain) {
      // With renames, the chain that holds the declaration is not always the one of that name.
      const holders = ta.renames.length === 0 ? [ta.chains.get(line.chain.text)] : [...ta.chains.values()];
      for (const info of holders) {
        const decls = (info?.declarations ?? []) as Array<ChainInfo['declarations'][number]>;
        decls.forEach((d, i) => {
          if (d.line === old.line) decls[i] = { word: line.chain as Word, line };
        });
      }
    }
    const dups = ta.duplicates as Array<TableAnalysis['duplicates'][number]>;
    dups.forEach((d, i) => {
      const word = words.get(d.word);
      const first = words.get(d.first);
      if (word || first) dups[i] = { word: word ?? d.word, first: first ?? d.first, firstLine: d.firstLine };
    });
  }
  return { family: prev.family, tables: prev.tables };
}

/**
 * What an extension's `validate` says about its use in a rule, worked out once per rule and
 * extension (`bad-value` and `option-needs-protocol` both ask, each keeping its own kind of
 * problem). The input is the one `ExtensionSpec.validate` documents: the canonical options given
 * with their values, the rule's protocol under `-p` (`['!', proto]` when negated) and the built-in
 * chains that reach the rule under `@hooks`.
 */
export function validateExtension(r: AnalyzedRule, use: ExtensionUse, family: Family): readonly ExtensionProblem[] {
  const validate = use.spec?.validate;
  if (!validate) return NO_PROBLEMS;
  const at = r.resolved.extensions.indexOf(use);
  const known = at === -1 ? undefined : r.validated?.[at];
  if (known) return known;
  const given = new GivenOptions(r, use);
  const options = use.options;
  for (let k = 0; k < options.length; k++) {
    const o = options[k] as ResolvedOption;
    // A repeatable option without arguments (policy's --next) holds one "" per occurrence.
    const values = o.spec.repeatable && o.spec.args.length === 0 ? [''] : o.values.map((v) => v.text);
    // A repeatable option (policy's per-element options) holds the values of all its occurrences.
    given.set(o.canonical, o.spec.repeatable ? [...(given.get(o.canonical) ?? []), ...values] : values);
    if (o.negated) given.set(`!${o.canonical}`, [...(given.get(`!${o.canonical}`) ?? []), ...values]);
  }
  const protocol = r.resolved.protocol;
  if (protocol && protocolSeenBy(protocol.word, options)) given.set('-p', protocol.negated ? ['!', protocol.word.text.toLowerCase()] : [protocol.word.text.toLowerCase()]);
  const problems = validate(given, family);
  if (at !== -1) (r.validated ??= [])[at] = problems;
  return problems;
}

const NO_PROBLEMS: readonly ExtensionProblem[] = Object.freeze([]);

/**
 * Whether the options' parsers see the rule's `-p`: always, but for an option that reads the
 * protocol as it is parsed (`protocolFirst`), only when the `-p` comes before it on the line.
 */
export function protocolSeenBy(protocol: Word, options: readonly ResolvedOption[]): boolean {
  for (let k = 0; k < options.length; k++) {
    const o = options[k] as ResolvedOption;
    if (o.spec.protocolFirst && o.arg.name.span.start < protocol.span.start) return false;
  }
  return true;
}

/**
 * The `given` map `validate` reads. The entries about the rest of the rule (`@hooks`, `@chain`,
 * `@order`, and `MATCH:OPTION` for the options of the rule's matches) are worked out only once
 * something reads one of them: few extensions' checks do, and making them for every validated
 * extension of every rule was a good part of bad-value's time on a large ruleset.
 */
class GivenOptions extends Map<string, readonly string[]> {
  private ruleAdded = false;

  constructor(private readonly rule: AnalyzedRule, private readonly use: ExtensionUse) {
    super();
  }

  private addRule(): void {
    if (this.ruleAdded) return;
    this.ruleAdded = true;
    const r = this.rule;
    super.set('@hooks', [...ruleHooks(r)]);
    super.set('@chain', r.chain ? [r.chain] : []);
    super.set('@order', this.use.options.map((o) => (o.negated ? `!${o.canonical}` : o.canonical)));
    const matches = r.resolved.matches;
    for (let m = 0; m < matches.length; m++) {
      const use = matches[m] as ExtensionUse;
      const name = use.spec?.name ?? use.name;
      for (const o of use.options) {
        const key = `${name}:${o.canonical}`;
        const values = o.values.map((v) => v.text);
        super.set(key, [...(super.get(key) ?? []), ...values]);
        if (o.negated) super.set(`!${key}`, [...(super.get(`!${key}`) ?? []), ...values]);
      }
    }
  }

  private static aboutRule(key: string): boolean {
    return key.charCodeAt(0) === 64 || key.includes(':'); // "@"
  }

  override get(key: string): readonly string[] | undefined {
    if (GivenOptions.aboutRule(key)) this.addRule();
    return super.get(key);
  }

  override has(key: string): boolean {
    if (GivenOptions.aboutRule(key)) this.addRule();
    return super.has(key);
  }

  override get size(): number {
    this.addRule();
    return super.size;
  }

  override forEach(fn: (value: readonly string[], key: string, map: Map<string, readonly string[]>) => void, thisArg?: unknown): void {
    this.addRule();
    super.forEach(fn, thisArg);
  }

  override entries(): MapIterator<[string, readonly string[]]> {
    this.addRule();
    return super.entries();
  }

  override keys(): MapIterator<string> {
    this.addRule();
    return super.keys();
  }

  override values(): MapIterator<readonly string[]> {
    this.addRule();
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[string, readonly string[]]> {
    return this.entries();
  }
}
