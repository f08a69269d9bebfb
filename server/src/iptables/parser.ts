/**
 * A tolerant parser for iptables-save / iptables-restore input. It reads lines the way
 * iptables-restore 1.8.9 does (xtables-restore.c): `#` comments only in column 0, `*table`,
 * `:chain policy [p:b]`, `COMMIT` exactly, and command lines split into words by its own
 * quote-aware splitter. It never throws; what it cannot read becomes a `SyntaxProblem`.
 */
import { computeLineStarts } from '../core/span.js';
import type { Span } from '../core/span.js';
import type { Family } from './kb/types.js';
import { ParsedWord } from './model.js';
import type {
  Arg, ChainLine, CommandKind, Counters, IptablesDocument, Line, RuleLine, SyntaxProblem, TableBlock, TableLine, Word,
} from './model.js';

/** Short and long spellings of the commands iptables-restore accepts. */
export const COMMANDS: ReadonlyArray<{ kind: CommandKind; short: string; long: string; doc: string }> = [
  { kind: 'append', short: '-A', long: '--append', doc: 'Append a rule to the end of the chain.' },
  { kind: 'insert', short: '-I', long: '--insert', doc: 'Insert a rule at a position (default 1, the top) of the chain.' },
  { kind: 'delete', short: '-D', long: '--delete', doc: 'Delete a rule, given by number or by its full specification.' },
  { kind: 'replace', short: '-R', long: '--replace', doc: 'Replace the rule at a position of the chain.' },
  { kind: 'new-chain', short: '-N', long: '--new-chain', doc: 'Create a user-defined chain.' },
  { kind: 'delete-chain', short: '-X', long: '--delete-chain', doc: 'Delete a user-defined chain (all of them when none is named).' },
  { kind: 'flush', short: '-F', long: '--flush', doc: 'Delete every rule of the chain (of all chains when none is named).' },
  { kind: 'zero', short: '-Z', long: '--zero', doc: 'Reset the packet and byte counters.' },
  { kind: 'policy', short: '-P', long: '--policy', doc: 'Set the policy of a built-in chain (ACCEPT or DROP).' },
  { kind: 'rename-chain', short: '-E', long: '--rename-chain', doc: 'Rename a user-defined chain.' },
];

/**
 * Resolves a command option as getopt would: the exact short or long form, or (unless `exactOnly`)
 * an unambiguous prefix of a long form. A prefix loses to an exact option of a loaded extension
 * (`-j CLUSTERIP --new`, `-m policy --pol`), so only the first command of a line may be a prefix.
 */
export function findCommand(name: string, exactOnly = false): (typeof COMMANDS)[number] | undefined {
  for (const c of COMMANDS) if (c.short === name || c.long === name) return c;
  if (!exactOnly && name.startsWith('--') && name.length > 2) {
    const hits = COMMANDS.filter((c) => c.long.startsWith(name));
    // `--new` is also how iptables spells --new-chain; getopt accepts unique prefixes.
    if (hits.length === 1) return hits[0];
  }
  return undefined;
}

/**
 * Splits the text of a command line into words like iptables-restore's `add_param_to_argv`:
 * spaces and tabs separate words; a double quote starts a quoted part in which spaces are kept and
 * `\"` / `\\` are escapes; the closing quote ends the word. Single quotes are ordinary characters.
 */
export function splitWords(text: string, base: number): Word[] {
  const words: Word[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let c = text.charCodeAt(i);
    while (i < n && (c === 32 || c === 9)) c = text.charCodeAt(++i);
    if (i >= n) break;
    const start = i;
    // Fast path: a word without quotes is a slice of the line.
    while (i < n && c !== 32 && c !== 9 && c !== 34) c = text.charCodeAt(++i);
    if (i >= n || c !== 34) {
      words.push(new ParsedWord(text.slice(start, i), base + start, base + i, false));
      continue;
    }
    // A double quote: the part before it, then the quoted part with \" and \\ escapes; the closing quote ends the word.
    let value = text.slice(start, i);
    i++;
    let closed = false;
    let chunk = i;
    while (i < n) {
      const q = text.charCodeAt(i);
      if (q === 92 && i + 1 < n && (text.charCodeAt(i + 1) === 34 || text.charCodeAt(i + 1) === 92)) {
        value += text.slice(chunk, i) + text[i + 1];
        i += 2;
        chunk = i;
        continue;
      }
      if (q === 34) {
        closed = true;
        break;
      }
      i++;
    }
    value += text.slice(chunk, i);
    if (closed) i++;
    words.push(closed ? new ParsedWord(value, base + start, base + i, true) : new ParsedWord(value, base + start, base + i, true, true));
  }
  return words;
}

