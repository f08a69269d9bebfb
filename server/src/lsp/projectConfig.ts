/**
 * The server's side of `.kvmnet.json` (workspace/config.ts): each document is linted with the
 * nearest config over the defaults and the editor's settings over that. What is wrong in a config
 * is published as diagnostics on the config file itself (and said once in a message), so it shows
 * in the Problems panel whether the file is open or not; the rest of the config still applies.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { computeLineStarts, offsetToPosition } from '../core/span.js';
import type { LintSettings } from '../core/settings.js';
import { combineSettings, CONFIG_FILE_NAME, ConfigLookup, type FoundConfig } from '../workspace/config.js';
import { uriToPath } from './workspaceLint.js';

export interface ConfigHost {
  send(uri: string, diagnostics: Diagnostic[]): void;
  /** A message the user sees (window/showMessage). */
  warn(message: string): void;
}

/** The file watcher's glob for config files. */
export const CONFIG_GLOB = `**/${CONFIG_FILE_NAME}`;

export class ProjectSettings {
  private readonly lookup = new ConfigLookup(readConfig);
  /** The text whose problems were last published, per config path ('' when none were). */
  private readonly published = new Map<string, string>();
  private readonly warned = new Set<string>();
  /**
   * Without a file watcher (neovim 0.7 has none) a config's changes are only seen by reading it
   * again: then every lookup reads from disk (a few stat calls and one small file per lint).
   */
  rereadAlways = true;

  constructor(private readonly host: ConfigHost) {}

  /** The settings a document is linted with. A document that is no file (untitled:) takes the editor's. */
  settingsFor(uri: string, editor: LintSettings): LintSettings {
    const path = uriToPath(uri);
    if (path === undefined) return editor;
    if (this.rereadAlways) this.lookup.forget();
    const found = this.lookup.find(dirname(path));
    if (!found) return editor;
    this.report(found);
    return combineSettings(found.config.settings, editor);
  }

  /** Watched-file events; true when one of them is about a config file (then every lint is stale). */
  changed(changes: ReadonlyArray<{ uri: string; type: number }>): boolean {
    let any = false;
    for (const change of changes) {
      const path = uriToPath(change.uri);
      if (path === undefined || basename(path) !== CONFIG_FILE_NAME) continue;
      any = true;
      // Deleted (3): its marks go with it. Created or changed: marked again (or cleared) when next read.
      if (change.type === 3) {
        if (this.published.get(path)) this.host.send(change.uri, []);
        this.published.delete(path);
      }
    }
    if (any) this.lookup.forget();
    return any;
  }

  private report(found: FoundConfig): void {
    const problems = found.config.problems;
    const key = problems.length === 0 ? '' : found.text;
    if (this.published.get(found.path) === key) return;
    const hadProblems = Boolean(this.published.get(found.path));
    this.published.set(found.path, key);
    if (problems.length === 0 && !hadProblems) return;
    const starts = computeLineStarts(found.text);
    const diagnostics = problems.map((p): Diagnostic => ({
      range: { start: offsetToPosition(starts, p.span.start), end: offsetToPosition(starts, p.span.end) },
      severity: DiagnosticSeverity.Warning,
      source: 'kvmnet',
      message: `${p.message}; kvmnet ignores this and applies the rest of the file`,
    }));
    this.host.send(pathToFileURL(found.path).href, diagnostics);
    if (problems.length > 0 && !this.warned.has(found.path)) {
      this.warned.add(found.path);
      this.host.warn(`kvmnet: ${found.path} has ${problems.length} problem(s), marked in the file; kvmnet applies the rest of it.`);
    }
  }
}

/** A config file's text; undefined when there is none, or it cannot be read (then it is as if absent). */
function readConfig(path: string): string | undefined {
  try {
    return statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}
