/**
 * Hover for iptables rulesets: what the word under the cursor means, from the knowledge base
 * (options, matches, targets), the parser (commands), the analysis (chains, policies, jumps) and
 * the address helpers (CIDRs). Returns concise markdown and the span of the word. Pure.
 */
import ipaddr from 'ipaddr.js';
import type { Span } from '../core/span.js';
import { describeCidr, plainIPv4 } from '../net/cidr.js';
import type { HostInterface, InterfaceKind } from '../net/hostInterfaces.js';
import { chainNamed, type Analysis, type TableAnalysis } from './analysis.js';
import { classifyTarget } from './targetKind.js';
import { extensionNamed, locate, plainSpan, tableAnalysisOf, type Located, type RuleContext } from './cursor.js';
import type { GenericOptionSpec } from './kb/generic.js';
import { findMatch, findTarget } from './kb/index.js';
import { isTableName, POLICIES, STANDARD_TARGETS, TABLE_DOCS, TABLES } from './kb/tables.js';
import type { ExtensionSpec, Family, OptionSpec, TargetSpec } from './kb/types.js';
import {
  checkPortLoose, checkPortRangeLoose, dottedIPv4, inetAtonValue, IPV6_EXTENSION_HEADERS, isV4Mapped, isWarningReason, numericIPv4Text, parsePortStrict, PROTOCOL_NUMBERS, rateInWords, readPortLoose, readRate,
  SERVICE_PORTS, WARNING_REASON,
} from './kb/values.js';
import { TCP_FLAGS, tcpFlagSet } from './kb/matches/tcp.js';
import type { Counters, IptablesDocument, TableBlock, Word } from './model.js';
import { findCommand } from './parser.js';
import { implicitMatchName, valueVerdicts, type ExtensionUse, type ResolvedOption } from './resolve.js';
import { rejectTypesStartingWith, resolveRejectType, scanUnsigned } from './kb/targets/targetValues.js';

export interface HoverResult {
  readonly markdown: string;
  readonly span: Span;
}

/** What hover may know of the machine it runs on. */
export interface HoverHost {
  readonly interfaces?: readonly HostInterface[];
}

export function hoverAt(doc: IptablesDocument, analysis: Analysis, offset: number, host: HoverHost = {}): HoverResult | undefined {
  const at = locate(doc, analysis, offset);
  if (!at) return undefined;
  let markdown = hoverMarkdown(doc, analysis, at);
  if (markdown === undefined) return undefined;
  const problem = valueProblem(at, doc.family);
  if (problem) {
    const lines = markdown.split('\n');
    markdown = [lines[0] ?? '', '', problem, ...lines.slice(1)].join('\n');
  }
  const isInterface = (at.kind === 'genericValue' && (at.use.spec.key === '-i' || at.use.spec.key === '-o'))
    || (at.kind === 'optionValue' && at.ext.spec?.name === 'physdev' && (at.option.canonical === '--physdev-in' || at.option.canonical === '--physdev-out'));
  // No interfaces at all means no sysfs (another OS, a sandbox): nothing is known of the machine.
  if (isInterface && host.interfaces && host.interfaces.length > 0) markdown += `\n\n${interfaceOnHost(at.word.text, host.interfaces)}`;
  const span = plainSpan(spanOf(at));
  // On the `*` of `*filter` or the `:` of `:INPUT`: the hover covers the marker too.
  return { markdown, span: offset < span.start ? { start: offset, end: span.end } : span };
}

/**
 * What the value check says of the value under the cursor (the reason `bad-value` or
 * `family-mismatch` reports), as a line for the hover: why iptables refuses it, or the warning it
 * loads with.
 */
function valueProblem(at: Located, family: Family): string | undefined {
  let reason: string | undefined;
  if (at.kind === 'genericValue') reason = valueVerdicts(at.use, family)[at.index];
  else if (at.kind === 'optionValue') {
    reason = valueVerdicts(at.option, family)[at.index];
    const arg = at.option.spec.args[at.index];
    // An option with a list of values and no check of its own takes only those (as bad-value reads it).
    if (!reason && arg && !arg.check && arg.values && !arg.values.includes(at.word.text)) reason = `expected one of ${arg.values.join(', ')}`;
  }
  if (!reason) return undefined;
  return isWarningReason(reason) ? `**Loads, with a warning:** ${reason.slice(WARNING_REASON.length)}.` : `**iptables refuses this value:** ${reason}.`;
}

/** What the interfaces of the machine the server runs on say about an interface name or wildcard. */
function interfaceOnHost(value: string, interfaces: readonly HostInterface[]): string {
  if (value.endsWith('+')) {
    const prefix = value.slice(0, -1);
    if (prefix === '') return `On this machine now: ${listNames(interfaces.map((i) => i.name))}.`;
    const covered = interfaces.filter((i) => i.name.startsWith(prefix)).map((i) => i.name);
    return covered.length > 0
      ? `On this machine now it covers ${listNames(covered)}.`
      : `No interface on this machine starts with ${code(prefix)} now.`;
  }
  const found = interfaces.find((i) => i.name === value);
  // The machine the server runs on is the host when VS Code runs remotely on it, but not always:
  // say what is known of this machine, and what that means only if the ruleset is for it.
  if (!found) return `No interface of this name on this machine now: loaded here, the rule would match nothing until one appears (iptables accepts names of interfaces that do not exist yet, such as a libvirt bridge before its network starts).`;
  const what: Record<InterfaceKind, string> = { loopback: 'the loopback', bridge: 'a bridge', 'bridge port': 'a bridge port', 'tun/tap': 'a tun/tap device', other: 'an interface' };
  let line = `On this machine: ${what[found.kind]}`;
  if (found.master) line += ` of ${code(found.master)}`;
  if (found.kind === 'bridge') {
    const ports = interfaces.filter((i) => i.master === found.name).map((i) => i.name);
    line += ports.length > 0 ? ` with the ports ${listNames(ports)}` : ' without ports now';
  }
  return `${line}.`;
}

function spanOf(at: Located): Span {
  switch (at.kind) {
    case 'counters':
      return at.counters.span;
    case 'commit':
    case 'negation':
      return at.span;
    default:
      return at.word.span;
  }
}

function hoverMarkdown(doc: IptablesDocument, analysis: Analysis, at: Located): string | undefined {
  const family = doc.family;
  switch (at.kind) {
    case 'tableName':
      return tableHover(at.word.text, tableAnalysisOf(analysis, at.block));
    case 'chainName': {
      const ta = tableAnalysisOf(analysis, at.block);
      return ta ? chainHover(ta, at.word.text) : undefined;
    }
    case 'chainPolicy':
      return policyHover(at.word.text, at.line.name.text, tableAnalysisOf(analysis, at.block));
    case 'counters':
      return countersHover(at.counters);
    case 'commit':
      return commitHover(at.block);
    case 'command':
      return commandHover(at.word.text);
    case 'commandValue':
      return commandValueHover(at.rule, at.index, at.word.text);
    case 'genericName':
      return genericOptionHover(at.use.spec, at.word.text);
    case 'genericValue':
      return genericValueHover(at.rule, at.use.spec, at.index, at.word, family);
    case 'optionName':
      return optionHover(at.ext, at.option.canonical, at.option.spec, family);
    case 'optionValue':
      return optionValueHover(at.ext, at.option, at.index, at.word.text, family);
    case 'negation':
      return `**!** — negation\n\nInverts the option that follows: the rule matches the packets for which ${code(doc.text.slice(at.arg.name.span.start, at.arg.span.end))} does **not** hold.`;
    case 'unknownOption':
      return unknownOptionHover(at.rule, at.word.text, at.candidates);
  }
}

