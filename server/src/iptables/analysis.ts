/**
 * Cross-line structure of a parsed ruleset: for every table, its chains (built-in and declared),
 * the rules in each chain with their resolved options, and the jump graph between chains.
 */
import type { ExtensionProblem, Family } from './kb/types.js';
import { isBuiltinChain, isTableName, TABLES } from './kb/tables.js';
import type { ChainLine, IptablesDocument, RuleLine, TableBlock, Word } from './model.js';
import { resolveRule, type ExtensionUse, type ResolveContext, type ResolvedOption, type ResolvedRule } from './resolve.js';
import { classifyTarget, type TargetKind } from './targetKind.js';

export interface ChainInfo {
  readonly name: string;
  readonly builtin: boolean;
  /** Every declaration (`:NAME` line or `-N NAME`), in order; more than one is a duplicate. */
  readonly declarations: Array<{ readonly word: Word; readonly line: ChainLine | RuleLine }>;
  /** Rules appended or inserted into this chain, in file order. */
  readonly rules: AnalyzedRule[];
  /** Rules that jump (`-j`) or go (`-g`) to this chain. */
  readonly references: AnalyzedRule[];
}

export interface AnalyzedRule {
  readonly line: RuleLine;
  readonly table: TableAnalysis;
  readonly resolved: ResolvedRule;
  /** The chain named by the command, when there is one. */
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
  /** Declarations of a user chain that exists already at that line (no `-X` in between). */
  readonly duplicates: Array<{ readonly word: Word; readonly first: Word; readonly firstLine: number }>;
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
  const c = info as { declarations: ChainInfo['declarations']; rules: AnalyzedRule[]; references: AnalyzedRule[] };
  c.declarations = info.declarations.length === 0 ? (NOTHING as never[]) : info.declarations.slice();
  c.rules = info.rules.length === 0 ? (NOTHING as never[]) : info.rules.slice();
  c.references = info.references.length === 0 ? (NOTHING as never[]) : info.references.slice();
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
 * anywhere in the table; a chain takes priority over a target extension of the same name).
 */
export function resolveContextOf(ta: TableAnalysis, family: Family): ResolveContext {
  return { family, isUserChain: (name) => ta.chains.get(name)?.builtin === false };
}

/** How a rule line gets resolved: `resolveRule`, or a cache of earlier results (lineCache.ts). */
export type RuleResolver = (line: RuleLine, ctx: ResolveContext) => ResolvedRule;

