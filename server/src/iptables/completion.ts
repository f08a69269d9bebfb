/**
 * Context-aware completion for iptables rulesets. The line up to the cursor is read the way
 * iptables-restore reads it (same word splitter, same option resolver), so what is offered is what
 * the real tool would accept at that point: table names after `*`, the chains of the table after
 * `-A`, the options of the extensions loaded so far, the targets the table and chain allow after
 * `-j`, and the listed values of an option. Pure; offsets are UTF-16.
 */
import type { Span } from '../core/span.js';
import { wildcardsOf, type HostInterface } from '../net/hostInterfaces.js';
import { chainAt, resolveContextOf, type Analysis, type TableAnalysis } from './analysis.js';
import { lineIndexAt, resolvedOf, tableAnalysisOf } from './cursor.js';
import { GENERIC_OPTIONS, type GenericOptionSpec } from './kb/generic.js';
import { allMatches, allTargets, findMatch } from './kb/index.js';
import { isTableName, POLICIES, STANDARD_TARGETS, TABLE_DOCS, TABLES } from './kb/tables.js';
import type { ArgSpec, ExtensionSpec, Family, OptionSpec, TableName } from './kb/types.js';
import { REJECT_DOCS } from './hover.js';
import { TCP_FLAGS, tcpFlagSet } from './kb/matches/tcp.js';
import { protocolNumber, REJECT_TYPES_IPV4, REJECT_TYPES_IPV6 } from './kb/targets/targetValues.js';
import { IPV6_EXTENSION_HEADERS, PROTOCOL_NAMES, PROTOCOL_NUMBERS } from './kb/values.js';
import type { Arg, IptablesDocument, RuleLine, TableBlock } from './model.js';
import { COMMANDS, parseRuleLine, splitWords } from './parser.js';
import { implicitMatchName, resolveRule, type ExtensionUse, type ResolvedRule } from './resolve.js';

export type CompletionKind = 'keyword' | 'table' | 'chain' | 'option' | 'module' | 'target' | 'value' | 'snippet';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  readonly insertText?: string;
  /** `insertText` uses `${1:x}` placeholders. */
  readonly isSnippet?: boolean;
  /** The word being completed (so `--dp|` replaces `--dp`). */
  readonly replaceSpan?: Span;
  readonly sortText?: string;
  readonly filterText?: string;
}

/** Everything the completers need to know about the cursor. */
interface Ctx {
  readonly doc: IptablesDocument;
  readonly analysis: Analysis;
  readonly family: Family;
  readonly offset: number;
  readonly lineIndex: number;
  readonly lineStart: number;
  /** Start of the word under the cursor. */
  readonly wordStart: number;
  /** The word under the cursor, start to its end (which may lie after the cursor). */
  readonly replace: Span;
  /** The part of the word before the cursor. */
  readonly partial: string;
  /** The table block the line belongs to, when it is open at this line. */
  readonly block?: TableBlock;
  readonly table?: TableAnalysis;
  /** The interfaces of the machine the server runs on (see net/hostInterfaces.ts). */
  readonly hostInterfaces: readonly HostInterface[];
  /** Whether the client expands snippets (see CompletionHost). */
  readonly snippets: boolean;
}

/** What completion may know of the machine it runs on, and of the editor asking. */
export interface CompletionHost {
  readonly interfaces?: readonly HostInterface[];
  /**
   * False for a client without snippet support: an option is then offered with a blank for its
   * value instead of placeholders naming it (which such a client would insert as text). The
   * language server turns the other snippets into their default text (core/snippet.ts).
   */
  readonly snippets?: boolean;
}

/** Completion gives up on lines longer than this before the cursor (UTF-16 units). */
const MAX_LINE_PREFIX = 20_000;

export function completeAt(doc: IptablesDocument, analysis: Analysis, offset: number, host: CompletionHost = {}): CompletionEntry[] {
  const text = doc.text;
  if (offset < 0 || offset > text.length) return [];
  const lineIndex = lineIndexAt(doc, offset);
  const lineStart = doc.lineStarts[lineIndex] ?? 0;
  // No real rule is this long; re-reading such a line on every keystroke would only stall the editor.
  if (offset - lineStart > MAX_LINE_PREFIX) return [];
  const prefix = text.slice(lineStart, offset);
  if (prefix.startsWith('#') || prefix.includes('\0')) return [];
  if (insideQuotes(prefix)) return [];
  let wordStart = offset;
  while (wordStart > lineStart && !isBlank(text[wordStart - 1] as string)) wordStart--;
  let wordEnd = offset;
  while (wordEnd < text.length && !isBlank(text[wordEnd] as string) && text[wordEnd] !== '\n' && text[wordEnd] !== '\r') wordEnd++;
  const block = openBlockAt(doc, lineIndex);
  const table = tableAnalysisOf(analysis, block);
  const ctx: Ctx = {
    doc, analysis, family: doc.family, offset, lineIndex, lineStart, wordStart,
    replace: { start: wordStart, end: wordEnd }, partial: text.slice(wordStart, offset),
    ...(block ? { block } : {}), ...(table ? { table } : {}), hostInterfaces: host.interfaces ?? [],
    snippets: host.snippets ?? true,
  };
  if (prefix.startsWith('*')) return wordStart === lineStart ? tableNameEntries(ctx) : [];
  if (prefix.startsWith(':')) return chainLineEntries(ctx);
  return ruleLineEntries(ctx);
}

function isBlank(ch: string): boolean {
  return ch === ' ' || ch === '\t';
}

/** An odd number of unescaped double quotes: the cursor is inside a quoted value (a comment, a prefix). */
function insideQuotes(prefix: string): boolean {
  let inside = false;
  for (let i = 0; i < prefix.length; i++) {
    const ch = prefix[i];
    if (inside && ch === '\\' && (prefix[i + 1] === '"' || prefix[i + 1] === '\\')) {
      i++;
      continue;
    }
    if (ch === '"') inside = !inside;
  }
  return inside;
}

/**
 * The table block that is open at this line: its `*table` line is above, and its COMMIT (if any)
 * is on this line or below.
 */
function openBlockAt(doc: IptablesDocument, lineIndex: number): TableBlock | undefined {
  let found: TableBlock | undefined;
  for (const b of doc.tables) {
    if (b.header.index >= lineIndex) break;
    found = b;
  }
  if (!found || (found.commit && found.commit.index < lineIndex)) return undefined;
  return found;
}

function withReplace(ctx: Ctx, e: Omit<CompletionEntry, 'replaceSpan'>, span: Span = ctx.replace): CompletionEntry {
  return { ...e, replaceSpan: span };
}

