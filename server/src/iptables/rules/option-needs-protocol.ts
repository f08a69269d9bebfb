import { allMatches, findOption } from '../kb/index.js';
import type { ExtensionProblem, Family, MatchSpec } from '../kb/types.js';
import type { IptablesRule, IptablesRuleContext } from '../ruleContext.js';
import { protocolSeenBy, resolveContextOf, validateExtension, type AnalyzedRule } from '../analysis.js';
import type { Arg } from '../model.js';
import type { Fix } from '../../core/finding.js';
import { parseRuleLine } from '../parser.js';
import { familySkipsRule, implicitMatchName, resolveRule, type ExtensionUse, type GenericUse, type ResolvedOption, type ResolvedRule } from '../resolve.js';

/** The protocol match (tcp, udp, icmp ...) that has this option, when one does. */
export function protocolMatchOwning(option: string, family: Family): MatchSpec | undefined {
  return allMatches(family).find((m) => isProtocolMatch(m, family) && findOption(m, option) !== undefined);
}

/** A match that `-p NAME` loads implicitly (tcp, udp, icmp, icmp6, sctp ...). */
export function isProtocolMatch(m: MatchSpec, family: Family): boolean {
  return m.protocols?.some((p) => implicitMatchName(p, family) === m.name) ?? false;
}

