import { ipv6ExtensionHeader, isPtonIPv6, isWarningReason, isZeroMask, PROTOCOL_NAMES, suggestionIn, WARNING_REASON } from '../kb/values.js';
import { plainIPv4 } from '../../net/cidr.js';
import { nearMiss } from '../similarity.js';
import type { IptablesRule, IptablesRuleContext } from '../ruleContext.js';
import { familySkipsRule, listCutByBlanks, readAsRuleNumber, valueVerdicts, type ExtensionUse, type GenericUse, type ResolvedOption } from '../resolve.js';
import { validateExtension, type AnalyzedRule } from '../analysis.js';
import type { ArgSpec, ExtensionProblem, ExtensionSpec, Family } from '../kb/types.js';
import { findMatch } from '../kb/index.js';
import { parseWholeUnsigned } from '../kb/targets/targetValues.js';
import type { Word } from '../model.js';
import { changeTo, type Fix } from '../../core/finding.js';
import { MAX_RULE_NUMBER, restoreTools, ruleNumberWord, type TableReplay, type Unmatched } from '../replay.js';

/** Value-check messages that are about the address family go to `family-mismatch` instead. */
export function isFamilyMessage(message: string): boolean {
  return /in an IPv[46] ruleset/.test(message);
}

export const badValue: IptablesRule = {
  id: 'bad-value',
  severity: 'error',
  docs: {
    summary: 'A value iptables refuses: an address or CIDR prefix, a port or range, a protocol, a state name, an ICMP type, a reject-with type, a log level, a mark, a rule number past the end of its chain ...',
    rationale: 'iptables-restore parses every value before it applies anything; one bad value makes it refuse the whole file.',
  },
  messages: {
    value: '{option}: {reason}',
    protocol: 'unknown protocol "{name}": did you mean "{suggestion}"?',
    negatedList: '! {option} cannot negate a list of addresses: iptables refuses it ("! not allowed with multiple source or destination IP addresses"); write one rule per address, each jumping to a chain that RETURNs, or use an ipset',
    negatedAny: '! {option} {value} negates "any address" (the mask is zero): iptables-nft-restore refuses it (RULE_APPEND failed: Invalid argument), and with the legacy backend the rule never matches',
    neverMatches: '"! -p {name}" can never match (every packet has a protocol): iptables refuses it',
    extensionHeader: '-p {name}: ip6tables compares the protocol that follows the IPv6 extension headers, and {name} is one of those headers, so the rule never matches (the tools warn "never matched protocol"); match the header with {match}',
    hopopt: '-p {name} is protocol 0, which iptables reads as "all": the rule matches every protocol{hint}',
    conflict: '{option} cannot be combined with {other}',
    requires: '{option} needs {other} in the same rule',
    problem: '{subject}: {message}',
    addressRange: '{option} takes an address or a network, not the range "{value}": iptables looks it up as a host name, which fails ("host/network not found"); a range of addresses needs -m iprange {range} {value}',
    portList: '{option} takes one port or a range first:last, and iptables refuses the list "{value}" ("invalid port/service"); several ports need -m multiport {multi} {value}',
    ruleNumber: 'invalid rule number "{number}": rule numbers run from 1 to 2147483647',
    nothingToDelete: '{command} {chain}: {chain} has no rules at this line (iptables-restore applies the file line by line), so there is no rule to delete ("does a matching rule exist in that chain?")',
    noMatchingRule: '{command} {chain}: {what}, so no rule matches the one to delete ("does a matching rule exist in that chain?")',
    noMatchingRuleOne: '{command} {chain}: for {refuser}, which refuses the line, {what}; {accepter} holds other rules there ({why})',
    nothingToDeleteOne: '{command} {chain}: {chain} has no rules at this line for {refuser}, which refuses the line; {accepter} still holds rules there (it keeps the rules a -F without a chain name flushed)',
    pastEnd: '{command} {chain} {number}: {chain} has {rules} at this line (iptables-restore applies the file line by line), so {allowed}',
    backendsDiffer: '{command} {chain} {number}: past the end of {chain} for {refuser} ({refuserRules} at this line) but not for {accepter} ({accepterRules}), because iptables-nft-restore 1.8.9 keeps counting the rules that -F without a chain name removed: the file loads with one backend only',
    lostAnchor: '{command} {chain} {number}: iptables-nft-restore 1.8.9 puts this rule before the rule of line {anchor}, which line {deleter} deletes, and then fails when it commits the table ("RULE_INSERT failed"); iptables-legacy-restore accepts the file. Insert at a position whose rule stays, or leave that rule out instead of deleting it',
    replaceCrash: 'iptables-nft-restore 1.8.9 crashes (segmentation fault) when -R replaces a rule added earlier in the same file; iptables-legacy-restore accepts it. Write the rule as it should be with -A or -I instead',
  },
  check(ctx) {
    const family = ctx.family;
    for (const t of ctx.analysis.tables) {
      const rules = t.rules;
      for (let ri = 0; ri < rules.length; ri++) {
        const r = rules[ri] as AnalyzedRule;
        const kind = r.line.commandKind;
        // A line the tool skips (-4 or -6) has only the values read before it checked: not its
        // addresses (read after the options), not its extensions (see checkExtension), not its rule number.
        const skipped = familySkipsRule(r.resolved);
        if (!skipped && (kind === 'insert' || kind === 'replace' || kind === 'delete')) {
          checkRuleNumber(ctx, r, t.replay);
        }
        const { generic, extensions } = r.resolved;
        for (let gi = 0; gi < generic.length; gi++) {
          const g = generic[gi] as GenericUse;
          if (skipped && (g.key === '-s' || g.key === '-d')) continue;
          if ((g.key === '-s' || g.key === '-d') && reportedAsAddressRange(ctx, r, g)) continue;
          if (g.key === '-p') checkProtocolWord(ctx, g);
          // No verdicts (an empty list): every value is accepted (or has no check).
          const verdicts = valueVerdicts(g, family);
          const values = g.values;
          let refused = false;
          for (let i = 0; i < verdicts.length; i++) {
            const reason = verdicts[i];
            if (reason && !isFamilyMessage(reason) && !cutByBlanks(g, i)) {
              reportValue(ctx, values[i] as Word, g.arg.name.text, reason, g);
              refused = true;
            }
          }
          if (g.negated && !refused && (g.key === '-s' || g.key === '-d') && values[0]) checkNegatedAddress(ctx, g, values[0], family);
        }
        for (let ui = 0; ui < extensions.length; ui++) {
          const use = extensions[ui] as ExtensionUse;
          if (use.spec) checkExtension(ctx, r, use, use.spec, skipped);
        }
      }
    }
  },
};