/* ---------------------------------------------------------------------------------------------
 * `*table` and `:chain` lines
 * ------------------------------------------------------------------------------------------- */

const TABLE_ORDER: readonly TableName[] = ['filter', 'nat', 'mangle', 'raw', 'security'];

function tableNameEntries(ctx: Ctx): CompletionEntry[] {
  if (ctx.block) return []; // a table is still open here: COMMIT it first
  const present = new Set(ctx.doc.tables.filter((b) => b.header.index !== ctx.lineIndex).map((b) => b.name));
  const span = { start: ctx.lineStart + 1, end: ctx.replace.end };
  return TABLE_ORDER.map((name, i) => withReplace(ctx, {
    label: name, kind: 'table', detail: present.has(name) ? 'table (already in this file)' : 'table', documentation: TABLE_DOCS[name],
    sortText: `${present.has(name) ? 1 : 0}${i}`,
  }, span));
}

function chainLineEntries(ctx: Ctx): CompletionEntry[] {
  const ta = ctx.table;
  if (!ctx.block) return [];
  const before = splitWords(ctx.doc.text.slice(ctx.lineStart + 1, ctx.wordStart), ctx.lineStart + 1);
  if (ctx.wordStart === ctx.lineStart || before.length === 0) {
    // The chain name (blanks after ":" are allowed): the built-in chains of the table not declared yet.
    const declared = new Set(ctx.block.chainLines.filter((c) => c.index !== ctx.lineIndex).map((c) => c.name.text));
    const builtins = isTableName(ctx.block.name) ? TABLES[ctx.block.name] : [];
    const span = { start: ctx.lineStart + 1, end: ctx.replace.end };
    return builtins.filter((c) => !declared.has(c)).map((c, i) => withReplace(ctx, {
      label: c, kind: 'chain', detail: `built-in chain of ${ctx.block?.name ?? ''}`, insertText: `${c} \${1|${policiesOf(ctx.block?.name).join(',')}|} [0:0]`, isSnippet: true, sortText: `0${i}`,
    }, span));
  }
  const name = before[0]?.text ?? '';
  if (before.length === 1) {
    const builtin = ta?.chains.get(name)?.builtin ?? (isTableName(ctx.block.name) && TABLES[ctx.block.name].includes(name));
    if (builtin) return policiesOf(ctx.block.name).map((p, i) => withReplace(ctx, { label: p, kind: 'keyword', detail: 'policy', documentation: policyDoc(p), sortText: `0${i}` }));
    return [withReplace(ctx, { label: '-', kind: 'keyword', detail: 'user chain: no policy', documentation: 'User chains have no policy: packets that reach their end go back to the calling chain.' })];
  }
  if (before.length === 2) return [withReplace(ctx, { label: '[0:0]', kind: 'value', detail: 'packet and byte counters' })];
  return [];
}

/** The policies worth offering in a table: iptables refuses DROP in nat (see bad-policy). */
function policiesOf(table: string | undefined): readonly string[] {
  return table === 'nat' ? ['ACCEPT'] : POLICIES;
}

function policyDoc(p: string): string {
  return p === 'ACCEPT' ? 'Packets no rule decides are accepted.' : 'Packets no rule decides are dropped silently.';
}

/* ---------------------------------------------------------------------------------------------
 * Command lines
 * ------------------------------------------------------------------------------------------- */

function ruleLineEntries(ctx: Ctx): CompletionEntry[] {
  const beforeText = ctx.doc.text.slice(ctx.lineStart, ctx.wordStart);
  const { line } = parseRuleLine(beforeText, ctx.lineStart, ctx.lineIndex);
  if (line.words.length === 0) {
    if (line.counters === undefined && beforeText.trim() !== '') return []; // an open counter bracket
    if (ctx.partial.startsWith('[')) return []; // counters being typed
    return lineStartEntries(ctx, line.counters !== undefined || beforeText !== '');
  }
  const ta = ctx.table;
  const resolved = resolveRule(line, ta ? resolveContextOf(ta, ctx.family) : { family: ctx.family, isUserChain: () => false });
  const lastWord = line.words[line.words.length - 1];
  const negated = lastWord !== undefined && !lastWord.quoted && lastWord.text === '!';
  const last = line.args[line.args.length - 1];

  if (!negated && last) {
    if (last === line.command) {
      const r = commandValueEntries(ctx, line);
      if (r) return r;
    } else {
      const r = optionValueEntries(ctx, line, resolved, last.name.span.start);
      if (r) return r;
      // An option no loaded extension owns, still without its value (`--icmp-type ‸` in an ip6tables
      // file): when every option of that name takes a value, an option offered here would become
      // its value. Nothing is offered; the option's own diagnostic says what to write instead.
      if (last.values.length === 0 && unresolvedNeedsValue(resolved, last)) return [];
    }
  }
  if (ctx.partial !== '' && !ctx.partial.startsWith('-')) return [];
  if (!line.command) return [];
  return optionEntries(ctx, line, resolved, negated);
}

/**
 * Whether an option the resolver left unowned (unknown to the loaded extensions, or an ambiguous
 * abbreviation) takes a value wherever kvmnet knows an option of that name: in any extension of
 * either family, or among the generic options.
 */
function unresolvedNeedsValue(resolved: ResolvedRule, arg: Arg): boolean {
  const names = resolved.unknown.includes(arg)
    ? [arg.name.text]
    : resolved.ambiguous.find((a) => a.arg === arg)?.candidates;
  if (!names || names.length === 0) return false;
  return names.every((n) => optionsTakingValue().get(n) === true);
}

let takingValue: Map<string, boolean> | undefined;

/** Every option name (and alias) kvmnet knows, with whether all options of that name need a value. */
function optionsTakingValue(): Map<string, boolean> {
  if (takingValue) return takingValue;
  const map = new Map<string, boolean>();
  const add = (name: string, spec: OptionSpec): void => {
    const needs = spec.args.some((a) => !a.optional);
    map.set(name, (map.get(name) ?? true) && needs);
  };
  for (const family of ['ipv4', 'ipv6'] as const) {
    for (const ext of [...allMatches(family), ...allTargets(family)]) {
      for (const [name, spec] of Object.entries(ext.options)) {
        add(name, spec);
        for (const alias of spec.aliases ?? []) add(alias, spec);
      }
    }
  }
  for (const g of GENERIC_OPTIONS) for (const name of [g.key, ...g.long]) add(name, g);
  takingValue = map;
  return map;
}

/**
 * The next word on the cursor's line after the word being completed, when it is a value (not an
 * option and not a `!`): completing an option name there must not insert a value placeholder too.
 */