/* ---------------------------------------------------------------------------------------------
 * Markdown helpers
 * ------------------------------------------------------------------------------------------- */

/** Inline code that survives backticks in the text. */
function code(text: string): string {
  // One backtick more than the longest run in the text, so that none of them closes the span.
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function plural(n: number | bigint, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 || n === 1n ? one : many}`;
}

function listNames(names: readonly string[], max = 12): string {
  const shown = names.slice(0, max).map(code).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/* ---------------------------------------------------------------------------------------------
 * Tables, chains, policies, counters, COMMIT, commands
 * ------------------------------------------------------------------------------------------- */

function tableHover(name: string, ta: TableAnalysis | undefined): string {
  if (!isTableName(name)) {
    return `**table ${code(name)}** — unknown\n\niptables-restore knows the tables ${listNames(Object.keys(TABLES))}.`;
  }
  const lines = [`**table ${code(name)}**`, '', TABLE_DOCS[name], '', `Built-in chains: ${listNames(TABLES[name])}.`];
  if (ta) {
    const user = [...ta.chains.values()].filter((c) => !c.builtin).length;
    lines.push(`In this file: ${plural(user, 'user chain')}, ${plural(ta.rules.length, 'command')}.`);
  }
  return lines.join('\n');
}

const BUILTIN_CHAIN_DOCS: Readonly<Record<string, string>> = {
  PREROUTING: 'every packet that arrives, before the routing decision',
  INPUT: 'packets addressed to this host',
  FORWARD: 'packets routed through this host (e.g. to and from guests)',
  OUTPUT: 'packets this host sends',
  POSTROUTING: 'every packet about to leave, after the routing decision',
};

/** The policy in force: the last `-P CHAIN X` of the table, else the `:CHAIN X` declaration. */
export function effectivePolicy(ta: TableAnalysis, chain: string): string | undefined {
  let policy: string | undefined;
  for (const cl of ta.block.chainLines) if (cl.name.text === chain && cl.policy) policy = cl.policy.text;
  for (const r of ta.rules) {
    if (r.line.commandKind === 'policy' && r.chain === chain) {
      const p = r.line.command?.values[1]?.text;
      if (p) policy = p;
    }
  }
  return policy;
}

function chainHover(ta: TableAnalysis, name: string): string {
  // A name that -E renamed away still names that chain on the lines before the rename.
  const info = chainNamed(ta, name);
  if (!info) return `**chain ${code(name)}** — not declared in table ${code(ta.name)}`;
  const lines: string[] = [];
  const renames = ta.renames.filter((r) => r.chain === info);
  if (info.builtin) {
    lines.push(`**chain ${code(name)}** — built-in chain of table ${code(ta.name)}`, '');
    const what = BUILTIN_CHAIN_DOCS[name];
    if (what) lines.push(`Sees ${what}.`, '');
    const policy = effectivePolicy(ta, name);
    if (policy) lines.push(`- Policy: **${policy}**${policy === 'DROP' ? ' (packets no rule decides are dropped)' : policy === 'ACCEPT' ? ' (packets no rule decides are accepted)' : ''}`);
  } else {
    lines.push(`**chain ${code(name)}** — user chain of table ${code(ta.name)}${info.name !== name ? `, renamed to ${code(info.name)} later in the file` : ''}`, '');
    lines.push('- No policy: packets that reach its end go back to the calling chain');
    if (renames.length > 0) lines.push(`- Renamed: ${renames.map((r) => `${code(r.from.text)} → ${code(r.to.text)} (line ${r.line.index + 1})`).join(', ')}; the rules and jumps below are the chain's under every name`);
  }
  lines.push(`- Rules: ${info.rules.length}`);
  if (!info.builtin) {
    const refs = info.references;
    if (refs.length === 0) lines.push('- Nothing jumps here (the chain is unused)');
    else {
      const shown = refs.slice(0, 8).map((r) => `line ${r.line.index + 1} (${code(r.chain ?? '?')})`).join(', ');
      lines.push(`- Jumped to from: ${shown}${refs.length > 8 ? ` and ${refs.length - 8} more` : ''}`);
    }
    const hooks = ta.hooks.get(info.name);
    if (hooks && hooks.size > 0) lines.push(`- Reached from built-in chain${hooks.size === 1 ? '' : 's'}: ${listNames([...hooks])}`);
  }
  const declarations = renames.length === 0 ? info.declarations : info.declarations.filter((d) => !renames.some((r) => r.line === d.line));
  if (declarations.length > 1) lines.push(`- Declared ${declarations.length} times (lines ${declarations.map((d) => d.line.index + 1).join(', ')})`);
  return lines.join('\n');
}

function policyHover(policy: string, chain: string, ta: TableAnalysis | undefined): string {
  if (policy === '-') {
    const builtin = ta?.chains.get(chain)?.builtin ?? false;
    return builtin
      ? `**-** — a built-in chain needs a policy\n\n${code(chain)} is built in: write ACCEPT or DROP.`
      : `**-** — user chain\n\nUser chains have no policy: packets that reach the end of ${code(chain)} go back to the chain that jumped here.`;
  }
  if (policy === 'ACCEPT') return `**ACCEPT** — policy of ${code(chain)}\n\nPackets that reach the end of the chain without a verdict are accepted.`;
  if (policy === 'DROP') return `**DROP** — policy of ${code(chain)}\n\nPackets that reach the end of the chain without a verdict are dropped silently.`;
  return `**${code(policy)}** — not a policy\n\nBuilt-in chains take ${POLICIES.join(' or ')}; user chains take \`-\`.`;
}

/** `1536` -> `1.5 KiB`. */
export function humanBytes(bytes: bigint): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  if (bytes < 1024n) return plural(bytes, 'byte');
  let unit = 0;
  let scaled = Number(bytes);
  while (scaled >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return `${scaled.toFixed(scaled < 10 ? 2 : 1).replace(/\.?0+$/, '')} ${units[unit]}`;
}

function countersText(packets: string, bytes: string): string {
  const p = /^[0-9]+$/.test(packets) ? BigInt(packets) : undefined;
  const b = /^[0-9]+$/.test(bytes) ? BigInt(bytes) : undefined;
  if (p === undefined || b === undefined) return `Malformed counters: expected ${code('[packets:bytes]')} with two numbers.`;
  const human = b >= 1024n ? `${humanBytes(b)} (${plural(b, 'byte')})` : plural(b, 'byte');
  return `${plural(p, 'packet')}, ${human}`;
}

function countersHover(c: Counters): string {
  return `**Counters** ${code(`[${c.packets}:${c.bytes}]`)}\n\n${countersText(c.packets, c.bytes)} (restored as the starting values with \`iptables-restore --counters\`).`;
}

function commitHover(block: TableBlock | undefined): string {
  const name = block ? ` table ${code(block.name)}` : ' the table';
  return `**COMMIT** — ends${name}\n\niptables-restore applies everything since the \`*table\` line at once, here; nothing of the table is applied when any line of it fails.`;
}