/**
 * `! -s`/`! -d` as the tools take them: a list of addresses cannot be negated ("! not allowed with
 * multiple source or destination IP addresses"), and iptables-nft-restore refuses to negate an
 * address with a zero mask ("any": RULE_APPEND failed), which the legacy backend loads as a rule
 * that never matches.
 */
function checkNegatedAddress(ctx: IptablesRuleContext, g: GenericUse, value: Word, family: Family): void {
  const problem = negatedAddressProblem(value.text, family);
  const option = g.arg.name.text;
  if (problem === 'list') ctx.report({ span: value.span, messageId: 'negatedList', data: { option } });
  else if (problem === 'any') ctx.report({ span: value.span, messageId: 'negatedAny', severity: 'warning', data: { option, value: value.text } });
}

/** What is wrong with the value of a negated -s/-d: a list of addresses, a zero mask ("any"), or nothing. */
export function negatedAddressProblem(text: string, family: Family): 'list' | 'any' | undefined {
  if (text.indexOf(',') !== -1) return 'list';
  const slash = text.indexOf('/');
  return slash !== -1 && isZeroMask(text.slice(slash + 1), family) ? 'any' : undefined;
}

/**
 * A refused value, with a quick fix when the value check named what was probably meant (`(did you
 * mean "x"?)`, see `didYouMean`): the refused item is replaced where it stands in the word, alone
 * or as an element of a comma list or before a "/" (an ICMP type/code).
 */
