/**
 * Streamed linting (iptables/streamed.ts) gives a full lint's findings on lines that look alike.
 * Each clean command line of a ruleset is followed, in its own table, by copies of itself in which
 * one or two free words (an address, a port, a comment, the chain after -A, a user chain after -j,
 * a mark, a probability ...) are replaced by a value picked to be wrong, at a limit, or special.
 * Such a copy usually has the clean line's shape (the module comment of lineShapes.ts says what a
 * shape is), so any shortcut that reuses what an earlier line of the same shape gave must still
 * notice what the copy's own words say, or where its chain moves it.
 *
 * Sources: a generated kube-proxy ruleset, the example, the real rulesets of the shared corpus
 * (when it is there), and a libvirt host written below whose user chains are reached from
 * different hooks, so that a chain name moves a line where its target or interface is refused.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../server/src/core/finding.js';
import { computeLineStarts, lineIndexAt } from '../../server/src/core/span.js';
import { hooksOf } from '../../server/src/iptables/analysis.js';
import { TABLES } from '../../server/src/iptables/kb/tables.js';
import type { TableName } from '../../server/src/iptables/kb/types.js';
import { lintIptables, type LintOptions } from '../../server/src/iptables/lint.js';
import type { Word } from '../../server/src/iptables/model.js';
import { wordsIn } from '../../server/src/iptables/parser.js';
import { lintStreamed } from '../../server/src/iptables/streamed.js';
import { generateKubeProxyRuleset } from '../../scripts/bench/kubeProxyRuleset.js';
import { corpusTextsIn, findCorpus, PROJECT_ROOT } from '../conformance/corpus.js';
import { random } from '../helpers/edits.js';

const CHUNKS = [1, 7, 128] as const;

/** Asserts that streamed linting gives the full lint's findings, and returns those. */
function assertSame(text: string, options: LintOptions, what: string): Finding[] {
  const findings = lintIptables(text, options).findings;
  const want = JSON.stringify(findings);
  for (const chunk of CHUNKS) {
    const got = JSON.stringify(lintStreamed(text, options, chunk));
    if (got !== want) assert.deepEqual(JSON.parse(got), JSON.parse(want), `${what}, chunks of ${chunk} lines`);
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Values. Each pool mixes values a check refuses, values at a limit, and good values spelled in a
// way a lazy comparison could take for the original (a quoted twin of each is added later).

const long = (n: number, c = 'a'): string => c.repeat(n);

const ADDRESSES = [
  '0.0.0.0', '0.0.0.0/0', '255.255.255.255', '10.0.0.1/24', '10.0.0.0/33', '256.1.1.1', '1.2.3', '010.1.1.1',
  '10.1.1.1/32', '10.1.1.0/24', '::1', 'fe80::1/64', '::/0', '2001:db8::/129', '::ffff:10.0.0.1', '10.0.0.1-10.0.0.9',
  '10.0.0.1,10.0.0.2', '10.0.0.1,', 'host.example', '224.0.0.1', '127.0.0.1', '192.168.122.1', '10.0.0.0/255.255.255.0',
  '10.0.0.0/255.0.255.0', '10.0.0.1/', '/24', '10.0.0.0/-1', '1.2.3.4.5', '10.0.0.1/24,10.0.0.0/8',
];
/** DNAT/SNAT-like values: an address with an optional port or port range after it. */
const NAT_ADDRESSES = [
  ...ADDRESSES, '10.1.1.1:0', '10.1.1.1:65536', '10.1.1.1:80-70', '[::1]:80', '10.1.1.1:80', '10.1.1.1:http', ':80',
  '10.1.1.1-10.1.1.9:1024-2048', '10.1.1.9-10.1.1.1', '10.1.1.1:80-90/100', '10.1.1.1:', '10.1.1.1:80:90', '[fe80::1]:443',
];
const PORTS = ['0', '1', '65535', '65536', '80:70', '80:', ':80', '80,443', 'http', 'ssh', 'domain', 'nosuchservice', '22a', '0x50', '080', '80-90', '0:65535', '-1'];
const PORT_LISTS = [...PORTS, '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15', '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16', '80,', ',80', '80:90,100', '80::90', '1:2:3'];
const NAT_PORTS = ['1024-65535', '0', '65536', '80-70', '80:90', '80', 'http', '1024-', '-80', '80,443'];
/** Comments and other free texts; `café` is there because the shape scanner leaves non-ASCII lines to the parser. */
const TEXTS = [
  long(255), long(256), long(257), long(1023), long(1024), '"-starts with a dash"', '-dash', '#hash', 'a#b', '"a # b"', '12345', 'word',
  '"two words"', '"trailing blank "', 'café', '"a \\"quoted\\" word"', 'x',
];
const LOG_PREFIXES = [long(29), long(30), '"INPUT drop: "', `"${long(28)} "`, 'x', '"-x"', '12345', '#p'];
const NUMBERS = ['0', '-1', '1', '1.5', '0.0', '1.0', '0.50000', '0x4000/0x4000', '0xffffffff1', '4294967295', '4294967296', '65535', '65536', '255', '256', 'abc', '1e3', '010', '0x10'];
const MARKS = ['0', '0x0', '0x4000/0x4000', '0xffffffff', '0xffffffff1', '4294967296', '-1', 'abc', '0x4000/', '/0x4000', '0x4000/0xffffffff1', '1/2/3', '0X10', '1.5'];
const PROBABILITIES = ['0', '1', '1.5', '0.0', '1.0', '0.50000', '0.5', '-0.5', 'abc', '1e3', '1e-3', '.5', '0.00000000001', '0.33333333349', '2'];
const STATES = ['NEW', 'INVALID', 'RELATED,ESTABLISHED', 'new', 'BOGUS', 'NEW,', ',NEW', 'SNAT', 'DNAT', 'UNTRACKED', 'NEW,,ESTABLISHED', 'ESTABLISHED,RELATED,NEW,INVALID'];
const INTERFACES = ['virbr0', 'lo', 'eth+', '+', long(15, 'e'), long(16, 'e'), 'eth0:1', 'eth/0', '.', '..', '"eth 0"', 'eth0.100', '*', 'eth!', 'br0'];
const TCP_FLAG_LISTS = ['SYN,RST', 'SYN', 'ALL', 'NONE', 'FOO', 'syn', 'SYN,,ACK', 'SYN,ACK,', 'FIN,SYN,RST,PSH,ACK,URG', 'ACK'];
const MACS = ['00:11:22:33:44:55', '00:11:22:33:44', '00-11-22-33-44-55', 'zz:11:22:33:44:55', '001122334455', 'ff:ff:ff:ff:ff:ff', '0:1:2:3:4:5', '00:11:22:33:44:55:66'];
const REJECTS = ['icmp-port-unreachable', 'icmp6-port-unreachable', 'tcp-reset', 'icmp-admin-prohibited', 'icmp-host-prohibited', 'icmp-net-prohibited', 'bogus', 'icmp-proto-unreachable', 'port-unreach', 'adm-prohibited', 'tcp-rst', 'icmp6-adm-prohibited'];
const ICMP_TYPES = ['8', 'echo-request', '255', '256', '8/0', '8/256', 'any', 'bogus', 'echo-reply', '3/4', 'destination-unreachable', 'ping', '128', 'neighbour-solicitation', 'neighbor-solicitation', '1/4'];
const LOG_LEVELS = ['0', '7', '8', 'debug', 'warning', 'warn', 'emerg', '4a', 'panic', 'error', 'err', '-1'];
const RATES = ['3/min', '1/second', '0/s', '10000/s', '5/hour', '5/day', 'abc', '5', '1/x', '1/m', '4294967295/s', '1/sec', '10/minute', '0'];
const COUNTS = ['0', '1', '5', '10000', '4294967295', '4294967296', '-1', 'abc', '1.5', '0x10', '065', '2147483648'];
const OWNERS = ['0', 'root', '1000', '4294967295', '4294967296', 'nosuchuser', '1000-999', '100-200', '-1'];
const ADDRESS_TYPES = ['LOCAL', 'UNICAST', 'local', 'BOGUS', 'BLACKHOLE', 'LOCAL,UNICAST', 'UNSPEC', 'LOCAL,'];
const PROTOCOLS = ['tcp', '6', '256', 'bogus', 'all', '0', 'TCP', 'icmpv6', 'icmp', '-1'];
const HOP_LIMITS = ['0', '255', '256', '-1', 'abc', '64'];
const TIMES = ['00:00', '23:59', '24:00', '12:60', '1:2:3', '12', '23:59:59', '23:59:60', 'noon'];
const DAYS = ['Mon', 'Mon,Tue', 'Funday', '1', '7', '8', 'mon', 'Mo', 'Mon,'];
const NAMES = ['DEFAULT', 'a', long(15, 'n'), long(16, 'n'), long(31, 'n'), long(32, 'n'), long(200, 'n'), 'has/slash', 'a.b', '0'];
const HASHLIMIT_MODES = ['srcip', 'dstip,dstport', 'foo', 'srcip,', 'srcip,srcip'];
const SET_FLAGS = ['src', 'dst', 'src,dst', 'foo', 'src,dst,src,dst,src,dst,src', 'SRC'];
const PACKET_TYPES = ['unicast', 'broadcast', 'multicast', 'host', 'BOGUS', 'Unicast'];
const POLICY_WORDS = ['in', 'out', 'both', 'IN', 'ipsec', 'none', 'bad'];
const HELPERS = ['ftp', 'sip', 'tftp', long(29, 'h'), long(30, 'h'), 'ftp-21'];
const TOS_VALUES = ['0x10', '0x10/0x3f', 'Minimize-Delay', '0x100', 'bogus', '16', '0x10/0x100'];
const CT_DIRECTIONS = ['ORIGINAL', 'REPLY', 'original', 'BOTH'];
const STATISTIC_MODES = ['random', 'nth', 'RANDOM', 'bogus'];

/** Pools by option (long and short spellings alike). Options not listed get FALLBACK. */
const POOLS = new Map<string, readonly string[]>();
function pool(options: readonly string[], values: readonly string[]): void {
  for (const o of options) POOLS.set(o, values);
}
pool(['-s', '-d', '--source', '--destination', '--src', '--dst', '--mask', '--to', '--src-range', '--dst-range', '--ctorigsrc', '--ctorigdst', '--ctreplsrc', '--ctrepldst', '--on-ip', '--gateway', '--tunnel-src', '--tunnel-dst', '--vaddr'], ADDRESSES);
pool(['--to-destination', '--to-source'], NAT_ADDRESSES);
pool(['--dport', '--sport', '--destination-port', '--source-port', '--ctorigsrcport', '--ctorigdstport', '--ctreplsrcport', '--ctrepldstport', '--vport', '--on-port'], PORTS);
pool(['--dports', '--sports', '--ports', '--destination-ports', '--source-ports'], PORT_LISTS);
pool(['--to-ports', '--to-port'], NAT_PORTS);
pool(['--comment', '--string', '--hex-string', '--nflog-prefix', '--ulog-prefix'], TEXTS);
pool(['--log-prefix'], LOG_PREFIXES);
pool(['--mark', '--set-mark', '--set-xmark', '--and-mark', '--or-mark', '--xor-mark', '--ctmask', '--nfmask', '--set-connmark', '--save-mark', '--restore-mark', '--queue-num', '--queue-balance'], MARKS);
pool(['--probability'], PROBABILITIES);
pool(['--state', '--ctstate', '--ctstatus'], STATES);
pool(['-i', '-o', '--in-interface', '--out-interface', '--physdev-in', '--physdev-out'], INTERFACES);
pool(['--tcp-flags'], TCP_FLAG_LISTS);
pool(['--mac-source'], MACS);
pool(['--reject-with'], REJECTS);
pool(['--icmp-type', '--icmpv6-type'], ICMP_TYPES);
pool(['--log-level'], LOG_LEVELS);
pool(['--limit', '--hashlimit-upto', '--hashlimit-above', '--hashlimit'], RATES);
pool(['--limit-burst', '--hashlimit-burst', '--hitcount', '--seconds', '--connlimit-above', '--connlimit-upto', '--connlimit-mask', '--hashlimit-srcmask', '--hashlimit-dstmask', '--hashlimit-htable-expire', '--hashlimit-htable-size', '--hashlimit-htable-max', '--hashlimit-htable-gcinterval', '--every', '--packet', '--nflog-group', '--nflog-range', '--nflog-threshold', '--rt-segsleft', '--rt-type', '--length', '--set-mss', '--ttl-set', '--ttl-eq', '--ttl-gt', '--ttl-lt', '--hl-set'], COUNTS);
pool(['--uid-owner', '--gid-owner'], OWNERS);
pool(['--dst-type', '--src-type'], ADDRESS_TYPES);
pool(['--ctproto', '--proto'], PROTOCOLS);
pool(['--hl-eq', '--hl-gt', '--hl-lt'], HOP_LIMITS);
pool(['--timestart', '--timestop'], TIMES);
pool(['--days', '--weekdays'], DAYS);
pool(['--name', '--hashlimit-name', '--match-set', '--set-name'], NAMES);
pool(['--hashlimit-mode'], HASHLIMIT_MODES);
pool(['--pkt-type'], PACKET_TYPES);
pool(['--dir', '--pol'], POLICY_WORDS);
pool(['--helper'], HELPERS);
pool(['--set-tos', '--tos'], TOS_VALUES);
pool(['--ctdir'], CT_DIRECTIONS);
const FALLBACK = [...NUMBERS, 'word', '"two words"', long(256)];

/** The pool for the `k`-th word after `option` (a second word has its own pool for a few options). */
function poolFor(option: string, k: number): readonly string[] {
  if (k === 1 && option === '--match-set') return SET_FLAGS;
  if (option === '--mode' && k === 0) return [...STATISTIC_MODES, ...POLICY_WORDS];
  return POOLS.get(option) ?? FALLBACK;
}

// ---------------------------------------------------------------------------------------------
// Lines, split into words by the parser's own `wordsIn` (blanks, double quotes and backslashes as
// iptables-restore reads them).

/** After these the next word is part of the shape (an extension, a protocol, a target, counters, a negation). */
const SHAPE_WORD_AFTER = new Set(['-m', '-p', '-j', '-g', '--match', '--protocol', '--jump', '--goto', '-c', '--set-counters', '!']);
const JUMPS = new Set(['-j', '-g', '--jump', '--goto']);

/** A free word of a line and the values tried in its place. */
interface Slot {
  readonly word: Word;
  readonly values: readonly string[];
}

/** What a line's table offers as chain names: user chains from each set of hooks, built-ins, names no chain has. */
interface TableFacts {
  readonly name: string;
  readonly userChains: ReadonlySet<string>;
  readonly chainValues: readonly string[];
}

/** The free words of a command line, each with its pool; chain names get the table's chain values. */
function slotsOf(words: readonly Word[], table: TableFacts): Slot[] {
  const slots: Slot[] = [];
  let option = '';
  let k = 0;
  for (let i = 1; i < words.length; i++) {
    const w = words[i] as Word;
    const before = (words[i - 1] as Word).text;
    if (w.text.startsWith('-') || w.text.startsWith('!')) {
      if (w.text.startsWith('-')) {
        option = w.text.includes('=') ? '' : w.text;
        k = 0;
      }
      continue;
    }
    const at = k++;
    if (JUMPS.has(before)) {
      // A user chain's name is a placeholder of the shape; a target's name is part of it.
      if (table.userChains.has(w.text)) slots.push({ word: w, values: table.chainValues });
      continue;
    }
    if (SHAPE_WORD_AFTER.has(before)) continue;
    if (w.text === '') continue; // `""`: the scanner reads such a line in full, and there is nothing to vary
    if (i === 1 || option === '-A' || option === '--append') slots.push({ word: w, values: table.chainValues });
    else slots.push({ word: w, values: poolFor(option, at) });
  }
  return slots;
}

/** A value as it is written into a line: as given, or (`quoted`) between double quotes. */
function written(value: string, quoted: boolean): string {
  return quoted ? `"${value}"` : value;
}

/**
 * Values of the same look as `value`: its digits all 9, all 0 or each one up by one, its letters
 * all z. `10.244.0.35/32` gives `99.999.9.99/99`, `0.50000000000` gives `9.99999999999`, a port
 * `32703` gives `99999`, `RELATED,ESTABLISHED` gives `ZZZZZZZ,ZZZZZZZZZZZ`.
 */
function lookalikes(value: string): string[] {
  const found = new Set([
    value.replace(/[0-9]/g, '9'),
    value.replace(/[0-9]/g, '0'),
    value.replace(/[0-9]/g, (d) => String((Number(d) + 1) % 10)),
    value.replace(/[a-z]/g, 'z').replace(/[A-Z]/g, 'Z'),
  ]);
  found.delete(value);
  return [...found];
}

/** `line` with the words of `edits` replaced (edits sorted by position, not overlapping). */
function replaced(line: string, edits: ReadonlyArray<{ readonly word: Word; readonly text: string }>): string {
  let out = '';
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.word.span.start - b.word.span.start)) {
    out += line.slice(at, e.word.span.start) + e.text;
    at = e.word.span.end;
  }
  return out + line.slice(at);
}

