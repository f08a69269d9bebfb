/**
 * Go to definition, find references, highlights, rename and the jump graph (the editor's call
 * hierarchy) for chains. Chains are per table: a name is looked up only in the table block that
 * holds the cursor. A declaration is `:NAME ...`, `-N NAME` or the new name of `-E OLD NEW`; a
 * reference is the chain of a command (`-A/-I/-D/-R/-F/-Z/-X/-P/-E NAME`) or the value of
 * `-j`/`-g`. Pure; spans are UTF-16 offsets.
 */
import type { Span } from '../core/span.js';
import { chainAt, chainNamed, jumpGraph, type AnalyzedRule, type Analysis, type ChainInfo, type TableAnalysis } from './analysis.js';
import { analyzedRuleOf, blockAtLine, lineAt, locate, plainSpan, tableAnalysisOf } from './cursor.js';
import { findTarget } from './kb/index.js';
import { ALL_BUILTIN_CHAINS, isBuiltinChain, MAX_CHAIN_NAME, STANDARD_TARGETS } from './kb/tables.js';
import type { IptablesDocument, RuleLine, Word } from './model.js';
import { chainPolicy } from './symbols.js';

export type PrepareRenameResult = { readonly span: Span; readonly placeholder: string } | { readonly error: string };
export type RenameResult = { readonly edits: ReadonlyArray<{ readonly span: Span; readonly newText: string }> } | { readonly error: string };


interface Occurrence {
  readonly word: Word;
  readonly declaration: boolean;
  /** Written as the value of `-j`/`-g` (the name may then also be a target). */
  readonly jump: boolean;
}

/** Every place a chain name is written in the table block, in file order. */
function occurrences(ta: TableAnalysis): Occurrence[] {
  const out: Occurrence[] = [];
  for (const cl of ta.block.chainLines) if (cl.name.text !== '') out.push({ word: cl.name, declaration: true, jump: false });
  for (const r of ta.rules) {
    const line = r.line;
    const chain = line.chain;
    if (chain) {
      const numericZero = line.commandKind === 'zero' && /^[0-9]+$/.test(chain.text);
      if (!numericZero) out.push({ word: chain, declaration: line.commandKind === 'new-chain', jump: false });
      const renamed = line.command?.values[1];
      if (line.commandKind === 'rename-chain' && renamed) out.push({ word: renamed, declaration: true, jump: false });
    }
    for (const g of r.resolved.generic) {
      const w = g.values[0];
      if ((g.key === '-j' || g.key === '-g') && w) out.push({ word: w, declaration: false, jump: true });
    }
  }
  return out.sort((a, b) => a.word.span.start - b.word.span.start);
}

/** The chain name under the cursor and its table. */
function chainNameAt(doc: IptablesDocument, analysis: Analysis, offset: number): { name: string; word: Word; table: TableAnalysis } | undefined {
  const at = locate(doc, analysis, offset);
  if (!at) return undefined;
  if (at.kind === 'chainName') {
    const table = tableAnalysisOf(analysis, at.block);
    return table ? { name: at.word.text, word: at.word, table } : undefined;
  }
  if (at.kind === 'commandValue') {
    const table = at.rule.table;
    const kind = at.rule.line.commandKind;
    if (!table) return undefined;
    if (at.index === 0 && !(kind === 'zero' && /^[0-9]+$/.test(at.word.text))) return { name: at.word.text, word: at.word, table };
    if (at.index === 1 && kind === 'rename-chain') return { name: at.word.text, word: at.word, table };
    return undefined;
  }
  if (at.kind === 'genericValue' && (at.use.key === '-j' || at.use.key === '-g') && at.index === 0 && at.rule.table) {
    return { name: at.word.text, word: at.word, table: at.rule.table };
  }
  return undefined;
}

/** True when the name is used as a chain in the table (declared, or the chain of a command). */
function isChainOfTable(table: TableAnalysis, name: string): boolean {
  if (table.chains.has(name)) return true;
  return occurrences(table).some((o) => !o.jump && o.word.text === name);
}

export function findDefinition(doc: IptablesDocument, analysis: Analysis, offset: number): Span[] {
  const hit = chainNameAt(doc, analysis, offset);
  if (!hit || !isChainOfTable(hit.table, hit.name)) return [];
  return occurrences(hit.table).filter((o) => o.declaration && o.word.text === hit.name).map((o) => plainSpan(o.word.span));
}

export function findReferences(doc: IptablesDocument, analysis: Analysis, offset: number, includeDeclaration: boolean): Span[] {
  const hit = chainNameAt(doc, analysis, offset);
  if (!hit || !isChainOfTable(hit.table, hit.name)) return [];
  return occurrences(hit.table)
    .filter((o) => o.word.text === hit.name && (includeDeclaration || !o.declaration))
    .map((o) => plainSpan(o.word.span));
}

/** A place to highlight when the cursor is on a chain name: declarations are written, the rest read. */
export interface ChainHighlight {
  readonly span: Span;
  readonly declaration: boolean;
}