function isOptionWord(w: Word): boolean {
  return !w.quoted && w.text.length > 1 && w.text.startsWith('-');
}

const NONE: readonly never[] = Object.freeze([]);

/**
 * Groups the words of a command line into options with their values. Value lists are exact-size
 * slices of `words` (a pushed-to array reserves room for 17 items, which adds up in large rulesets).
 */
export function groupArgs(words: readonly Word[]): { args: Arg[]; leading: readonly Word[]; strayNegations: readonly Span[]; misplaced: ReadonlyArray<{ arg: number; span: Span }> } {
  const args: Arg[] = [];
  let leading: readonly Word[] = NONE;
  let strayNegations: Span[] | undefined;
  let misplaced: Array<{ arg: number; span: Span }> | undefined;
  let pendingNeg: Span | undefined;
  let name: Word | undefined;
  let negation: Span | undefined;
  let first = 0; // index of the first value of the current option
  let misplacedAt = -1; // the option (by index in args) whose values hold a misplaced "!"
  const n = words.length;
  const finish = (endIndex: number): void => {
    if (!name) {
      if (endIndex > first) leading = words.slice(first, endIndex);
      return;
    }
    let values: readonly Word[] = endIndex > first ? words.slice(first, endIndex) : NONE;
    // A "!" among the values is either misplaced or stray; both are reported on their own.
    if (misplacedAt === args.length || (strayNegations !== undefined && values.some((w) => !w.quoted && w.text === '!'))) values = values.filter((w) => w.quoted || w.text !== '!');
    const last = values[values.length - 1] ?? name;
    const start = (negation ?? name.span).start;
    args.push(negation ? { name, negation, values, span: { start, end: last.span.end } } : { name, values, span: { start, end: last.span.end } });
  };
  for (let i = 0; i < n; i++) {
    const w = words[i] as Word;
    if (!w.quoted && w.text === '!') {
      if (pendingNeg) (strayNegations ??= []).push(pendingNeg);
      pendingNeg = w.span;
      continue;
    }
    if (isOptionWord(w)) {
      finish(pendingNeg ? i - 1 : i);
      name = w;
      negation = pendingNeg;
      pendingNeg = undefined;
      first = i + 1;
      continue;
    }
    if (pendingNeg) {
      if (name && i - 1 === first) {
        (misplaced ??= []).push({ arg: args.length, span: pendingNeg });
        misplacedAt = args.length;
      }
      else (strayNegations ??= []).push(pendingNeg);
      pendingNeg = undefined;
    }
  }
  finish(pendingNeg ? n - 1 : n);
  if (pendingNeg) (strayNegations ??= []).push(pendingNeg);
  return { args, leading, strayNegations: strayNegations ?? NONE, misplaced: misplaced ?? NONE };
}

/** Reads `[packets:bytes]` at `text[0]`; returns it and the rest offset. */
function readBracketCounters(text: string, base: number): { counters?: Counters; rest: number; problem?: SyntaxProblem } {
  const close = text.indexOf(']');
  if (close === -1) return { rest: text.length, problem: { span: { start: base, end: base + text.length }, message: 'counter "[" is never closed: expected [packets:bytes]' } };
  const inner = text.slice(1, close);
  const colon = inner.indexOf(':');
  return {
    counters: { span: { start: base, end: base + close + 1 }, packets: colon === -1 ? inner : inner.slice(0, colon), bytes: colon === -1 ? '' : inner.slice(colon + 1) },
    rest: close + 1,
  };
}