function reportValue(ctx: IptablesRuleContext, w: Word, option: string, reason: string, use?: GenericUse | ResolvedOption): void {
  if (isWarningReason(reason)) {
    // A start that several names share (`--reject-with icmp-host`): one fix per name, none preferred.
    const names = w.quoted ? undefined : /; write the type in full \(([^)]+)\)$/.exec(reason)?.[1]?.split(', ');
    const fixes = meantFix(w, reason) ?? (names ? names.map((name) => changeTo(w.span, name, false)) : negationFix(w, use));
    ctx.report({ span: w.span, messageId: 'value', severity: 'warning', data: { option, reason: reason.slice(WARNING_REASON.length) }, fixes });
    return;
  }
  const s = suggestionIn(reason);
  const at = s && !w.quoted ? itemAt(w.text, s.item) : -1;
  if (!s || at === -1) {
    ctx.report({ span: w.span, messageId: 'value', data: { option, reason } });
    return;
  }
  const start = w.span.start + at;
  ctx.report({
    span: w.span, messageId: 'value', data: { option, reason },
    fixes: [changeTo({ start, end: start + s.item.length }, s.name)],
  });
}

/**
 * What a value that loads as something else was meant to be, written so that iptables reads it so,
 * from what the warning says (as `suggestionIn` reads a refusal's "did you mean"): the decimal
 * number a leading 0 made octal (`0025` to `25`), the days a range stood for (`Mon-Fri` to
 * `Mon,Tue,Wed,Thu,Fri`), and a replacement the warning names (`write 255.255.255.0`, `150/minute
 * is the same rate`, a NAT range in order). Undefined when the warning names none.
 */
export function meantValue(value: string, reason: string): string | undefined {
  if (reason.includes('so iptables reads it as octal')) {
    // Every number with a leading 0 between separators, as its decimal digits (`0007` stays 7).
    return value.replace(/(?<![0-9A-Za-z])0+([0-7]+)(?![0-9A-Za-z])/g, '$1');
  }
  const days = [...reason.matchAll(/"([^"]+)" is \w+ alone, since only its first letters count \(day ranges are not supported: list the days, ([A-Za-z,]+)\)/g)];
  if (days.length > 0) {
    const items = value.split(',');
    return items.map((item) => days.find((d) => d[1] === item)?.[2] ?? item).join(',');
  }
  return /; for the range up to \S+ write (\S+)$/.exec(reason)?.[1] ?? /; for a \/[0-9]+ write (\S+)$/.exec(reason)?.[1] ?? /\((\S+) is the same rate\)$/.exec(reason)?.[1]
    ?? /; the range in order is written (\S+)$/.exec(reason)?.[1];
}

/** The fix that writes what a warning says a value was meant to be (see `meantValue`), when it says and it differs. */
function meantFix(w: Word, reason: string): Fix[] | undefined {
  const meant = w.quoted ? undefined : meantValue(w.text, reason);
  return meant !== undefined && meant !== w.text ? [changeTo(w.span, meant)] : undefined;
}

/** Whether value `i` of the option is a list that a blank cut ("RELATED, ESTABLISHED"): syntax reports that, as one list. */
function cutByBlanks(use: GenericUse | ResolvedOption, i: number): boolean {
  return i === use.values.length - 1 && listCutByBlanks(use) > 0;
}

/** Interface options (generic keys and canonical names) whose value may be written `!name` by mistake for `! -i name`. */
const INTERFACE_OPTIONS = new Set(['-i', '-o', '--physdev-in', '--physdev-out']);

/** `-i !eth0` (an interface named "!eth0") to `! -i eth0`, unless the option is negated already. */
function negationFix(w: Word, use: GenericUse | ResolvedOption | undefined): Fix[] | undefined {
  if (!use || use.negated || w.quoted || w.text.length < 2 || w.text[0] !== '!') return undefined;
  if (!INTERFACE_OPTIONS.has('key' in use ? use.key : use.canonical)) return undefined;
  const name = use.arg.name.span.start;
  return [{
    title: `Negate the option: ! ${use.arg.name.text} ${w.text.slice(1)}`,
    edits: [{ span: { start: name, end: name }, newText: '! ' }, { span: { start: w.span.start, end: w.span.start + 1 }, newText: '' }],
    preferred: true,
  }];
}

/** Where `item` stands in `text` as a whole element (between start, "," and "/" boundaries), when it does once; else -1. */
function itemAt(text: string, item: string): number {
  let found = -1;
  for (let i = text.indexOf(item); i !== -1; i = text.indexOf(item, i + 1)) {
    const before = i === 0 ? '' : text[i - 1];
    const after = text[i + item.length] ?? '';
    if ((before === '' || before === ',') && (after === '' || after === ',' || after === '/')) {
      if (found !== -1) return -1;
      found = i;
    }
  }
  return found;
}

