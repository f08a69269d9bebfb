/**
 * Diagnostics for the rulesets of the workspace folders that are not open in the editor, so the
 * Problems panel lists the mistakes of every ruleset (`/etc/iptables/rules.v4` and `rules.v6`, a
 * repository of host firewalls) and not only of the files someone happens to have open.
 *
 * Files are found by name, the names the editor reads as iptables (discover.ts), when the server
 * starts, when the workspace folders change and when the client reports a created or changed file.
 * While a file is open, the editor's text is what counts (connection.ts publishes for it); when it is
 * closed, the file is read from disk again. The walk and the lints run a little at a time between
 * the requests the server answers, and stop at limits that keep a workspace of `/` harmless.
 */
import { promises as fs } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { declaredChains, type DeclaredChain } from '../iptables/chainIndex.js';
import { isRulesetName, looksBinary, notARuleset, SKIPPED_DIRS } from '../workspace/discover.js';

export interface WorkspaceLimits {
  /** Folder entries looked at in one walk of all workspace folders. */
  readonly entries: number;
  /** Rulesets linted from disk. */
  readonly files: number;
  /** Larger files are linted only when opened. */
  readonly bytes: number;
}

/** A ruleset of 8 MB (about 50,000 rules) takes the server about a second to lint; larger ones wait until they are opened. */
export const WORKSPACE_LIMITS: WorkspaceLimits = { entries: 200_000, files: 1_000, bytes: 8 * 1024 * 1024 };

/** Folders of a workspace of `/` that hold no files of anyone's: the kernel's views and devices. */
const SYSTEM_DIRS: ReadonlySet<string> = new Set(['/proc', '/sys', '/dev', '/run']);

/** ufw keeps its own rules in `user.rules`/`user6.rules`, names too plain to recognise outside its folder. */
const UFW_USER_RULES = /[\\/]ufw[\\/]user6?\.rules$/;

/** Whether a path names a ruleset the workspace lint reads: by name, as the editor recognises them. */
export function isWorkspaceRuleset(path: string): boolean {
  return isRulesetName(path) || UFW_USER_RULES.test(path);
}

/**
 * Glob patterns of those names, for the client's file watcher (`workspace/didChangeWatchedFiles`).
 * The watcher may report more (a client's globs can differ in case handling); each report is checked
 * with `isWorkspaceRuleset` again.
 */
export const WORKSPACE_RULESET_GLOBS: readonly string[] = [
  '**/{iptables,ip6tables,rules.v4,rules.v6,before.rules,after.rules,before6.rules,after6.rules,iptables.rules,ip6tables.rules}',
  '**/*.{iptables,ip6tables,iptables-save,ip6tables-save}',
  '**/ufw/{user,user6}.rules',
];

/** What the workspace lint needs from the server. */
export interface WorkspaceHost {
  /** Publishes a file's diagnostics (an empty list clears them). */
  send(uri: string, diagnostics: Diagnostic[]): void;
  /** The open document of this path, if the editor has one (its URI as the client spells it). */
  openUri(path: string): string | undefined;
  /** Lints a file's text; `uri` is where the diagnostics will be published. */
  lint(path: string, uri: string, text: string): Diagnostic[];
  log(message: string): void;
}

