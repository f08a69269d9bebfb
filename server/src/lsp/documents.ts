/**
 * The state kept per open document: its latest lint result, computed once per version
 * (handlers share it instead of re-parsing).
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LintSettings } from '../core/settings.js';
import { lintIptables, type LintResult } from '../iptables/lint.js';
import { isRulesetName, looksLikeRuleset } from '../workspace/discover.js';

export interface DocumentState {
  readonly uri: string;
  readonly version: number;
  readonly result: LintResult;
}

export class DocumentCache {
  private readonly states = new Map<string, DocumentState>();

  constructor(private settings: () => LintSettings) {}

  /** The lint result for the document's current version, computed on first use. */
  get(doc: TextDocument): DocumentState {
    const prior = this.states.get(doc.uri);
    if (prior && prior.version === doc.version) return prior;
    const text = doc.getText();
    const result = lintIptables(text, { fileName: decodeURIComponent(doc.uri), settings: this.settings() });
    const state: DocumentState = { uri: doc.uri, version: doc.version, result };
    this.states.set(doc.uri, state);
    return state;
  }

  peek(uri: string): DocumentState | undefined {
    return this.states.get(uri);
  }

  delete(uri: string): void {
    this.states.delete(uri);
  }

  /** Settings changed: every result is stale. */
  clear(): void {
    this.states.clear();
  }
}

/** Documents kvmnet serves: language `iptables`, or a ruleset recognised by name or content (for clients without our language id). */
export function isIptablesDocument(doc: TextDocument): boolean {
  if (doc.languageId === 'iptables') return true;
  if (doc.languageId === 'xml') return false;
  const path = decodeURIComponent(doc.uri);
  return isRulesetName(path) || looksLikeRuleset(doc.getText().slice(0, 8192));
}