/** Protocol names as written that need no closer look (the known names are all lower case). */
const KNOWN_PROTOCOLS: ReadonlySet<string> = new Set(PROTOCOL_NAMES);

/** `! -p all` (never matches) and near misses of protocol names. */
function checkProtocolWord(ctx: IptablesRuleContext, g: GenericUse): void {
  const proto = g.values[0];
  if (!proto) return;
  const lower = proto.text.toLowerCase();
  // Protocol 0 in any spelling: a number (0, 00, 0x0), "all", or a name /etc/protocols gives 0 (ip, hopopt).
  if (g.negated && (lower === 'all' || lower === 'ip' || lower === 'hopopt' || parseWholeUnsigned(lower, 0, 255) === 0)) {
    ctx.report({ span: proto.span, messageId: 'neverMatches', data: { name: proto.text } });
  } else if (lower === 'hopopt') {
    // /etc/protocols names protocol 0 "hopopt"; iptables reads 0 as any protocol. (Its other name,
    // "ip", reads as what it says: any IP protocol.)
    ctx.report({ span: proto.span, messageId: 'hopopt', severity: 'warning', data: { name: proto.text, hint: ctx.family === 'ipv6' ? '; for hop-by-hop options use -m hbh' : '' } });
  } else if (ctx.family === 'ipv6' && !g.negated) {
    const header = ipv6ExtensionHeader(lower);
    if (header) ctx.report({ span: proto.span, messageId: 'extensionHeader', severity: 'warning', data: { name: proto.text, match: `-m ${header.match}` } });
  }
  if (KNOWN_PROTOCOLS.has(proto.text)) return;
  if (!/^[0-9]+$/.test(proto.text) && !PROTOCOL_NAMES.includes(proto.text.toLowerCase())) {
    const suggestion = nearMiss(proto.text.toLowerCase(), PROTOCOL_NAMES);
    if (suggestion) ctx.report({ span: proto.span, messageId: 'protocol', data: { name: proto.text, suggestion }, fixes: [changeTo(proto.span, suggestion)] });
  }
}

/** The matches whose --dport/--sport take one port, where several take -m multiport (which serves the same protocols). */
const ONE_PORT_MATCHES: ReadonlySet<string> = new Set(['tcp', 'udp', 'udplite', 'dccp', 'sctp']);

/**
 * `--dport 22,80`: a list where one port or range goes, which -m multiport would take as it is. Said
 * so, with the fix that writes `-m multiport --dports 22,80` when the rule's -p comes before the
 * option and is not negated (multiport reads the protocol when it meets its option). False for any
 * other refused value (reported as such).
 */
function reportedAsPortList(ctx: IptablesRuleContext, r: AnalyzedRule, use: ExtensionUse, o: ResolvedOption, w: Word): boolean {
  if (w.quoted || !w.text.includes(',') || !ONE_PORT_MATCHES.has(use.spec?.name ?? '') || (o.canonical !== '--dport' && o.canonical !== '--sport')) return false;
  const multi = o.canonical === '--dport' ? '--dports' : '--sports';
  const check = findMatch('multiport', ctx.family)?.options[multi]?.args[0]?.check;
  if (!check || check(w.text, ctx.family) !== undefined) return false;
  const protocol = r.resolved.protocol;
  const start = (o.arg.negation ?? o.arg.name.span).start;
  const fixes: Fix[] = protocol && !protocol.negated && protocol.word.span.start < start && !laterOptionOf(r, o.arg.name.span.start, 'multiport')
    ? [loadingFix(o.arg, 'multiport', multi, `Use -m multiport ${multi} ${w.text}`)]
    : [];
  ctx.report({ span: w.span, messageId: 'portList', data: { option: o.arg.name.text, value: w.text, multi }, fixes });
  return true;
}

/**
 * Whether an option after offset `after` on the line would go to the extension `name` once a fix
 * loads it before: getopt takes a long option's start for the whole, so a later `--sport` becomes
 * multiport's `--sports` (which cannot be combined with `--dports`).
 */
function laterOptionOf(r: AnalyzedRule, after: number, name: string): boolean {
  const spec = findMatch(name, 'ipv4');
  if (!spec) return true;
  const spellings = Object.entries(spec.options).flatMap(([option, o]) => [option, ...(o.aliases ?? [])]);
  return r.line.args.some((a) => {
    if (a.name.span.start <= after) return false;
    const text = a.name.text;
    const written = text.includes('=') ? text.slice(0, text.indexOf('=')) : text;
    return written.startsWith('--') && spellings.some((s) => s.startsWith(written));
  });
}