/**
 * The same line with its free words replaced by placeholders, and the table: lines of one rough
 * shape give the same variants, so a big source only needs a few of its lines of each.
 */
function roughShape(words: readonly Word[], slots: readonly Slot[], table: string): string {
  const free = new Set(slots.map((s) => s.word));
  return `${table} ${words.map((w) => (free.has(w) ? '_' : w.text)).join(' ')}`;
}

// ---------------------------------------------------------------------------------------------
// Rulesets with variants.

interface Candidate {
  /** Index of the clean line the variant follows. */
  readonly after: number;
  readonly text: string;
  /** What the variant tries: variants of one key try the same thing on lines of one rough shape. */
  readonly key: string;
}

interface Varied {
  readonly text: string;
  /** Line indexes of the variants in `text`. */
  readonly variants: readonly number[];
  /** Keys of the variants taken. */
  readonly keys: ReadonlySet<string>;
}

const BUILTIN_CHAINS = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];
const TARGET_NAMES = ['ACCEPT', 'DROP', 'RETURN', 'LOG', 'MASQUERADE', 'DNAT', 'REJECT', 'accept'];

/**
 * The tables of `text` with what their chains offer, and each command line's table, from a full
 * lint. User chains are grouped by the built-in chains that reach them: one of each group (and a
 * few more at random) is enough to move a line where other targets are allowed.
 */
