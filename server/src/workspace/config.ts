/**
 * `.kvmnet.json`: a project's own settings, shared by the CLI and the editor. A ruleset takes the
 * nearest one in its folder or a folder above it. It holds what the `kvmnet.*` settings hold,
 * without the prefix:
 *
 *   { "rules": { "unused-chain": "off", "noncanonical-cidr": "warning" }, "iptables": { "family": "ipv6" } }
 *
 * JSON with comments and trailing commas (as VS Code's settings.json). Pure: the CLI and the
 * server read the file; this narrows its text and says what is wrong with it, where.
 */
import { parseTree, printParseErrorCode, stripComments, type Node, type ParseError } from 'jsonc-parser';
import { computeLineStarts, offsetToPosition, type Span } from '../core/span.js';
import { DEFAULT_SETTINGS, overlaySettings, type LintSettings } from '../core/settings.js';
import { IPTABLES_RULES } from '../iptables/rules/index.js';
import { nearMiss } from '../iptables/similarity.js';

export const CONFIG_FILE_NAME = '.kvmnet.json';

/** Something in a config file kvmnet does not take; what it does take still applies. */
export interface ConfigProblem {
  readonly span: Span;
  readonly message: string;
}

export interface ProjectConfig {
  /** What the file sets, over the defaults. */
  readonly settings: LintSettings;
  readonly problems: readonly ConfigProblem[];
}

const SEVERITIES = ['off', 'hint', 'info', 'warning', 'error'];
const FAMILIES = ['auto', 'ipv4', 'ipv6'];
const RULE_IDS: readonly string[] = IPTABLES_RULES.map((r) => r.id);

/** Reads a config file's text. Never throws: a file that is no JSON object sets nothing and says why. */
export function parseConfig(text: string): ProjectConfig {
  const problems: ConfigProblem[] = [];
  // A file just created, or only comments: it sets nothing yet, which is no mistake.
  if (stripComments(text).trim() === '') return { settings: DEFAULT_SETTINGS, problems };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  for (const e of errors) {
    problems.push({ span: { start: e.offset, end: e.offset + Math.max(e.length, 1) }, message: `not valid JSON: ${describeParseError(printParseErrorCode(e.error))}` });
  }
  if (!root) return { settings: DEFAULT_SETTINGS, problems };
  if (root.type !== 'object') {
    problems.push({ span: spanOf(root), message: `a config file holds one JSON object, not ${describeNode(root)}` });
    return { settings: DEFAULT_SETTINGS, problems };
  }
  const raw: Record<string, unknown> = {};
  for (const [key, value, keyNode] of members(root)) {
    if (key === '$schema') continue;
    if (key === 'rules') raw['rules'] = readRules(value, problems);
    else if (key === 'iptables') raw['iptables'] = readIptables(value, problems);
    else problems.push({ span: spanOf(keyNode), message: `unknown key "${key}": a config file sets "rules" and "iptables"` });
  }
  return { settings: overlaySettings(DEFAULT_SETTINGS, raw), problems };
}

/**
 * What a document is linted with: the project's config, with the editor's settings over it. A rule
 * the editor sets wins over the file's (a user's own choice, in their settings); the editor's
 * family wins unless it is `auto`.
 */
export function combineSettings(project: LintSettings, editor: LintSettings): LintSettings {
  return {
    rules: { ...project.rules, ...editor.rules },
    family: editor.family !== 'auto' ? editor.family : project.family,
  };
}

/** The paths where the config of a file in `dir` may be, nearest first (to the root of the file system). */
export function configCandidates(dir: string): string[] {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  const out: string[] = [];
  let current = dir.replace(/[\\/]+$/, '');
  for (;;) {
    out.push(`${current}${sep}${CONFIG_FILE_NAME}`);
    const cut = Math.max(current.lastIndexOf('/'), current.lastIndexOf('\\'));
    if (cut < 0) break;
    current = current.slice(0, cut);
    if (current === '' || /^[A-Za-z]:$/.test(current)) {
      out.push(`${current}${sep}${CONFIG_FILE_NAME}`);
      break;
    }
  }
  return out;
}