export function analyze(doc: IptablesDocument, resolve: RuleResolver = resolveRule): Analysis {
  const tables: TableAnalysis[] = [];
  for (const block of doc.tables) {
    const known = isTableName(block.name);
    const chains = new Map<string, ChainInfo>();
    if (known) for (const c of TABLES[block.name as keyof typeof TABLES]) chainOf(chains, c, true);
    const ta: TableAnalysis = { block, name: block.name, known, chains, rules: [], hooks: new Map(), duplicates: [] };
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
    for (const cl of block.chainLines) {
      if (cl.name.text === '') continue;
      const builtin = isBuiltinChain(block.name, cl.name.text) && cl.policy?.text !== '-';
      const info = chainOf(chains, cl.name.text, isBuiltinChain(block.name, cl.name.text));
      if (!info.builtin || builtin) info.declarations.push({ word: cl.name, line: cl });
    }
    const blockRules = block.rules;
    for (let k = 0; k < blockRules.length; k++) {
      const line = blockRules[k] as RuleLine;
      if (line.commandKind === 'new-chain' && line.chain) {
        chainOf(chains, line.chain.text, isBuiltinChain(block.name, line.chain.text)).declarations.push({ word: line.chain, line });
      }
    }
    const resolveContext = resolveContextOf(ta, doc.family);
    const lateChainLines = block.chainLines.filter((cl) => cl.name.text !== '' && !isBuiltinChain(block.name, cl.name.text) && cl.index >= firstRule);
    let nextLate = 0;
    for (let k = 0; k < blockRules.length; k++) {
      const line = blockRules[k] as RuleLine;
      while (nextLate < lateChainLines.length && (lateChainLines[nextLate] as ChainLine).index < line.index) {
        const cl = lateChainLines[nextLate++] as ChainLine;
        declare(cl.name, cl.index);
      }
      const resolved = resolve(line, resolveContext);
      const chainName = line.chain?.text;
      const targetName = resolved.target?.word?.text;
      const rule: AnalyzedRule = {
        line, table: ta, resolved,
        chain: chainName,
        chainExistsHere: chainName === undefined || existing.has(chainName) || isBuiltinChain(block.name, chainName),
        targetExistsHere: targetName === undefined || existing.has(targetName),
        targetKind: undefined,
        validated: undefined,
      };
      if (line.commandKind === 'new-chain' && line.chain && !isBuiltinChain(block.name, line.chain.text)) declare(line.chain, line.index);
      else if (line.commandKind === 'delete-chain') {
        if (line.chain) existing.delete(line.chain.text);
        else existing.clear();
      } else if (line.commandKind === 'rename-chain' && line.chain) {
        const to = line.command?.values[1];
        existing.delete(line.chain.text);
        if (to) existing.set(to.text, { word: to, line: line.index });
      }
      ta.rules.push(rule);
      if (line.chain && addsRule(line)) {
        const c = chains.get(line.chain.text);
        if (c) c.rules.push(rule);
        const t = resolved.target;
        if (t?.word) {
          const dest = chains.get(t.word.text);
          if (dest) dest.references.push(rule);
        }
      }
    }
    computeHooks(ta);
    for (const info of chains.values()) compactChain(info);
    tables.push(ta);
  }
  return { family: doc.family, tables };
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
    const jumps: AnalyzedRule[][] = [];
    const targets: number[][] = [];
    for (const info of chains) {
      const rules: AnalyzedRule[] = [];
      const to: number[] = [];
      const chainRules = info.rules;
      for (let k = 0; k < chainRules.length; k++) {
        const r = chainRules[k] as AnalyzedRule;
        const dest = r.resolved.target?.word?.text;
        if (dest === undefined) continue;
        const d = ids.get(dest);
        if (d === undefined || (chains[d] as ChainInfo).builtin) continue;
        rules.push(r);
        to.push(d);
      }
      jumps.push(rules);
      targets.push(to);
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
  const { chains: infos, targets: edges } = jumpGraph(ta);
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
    ta.hooks.set((infos[d] as ChainInfo).name, hooks);
  }
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
      pairs.push({ ta, at, old: ta.rules[at] as AnalyzedRule, line });
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
      chain: line.chain?.text,
      chainExistsHere: old.chainExistsHere,
      targetExistsHere: old.targetExistsHere,
      targetKind: undefined,
      validated: undefined,
    };
    ta.rules[at] = rule;
    if (line.chain && addsRule(line)) {
      const own = ta.chains.get(line.chain.text);
      if (own && !replaceIn(own.rules, old, rule)) return undefined;
      const dest = resolved.target?.word?.text;
      const target = dest === undefined ? undefined : ta.chains.get(dest);
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
      const info = ta.chains.get(line.chain.text);
      const decls = (info?.declarations ?? []) as Array<ChainInfo['declarations'][number]>;
      decls.forEach((d, i) => {
        if (d.line === old.line) decls[i] = { word: line.chain as Word, line };
      });
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
  const given = new GivenOptions(r);
  const options = use.options;
  for (let k = 0; k < options.length; k++) {
    const o = options[k] as ResolvedOption;
    given.set(o.canonical, o.values.map((v) => v.text));
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
 * The `given` map `validate` reads, whose `@hooks` entry is worked out only once something reads
 * it (one extension's check does; making the list for every validated extension of every rule was
 * a good part of bad-value's time on a large ruleset).
 */
class GivenOptions extends Map<string, readonly string[]> {
  private hooksAdded = false;

  constructor(private readonly rule: AnalyzedRule) {
    super();
  }

  private addHooks(): void {
    if (this.hooksAdded) return;
    this.hooksAdded = true;
    const r = this.rule;
    super.set('@hooks', r.chain ? [...hooksOf(r.table, r.chain)] : []);
  }

  override get(key: string): readonly string[] | undefined {
    if (key === '@hooks') this.addHooks();
    return super.get(key);
  }

  override has(key: string): boolean {
    return key === '@hooks' || super.has(key);
  }

  override get size(): number {
    this.addHooks();
    return super.size;
  }

  override forEach(fn: (value: readonly string[], key: string, map: Map<string, readonly string[]>) => void, thisArg?: unknown): void {
    this.addHooks();
    super.forEach(fn, thisArg);
  }

  override entries(): MapIterator<[string, readonly string[]]> {
    this.addHooks();
    return super.entries();
  }

  override keys(): MapIterator<string> {
    this.addHooks();
    return super.keys();
  }

  override values(): MapIterator<readonly string[]> {
    this.addHooks();
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[string, readonly string[]]> {
    return this.entries();
  }
}