function tableFactsOf(text: string, options: LintOptions, rnd: (n: number) => number): { tables: Map<number, TableFacts>; findingLines: Set<number> } {
  const { findings, analysis, document } = lintIptables(text, options);
  const findingLines = new Set(findings.map((f) => lineIndexAt(document.lineStarts, f.span.start)));
  const tables = new Map<number, TableFacts>();
  for (const ta of analysis.tables) {
    const user = [...ta.chains.values()].filter((c) => !c.builtin).map((c) => c.name);
    const byHooks = new Map<string, string>();
    for (const name of user) {
      const hooks = [...hooksOf(ta, name)].sort().join(',');
      if (!byHooks.has(hooks)) byHooks.set(hooks, name);
    }
    const own = (TABLES as Record<string, readonly string[] | undefined>)[ta.name as TableName] ?? [];
    const chainValues = new Set<string>([
      ...byHooks.values(),
      ...Array.from({ length: Math.min(3, user.length) }, () => user[rnd(user.length)] as string),
      ...own,
      ...BUILTIN_CHAINS.filter((c) => !own.includes(c)),
      ...TARGET_NAMES,
      'NO-SUCH-CHAIN', long(28, 'C'), long(29, 'C'), 'input',
    ]);
    const facts: TableFacts = { name: ta.name, userChains: new Set(user), chainValues: [...chainValues] };
    for (const r of ta.rules) tables.set(r.line.index, facts);
  }
  return { tables, findingLines };
}

