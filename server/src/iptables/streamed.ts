/**
 * Linting a whole file in little memory, for the command line. `lintIptables` keeps every line,
 * word, option and resolved rule of the document at once: several hundred bytes and a few dozen
 * objects per rule, which for a kube-proxy ruleset of 100,000 rules means half a gigabyte and a
 * garbage collector busy copying it. The findings do not need all of that at once:
 *
 * 1. Structure. Every line is parsed and every command line resolved once; what the document's
 *    structure needs from a command line (its command, chain and target, the names of unknown
 *    matches) is kept in a small stand-in for the line and its resolved rule, the rest is dropped
 *    at once. A line of a shape read before gets its stand-ins from that shape, without being
 *    parsed (lineShapes.ts). The tables, chains, jumps and hooks are then built from the stand-ins by `analyze`,
 *    exactly as from full lines.
 * 2. Rules. The command lines are read again, a chunk of lines at a time, into full objects; the
 *    checks that work rule by rule (PER_RULE_CHECKS) run on each chunk as incremental linting runs
 *    them on changed lines: on a view of the analysis holding the chunk's rules, keeping their
 *    findings on the chunk's command lines. A line whose shape, table and kind of chain match a
 *    line those checks found clean, and whose values read alike, is not read again at all
 *    (shapeMemo.ts). The checks that depend on the structure only (STRUCTURE_ONLY_CHECKS) run
 *    once, on the stand-ins.
 *
 * The findings are the same as `lintIptables`'s, in the same order (test/iptables/streamed.test.ts
 * compares the two on every ruleset of the corpus and on random edits of them). Options that
 * `lintIptables` cannot reproduce this way (a check in neither list, a check that fails) fall back
 * to it.
 */
import type { Finding } from '../core/finding.js';
import { lineIndexAt } from '../core/span.js';
import { DEFAULT_SETTINGS } from '../core/settings.js';
import { analyze, resolveContextOf, type AnalyzedRule, type Analysis } from './analysis.js';
import { PER_RULE_CHECKS, STRUCTURE_ONLY_CHECKS } from './incremental.js';
import type { Family } from './kb/types.js';
import { finishFindings, lintFamily, lintIptables, runCheck, type LintOptions } from './lint.js';
import type { IptablesDocument, RuleLine, SyntaxProblem, TableBlock } from './model.js';
import { parseDocument, parseLine } from './parser.js';
import { resolveRule, type ResolveContext, type ResolvedRule } from './resolve.js';
import { readChainLine, ShapeReader, standInLine, standInResolved, targetIsUserChain, targetNameOf } from './lineShapes.js';
import { ShapeMemo } from './shapeMemo.js';
import { IPTABLES_RULES } from './rules/index.js';

/** Command lines read into full objects at a time in the second pass. */
export const DEFAULT_CHUNK_LINES = 128;

/** What the first pass keeps: the document with stand-ins for its command lines, and their resolved stand-ins by line. */
export interface Structure {
  readonly doc: IptablesDocument;
  readonly standIns: Array<ResolvedRule | undefined>;
  /** Command lines whose stand-ins came from their shape (lineShapes.ts). */
  readonly quick: number;
  /** The plain shapes of the lines, for the second pass (shapeMemo.ts). */
  readonly shapes: ShapeReader;
}

/**
 * The first pass: every line read, and of each command line only what the structure needs kept.
 * Lines of a shape seen before get their stand-ins without being parsed (`shapes` false reads every
 * line in full, which the tests compare with).
 */
export function readStructure(text: string, family: Family, shapes = true): Structure {
  const standIns: Array<ResolvedRule | undefined> = [];
  // Which names are user chains is known for sure only once the whole table is read; lines are
  // resolved with the chains declared so far, and resolved again by the caller when that was wrong.
  let declared = new Set<string>();
  const provisional: ResolveContext = { family, isUserChain: (name) => declared.has(name) };
  const reader = new ShapeReader(text, provisional);
  const keepResolved = (index: number, resolved: ResolvedRule): void => {
    standIns[index] = resolved;
  };
  const doc = parseDocument(text, family, (line, parsed) => {
    if (line.kind === 'table') declared = new Set();
    else if (line.kind === 'chain') declared.add(line.name.text);
    else if (line.kind === 'rule') {
      if (line.commandKind === 'new-chain' && line.chain) declared.add(line.chain.text);
      const standIn = standInLine(line);
      const resolved = standInResolved(resolveRule(line, provisional), standIn);
      standIns[line.index] = resolved;
      reader.learn(parsed, resolved);
      return standIn;
    }
    return line;
  }, shapes ? (start, end, index, names) => {
    const chainLine = readChainLine(text, start, end, index, names);
    if (chainLine === undefined) return reader.read(start, end, index, names, keepResolved);
    declared.add(chainLine.name.text);
    return chainLine;
  } : undefined).doc;
  return { doc, standIns, quick: reader.quick, shapes: reader };
}

/**
 * `chunkLines`: command lines read into full objects at a time in the second pass; `memoise`: skip
 * the per-rule checks of lines whose shape was checked clean (shapeMemo.ts; the tests turn it off
 * to compare).
 */
export function lintStreamed(text: string, options: LintOptions = {}, chunkLines = DEFAULT_CHUNK_LINES, memoise = true): Finding[] {
  return lintStreamedCounted(text, options, chunkLines, memoise).findings;
}