export const optionNeedsProtocol: IptablesRule = {
  id: 'option-needs-protocol',
  severity: 'error',
  docs: {
    summary: 'An option or extension that needs a protocol the rule does not give: `--dport` without `-p tcp|udp|...`, `-m tcp` without `-p tcp`, `--to-ports` without a port protocol.',
    rationale: 'Port and flag options only exist once the protocol is known; iptables-restore refuses the rule ("unknown option --dport" or "requires -p tcp").',
  },
  messages: {
    optionNeedsProtocol: '{option} needs a protocol: add "-p {protocols}" before it{jump}',
    extensionNeedsProtocol: '{kind} {name} needs "-p {protocols}"{actual}{jump}',
    problem: '{message}{jump}',
    negatedProtocol: '{subject} needs "-p {protocols}" without "!": iptables refuses it with "! -p {protocol}" (the match checks the rule\'s protocol, and the kernel\'s match refuses a negated one)',
    negatedPorts: '"! -p {protocol}" with {options}: iptables-nft-restore loads it and compares whatever bytes of other protocols\' packets sit where a {protocol} {what} would (a UDP port can match), while the kernel\'s {protocol} match, which iptables-legacy-restore loads, refuses it. Drop the "!" or these options',
    protocolAfter: '-p {protocol} comes after {option}, but iptables reads the protocol when it reads {option}: move "-p {protocol}" before it',
  },
  check(ctx) {
    const family = ctx.family;
    // Indexed loops over rules and options: `for...of` over these lists can allocate an iterator
    // result per step in V8 (they mix frozen and ordinary arrays), on every rule.
    for (const t of ctx.analysis.tables) {
      const rules = t.rules;
      for (let ri = 0; ri < rules.length; ri++) {
        const r = rules[ri] as AnalyzedRule;
        const { resolved } = r;
        if (familySkipsRule(resolved)) continue; // the tool skips the rule (-4 or -6) before its final checks
        // With "! -p PROTO" iptables still loads PROTO's match for its options; whether the rule then
        // loads is the business of `checkNegatedProtocol` below.
        const negated = resolved.protocol?.negated === true;
        const proto = resolved.protocol && !negated ? resolved.protocol.word.text.toLowerCase() : undefined;
        for (let ai = 0; ai < resolved.unknown.length; ai++) {
          const arg = resolved.unknown[ai] as Arg;
          const name = arg.name.text.replace(/=.*$/, '');
          const owner = protocolMatchOwning(name, family);
          // A "! -p" before the option loads its match all the same (see above); one after it comes too late.
          const negatedBefore = negated && (resolved.protocol?.word.span.start ?? 0) < arg.name.span.start;
          if (!owner || negatedBefore || resolved.matches.some((m) => m.spec?.protocols)) continue;
          const owners = allMatches(family).filter((m) => isProtocolMatch(m, family) && findOption(m, name) !== undefined).map((m) => m.name === 'icmp6' ? 'icmpv6' : m.name);
          const protocols = byCommonness(owners);
          // Before the first option of the rule that needs the protocol (`--sport 1:2 --dport 22`).
          const first = resolved.unknown.find((a) => protocolMatchOwning(a.name.text.replace(/=.*$/, ''), family)) ?? arg;
          const fixes = insertProtocolFixes(resolved, protocols, first, first.name.text.replace(/=.*$/, ''));
          ctx.report({ span: arg.name.span, messageId: 'optionNeedsProtocol', data: { option: name, protocols: protocols.join('|'), jump: jumpNote(ctx, r) }, ...(fixes ? { fixes } : {}) });
        }
        const uses = resolved.extensions;
        for (let ui = 0; ui < uses.length; ui++) {
          const use = uses[ui] as ExtensionUse;
          const protocols = use.spec?.protocols;
          if (negated && use.spec && isProtocolMatch(use.spec, family)) {
            checkNegatedProtocol(ctx, r, use, use.spec);
            continue;
          }
          // Every other extension with a protocol need refuses a negated protocol (multiport, TCPMSS ...).
          if (!protocols || use.implicit) continue;
          if (!satisfies(proto, protocols, family, true)) {
            const names = byCommonness(protocols.filter((p) => !/^[0-9]+$/.test(p)));
            const fixes = use.loadedBy ? insertProtocolFixes(resolved, names, use.loadedBy, `${use.loadedBy.name.text} ${use.name}`) : undefined;
            ctx.report({
              span: use.nameWord?.span ?? use.loadedBy?.name.span ?? r.line.span,
              messageId: 'extensionNeedsProtocol',
              data: { kind: use.kind === 'match' ? 'match' : 'target', name: use.name, protocols: names.join('|'), actual: resolved.protocol ? ` (the rule has ${resolved.protocol.negated ? '! ' : ''}-p ${resolved.protocol.word.text})` : '', jump: jumpNote(ctx, r) },
              ...(fixes ? { fixes } : {}),
            });
          } else if (resolved.protocol && !protocolSeenBy(resolved.protocol.word, use.options)) {
            reportProtocolAfter(ctx, r, use.options);
          }
        }
        for (let ui = 0; ui < uses.length; ui++) {
          const options = (uses[ui] as ExtensionUse).options;
          for (let oi = 0; oi < options.length; oi++) {
            const o = options[oi] as ResolvedOption;
            const need = o.spec.protocols;
            if (!need) continue;
            // The kernel checks these against the rule's protocol and refuses a negated one (`! -p tcp -m ecn --ecn-tcp-cwr`).
            if (negated) ctx.report({ span: o.arg.name.span, messageId: 'negatedProtocol', data: { subject: o.canonical, protocols: need.join('|'), protocol: resolved.protocol?.word.text ?? '' } });
            else if (!satisfies(proto, need, family, false)) ctx.report({ span: o.arg.name.span, messageId: 'optionNeedsProtocol', data: { option: o.canonical, protocols: need.join('|'), jump: jumpNote(ctx, r) } });
          }
        }
        for (let ui = 0; ui < uses.length; ui++) {
          const use = uses[ui] as ExtensionUse;
          if (!use.spec?.validate) continue;
          const problems = validateExtension(r, use, family);
          for (let pi = 0; pi < problems.length; pi++) {
            const p = problems[pi] as ExtensionProblem;
            if (!/^needs -p/.test(p.message)) continue;
            const at = p.option ? use.options.find((o) => o.canonical === p.option) : undefined;
            if (at && resolved.protocol && !protocolSeenBy(resolved.protocol.word, use.options)) {
              // When the rule's protocol is one of those needed but comes too late on the line, say that instead.
              const needed = /^needs -p (\S+)/.exec(p.message)?.[1]?.split('|') ?? [];
              if (satisfies(proto, needed, family, false)) {
                reportProtocolAfter(ctx, r, use.options);
                continue;
              }
            }
            const needs = byCommonness((/^needs -p (\S+)/.exec(p.message)?.[1] ?? '').split('|').filter((x) => x !== '' && !/^[0-9]+$/.test(x)));
            const fixes = use.loadedBy ? insertProtocolFixes(resolved, needs, use.loadedBy, `${use.loadedBy.name.text} ${use.name}`) : undefined;
            ctx.report({ span: at?.arg.name.span ?? use.nameWord?.span ?? r.line.span, messageId: 'problem', data: { message: `${p.option ?? use.name} ${p.message}`, jump: jumpNote(ctx, r) }, ...(p.severity ? { severity: p.severity } : {}), ...(fixes ? { fixes } : {}) });
          }
        }
      }
    }
  },
};

