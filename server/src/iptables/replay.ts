/**
 * The rules each chain of a table holds, line by line. Without --noflush, iptables-restore empties
 * a table when it reads its `*table` line and then applies each line in turn, so what a numbered
 * -I/-R/-D line, a -D line or a -X line finds follows from the lines before it. The two backends of 1.8.9
 * differ in two ways, found with the real tools, so the table is replayed once per backend: after
 * `-F` without a chain name, iptables-nft-restore still holds the rules it flushed (it keeps
 * counting them, and -X of a chain they jump to fails); and it puts the rule of `-I CHAIN N` before
 * the rule then at N and refers to that rule when it commits (`LostAnchor`).
 *
 * The replay reads only what the document's structure holds (commands, chain names, rule numbers,
 * the -j/-g name of each command line, chain lines), so it stays right for every view of an
 * analysis and while the structure of a document is kept (incremental.ts). A line that fails in a
 * backend changes nothing there; a delete by specification is taken to find its rule.
 */
import { isBuiltinChain, TABLES } from './kb/tables.js';
import type { TableName } from './kb/types.js';
import { parseWholeUnsigned } from './kb/targets/targetValues.js';
import type { ChainLine, RuleLine } from './model.js';

/** The largest rule number iptables reads (it parses the number into an int). */
export const MAX_RULE_NUMBER = 2147483647;

/** How many rules a chain holds at one line, as each backend sees it. */
export interface ChainCount {
  readonly legacy: number;
  readonly nft: number;
}

/** Why `-X` cannot delete a chain at its line: the chain still has rules, or a rule jumps to it. */
export interface DeleteProblem {
  readonly chain: string;
  readonly rules: number;
  /** A chain with a rule whose -j/-g names the chain to delete. */
  readonly referencedFrom?: string;
}

/**
 * An `-I CHAIN N` (N from 2 to the chain's length) that iptables-nft-restore 1.8.9 refuses when it
 * commits the table (`RULE_INSERT failed`): the new rule goes before the rule then at position N,
 * and a later line of the same table deletes that rule while the new one is still there.
 */
export interface LostAnchor {
  /** The line of the rule the insert went before, and the line that deletes it. */
  readonly anchorLine: number;
  readonly deleteLine: number;
}

export interface TableReplay {
  /** For each numbered -I/-R line and each -D line, by line index: its chain's rules just before the line. */
  readonly counts: ReadonlyMap<number, ChainCount>;
  /** For each -X line that fails in a backend, by line index: why, per backend. */
  readonly deletes: ReadonlyMap<number, { readonly legacy?: DeleteProblem; readonly nft?: DeleteProblem }>;
  /** For each -I line whose rule nft positions before a rule the table deletes later, by line index. */
  readonly lostAnchors: ReadonlyMap<number, LostAnchor>;
  /**
   * The -A/-I/-R lines whose rules the table holds at its COMMIT, per backend (a rule replaced by
   * -R counts as its -R line's). What the kernel checks at the commit, such as jump loops, is
   * checked on these. Undefined when the table never removes or replaces a rule: all of them stay.
   */
  readonly survivors?: { readonly legacy: ReadonlySet<number>; readonly nft: ReadonlySet<number> };
  /**
   * For each -D line by specification that no rule of its chain can match in a backend, by line
   * index: the chain has rules, but none with the -j/-g name (or none) of the line's rule, its
   * protocol, addresses and interfaces and the same matches loaded in the same order.
   */
  readonly unmatched?: ReadonlyMap<number, Unmatched>;
  /**
   * For each `-Z CHAIN` of a built-in chain that iptables-nft-restore has not made yet in the table
   * (no chain line, rule, policy or -F for it above the line), by line index: nft refuses it ("No
   * chain/target/match by that name"), the legacy backend has every built-in chain from the start.
   */
  readonly unmadeZeroes?: ReadonlySet<number>;
  /**
   * The -A/-I/-R lines whose rules a `-F CHAIN` of the table empties (in both backends). Such a
   * rule never reaches the kernel with iptables-nft-restore, which drops it from its batch; a rule
   * a -D deletes does, and is checked there.
   */
  readonly flushed?: ReadonlySet<number>;
}

export type Backend = 'legacy' | 'nft';

/**
 * The words of a finding about a table that only `refuser` refuses when it commits it, because the
 * backends hold different rules then (nft keeps the rules of a bare -F).
 */
