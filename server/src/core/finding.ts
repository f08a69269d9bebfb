import type { Span } from './span.js';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

export const SEVERITY_ORDER: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

/** Another place involved in a finding (the duplicate declaration, a jump that closes a loop ...). */
export interface RelatedLocation {
  /** A document URI or file path; omitted when it is the same document. */
  readonly file?: string;
  readonly span: Span;
  readonly message: string;
}

/** A text edit in offsets. */
export interface TextEdit {
  readonly span: Span;
  readonly newText: string;
}

/** A quick fix a check offers with its finding. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The fix most likely wanted (VS Code applies it with "Fix all" / auto-fix). */
  readonly preferred?: boolean;
  /**
   * The edits only turn the line ends into "\n". An editor that keeps one line ending per document
   * (VS Code turns an inserted "\n" back into its "\r\n") applies such a fix by switching the
   * document's end of line instead: LSP code actions carry it with the kind LINE_ENDING_FIX_KIND.
   */
  readonly lineEndings?: 'lf';
}

/** The code action kind of a fix that only turns line ends into "\n" (`Fix.lineEndings`); the VS Code client looks for it. */
export const LINE_ENDING_FIX_KIND = 'quickfix.kvmnet.lineEndings';

/** The fix that writes `text` over `span`, titled "Change to TEXT" (preferred unless said otherwise). */
export function changeTo(span: Span, text: string, preferred = true): Fix {
  return { title: `Change to ${text}`, edits: [{ span, newText: text }], ...(preferred ? { preferred: true } : {}) };
}

/** One diagnostic, in core terms: offsets, not LSP positions. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly span: Span;
  readonly message: string;
  readonly related?: readonly RelatedLocation[];
  readonly fixes?: readonly Fix[];
}