/**
 * Every place of the table block that names the chain under the cursor, declarations marked: what
 * the editor highlights when the cursor rests on a chain name (a declaration, the chain of a
 * command, the value of -j/-g). Nothing for targets and verdicts.
 */
export function findHighlights(doc: IptablesDocument, analysis: Analysis, offset: number): ChainHighlight[] {
  const hit = chainNameAt(doc, analysis, offset);
  if (!hit || !isChainOfTable(hit.table, hit.name)) return [];
  return occurrences(hit.table).filter((o) => o.word.text === hit.name).map((o) => ({ span: plainSpan(o.word.span), declaration: o.declaration }));
}

function isBuiltinHere(table: TableAnalysis, name: string): boolean {
  return table.chains.get(name)?.builtin === true || isBuiltinChain(table.name, name);
}

export function prepareRename(doc: IptablesDocument, analysis: Analysis, offset: number): PrepareRenameResult | undefined {
  const hit = chainNameAt(doc, analysis, offset);
  if (!hit) return undefined;
  const { name, table } = hit;
  if (isBuiltinHere(table, name)) return { error: `${name} is a built-in chain of table ${table.name}; built-in chains cannot be renamed` };
  if (STANDARD_TARGETS.includes(name)) return { error: `${name} is a standard verdict, not a chain` };
  if (!isChainOfTable(table, name)) {
    if (findTarget(name, doc.family)) return { error: `${name} is a target extension, not a chain of table ${table.name}` };
    if (ALL_BUILTIN_CHAINS.includes(name)) return { error: `${name} is a built-in chain name` };
  }
  return { span: plainSpan(hit.word.span), placeholder: name };
}