function commandHover(name: string): string | undefined {
  const c = findCommand(name);
  if (!c) return undefined;
  const shape: Record<string, string> = {
    append: 'chain rule', insert: 'chain [number] rule', delete: 'chain number|rule', replace: 'chain number rule',
    'new-chain': 'chain', 'delete-chain': '[chain]', flush: '[chain]', zero: '[chain [number]]', policy: 'chain ACCEPT|DROP', 'rename-chain': 'old new',
  };
  return `**${c.short}** ${code(shape[c.kind] ?? '')} — command (also ${code(c.long)})\n\n${c.doc}`;
}

function commandValueHover(rule: RuleContext, index: number, value: string): string | undefined {
  const kind = rule.line.commandKind;
  const ta = rule.table;
  if (index === 0) {
    if (kind === 'zero' && /^[0-9]+$/.test(value)) return undefined;
    if (!ta) return `**chain ${code(value)}**`;
    if (kind === 'new-chain') {
      return chainNamed(ta, value) ? chainHover(ta, value) : `**chain ${code(value)}** — created by this line`;
    }
    return chainHover(ta, value);
  }
  if (kind === 'policy') return policyHover(value, rule.line.chain?.text ?? '', ta);
  if (kind === 'rename-chain') return `**${code(value)}** — the new name of chain ${code(rule.line.chain?.text ?? '')}`;
  if ((kind === 'insert' || kind === 'delete' || kind === 'replace' || kind === 'zero') && /^[0-9]+$/.test(value)) {
    const chain = rule.line.chain?.text ?? '';
    return `**${value}** — rule number in ${code(chain)}\n\nRules are numbered from 1 (the top of the chain)${kind === 'insert' ? '; the new rule goes before the rule now at this position' : ''}.`;
  }
  return undefined;
}

/* ---------------------------------------------------------------------------------------------
 * Generic options and their values
 * ------------------------------------------------------------------------------------------- */

function argShape(spec: OptionSpec): string {
  return spec.args.map((a) => (a.optional ? `[${a.display}]` : a.display)).join(' ');
}

function genericOptionHover(spec: GenericOptionSpec, written: string): string {
  const shape = argShape(spec);
  const spellings = [spec.key, ...spec.long].filter((s) => s !== written);
  const lines = [`**${written}**${shape ? ` ${code(shape)}` : ''} — generic option${spellings.length > 0 ? ` (also ${spellings.map(code).join(', ')})` : ''}`, '', spec.doc];
  const facts: string[] = [];
  if (spec.negatable) facts.push(`Can be negated: ${code(`! ${spec.key} …`)}`);
  if (spec.family) facts.push(`Only in ${spec.family === 'ipv4' ? 'IPv4 (iptables)' : 'IPv6 (ip6tables)'} rulesets`);
  if (spec.key === '-i') facts.push('Not allowed in OUTPUT and POSTROUTING (no input interface there)');
  if (spec.key === '-o') facts.push('Not allowed in INPUT and PREROUTING (no output interface yet)');
  if (spec.refusedInRestore) facts.push(`Refused in a restore file: ${spec.refusedInRestore}`);
  if (facts.length > 0) lines.push('', ...facts.map((f) => `- ${f}`));
  return lines.join('\n');
}

function genericValueHover(rule: RuleContext, spec: GenericOptionSpec, index: number, word: Word, family: Family): string | undefined {
  const value = word.text;
  switch (spec.key) {
    case '-s':
    case '-d':
      return addressHover(value, family, 'address');
    case '-p':
      return protocolHover(value, family);
    case '-i':
    case '-o':
      return interfaceHover(value, spec.key);
    case '-m': {
      const use = extensionNamed(rule.resolved, word);
      const match = use?.spec ?? findMatch(value, family);
      return match ? matchHover(match, family) : `**${code(value)}** — a match kvmnet does not know\n\nA newer iptables may have it; its options are not checked.`;
    }
    case '-j':
    case '-g':
      return targetValueHover(rule, spec.key, value, family);
    case '-c': {
      const other = rule.resolved.generic.find((g) => g.key === '-c')?.values ?? [];
      return `**Counters** (${index === 0 ? 'packets' : 'bytes'})\n\n${countersText(other[0]?.text ?? '', other[1]?.text ?? '')}.`;
    }
    default:
      return undefined;
  }
}

function targetValueHover(rule: RuleContext, key: '-j' | '-g', value: string, family: Family): string {
  const ta = rule.table;
  const chain = ta ? chainNamed(ta, value) : undefined;
  if (chain && !chain.builtin && ta) {
    const how = key === '-j'
      ? 'Jump: when the chain ends or RETURNs, the packet continues with the next rule here.'
      : 'Goto: when the chain ends or RETURNs, the packet goes back to the chain that called this one, not here.';
    return `${chainHover(ta, value)}\n\n${how}`;
  }
  if (chain?.builtin) return `**${code(value)}** — a built-in chain\n\nRules cannot jump to built-in chains; jump to a user chain or use a verdict.`;
  if (key === '-g') return `**${code(value)}** — no chain of this name in table ${code(ta?.name ?? '?')}\n\n\`-g\` needs a user chain declared with \`:${value} - [0:0]\`.`;
  const spec = findTarget(value, family);
  if (spec) return targetHover(spec, family);
  // A near miss of a target or chain: what the diagnostic says (unknown-module), not "declare it".
  const kind = ta ? classifyTarget(rule.resolved, ta, family) : undefined;
  if (kind?.kind === 'nearMiss') {
    return `**${code(value)}** — not a chain of table ${code(ta?.name ?? '?')} and not a target\n\nDid you mean ${code(kind.suggestion)}${kind.isChain ? ' (a chain of this table)' : ''}?`;
  }
  return `**${code(value)}** — not a chain of table ${code(ta?.name ?? '?')} and not a target kvmnet knows\n\nDeclare it with \`:${value} - [0:0]\` if it is meant to be a user chain.`;
}

const PROTOCOL_DOCS: Readonly<Record<string, string>> = {
  tcp: 'Transmission Control Protocol', udp: 'User Datagram Protocol', icmp: 'ICMP (IPv4 control messages: ping, errors)',
  icmpv6: 'ICMPv6 (IPv6 control messages, neighbour discovery)', 'ipv6-icmp': 'ICMPv6 (IPv6 control messages, neighbour discovery)',
  sctp: 'Stream Control Transmission Protocol', udplite: 'UDP-Lite', dccp: 'Datagram Congestion Control Protocol',
  esp: 'IPsec Encapsulating Security Payload', ah: 'IPsec Authentication Header', gre: 'Generic Routing Encapsulation',
  igmp: 'Internet Group Management Protocol', mh: 'IPv6 Mobility Header', 'ipv6-mh': 'IPv6 Mobility Header',
};

const PROTOCOL_NAME_NUMBERS: Readonly<Record<string, number>> = {
  ...PROTOCOL_NUMBERS, gre: 47, igmp: 2, all: 0, ipip: 4, ipencap: 4, ipv6: 41, ospf: 89, pim: 103, vrrp: 112, l2tp: 115,
  // /etc/protocols' names of the IPv6 extension headers (bad-value warns about them with -p in ip6tables).
  hopopt: 0, 'ipv6-route': 43, 'ipv6-frag': 44, 'ipv6-nonxt': 59, 'ipv6-opts': 60,
};