/**
 * For a rule without a protocol in a user chain that a rule with one jumps to: that -p does not
 * carry over (iptables and the kernel check each rule alone), naming the first such jump. The
 * jumping line is read again from the text, since the analysis may hold a stand-in for it
 * (streamed.ts). '' otherwise. Only called on the way to a finding.
 */
function jumpNote(ctx: IptablesRuleContext, r: AnalyzedRule): string {
  if (r.resolved.protocol || r.chain === undefined) return '';
  const info = r.table.chains.get(r.chain);
  if (!info || info.builtin) return '';
  const resolveContext = resolveContextOf(r.table, ctx.family);
  for (let k = 0; k < info.references.length; k++) {
    const line = (info.references[k] as AnalyzedRule).line;
    const text = ctx.doc.text.slice(line.span.start, line.span.end);
    const protocol = resolveRule(parseRuleLine(text, line.span.start, line.index).line, resolveContext).protocol;
    if (protocol && !protocol.negated) {
      return `; the "-p ${protocol.word.text}" of line ${line.index + 1}, which jumps to ${r.chain}, does not carry over to its rules: each rule is checked alone`;
    }
  }
  return '';
}

/**
 * Whether the rule's protocol (lower case, undefined when there is none or it is negated) is one of
 * `protocols`, by name or by number; `icmpv6` also as written `ipv6-icmp` or `58` when `icmpv6Names`.
 */
export function satisfies(proto: string | undefined, protocols: readonly string[], family: Family, icmpv6Names: boolean): boolean {
  if (proto === undefined) return false;
  // The common case first: the protocol is written as one of the names.
  if (protocols.includes(proto)) return true;
  return protocols.some((p) => implicitMatchName(proto, family) === implicitMatchName(p, family) || (icmpv6Names && p === 'icmpv6' && (proto === 'ipv6-icmp' || proto === '58')));
}

/**
 * `-p` written after an option that reads the protocol as it is parsed (`protocolFirst`): the finding
 * sits on the first such option, with a fix that moves the `-p` in front of it.
 */
function reportProtocolAfter(ctx: IptablesRuleContext, r: AnalyzedRule, options: readonly ResolvedOption[]): void {
  const protocol = r.resolved.protocol;
  if (!protocol) return;
  const early = options.find((o) => o.spec.protocolFirst && o.arg.name.span.start < protocol.word.span.start);
  if (!early) return;
  const data = { protocol: protocol.word.text, option: early.arg.name.text };
  const p = r.resolved.generic.filter((g: GenericUse) => g.key === '-p');
  const arg = p.length === 1 ? (p[0] as GenericUse).arg : undefined;
  if (!arg || arg.negation) {
    ctx.report({ span: early.arg.name.span, messageId: 'protocolAfter', data });
    return;
  }
  const text = ctx.doc.text;
  const before = text[arg.span.start - 1] === ' ' || text[arg.span.start - 1] === '\t' ? 1 : 0;
  ctx.report({
    span: early.arg.name.span, messageId: 'protocolAfter', data,
    fixes: [{
      title: `Move "${text.slice(arg.span.start, arg.span.end)}" before ${early.arg.name.text}`,
      edits: [
        { span: { start: early.arg.span.start, end: early.arg.span.start }, newText: `${text.slice(arg.span.start, arg.span.end)} ` },
        { span: { start: arg.span.start - before, end: arg.span.end }, newText: '' },
      ],
      preferred: true,
    }],
  });
}