export function commitDisagreement(refuser: Backend): { refuser: string; accepter: string; why: string } {
  return {
    ...restoreTools(refuser),
    why: refuser === 'nft' ? 'still holds the rules that "-F" without a chain name removed (flush the chains by name, "-F CHAIN", to load with both)' : 'removed other rules before the COMMIT',
  };
}

/** The restore command of the backend that refuses a line, and of the one that accepts it. */
export function restoreTools(refuser: Backend): { refuser: string; accepter: string } {
  return refuser === 'nft'
    ? { refuser: 'iptables-nft-restore', accepter: 'iptables-legacy-restore' }
    : { refuser: 'iptables-legacy-restore', accepter: 'iptables-nft-restore' };
}

/** Per backend, whether something holds. */
export interface ChainFlags {
  readonly legacy: boolean;
  readonly nft: boolean;
}

/**
 * A -D by specification that matches no rule. `rule` is set when rules with the same -j/-g name are
 * there and their header or matches differ: the line's header (`LineFacts.header`) and the names of
 * the matches it loads, in order.
 */
export interface Unmatched extends ChainFlags {
  readonly rule?: { readonly header: string | undefined; readonly matches: readonly string[] | undefined };
}

export const EMPTY_REPLAY: TableReplay = { counts: new Map(), deletes: new Map(), lostAnchors: new Map() };

/** The rule number of an -I/-R/-D line, as iptables reads it: the word after the chain (`0x2` and `010` too). */
export function ruleNumberWord(line: RuleLine): RuleLine['words'][number] | undefined {
  return line.command?.values[1];
}

/** Whether the table has a line whose outcome depends on what its chains hold (most have none). */
export function needsReplay(rules: readonly RuleLine[]): boolean {
  for (let i = 0; i < rules.length; i++) {
    const line = rules[i] as RuleLine;
    const kind = line.commandKind;
    if (kind === 'delete-chain' || kind === 'delete' || kind === 'flush' || (kind === 'zero' && line.chain) || ((kind === 'insert' || kind === 'replace') && ruleNumberWord(line))) return true;
  }
  return false;
}

/** What a -A/-I/-R/-D line says of its rule (`LineFacts`), read once for both backends. */
interface RuleForm {
  /** The line that gave the rule this form: the -A/-I that added it, or the last -R that replaced it. */
  form: number;
  target: string;
  goto: boolean;
  spec: string;
  /** The matches the rule loads, in order (`LineFacts.matches`). */
  matches: readonly string[] | undefined;
  /** Its protocol, addresses, interfaces and -f (`LineFacts.header`). */
  header: string | undefined;
}

function formOf(line: RuleLine, facts: LineFacts): RuleForm {
  return { form: line.index, target: facts.target(line) ?? '', goto: facts.goto(line), spec: facts.spec(line), matches: facts.matches(line), header: facts.header(line) };
}

/** A rule of a chain: the line that added it and its present form. */
interface Rule extends RuleForm {
  readonly line: number;
  /** For a rule of `-I CHAIN N`, N >= 2: the rule it was put before (nft refers to it). */
  readonly anchor?: Rule;
}

/** A backend's view of the table: the rules of each chain, in order. */
type Chains = Map<string, Rule[]>;

/** What the replay needs of a command line besides its command: its -j/-g name, its rule specification, its header and matches. */
export interface LineFacts {
  readonly target: (line: RuleLine) => string | undefined;
  /** Whether the line's rule goes to its chain with -g rather than jumps with -j. */
  readonly goto: (line: RuleLine) => boolean;
  /** The words after the command and its values, as written (blanks folded): the rule of -A/-I/-R/-D. */
  readonly spec: (line: RuleLine) => string;
  /**
   * The names of the matches the line's rule loads, in the order iptables loads them (a protocol's
   * match where its first option stands); undefined when one of them is unknown to kvmnet. Both
   * backends compare a -D's rule with the chain's match by match, so rules that load other matches,
   * or the same in another order, never match (found with the real tools).
   */
  readonly matches: (line: RuleLine) => readonly string[] | undefined;
  /**
   * The line's -p, -s, -d, -i, -o and -f as the backends compare them, in one text ("" for none);
   * undefined when kvmnet cannot tell how one of them reads (a name from the host's /etc/protocols,
   * a host name, another spelling of an address).
   */
  readonly header: (line: RuleLine) => string | undefined;
}