/**
 * The fix that loads `-m NAME` for an option and gives the option its new name: `-m NAME` goes
 * before the option, and before its "!" when negated.
 */
function loadingFix(arg: ResolvedOption['arg'], match: string, option: string, title: string): Fix {
  const name = { start: arg.name.span.start, end: arg.name.span.end };
  const negation = arg.negation?.start;
  const edits = negation === undefined
    ? [{ span: name, newText: `-m ${match} ${option}` }]
    : [{ span: { start: negation, end: negation }, newText: `-m ${match} ` }, { span: name, newText: option }];
  return { title, edits, preferred: true };
}

/**
 * The first item of an -s/-d value (an address list is read item by item) that is a range of two
 * plain addresses (`10.0.0.5-10.0.0.9`), or undefined.
 */
export function addressRangeIn(text: string, family: Family): string | undefined {
  if (text.indexOf('-') === -1) return undefined;
  const plain = (address: string): boolean => (family === 'ipv4' ? plainIPv4(address) !== -1 : isPtonIPv6(address));
  const isRange = (item: string): boolean => {
    const dash = item.indexOf('-');
    return dash > 0 && item.indexOf('-', dash + 1) === -1 && plain(item.slice(0, dash)) && plain(item.slice(dash + 1));
  };
  return text.split(',').find(isRange);
}

/**
 * `-s 10.0.0.5-10.0.0.9`: a range of addresses where one address or network goes. iptables reads
 * it as a host name, which does not resolve (its last label is a number, and no DNS name ends so),
 * so the file is refused; in an IPv6 ruleset it is no address either. Said so, with the fix that
 * writes `-m iprange --src-range` when iprange takes the range as it is.
 */
function reportedAsAddressRange(ctx: IptablesRuleContext, r: AnalyzedRule, g: GenericUse): boolean {
  const w = g.values[0];
  if (!w || w.quoted || g.values.length !== 1) return false;
  const item = addressRangeIn(w.text, ctx.family);
  if (item === undefined) return false;
  const items = w.text.split(',');
  const range = g.key === '-s' ? '--src-range' : '--dst-range';
  const check = findMatch('iprange', ctx.family)?.options[range]?.args[0]?.check;
  const fixes = items.length === 1 && check && check(item, ctx.family) === undefined && !laterOptionOf(r, g.arg.name.span.start, 'iprange')
    ? [loadingFix(g.arg, 'iprange', range, `Use -m iprange ${range} ${item}`)]
    : [];
  ctx.report({ span: w.span, messageId: 'addressRange', data: { option: g.arg.name.text, value: item, range }, fixes });
  return true;
}

/** Option lists up to this long are searched; longer ones (pathological lines) get a set. */
const SCAN_LIMIT = 16;

/** Whether an option of this canonical name is among the extension's options. */
function givenIn(options: readonly ResolvedOption[], names: ReadonlySet<string> | undefined, name: string): boolean {
  if (names) return names.has(name);
  for (let i = 0; i < options.length; i++) if ((options[i] as ResolvedOption).canonical === name) return true;
  return false;
}

/** For a value without a check but with a list of the values it takes: why `text` is refused (not in the list), or undefined. */
export function listedValueReason(argSpec: ArgSpec, text: string): string | undefined {
  return !argSpec.check && argSpec.values && !argSpec.values.includes(text) ? `expected one of ${argSpec.values.join(', ')}` : undefined;
}