/** Why iptables (or the file's readability) would refuse `newName` for a chain of `table`; undefined when it is fine. */
export function checkNewChainName(newName: string, oldName: string, table: TableAnalysis, doc: IptablesDocument): string | undefined {
  if (newName === '') return 'a chain name cannot be empty';
  if (newName.length > MAX_CHAIN_NAME) return `"${newName}" is ${newName.length} characters long; iptables allows at most ${MAX_CHAIN_NAME}`;
  if (newName.startsWith('-') || newName.startsWith('!')) return `a chain name cannot start with "${newName[0]}" (iptables would read it as an option or a negation)`;
  if (/\s/.test(newName)) return 'a chain name cannot contain whitespace';
  if (/["'\\]/.test(newName)) return 'a chain name cannot contain quotes or backslashes (iptables-restore reads them as quoting)';
  if (STANDARD_TARGETS.includes(newName)) return `${newName} is a standard verdict; iptables refuses it as a chain name`;
  if (isBuiltinHere(table, newName)) return `table ${table.name} already has a chain named ${newName} (a built-in one)`;
  if (ALL_BUILTIN_CHAINS.includes(newName)) return `${newName} is the name of a built-in chain of other tables; iptables would take it, but every reader would mistake it for the built-in one`;
  if (findTarget(newName, doc.family)) {
    return `${newName} is the name of a target extension: the save file would load, but "iptables -N ${newName}" refuses the name ("chain name may not clash with target name"), and "-j ${newName}" would then mean the chain, not the target`;
  }
  if (newName !== oldName && isChainOfTable(table, newName)) return `table ${table.name} already has a chain named ${newName}`;
  return undefined;
}

export function renameChain(doc: IptablesDocument, analysis: Analysis, offset: number, newName: string): RenameResult {
  const prepared = prepareRename(doc, analysis, offset);
  if (!prepared) return { error: 'there is no chain name at this position' };
  if ('error' in prepared) return prepared;
  const hit = chainNameAt(doc, analysis, offset);
  if (!hit) return { error: 'there is no chain name at this position' };
  const problem = checkNewChainName(newName, hit.name, hit.table, doc);
  if (problem) return { error: problem };
  if (newName === hit.name) return { edits: [] };
  const edits = occurrences(hit.table)
    .filter((o) => o.word.text === hit.name)
    .map((o) => ({ span: plainSpan(o.word.span), newText: newName }));
  return { edits };
}

/**
 * A chain as a node of its table's jump graph: what the editor's call hierarchy shows (the calls are
 * the rules' -j and -g to user chains).
 */
export interface ChainNode {
  /** Position of the table among the document's tables (a file may hold two blocks of one table). */
  readonly tableIndex: number;
  readonly table: string;
  /** The chain's name at the end of the table (its key in `TableAnalysis.chains`). */
  readonly name: string;
  readonly builtin: boolean;
  /** The line that declares the chain, else the first line that names it: where the editor opens the node. */
  readonly span: Span;
  /** The chain's name on that line. */
  readonly nameSpan: Span;
  /** "table filter, policy DROP, 12 rules". */
  readonly detail: string;
}

/** Calls between two chains: the node at the other end, and the -j/-g names that make them. */
export interface ChainCall {
  readonly node: ChainNode;
  readonly spans: readonly Span[];
}

/**
 * The chain the editor's call hierarchy starts from at `offset`: the chain named there (a
 * declaration, the chain of a command, a -j/-g to a chain of the table), else the chain of the
 * command line or chain line the offset is on (`:NAME POLICY [0:0]` anywhere on the line).
 */
export function chainNodeAt(doc: IptablesDocument, analysis: Analysis, offset: number): ChainNode | undefined {
  const line = lineAt(doc, offset);
  const hit = chainNameAt(doc, analysis, offset);
  if (hit && isChainOfTable(hit.table, hit.name)) return nodeOf(analysis, hit.table, chainKey(hit.table, hit.name, line?.index ?? 0));
  if (line?.kind === 'chain') {
    const table = tableAnalysisOf(analysis, blockAtLine(doc, line.index));
    return table && line.name.text !== '' ? nodeOf(analysis, table, chainKey(table, line.name.text, line.index)) : undefined;
  }
  if (line?.kind !== 'rule') return undefined;
  const r = analyzedRuleOf(analysis, line);
  return r?.chain === undefined ? undefined : nodeOf(analysis, r.table, r.chain);
}

/** The key in `chains` of the chain `name` denotes on line `index` (a renamed chain is known by its last name). */
function chainKey(table: TableAnalysis, name: string, index: number): string {
  return (chainAt(table, name, index) ?? chainNamed(table, name))?.name ?? name;
}

/** The node of chain `name` of the document's `tableIndex`th table, when the table still has it there. */
export function chainNodeNamed(analysis: Analysis, tableIndex: number, name: string): ChainNode | undefined {
  const table = analysis.tables[tableIndex];
  return table ? nodeOf(analysis, table, name) : undefined;
}

/** The chains whose rules jump or go to `node`'s chain, in the order of their first such rule. */
export function callersOf(analysis: Analysis, node: ChainNode): ChainCall[] {
  const table = analysis.tables[node.tableIndex];
  const info = table?.chains.get(node.name);
  if (!table || !info) return [];
  const byCaller = new Map<string, Span[]>();
  for (const r of info.references) {
    const word = r.resolved.target?.word;
    if (r.chain !== undefined && word) addCall(byCaller, r.chain, word);
  }
  return callsTo(analysis, table, byCaller);
}

/** The user chains `node`'s chain jumps or goes to, in the order of its first rule to each. */
export function calleesOf(analysis: Analysis, node: ChainNode): ChainCall[] {
  const table = analysis.tables[node.tableIndex];
  if (!table) return [];
  const graph = jumpGraph(table);
  const id = graph.ids.get(node.name);
  if (id === undefined) return [];
  const jumps = graph.jumps[id] ?? [];
  const targets = graph.targets[id] ?? [];
  const byCallee = new Map<string, Span[]>();
  for (let k = 0; k < jumps.length; k++) {
    const word = (jumps[k] as AnalyzedRule).resolved.target?.word;
    const callee = graph.chains[targets[k] as number];
    if (word && callee) addCall(byCallee, callee.name, word);
  }
  return callsTo(analysis, table, byCallee);
}

/** Adds the -j/-g name `word` to the calls with `chain`. */
function addCall(spansByChain: Map<string, Span[]>, chain: string, word: Word): void {
  const spans = spansByChain.get(chain);
  if (spans) spans.push(plainSpan(word.span));
  else spansByChain.set(chain, [plainSpan(word.span)]);
}

function callsTo(analysis: Analysis, table: TableAnalysis, spansByChain: ReadonlyMap<string, Span[]>): ChainCall[] {
  const calls: ChainCall[] = [];
  for (const [name, spans] of spansByChain) {
    const node = nodeOf(analysis, table, name);
    if (node) calls.push({ node, spans });
  }
  return calls;
}

function nodeOf(analysis: Analysis, table: TableAnalysis, name: string): ChainNode | undefined {
  const tableIndex = analysis.tables.indexOf(table);
  const info: ChainInfo | undefined = table.chains.get(name);
  // A chain renamed by -E opens where it got its name; any other at its (first) declaration.
  const at = info?.declarations.find((d) => d.word.text === name) ?? info?.declarations[0] ?? firstCommandOn(table, name);
  if (tableIndex === -1 || !at) return undefined;
  const builtin = info?.builtin ?? false;
  const rules = info?.rules.length ?? 0;
  const policy = builtin ? chainPolicy(table.block, name) : undefined;
  const detail = [`table ${table.name}`, ...(policy ? [`policy ${policy}`] : []), `${rules} rule${rules === 1 ? '' : 's'}`].join(', ');
  return { tableIndex, table: table.name, name, builtin, span: plainSpan(at.line.span), nameSpan: plainSpan(at.word.span), detail };
}

/** Where a chain without a declaration is first named by a command (iptables refuses it, but it has a place). */
function firstCommandOn(table: TableAnalysis, name: string): { word: Word; line: RuleLine } | undefined {
  for (const r of table.rules) if (r.chain === name && r.line.chain) return { word: r.line.chain, line: r.line };
  return undefined;
}
