/** Core (offsets, findings) to LSP (ranges, diagnostics): the only place that translates. */
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Severity } from '../core/finding.js';
import type { Span } from '../core/span.js';

export function toRange(doc: TextDocument, span: Span): Range {
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
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

/**
 * Markdown as plain text, for clients that take no markdown: kvmnet's hovers and completion
 * documentation use bold, inline code, lists and fenced code blocks only. Fence lines go, the
 * code inside stays; bold and code marks go; list dashes stay (they read well as text).
 */
export function markdownToPlain(markdown: string): string {
  return markdown
    .split('\n')
    .filter((line) => !/^\s*```/.test(line))
    .map((line) => line.replace(/`([^`\n]*)`/g, '$1').replace(/\*\*([^*\n]+?)\*\*/g, '$1'))
    .join('\n');
}