function checkExtension(ctx: IptablesRuleContext, r: AnalyzedRule, use: ExtensionUse, spec: ExtensionSpec, skipped: boolean): void {
  // A line the tool skips (-4 or -6) gets no final or kernel checks, and kvmnet's value checks do not
  // tell the extensions' own parsing from those: its extension values are left alone.
  if (skipped) return;
  const family = ctx.family;
  const options = use.options;
  // Conflicts and requirements need the options given (most extensions have none).
  let crossChecks = false;
  for (let oi = 0; oi < options.length; oi++) {
    const o = options[oi] as ResolvedOption;
    if (o.spec.conflicts !== undefined || o.spec.requires !== undefined) crossChecks = true;
    const verdicts = valueVerdicts(o, family);
    const values = o.values;
    for (let i = 0; i < values.length; i++) {
      const argSpec = o.spec.args[i];
      if (!argSpec) continue;
      const w = values[i] as Word;
      const reason = verdicts[i] ?? listedValueReason(argSpec, w.text);
      if (reason && !isFamilyMessage(reason) && !cutByBlanks(o, i) && !reportedAsPortList(ctx, r, use, o, w)) reportValue(ctx, w, o.canonical, reason, o);
    }
  }
  if (crossChecks) {
    const names = options.length > SCAN_LIMIT ? new Set(options.map((o) => o.canonical)) : undefined;
    for (let oi = 0; oi < options.length; oi++) {
      const o = options[oi] as ResolvedOption;
      for (const c of o.spec.conflicts ?? []) {
        if (givenIn(options, names, c)) ctx.report({ span: o.arg.name.span, messageId: 'conflict', data: { option: o.canonical, other: c } });
      }
      for (const req of o.spec.requires ?? []) {
        if (!givenIn(options, names, req)) ctx.report({ span: o.arg.name.span, messageId: 'requires', data: { option: o.canonical, other: req } });
      }
    }
  }
  if (spec.validate) {
    const problems = validateExtension(r, use, family);
    for (let i = 0; i < problems.length; i++) {
      const p = problems[i] as ExtensionProblem;
      if (/^needs -p/.test(p.message) || isFamilyMessage(p.message)) continue;
      const at = !p.option ? undefined : p.last ? [...options].reverse().find((o) => o.canonical === p.option) : options.find((o) => o.canonical === p.option);
      // A warning that names the value meant (a rate with a fraction) fixes the option's value.
      const value = p.severity === 'warning' ? at?.values[0] : undefined;
      const fixes = value ? meantFix(value, p.message) : undefined;
      ctx.report({ span: at?.arg.name.span ?? use.nameWord?.span ?? r.line.span, messageId: 'problem', data: { subject: p.option ?? `${use.kind === 'match' ? '-m' : '-j'} ${use.name}`, message: p.message }, ...(p.severity ? { severity: p.severity } : {}), ...(fixes ? { fixes } : {}) });
    }
  }
}

/**
 * `-D CHAIN rule` in a chain that has no rules at that line, or none with the rule's -j/-g name,
 * header and matches in the same order: nothing to delete ("Bad rule (does a matching rule exist in
 * that chain?)"). Whether the matches' option values match is not checked.
 */
function checkDeleteBySpec(ctx: IptablesRuleContext, r: AnalyzedRule, replay: TableReplay, chain: string): void {
  const count = replay.counts.get(r.line.index);
  const command = r.line.command;
  if (!count || !command) return;
  const span = r.line.chain?.span ?? command.name.span;
  // Rules with another -j/-g name (or with one, for a rule without), another header, or that load
  // other matches or the same in another order, never match; whether a rule with the same name,
  // header and matches does depends on how each backend compares the matches' option values, which
  // kvmnet leaves alone.
  const unmatched = replay.unmatched?.get(r.line.index);
  const legacyRefuses = count.legacy === 0 || unmatched?.legacy === true;
  const nftRefuses = count.nft === 0 || unmatched?.nft === true;
  if (!legacyRefuses && !nftRefuses) return;
  const target = r.resolved.target;
  const name = target?.word?.text;
  const jump = target === undefined || name === undefined ? 'no target' : `${target.kind === 'goto' ? '-g' : '-j'} ${name}`;
  const rule = unmatched?.rule;
  const what = rule
    ? `the rules of ${chain} with ${jump} at this line differ from this one in their protocol, addresses, interfaces or matches (this one: ${describeRule(rule)}), which iptables compares`
    : name === undefined || target === undefined
      ? `every rule of ${chain} has a target at this line, and this one has none`
      : `no rule of ${chain} at this line has ${jump}`;
  if (legacyRefuses && nftRefuses) {
    if (count.legacy === 0 && count.nft === 0) ctx.report({ span, messageId: 'nothingToDelete', data: { command: command.name.text, chain } });
    else ctx.report({ span, messageId: 'noMatchingRule', data: { command: command.name.text, chain, what } });
    return;
  }
  const { refuser, accepter } = restoreTools(legacyRefuses ? 'legacy' : 'nft');
  if ((legacyRefuses ? count.legacy : count.nft) === 0) {
    ctx.report({ span, messageId: 'nothingToDeleteOne', severity: 'warning', data: { command: command.name.text, chain, refuser, accepter } });
    return;
  }
  const why = legacyRefuses ? 'it keeps the rules a -F without a chain name flushed' : 'the backends removed different rules before this line';
  ctx.report({ span, messageId: 'noMatchingRuleOne', severity: 'warning', data: { command: command.name.text, chain, what, refuser, accepter, why } });
}