function protocolHover(value: string, family: Family): string {
  const lower = value.toLowerCase();
  if (lower === 'all' || value === '0') return `**${code(value)}** — every protocol (the same as leaving \`-p\` out)`;
  if (lower === 'hopopt') return `**${code(value)}** — protocol number 0 (IPv6 hop-by-hop options), which iptables reads as every protocol: the rule matches all packets${family === 'ipv6' ? '; for the hop-by-hop header use `-m hbh`' : ''}`;
  let number: number | undefined;
  let name: string | undefined;
  if (/^[0-9]+$/.test(value)) {
    number = Number(value);
    name = Object.entries(PROTOCOL_NAME_NUMBERS).find(([, n]) => n === number)?.[0];
  } else {
    name = lower;
    number = PROTOCOL_NAME_NUMBERS[lower];
  }
  const title = `**${code(value)}** — protocol${number !== undefined ? ` number ${number}` : ''}${name && name !== lower ? ` (${name})` : ''}`;
  const lines = [title];
  const what = name ? PROTOCOL_DOCS[name] : undefined;
  if (what) lines.push('', `${what}.`);
  if (number === undefined) lines.push('', 'Not a name kvmnet knows: iptables looks it up in /etc/protocols when the rule is loaded.');
  const header = family === 'ipv6' && number !== undefined ? IPV6_EXTENSION_HEADERS.get(number)?.match : undefined;
  if (header) lines.push('', `An IPv6 extension header: ip6tables compares -p with the protocol after the extension headers, so this never matches; use \`-m ${header}\`.`);
  const implicit = findMatch(implicitMatchName(name ?? value, family), family);
  if (implicit && Object.keys(implicit.options).length > 0) {
    lines.push('', `Makes the ${code(implicit.name)} match's options available without \`-m ${implicit.name}\`: ${listNames(Object.keys(implicit.options), 8)}.`);
  }
  return lines.join('\n');
}

function interfaceHover(value: string, key: '-i' | '-o'): string {
  const dir = key === '-i' ? 'Input' : 'Output';
  if (value.endsWith('+')) {
    const prefix = value.slice(0, -1);
    return prefix === ''
      ? `**${code(value)}** — ${dir.toLowerCase()} interface: any interface`
      : `**${code(value)}** — ${dir.toLowerCase()} interface wildcard\n\nEvery interface whose name starts with ${code(prefix)}.`;
  }
  const notes: Record<string, string> = {
    lo: 'The loopback interface (traffic of this host to itself).',
    virbr0: 'libvirt\'s default NAT bridge (network `default`, usually 192.168.122.0/24).',
  };
  return `**${code(value)}** — ${dir.toLowerCase()} interface${notes[value] ? `\n\n${notes[value]}` : ''}`;
}

/* ---------------------------------------------------------------------------------------------
 * Matches, targets and their options
 * ------------------------------------------------------------------------------------------- */

/**
 * `twin`: the extension of that name in the other family, when there is one (REJECT has a spec per
 * family, with its own reject types): then the extension is not limited to one family.
 */
function constraintFacts(spec: ExtensionSpec, twin: ExtensionSpec | undefined): string[] {
  const facts: string[] = [];
  if (spec.protocols && spec.protocols.length > 0) facts.push(`Needs ${code(`-p ${[...new Set(spec.protocols.filter((p) => !/^[0-9]+$/.test(p)))].join('|')}`)}`);
  if (spec.tables && spec.tables.length > 0) facts.push(`Only in table${spec.tables.length === 1 ? '' : 's'} ${listNames(spec.tables)}`);
  if (spec.chains && spec.chains.length > 0) facts.push(`Only in chain${spec.chains.length === 1 ? '' : 's'} ${listNames(spec.chains)} (and user chains reached only from there)`);
  if (spec.family && !twin) facts.push(`Only in ${spec.family === 'ipv4' ? 'IPv4 (iptables)' : 'IPv6 (ip6tables)'} rulesets`);
  return facts;
}

function otherFamily(family: Family): Family {
  return family === 'ipv4' ? 'ipv6' : 'ipv4';
}

function optionList(spec: ExtensionSpec): string | undefined {
  const names = Object.entries(spec.options).map(([n, o]) => (o.args.length > 0 ? `${n} ${argShape(o)}` : n));
  return names.length > 0 ? `Options: ${listNames(names, 10)}` : undefined;
}

function matchHover(spec: ExtensionSpec, _family: Family): string {
  const lines = [`**${code(spec.name)}** — match extension`, '', spec.doc];
  const facts = constraintFacts(spec, spec.family && findMatch(spec.name, otherFamily(spec.family)));
  const opts = optionList(spec);
  if (opts) facts.push(opts);
  if (facts.length > 0) lines.push('', ...facts.map((f) => `- ${f}`));
  return lines.join('\n');
}

function targetHover(spec: TargetSpec, _family: Family): string {
  const standard = STANDARD_TARGETS.includes(spec.name);
  const kind = standard ? 'standard verdict' : `target extension, ${spec.terminating ? 'terminating (decides the packet)' : 'non-terminating (the packet goes on to the next rule)'}`;
  const lines = [`**${code(spec.name)}** — ${kind}`, '', spec.doc];
  const facts = constraintFacts(spec, spec.family && findTarget(spec.name, otherFamily(spec.family)));
  const opts = optionList(spec);
  if (opts) facts.push(opts);
  if (facts.length > 0) lines.push('', ...facts.map((f) => `- ${f}`));
  return lines.join('\n');
}

function ownerText(ext: ExtensionUse): string {
  if (ext.kind === 'target') return `option of target ${code(ext.name)}`;
  return ext.implicit ? `option of match ${code(ext.spec?.name ?? ext.name)} (loaded by \`-p ${ext.nameWord?.text ?? ext.name}\`)` : `option of match ${code(ext.spec?.name ?? ext.name)}`;
}

function optionHover(ext: ExtensionUse, canonical: string, spec: OptionSpec, _family: Family): string {
  const shape = argShape(spec);
  const lines = [`**${canonical}**${shape ? ` ${code(shape)}` : ''} — ${ownerText(ext)}`, '', spec.doc];
  const facts: string[] = [];
  if (spec.aliases && spec.aliases.length > 0) facts.push(`Also spelled ${spec.aliases.map(code).join(', ')}`);
  if (spec.negatable) facts.push(`Can be negated: ${code(`! ${canonical} …`)}`);
  const protocols = spec.protocols ?? ext.spec?.protocols;
  if (protocols && protocols.length > 0) facts.push(`Needs ${code(`-p ${[...new Set(protocols.filter((p) => !/^[0-9]+$/.test(p)))].join('|')}`)}`);
  if (spec.chains && spec.chains.length > 0) facts.push(`Only in chain${spec.chains.length === 1 ? '' : 's'} ${listNames(spec.chains)}`);
  if (spec.requires && spec.requires.length > 0) facts.push(`Needs ${spec.requires.map(code).join(', ')}`);
  if (spec.conflicts && spec.conflicts.length > 0) facts.push(`Cannot be combined with ${spec.conflicts.map(code).join(', ')}`);
  if (spec.repeatable) facts.push('May be given more than once');
  if (spec.family) facts.push(`Only in ${spec.family === 'ipv4' ? 'IPv4' : 'IPv6'} rulesets`);
  const values = spec.args.find((a) => a.values && a.values.length > 0)?.values;
  if (values && values.length <= 16) facts.push(`Values: ${listNames(values, 16)}`);
  if (facts.length > 0) lines.push('', ...facts.map((f) => `- ${f}`));
  return lines.join('\n');
}