function valueFollows(ctx: Ctx): boolean {
  const text = ctx.doc.text;
  let i = ctx.replace.end;
  while (i < text.length && isBlank(text[i] as string)) i++;
  const ch = text[i];
  return ch !== undefined && ch !== '\n' && ch !== '\r' && ch !== '-' && ch !== '!';
}

/** At the start of a line: structure keywords, commands and whole-rule snippets that fit here. */
function lineStartEntries(ctx: Ctx, afterCounters: boolean): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  const block = ctx.block;
  if (!block) {
    if (afterCounters) return [];
    const present = new Set(ctx.doc.tables.map((b) => b.name));
    TABLE_ORDER.forEach((name, i) => {
      out.push(withReplace(ctx, { label: `*${name}`, kind: 'table', detail: 'start a table block', documentation: TABLE_DOCS[name], sortText: `0${present.has(name) ? 1 : 0}${i}` }));
      const chains = TABLES[name].map((c) => `:${c} ACCEPT [0:0]`).join('\n');
      out.push(withReplace(ctx, {
        label: `*${name} … COMMIT`, kind: 'snippet', detail: `table ${name} with its built-in chains`, documentation: TABLE_DOCS[name],
        insertText: `*${name}\n${chains}\n$0\nCOMMIT\n`, isSnippet: true, filterText: `*${name}`, sortText: `1${i}`,
      }));
    });
    return out;
  }
  const ta = ctx.table;
  // What a save file is made of first; the commands that change or remove what is there (-D -R -F
  // -X -Z -E: rarely meant in a file that is restored whole) after the declarations and snippets.
  const building = ['append', 'insert', 'new-chain', 'policy'];
  const changing = ['delete', 'replace', 'flush', 'delete-chain', 'zero', 'rename-chain'];
  for (const c of COMMANDS) {
    const sortText = building.includes(c.kind) ? `1${String(building.indexOf(c.kind)).padStart(2, '0')}` : `5${String(changing.indexOf(c.kind)).padStart(2, '0')}`;
    out.push(withReplace(ctx, { label: c.short, kind: 'keyword', detail: c.long, documentation: c.doc, insertText: `${c.short} `, sortText }));
  }
  if (afterCounters) return out;
  if (!block.commit || block.commit.index === ctx.lineIndex) {
    out.push(withReplace(ctx, { label: 'COMMIT', kind: 'keyword', detail: `end table ${block.name}`, documentation: 'Ends the table block: iptables-restore applies its changes here, all at once.', sortText: '30' }));
  }
  out.push(withReplace(ctx, {
    label: ':NAME - [0:0]', kind: 'keyword', detail: 'declare a user chain', insertText: ':${1:NAME} - [0:0]', isSnippet: true, filterText: ':', sortText: '20',
  }));
  if (isTableName(block.name)) {
    const declared = new Set(block.chainLines.map((c) => c.name.text));
    TABLES[block.name].filter((c) => !declared.has(c)).forEach((c, i) => {
      out.push(withReplace(ctx, {
        label: `:${c} ACCEPT [0:0]`, kind: 'keyword', detail: 'declare the built-in chain with its policy', insertText: `:${c} \${1|ACCEPT,DROP|} [0:0]`, isSnippet: true, filterText: `:${c}`, sortText: `21${i}`,
      }));
    });
    for (const s of ruleSnippets(block.name, ctx.family, ta)) {
      out.push(withReplace(ctx, { label: s.label, kind: 'snippet', detail: s.detail, documentation: `\`\`\`\n${s.preview}\n\`\`\``, insertText: s.body, isSnippet: true, filterText: `${s.label} -A`, sortText: `4${s.label}` }));
    }
  }
  return out;
}

function chainEntries(ctx: Ctx, which: 'all' | 'user' | 'builtin', exclude?: string): CompletionEntry[] {
  const ta = ctx.table;
  const out: CompletionEntry[] = [];
  const seen = new Set<string>();
  const tableName = ctx.block?.name ?? '';
  const builtins = isTableName(tableName) ? TABLES[tableName] : [];
  if (which !== 'user') {
    builtins.forEach((c, i) => {
      seen.add(c);
      const policy = ta ? policyOf(ta, c) : undefined;
      out.push(withReplace(ctx, { label: c, kind: 'chain', detail: `built-in chain${policy ? `, policy ${policy}` : ''}`, sortText: `0${i}` }));
    });
  }
  if (which !== 'builtin' && ta) {
    for (const info of ta.chains.values()) {
      if (info.builtin || seen.has(info.name) || info.name === exclude) continue;
      seen.add(info.name);
      out.push(withReplace(ctx, { label: info.name, kind: 'chain', detail: `user chain, ${info.rules.length} rule${info.rules.length === 1 ? '' : 's'}`, sortText: `1${info.name}` }));
    }
  }
  return out;
}

function policyOf(ta: TableAnalysis, chain: string): string | undefined {
  let policy: string | undefined;
  for (const cl of ta.block.chainLines) if (cl.name.text === chain && cl.policy) policy = cl.policy.text;
  return policy;
}

/** Values of the command option: the chain, then (for `-P`) the policy. */
function commandValueEntries(ctx: Ctx, line: RuleLine): CompletionEntry[] | undefined {
  const kind = line.commandKind;
  const n = line.command?.values.length ?? 0;
  if (n === 0) {
    switch (kind) {
      case 'new-chain':
        return [];
      case 'delete-chain':
      case 'rename-chain':
        return chainEntries(ctx, 'user');
      case 'policy':
        return chainEntries(ctx, 'builtin');
      default:
        return chainEntries(ctx, 'all');
    }
  }
  if (n === 1 && kind === 'policy') return policiesOf(ctx.block?.name).map((p, i) => withReplace(ctx, { label: p, kind: 'keyword', detail: 'policy', documentation: policyDoc(p), sortText: `0${i}` }));
  if (n === 1 && (kind === 'rename-chain' || kind === 'new-chain' || kind === 'delete-chain' || kind === 'flush')) return [];
  if (n === 2 && (kind === 'policy' || kind === 'rename-chain')) return [];
  if (kind === 'delete' && n === 1 && ctx.partial !== '' && /^[0-9]/.test(ctx.partial)) return [];
  return undefined;
}