export interface ParseOptions {
  readonly family?: Family;
  /** File name or URI, used to tell IPv6 rulesets apart (`ip6tables`, `rules.v6`). */
  readonly fileName?: string;
}

/** Decides the family: explicit, else the file name, else the content (IPv6 addresses, icmpv6, ip6tables-save header). */
export function detectFamily(text: string, fileName?: string): Family {
  if (fileName && /(ip6tables|rules\.v6|6\.rules|\.ip6tables|before6|after6|user6)/i.test(fileName.replace(/^.*[\\/]/, ''))) return 'ipv6';
  const head = text.slice(0, 4096);
  if (/^# Generated by ip6tables-save/m.test(head)) return 'ipv6';
  if (/^# Generated by iptables-save/m.test(head)) return 'ipv4';
  const sample = text.length > 200_000 ? text.slice(0, 200_000) : text;
  const v6 = (sample.match(/(?:^|\s)-[sd]\s+!?\s*[0-9a-fA-F]*:[0-9a-fA-F:.]*(?:\/\d+)?|icmpv6|ipv6-icmp|icmp6|--reject-with icmp6/g) ?? []).length;
  const v4 = (sample.match(/(?:^|\s)-[sd]\s+!?\s*\d+\.\d+\.\d+\.\d+|-p icmp\b|--reject-with icmp-|--icmp-type/g) ?? []).length;
  return v6 > v4 ? 'ipv6' : 'ipv4';
}

/** Parses a single command line (text without its line ending) at offset `base`. */
export function parseRuleLine(text: string, base: number, index: number): { line: RuleLine; problems: SyntaxProblem[] } {
  const problems: SyntaxProblem[] = [];
  let offset = 0;
  let counters: Counters | undefined;
  if (text.startsWith('[')) {
    const r = readBracketCounters(text, base);
    if (r.problem) problems.push(r.problem);
    counters = r.counters;
    offset = r.rest;
  }
  let words = splitWords(text.slice(offset), base + offset);
  const hash = words.findIndex((w) => !w.quoted && w.text.startsWith('#'));
  if (hash !== -1) {
    const from = words[hash] as Word;
    problems.push({ span: { start: from.span.start, end: base + text.length }, message: 'a comment must be on a line of its own, starting in column 1: iptables-restore reads "#" here as an argument ("Bad argument")' });
    words = words.slice(0, hash);
  }
  const { args, leading, strayNegations, misplaced } = groupArgs(words);
  for (const m of misplaced) {
    const a = args[m.arg];
    const fixes = a ? [{
      title: `Move "!" before ${a.name.text}`,
      edits: [{ span: { start: a.name.span.start, end: a.name.span.start }, newText: '! ' }, { span: { start: m.span.start, end: Math.min(m.span.end + 1, a.values[0]?.span.start ?? m.span.end) }, newText: '' }],
      preferred: true,
    }] : [];
    problems.push({ span: m.span, message: `"${a?.name.text ?? ''} ! value" is the old placement of "!", which iptables no longer accepts: write "! ${a?.name.text ?? '-x'} value"`, fixes });
  }
  for (const s of strayNegations) problems.push({ span: s, message: '"!" must be followed by the option it negates (and only one "!" is allowed)' });
  for (const w of words) {
    if (w.unterminatedQuote) problems.push({ span: w.span, message: 'unterminated quote: the value runs to the end of the line', severity: 'warning' });
  }
  let command: Arg | undefined;
  let commandKind: CommandKind | undefined;
  for (const a of args) {
    const c = findCommand(a.name.text, command !== undefined);
    if (!c) continue;
    if (command) {
      problems.push({ span: a.name.span, message: `only one command per line: "${command.name.text}" is already given` });
      continue;
    }
    command = a;
    commandKind = c.kind;
  }
  const chain = command?.values[0];
  const line: RuleLine = {
    kind: 'rule', index, span: { start: base, end: base + text.length }, words, args, leading, strayNegations,
    ...(counters ? { counters } : {}),
    ...(command ? { command } : {}),
    ...(commandKind ? { commandKind } : {}),
    ...(chain ? { chain } : {}),
  };
  return { line, problems };
}

/**
 * Whether iptables-restore refuses a line once "\r" sticks to its last word: always for `*table`,
 * COMMIT and a chain line without counters, and for a rule whose last word is a target, a chain,
 * an option or a keyword value. A "\r" after free text (an interface or comment) or counters is
 * accepted, but becomes part of that value.
 */
function crBreaksLine(line: string): boolean {
  if (line.length === 0 || line.startsWith('#')) return false;
  if (line.startsWith('*') || line.trim() === 'COMMIT') return true;
  const words = line.trim().split(/[ \t]+/);
  const last = words[words.length - 1] ?? '';
  if (line.startsWith(':')) return !/^\[.*\]$/.test(last);
  const before = words[words.length - 2] ?? '';
  if (last.startsWith('-') || last.endsWith('"')) return last.startsWith('-');
  return !['-i', '-o', '--in-interface', '--out-interface', '--comment', '--log-prefix', '--nflog-prefix', '-c', '--set-counters'].includes(before) && !/^\[.*\]$/.test(last);
}

/** Parses a whole document. */
export function parseIptables(text: string, options: ParseOptions = {}): IptablesDocument {
  const family = options.family ?? detectFamily(text, options.fileName);
  const lineStarts = computeLineStarts(text);
  const lines: Line[] = [];
  const tables: TableBlock[] = [];
  const problems: SyntaxProblem[] = [];
  let current: TableBlock | undefined;
  let crlfLines = 0;
  let crlfBreaks = false; // a "\r" the tools refuse (it ends a table name, COMMIT, a policy, a target ...)
  const crEdits: Array<{ span: Span; newText: string }> = [];
  let firstCr: Span | undefined;

  for (let index = 0; index < lineStarts.length; index++) {
    const start = lineStarts[index] as number;
    const next = lineStarts[index + 1];
    let end = next === undefined ? text.length : next - 1; // excludes the \n
    const hasNewline = next !== undefined;
    if (!hasNewline && start === end) break; // nothing after the final newline
    let raw = text.slice(start, end);
    const nul = raw.indexOf('\0');
    if (nul !== -1) {
      problems.push({ span: { start: start + nul, end: start + nul + 1 }, message: 'NUL byte: iptables-restore stops reading the line here' });
      raw = raw.slice(0, nul);
      end = start + nul;
    }
    if (raw.endsWith('\r')) {
      crlfLines++;
      if (!crlfBreaks && crBreaksLine(raw.slice(0, -1))) crlfBreaks = true;
      firstCr ??= { start: end - 1, end };
      crEdits.push({ span: { start: end - 1, end }, newText: '' });
      raw = raw.slice(0, -1);
      end -= 1;
    }
    const span: Span = { start, end };

    if (raw.length === 0) {
      lines.push({ kind: 'blank', index, span });
      continue;
    }
    if (raw.startsWith('#')) {
      lines.push({ kind: 'comment', index, span, text: raw });
      continue;
    }
    if (raw.startsWith('*')) {
      const nameWords = splitWords(raw.slice(1), start + 1);
      const name: Word = nameWords[0] ?? { text: '', span: { start: start + 1, end: start + 1 }, quoted: false };
      const tl: TableLine = { kind: 'table', index, span, name };
      lines.push(tl);
      if (current && !current.commit) {
        problems.push({ span: { start, end }, message: `table "${current.name}" (line ${current.header.index + 1}) is not closed: add COMMIT before this line`, fixes: [{ title: 'Insert COMMIT', edits: [{ span: { start, end: start }, newText: 'COMMIT\n' }], preferred: true }] });
      }
      if (name.text === '') problems.push({ span, message: 'missing table name after "*": expected filter, nat, mangle, raw or security' });
      current = { header: tl, name: name.text, chainLines: [], rules: [] };
      tables.push(current);
      continue;
    }
    if (raw !== 'COMMIT' && raw.trim() === 'COMMIT') {
      // iptables-restore compares the whole line with "COMMIT": blanks around it make it a (bad) rule line.
      problems.push({ span, message: 'blanks around COMMIT: iptables-restore only recognises a line that is exactly "COMMIT"', fixes: [{ title: 'Remove the blanks', edits: [{ span, newText: 'COMMIT' }], preferred: true }] });
    }
    if (raw.trim() === 'COMMIT') {
      const cl = { kind: 'commit' as const, index, span };
      lines.push(cl);
      if (!current || current.commit) problems.push({ span, message: 'COMMIT without a table: add a "*table" line before the rules' });
      else {
        current.commit = cl;
        if (!hasNewline) problems.push({ span, message: 'the file ends without a newline after COMMIT: iptables-legacy-restore refuses the last line', fixes: [{ title: 'Add the final newline', edits: [{ span: { start: end, end }, newText: '\n' }], preferred: true }] });
      }
      continue;
    }
    if (raw.startsWith(':')) {
      const words = splitWords(raw.slice(1), start + 1);
      const name = words[0] && raw[1] !== ' ' && raw[1] !== '\t' ? words[0] : undefined;
      const rest = name ? words.slice(1) : words;
      const policy = rest[0];
      let counters: Counters | undefined;
      const third = rest[1];
      if (third && third.text.startsWith('[') && third.text.endsWith(']')) {
        const inner = third.text.slice(1, -1);
        const colon = inner.indexOf(':');
        counters = { span: third.span, packets: colon === -1 ? inner : inner.slice(0, colon), bytes: colon === -1 ? '' : inner.slice(colon + 1) };
      }
      const chainLine: ChainLine = {
        kind: 'chain', index, span,
        name: name ?? { text: '', span: { start: start + 1, end: start + 1 }, quoted: false },
        ...(policy ? { policy } : {}),
        ...(counters ? { counters } : {}),
        extra: rest.slice(counters ? 2 : 1),
      };
      lines.push(chainLine);
      if (!name) problems.push({ span, message: 'missing chain name after ":": expected ":NAME POLICY [packets:bytes]"' });
      else if (!policy) problems.push({ span, message: `missing policy for chain "${name.text}": expected ACCEPT or DROP for a built-in chain, "-" for a user chain` });
      if (!current || current.commit) problems.push({ span, message: 'chain declaration outside a table: add a "*table" line before it' });
      else current.chainLines.push(chainLine);
      continue;
    }
    const { line, problems: lineProblems } = parseRuleLine(raw, start, index);
    lines.push(line);
    problems.push(...lineProblems);
    if (line.args.length === 0 && line.leading.length === 0) {
      problems.push({ span, message: 'a line of only spaces: iptables-restore says "no command specified"; delete the spaces' });
      continue;
    }
    if (!current || current.commit) {
      problems.push({ span, message: current ? `rule after COMMIT of table "${current.name}": start a new "*table" block` : 'rule outside a table: add a "*table" line (e.g. *filter) before it' });
      continue;
    }
    current.rules.push(line);
  }
  if (firstCr) {
    problems.push({ ...(crlfBreaks ? {} : { severity: 'warning' as const }), span: firstCr, message: `Windows line endings (CRLF) on ${crlfLines} line${crlfLines === 1 ? '' : 's'}: iptables-restore reads "\\r" as part of the last word${crlfBreaks ? ' and refuses the file' : ' (here it ends up inside a value such as an interface name)'}; save it with LF endings`, fixes: [{ title: 'Convert to LF line endings', edits: crEdits, preferred: true }] });
  }
  const last = tables[tables.length - 1];
  if (last && !last.commit) {
    const needsNewline = text.length > 0 && !text.endsWith('\n');
    problems.push({ span: last.header.span, message: `table "${last.name}" has no COMMIT: iptables-restore applies nothing from it; add COMMIT at the end`, fixes: [{ title: 'Add COMMIT at the end of the file', edits: [{ span: { start: text.length, end: text.length }, newText: `${needsNewline ? '\n' : ''}COMMIT\n` }], preferred: true }] });
  }
  return { text, family, lineStarts, lines, tables, problems };
}