/** `line:column: message`, 1-based, for a problem in `text`. */
export function formatConfigProblem(text: string, problem: ConfigProblem): string {
  const at = offsetToPosition(computeLineStarts(text), problem.span.start);
  return `${at.line + 1}:${at.character + 1}: ${problem.message}`;
}

function readRules(node: Node, problems: ConfigProblem[]): Record<string, string> {
  const rules: Record<string, string> = {};
  if (node.type !== 'object') {
    problems.push({ span: spanOf(node), message: `"rules" maps rule ids to a severity (${SEVERITIES.join(', ')}), not ${describeNode(node)}` });
    return rules;
  }
  for (const [id, value, keyNode] of members(node)) {
    if (!RULE_IDS.includes(id)) {
      const spelled = id.toLowerCase().replace(/_/g, '-');
      const near = RULE_IDS.includes(spelled) ? spelled : nearMiss(id, RULE_IDS);
      problems.push({ span: spanOf(keyNode), message: `unknown rule id "${id}"${near ? `; did you mean "${near}"?` : ''} (the README lists the rules)` });
      continue;
    }
    if (value.type !== 'string' || !SEVERITIES.includes(value.value as string)) {
      problems.push({ span: spanOf(value), message: `the severity of "${id}" is one of ${SEVERITIES.join(', ')}, not ${describeNode(value)}` });
      continue;
    }
    rules[id] = value.value as string;
  }
  return rules;
}

function readIptables(node: Node, problems: ConfigProblem[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (node.type !== 'object') {
    problems.push({ span: spanOf(node), message: `"iptables" is an object such as { "family": "ipv6" }, not ${describeNode(node)}` });
    return out;
  }
  for (const [key, value, keyNode] of members(node)) {
    if (key !== 'family') {
      problems.push({ span: spanOf(keyNode), message: `unknown key "iptables.${key}": the iptables section sets "family"` });
    } else if (value.type !== 'string' || !FAMILIES.includes(value.value as string)) {
      problems.push({ span: spanOf(value), message: `"iptables.family" is one of ${FAMILIES.join(', ')}, not ${describeNode(value)}` });
    } else out['family'] = value.value;
  }
  return out;
}

/** An object node's members that parsed whole: key, value and the key's node. */
function* members(node: Node): Generator<[string, Node, Node]> {
  for (const prop of node.children ?? []) {
    const [keyNode, value] = prop.children ?? [];
    if (keyNode && value && typeof keyNode.value === 'string') yield [keyNode.value, value, keyNode];
  }
}

function spanOf(node: Node): Span {
  return { start: node.offset, end: node.offset + node.length };
}

function describeNode(node: Node): string {
  if (node.type === 'string') return JSON.stringify(node.value);
  if (node.type === 'number' || node.type === 'boolean') return String(node.value);
  if (node.type === 'null') return 'null';
  return node.type === 'array' ? 'an array' : 'an object';
}

/** jsonc-parser's error codes (`PropertyNameExpected`) as words. */
function describeParseError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** A config file found for a folder: where it is, its text and what it says. */
export interface FoundConfig {
  readonly path: string;
  readonly text: string;
  readonly config: ProjectConfig;
}

/**
 * Finds and reads the config that files in a folder take, once per folder and once per file until
 * `forget`. `read` gives a file's text, or undefined when there is no such file (the caller does
 * the I/O and decides what a read error means).
 */
export class ConfigLookup {
  private readonly byDir = new Map<string, FoundConfig | null>();
  private readonly byPath = new Map<string, FoundConfig | null>();

  constructor(private readonly read: (path: string) => string | undefined) {}

  find(dir: string): FoundConfig | undefined {
    let found = this.byDir.get(dir);
    if (found === undefined) {
      found = null;
      for (const path of configCandidates(dir)) {
        found = this.load(path);
        if (found) break;
      }
      this.byDir.set(dir, found);
    }
    return found ?? undefined;
  }

  /** A config file changed, appeared or went away: read again on next use. */
  forget(): void {
    this.byDir.clear();
    this.byPath.clear();
  }

  private load(path: string): FoundConfig | null {
    let found = this.byPath.get(path);
    if (found === undefined) {
      const text = this.read(path);
      found = text === undefined ? null : { path, text, config: parseConfig(text) };
      this.byPath.set(path, found);
    }
    return found;
  }
}