/** When the cursor is at a value of the last option: the values that fit there. */
function optionValueEntries(ctx: Ctx, line: RuleLine, resolved: ResolvedRule, argStart: number): CompletionEntry[] | undefined {
  const generic = resolved.generic.find((g) => g.arg.name.span.start === argStart);
  if (generic) {
    const needed = generic.spec.args.filter((a) => !a.optional).length;
    if (generic.values.length >= needed || generic.extra.length > 0) return undefined;
    return genericValueEntries(ctx, line, resolved, generic.spec);
  }
  const exts: ExtensionUse[] = [...resolved.matches];
  if (resolved.target?.extension) exts.push(resolved.target.extension);
  for (const ext of exts) {
    const o = ext.options.find((x) => x.arg.name.span.start === argStart);
    if (!o) continue;
    const needed = o.spec.args.filter((a) => !a.optional).length;
    if (o.values.length >= needed || o.extra.length > 0) return undefined;
    // physdev's ports are the bridge's ports: the guests' tap devices and the host's uplinks.
    if (ext.spec?.name === 'physdev' && (o.canonical === '--physdev-in' || o.canonical === '--physdev-out')) {
      return hostInterfaceEntries(ctx, [], (i) => i.kind === 'bridge port' || i.kind === 'tun/tap');
    }
    const owner = `${o.canonical} (${ext.spec?.name ?? ext.name})`;
    if (ext.kind === 'target' && ext.spec?.name === 'REJECT' && o.canonical === '--reject-with') return rejectWithEntries(ctx, resolved, o.spec, owner);
    if (ext.spec?.name === 'tcp' && o.canonical === '--tcp-flags') return tcpFlagsEntries(ctx, o.spec, o.values.map((w) => w.text), owner);
    if ((ext.spec?.name === 'icmp' && o.canonical === '--icmp-type') || (ext.spec?.name === 'icmp6' && o.canonical === '--icmpv6-type')) {
      return listValueEntries(ctx, o.spec, o.values.length, owner, ext.spec.name === 'icmp' ? COMMON_ICMP_TYPES : COMMON_ICMPV6_TYPES);
    }
    if ((ext.spec?.name === 'tcp' || ext.spec?.name === 'udp') && o.canonical === '--dport') return portEntries(ctx, ext.spec.name, owner);
    return listValueEntries(ctx, o.spec, o.values.length, owner);
  }
  return undefined;
}

/**
 * The ports a KVM host's rules name most, per protocol: the host's own services, what libvirt's
 * guests ask of the host (DNS, DHCP, TFTP for PXE), and the consoles and migration of QEMU. A
 * starting point; any port or range can be typed.
 */
const KVM_PORTS: Readonly<Record<'tcp' | 'udp', ReadonlyArray<readonly [string, string]>>> = {
  tcp: [
    ['22', 'SSH'],
    ['53', 'DNS (dnsmasq on a libvirt network answers guests on TCP too)'],
    ['80', 'HTTP'],
    ['443', 'HTTPS'],
    ['16509', 'libvirtd, plain TCP (virsh -c qemu+tcp://)'],
    ['16514', 'libvirtd over TLS (virsh -c qemu+tls://)'],
    ['5900:5999', 'VNC and SPICE consoles of the guests (one port each, from 5900)'],
    ['49152:49215', 'QEMU live migration (the default port range)'],
    ['2049', 'NFS (shared guest storage)'],
    ['3260', 'iSCSI (shared guest storage)'],
  ],
  udp: [
    ['53', 'DNS (dnsmasq on a libvirt network)'],
    ['67', 'DHCP server (dnsmasq handing out guest addresses)'],
    ['68', 'DHCP client'],
    ['69', 'TFTP (PXE boot of guests)'],
    ['123', 'NTP'],
    ['547', 'DHCPv6 server'],
  ],
};

/** Ports of one family's protocols only: DHCP in IPv4, DHCPv6 in IPv6. */
const FAMILY_PORTS: Readonly<Record<string, Family>> = { 67: 'ipv4', 68: 'ipv4', 547: 'ipv6' };

function portEntries(ctx: Ctx, protocol: 'tcp' | 'udp', owner: string): CompletionEntry[] {
  // After "1000:" the end of a range is due, which no entry of the list is (they would replace the start).
  if (ctx.partial.includes(':')) return [];
  return KVM_PORTS[protocol]
    .filter(([port]) => (FAMILY_PORTS[port] ?? ctx.family) === ctx.family)
    .map(([port, what], i) => withReplace(ctx, { label: port, kind: 'value', detail: `${what} · ${owner}`, sortText: String(i).padStart(3, '0') }));
}

/** The ICMP types most rules name, first in completion (the rest follow in the kernel's order). */
const COMMON_ICMP_TYPES = ['echo-request', 'echo-reply', 'destination-unreachable', 'time-exceeded', 'fragmentation-needed', 'port-unreachable', 'parameter-problem'];
/** ICMPv6 as above, with neighbour discovery (a host that blocks it loses IPv6) and path MTU discovery. */
const COMMON_ICMPV6_TYPES = [
  'echo-request', 'echo-reply', 'destination-unreachable', 'packet-too-big', 'time-exceeded', 'parameter-problem',
  'neighbour-solicitation', 'neighbour-advertisement', 'router-solicitation', 'router-advertisement',
];

/**
 * `--reject-with` types: the full names first, the default (port unreachable) and the usual choices
 * at the top, short aliases last; `tcp-reset` only in a rule that matches TCP alone (the kernel
 * refuses it otherwise, see REJECT's validate).
 */
function rejectWithEntries(ctx: Ctx, resolved: ResolvedRule, spec: OptionSpec, owner: string): CompletionEntry[] {
  const arg = spec.args[0];
  const protocol = resolved.protocol && !resolved.protocol.negated ? resolved.protocol.word.text : undefined;
  const tcp = protocol !== undefined && sameProtocol(protocol, 'tcp');
  const types = ctx.family === 'ipv4' ? REJECT_TYPES_IPV4 : REJECT_TYPES_IPV6;
  const preferred = ctx.family === 'ipv4'
    ? ['icmp-port-unreachable', 'tcp-reset', 'icmp-host-prohibited', 'icmp-admin-prohibited']
    : ['icmp6-port-unreachable', 'tcp-reset', 'icmp6-adm-prohibited'];
  const out: CompletionEntry[] = [];
  const seen = new Set<string>();
  const rank = (name: string): number => (preferred.includes(name) ? preferred.indexOf(name) : preferred.length + types.findIndex(([n]) => n === name));
  for (const [name, alias] of types) {
    if (name === 'tcp-reset' && !tcp) continue;
    const doc = REJECT_DOCS[name];
    seen.add(name);
    out.push(withReplace(ctx, {
      label: name, kind: 'value', detail: `${arg?.display ?? 'type'} of ${owner}${name === types.find(([n]) => n.includes('port-unreachable'))?.[0] ? ', the default' : ''}`,
      ...(doc ? { documentation: doc } : {}), sortText: `0${String(rank(name)).padStart(2, '0')}`,
    }));
    if (seen.has(alias)) continue;
    seen.add(alias);
    out.push(withReplace(ctx, { label: alias, kind: 'value', detail: `short for ${name}`, sortText: `1${String(rank(name)).padStart(2, '0')}` }));
  }
  return out;
}

