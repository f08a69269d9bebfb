/**
 * Go to definition, find references, highlights and rename for chains. Chains are per table: a name is looked
 * up only in the table block that holds the cursor. A declaration is `:NAME ...`, `-N NAME` or the
 * new name of `-E OLD NEW`; a reference is the chain of a command (`-A/-I/-D/-R/-F/-Z/-X/-P/-E
 * NAME`) or the value of `-j`/`-g`. Pure; spans are UTF-16 offsets.
 */
import type { Span } from '../core/span.js';
import type { Analysis, TableAnalysis } from './analysis.js';
import { locate, plainSpan, tableAnalysisOf } from './cursor.js';
import { findTarget } from './kb/index.js';
import { ALL_BUILTIN_CHAINS, isBuiltinChain, MAX_CHAIN_NAME, STANDARD_TARGETS } from './kb/tables.js';
import type { IptablesDocument, Word } from './model.js';

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