/** How many variants of each pair of free words a clean line gets. */
const PAIRS_PER_LINE = 3;

/**
 * Candidate variants of the clean `-A` lines of `text`: every value of each free word's pool, bare
 * and (when it has no blank or quote of its own) quoted, plus a few lines with two free words
 * replaced at once. `take` says which clean lines to vary (all by default).
 */
function candidatesOf(
  text: string,
  options: LintOptions,
  rnd: (n: number) => number,
  take: (shape: string, line: number) => boolean = () => true,
): Candidate[] {
  const { tables, findingLines } = tableFactsOf(text, options, rnd);
  const lines = text.split('\n');
  const out: Candidate[] = [];
  lines.forEach((line, index) => {
    const table = tables.get(index);
    if (!table || findingLines.has(index) || !line.startsWith('-A ') || line.endsWith('\r')) return;
    const words = wordsIn(line, 0, line.length, 0);
    const slots = slotsOf(words, table);
    if (slots.length === 0) return;
    const shape = roughShape(words, slots, table.name);
    if (!take(shape, index)) return;
    slots.forEach((slot, s) => {
      for (const value of slot.values) {
        if (value === slot.word.text) continue;
        out.push({ after: index, text: replaced(line, [{ word: slot.word, text: value }]), key: `${shape}|${s}|${value}` });
        // Quoted twins share one key per word: quoting is one question, whatever the value.
        if (!/[ "\t]/.test(value)) out.push({ after: index, text: replaced(line, [{ word: slot.word, text: written(value, true) }]), key: `${shape}|${s}|quoted` });
      }
      // Values written like the original, character class for character class: a memo that
      // compares values by their look (digits, letters, punctuation) takes them for the same.
      lookalikes(slot.word.text).forEach((value, n) => {
        if (!/[ "\t]/.test(value)) out.push({ after: index, text: replaced(line, [{ word: slot.word, text: value }]), key: `${shape}|${s}|lookalike ${n}` });
      });
      // The original value quoted (or bare, when the line has it quoted): the same words, another spelling.
      const raw = line.slice(slot.word.span.start, slot.word.span.end);
      const respelled = raw.startsWith('"') ? (/[ \t]/.test(slot.word.text) ? undefined : slot.word.text) : written(slot.word.text, true);
      if (respelled !== undefined && !slot.word.text.includes('"')) out.push({ after: index, text: replaced(line, [{ word: slot.word, text: respelled }]), key: `${shape}|${s}|respelled` });
    });
    if (slots.length >= 2) {
      for (let p = 0; p < PAIRS_PER_LINE; p++) {
        const a = rnd(slots.length);
        const b = (a + 1 + rnd(slots.length - 1)) % slots.length;
        const sa = slots[a] as Slot;
        const sb = slots[b] as Slot;
        const va = sa.values[rnd(sa.values.length)] as string;
        const vb = sb.values[rnd(sb.values.length)] as string;
        out.push({ after: index, text: replaced(line, [{ word: sa.word, text: va }, { word: sb.word, text: vb }]), key: `${shape}|pair|${Math.min(a, b)}|${Math.max(a, b)}` });
      }
    }
  });
  return out;
}

/**
 * `text` with variants inserted right after the clean lines they vary: first one variant of each
 * key not in `done` (in a seeded order), then more at random, up to `budget` variants.
 */
function withVariants(text: string, candidates: readonly Candidate[], budget: number, rnd: (n: number) => number, done: ReadonlySet<string> = new Set()): Varied {
  const order = candidates.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rnd(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const chosen = new Set<number>();
  const keys = new Set<string>();
  for (const i of order) {
    if (chosen.size >= budget) break;
    const key = (candidates[i] as Candidate).key;
    if (done.has(key) || keys.has(key)) continue;
    keys.add(key);
    chosen.add(i);
  }
  for (const i of order) {
    if (chosen.size >= budget) break;
    chosen.add(i);
  }
  const after = new Map<number, string[]>();
  [...chosen].sort((a, b) => a - b).forEach((i) => {
    const c = candidates[i] as Candidate;
    const list = after.get(c.after);
    if (list) list.push(c.text);
    else after.set(c.after, [c.text]);
  });
  const out: string[] = [];
  const variants: number[] = [];
  text.split('\n').forEach((line, index) => {
    out.push(line);
    for (const v of after.get(index) ?? []) {
      variants.push(out.length);
      out.push(v);
    }
  });
  return { text: out.join('\n'), variants, keys };
}

/**
 * `text` cut down for varying a few of its lines: every line but the -A lines (tables, chain
 * declarations, COMMIT, other commands), the -A lines that jump or go to a user chain (they give
 * the user chains their hooks), and the -A lines whose rough shape `pick` takes. User chains are
 * those declared in the table so far, read without a lint (enough to tell a chain from a target).
 * Returns the text and the indexes, in it, of the lines picked.
 */
function trimmedFor(text: string, pick: (shape: string) => boolean): { text: string; picked: Set<number> } {
  const out: string[] = [];
  const picked = new Set<number>();
  let chains = new Set<string>();
  let table: TableFacts = { name: '', userChains: chains, chainValues: [] };
  for (const line of text.split('\n')) {
    const words = wordsIn(line, 0, line.length, 0);
    const first = words[0]?.text ?? '';
    if (first.startsWith('*')) {
      chains = new Set();
      table = { name: first.slice(1), userChains: chains, chainValues: [] };
    } else if (first.startsWith(':') && words[1]?.text === '-') chains.add(first.slice(1));
    else if (first === '-N' && words[1]) chains.add(words[1].text);
    if (first !== '-A') {
      out.push(line);
      continue;
    }
    const slots = slotsOf(words, table);
    if (slots.length > 0 && !line.endsWith('\r') && pick(roughShape(words, slots, table.name))) {
      picked.add(out.length);
      out.push(line);
    } else if (words.some((w, i) => JUMPS.has(w.text) && chains.has(words[i + 1]?.text ?? ''))) out.push(line);
  }
  return { text: out.join('\n'), picked };
}

/** Variants made, those a full lint finds something on, and the checks that did. */
interface Tally {
  variants: number;
  withFindings: number;
  readonly checks: Set<string>;
}

const newTally = (): Tally => ({ variants: 0, withFindings: 0, checks: new Set() });

/** Compares the two lints on `varied` and adds its variants to `tally`. */
function checkVaried(varied: Varied, options: LintOptions, what: string, tally: Tally): void {
  const findings = assertSame(varied.text, options, what);
  const starts = computeLineStarts(varied.text);
  const variants = new Set(varied.variants);
  const hit = new Set<number>();
  for (const f of findings) {
    const line = lineIndexAt(starts, f.span.start);
    if (!variants.has(line)) continue;
    hit.add(line);
    tally.checks.add(f.ruleId);
  }
  tally.variants += varied.variants.length;
  tally.withFindings += hit.size;
}

/**
 * The test is only as good as its variants: enough of them, and a good share that a full lint
 * finds something on (a variant no check cares about cannot show a memo that is too generous).
 */
function assertNotVacuous(t: { diagnostic(message: string): void }, tally: Tally, least: number, what: string): void {
  t.diagnostic(`${what}: ${tally.variants} variants, ${tally.withFindings} with findings (${[...tally.checks].sort().join(', ')})`);
  assert.ok(tally.variants >= least, `${what}: ${tally.variants} variants`);
  assert.ok(tally.withFindings >= 0.3 * tally.variants, `${what}: ${tally.withFindings} of ${tally.variants} variants have findings`);
}

// ---------------------------------------------------------------------------------------------
// A libvirt host, written so that each user chain is reached from its own hooks: a rule moved
// from one to another (the chain after -A is a free word) meets targets and interfaces that are
// refused there (MASQUERADE outside nat POSTROUTING, DNAT in nat INPUT or POSTROUTING, SNAT in
// PREROUTING, REJECT in mangle PREROUTING, -i where packets only leave, -o where they only arrive).

const LIBVIRT_HOST = `# Generated by iptables-save v1.8.9 on Mon Nov 30 10:00:00 2026
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:LIBVIRT_PRT - [0:0]
:MANGLE_PRE - [0:0]
:MANGLE_IN - [0:0]
:MANGLE_OUT - [0:0]
-A PREROUTING -j MANGLE_PRE
-A INPUT -j MANGLE_IN
-A OUTPUT -j MANGLE_OUT
-A POSTROUTING -j LIBVIRT_PRT
-A LIBVIRT_PRT -o virbr0 -p udp -m udp --dport 68 -j CHECKSUM --checksum-fill
-A MANGLE_PRE -i virbr0 -s 192.168.122.0/24 -j MARK --set-xmark 0x1/0xffffffff
-A MANGLE_PRE -i virbr0 -m mark --mark 0x1/0x1 -j CONNMARK --save-mark
-A MANGLE_PRE -p tcp -m tcp --dport 80 -j TPROXY --on-port 3128 --on-ip 127.0.0.1 --tproxy-mark 0x1/0x1
-A MANGLE_IN -m addrtype --dst-type LOCAL --limit-iface-in -j MARK --set-xmark 0x2/0xffffffff
-A MANGLE_OUT -o virbr0 -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:LIBVIRT_PRT - [0:0]
:NAT_PRE - [0:0]
:NAT_IN - [0:0]
:NAT_OUT - [0:0]
-A PREROUTING -j NAT_PRE
-A INPUT -j NAT_IN
-A OUTPUT -j NAT_OUT
-A POSTROUTING -j LIBVIRT_PRT
-A LIBVIRT_PRT -s 192.168.122.0/24 -d 224.0.0.0/24 -j RETURN
-A LIBVIRT_PRT -s 192.168.122.0/24 -d 255.255.255.255/32 -j RETURN
-A LIBVIRT_PRT -s 192.168.122.0/24 ! -d 192.168.122.0/24 -p tcp -j MASQUERADE --to-ports 1024-65535
-A LIBVIRT_PRT -s 192.168.122.0/24 ! -d 192.168.122.0/24 -p udp -j MASQUERADE --to-ports 1024-65535
-A LIBVIRT_PRT -s 192.168.122.0/24 ! -d 192.168.122.0/24 -j MASQUERADE
-A LIBVIRT_PRT -s 10.0.0.0/8 -o eth0 -j SNAT --to-source 203.0.113.1
-A NAT_PRE -i eth0 -p tcp -m tcp --dport 2222 -j DNAT --to-destination 192.168.122.10:22
-A NAT_PRE -d 203.0.113.1/32 -p udp -m udp --dport 53 -j REDIRECT --to-ports 5353
-A NAT_IN -i virbr0 -s 192.168.122.0/24 -j SNAT --to-source 192.168.122.1
-A NAT_OUT -o virbr0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.168.122.11:80
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:LIBVIRT_INP - [0:0]
:LIBVIRT_OUT - [0:0]
:LIBVIRT_FWX - [0:0]
:LIBVIRT_FWI - [0:0]
:LIBVIRT_FWO - [0:0]
:SHARED - [0:0]
-A INPUT -j LIBVIRT_INP
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -i lo -j ACCEPT
-A INPUT -p icmp -m icmp --icmp-type 8 -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -m comment --comment "ssh from anywhere" -j ACCEPT
-A INPUT -j SHARED
-A INPUT -m limit --limit 5/min --limit-burst 10 -j LOG --log-prefix "INPUT drop: " --log-level 4
-A INPUT -p tcp -j REJECT --reject-with tcp-reset
-A INPUT -j REJECT --reject-with icmp-host-prohibited
-A OUTPUT -j LIBVIRT_OUT
-A LIBVIRT_INP -i virbr0 -p udp -m udp --dport 53 -j ACCEPT
-A LIBVIRT_INP -i virbr0 -p tcp -m tcp --dport 53 -j ACCEPT
-A LIBVIRT_INP -i virbr0 -p udp -m udp --dport 67 -j ACCEPT
-A LIBVIRT_INP -i virbr0 -p tcp -m tcp --dport 67 -j ACCEPT
-A LIBVIRT_OUT -o virbr0 -p udp -m udp --dport 68 -j ACCEPT
-A LIBVIRT_OUT -o virbr0 -p udp -m udp --sport 53 -j ACCEPT
-A FORWARD -j LIBVIRT_FWX
-A FORWARD -j LIBVIRT_FWI
-A FORWARD -j LIBVIRT_FWO
-A FORWARD -j SHARED
-A FORWARD -i br0 -o br0 -m physdev --physdev-is-bridged -j ACCEPT
-A LIBVIRT_FWX -i virbr0 -o virbr0 -j ACCEPT
-A LIBVIRT_FWI -d 192.168.122.0/24 -o virbr0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A LIBVIRT_FWI -o virbr0 -j REJECT --reject-with icmp-port-unreachable
-A LIBVIRT_FWO -s 192.168.122.0/24 -i virbr0 -j ACCEPT
-A LIBVIRT_FWO -i virbr0 -m mac --mac-source 52:54:00:12:34:56 -j ACCEPT
-A LIBVIRT_FWO -i virbr0 -m iprange --src-range 192.168.122.2-192.168.122.254 -p tcp -m multiport --dports 80,443 -j ACCEPT
-A LIBVIRT_FWO -i virbr0 -m set --match-set guests src -j ACCEPT
-A LIBVIRT_FWO -i virbr0 -j REJECT --reject-with icmp-port-unreachable
-A SHARED -i virbr0 -p tcp -m tcp --dport 3260 -m statistic --mode random --probability 0.50000000000 -j DROP
-A SHARED -i virbr0 -m recent --name guests --rcheck --seconds 60 --hitcount 5 -j DROP
COMMIT
`;

// ---------------------------------------------------------------------------------------------

describe('streamed lint on lines that share a clean line\'s shape but not its values', () => {
  it('the libvirt host is clean, so each of its lines is a clean line to vary', () => {
    assert.deepEqual(lintIptables(LIBVIRT_HOST, {}).findings.map((f) => `${f.ruleId}: ${f.message}`), []);
  });

  it('gives what a full lint gives on the libvirt host with every value of every pool', (t) => {
    const rnd = random(2026);
    const candidates = candidatesOf(LIBVIRT_HOST, {}, rnd);
    const varied = withVariants(LIBVIRT_HOST, candidates, 4_500, rnd);
    assert.equal(varied.keys.size, new Set(candidates.map((c) => c.key)).size, 'one variant of each key at least');
    const tally = newTally();
    checkVaried(varied, {}, 'libvirt host', tally);
    assertNotVacuous(t, tally, 2_000, 'libvirt host');
    // The chains after -A move lines to hooks that refuse their target or interface.
    for (const id of ['target-not-allowed', 'interface-not-allowed', 'undefined-chain', 'chain-not-in-table', 'bad-value', 'noncanonical-cidr', 'family-mismatch']) {
      assert.ok(tally.checks.has(id), `a variant of the libvirt host gets ${id}`);
    }
  });

  it('gives what a full lint gives on a generated kube-proxy ruleset and on the example, varied', (t) => {
    const inputs = [
      { name: 'kube-proxy.iptables', text: generateKubeProxyRuleset({ rules: 400 }).text, budget: 3_000 },
      { name: 'examples/etc/sysconfig/iptables', text: readFileSync(join(PROJECT_ROOT, 'examples', 'etc', 'sysconfig', 'iptables'), 'utf8'), budget: 1_000 },
    ];
    for (const { name, text, budget } of inputs) {
      const rnd = random(name.length * 7919);
      const options: LintOptions = { fileName: name };
      const tally = newTally();
      checkVaried(withVariants(text, candidatesOf(text, options, rnd), budget, rnd), options, name, tally);
      assertNotVacuous(t, tally, budget, name);
    }
  });

  const corpus = findCorpus();
  it('gives what a full lint gives on the real rulesets of the corpus, varied', { skip: corpus ? false : 'the shared corpus is not there' }, (t) => {
    // Each rough shape is varied in the first file that has it, on at most two of its lines there:
    // the corpus repeats itself (several files are versions of one firewall), and a file that
    // brings no new shape is not linted at all.
    const shapesSeen = new Set<string>();
    const keysDone = new Set<string>();
    const tally = newTally();
    let files = 0;
    for (const { path, text } of corpusTextsIn(join(corpus as string, 'real-iptables'))) {
      if (text.length > 400_000) continue;
      const perShape = new Map<string, number>();
      const cut = trimmedFor(text, (shape) => {
        if (shapesSeen.has(shape)) return false;
        const n = perShape.get(shape) ?? 0;
        perShape.set(shape, n + 1);
        return n < 2;
      });
      for (const shape of perShape.keys()) shapesSeen.add(shape);
      if (cut.picked.size === 0) continue;
      const rnd = random(path.length * 31 + text.length);
      const options: LintOptions = { fileName: path };
      const candidates = candidatesOf(cut.text, options, rnd, (_, line) => cut.picked.has(line));
      if (candidates.length === 0) continue;
      const varied = withVariants(cut.text, candidates, 200, rnd, keysDone);
      for (const k of varied.keys) keysDone.add(k);
      checkVaried(varied, options, path, tally);
      files++;
    }
    assert.ok(files > 20, `varied ${files} corpus files`);
    assertNotVacuous(t, tally, 5_000, `corpus (${files} files)`);
  });
});