function unknownOptionHover(rule: RuleContext, name: string, candidates?: readonly string[]): string {
  if (candidates && candidates.length > 0) return `**${code(name)}** — ambiguous abbreviation\n\nIt could be ${listNames(candidates)}; write the option out.`;
  const loaded = rule.resolved.matches.filter((m) => m.spec).map((m) => m.name);
  return `**${code(name)}** — not an option of the generic options${loaded.length > 0 ? ` or of ${listNames(loaded)}` : ''}\n\nA match option needs its \`-m NAME\` before it.`;
}

/* ---------------------------------------------------------------------------------------------
 * Values of extension options
 * ------------------------------------------------------------------------------------------- */

const CT_STATE_DOCS: Readonly<Record<string, string>> = {
  NEW: 'the packet opens a new connection (or one not yet seen in both directions)',
  ESTABLISHED: 'the connection has seen traffic in both directions (replies included)',
  RELATED: 'the packet starts a connection tied to an existing one (an FTP data channel, an ICMP error about a tracked flow)',
  INVALID: 'connection tracking could not place the packet (malformed, out of window); usually dropped',
  UNTRACKED: 'the packet was exempted from tracking in the raw table (NOTRACK, CT --notrack)',
  SNAT: 'virtual state: the connection\'s source was translated',
  DNAT: 'virtual state: the connection\'s destination was translated',
};

const CT_STATUS_DOCS: Readonly<Record<string, string>> = {
  NONE: 'no status bit is set',
  EXPECTED: 'the connection was expected by a helper (e.g. FTP data)',
  SEEN_REPLY: 'a reply has been seen',
  ASSURED: 'the entry is established enough not to be evicted early',
  CONFIRMED: 'the entry has left the first packet\'s path and is in the table',
};

/** What each reject type answers (completion shows these too). */
export const REJECT_DOCS: Readonly<Record<string, string>> = {
  'icmp-net-unreachable': 'answers with ICMP "network unreachable"',
  'icmp-host-unreachable': 'answers with ICMP "host unreachable"',
  'icmp-port-unreachable': 'answers with ICMP "port unreachable", the default (what a closed UDP port sends)',
  'icmp-proto-unreachable': 'answers with ICMP "protocol unreachable"',
  'icmp-net-prohibited': 'answers with ICMP "network administratively prohibited"',
  'icmp-host-prohibited': 'answers with ICMP "host administratively prohibited" (the choice of RHEL/Fedora default rulesets)',
  'icmp-admin-prohibited': 'answers with ICMP "communication administratively prohibited"',
  'tcp-reset': 'answers with a TCP RST, as a closed TCP port does (only for TCP rules)',
  'icmp6-no-route': 'answers with ICMPv6 "no route to destination"',
  'icmp6-adm-prohibited': 'answers with ICMPv6 "administratively prohibited"',
  'icmp6-addr-unreachable': 'answers with ICMPv6 "address unreachable"',
  'icmp6-port-unreachable': 'answers with ICMPv6 "port unreachable", the default',
  'icmp6-policy-fail': 'answers with ICMPv6 "failed ingress/egress policy"',
  'icmp6-reject-route': 'answers with ICMPv6 "reject route to destination"',
};

/**
 * A reject type as iptables reads it: the first type, in its table's order, whose name or short
 * alias starts with the value (case-insensitive), whether or not other types start so too
 * (`icmp-host` loads as icmp-host-unreachable, `icmp-p` as icmp-proto-unreachable: checked with
 * iptables-nft-save).
 */
function rejectTypeDoc(value: string, family: Family): string | undefined {
  const full = resolveRejectType(value, family);
  const doc = full ? REJECT_DOCS[full] : undefined;
  if (!full || !doc) return undefined;
  const lower = value.toLowerCase();
  const types = rejectTypesStartingWith(value, family);
  const alias = types.find(([name]) => name === full)?.[1];
  const starting = types.map(([name]) => name);
  let how = '';
  if (lower === alias && alias !== full) how = ` (${code(full)}; ${code(value)} is its short name)`;
  // Ambiguous: the value check's warning (shown above) says why iptables takes the first.
  else if (lower !== full && starting.length > 1) how = ` (read as ${code(full)}, the first of ${listNames(starting)})`;
  else if (lower !== full) how = ` (${code(full)}: iptables takes a start of the name)`;
  return `- ${code(value)}${how}: ${doc}`;
}

const LOG_LEVELS: ReadonlyArray<readonly [string, string]> = [
  ['emerg', 'the system is unusable'], ['alert', 'act immediately'], ['crit', 'critical condition'], ['error', 'error condition'],
  ['warning', 'warning, the default'], ['notice', 'normal but significant'], ['info', 'informational'], ['debug', 'debugging detail'],
];

const TCP_FLAG_DOCS: Readonly<Record<string, string>> = {
  SYN: 'synchronize: opens a connection', ACK: 'acknowledgement field is valid', FIN: 'the sender has finished sending',
  RST: 'reset: aborts the connection', URG: 'urgent pointer is valid', PSH: 'push buffered data to the application',
  ALL: 'every flag', NONE: 'no flag',
};

const PKT_TYPE_DOCS: Readonly<Record<string, string>> = {
  unicast: 'addressed to one host', broadcast: 'sent to every host of the link', multicast: 'sent to a group of hosts',
  otherhost: 'addressed to another host (seen on a bridge or in promiscuous mode)', host: 'addressed to this host',
};

const ADDRESS_TYPE_DOCS: Readonly<Record<string, string>> = {
  UNSPEC: 'the unspecified address (0.0.0.0 or ::)', UNICAST: 'an ordinary unicast address', LOCAL: 'an address of this host',
  BROADCAST: 'a broadcast address', ANYCAST: 'an anycast address', MULTICAST: 'a multicast address',
  BLACKHOLE: 'routed to a blackhole route', UNREACHABLE: 'routed to an unreachable route', PROHIBIT: 'routed to a prohibit route',
  THROW: 'routed to a throw route', NAT: 'a NAT route address', XRESOLVE: 'an external-resolver route address',
};

const CT_DIR_DOCS: Readonly<Record<string, string>> = {
  ORIGINAL: 'packets in the direction of the connection\'s first packet', REPLY: 'packets of the answers',
};

const ICMP_TYPES_V4: ReadonlyArray<readonly [number, string, string]> = [
  [0, 'echo-reply', 'answer to a ping'], [3, 'destination-unreachable', 'the packet could not be delivered'], [4, 'source-quench', 'obsolete congestion signal'],
  [5, 'redirect', 'a better route exists'], [8, 'echo-request', 'ping'], [9, 'router-advertisement', 'a router announces itself'],
  [10, 'router-solicitation', 'a host looks for routers'], [11, 'time-exceeded', 'TTL ran out (what traceroute sees)'], [12, 'parameter-problem', 'bad IP header'],
  [13, 'timestamp-request', 'clock query'], [14, 'timestamp-reply', 'clock answer'], [17, 'address-mask-request', 'netmask query'], [18, 'address-mask-reply', 'netmask answer'],
];

