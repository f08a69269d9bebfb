/**
 * Cross-line structure of a parsed ruleset: for every table, its chains (built-in and declared),
 * the rules in each chain with their resolved options, and the jump graph between chains.
 */
import type { Family } from './kb/types.js';
import { isBuiltinChain, isTableName, TABLES } from './kb/tables.js';
import type { ChainLine, IptablesDocument, RuleLine, TableBlock, Word } from './model.js';
import { resolveRule, type ResolvedRule } from './resolve.js';

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

export function analyze(doc: IptablesDocument): Analysis {
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
    for (const cl of block.chainLines) {
      if (cl.name.text !== '' && !isBuiltinChain(block.name, cl.name.text) && cl.index < (block.rules[0]?.index ?? Infinity)) declare(cl.name, cl.index);
    }
    for (const cl of block.chainLines) {
      if (cl.name.text === '') continue;
      const builtin = isBuiltinChain(block.name, cl.name.text) && cl.policy?.text !== '-';
      const info = chainOf(chains, cl.name.text, isBuiltinChain(block.name, cl.name.text));
      if (!info.builtin || builtin) info.declarations.push({ word: cl.name, line: cl });
    }
    for (const line of block.rules) {
      if (line.commandKind === 'new-chain' && line.chain) {
        chainOf(chains, line.chain.text, isBuiltinChain(block.name, line.chain.text)).declarations.push({ word: line.chain, line });
      }
    }
    const isUserChain = (name: string): boolean => {
      const c = chains.get(name);
      return c !== undefined && !c.builtin;
    };
    const lateChainLines = block.chainLines.filter((cl) => cl.name.text !== '' && !isBuiltinChain(block.name, cl.name.text) && cl.index >= (block.rules[0]?.index ?? Infinity));
    let nextLate = 0;
    for (const line of block.rules) {
      while (nextLate < lateChainLines.length && (lateChainLines[nextLate] as ChainLine).index < line.index) {
        const cl = lateChainLines[nextLate++] as ChainLine;
        declare(cl.name, cl.index);
      }
      const resolved = resolveRule(line, { family: doc.family, isUserChain });
      const chainName = line.chain?.text;
      const targetName = resolved.target?.word?.text;
      const rule: AnalyzedRule = {
        line, table: ta, resolved,
        ...(chainName !== undefined ? { chain: chainName } : {}),
        chainExistsHere: chainName === undefined || existing.has(chainName) || isBuiltinChain(block.name, chainName),
        targetExistsHere: targetName === undefined || existing.has(targetName),
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
        if (t?.word && addsRule(line)) {
          const dest = chains.get(t.word.text);
          if (dest) dest.references.push(rule);
        }
      }
    }
    computeHooks(ta);
    tables.push(ta);
  }
  return { family: doc.family, tables };
}

/** Built-in chains that reach each user chain, by breadth-first search over jumps. */
function computeHooks(ta: TableAnalysis): void {
  for (const [name, info] of ta.chains) {
    if (!info.builtin) continue;
    const queue = [name];
    const seen = new Set<string>([name]);
    while (queue.length > 0) {
      const current = queue.shift() as string;
      for (const r of ta.chains.get(current)?.rules ?? []) {
        const dest = r.resolved.target?.word?.text;
        if (!dest || seen.has(dest)) continue;
        const d = ta.chains.get(dest);
        if (!d || d.builtin) continue;
        seen.add(dest);
        let hooks = ta.hooks.get(dest);
        if (!hooks) ta.hooks.set(dest, (hooks = new Set()));
        hooks.add(name);
        queue.push(dest);
      }
    }
  }
}

/** The built-in chains (hooks) through which a rule in `chain` is reached. */
export function hooksOf(ta: TableAnalysis, chain: string): ReadonlySet<string> {
  const info = ta.chains.get(chain);
  if (info?.builtin) return new Set([chain]);
  return ta.hooks.get(chain) ?? new Set();
}