/** `lintStreamed`, and the number of command lines whose per-rule checks the memo spared (for the tests and the notes). */
export function lintStreamedCounted(text: string, options: LintOptions = {}, chunkLines = DEFAULT_CHUNK_LINES, memoise = true): { findings: Finding[]; skipped: number } {
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const checks = (options.rules ?? IPTABLES_RULES).filter((r) => settings.rules[r.id] !== 'off');
  if (checks.some((r) => !PER_RULE_CHECKS.has(r.id) && !STRUCTURE_ONLY_CHECKS.has(r.id))) return { findings: lintIptables(text, options).findings, skipped: 0 };
  const family: Family = lintFamily(text, options).family;

  // Pass 1: the structure.
  const { doc, standIns, shapes } = readStructure(text, family);
  const lineStarts = doc.lineStarts;
  const nul = text.includes('\0');
  // The second reading leaves chain names as the text has them: sharing one string per name (what
  // the first reading does for the structure it keeps) costs more than it saves in short-lived lines.
  const reread = (index: number): RuleLine => {
    const next = lineStarts[index + 1];
    const end = next === undefined ? text.length : next - 1;
    const line = parseLine(text, lineStarts[index] as number, end, 0, index, nul).line;
    if (line.kind !== 'rule') throw new Error(`line ${index + 1} read differently the second time`);
    return line;
  };
  const analysis = analyze(doc, (line, ctx) => {
    const known = standIns[line.index];
    const name = known === undefined ? undefined : targetNameOf(known);
    const stale = known === undefined || (name !== undefined && name !== '' && ctx.isUserChain(name) !== targetIsUserChain(known));
    return stale ? standInResolved(resolveRule(reread(line.index), ctx), line) : known;
  });
  standIns.length = 0;

  // Pass 2: the checks, rule by rule for the PER_RULE ones.
  const perRule = checks.filter((r) => PER_RULE_CHECKS.has(r.id));
  const found: Finding[][] = checks.map(() => []);
  const contexts = analysis.tables.map((t) => resolveContextOf(t, family));
  // The parser's problems on command lines, by line: a chunk's checks see those of its own lines.
  const ruleProblems = new Map<number, SyntaxProblem[]>();
  for (const p of doc.problems) {
    const line = lineIndexAt(lineStarts, p.span.start);
    if (doc.lines[line]?.kind !== 'rule') continue;
    const list = ruleProblems.get(line);
    if (list) list.push(p);
    else ruleProblems.set(line, [p]);
  }
  // After the first chunk, the tables' chain lines shrink to the last one: findings on chain lines
  // come from the first chunk, and a rule's findings only look at the last chain line (where
  // undefined-chain's fix declares a missing chain).
  const shortBlocks = analysis.tables.map((t) => {
    const last = t.block.chainLines[t.block.chainLines.length - 1];
    return { ...t.block, chainLines: last ? [last] : [] };
  });
  const next = analysis.tables.map(() => 0); // per table: its first rule not yet checked
  const total = doc.lines.length;
  // Lines of a shape already checked clean skip the checks (shapeMemo.ts); others may become the
  // clean line of their key once the chunk's checks have run.
  const memo = memoise ? new ShapeMemo(text, family, shapes, analysis) : undefined;
  const candidates: Array<{ key: string; rule: AnalyzedRule }> = [];
  for (let from = 0; from < total || from === 0; from += chunkLines) {
    const to = Math.min(total, from + chunkLines);
    candidates.length = 0;
    const tables = analysis.tables.map((t, ti) => {
      const rules: AnalyzedRule[] = [];
      let at = next[ti] as number;
      for (; at < t.rules.length && (t.rules[at] as AnalyzedRule).line.index < to; at++) {
        const known = t.rules[at] as AnalyzedRule;
        const key = memo?.keyOf(ti, known);
        if (key !== undefined && memo?.clean(key, known)) continue;
        const line = reread(known.line.index);
        const rule: AnalyzedRule = {
          line, table: t, resolved: resolveRule(line, contexts[ti] as ResolveContext), chain: known.chain,
          chainExistsHere: known.chainExistsHere, targetExistsHere: known.targetExistsHere, targetKind: undefined, validated: undefined,
        };
        rules.push(rule);
        if (key !== undefined && memo?.wants(key)) candidates.push({ key, rule });
      }
      next[ti] = at;
      return from === 0 ? { ...t, rules } : { ...t, rules, block: shortBlocks[ti] as TableBlock };
    });
    let chunkDoc = doc;
    if (from > 0) {
      const problems: SyntaxProblem[] = [];
      for (let line = from; line < to; line++) {
        const own = ruleProblems.get(line);
        if (own) for (let k = 0; k < own.length; k++) problems.push(own[k] as SyntaxProblem);
      }
      chunkDoc = { ...doc, problems };
    }
    const view: Analysis = { family, tables };
    const dirty = candidates.length > 0 ? new Set<number>() : undefined;
    for (const rule of perRule) {
      const run = runCheck(rule, chunkDoc, view);
      if (run.failed) return { findings: lintIptables(text, options).findings, skipped: 0 };
      const own = found[checks.indexOf(rule)] as Finding[];
      for (const f of run.findings) {
        const line = lineIndexAt(lineStarts, f.span.start);
        dirty?.add(line);
        // Findings off the command lines do not depend on the chunk: the first chunk keeps them.
        if (doc.lines[line]?.kind === 'rule' ? line >= from && line < to : from === 0) own.push(f);
      }
    }
    for (const c of candidates) memo?.learn(c.key, c.rule, dirty?.has(c.rule.line.index) === true);
  }
  for (const rule of checks) {
    if (!STRUCTURE_ONLY_CHECKS.has(rule.id)) continue;
    const run = runCheck(rule, doc, analysis);
    if (run.failed) return { findings: lintIptables(text, options).findings, skipped: 0 };
    found[checks.indexOf(rule)] = run.findings;
  }
  return { findings: finishFindings(doc, found.flat(), settings), skipped: memo?.skipped ?? 0 };
}
