/**
 * A tolerant parser for iptables-save / iptables-restore input. It reads lines the way
 * iptables-restore 1.8.9 does (xtables-restore.c): `#` comments only in column 0, `*table`,
 * `:chain policy [p:b]`, `COMMIT` exactly, and command lines split into words by its own
 * quote-aware splitter. It never throws; what it cannot read becomes a `SyntaxProblem`.
 */
import { computeLineStarts } from '../core/span.js';
import type { Span } from '../core/span.js';
import type { Family } from './kb/types.js';
import { ParsedArg, ParsedWord, PartWord, UnterminatedWord } from './model.js';
import type {
  Arg, ChainLine, CommandKind, Counters, IptablesDocument, Line, RuleLine, SyntaxProblem, TableBlock, Word,
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
  const exact = COMMAND_SPELLINGS.get(name);
  if (exact || exactOnly || name.length <= 2 || name.charCodeAt(0) !== 45 || name.charCodeAt(1) !== 45) return exact;
  // `--new` is also how iptables spells --new-chain; getopt accepts unique prefixes.
  let hit: (typeof COMMANDS)[number] | undefined;
  for (const c of COMMANDS) {
    if (!c.long.startsWith(name)) continue;
    if (hit) return undefined;
    hit = c;
  }
  return hit;
}

/**
 * Commands that change nothing, which iptables-restore still runs on a line of its own: the
 * listings print the rules of the table as it is at that line and go on; the check refuses the file
 * when the chain has no rule like the one given. They have no place in a ruleset.
 */
export const QUERY_COMMANDS: ReadonlyArray<{ kind: 'list' | 'check'; short: string; long: string }> = [
  { kind: 'list', short: '-L', long: '--list' },
  { kind: 'list', short: '-S', long: '--list-rules' },
  { kind: 'check', short: '-C', long: '--check' },
];

/** The query command spelt `name` exactly (`-L`, `--list-rules`, `-C` ...), if it is one. */
export function queryCommandNamed(name: string): (typeof QUERY_COMMANDS)[number] | undefined {
  return QUERY_SPELLINGS.get(name);
}

const QUERY_SPELLINGS = new Map<string, (typeof QUERY_COMMANDS)[number]>();
for (const c of QUERY_COMMANDS) {
  QUERY_SPELLINGS.set(c.short, c);
  QUERY_SPELLINGS.set(c.long, c);
}

/**
 * The listing or check a rule line runs instead of a command (`-L INPUT -n`, `-n -L`,
 * `-C INPUT -j ACCEPT`), or together with -Z (`-Z -L` lists the rules and zeroes their counters,
 * the one pair of commands iptables takes on a line).
 */
export function queryCommandOf(line: RuleLine): { kind: 'list' | 'check'; arg: Arg } | undefined {
  if (line.command && line.commandKind !== 'zero') return undefined;
  const args = line.args;
  for (let k = 0; k < args.length; k++) {
    const arg = args[k] as Arg;
    const q = queryCommandNamed(arg.name.text);
    if (q && (!line.command || q.kind === 'list')) return { kind: q.kind, arg };
  }
  return undefined;
}

const COMMAND_SPELLINGS = new Map<string, (typeof COMMANDS)[number]>();
for (const c of COMMANDS) {
  COMMAND_SPELLINGS.set(c.short, c);
  COMMAND_SPELLINGS.set(c.long, c);
}

/**
 * Short words repeat all over a ruleset (`-A`, `-m`, `comment`, `tcp`, `ACCEPT` ...): the parser
 * reuses one string per spelling instead of allocating a copy per occurrence. The table is
 * direct-mapped (a new spelling replaces the old one in its slot) and holds only strings of up to
 * 12 characters, which V8 copies out of the text anyway (longer slices share the text and would keep
 * old document versions alive from here).
 */
const TOKEN_SLOTS = 4096;
const tokens: Array<string | undefined> = new Array<string | undefined>(TOKEN_SLOTS).fill(undefined);

export function token(src: string, from: number, to: number): string {
  const len = to - from;
  if (len > 12 || len === 0) return src.slice(from, to);
  const h = (len * 131 + src.charCodeAt(from) * 31 + src.charCodeAt(to - 1) * 7 + src.charCodeAt(from + (len >> 1))) & (TOKEN_SLOTS - 1);
  const known = tokens[h];
  if (known !== undefined && known.length === len && src.startsWith(known, from)) return known;
  const fresh = src.slice(from, to);
  tokens[h] = fresh;
  return fresh;
}

/** An ASCII letter or digit. */
function isAlphanumeric(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Whether the word `src[from, to)` has a backslash inside quotes before a letter or a digit
 * (`"C:\Windows"` is C:Windows to iptables-restore, as iptables-save shows).
 */
function droppedBackslash(src: string, from: number, to: number): boolean {
  let quoted = false;
  for (let i = from; i < to; i++) {
    const c = src.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 92 && quoted) {
      // Before a letter or digit the backslash was meant (`C:\Windows`, `\n`, `\x41`); before a
      // quote, a backslash, a blank or other punctuation it escapes as in a shell, and what is kept is
      // what was meant (`\"`, `\'`, `\ `).
      if (isAlphanumeric(src.charCodeAt(i + 1))) return true;
      i++;
    }
  }
  return false;
}