/** Whole `--tcp-flags mask comp` pairs rulesets use (each loads with the real tools). */
const TCP_FLAG_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['SYN,RST,ACK,FIN SYN', 'SYN set, RST, ACK and FIN clear: the first packet of a connection (as --syn)'],
  ['SYN,ACK SYN,ACK', 'SYN and ACK set: the answer to a connection request'],
  ['ALL NONE', 'no flag set: a null scan, never a real segment'],
  ['ALL ALL', 'every flag set: an "Xmas" scan, never a real segment'],
  ['SYN,FIN SYN,FIN', 'SYN and FIN together: never in a real connection'],
  ['SYN,RST SYN,RST', 'SYN and RST together: never in a real connection'],
];

/**
 * `--tcp-flags` values. The mask: the usual whole pairs (when no comp is written yet) and the
 * flags. The comp: only the flags of the mask and NONE (ALL when the mask is every flag): the
 * kernel tests `flags & mask == comp`, so a comp flag outside the mask never matches.
 */
function tcpFlagsEntries(ctx: Ctx, spec: OptionSpec, written: readonly string[], owner: string): CompletionEntry[] {
  if (written.length === 0) {
    const pairs = ctx.partial.includes(',') || valueFollows(ctx)
      ? []
      : TCP_FLAG_PAIRS.map(([pair, doc], i) => withReplace(ctx, { label: pair, kind: 'value', detail: 'mask and comp', documentation: doc, sortText: `0${i}` }));
    // Inside a list, ALL and NONE make no sense as an item.
    const flags = listValueEntries(ctx, spec, 0, owner).filter((e) => !ctx.partial.includes(',') || (e.label !== 'ALL' && e.label !== 'NONE'));
    return [...pairs, ...flags.map((e) => ({ ...e, sortText: `1${e.sortText ?? ''}` }))];
  }
  const mask = tcpFlagSet(written[0] ?? '');
  if (!mask) return listValueEntries(ctx, spec, 1, owner);
  const every = mask.size === TCP_FLAGS.length - 2;
  const allowed = [...TCP_FLAGS.filter((f) => mask.has(f)), 'NONE', ...(every ? ['ALL'] : [])];
  const arg = spec.args[1];
  return listValueEntries(ctx, arg ? { ...spec, args: [spec.args[0] as ArgSpec, { ...arg, values: allowed }] } : spec, 1, owner)
    .map((e) => ({ ...e, detail: e.label === 'NONE' ? 'none of the mask\'s flags set' : e.label === 'ALL' ? 'every flag set' : `must be set (of the mask ${written[0] ?? ''})` }));
}

/** Values from `args[i].values`, those of `first` before the rest; inside a comma-separated list, the next item. */
function listValueEntries(ctx: Ctx, spec: OptionSpec, index: number, owner: string, first: readonly string[] = []): CompletionEntry[] {
  const arg = spec.args[index];
  const values = arg?.values;
  if (!arg || !values || values.length === 0) return [];
  const comma = ctx.partial.lastIndexOf(',');
  const already = comma === -1 ? [] : ctx.partial.slice(0, comma).split(',').map((s) => s.toLowerCase());
  const span = comma === -1 ? ctx.replace : { start: ctx.wordStart + comma + 1, end: ctx.replace.end };
  const rank = (v: string, i: number): number => (first.includes(v) ? first.indexOf(v) : first.length + i);
  return values
    .filter((v) => !already.includes(v.toLowerCase()))
    .map((v) => withReplace(ctx, { label: v, kind: 'value', detail: `${arg.display} of ${owner}`, sortText: String(rank(v, values.indexOf(v))).padStart(3, '0') }, span));
}

function genericValueEntries(ctx: Ctx, line: RuleLine, resolved: ResolvedRule, spec: GenericOptionSpec): CompletionEntry[] {
  switch (spec.key) {
    case '-p':
      return protocolEntries(ctx);
    case '-m':
      return matchEntries(ctx, line, resolved);
    case '-j':
      return targetEntries(ctx, line);
    case '-g':
      return chainEntries(ctx, 'user', line.chain?.text);
    case '-i':
    case '-o': {
      // iptables refuses -i in OUTPUT/POSTROUTING and -o in INPUT/PREROUTING (interface-not-allowed):
      // no interface name makes the option right there.
      const chain = line.chain?.text;
      const builtin = chain !== undefined && ctx.table?.chains.get(chain)?.builtin === true;
      if (builtin && (spec.key === '-i' ? NO_INPUT_INTERFACE : NO_OUTPUT_INTERFACE).includes(chain)) return [];
      const used = usedValueEntries(ctx, ['-i', '-o'], 'interface');
      return [...used, ...hostInterfaceEntries(ctx, used, () => true)];
    }
    case '-s':
    case '-d':
      return usedValueEntries(ctx, ['-s', '-d'], 'address');
    default:
      return [];
  }
}

const COMMON_PROTOCOLS = ['tcp', 'udp', 'icmp', 'icmpv6', 'all'];

function protocolEntries(ctx: Ctx): CompletionEntry[] {
  const v4Only = new Set(['icmp']);
  const v6Only = new Set(['icmpv6', 'ipv6-icmp', 'mh', 'ipv6-mh', 'ipv6-route', 'ipv6-frag', 'ipv6-nonxt', 'ipv6-opts', 'hopopt']);
  // Never right after -p in ip6tables: extension headers (compared after them, so never matched)
  // and hopopt (protocol 0, which reads as all); bad-value warns about each.
  const v6Never = new Set([...[...IPV6_EXTENSION_HEADERS.values()].map((h) => h.name), 'hopopt']);
  return PROTOCOL_NAMES
    .filter((p) => (ctx.family === 'ipv4' ? !v6Only.has(p) : !v4Only.has(p) && !v6Never.has(p)))
    .map((p) => {
      const common = COMMON_PROTOCOLS.indexOf(p);
      const n = PROTOCOL_NUMBERS[p];
      return withReplace(ctx, { label: p, kind: 'value', detail: n !== undefined ? `protocol ${n}` : p === 'all' ? 'every protocol' : 'protocol', sortText: common === -1 ? `1${p}` : `0${common}` });
    });
}