const ICMP_TYPES_V6: ReadonlyArray<readonly [number, string, string]> = [
  [1, 'destination-unreachable', 'the packet could not be delivered'], [2, 'packet-too-big', 'path MTU discovery: never block it'],
  [3, 'time-exceeded', 'hop limit ran out'], [4, 'parameter-problem', 'bad IPv6 header'], [128, 'echo-request', 'ping'], [129, 'echo-reply', 'answer to a ping'],
  [133, 'router-solicitation', 'a host looks for routers'], [134, 'router-advertisement', 'a router announces itself and the prefix (SLAAC)'],
  [135, 'neighbour-solicitation', 'IPv6 address resolution (like ARP): never block it'], [136, 'neighbour-advertisement', 'answer to a neighbour solicitation'], [137, 'redirect', 'a better route exists'],
];

const ICMP_ALIASES: Readonly<Record<string, string>> = { ping: 'echo-request', pong: 'echo-reply', 'neighbor-solicitation': 'neighbour-solicitation', 'neighbor-advertisement': 'neighbour-advertisement', 'ttl-exceeded': 'time-exceeded' };

function listItemsDoc(value: string, docs: Readonly<Record<string, string>>, caseInsensitive: boolean): string | undefined {
  const items = value.split(',');
  const lines: string[] = [];
  for (const item of items) {
    const key = caseInsensitive ? Object.keys(docs).find((k) => k.toLowerCase() === item.toLowerCase()) : item;
    const doc = key !== undefined ? docs[key] : undefined;
    if (doc === undefined) return undefined;
    lines.push(`- ${code(item)}: ${doc}`);
  }
  return lines.join('\n');
}

function icmpTypeDoc(value: string, family: Family): string | undefined {
  const table = family === 'ipv6' ? ICMP_TYPES_V6 : ICMP_TYPES_V4;
  const [typeText = '', codeText] = value.split('/');
  if (/^[0-9]+$/.test(typeText)) {
    const entry = table.find(([n]) => n === Number(typeText));
    const head = `type ${typeText}${codeText !== undefined ? `, code ${codeText}` : ''}`;
    return entry ? `${head}: ${code(entry[1])}, ${entry[2]}` : head;
  }
  if (value.toLowerCase() === 'any') return 'every ICMP type';
  const name = ICMP_ALIASES[value.toLowerCase()] ?? value.toLowerCase();
  const entry = table.find(([, n]) => n.toLowerCase() === name);
  if (entry) return `type ${entry[0]}: ${entry[2]}${name !== value.toLowerCase() ? ` (${code(value)} is another name for ${code(entry[1])})` : ''}`;
  return undefined;
}

function valueDoc(canonical: string, value: string, family: Family): string | undefined {
  switch (canonical) {
    case '--ctstate':
    case '--state':
      return listItemsDoc(value, CT_STATE_DOCS, true);
    case '--ctstatus':
      return listItemsDoc(value, CT_STATUS_DOCS, true);
    case '--reject-with':
      return rejectTypeDoc(value, family);
    case '--log-level': {
      const n = /^[0-7]$/.test(value) ? Number(value) : LOG_LEVELS.findIndex(([name]) => name === value.toLowerCase() || (value.toLowerCase() === 'err' && name === 'error') || (value.toLowerCase() === 'warn' && name === 'warning') || (value.toLowerCase() === 'panic' && name === 'emerg'));
      const level = LOG_LEVELS[n];
      return level ? `- ${code(value)}: syslog level ${n} (${level[0]}), ${level[1]}` : undefined;
    }
    case '--tcp-flags':
      return listItemsDoc(value, TCP_FLAG_DOCS, true);
    case '--pkt-type':
      return listItemsDoc(value, PKT_TYPE_DOCS, true);
    case '--src-type':
    case '--dst-type':
      return listItemsDoc(value, ADDRESS_TYPE_DOCS, true);
    case '--ctdir':
      return listItemsDoc(value, CT_DIR_DOCS, true);
    case '--icmp-type':
    case '--icmpv6-type': {
      const d = icmpTypeDoc(value, canonical === '--icmpv6-type' ? 'ipv6' : family);
      return d ? `- ${code(value)}: ${d}` : undefined;
    }
    case '--limit':
      return rateDoc(value, 'limit');
    case '--hashlimit-upto':
    case '--hashlimit-above':
      return rateDoc(value, 'hashlimit');
    default:
      return undefined;
  }
}

function flagList(flags: Iterable<string>): string {
  const list = TCP_FLAGS.filter((f) => [...flags].includes(f));
  return list.length === 0 ? 'none' : list.map(code).join(', ');
}

/**
 * `--tcp-flags mask comp`: the kernel takes the segment's flags, keeps those of the mask, and
 * compares them with comp (`flags & mask == comp`). So the flags of comp must be set, the other
 * flags of the mask clear, and a comp flag outside the mask can never be found: no segment matches.
 */
function tcpFlagsDoc(option: ResolvedOption, index: number, value: string): string | undefined {
  const items = listItemsDoc(value, TCP_FLAG_DOCS, true);
  if (!items) return undefined;
  const mask = tcpFlagSet(option.values[0]?.text ?? '');
  const comp = option.values[1] ? tcpFlagSet(option.values[1].text) : undefined;
  const lines = [index === 0 ? 'Flags examined (the mask):' : 'Flags that must be set (the comp):', items];
  if (mask && comp) {
    const outside = [...comp].filter((f) => !mask.has(f));
    if (outside.length > 0) {
      lines.push('', `**Never matches:** ${flagList(outside)} ${outside.length === 1 ? 'is' : 'are'} not among the examined flags (${flagList(mask)}); the kernel compares only the examined flags with the second list, so no segment passes${option.negated ? ' (negated: every segment does)' : ''}.`);
    } else {
      const clear = [...mask].filter((f) => !comp.has(f));
      lines.push('', `Matches segments with ${flagList(comp)} set and ${flagList(clear)} clear${mask.size < 6 ? '; the other flags may be anything' : ''}${option.negated ? ' (negated: every other segment)' : ''}.`);
    }
  }
  return lines.join('\n');
}

const MARK_OWNERS: Readonly<Record<string, string>> = { MARK: 'packet mark', mark: 'packet mark', CONNMARK: 'connection mark', connmark: 'connection mark' };

