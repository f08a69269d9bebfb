/**
 * Document symbols (table -> chain -> rule, for the outline and breadcrumbs) and folding ranges
 * (each `*table` .. `COMMIT` block, each run of comment lines). Pure; spans are UTF-16 offsets,
 * folding lines are 0-based.
 */
import { joinSpans, type Span } from '../core/span.js';
import type { Analysis, TableAnalysis } from './analysis.js';
import { plainSpan, tableAnalysisOf } from './cursor.js';
import type { IptablesDocument, RuleLine, TableBlock, Word } from './model.js';
import { implicitMatchName } from './resolve.js';

export interface SymbolNode {
  readonly name: string;
  readonly detail?: string;
  readonly kind: 'table' | 'chain' | 'rule';
  readonly span: Span;
  readonly selectionSpan: Span;
  readonly children: SymbolNode[];
}

export interface FoldingRegion {
  /** 0-based. */
  readonly startLine: number;
  readonly endLine: number;
  readonly kind?: 'comment' | 'region';
}

/** The longest rule summary shown in the outline; longer ones end with an ellipsis. */
const MAX_SUMMARY = 100;

/**
 * Above this many command lines the outline lists tables and chains only. VS Code asks for the
 * symbols again after every edit (the outline, breadcrumbs and sticky scroll read them): for a
 * kube-proxy dump of 100,000 rules that was 40 MB of JSON and two seconds of a busy server each
 * time, for an outline nobody scrolls through. A chain's detail still counts its rules.
 */
export const MAX_RULE_SYMBOLS = 5000;

export function documentSymbols(doc: IptablesDocument, analysis: Analysis, maxRules = MAX_RULE_SYMBOLS): SymbolNode[] {
  let commands = 0;
  for (const block of doc.tables) commands += block.rules.length;
  const listRules = commands <= maxRules;
  return doc.tables.map((block) => tableSymbol(doc, block, tableAnalysisOf(analysis, block), listRules ? undefined : maxRules));
}

/** The last line that belongs to a block: its COMMIT, else its last chain or command line. */
function blockEnd(block: TableBlock): { readonly span: Span; readonly index: number } {
  if (block.commit) return block.commit;
  let end: { readonly span: Span; readonly index: number } = block.header;
  for (const c of block.chainLines) if (c.index > end.index) end = c;
  for (const r of block.rules) if (r.index > end.index) end = r;
  return end;
}

/**
 * A run of a chain's commands: command lines on one chain with no other command line between them
 * (comments and blank lines may be). iptables-save writes each chain's rules as one run; a file
 * written by hand may come back to a chain later (a -P at the end, rules of two chains in turn).
 */
interface Run {
  readonly first: { readonly index: number; readonly word: Word };
  lines: Span;
  readonly rules: SymbolNode[];
}

/**
 * A table and its chains. A chain is one symbol per run of its commands, spanning that run only and
 * selected at its first command: sticky scroll and breadcrumbs name the innermost symbol around a
 * line, and a symbol from a chain's first command to its last would cover other chains' rules
 * (iptables-save declares every chain at the top of the table, a file written by hand interleaves
 * them). The chain's declaration belongs to its first run when only comments or blank lines lie
 * between; a chain without commands is its declaration.
 * `unlisted`: the limit the document's command lines are over, when rules are left out.
 */