/** Whether two `-p` values name one protocol, as iptables reads them (lower case; names, or C numbers such as `0x6`). */
function sameProtocol(a: string, b: string): boolean {
  const na = protocolNumber(a.toLowerCase());
  const nb = protocolNumber(b.toLowerCase());
  if (na !== undefined && nb !== undefined) return na === nb;
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * The built-in chains (hooks) the rule of `line` runs in; empty when unknown (an unreferenced user
 * chain). The chain is the one its name denotes at that line (a later -E may rename it).
 */
function hooksOfChain(ta: TableAnalysis | undefined, line: RuleLine): string[] {
  const chain = line.chain?.text;
  if (!ta || !chain) return [];
  const info = chainAt(ta, chain, line.index);
  if (info?.builtin) return [chain];
  return [...(ta.hooks.get(info?.name ?? chain) ?? [])];
}

function fitsPlace(spec: ExtensionSpec, table: string | undefined, hooks: readonly string[]): boolean {
  if (spec.tables && table && isTableName(table) && !spec.tables.includes(table)) return false;
  // Not what a legacy-backend host refuses either (TRACE outside raw): target-not-allowed warns there.
  if (spec.legacyTables && table && isTableName(table) && !spec.legacyTables.includes(table)) return false;
  if (spec.chains && hooks.length > 0 && !hooks.every((h) => spec.chains?.includes(h))) return false;
  return true;
}

function matchEntries(ctx: Ctx, line: RuleLine, resolved: ResolvedRule): CompletionEntry[] {
  const protocol = resolved.protocol && !resolved.protocol.negated ? resolved.protocol.word.text : undefined;
  const loaded = new Set(resolved.matches.filter((m) => !m.implicit).map((m) => m.spec?.name ?? m.name));
  const hooks = hooksOfChain(ctx.table, line);
  const implicit = protocol ? findMatch(implicitMatchName(protocol, ctx.family), ctx.family)?.name : undefined;
  const seen = new Set<string>();
  const out: CompletionEntry[] = [];
  for (const spec of allMatches(ctx.family)) {
    if (seen.has(spec.name) || loaded.has(spec.name)) continue;
    seen.add(spec.name);
    if (spec.protocols && spec.protocols.length > 0 && !(protocol && spec.protocols.some((p) => sameProtocol(p, protocol)))) continue;
    if (!fitsPlace(spec, ctx.block?.name, hooks)) continue;
    out.push(withReplace(ctx, { label: spec.name, kind: 'module', detail: 'match', documentation: spec.doc, sortText: `${spec.name === implicit ? 0 : POPULAR_MATCHES.includes(spec.name) ? 1 : 2}${spec.name}` }));
  }
  return out;
}

const POPULAR_MATCHES = ['conntrack', 'state', 'multiport', 'comment', 'limit', 'iprange', 'mac', 'mark', 'set', 'recent', 'physdev', 'addrtype'];

function targetEntries(ctx: Ctx, line: RuleLine): CompletionEntry[] {
  const chain = line.chain?.text;
  const hooks = hooksOfChain(ctx.table, line);
  const out: CompletionEntry[] = [];
  const seen = new Set<string>();
  for (const spec of allTargets(ctx.family)) {
    if (seen.has(spec.name)) continue;
    seen.add(spec.name);
    const standard = STANDARD_TARGETS.includes(spec.name);
    if (!fitsPlace(spec, ctx.block?.name, hooks)) continue;
    const gone = spec.removedFromKernel;
    out.push(withReplace(ctx, {
      label: spec.name, kind: 'target',
      detail: gone ? `removed from Linux ${gone.version}` : spec.name === 'QUEUE' ? 'verdict: to a userspace program (dropped when none listens)' : standard ? 'verdict' : spec.terminating ? 'target (terminating)' : 'target (non-terminating)', documentation: spec.doc,
      // QUEUE drops every packet when no program listens on the queue: after REJECT and LOG.
      sortText: `${gone ? 4 : standard && spec.name !== 'QUEUE' ? 0 : POPULAR_TARGETS.includes(spec.name) ? 2 : 3}${spec.name}`,
    }));
  }
  for (const e of chainEntries(ctx, 'user', chain)) out.push({ ...e, detail: `jump to ${e.detail ?? 'user chain'}`, sortText: `1${e.label}` });
  return out;
}

const POPULAR_TARGETS = ['REJECT', 'LOG', 'MASQUERADE', 'SNAT', 'DNAT', 'REDIRECT', 'MARK', 'CONNMARK', 'CHECKSUM', 'TCPMSS', 'CT', 'NFLOG', 'NOTRACK'];

/** Values given to these generic options elsewhere in the document (interfaces, addresses). */
function usedValueEntries(ctx: Ctx, keys: readonly string[], what: string): CompletionEntry[] {
  const counts = new Map<string, number>();
  for (const t of ctx.analysis.tables) {
    for (const r of t.rules) {
      if (r.line.index === ctx.lineIndex) continue;
      for (const g of r.resolved.generic) {
        if (!keys.includes(g.key)) continue;
        const v = g.values[0]?.text;
        if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
      }
    }
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([v, n], i) => withReplace(ctx, { label: v, kind: 'value', detail: `${what} used ${n} time${n === 1 ? '' : 's'} in this file`, sortText: String(i).padStart(4, '0') }));
}

/**
 * The interfaces of the machine the server runs on that `keep` takes, after the names the file
 * already uses (`used`), and the `+` wildcards that cover several of them (`vnet+` for the guests'
 * vnet0, vnet1 ...).
 */
function hostInterfaceEntries(ctx: Ctx, used: readonly CompletionEntry[], keep: (i: HostInterface) => boolean): CompletionEntry[] {
  const seen = new Set(used.map((e) => e.label));
  const kept = ctx.hostInterfaces.filter(keep);
  const entries: CompletionEntry[] = [];
  const add = (label: string, detail: string): void => {
    if (seen.has(label)) return;
    seen.add(label);
    entries.push(withReplace(ctx, { label, kind: 'value', detail, sortText: `h${String(entries.length).padStart(4, '0')}` }));
  };
  for (const i of kept) add(i.name, `${i.kind} on this machine${i.master ? ` (in bridge ${i.master})` : ''}`);
  for (const { wildcard, count } of wildcardsOf(kept.map((i) => i.name))) {
    add(wildcard, `every interface whose name starts with ${wildcard.slice(0, -1)} (${count} on this machine now)`);
  }
  return entries;
}

/* ---------------------------------------------------------------------------------------------
 * Options
 * ------------------------------------------------------------------------------------------- */

const RARE_GENERIC = new Set(['-4', '-6', '-c', '-f']);
const NO_INPUT_INTERFACE = ['OUTPUT', 'POSTROUTING'];
const NO_OUTPUT_INTERFACE = ['INPUT', 'PREROUTING'];

/** Values of these options are offered by completion, so the option is inserted without a placeholder. */
const GENERIC_WITH_VALUES = new Set(['-p', '-m', '-j', '-g', '-i', '-o', '-s', '-d']);

function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/**
 * What accepting an option inserts: the name with a placeholder per required value, or with a blank
 * when completion offers the values next; the name alone when the value is already written after it.
 */
function optionInsert(name: string, spec: OptionSpec, valuesOffered: boolean, nameOnly: boolean, snippets: boolean): { insertText: string; isSnippet?: boolean } {
  if (spec.args.length === 0 || nameOnly) return { insertText: name };
  if (valuesOffered || !snippets) return { insertText: `${name} ` };
  const placeholders = spec.args.filter((a) => !a.optional).map((a, i) => `\${${i + 1}:${escapeSnippet(a.display)}}`);
  if (placeholders.length === 0) return { insertText: name };
  return { insertText: `${name} ${placeholders.join(' ')}`, isSnippet: true };
}

function optionEntries(ctx: Ctx, line: RuleLine, resolved: ResolvedRule, negatedOnly: boolean): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  const wantLong = ctx.partial.startsWith('--');
  const chain = line.chain?.text;
  const builtinChain = chain !== undefined && ctx.table?.chains.get(chain)?.builtin === true ? chain : undefined;
  const hooks = hooksOfChain(ctx.table, line);
  const nameOnly = valueFollows(ctx);

  // Options of the loaded extensions, the latest first (the target's options before the matches').
  const exts: Array<{ use?: ExtensionUse; spec: ExtensionSpec; note: string; rank: number }> = [];
  if (resolved.target?.extension?.spec) exts.push({ use: resolved.target.extension, spec: resolved.target.extension.spec, note: `target ${resolved.target.extension.spec.name}`, rank: 0 });
  const matches = resolved.matches.filter((m) => m.spec);
  matches.reverse().forEach((m, i) => exts.push({ use: m, spec: m.spec as ExtensionSpec, note: m.implicit ? `${m.spec?.name} (implied by -p ${m.nameWord?.text ?? ''})` : `match ${m.spec?.name}`, rank: 1 + Math.min(i, 8) }));
  // `-p tcp` makes the tcp match's options usable before any of them loads it.
  if (resolved.protocol && !resolved.protocol.negated) {
    const implicitName = implicitMatchName(resolved.protocol.word.text, ctx.family);
    const spec = findMatch(implicitName, ctx.family);
    if (spec && !resolved.matches.some((m) => m.spec === spec)) exts.push({ spec, note: `${spec.name} (implied by -p ${resolved.protocol.word.text})`, rank: 1 });
  }
  const later = usedLaterInLine(ctx);
  const taken = new Set<string>();
  for (const e of exts) {
    const used = new Set(e.use?.options.map((o) => o.canonical) ?? []);
    for (const [name, spec] of Object.entries(e.spec.options)) {
      if ((used.has(name) || later.options.has(`${e.spec.name} ${name}`)) && !spec.repeatable) continue;
      if (negatedOnly && !spec.negatable) continue;
      if (spec.family && spec.family !== ctx.family) continue;
      if (spec.chains && hooks.length > 0 && !hooks.every((h) => spec.chains?.includes(h))) continue;
      if (taken.has(name)) continue; // an earlier-loaded extension's option of the same name wins in getopt; offer it once
      taken.add(name);
      const valuesOffered = spec.args[0]?.values !== undefined && spec.args.length === 1;
      out.push(withReplace(ctx, {
        label: name, kind: 'option', detail: `${e.note}${spec.args.length > 0 ? ` · ${spec.args.map((a) => a.display).join(' ')}` : ''}`,
        documentation: spec.doc, ...optionInsert(name, spec, valuesOffered, nameOnly, ctx.snippets), sortText: `${e.rank}${name}`, filterText: name,
      }));
    }
  }

  const usedGeneric = new Set([...resolved.generic.map((g) => g.key), ...later.generic]);
  const hasTarget = resolved.target !== undefined || later.target;
  for (const g of GENERIC_OPTIONS) {
    if (g.refusedInRestore || g.endsRestore || g.pointless) continue;
    if (g.family && g.family !== ctx.family) continue;
    if (usedGeneric.has(g.key) && !g.repeatable) continue;
    if (negatedOnly && !g.negatable) continue;
    if ((g.key === '-j' || g.key === '-g') && hasTarget) continue;
    if (g.key === '-4' && ctx.family === 'ipv6' && usedGeneric.has('-6')) continue;
    if ((g.key === '-4' && usedGeneric.has('-6')) || (g.key === '-6' && usedGeneric.has('-4'))) continue;
    if (builtinChain && g.key === '-i' && NO_INPUT_INTERFACE.includes(builtinChain)) continue;
    if (builtinChain && g.key === '-o' && NO_OUTPUT_INTERFACE.includes(builtinChain)) continue;
    const name = wantLong ? (g.long[0] ?? g.key) : g.key;
    const shape = g.args.map((a) => a.display).join(' ');
    out.push(withReplace(ctx, {
      label: name, kind: 'option', detail: `${wantLong ? g.key : g.long[0] ?? ''}${shape ? ` · ${shape}` : ''}`,
      documentation: g.doc, ...optionInsert(name, g, GENERIC_WITH_VALUES.has(g.key), nameOnly, ctx.snippets), filterText: name,
      sortText: `${RARE_GENERIC.has(g.key) ? 'z' : 'm'}${GENERIC_ORDER.indexOf(g.key).toString().padStart(2, '0')}`,
    }));
  }
  return out;
}