/**
 * Whether a -D's rule may compare equal to a chain's rule, as far as kvmnet reads them: the same
 * header (protocol, addresses, interfaces) and the same matches in the same order (either unknown:
 * maybe).
 */
function sameRule(r: Rule, { matches, header }: RuleForm): boolean {
  if (r.header !== undefined && header !== undefined && r.header !== header) return false;
  if (r.matches === undefined || matches === undefined) return true;
  return r.matches.length === matches.length && r.matches.every((name, i) => name === matches[i]);
}

/**
 * The rule of a command line as written in `text`, blanks folded: what follows the command and its
 * values, which a -D by specification is compared with (`LineFacts.spec`).
 */
export function ruleSpecText(text: string, line: RuleLine): string {
  return line.command ? text.slice(line.command.span.end, line.span.end).trim().replace(/\s+/g, ' ') : '';
}

/** Replays a table's chain lines and commands in file order. */
export function replayTable(table: TableName, lines: ReadonlyArray<ChainLine | RuleLine>, facts: LineFacts): TableReplay {
  const counts = new Map<number, ChainCount>();
  const deletes = new Map<number, { legacy?: DeleteProblem; nft?: DeleteProblem }>();
  const lostAnchors = new Map<number, LostAnchor>();
  const legacy: Chains = new Map(TABLES[table].map((c) => [c, []]));
  const nft: Chains = new Map(TABLES[table].map((c) => [c, []]));
  const builtin = (name: string): boolean => isBuiltinChain(table, name);
  const onDelete = (removed: Rule, rest: readonly Rule[], line: RuleLine): void => {
    for (const r of rest) if (r.anchor === removed && !lostAnchors.has(r.line)) lostAnchors.set(r.line, { anchorLine: removed.line, deleteLine: line.index });
  };
  const unmatched = new Map<number, Unmatched>();
  // The built-in chains iptables-nft-restore has made so far: it makes one for its chain line, a
  // rule added to it, its policy or a flush by name.
  const made = new Set<string>();
  const unmadeZeroes = new Set<number>();
  const flushed = new Set<number>();
  for (const line of lines) {
    if (line.kind === 'chain') {
      legacy.set(line.name.text, []);
      nft.set(line.name.text, []);
      made.add(line.name.text);
      continue;
    }
    const name = line.chain?.text;
    const kind = line.commandKind;
    const form = kind === 'append' || kind === 'insert' || kind === 'replace' || kind === 'delete' ? formOf(line, facts) : undefined;
    if (name !== undefined && builtin(name)) {
      if (kind === 'append' || kind === 'insert' || kind === 'replace' || kind === 'policy' || kind === 'flush') made.add(name);
      else if (kind === 'zero' && !made.has(name) && ruleNumberWord(line) === undefined) unmadeZeroes.add(line.index);
    }
    if (form && kind === 'delete' && name !== undefined && !ruleNumberWord(line)) {
      const named = (r: Rule): boolean => r.target === form.target && r.goto === form.goto;
      const none = (rules: readonly Rule[] | undefined): boolean => rules !== undefined && rules.length > 0 && !rules.some((r) => named(r) && sameRule(r, form));
      const flags = { legacy: none(legacy.get(name)), nft: none(nft.get(name)) };
      if (flags.legacy || flags.nft) {
        // The refusing backends hold rules of that name: their header or matches differ.
        const byRule = [flags.legacy ? legacy : undefined, flags.nft ? nft : undefined].every((c) => c === undefined || (c.get(name) ?? []).some(named));
        unmatched.set(line.index, byRule ? { ...flags, rule: { header: form.header, matches: form.matches } } : flags);
      }
    }
    if ((kind === 'insert' || kind === 'replace' || kind === 'delete') && name !== undefined && (kind === 'delete' || ruleNumberWord(line))) {
      const l = legacy.get(name);
      const n = nft.get(name);
      if (l && n) counts.set(line.index, { legacy: l.length, nft: n.length });
    }
    if (kind === 'delete-chain') {
      const problems = { legacy: deleteProblem(legacy, name, builtin), nft: deleteProblem(nft, name, builtin) };
      if (problems.legacy || problems.nft) deletes.set(line.index, problems);
      if (!problems.legacy) apply(legacy, line, name, form, builtin, true);
      if (!problems.nft) apply(nft, line, name, form, builtin, false);
      continue;
    }
    if (kind === 'flush' && name !== undefined) for (const r of nft.get(name) ?? []) flushed.add(r.form);
    apply(legacy, line, name, form, builtin, true);
    apply(nft, line, name, form, builtin, false, onDelete);
  }
  return { counts, deletes, lostAnchors, survivors: { legacy: survivorsOf(legacy), nft: survivorsOf(nft) }, unmatched, unmadeZeroes, flushed };
}

