/**
 * "What is at this offset" for the language services (hover, navigation, completion): the line,
 * the table block around it, and the part of a command line (command, option name, option value,
 * `!`, counters) together with the owner the resolver gave it. Pure; offsets are UTF-16.
 */
import { containsOffset, type Span } from '../core/span.js';
import type { AnalyzedRule, Analysis, TableAnalysis } from './analysis.js';
import type { Arg, ChainLine, Counters, IptablesDocument, Line, RuleLine, TableBlock, TableLine, Word } from './model.js';
import { resolveRule, type ExtensionUse, type GenericUse, type ResolvedOption, type ResolvedRule } from './resolve.js';

/** Index of the line that holds `offset` (an offset at a line's end belongs to that line). */
export function lineIndexAt(doc: IptablesDocument, offset: number): number {
  const starts = doc.lineStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function lineAt(doc: IptablesDocument, offset: number): Line | undefined {
  const line = doc.lines[lineIndexAt(doc, offset)];
  return line && line.span.start <= offset ? line : undefined;
}

/**
 * The table block whose region holds the line: from its `*table` line to its COMMIT, or, when it
 * has none, up to the next `*table` line (iptables-restore reads rules there as part of it).
 */
export function blockAtLine(doc: IptablesDocument, lineIndex: number): TableBlock | undefined {
  let found: TableBlock | undefined;
  for (const b of doc.tables) {
    if (b.header.index > lineIndex) break;
    found = b;
  }
  if (!found) return undefined;
  if (found.commit && found.commit.index < lineIndex) return undefined;
  return found;
}

export function tableAnalysisOf(analysis: Analysis, block: TableBlock | undefined): TableAnalysis | undefined {
  return block ? analysis.tables.find((t) => t.block === block) : undefined;
}

const ruleIndex = new WeakMap<Analysis, Map<RuleLine, AnalyzedRule>>();

/** The analysed rule of a command line (undefined for a line outside every table). */
export function analyzedRuleOf(analysis: Analysis, line: RuleLine): AnalyzedRule | undefined {
  let map = ruleIndex.get(analysis);
  if (!map) {
    map = new Map();
    for (const t of analysis.tables) for (const r of t.rules) map.set(r.line, r);
    ruleIndex.set(analysis, map);
  }
  return map.get(line);
}

/** The resolved options of a command line, also for a line outside every table. */
export function resolvedOf(doc: IptablesDocument, analysis: Analysis, line: RuleLine): ResolvedRule {
  return analyzedRuleOf(analysis, line)?.resolved ?? resolveRule(line, { family: doc.family, isUserChain: () => false });
}

export function wordAt(words: readonly Word[], offset: number): Word | undefined {
  return words.find((w) => containsOffset(w.span, offset));
}

/** A copy with only `start` and `end` (model words are their own spans and carry more fields). */
export function plainSpan(s: Span): Span {
  return { start: s.start, end: s.end };
}

function sameSpan(a: Span, b: Span): boolean {
  return a.start === b.start && a.end === b.end;
}

/** The part of the document under the cursor. */
export type Located =
  | { readonly kind: 'tableName'; readonly line: TableLine; readonly block: TableBlock | undefined; readonly word: Word }
  | { readonly kind: 'chainName'; readonly line: ChainLine; readonly block: TableBlock | undefined; readonly word: Word }
  | { readonly kind: 'chainPolicy'; readonly line: ChainLine; readonly block: TableBlock | undefined; readonly word: Word }
  | { readonly kind: 'counters'; readonly counters: Counters }
  | { readonly kind: 'commit'; readonly span: Span; readonly block: TableBlock | undefined }
  | { readonly kind: 'command'; readonly rule: RuleContext; readonly word: Word }
  /** A value of the command: the chain (index 0), a rule number, the policy of `-P`, the new name of `-E`. */
  | { readonly kind: 'commandValue'; readonly rule: RuleContext; readonly index: number; readonly word: Word }
  | { readonly kind: 'genericName'; readonly rule: RuleContext; readonly use: GenericUse; readonly word: Word }
  | { readonly kind: 'genericValue'; readonly rule: RuleContext; readonly use: GenericUse; readonly index: number; readonly word: Word }
  | { readonly kind: 'optionName'; readonly rule: RuleContext; readonly ext: ExtensionUse; readonly option: ResolvedOption; readonly word: Word }
  | { readonly kind: 'optionValue'; readonly rule: RuleContext; readonly ext: ExtensionUse; readonly option: ResolvedOption; readonly index: number; readonly word: Word }
  | { readonly kind: 'negation'; readonly rule: RuleContext; readonly span: Span; readonly arg: Arg }
  | { readonly kind: 'unknownOption'; readonly rule: RuleContext; readonly word: Word; readonly candidates?: readonly string[] };

export interface RuleContext {
  readonly line: RuleLine;
  readonly resolved: ResolvedRule;
  /** Undefined for a line outside every table. */
  readonly analyzed?: AnalyzedRule;
  readonly table?: TableAnalysis;
}

/** Finds what the offset points at; undefined on blank lines, comments and between words. */
export function locate(doc: IptablesDocument, analysis: Analysis, offset: number): Located | undefined {
  const line = lineAt(doc, offset);
  if (!line || offset > line.span.end) return undefined;
  const block = blockAtLine(doc, line.index);
  switch (line.kind) {
    case 'table':
      return (containsOffset(line.name.span, offset) || onMarker(doc, line, offset, '*')) && line.name.text !== '' ? { kind: 'tableName', line, block, word: line.name } : undefined;
    case 'chain':
      if (line.name.text !== '' && (containsOffset(line.name.span, offset) || onMarker(doc, line, offset, ':'))) return { kind: 'chainName', line, block, word: line.name };
      if (line.policy && containsOffset(line.policy.span, offset)) return { kind: 'chainPolicy', line, block, word: line.policy };
      if (line.counters && containsOffset(line.counters.span, offset)) return { kind: 'counters', counters: line.counters };
      return undefined;
    case 'commit':
      return { kind: 'commit', span: line.span, block };
    case 'rule':
      return locateInRule(doc, analysis, line, offset);
    default:
      return undefined;
  }
}

/** The offset is on the `*` of a `*table` line or the `:` of a `:chain` line (which belong to the name). */
function onMarker(doc: IptablesDocument, line: TableLine | ChainLine, offset: number, marker: '*' | ':'): boolean {
  return offset >= line.span.start && offset < line.name.span.start && doc.text[offset] === marker;
}

function locateInRule(doc: IptablesDocument, analysis: Analysis, line: RuleLine, offset: number): Located | undefined {
  if (line.counters && containsOffset(line.counters.span, offset)) return { kind: 'counters', counters: line.counters };
  const analyzed = analyzedRuleOf(analysis, line);
  const resolved = analyzed?.resolved ?? resolveRule(line, { family: doc.family, isUserChain: () => false });
  const rule: RuleContext = { line, resolved, ...(analyzed ? { analyzed, table: analyzed.table } : {}) };

  const negated = negatedArgAt(resolved, offset);
  if (negated?.negation) return { kind: 'negation', rule, span: negated.negation, arg: negated };
  const cmd = line.command;
  if (cmd) {
    if (containsOffset(cmd.name.span, offset)) return { kind: 'command', rule, word: cmd.name };
    const i = cmd.values.findIndex((w) => containsOffset(w.span, offset));
    const w = cmd.values[i];
    if (w && i < 2) return { kind: 'commandValue', rule, index: i, word: w };
  }
  for (const use of resolved.generic) {
    if (containsOffset(use.arg.name.span, offset)) return { kind: 'genericName', rule, use, word: use.arg.name };
    const i = use.values.findIndex((w) => containsOffset(w.span, offset));
    const w = use.values[i];
    if (w) return { kind: 'genericValue', rule, use, index: i, word: w };
  }
  const exts: ExtensionUse[] = [...resolved.matches];
  if (resolved.target?.extension) exts.push(resolved.target.extension);
  for (const ext of exts) {
    for (const option of ext.options) {
      if (containsOffset(option.arg.name.span, offset)) return { kind: 'optionName', rule, ext, option, word: option.arg.name };
      const i = option.values.findIndex((w) => containsOffset(w.span, offset));
      const w = option.values[i];
      if (w) return { kind: 'optionValue', rule, ext, option, index: i, word: w };
    }
    for (const arg of ext.opaque) if (containsOffset(arg.name.span, offset)) return { kind: 'unknownOption', rule, word: arg.name };
  }
  for (const arg of resolved.unknown) if (containsOffset(arg.name.span, offset)) return { kind: 'unknownOption', rule, word: arg.name };
  for (const a of resolved.ambiguous) if (containsOffset(a.arg.name.span, offset)) return { kind: 'unknownOption', rule, word: a.arg.name, candidates: a.candidates };
  return undefined;
}

/**
 * The option whose "!" is at the offset, as the resolver reads the line: a "!" that getopt gives to
 * the option before as its value (`--comment ! -j ACCEPT`) negates nothing.
 */
function negatedArgAt(resolved: ResolvedRule, offset: number): Arg | undefined {
  const hit = (arg: Arg): boolean => arg.negation !== undefined && containsOffset(arg.negation, offset);
  for (const use of resolved.generic) if (hit(use.arg)) return use.arg;
  for (const ext of resolved.extensions) {
    for (const option of ext.options) if (hit(option.arg)) return option.arg;
    for (const arg of ext.opaque) if (hit(arg)) return arg;
  }
  for (const arg of resolved.unknown) if (hit(arg)) return arg;
  for (const a of resolved.ambiguous) if (hit(a.arg)) return a.arg;
  return undefined;
}

/** The extension use whose name word (`-m NAME`, `-j NAME`) is this word. */
export function extensionNamed(resolved: ResolvedRule, word: Word): ExtensionUse | undefined {
  const all: ExtensionUse[] = [...resolved.matches];
  if (resolved.target?.extension) all.push(resolved.target.extension);
  return all.find((u) => u.nameWord !== undefined && !u.implicit && sameSpan(u.nameWord.span, word.span));
}