/**
 * Options already written after the cursor on the same line (the cursor may be in the middle of a
 * rule): they are not offered again. Read from the analysed line, skipping the word being typed.
 */
function usedLaterInLine(ctx: Ctx): { generic: Set<string>; options: Set<string>; target: boolean } {
  const out = { generic: new Set<string>(), options: new Set<string>(), target: false };
  const line = ctx.doc.lines[ctx.lineIndex];
  if (line?.kind !== 'rule') return out;
  const resolved = resolvedOf(ctx.doc, ctx.analysis, line);
  const after = (start: number): boolean => start >= ctx.replace.end;
  for (const g of resolved.generic) if (after(g.arg.name.span.start)) out.generic.add(g.key);
  if (resolved.target && after(resolved.target.arg.name.span.start)) out.target = true;
  const exts = [...resolved.matches, ...(resolved.target?.extension ? [resolved.target.extension] : [])];
  for (const ext of exts) {
    if (!ext.spec) continue;
    for (const o of ext.options) if (after(o.arg.name.span.start)) out.options.add(`${ext.spec.name} ${o.canonical}`);
  }
  return out;
}

const GENERIC_ORDER = ['-p', '-s', '-d', '-i', '-o', '-m', '-j', '-g', '-f', '-c', '-4', '-6', '-t', '-w', '-W'];