function survivorsOf(chains: Chains): Set<number> {
  const lines = new Set<number>();
  for (const list of chains.values()) for (const r of list) lines.add(r.form);
  return lines;
}

/**
 * What one command line does to a backend's chains; `form` is the rule of a -A/-I/-R/-D line
 * (`formOf`). `flushAll`: a -F without a chain name empties every chain there. `onDelete` hears of
 * each rule a -D removes for certain (by number, or by a specification written exactly as the rule
 * was).
 */
function apply(
  chains: Chains, line: RuleLine, name: string | undefined, form: RuleForm | undefined, builtin: (name: string) => boolean, flushAll: boolean,
  onDelete?: (removed: Rule, rest: readonly Rule[], line: RuleLine) => void,
): void {
  const rules = name === undefined ? undefined : chains.get(name);
  const word = ruleNumberWord(line);
  const n = word ? parseWholeUnsigned(word.text, 1, MAX_RULE_NUMBER) : undefined;
  // Each backend gets its own copy: a -R or -E changes it in one backend only.
  const rule = (f: RuleForm, anchor?: Rule): Rule => ({ line: line.index, ...f, ...(anchor ? { anchor } : {}) });
  switch (line.commandKind) {
    case 'append':
      if (form) rules?.push(rule(form));
      break;
    case 'insert':
      if (form && rules && (word === undefined || (n !== undefined && n <= rules.length + 1))) {
        const at = (n ?? 1) - 1;
        rules.splice(at, 0, rule(form, at >= 1 && at < rules.length ? rules[at] : undefined));
      }
      break;
    case 'replace':
      if (form && rules && n !== undefined && n <= rules.length) Object.assign(rules[n - 1] as Rule, form);
      break;
    case 'delete':
      if (rules && rules.length > 0) {
        if (word) {
          if (n !== undefined && n <= rules.length) {
            const [removed] = rules.splice(n - 1, 1);
            if (removed) onDelete?.(removed, rules, line);
          }
        } else if (form) {
          // The rule written the same way; else, for the counts, one with the same target (and
          // header and matches, when there is one).
          const exact = rules.findIndex((r) => r.spec === form.spec);
          let at = exact !== -1 ? exact : rules.findIndex((r) => r.target === form.target && sameRule(r, form));
          if (at === -1) at = rules.findIndex((r) => r.target === form.target);
          const [removed] = rules.splice(at === -1 ? 0 : at, 1);
          if (removed && exact !== -1) onDelete?.(removed, rules, line);
        }
      }
      break;
    case 'flush':
      if (rules) rules.length = 0;
      else if (name === undefined && flushAll) for (const list of chains.values()) list.length = 0;
      break;
    case 'new-chain':
      if (name !== undefined && !builtin(name)) chains.set(name, []);
      break;
    case 'delete-chain':
      if (name !== undefined) {
        if (!builtin(name)) chains.delete(name);
      } else for (const key of [...chains.keys()]) if (!builtin(key)) chains.delete(key);
      break;
    case 'rename-chain': {
      const to = line.command?.values[1]?.text;
      if (rules && name !== undefined && to !== undefined && !builtin(name) && !builtin(to) && !chains.has(to)) {
        chains.delete(name);
        chains.set(to, rules);
        // The rules that jumped to the chain now jump to it under its new name.
        for (const list of chains.values()) for (const r of list) if (r.target === name) r.target = to;
      }
      break;
    }
    default:
      break;
  }
}

/** Why `-X name` (every user chain when no name) fails in a backend's chains, if it does. */
function deleteProblem(chains: Chains, name: string | undefined, builtin: (name: string) => boolean): DeleteProblem | undefined {
  const doomed = name === undefined ? [...chains.keys()].filter((k) => !builtin(k)) : chains.has(name) && !builtin(name) ? [name] : [];
  for (const chain of doomed) {
    const rules = (chains.get(chain) as Rule[]).length;
    if (rules > 0) return { chain, rules };
  }
  for (const chain of doomed) {
    for (const [from, list] of chains) {
      if (from !== chain && list.some((r) => r.target === chain)) return { chain, rules: 0, referencedFrom: from };
    }
  }
  return undefined;
}