/** Options of the tcp and udp matches that iptables-nft 1.8.9 writes as its own expressions instead of loading the kernel's match. */
const NFT_NATIVE: Readonly<Record<string, readonly string[]>> = { tcp: ['--sport', '--dport', '--syn', '--tcp-flags'], udp: ['--sport', '--dport'] };

/**
 * A protocol's own match (tcp, udp, icmp, sctp ...) with a negated `-p`. The kernel's match only
 * works with its protocol, not negated, and refuses the rule otherwise, with both backends; except
 * that iptables-nft 1.8.9 does not load the kernel's tcp and udp matches for port (and TCP flag)
 * options, so with only those and `-p` naming the match's own protocol, nft loads the rule and
 * legacy does not: a warning, as the backends differ (and the rule looks at ports of packets that
 * have none).
 */
function checkNegatedProtocol(ctx: IptablesRuleContext, r: AnalyzedRule, use: ExtensionUse, spec: MatchSpec): void {
  const protocol = r.resolved.protocol;
  if (!protocol) return;
  const native = NFT_NATIVE[spec.name];
  const own = implicitMatchName(protocol.word.text, ctx.family) === spec.name;
  // On the match's name after -m; for a match -p loaded, on its first option.
  const span = (use.implicit ? use.options[0]?.arg.name.span : use.nameWord?.span) ?? protocol.word.span;
  if (native && own && use.options.length > 0 && use.options.every((o) => native.includes(o.canonical))) {
    const names = [...new Set(use.options.map((o) => o.canonical))];
    ctx.report({ span, messageId: 'negatedPorts', severity: 'warning', data: { protocol: protocol.word.text, options: names.join(' '), what: names.some((n) => n.endsWith('port')) ? 'port' : 'flag' } });
    return;
  }
  ctx.report({ span, messageId: 'negatedProtocol', data: { subject: `${use.implicit ? 'the' : '-m'} ${spec.name}${use.implicit ? ' match' : ''}`, protocols: spec.name === 'icmp6' ? 'icmpv6' : spec.name, protocol: protocol.word.text } });
}

/**
 * For a rule with no -p at all: one fix per protocol (the first three, most common first) that
 * inserts "-p PROTO" before `before` (the option, or the -m/-j that loads the extension). None when
 * the rule has a -p, since a second one is refused.
 */
function insertProtocolFixes(resolved: ResolvedRule, protocols: readonly string[], before: Arg, what: string): Fix[] | undefined {
  if (resolved.protocol || protocols.length === 0) return undefined;
  return protocols.slice(0, 3).map((p) => insertBefore(before, `-p ${p}`, what));
}

/** The fix that inserts `text` before an option, and before a "!" that negates it, which must stay with it (`-p tcp ! --dport 22`). */
export function insertBefore(arg: Arg, text: string, what: string, preferred = false): Fix {
  const at = (arg.negation ?? arg.name.span).start;
  return { title: `Insert "${text}" before ${what}`, edits: [{ span: { start: at, end: at }, newText: `${text} ` }], ...(preferred ? { preferred: true } : {}) };
}

/** The protocols without repeats, the most common first (tcp, udp ...), then by name. */
export function byCommonness(protocols: readonly string[]): string[] {
  return [...new Set(protocols)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The protocols people mean most often first (tcp and udp for a port), in messages and fixes. */
const COMMON_PROTOCOLS = ['tcp', 'udp', 'icmp', 'icmpv6', 'sctp'];

function rank(protocol: string): number {
  const i = COMMON_PROTOCOLS.indexOf(protocol);
  return i === -1 ? COMMON_PROTOCOLS.length : i;
}