/**
 * Splits the text of a command line into words like iptables-restore's `add_param_to_argv`:
 * spaces and tabs separate words; a double quote starts a quoted part in which spaces are kept and a
 * backslash escapes the next character, which is kept alone (`\"` is a quote, `\\` a backslash,
 * `\W` a W); the closing quote ends the word. Outside quotes a backslash is an ordinary character.
 * Single quotes are ordinary characters.
 */
export function splitWords(text: string, base: number): Word[] {
  return wordsIn(text, 0, text.length, base);
}

/**
 * Options whose value is a chain name. Within one document the parser gives every spelling of a
 * chain name one string (`ChainNames`): a kube-proxy ruleset names each of its tens of thousands of
 * chains three or four times, and map lookups by name compare one pointer instead of the characters.
 */
const CHAIN_OPTIONS: ReadonlySet<string> = new Set(['-A', '--append', '-I', '--insert', '-D', '--delete', '-R', '--replace', '-N', '--new-chain', '-X', '--delete-chain', '-F', '--flush', '-Z', '--zero', '-P', '--policy', '-E', '--rename-chain', '-j', '--jump', '-g', '--goto']);

/** One string per chain name while a document is parsed (names up to 12 characters share `tokens`). */
export type ChainNames = Map<string, string>;

/** The one string of a chain name in a document (names up to 12 characters are shared by `token` already). */
export function sharedName(text: string, names: ChainNames): string {
  if (text.length <= 12) return text;
  const known = names.get(text);
  if (known !== undefined) return known;
  names.set(text, text);
  return text;
}

/**
 * `splitWords` over `src[from, to)`; a character at index i of `src` gets offset `i + shift`. With
 * `names`, the word after a chain option (and, with `firstIsName`, the first word) is a chain name.
 */