/** A `file:` URI as a path; undefined for other schemes or a malformed URI. */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export class WorkspaceLint {
  private roots: string[] = [];
  private enabled = false;
  /** Rulesets found in the workspace, by path. */
  private readonly known = new Set<string>();
  /** Paths whose diagnostics from disk are published (non-empty), with the URI they went to. */
  private readonly published = new Map<string, string>();
  /** The chains each ruleset read from disk declares (for workspace symbols), by path. */
  private readonly chains = new Map<string, DeclaredChain[]>();
  /** How the client spells a path's URI, once it has named the file (opened it, or reported a change). */
  private readonly spelling = new Map<string, string>();
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private draining: NodeJS.Immediate | undefined;
  /** Bumped by every rescan and by disabling: a walk of an older one stops and drops what it found. */
  private generation = 0;
  /** Settled when the latest walk and the lints it queued are done (tests and logs wait on it). */
  private idle: Promise<void> = Promise.resolve();
  private settle: (() => void) | undefined;

  constructor(
    private readonly host: WorkspaceHost,
    private readonly limits: WorkspaceLimits = WORKSPACE_LIMITS,
  ) {
    this.busy(); // until the first `configure` says what to do
  }

  /** The workspace folders (paths) and whether the lint is on; a change walks the folders again. */
  configure(roots: readonly string[], enabled: boolean): void {
    const same = enabled === this.enabled && roots.length === this.roots.length && roots.every((r, i) => r === this.roots[i]);
    this.roots = [...roots];
    this.enabled = enabled;
    if (!enabled) {
      this.generation++;
      this.stopQueue();
      for (const [, uri] of this.published) this.host.send(uri, []);
      this.published.clear();
      this.known.clear();
      this.chains.clear();
      this.finish();
      return;
    }
    if (!same) void this.rescan();
  }

  /** Lints every known ruleset again (the settings changed). */
  relintAll(): void {
    if (!this.enabled) return;
    for (const path of this.known) this.enqueue(path);
  }

  /** The rulesets found, once the current walk and the lints queued so far are done. */
  async rulesets(): Promise<string[]> {
    let idle;
    do {
      idle = this.idle;
      await idle;
    } while (idle !== this.idle); // more work came while waiting
    return [...this.known].sort();
  }

  /** The chains of the rulesets read from disk, with the URI to point at; open files are the caller's. */
  chainsOnDisk(): Array<{ readonly path: string; readonly uri: string; readonly chains: readonly DeclaredChain[] }> {
    const out = [];
    for (const [path, chains] of this.chains) if (this.host.openUri(path) === undefined) out.push({ path, uri: this.uriOf(path), chains });
    return out;
  }

  /** A document was opened: its own diagnostics take over from those read from disk. */
  opened(uri: string): void {
    const path = uriToPath(uri);
    if (path === undefined) return;
    this.spelling.set(path, uri);
    const prior = this.published.get(path);
    // Under another spelling of the same file, the disk's diagnostics would stay beside the editor's.
    if (prior !== undefined && prior !== uri) this.host.send(prior, []);
    this.published.delete(path);
  }

  /** A document was closed: its file, if it is a ruleset of the workspace, is read from disk again. */
  closed(uri: string): void {
    const path = uriToPath(uri);
    if (path !== undefined && this.enabled && this.known.has(path)) this.enqueue(path);
  }

  /** The client's file watcher reported changes (1 created, 2 changed, 3 deleted, as in LSP's FileChangeType). */
  changed(changes: ReadonlyArray<{ uri: string; type: number }>): void {
    if (!this.enabled) return;
    for (const change of changes) {
      const path = uriToPath(change.uri);
      if (path === undefined || !isWorkspaceRuleset(path) || !this.inRoots(path)) continue;
      this.spelling.set(path, change.uri);
      if (change.type === 3) {
        this.known.delete(path);
        this.chains.delete(path);
        this.clear(path);
      } else if (this.known.has(path) || this.known.size < this.limits.files) {
        this.known.add(path);
        this.enqueue(path);
      }
    }
  }

  private inRoots(path: string): boolean {
    return this.roots.some((root) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep));
  }

  private uriOf(path: string): string {
    return this.spelling.get(path) ?? pathToFileURL(path).href;
  }

  private clear(path: string): void {
    const uri = this.published.get(path);
    if (uri !== undefined) this.host.send(uri, []);
    this.published.delete(path);
  }

  private async rescan(): Promise<void> {
    const generation = ++this.generation;
    this.busy();
    const found = new Set<string>();
    let entries = 0;
    let stopped: string | undefined;
    const folders = [...this.roots];
    while (folders.length > 0 && stopped === undefined) {
      const dir = folders.shift() as string;
      let list;
      try {
        list = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        continue; // unreadable (permissions) or gone: nothing to lint there
      }
      if (generation !== this.generation) return;
      list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of list) {
        if (++entries > this.limits.entries) {
          stopped = `after ${this.limits.entries} files and folders`;
          break;
        }
        const path = join(dir, e.name);
        // Symbolic links are not followed: a link to a folder could lead out of the workspace or round in a circle.
        if (e.isDirectory()) {
          if (!SKIPPED_DIRS.has(e.name) && !SYSTEM_DIRS.has(path)) folders.push(path);
        } else if (e.isFile() && isWorkspaceRuleset(path)) {
          if (found.size === this.limits.files) {
            stopped = `at ${this.limits.files} rulesets`;
            break;
          }
          found.add(path);
        }
      }
    }
    if (stopped !== undefined) this.host.log(`kvmnet: the search of the workspace for rulesets stopped ${stopped}; open a file to lint it`);
    for (const path of [...this.published.keys()]) if (!found.has(path)) this.clear(path);
    for (const path of [...this.chains.keys()]) if (!found.has(path)) this.chains.delete(path);
    this.known.clear();
    for (const path of found) {
      this.known.add(path);
      this.enqueue(path);
    }
    if (this.queue.length === 0) this.finish();
  }

  private enqueue(path: string): void {
    if (!this.queued.has(path)) {
      this.queued.add(path);
      this.queue.push(path);
    }
    this.busy();
    // One file per turn of the event loop: requests about open documents are answered in between.
    this.draining ??= setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    const path = this.queue.shift();
    if (path !== undefined) {
      this.queued.delete(path);
      await this.lintFile(path);
    }
    this.draining = undefined;
    if (this.queue.length > 0) this.draining = setImmediate(() => void this.drain());
    else this.finish();
  }

  private async lintFile(path: string): Promise<void> {
    if (!this.enabled || !this.known.has(path)) return;
    const generation = this.generation;
    let diagnostics: Diagnostic[] = [];
    let uri = this.uriOf(path);
    try {
      const stat = await fs.stat(path);
      if (stat.isFile() && stat.size <= this.limits.bytes) {
        const bytes = await fs.readFile(path);
        // The file may have been opened, or the lint turned off, while it was read.
        if (generation !== this.generation || !this.known.has(path)) return;
        const open = this.host.openUri(path);
        if (open !== undefined) {
          this.opened(open);
          return;
        }
        uri = this.uriOf(path);
        const text = looksBinary(bytes) ? undefined : bytes.toString('utf8');
        const ruleset = text !== undefined && notARuleset(text) === undefined;
        if (ruleset) this.chains.set(path, declaredChains(text));
        else this.chains.delete(path);
        if (ruleset) {
          try {
            diagnostics = this.host.lint(path, uri, text);
          } catch (err) {
            this.host.log(`kvmnet: cannot lint ${path}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
          }
        }
      }
    } catch {
      // Gone or unreadable since it was found: nothing to show for it.
    }
    if (generation !== this.generation || this.host.openUri(path) !== undefined) return;
    if (diagnostics.length > 0) {
      const prior = this.published.get(path);
      if (prior !== undefined && prior !== uri) this.host.send(prior, []);
      this.published.set(path, uri);
      this.host.send(uri, diagnostics);
    } else this.clear(path);
  }

  private stopQueue(): void {
    if (this.draining) clearImmediate(this.draining);
    this.draining = undefined;
    this.queue.length = 0;
    this.queued.clear();
  }

  private busy(): void {
    if (this.settle === undefined) this.idle = new Promise((resolve) => (this.settle = resolve));
  }

  private finish(): void {
    const settle = this.settle;
    this.settle = undefined;
    settle?.();
  }
}
