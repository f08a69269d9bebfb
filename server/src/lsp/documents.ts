/**
 * The state kept per open document: its latest lint result, computed once per version (handlers
 * share it instead of re-parsing). A new version is linted from the previous one
 * (iptables/incremental.ts): only the lines an edit touched are parsed and checked again.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LintSettings } from '../core/settings.js';
import { lintIncremental, type IncrementalLint } from '../iptables/incremental.js';
import type { LintResult } from '../iptables/lint.js';
import { isRulesetName, looksLikeRuleset } from '../workspace/discover.js';

export interface DocumentState {
  readonly uri: string;
  readonly version: number;
  readonly result: LintResult;
}

interface Entry extends DocumentState {
  readonly lint: IncrementalLint;
  /** `DocumentCache.clear` count when this was linted. */
  readonly generation: number;
}

export class DocumentCache {
  private readonly states = new Map<string, Entry>();
  private generation = 0;

  constructor(private settings: (uri: string) => LintSettings) {}

  /** The lint result for the document's current version, computed on first use. */
  get(doc: TextDocument): DocumentState {
    const prior = this.states.get(doc.uri);
    if (prior && prior.version === doc.version && prior.generation === this.generation) return prior;
    // The previous version's state is handed over (and used up): its line objects move to the new version.
    const text = doc.getText();
    const options = { fileName: documentPath(doc.uri), settings: this.settings(doc.uri) };
    let lint: IncrementalLint;
    try {
      lint = lintIncremental(text, options, prior?.lint);
    } catch (err) {
      // Half-moved line objects are of no use: start from scratch, so a bug in the incremental
      // path costs time, not the user's diagnostics. A full lint that fails too is reported.
      this.states.delete(doc.uri);
      if (!prior) throw err;
      lint = lintIncremental(text, options, undefined);
    }
    const state: Entry = { uri: doc.uri, version: doc.version, result: lint.result, lint, generation: this.generation };
    this.states.set(doc.uri, state);
    return state;
  }

  delete(uri: string): void {
    this.states.delete(uri);
  }

  /** Settings changed: every result is stale (the parsed lines stay reusable). */
  clear(): void {
    this.generation++;
  }
}

/** Documents kvmnet serves: language `iptables`, or a ruleset recognised by name or content (for clients without our language id). */
export function isIptablesDocument(doc: TextDocument): boolean {
  if (doc.languageId === 'iptables') return true;
  if (doc.languageId === 'xml') return false;
  const path = documentPath(doc.uri);
  return isRulesetName(path) || looksLikeRuleset(doc.getText().slice(0, 8192));
}

/**
 * A document's URI as the file name the checks read (percent escapes decoded); the URI as it is
 * when an escape is malformed (`weird%ZZ.rules`), which decodeURIComponent refuses.
 */
export function documentPath(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}