/** `0xff` as "the low 8 bits", `0xff00` as "bits 8-15", else the number itself. */
function bitsText(mask: number): string {
  if (mask === 0xffffffff) return 'all 32 bits';
  if (mask === 0) return 'no bit';
  const low = 32 - Math.clz32(mask); // the highest set bit + 1
  let first = 0;
  while (((mask >>> first) & 1) === 0) first++;
  const width = low - first;
  const contiguous = width === 32 || (mask >>> first) === 2 ** width - 1;
  if (!contiguous) return `the bits of ${hex(mask)}`;
  if (first === 0) return `the low ${plural(width, 'bit')}`;
  return width === 1 ? `bit ${first}` : `bits ${first}-${low - 1}`;
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/**
 * A mark and mask as the mark and connmark matches and the MARK and CONNMARK targets use them
 * (`value/mask`, mask 0xffffffff when left out); `--and-mark`, `--or-mark` and `--xor-mark` take one
 * number. The arithmetic is the kernel's (xt_mark, xt_connmark); iptables-save shows `--set-mark
 * 0x100/0xff` as `--set-xmark 0x100/0x1ff` (the value's bits are set too).
 */
function markDoc(ext: ExtensionUse, option: ResolvedOption, value: string): string | undefined {
  const canonical = option.canonical;
  const owner = ext.spec ? MARK_OWNERS[ext.spec.name] : undefined;
  if (!owner) return undefined;
  const ops = ['--mark', '--set-xmark', '--set-mark', '--and-mark', '--or-mark', '--xor-mark'];
  if (!ops.includes(canonical) || (canonical === '--mark') !== (ext.kind === 'match')) return undefined;
  const v = scanUnsigned(value);
  if (!v || v.value > 0xffffffff) return undefined;
  let mask = 0xffffffff;
  if (v.rest !== '') {
    const m = v.rest[0] === '/' ? scanUnsigned(v.rest.slice(1)) : undefined;
    if (!m || m.rest !== '' || m.value > 0xffffffff) return undefined;
    mask = m.value;
  }
  const n = v.value;
  const masked = v.rest !== '';
  const head = `${owner === 'packet mark' ? 'mark' : 'connection mark'} ${hex(n)}${masked ? `, mask ${hex(mask)}` : ''}`;
  const kept = mask === 0xffffffff ? '' : `; the other ${plural(32 - popcount(mask), 'bit')} are left as they are`;
  switch (canonical) {
    case '--mark': {
      if ((n & ~mask) >>> 0 !== 0) return `${head}: **never matches**${option.negated ? ' (negated: matches every packet)' : ''}: the value has bits outside the mask (${hex((n & ~mask) >>> 0)}), and only ${bitsText(mask)} of the ${owner} are compared with it.`;
      return `${head}: matches when ${masked ? `${bitsText(mask)} of the ${owner} equal ${hex(n)} (the other bits are not looked at)` : `the ${owner} is ${hex(n)}`}.`;
    }
    case '--set-xmark': {
      if (!masked) return `${head}: sets the ${owner} to ${hex(n)}.`;
      const flipped = (n & ~mask) >>> 0;
      return `${head}: clears ${bitsText(mask)} of the ${owner}, then XORs ${hex(n)} in${flipped ? ` (which also flips ${bitsText(flipped)}, outside the mask)` : ''}${kept}.`;
    }
    case '--set-mark': {
      if (!masked) return `${head}: sets the ${owner} to ${hex(n)}.`;
      const extra = (n & ~mask) >>> 0;
      if (!extra) return `${head}: sets ${bitsText(mask)} of the ${owner} to ${hex(n)}${kept}.`;
      const changed = (mask | n) >>> 0;
      return `${head}: sets ${bitsText(mask)} of the ${owner} to ${hex((n & mask) >>> 0)} and also sets ${bitsText(extra)}, the value's bits outside the mask (iptables-save shows \`--set-xmark ${hex(n)}/${hex(changed)}\`); the other ${plural(32 - popcount(changed), 'bit')} are left as they are.`;
    }
    case '--and-mark':
      return `${head}: keeps ${bitsText(n)} of the ${owner} and clears the others.`;
    case '--or-mark':
      return `${head}: sets ${bitsText(n)} of the ${owner}.`;
    case '--xor-mark':
      return `${head}: flips ${bitsText(n)} of the ${owner}.`;
    default:
      return undefined;
  }
}

function popcount(n: number): number {
  let c = 0;
  for (let x = n >>> 0; x !== 0; x >>>= 1) c += x & 1;
  return c;
}

/** A rate as limit or hashlimit reads it: `5/min` is 5 packets a minute, one every 12 s on average. */
function rateDoc(value: string, reader: 'limit' | 'hashlimit'): string | undefined {
  const r = readRate(value, reader);
  if (!r) return undefined;
  if (r.kind === 'bytes') return `- ${code(value)}: ${rateInWords(r)}${r.bytes >= 1024n ? ` (${humanBytes(r.bytes)} a second)` : ''}`;
  return `- ${code(value)}: ${rateInWords(r)}, one every ${durationText(Number(r.seconds) / Number(r.count))} on average`;
}

/** `0.05` -> `50 ms`, `12` -> `12 s`, `300` -> `5 min`, `86400` -> `24 h`. */
function durationText(seconds: number): string {
  const round = (n: number): string => String(Number(n.toPrecision(3)));
  if (seconds < 1) return `${round(seconds * 1000)} ms`;
  if (seconds < 120) return `${round(seconds)} s`;
  if (seconds < 3600) return `${round(seconds / 60)} min`;
  return `${round(seconds / 3600)} h`;
}

function optionValueHover(ext: ExtensionUse, option: ResolvedOption, index: number, value: string, family: Family): string | undefined {
  const arg = option.spec.args[index];
  const display = arg?.display ?? '';
  const title = `**${code(value)}** — ${arg ? `${code(display)} of ` : ''}${code(option.canonical)} (${ext.kind} ${code(ext.spec?.name ?? ext.name)})`;
  if (option.canonical === '--tcp-flags' && ext.spec?.name === 'tcp') {
    const flags = tcpFlagsDoc(option, index, value);
    if (flags) return [title, '', flags].join('\n');
  }
  const mark = markDoc(ext, option, value);
  if (mark) return [title, '', mark].join('\n');
  const explained = valueDoc(option.canonical, value, family);
  if (explained) return [title, '', explained].join('\n');
  if (/^port/.test(display) || /port$/.test(option.canonical) || /ports$/.test(option.canonical)) {
    const loose = arg?.check === checkPortRangeLoose || arg?.check === checkPortLoose;
    const ports = describePorts(value, loose ? readPortLoose : parsePortStrict);
    if (ports) return [title, '', ports].join('\n');
  }
  if (/^addr/.test(display) || display === 'from[-to]' || display === 'address') {
    const body = option.canonical === '--to-destination' || option.canonical === '--to-source' ? natRangeDoc(value, family) : display === 'from[-to]' ? addressDoc(value, family, true, 'numeric') : addressDoc(value, family, false, 'resolver');
    if (body) return [title, '', body].join('\n');
  }
  const known = arg?.values;
  if (known && value.split(',').every((v) => known.some((k) => k.toLowerCase() === v.toLowerCase()))) {
    return [title, '', option.spec.doc, '', `Accepted values: ${listNames(known, 24)}.`].join('\n');
  }
  return [title, '', option.spec.doc].join('\n');
}

/* ---------------------------------------------------------------------------------------------
 * Ports and addresses
 * ------------------------------------------------------------------------------------------- */

const SERVICE_OF_PORT: ReadonlyMap<number, string> = (() => {
  const m = new Map<number, string>();
  for (const [name, port] of Object.entries(SERVICE_PORTS)) if (!m.has(port)) m.set(port, name);
  return m;
})();

/** How an option reads a port: `parsePortStrict` (tcp, sctp, multiport, NAT) or `readPortLoose` (udp, dccp, conntrack). */
type PortReader = (item: string) => { port?: number; error?: string; wrapped?: boolean };

function portDoc(item: string, read: PortReader): string | undefined {
  const p = read(item);
  if (p.error) return undefined;
  if (p.port === undefined) return `service ${code(item)} (its number comes from /etc/services on the host)`;
  const service = SERVICE_OF_PORT.get(p.port);
  const cut = p.wrapped ? `, as the C library cuts ${item.trim()} to 16 bits` : '';
  return `port ${p.port}${service ? ` (${service})` : ''}${cut}`;
}

/** `22`, `ssh`, `1024:65535`, `:1023`, `1024-65535`, `22,80,443:445`. */
export function describePorts(value: string, read: PortReader = parsePortStrict): string | undefined {
  const lines: string[] = [];
  for (const item of value.split(',')) {
    const single = portDoc(item, read);
    if (single) {
      lines.push(`- ${single}`);
      continue;
    }
    const sep = item.includes(':') ? ':' : '-';
    const parts = item.split(sep);
    if (parts.length !== 2) return undefined;
    const a = parts[0] === '' ? 0 : read(parts[0] as string).port;
    const b = parts[1] === '' ? 65535 : read(parts[1] as string).port;
    if (a === undefined || b === undefined) return undefined;
    lines.push(a <= b ? `- ports ${a}–${b} (${plural(b - a + 1, 'port')})` : `- ports ${a}–${b}: first above last, so no port`);
  }
  return lines.join('\n');
}

function specialRange(address: string): string | undefined {
  try {
    const r = ipaddr.parse(address).range();
    const names: Record<string, string> = {
      private: 'private (RFC 1918)', loopback: 'loopback', multicast: 'multicast', linkLocal: 'link-local', broadcast: 'limited broadcast',
      unspecified: 'unspecified (any)', carrierGradeNat: 'carrier-grade NAT (RFC 6598)', uniqueLocal: 'unique local (ULA)', reserved: 'reserved',
    };
    return names[r];
  } catch {
    return undefined;
  }
}

function cidrDoc(item: string, family: Family): string | undefined {
  const info = describeCidr(item);
  if (!info) return undefined;
  const special = specialRange(info.network);
  const host = info.prefix === (info.family === 'ipv4' ? 32 : 128);
  if (host) return `${code(item)}: a single ${info.family === 'ipv4' ? 'IPv4' : 'IPv6'} address${special ? `, ${special}` : ''}${info.family !== family ? ` — **${info.family === 'ipv4' ? 'IPv4' : 'IPv6'} in an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} ruleset**` : ''}`;
  const size = info.family === 'ipv6' && 128 - info.prefix > 20 ? `2^${128 - info.prefix} addresses` : plural(BigInt(info.size), 'address', 'addresses');
  const lines = [`${code(item)}: ${info.family === 'ipv4' ? 'IPv4' : 'IPv6'} network${special ? `, ${special}` : ''}`];
  lines.push(`  - range ${info.first} – ${info.last} (${size})`);
  if (info.netmask) lines.push(`  - netmask ${info.netmask}`);
  if (info.broadcast) lines.push(`  - network ${info.network}, broadcast ${info.broadcast}`);
  const slash = item.indexOf('/');
  const written = slash === -1 ? item : item.slice(0, slash);
  if (written !== info.network && !(info.family === 'ipv6' && safeNormalized(written) === safeNormalized(info.network))) {
    lines.push(`  - host bits are set: iptables uses ${code(`${info.network}/${info.prefix}`)}`);
  }
  if (info.family !== family) lines.push(`  - **${info.family === 'ipv4' ? 'IPv4' : 'IPv6'} in an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} ruleset**`);
  return lines.join('\n');
}