export function wordsIn(src: string, from: number, to: number, shift: number, names?: ChainNames, firstIsName = false): Word[] {
  const words: Word[] = [];
  let nameNext = firstIsName;
  let escapes: boolean | undefined; // the line holds a backslash (found out at its first quote)
  let i = from;
  while (i < to) {
    let c = src.charCodeAt(i);
    while (i < to && (c === 32 || c === 9)) c = src.charCodeAt(++i);
    if (i >= to) break;
    const start = i;
    // Fast path: a word without quotes is a slice of the line.
    while (i < to && c !== 32 && c !== 9 && c !== 34) c = src.charCodeAt(++i);
    if (i >= to || c !== 34) {
      let text = token(src, start, i);
      if (names !== undefined) {
        if (nameNext) text = sharedName(text, names);
        nameNext = text.charCodeAt(0) === 45 && text.length <= 15 && CHAIN_OPTIONS.has(text); // "-"; the longest is --rename-chain
      }
      words.push(new ParsedWord(text, shift + start, shift + i));
      continue;
    }
    nameNext = false;
    // A double quote: the part before it, then the quoted part, where a backslash escapes the next
    // character (and is dropped: `\"`, `\\`, also `\W`); the closing quote ends the word.
    let value = src.slice(start, i);
    i++;
    let closed = false;
    let chunk = i;
    // Most quoted parts (comments) have no backslash: find the closing quote without looking at escapes.
    if (escapes === undefined) {
      escapes = false;
      for (let k = from; k < to; k++) {
        if (src.charCodeAt(k) === 92) {
          escapes = true;
          break;
        }
      }
    }
    if (!escapes) {
      while (i < to && src.charCodeAt(i) !== 34) i++;
      closed = i < to;
    }
    while (!closed && i < to) {
      const q = src.charCodeAt(i);
      if (q === 92 && i + 1 < to) {
        value += src.slice(chunk, i) + src[i + 1];
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
    value += src.slice(chunk, i);
    if (closed) i++;
    words.push(closed ? new ParsedWord(value, shift + start, shift + i) : new UnterminatedWord(value, shift + start, shift + i));
  }
  // Cut to size: the array is kept in the rule line, and a pushed-to array keeps room for 17.
  return words.length < 17 ? words.slice() : words;
}

/** iptables-restore takes the quotes off a word before getopt sees it: `"-i"` is the option -i. */
function isOptionWord(w: Word): boolean {
  return w.text.length > 1 && w.text.startsWith('-');
}

const NONE: readonly never[] = Object.freeze([]);

/**
 * The short options of iptables' getopt string (xshared.h, 1.8.9): 1 takes an argument, 2 takes one
 * only when attached (`-LINPUT`; iptables itself looks at the next word for these), 0 takes none.
 */
const SHORT_OPTIONS: ReadonlyMap<string, 0 | 1 | 2> = new Map([
  ...[...'ACDEIMNPRcdgijmopst'].map((c) => [c, 1] as const),
  ...[...'FLSXZhwW'].map((c) => [c, 2] as const),
  ...[...'Vfnvx46'].map((c) => [c, 0] as const),
]);

/**
 * Options whose value iptables takes from the whole word (`argv[optind - 1]`) rather than from
 * getopt's argument: `-ieth0` is the interface "-ieth0" and `-ptcp` the protocol "-ptcp" (refused).
 */
const WHOLE_WORD_VALUE = new Set(['i', 'o', 'p', 's', 'd', 'j']);

/**
 * getopt's reading of a word of short options (`-vn`, `-AINPUT`, `-mtcp`): the options in it, each
 * with the value written against it, if any (the rest of the word). Undefined for a word that is
 * no such cluster, or that holds a letter iptables has no option for (it then stays one unknown
 * option).
 */
function shortOptionsIn(w: Word): Array<{ name: Word; value?: Word }> | undefined {
  const text = w.text;
  if (text.length < 3 || text.charCodeAt(1) === 45) return undefined; // "--name"
  const q = textOffset(w);
  if (q === undefined) return undefined;
  const parts: Array<{ name: Word; value?: Word }> = [];
  for (let k = 1; k < text.length; k++) {
    const c = text[k] as string;
    const kind = SHORT_OPTIONS.get(c);
    if (kind === undefined) return undefined;
    const name = new PartWord(`-${c}`, w, q + k - 1);
    if (kind === 0 || k === text.length - 1) {
      parts.push({ name });
      continue;
    }
    parts.push({ name, value: WHOLE_WORD_VALUE.has(c) ? new PartWord(text, w, q) : new PartWord(text.slice(k + 1), w, q + k + 1) });
    break;
  }
  return parts;
}

/**
 * Where a word's text starts in it: 0, or 1 for a word quoted whole (`"-vn"`); undefined for a word
 * quoted in part, whose characters do not line up with its text.
 */
function textOffset(w: Word): number | undefined {
  const size = w.span.end - w.span.start;
  return size === w.text.length ? 0 : size === w.text.length + 2 ? 1 : undefined;
}

/**
 * A command's long form with its value after "=" (`--append=INPUT`, `--list=INPUT`): getopt splits
 * these, and the commands take their value from getopt. Undefined for any other word (iptables' own
 * options such as `--jump=ACCEPT` are not split: see the syntax check).
 */
function commandWithValue(w: Word): Array<{ name: Word; value?: Word }> | undefined {
  const text = w.text;
  const eq = text.indexOf('=');
  if (eq < 3 || text.charCodeAt(1) !== 45) return undefined;
  const name = text.slice(0, eq);
  if (!findCommand(name) && !queryCommandNamed(name)) return undefined;
  const q = textOffset(w);
  if (q === undefined) return undefined;
  return [{ name: new PartWord(name, w, q), value: new PartWord(text.slice(eq + 1), w, q + eq + 1) }];
}

/**
 * The options of a cluster of short options written as one option (`-vn`, with its values), or
 * undefined when the option is no such cluster.
 */
export function shortOptionArgs(arg: Arg): Arg[] | undefined {
  const parts = shortOptionsIn(arg.name);
  if (parts === undefined) return undefined;
  return parts.map((part, k) => {
    const values = part.value ? [part.value] : NONE;
    const last = k === parts.length - 1;
    return new ParsedArg(part.name, k === 0 ? arg.negation : undefined, last ? (values.length > 0 ? [...values, ...arg.values] : arg.values) : values);
  });
}

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
  let attached: Word | undefined; // the value written against the current option (`-AINPUT`)
  let first = 0; // index of the first value of the current option
  let misplacedAt = -1; // the option (by index in args) whose values hold a misplaced "!"
  const n = words.length;
  const finish = (endIndex: number): void => {
    if (!name) {
      // Words before the first option. After a "!" taken as a value (below), words up to the next
      // option follow a stray "!" that is reported already.
      if (endIndex > first && args.length === 0) leading = words.slice(first, endIndex);
      return;
    }
    let values: readonly Word[] = endIndex > first ? words.slice(first, endIndex) : NONE;
    // A "!" among the values is either misplaced or stray; both are reported on their own.
    if (misplacedAt === args.length || (strayNegations !== undefined && values.some((w) => w.text === '!'))) values = values.filter((w) => w.text !== '!');
    if (attached) values = [attached, ...values];
    args.push(new ParsedArg(name, negation, values));
  };
  for (let i = 0; i < n; i++) {
    const w = words[i] as Word;
    // iptables-restore takes the quotes off first: `"!"` is a "!" as much as `!` is. Whether a "!"
    // after an option without values is that option's value (`--comment ! -j ACCEPT`) is for the
    // resolver to say: only it knows which options need an argument.
    if (w.text === '!') {
      if (pendingNeg && name && !attached && first === i - 1 && !findCommand(name.text)) {
        // `-i ! ! -s x`: the first "!" can only be the option's value (getopt gives it to -i); if
        // the option takes none, the resolver leaves it over and the syntax check reports it.
        args.push(new ParsedArg(name, negation, [words[i - 1] as Word]));
        name = undefined;
        negation = undefined;
        first = i + 1;
      } else if (pendingNeg) (strayNegations ??= []).push(pendingNeg);
      pendingNeg = w.span;
      continue;
    }
    if (isOptionWord(w)) {
      // A cluster of short options (`-vn`, `-AINPUT`) and a command with its value after "="
      // (`--append=INPUT`) are read as getopt reads them, unless they follow an
      // option without values: it may be that option's argument then (`--comment -vn`), which only
      // the resolver can tell.
      const parts = name === undefined || attached !== undefined || first < i ? shortOptionsIn(w) ?? commandWithValue(w) : undefined;
      finish(pendingNeg ? i - 1 : i);
      negation = pendingNeg;
      pendingNeg = undefined;
      first = i + 1;
      if (parts === undefined) {
        name = w;
        attached = undefined;
        continue;
      }
      for (let p = 0; p < parts.length - 1; p++) {
        const part = parts[p] as { name: Word; value?: Word };
        args.push(new ParsedArg(part.name, negation, part.value ? [part.value] : NONE));
        negation = undefined;
      }
      const last = parts[parts.length - 1] as { name: Word; value?: Word };
      name = last.name;
      attached = last.value;
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
  if (pendingNeg && name && !attached && first === n - 1 && !findCommand(name.text)) {
    // A "!" that ends the line right after an option: getopt gives it to an option that needs an
    // argument (`--comment !`); after any other option it negates nothing, which the syntax check
    // reports from the resolved rule (the option's stray value "!").
    args.push(new ParsedArg(name, negation, [words[n - 1] as Word]));
    pendingNeg = undefined;
  } else finish(pendingNeg ? n - 1 : n);
  if (pendingNeg) (strayNegations ??= []).push(pendingNeg);
  return { args: args.slice(), leading, strayNegations: strayNegations ?? NONE, misplaced: misplaced ?? NONE };
}

/**
 * Reads `[packets:bytes]` at `src[from]` (offsets shifted by `shift`); returns it, where the rest
 * starts and where iptables-restore sees that rest end. It splits the counter with strtok: the
 * packets end at the first ":" after the "[" and the bytes at the next "]", wherever those are on
 * the line, and each is overwritten with the end of the string. So `[1]` and `[:1]` are refused
 * ("need ]") unless a ":" follows further on, and then the line is cut there:
 * `[1] -A INPUT -p tcp --dport 1:2 -j ACCEPT` loads as `-A INPUT -p tcp --dport 1`.
 */
function readBracketCounters(src: string, from: number, to: number, shift: number): { counters?: Counters; rest: number; end: number; problems?: SyntaxProblem[] } {
  const close = src.indexOf(']', from);
  if (close === -1 || close >= to) return { rest: to, end: to, problems: [{ span: { start: shift + from, end: shift + to }, message: 'counter "[" is never closed: expected [packets:bytes]' }] };
  const inner = src.slice(from + 1, close);
  const split = inner.indexOf(':');
  const counters = { span: { start: shift + from, end: shift + close + 1 }, packets: split === -1 ? inner : inner.slice(0, split), bytes: split === -1 ? '' : inner.slice(split + 1) };
  // strtok(line + 1, ":"): leading ":" are skipped, the packets end at the next ":".
  let p = from + 1;
  while (p < to && src.charCodeAt(p) === 58) p++;
  const colon = src.indexOf(':', p);
  // strtok(NULL, "]"): leading "]" are skipped, the bytes end at the next "]" (or the line's end).
  let b = colon === -1 || colon >= to ? to : colon + 1;
  while (b < to && src.charCodeAt(b) === 93) b++;
  if (b >= to) {
    return { counters, rest: close + 1, end: to, problems: [{ span: copySpan(counters.span), message: 'iptables-restore refuses this counter ("need ]"): write [packets:bytes], e.g. [0:0]' }] };
  }
  let bracket = src.indexOf(']', b);
  if (bracket === -1 || bracket >= to) bracket = to;
  // What iptables-restore overwrote after the "]" ends the line for it.
  const cut = Math.min(colon > close ? colon : to, bracket > close ? bracket : to);
  if (cut >= to) return { counters, rest: close + 1, end: to };
  return {
    counters, rest: close + 1, end: cut,
    problems: [{ span: { start: shift + cut, end: shift + to }, severity: 'warning', message: `iptables-restore never reads this: the counter ${src.slice(from, close + 1)} is not [packets:bytes], and reading it ends the line at the "${src[cut] ?? ''}" here (write the counter as [0:0])` }],
  };
}

export interface ParseOptions {
  readonly family?: Family;
  /** File name or URI, used to tell IPv6 rulesets apart (`ip6tables`, `rules.v6`). */
  readonly fileName?: string;
}

/** Decides the family: explicit, else the file name, else the content (IPv6 addresses, icmpv6, ip6tables-save header). */
export function detectFamily(text: string, fileName?: string): Family {
  return familyOf(text, fileName).family;
}

/** What told `detectFamily` the family: the file's name, the header iptables-save writes, or the addresses and protocols in it. */
export type FamilyEvidence = 'name' | 'header' | 'content';

/** `detectFamily`, with what decided it (the editor shows it). */
export function familyOf(text: string, fileName?: string): { family: Family; evidence: FamilyEvidence } {
  const base = fileName?.replace(/^.*[\\/]/, '') ?? '';
  // ip6tables anywhere in the name (ip6tables, ip6tables.rules, saved-ip6tables), iptables-persistent's
  // rules.v6, ufw's before6/after6/user6.rules; not any name with a 6 before ".rules" (fw-2016.rules).
  if (/ip6tables|^rules\.v6$|^(before|after|user)6\.rules$/i.test(base)) return { family: 'ipv6', evidence: 'name' };
  // The IPv4 names of iptables-persistent, RHEL's iptables service and ufw: an IPv4-mapped address
  // (`-s ::ffff:1.2.3.4`, which iptables reads as 1.2.3.4) must not make such a file IPv6.
  if (/^(iptables|rules\.v4|iptables\.rules|before\.rules|after\.rules|user\.rules)$|\.iptables$/i.test(base)) return { family: 'ipv4', evidence: 'name' };
  const head = text.slice(0, 4096);
  // iptables 1.8.10 and later name the backend: `# Generated by ip6tables-nft-save v1.8.10 (nf_tables)`.
  if (/^# Generated by ip6tables(-nft|-legacy)?-save/m.test(head)) return { family: 'ipv6', evidence: 'header' };
  if (/^# Generated by (iptables|xtables)(-nft|-legacy)?-save/m.test(head)) return { family: 'ipv4', evidence: 'header' };
  const sample = text.length > 200_000 ? text.slice(0, 200_000) : text;
  const v6 = (sample.match(/(?:^|\s)-[sd]\s+!?\s*[0-9a-fA-F]*:[0-9a-fA-F:.]*(?:\/\d+)?|icmpv6|ipv6-icmp|icmp6|--reject-with icmp6/g) ?? []).length;
  const v4 = (sample.match(/(?:^|\s)-[sd]\s+!?\s*\d+\.\d+\.\d+\.\d+|-p icmp\b|--reject-with icmp-|--icmp-type/g) ?? []).length;
  return { family: v6 > v4 ? 'ipv6' : 'ipv4', evidence: 'content' };
}

/** Parses a single command line (text without its line ending) at offset `base`. */
export function parseRuleLine(text: string, base: number, index: number): { line: RuleLine; problems: SyntaxProblem[] } {
  return parseRuleRange(text, 0, text.length, base, index);
}

/** What iptables says of `! !`, in our words. */
export const DOUBLE_NEGATION = 'two "!" in a row: iptables refuses them ("multiple consecutive ! not allowed"); one "!" before an option negates it';

/** Whether the next word of `src` after `at` on the same line (and before `to`) is a "!" (or a quoted one). */
export function negationFollows(src: string, at: number, to: number): boolean {
  let i = at;
  while (i < to && (src.charCodeAt(i) === 32 || src.charCodeAt(i) === 9)) i++;
  if (i === at) return false;
  const word = src.startsWith('"!"', i) ? 3 : src.charCodeAt(i) === 33 ? 1 : 0; // "!"
  if (word === 0) return false;
  const after = i + word;
  const c = src.charCodeAt(after);
  return after >= to || c === 32 || c === 9 || c === 10 || c === 13;
}

/** A span of its own (problems are moved apart from the words they point at). */
function copySpan(s: Span): Span {
  return { start: s.start, end: s.end };
}

const NO_PROBLEMS: readonly SyntaxProblem[] = Object.freeze([]);

/** `parseRuleLine` over `src[from, to)`; a character at index i of `src` gets offset `i + shift`. */
function parseRuleRange(src: string, from: number, to: number, shift: number, index: number, names?: ChainNames): { line: RuleLine; problems: SyntaxProblem[] } {
  let problems: SyntaxProblem[] | undefined;
  let offset = from;
  let counters: Counters | undefined;
  if (src.charCodeAt(from) === 91) { // "["
    const r = readBracketCounters(src, from, to, shift);
    if (r.problems) (problems ??= []).push(...r.problems);
    counters = r.counters;
    offset = r.rest;
    to = r.end;
  }
  let words = wordsIn(src, offset, to, shift, names);
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as Word;
    if (w.text.charCodeAt(0) !== 35 || w.quoted) continue; // "#"
    (problems ??= []).push({ span: { start: w.span.start, end: shift + to }, message: 'a comment must be on a line of its own, starting in column 1: iptables-restore reads "#" here as an argument ("Bad argument")' });
    words = words.slice(0, i);
    break;
  }
  if (words.length > MAX_RULE_WORDS) {
    const last = words[words.length - 1] as Word;
    (problems ??= []).push({ span: { start: (words[MAX_RULE_WORDS] as Word).span.start, end: last.span.end }, message: `iptables-restore hands at most ${MAX_RULE_WORDS} words of a line to its parser and refuses more ("Parser cannot handle more arguments"): this line has ${words.length}; split the rule` });
  }
  const { args, leading, strayNegations, misplaced } = groupArgs(words);
  for (let k = 0; k < misplaced.length; k++) {
    const m = misplaced[k] as { arg: number; span: Span };
    const a = args[m.arg];
    const fixes = a ? [{
      title: `Move "!" before ${a.name.text}`,
      edits: [{ span: { start: a.name.span.start, end: a.name.span.start }, newText: '! ' }, { span: { start: m.span.start, end: Math.min(m.span.end + 1, a.values[0]?.span.start ?? m.span.end) }, newText: '' }],
      preferred: true,
    }] : [];
    (problems ??= []).push({ span: copySpan(m.span), message: `"${a?.name.text ?? ''} ! value" is the old placement of "!", which iptables no longer accepts: write "! ${a?.name.text ?? '-x'} value"`, fixes });
  }
  for (let k = 0; k < strayNegations.length; k++) {
    const span = strayNegations[k] as Span;
    (problems ??= []).push({ span: copySpan(span), message: negationFollows(src, span.end - shift, to) ? DOUBLE_NEGATION : '"!" must be followed by the option it negates' });
  }
  for (let k = 0; k < words.length; k++) {
    const w = words[k] as Word;
    if (w.unterminatedQuote) (problems ??= []).push({ span: copySpan(w.span), message: 'unterminated quote: the value runs to the end of the line', severity: 'warning' });
    // Only a word that lost more than its two quotes had an escape in it (most quoted words, comments, had none).
    else if (w.span.end - w.span.start - w.text.length > 2 && droppedBackslash(src, w.span.start - shift, w.span.end - shift)) {
      (problems ??= []).push({
        span: copySpan(w.span),
        message: `inside quotes a backslash escapes the next character and is dropped: iptables reads "${w.text}"; write \\\\ for a backslash`,
        severity: 'warning',
      });
    }
  }
  let command: Arg | undefined;
  let commandKind: CommandKind | undefined;
  for (let k = 0; k < args.length; k++) {
    const a = args[k] as Arg;
    const c = findCommand(a.name.text, command !== undefined);
    if (!c) continue;
    if (command) {
      (problems ??= []).push({ span: copySpan(a.name.span), message: `only one command per line: "${command.name.text}" is already given` });
      continue;
    }
    command = a;
    commandKind = c.kind;
  }
  // A listing or check with another command, or two of them, is refused ("Cannot use -S with -L");
  // -Z with -L or -S is the one pair iptables takes (see queryCommandOf).
  let query: Arg | undefined;
  for (let k = 0; k < args.length; k++) {
    const a = args[k] as Arg;
    const q = queryCommandNamed(a.name.text);
    if (!q) continue;
    const other = query ?? command;
    if (other === undefined || (query === undefined && commandKind === 'zero' && q.kind === 'list')) {
      query = a;
      continue;
    }
    const [earlier, later] = other.name.span.start < a.name.span.start ? [other.name.text, a.name.text] : [a.name.text, other.name.text];
    (problems ??= []).push({ span: copySpan(a.name.span), message: `only one command per line: iptables refuses ${later} together with ${earlier} ("Cannot use ${later} with ${earlier}")` });
    query ??= a;
  }
  // Every field is always present (undefined when absent): one object shape for every rule line.
  const line: RuleLine = {
    kind: 'rule', index, span: { start: shift + from, end: shift + to }, counters, words, args, leading, strayNegations, command, commandKind, chain: command?.values[0],
  };
  return { line, problems: problems ?? (NO_PROBLEMS as SyntaxProblem[]) };
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

/** One line as the parser read it, before the lines are assembled into tables. */
export interface ParsedLine {
  readonly line: Line;
  /** Problems of this line alone (a NUL byte, a malformed command line). */
  readonly problems: readonly SyntaxProblem[];
  /** 0: no "\r" at the end; 1: a "\r" the tools accept (it ends up in a value); 2: one they refuse. */
  readonly cr: 0 | 1 | 2;
}

/**
 * Parses the line `src[start, end)` (without its "\n"); a character at index i of `src` gets offset
 * `i + shift`. `nul` says whether the text may hold a NUL byte at all (most never do, and looking for
 * one in every line would cost a scan). What the line means in its table is decided later, by
 * `assembleDocument`.
 */
export function parseLine(src: string, start: number, end: number, shift: number, index: number, nul = true, names?: ChainNames): ParsedLine {
  let problems: readonly SyntaxProblem[] = NO_PROBLEMS;
  // A character is at most 3 bytes in UTF-8 (a surrogate pair is 4 for 2), so shorter lines fit.
  if ((end - start) * 3 > LINE_BUFFER_BYTES) {
    const cut = bufferCut(src, start, end);
    if (cut < end) {
      // The rest loads only as a command line of its own (`-A INPUT -j DROP`); anything else is refused.
      const command = findCommand(/^[ \t]*(\S*)/.exec(src.slice(cut, end))?.[1] ?? '') !== undefined;
      problems = [{
        span: { start: shift + cut, end: shift + end },
        message: `iptables-restore reads a line ${LINE_BUFFER_BYTES} bytes at a time: this line is longer, so it reads the rest from here as a line of its own${command ? ' (another command, which kvmnet does not check)' : ', which it refuses'}; split the rule, or shorten it`,
        ...(command ? { severity: 'warning' as const } : {}),
      }];
      // The line itself ends where the tool's first read ends.
      end = cut;
    }
  }
  if (nul) {
    const at = src.slice(start, end).indexOf('\0');
    if (at !== -1) {
      problems = [...problems, { span: { start: shift + start + at, end: shift + start + at + 1 }, message: 'NUL byte: iptables-restore stops reading the line here' }];
      end = start + at;
    }
  }
  let cr: 0 | 1 | 2 = 0;
  if (end > start && src.charCodeAt(end - 1) === 13) {
    end -= 1;
    cr = crBreaksLine(src.slice(start, end)) ? 2 : 1;
  }
  const span: Span = { start: shift + start, end: shift + end };
  const first = end > start ? src.charCodeAt(start) : -1;
  let line: Line;
  if (first === -1) line = { kind: 'blank', index, span };
  else if (first === 35) line = { kind: 'comment', index, span, text: src.slice(start, end) }; // "#"
  else if (first === 42) { // "*"
    const name = wordsIn(src, start + 1, end, shift)[0] ?? new ParsedWord('', shift + start + 1, shift + start + 1);
    line = { kind: 'table', index, span, name };
  } else if (first !== 45 && first !== 91 && src.slice(start, end).trim() === 'COMMIT') { // not "-" or "["
    line = { kind: 'commit', index, span };
  } else if (first === 58) { // ":"
    // iptables-restore reads the chain line with strtok, which skips blanks: `: INPUT DROP` is `:INPUT DROP`.
    const words = wordsIn(src, start + 1, end, shift, names, true);
    const name = words[0];
    const rest = name ? words.slice(1) : words;
    const policy = rest[0];
    let counters: Counters | undefined;
    const third = rest[1];
    if (third && third.text.startsWith('[') && third.text.endsWith(']')) {
      const inner = third.text.slice(1, -1);
      const colon = inner.indexOf(':');
      counters = { span: third.span, packets: colon === -1 ? inner : inner.slice(0, colon), bytes: colon === -1 ? '' : inner.slice(colon + 1) };
    }
    line = {
      kind: 'chain', index, span,
      name: name ?? new ParsedWord('', shift + start + 1, shift + start + 1),
      ...(policy ? { policy } : {}),
      ...(counters ? { counters } : {}),
      extra: rest.length > (counters ? 2 : 1) ? rest.slice(counters ? 2 : 1) : (NONE as never[]),
    };
  } else {
    const parsed = parseRuleRange(src, start, end, shift, index, names);
    line = parsed.line;
    if (parsed.problems.length > 0) problems = problems.length > 0 ? [...problems, ...parsed.problems] : parsed.problems;
  }
  return { line, problems, cr };
}

/**
 * iptables-restore builds an argument vector of at most 255 entries for each command line (MAX_ARGC
 * in xshared.c), of which the program name, `-t` and the table take three and the last must stay
 * free: 251 words of the line.
 */
const MAX_RULE_WORDS = 251;

/** iptables-restore reads its input with fgets into a buffer of 10,240 bytes: 10,239 per read. */
const LINE_BUFFER_BYTES = 10_239;

/** Where in `src[start, end)` the first LINE_BUFFER_BYTES bytes of UTF-8 end (`end` when the line fits). */
function bufferCut(src: string, start: number, end: number): number {
  let bytes = 0;
  for (let i = start; i < end; i++) {
    const c = src.charCodeAt(i);
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? 4 : c >= 0xdc00 && c < 0xe000 ? 0 : 3;
    if (bytes + size > LINE_BUFFER_BYTES) return i;
    bytes += size;
  }
  return end;
}

/** Whether a chain line lacks its name (the parser then gives it an empty placeholder word). */
function chainNameMissing(line: ChainLine): boolean {
  return line.name.text === '' && line.name.span.start === line.name.span.end;
}

/** The span of the "\r" after a line that had one (line spans leave it out). */
/**
 * Where a line's trailing "\r" is reported: its last word with the "\r", which iptables-restore reads
 * as part of that word (an editor cannot show the "\r" alone: for LSP, "\r\n" is one line break).
 */
function crSpan(text: string, line: Line): Span {
  let start = line.span.end;
  while (start > line.span.start) {
    const c = text.charCodeAt(start - 1);
    if (c === 32 || c === 9) break;
    start--;
  }
  return { start, end: line.span.end + 1 };
}

/**
 * A line's trailing "\r" as an LF line end: "\r\n" becomes "\n" (one line break for LSP, so one edit
 * across it), and a "\r" that ends the file becomes "\n" too.
 */
function crEdit(text: string, line: Line): { span: Span; newText: string } {
  const cr = line.span.end;
  return { span: { start: cr, end: text.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1 }, newText: '\n' };
}

/**
 * Builds the document from its parsed lines: table blocks, and the problems that depend on where
 * a line stands (outside a table, a table without COMMIT, Windows line endings ...). `problems[i]`
 * and `cr[i]` are what `parseLine` said about `lines[i]`.
 */
export function assembleDocument(
  text: string, family: Family, lineStarts: readonly number[], lines: readonly Line[],
  lineProblems: ReadonlyArray<readonly SyntaxProblem[] | undefined>, cr: ArrayLike<number>,
): IptablesDocument {
  const tables: TableBlock[] = [];
  const problems: SyntaxProblem[] = [];
  let current: TableBlock | undefined;
  let crlfLines = 0;
  let crlfBreaks = false; // a "\r" the tools refuse (it ends a table name, COMMIT, a policy, a target ...)
  let firstCr: Span | undefined;
  const lastIndex = lineStarts.length - 1;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as Line;
    const own = lineProblems[index];
    if (own !== undefined) for (const p of own) problems.push(p);
    const flag = cr[index] ?? 0;
    if (flag !== 0) {
      crlfLines++;
      // The finding sits where the "\r" makes the tools fail (a comment line's "\r" harms nothing).
      if (flag === 2 && !crlfBreaks) firstCr = crSpan(text, line);
      if (flag === 2) crlfBreaks = true;
      firstCr ??= crSpan(text, line);
    }
    const span: Span = { start: line.span.start, end: line.span.end };
    const start = span.start;
    switch (line.kind) {
      case 'table': {
        if (current && !current.commit) {
          problems.push({ span: { start, end: span.end }, message: `table "${current.name}" (line ${current.header.index + 1}) is not closed: add COMMIT before this line`, fixes: [{ title: 'Insert COMMIT', edits: [{ span: { start, end: start }, newText: 'COMMIT\n' }], preferred: true }] });
        }
        if (line.name.text === '') problems.push({ span, message: 'missing table name after "*": expected filter, nat, mangle, raw or security' });
        current = { header: line, name: line.name.text, chainLines: [], rules: [] };
        tables.push(current);
        break;
      }
      case 'commit': {
        if (span.end - span.start !== 6) {
          // iptables-restore compares the whole line with "COMMIT": blanks around it make it a (bad) rule line.
          problems.push({ span, message: 'blanks around COMMIT: iptables-restore only recognises a line that is exactly "COMMIT"', fixes: [{ title: 'Remove the blanks', edits: [{ span: { start, end: span.end }, newText: 'COMMIT' }], preferred: true }] });
        }
        if (!current || current.commit) problems.push({ span: { start, end: span.end }, message: 'COMMIT without a table: add a "*table" line before the rules' });
        else {
          current.commit = line;
          if (index === lastIndex) problems.push({ span: { start, end: span.end }, message: 'the file ends without a newline after COMMIT: iptables-legacy-restore refuses the last line', fixes: [{ title: 'Add the final newline', edits: [{ span: { start: span.end, end: span.end }, newText: '\n' }], preferred: true }] });
        }
        break;
      }
      case 'chain': {
        if (chainNameMissing(line)) problems.push({ span, message: 'missing chain name after ":": expected ":NAME POLICY [packets:bytes]"' });
        else if (!line.policy) problems.push({ span, message: `missing policy for chain "${line.name.text}": expected ACCEPT or DROP for a built-in chain, "-" for a user chain` });
        if (!current || current.commit) problems.push({ span: { start, end: span.end }, message: 'chain declaration outside a table: add a "*table" line before it' });
        else current.chainLines.push(line);
        break;
      }
      case 'rule': {
        // (A line with a command has options: its stand-in need not make them to say so.)
        if (line.commandKind === undefined && line.args.length === 0 && line.leading.length === 0) {
          // A line that has words left only a comment that does not start in column 1 (reported as such).
          if (text.slice(span.start, span.end).trim() === '') problems.push({ span, message: 'a line of only spaces: iptables-restore says "no command specified"; delete the spaces' });
          break;
        }
        if (!current || current.commit) {
          problems.push({ span, message: current ? `rule after COMMIT of table "${current.name}": start a new "*table" block` : 'rule outside a table: add a "*table" line (e.g. *filter) before it' });
          break;
        }
        current.rules.push(line);
        break;
      }
      default:
        break;
    }
  }
  if (firstCr) {
    const crEdits: Array<{ span: Span; newText: string }> = [];
    for (let index = 0; index < lines.length; index++) if ((cr[index] ?? 0) !== 0) crEdits.push(crEdit(text, lines[index] as Line));
    problems.push({ ...(crlfBreaks ? {} : { severity: 'warning' as const }), span: firstCr, message: `Windows line endings (CRLF) on ${crlfLines} line${crlfLines === 1 ? '' : 's'}: iptables-restore reads "\\r" as part of the last word${crlfBreaks ? ' and refuses the file' : ' (here it ends up inside a value such as an interface name)'}; save it with LF endings (the quick fix; in vim ":set fileformat=unix", then write; or dos2unix)`, fixes: [{ title: 'Convert to LF line endings', edits: crEdits, preferred: true, lineEndings: 'lf' }] });
  }
  const last = tables[tables.length - 1];
  if (last && !last.commit) {
    const needsNewline = text.length > 0 && !text.endsWith('\n');
    problems.push({ span: { start: last.header.span.start, end: last.header.span.end }, message: `table "${last.name}" has no COMMIT: iptables-restore applies nothing from it; add COMMIT at the end`, fixes: [{ title: 'Add COMMIT at the end of the file', edits: [{ span: { start: text.length, end: text.length }, newText: `${needsNewline ? '\n' : ''}COMMIT\n` }], preferred: true }] });
  }
  return { text, family, lineStarts, lines, tables, problems };
}

/**
 * A shortcut for `parseDocument`: what the document keeps of the line `text[start, end)` when it can
 * tell without parsing the line (a line without problems and without a "\r"), else undefined.
 */
export type QuickReader = (start: number, end: number, index: number, names: ChainNames) => Line | undefined;

/** A parsed document together with what `parseLine` said about each line (kept for incremental parsing). */
export interface ParsedDocument {
  readonly doc: IptablesDocument;
  readonly lineProblems: ReadonlyArray<readonly SyntaxProblem[] | undefined>;
  readonly cr: Uint8Array;
}

/** Parses a whole document. */
export function parseIptables(text: string, options: ParseOptions = {}): IptablesDocument {
  return parseDocument(text, options.family ?? detectFamily(text, options.fileName)).doc;
}

/**
 * `parseIptables` for a known family, keeping the per-line results. `keep`, when given, decides what
 * the document holds for each line as it is read (the streamed lint keeps a small stand-in for a
 * command line).
 */
export function parseDocument(text: string, family: Family, keep?: (line: Line, parsed: ParsedLine) => Line, quick?: QuickReader): ParsedDocument {
  const lineStarts = computeLineStarts(text);
  const names: ChainNames = new Map();
  const nul = text.includes('\0');
  const lines: Line[] = [];
  const lineProblems: Array<readonly SyntaxProblem[] | undefined> = [];
  const cr = new Uint8Array(lineStarts.length);
  for (let index = 0; index < lineStarts.length; index++) {
    const start = lineStarts[index] as number;
    const next = lineStarts[index + 1];
    const end = next === undefined ? text.length : next - 1; // excludes the \n
    if (next === undefined && start === end) break; // nothing after the final newline
    const known = quick?.(start, end, index, names);
    if (known !== undefined) {
      lines.push(known);
      lineProblems.push(undefined);
      continue;
    }
    const parsed = parseLine(text, start, end, 0, index, nul, names);
    lines.push(keep ? keep(parsed.line, parsed) : parsed.line);
    lineProblems.push(parsed.problems.length > 0 ? parsed.problems : undefined);
    cr[index] = parsed.cr;
  }
  return { doc: assembleDocument(text, family, lineStarts, lines, lineProblems, cr), lineProblems, cr };
}