/** What a -D's rule has that the replay compares: its header and its matches, the parts kvmnet knows. */
function describeRule(rule: NonNullable<Unmatched['rule']>): string {
  const parts: string[] = [];
  if (rule.header !== undefined) parts.push(rule.header === '' ? 'no -p, -s, -d, -i, -o or -f' : rule.header);
  if (rule.matches !== undefined) parts.push(rule.matches.length === 0 ? 'no matches' : `matches ${rule.matches.join(', ')}, in this order`);
  return parts.join('; ');
}

function plural(n: number): string {
  return n === 0 ? 'no rules' : n === 1 ? '1 rule' : `${n} rules`;
}

/**
 * Rule numbers against the length of the chain at that line. Without --noflush, iptables-restore
 * empties the table when its `*table` line is read and then applies each line in turn, so every
 * chain starts empty and the length at a line follows from the lines before it (replay.ts).
 * -I accepts 1 to length + 1, -R and -D 1 to length. An `error` needs both backends to refuse; where
 * only one does (nft keeps counting after a `-F` without a chain name) it is a warning.
 */
function checkRuleNumber(ctx: IptablesRuleContext, r: AnalyzedRule, replay: TableReplay): void {
  const line = r.line;
  const kind = line.commandKind;
  const word = ruleNumberWord(line);
  const chain = line.chain?.text;
  if (chain === undefined || !line.command) return;
  if (!word) {
    if (kind === 'delete') checkDeleteBySpec(ctx, r, replay, chain);
    return;
  }
  const n = parseWholeUnsigned(word.text, 1, MAX_RULE_NUMBER);
  if (n === undefined) {
    // The word after the chain is the rule number unless it starts with "-" or "!" (then it is a stray argument, see syntax).
    if (kind === 'replace' || readAsRuleNumber(word.text)) ctx.report({ span: word.span, messageId: 'ruleNumber', data: { number: word.text } });
    return;
  }
  const count = replay.counts.get(line.index);
  if (!count) return; // the chain does not exist here (`undefined-chain` says so)
  const limit = (rules: number): number => (kind === 'insert' ? rules + 1 : rules);
  const legacyRefuses = n > limit(count.legacy);
  const nftRefuses = n > limit(count.nft);
  const command = line.command.name.text;
  if (legacyRefuses && nftRefuses) {
    const rules = Math.min(count.legacy, count.nft);
    const allowed = kind === 'insert'
      ? rules === 0 ? `${command} takes only 1` : `${command} takes 1 to ${rules + 1} (${rules + 1} puts the rule at the end)`
      : rules === 0 ? `there is no rule to ${kind}` : rules === 1 ? `${command} takes only 1` : `${command} takes 1 to ${rules}`;
    ctx.report({ span: word.span, messageId: 'pastEnd', data: { command, chain, number: word.text, rules: plural(rules), allowed } });
  } else if (legacyRefuses || nftRefuses) {
    const { refuser, accepter } = restoreTools(legacyRefuses ? 'legacy' : 'nft');
    const [refuserRules, accepterRules] = legacyRefuses ? [count.legacy, count.nft] : [count.nft, count.legacy];
    ctx.report({
      span: word.span, messageId: 'backendsDiffer', severity: 'warning',
      data: { command, chain, number: word.text, refuser, accepter, refuserRules: plural(refuserRules), accepterRules: plural(accepterRules) },
    });
  } else if (kind === 'replace') {
    ctx.report({ span: line.command.name.span, messageId: 'replaceCrash', severity: 'warning' });
  } else if (kind === 'insert') {
    const lost = replay.lostAnchors.get(line.index);
    if (lost) ctx.report({ span: word.span, messageId: 'lostAnchor', severity: 'warning', data: { command, chain, number: word.text, anchor: lost.anchorLine + 1, deleter: lost.deleteLine + 1 } });
  }
}