function safeNormalized(a: string): string {
  try {
    return ipaddr.parse(a).toNormalizedString();
  } catch {
    return a;
  }
}

function rangeDoc(from: string, to: string, written = `${from}-${to}`): string | undefined {
  try {
    const a = ipaddr.parse(from).toByteArray();
    const b = ipaddr.parse(to).toByteArray();
    if (a.length !== b.length) return undefined;
    const big = (bytes: number[]): bigint => bytes.reduce((acc, x) => (acc << 8n) | BigInt(x), 0n);
    const size = big(b) - big(a) + 1n;
    if (size <= 0n) return `${code(written)}: inverted range (the first address is above the last)`;
    return `${code(written)}: ${plural(size, 'address', 'addresses')}, ${from} – ${to}`;
  } catch {
    return undefined;
  }
}

/**
 * How an option reads an IPv4 address it is given in another spelling than four decimal parts:
 * `xtables` (-s, -d) with libxtables' own reader, then the resolver; `numeric` (iprange) with the
 * first alone; `resolver` (conntrack, policy, NETMAP, TEE ...) with getaddrinfo alone; `pton` (the
 * NAT targets) with inet_pton, which takes no other spelling.
 */
type AddressReader = 'xtables' | 'numeric' | 'resolver' | 'pton';

/** The dotted address an IPv4 `host` written another way stands for, with how it was read. */
function readAs(host: string, family: Family, reader: AddressReader): { address: string; how: string } | undefined {
  if (family !== 'ipv4' || reader === 'pton' || plainIPv4(host) !== -1) return undefined;
  if (reader === 'xtables' || reader === 'numeric') {
    const numeric = numericIPv4Text(host);
    if (numeric !== undefined) return { address: numeric, how: 'numbers in C notation, missing parts zero' };
    if (reader === 'numeric') return undefined;
  }
  const aton = inetAtonValue(host);
  if (aton !== undefined) return { address: dottedIPv4(aton), how: 'as inet_aton reads it: the last number fills the bytes left' };
  if (isV4Mapped(host)) return { address: ipaddr.IPv6.parse(host).toIPv4Address().toString(), how: 'an IPv4-mapped IPv6 address' };
  return undefined;
}

function addressDoc(value: string, family: Family, isRange: boolean, reader: AddressReader): string | undefined {
  const lines: string[] = [];
  for (const item of value.split(',')) {
    if (item === '') continue;
    const dash = item.indexOf('-');
    if (isRange || (dash > 0 && !item.includes('/') && ipaddr.isValid(item.slice(0, dash)))) {
      const as = (a: string): string => readAs(a, family, reader)?.address ?? a;
      const r = dash > 0 ? rangeDoc(as(item.slice(0, dash)), as(item.slice(dash + 1)), item) : undefined;
      lines.push(`- ${r ?? cidrDoc(as(item), family) ?? code(item)}`);
      continue;
    }
    const slash = item.indexOf('/');
    const read = readAs(slash === -1 ? item : item.slice(0, slash), family, reader);
    if (read) {
      lines.push(`- ${code(item)}: iptables reads the address as ${code(read.address)} (${read.how})`);
      const c = cidrDoc(slash === -1 ? read.address : `${read.address}${item.slice(slash)}`, family);
      if (c) lines.push(`- ${c}`);
      continue;
    }
    const c = cidrDoc(item, family);
    if (c) lines.push(`- ${c}`);
    else lines.push(`- ${code(item)}: a host name; iptables resolves it once, when the rules are loaded, and adds one rule per address it gets`);
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}

function addressHover(value: string, family: Family, what: string): string {
  const body = addressDoc(value, family, false, 'xtables');
  return `**${code(value)}** — ${what}${value.includes(',') ? ' list (iptables adds one rule per item)' : ''}${body ? `\n\n${body}` : ''}`;
}

/** `addr[-addr][:port[-port]]` (DNAT/SNAT), IPv6 with the address in brackets when a port follows. */
function natRangeDoc(value: string, family: Family): string | undefined {
  let addr = value;
  let ports: string | undefined;
  if (family === 'ipv6') {
    const m = /^\[([^\]]*)\](?::(.*))?$/.exec(value);
    if (m) {
      addr = m[1] ?? '';
      ports = m[2];
    }
  } else {
    const colon = value.indexOf(':');
    if (colon !== -1) {
      addr = value.slice(0, colon);
      ports = value.slice(colon + 1);
    }
  }
  const lines: string[] = [];
  if (addr !== '') lines.push(addressDoc(addr, family, addr.includes('-'), 'pton') ?? `- ${code(addr)}`);
  if (ports !== undefined) {
    const p = describePorts(ports.replace(/\/.*$/, ''));
    if (p) lines.push(p);
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}