function tableSymbol(doc: IptablesDocument, block: TableBlock, ta: TableAnalysis | undefined, unlisted?: number): SymbolNode {
  interface ChainGroup {
    name: string; decl?: Word; span?: Span; builtin: boolean; commands: number; runs: Run[];
    /** The line of the first declaration (`:NAME`, -N, or -E's new name). */
    declLine?: { index: number; span: Span };
  }
  const groups = new Map<string, ChainGroup>();
  const group = (name: string): ChainGroup => {
    let g = groups.get(name);
    if (!g) {
      g = { name, builtin: ta?.chains.get(name)?.builtin ?? false, commands: 0, runs: [] };
      groups.set(name, g);
    }
    return g;
  };
  const extend = (g: ChainGroup, s: Span): void => {
    g.span = g.span ? joinSpans(g.span, s) : plainSpan(s);
  };
  const loose: SymbolNode[] = [];
  for (const cl of block.chainLines) {
    if (cl.name.text === '') continue;
    const g = group(cl.name.text);
    g.decl ??= cl.name;
    g.declLine ??= cl;
    extend(g, cl.span);
  }
  let current: { group: ChainGroup; run: Run } | undefined; // the run the last command line went to
  for (const line of block.rules) {
    const chain = line.chain;
    if (line.commandKind === 'new-chain' && chain) {
      const g = group(chain.text);
      g.decl ??= chain;
      if (!g.declLine || g.declLine.index > line.index) g.declLine = line;
      extend(g, line.span);
      current = undefined;
      continue;
    }
    const node = unlisted === undefined ? ruleSymbol(doc, line) : undefined;
    if (!chain || (line.commandKind === 'zero' && /^[0-9]+$/.test(chain.text))) {
      if (node) loose.push(node);
      current = undefined;
      continue;
    }
    const g = group(chain.text);
    g.decl ??= chain;
    extend(g, line.span);
    g.commands++;
    if (current?.group === g) current.run.lines = joinSpans(current.run.lines, line.span);
    else {
      const run: Run = { first: { index: line.index, word: chain }, lines: plainSpan(line.span), rules: [] };
      g.runs.push(run);
      current = { group: g, run };
    }
    if (node) current.run.rules.push(node);
    // `-E OLD NEW` stays under OLD, and declares NEW.
    const to = line.command?.values[1];
    if (line.commandKind === 'rename-chain' && to) {
      const renamed = group(to.text);
      renamed.decl ??= to;
      renamed.declLine ??= line;
      extend(renamed, line.span);
    }
  }
  const chains: SymbolNode[] = [...groups.values()].flatMap((g) => {
    const info = ta?.chains.get(g.name);
    const count = info?.rules.length ?? g.commands;
    const policy = g.builtin ? chainPolicy(block, g.name) : undefined;
    // A chain renamed away by -E is described by its rename (its rules are counted under the new name).
    const away = !info && ta ? ta.renames.filter((r) => r.from.text === g.name).at(-1) : undefined;
    const detail = g.builtin
      ? `${policy ? `policy ${policy}, ` : ''}${count} rule${count === 1 ? '' : 's'}`
      : away ? `user chain, renamed to ${away.to.text} on line ${away.line.index + 1}` : `user chain, ${count} rule${count === 1 ? '' : 's'}`;
    const runs = g.runs;
    if (runs.length === 0) {
      const selection = plainSpan(g.decl?.span ?? g.span ?? block.header.span);
      return [{ name: g.name, detail, kind: 'chain' as const, span: g.span ?? selection, selectionSpan: selection, children: [] }];
    }
    const decl = g.declLine;
    return runs.map((run, k) => {
      const adjacent = k === 0 && decl !== undefined && decl.index < run.first.index && onlyNotes(doc, decl.index + 1, run.first.index);
      return {
        name: g.name,
        detail: runs.length === 1 ? detail : `${detail}, part ${k + 1} of ${runs.length}`,
        kind: 'chain' as const,
        span: adjacent ? joinSpans(decl.span, run.lines) : run.lines,
        selectionSpan: plainSpan(adjacent && g.decl ? g.decl.span : run.first.word.span),
        children: run.rules,
      };
    });
  });
  const span = { start: block.header.span.start, end: blockEnd(block).span.end };
  const userChains = [...groups.values()].filter((g) => !g.builtin).length;
  return {
    name: block.name === '' ? '*' : block.name,
    detail: `table, ${userChains} user chain${userChains === 1 ? '' : 's'}, ${block.rules.length} command${block.rules.length === 1 ? '' : 's'}`
      + (unlisted === undefined ? '' : ` (rules not listed: the file has over ${unlisted.toLocaleString('en-US')})`),
    kind: 'table',
    span,
    selectionSpan: plainSpan(block.header.name.text === '' ? block.header.span : block.header.name.span),
    children: [...chains, ...loose],
  };
}

/** Whether lines `from` up to `to` (not included) are comments or blank. */
export function onlyNotes(doc: IptablesDocument, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const kind = doc.lines[i]?.kind;
    if (kind !== 'comment' && kind !== 'blank') return false;
  }
  return true;
}

/** A built-in chain's policy at the end of the table block: its last -P, else its chain line's. */
export function chainPolicy(block: TableBlock, chain: string): string | undefined {
  let policy: string | undefined;
  for (const cl of block.chainLines) if (cl.name.text === chain && cl.policy) policy = cl.policy.text;
  for (const r of block.rules) if (r.commandKind === 'policy' && r.chain?.text === chain && r.command?.values[1]) policy = r.command.values[1].text;
  return policy;
}

function ruleSymbol(doc: IptablesDocument, line: RuleLine): SymbolNode {
  const { summary, comment } = ruleSummary(doc, line);
  return { name: summary, detail: comment ?? `line ${line.index + 1}`, kind: 'rule', span: plainSpan(line.span), selectionSpan: plainSpan(line.span), children: [] };
}

/**
 * A short name for a command line: its options without the command and chain, without a `-m NAME`
 * that only repeats the protocol (`-p tcp -m tcp`), and without `-m comment --comment` (the
 * comment becomes the detail). E.g. `-p tcp --dport 22 -j ACCEPT`.
 */
