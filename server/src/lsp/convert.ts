/** Core (offsets, findings) to LSP (ranges, diagnostics): the only place that translates. */
import { DiagnosticSeverity, MarkupKind, type Diagnostic, type DiagnosticRelatedInformation, type MarkupContent, type Range, type SelectionRange } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Severity } from '../core/finding.js';
import type { Span } from '../core/span.js';

export function toRange(doc: TextDocument, span: Span): Range {
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}

/** A chain of nested spans (innermost first, never empty) as LSP's linked list: each range with its `parent`. */
export function toSelectionRange(doc: TextDocument, chain: readonly Span[]): SelectionRange {
  let node: SelectionRange | undefined;
  for (let i = chain.length - 1; i >= 0; i--) {
    const range = toRange(doc, chain[i] as Span);
    node = node ? { range, parent: node } : { range };
  }
  return node ?? { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Most clients slow down with thousands of diagnostics; beyond this many per document we summarise. */
export const MAX_DIAGNOSTICS = 1000;

export function toDiagnostics(doc: TextDocument, findings: readonly Finding[], docUrl: (id: string) => string | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of findings.slice(0, MAX_DIAGNOSTICS)) {
    const href = docUrl(f.ruleId);
    const related: DiagnosticRelatedInformation[] | undefined = f.related?.map((r) => ({
      location: { uri: r.file ?? doc.uri, range: toRange(doc, r.span) },
      message: r.message,
    }));
    out.push({
      range: toRange(doc, f.span),
      severity: SEVERITY[f.severity],
      source: 'kvmnet',
      code: f.ruleId,
      message: f.message,
      ...(href ? { codeDescription: { href } } : {}),
      ...(related && related.length > 0 ? { relatedInformation: related } : {}),
    });
  }
  if (findings.length > MAX_DIAGNOSTICS) {
    out.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Information,
      source: 'kvmnet',
      message: `${findings.length - MAX_DIAGNOSTICS} more problems are not shown; run "kvmnet lint" on the file for the full list`,
    });
  }
  return out;
}

/** kvmnet's markdown for a client: as it is, or as plain text for one that takes no markdown. */
export function markup(markdown: string, asMarkdown: boolean): MarkupContent {
  return asMarkdown ? { kind: MarkupKind.Markdown, value: markdown } : { kind: MarkupKind.PlainText, value: markdownToPlain(markdown) };
}

/**
 * Markdown as plain text, for clients that take no markdown: kvmnet's hovers and completion
 * documentation use bold, code spans, lists and fenced code blocks only. Fence lines go, the code
 * inside stays; code spans (of any number of backticks, as CommonMark reads them) give their text
 * as it is, user text such as a comment included; "**" goes outside code spans; list dashes stay.
 */
export function markdownToPlain(markdown: string): string {
  return markdown
    .split('\n')
    .filter((line) => !/^\s*```[^`]*$/.test(line))
    .map(plainLine)
    .join('\n');
}

function plainLine(line: string): string {
  let out = '';
  let prose = '';
  const flush = (): void => {
    out += prose.replace(/\*\*/g, '');
    prose = '';
  };
  let i = 0;
  while (i < line.length) {
    if (line[i] !== '`') {
      prose += line[i];
      i++;
      continue;
    }
    let n = 0;
    while (line[i + n] === '`') n++;
    // The span closes at the next run of exactly n backticks.
    let close = -1;
    for (let j = line.indexOf('`', i + n); j !== -1; j = line.indexOf('`', j)) {
      let m = 0;
      while (line[j + m] === '`') m++;
      if (m === n) {
        close = j;
        break;
      }
      j += m;
    }
    if (close === -1) {
      prose += line.slice(i, i + n);
      i += n;
      continue;
    }
    flush();
    let content = line.slice(i + n, close);
    if (content.length >= 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') content = content.slice(1, -1);
    out += content;
    i = close + n;
  }
  flush();
  return out;
}