/* ---------------------------------------------------------------------------------------------
 * Whole-rule snippets
 * ------------------------------------------------------------------------------------------- */

interface RuleSnippet {
  readonly label: string;
  readonly detail: string;
  /** Snippet syntax. */
  readonly body: string;
  /** The rule with the default values (shown as documentation). */
  readonly preview: string;
}

/** Resolves `${1:x}`, `${1|a,b|}`, `$1`, `${1}` and `$0` to their default text (the first choice, the placeholder, or the mirrored value). */
export function expandSnippetDefaults(body: string): string {
  const values = new Map<string, string>();
  const first = body.replace(/\$\{(\d+):([^}]*)\}|\$\{(\d+)\|([^|]*)\|\}/g, (_m, n1: string | undefined, v1: string | undefined, n2: string | undefined, v2: string | undefined) => {
    const n = n1 ?? n2 ?? '';
    const v = v1 ?? (v2 ?? '').split(',')[0] ?? '';
    if (!values.has(n)) values.set(n, v);
    return v;
  });
  return first.replace(/\$\{(\d+)\}|\$(\d+)/g, (_m, a: string | undefined, b: string | undefined) => values.get(a ?? b ?? '') ?? '');
}

function snippet(label: string, detail: string, body: string): RuleSnippet {
  return { label, detail, body, preview: expandSnippetDefaults(body) };
}

/** Rule templates for a table and family; each expands (with its defaults) to rules the real tool accepts. */
export function ruleSnippets(table: TableName, family: Family, ta?: TableAnalysis): RuleSnippet[] {
  const v6 = family === 'ipv6';
  const net = v6 ? 'fd00:122::/64' : '192.168.122.0/24';
  const guest = v6 ? 'fd00:122::10' : '192.168.122.10';
  const out: RuleSnippet[] = [];
  const bridge = escapeSnippet(firstBridge(ta) ?? 'virbr0');
  switch (table) {
    case 'filter':
      out.push(
        snippet('stateful accept', 'accept replies and related traffic', '-A ${1|INPUT,FORWARD,OUTPUT|} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'),
        snippet('allow loopback', 'accept everything on lo', '-A INPUT -i lo -j ACCEPT'),
        snippet('allow SSH', 'new SSH connections to this host', '-A INPUT -p tcp -m tcp --dport ${1:22} -m conntrack --ctstate NEW -j ACCEPT'),
        snippet('allow TCP port', 'new connections to a TCP port', '-A INPUT -p tcp -m tcp --dport ${1:443} -m conntrack --ctstate NEW -j ACCEPT'),
        v6
          ? snippet('allow ping', 'ICMPv6 echo requests', '-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type echo-request -j ACCEPT')
          : snippet('allow ping', 'ICMP echo requests', '-A INPUT -p icmp -m icmp --icmp-type echo-request -j ACCEPT'),
        snippet('reject the rest', 'reject what no earlier rule accepted', `-A \${1|INPUT,FORWARD|} -j REJECT --reject-with \${2:${v6 ? 'icmp6-adm-prohibited' : 'icmp-host-prohibited'}}`),
        snippet('drop invalid', 'drop packets conntrack cannot place', '-A ${1|INPUT,FORWARD|} -m conntrack --ctstate INVALID -j DROP'),
        snippet('DHCP and DNS from guests', 'let guests of a libvirt bridge reach dnsmasq', `-A INPUT -i \${1:${bridge}} -p udp -m udp --dport 53 -j ACCEPT\n-A INPUT -i \${1} -p tcp -m tcp --dport 53 -j ACCEPT\n-A INPUT -i \${1} -p udp -m udp --dport ${v6 ? 547 : 67} -j ACCEPT`),
        snippet('forward guest network', 'let a NAT network out and its replies back in', `-A FORWARD -d \${1:${net}} -o \${2:${bridge}} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A FORWARD -s \${1} -i \${2} -j ACCEPT`),
        snippet('log and drop', 'log (rate-limited) then drop', '-A ${1|INPUT,FORWARD|} -m limit --limit 5/min -j LOG --log-prefix "${2:dropped: }"\n-A ${1} -j DROP'),
      );
      break;
    case 'nat':
      out.push(
        snippet('masquerade network', 'source NAT for a guest network leaving the host', `-A POSTROUTING -s \${1:${net}} ! -d \${1} -j MASQUERADE`),
        snippet('DNAT port forward', 'forward a port of the host to a guest', `-A PREROUTING -i \${1:eth0} -p \${2|tcp,udp|} -m \${2} --dport \${3:8080} -j DNAT --to-destination ${v6 ? `[\${4:${guest}}]` : `\${4:${guest}}`}:\${5:80}`),
        snippet('SNAT to a fixed address', 'source NAT to a static public address', `-A POSTROUTING -s \${1:${net}} -o \${2:eth0} -j SNAT --to-source \${3:${v6 ? '2001:db8::1' : '203.0.113.10'}}`),
        snippet('redirect port', 'send a port to another local port', '-A PREROUTING -p tcp -m tcp --dport ${1:80} -j REDIRECT --to-ports ${2:8080}'),
      );
      break;
    case 'mangle':
      out.push(
        snippet('DHCP checksum fill', 'fill in DHCP reply checksums for guests (libvirt)', `-A POSTROUTING -o \${1:${bridge}} -p udp -m udp --dport ${v6 ? 546 : 68} -j CHECKSUM --checksum-fill`),
        snippet('clamp MSS to PMTU', 'avoid stalls behind tunnels and PPPoE', '-A FORWARD -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu'),
        snippet('set mark', 'mark packets for policy routing', '-A PREROUTING -i ${1:eth0} -j MARK --set-mark ${2:0x1}'),
      );
      break;
    case 'raw':
      out.push(snippet('skip connection tracking', 'exempt traffic from conntrack', '-A PREROUTING -i ${1:lo} -j CT --notrack'));
      break;
    case 'security':
      break;
  }
  return out;
}

/** The bridge most used with `-i`/`-o` in the table, to prefill snippets. */
function firstBridge(ta: TableAnalysis | undefined): string | undefined {
  if (!ta) return undefined;
  for (const r of ta.rules) for (const g of r.resolved.generic) if ((g.key === '-i' || g.key === '-o') && g.values[0] && /^(virbr|br)/.test(g.values[0].text)) return g.values[0].text;
  return undefined;
}