export function ruleSummary(doc: IptablesDocument, line: RuleLine): { summary: string; comment?: string } {
  const raw = (w: Word): string => doc.text.slice(w.span.start, w.span.end);
  const cmd = line.command;
  const kind = line.commandKind;
  const parts: string[] = [];
  if (kind === 'insert' || kind === 'delete' || kind === 'replace') parts.push(cmd?.name.text ?? '');
  if (cmd && kind !== 'append' && kind !== 'insert' && kind !== 'delete' && kind !== 'replace') {
    parts.push(cmd.name.text, ...cmd.values.slice(1).map(raw));
  } else if (cmd) {
    const number = cmd.values[1];
    if (number && /^[0-9]+$/.test(number.text)) parts.push(number.text);
  }
  let protocol: string | undefined;
  let comment: string | undefined;
  const args = line.args.filter((a) => a !== cmd);
  let length = 0;
  for (let i = 0; i < args.length; i++) {
    if (length > MAX_SUMMARY && comment !== undefined) break;
    if (length > 4 * MAX_SUMMARY) break; // enough to show; a later comment is not worth reading megabytes for
    const a = args[i];
    if (!a) continue;
    const name = a.name.text;
    const first = a.values[0];
    if ((name === '-p' || name === '--protocol') && first && !a.negation) protocol = first.text.toLowerCase();
    if ((name === '-m' || name === '--match') && first) {
      if (first.text === 'comment') {
        const next = args[i + 1];
        if (next && next.name.text === '--comment') {
          comment = next.values[0]?.text;
          i++;
        }
        continue;
      }
      if (protocol && implicitMatchName(protocol, doc.family) === first.text && a.values.length === 1) continue;
    }
    const words = [...(a.negation ? ['!'] : []), raw(a.name), ...a.values.slice(0, 8).map(raw)];
    parts.push(...words);
    length += words.reduce((n, w) => n + w.length + 1, 0);
  }
  let summary = parts.filter((p) => p !== '').join(' ');
  if (summary === '') summary = kind === 'append' || kind === 'insert' ? '(every packet, no target)' : cmd?.name.text ?? '(no command)';
  if (summary.length > MAX_SUMMARY) summary = `${summary.slice(0, MAX_SUMMARY - 1)}…`;
  return comment !== undefined ? { summary, comment } : { summary };
}

/** Consecutive lines of a block (0-based lines `first` to `last`), with the chain they all name when they are command lines. */
export interface LineRun {
  readonly first: number;
  readonly last: number;
  readonly span: Span;
  readonly chain?: string;
}

/** Lines (in file order) grouped into runs: a line joins the run before it when `joins(last line of the run, line)`. */
export function linesInRuns<L extends { readonly index: number; readonly span: Span }>(lines: readonly L[], joins: (last: L, line: L) => boolean, chainOf?: (line: L) => string | undefined): LineRun[] {
  const runs: LineRun[] = [];
  let first: L | undefined;
  let last: L | undefined;
  const close = (): void => {
    if (!first || !last) return;
    const chain = chainOf?.(first);
    runs.push({ first: first.index, last: last.index, span: { start: first.span.start, end: last.span.end }, ...(chain !== undefined ? { chain } : {}) });
  };
  for (const line of lines) {
    if (last && joins(last, line)) {
      last = line;
      continue;
    }
    close();
    first = line;
    last = line;
  }
  close();
  return runs;
}

/**
 * The runs of a block's command lines that name the same chain, one after the other (what folding
 * folds and Expand Selection selects); a command line without a chain is a run of its own.
 */
export function commandRuns(block: TableBlock): LineRun[] {
  return linesInRuns(block.rules, (last, line) => line.chain !== undefined && line.chain.text === last.chain?.text, (line) => line.chain?.text);
}

export function foldingRanges(doc: IptablesDocument, _analysis: Analysis): FoldingRegion[] {
  const out: FoldingRegion[] = [];
  for (const block of doc.tables) {
    const start = block.header.index;
    const end = blockEnd(block).index;
    if (end > start) out.push({ startLine: start, endLine: end, kind: 'region' });
  }
  // Each run of a chain's commands (iptables-save writes a chain's rules together): folded to its first.
  for (const block of doc.tables) {
    for (const run of commandRuns(block)) if (run.last > run.first) out.push({ startLine: run.first, endLine: run.last, kind: 'region' });
  }
  let runStart = -1;
  for (let i = 0; i <= doc.lines.length; i++) {
    const isComment = doc.lines[i]?.kind === 'comment';
    if (isComment && runStart === -1) runStart = i;
    if (!isComment && runStart !== -1) {
      if (i - 1 > runStart) out.push({ startLine: runStart, endLine: i - 1, kind: 'comment' });
      runStart = -1;
    }
  }
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
