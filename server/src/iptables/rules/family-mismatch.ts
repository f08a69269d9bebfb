import { allMatches, findOption, matchOnlyInOtherFamily, targetOnlyInOtherFamily } from '../kb/index.js';
import { protocolNumber } from '../kb/targets/targetValues.js';
import type { Family, MatchSpec } from '../kb/types.js';
import { ICMP_TYPE_NAMES, ICMPV6_TYPE_NAMES, PROTOCOL_NUMBERS } from '../kb/values.js';
import type { Arg, Word } from '../model.js';
import type { Fix } from '../../core/finding.js';

/** A match of the other family that has this option, when no match of this family has it (`--icmp-type` in ip6tables). */
export function otherFamilyOptionOwner(option: string, family: Family): MatchSpec | undefined {
  const has = (m: MatchSpec): boolean => findOption(m, option) !== undefined;
  if (allMatches(family).some(has)) return undefined;
  return allMatches(family === 'ipv4' ? 'ipv6' : 'ipv4').find((m) => m.family !== undefined && has(m));
}
import type { IptablesRule, IptablesRuleContext } from '../ruleContext.js';
import { familySkipsRule, valueVerdicts, type ExtensionUse, type GenericUse, type ResolvedOption, type ResolvedRule } from '../resolve.js';
import type { AnalyzedRule } from '../analysis.js';
import { isFamilyMessage } from './bad-value.js';

export const familyMismatch: IptablesRule = {
  id: 'family-mismatch',
  severity: 'error',
  docs: {
    summary: 'Something of the other address family: an IPv6 address in an IPv4 ruleset (or the reverse), `-m icmp6` in iptables, `-p icmp` options in ip6tables; and, as a warning, `-p icmp` in ip6tables (or `-p ipv6-icmp` in iptables), which loads and never matches.',
    rationale: 'iptables and ip6tables are separate tools with separate rulesets; each refuses addresses and extensions of the other family.',
  },
  messages: {
    value: '{option}: {reason}',
    match: 'the match "{name}" exists only for {other}: this is an {family} ruleset',
    target: 'the target "{name}" exists only for {other}: this is an {family} ruleset',
    option: '{option} belongs to the {match} match of {other}: this is an {family} ruleset{hint}',
    protocol: '-p {value} is protocol {number}, {which}, which {family} packets do not carry: {effect}; {own} is -p {name} ({ownNumber})',
  },
  check(ctx) {
    const family = ctx.family;
    const familyName = family === 'ipv4' ? 'IPv4 (iptables)' : 'IPv6 (ip6tables)';
    const other = family === 'ipv4' ? 'IPv6 (ip6tables)' : 'IPv4 (iptables)';
    // Indexed loops over rules and options: `for...of` over these lists can allocate an iterator
    // result per step in V8 (they mix frozen and ordinary arrays), on every rule.
    for (const t of ctx.analysis.tables) {
      const rules = t.rules;
      for (let ri = 0; ri < rules.length; ri++) {
        const { resolved } = rules[ri] as AnalyzedRule;
        const generic = resolved.generic;
        for (let gi = 0; gi < generic.length; gi++) {
          const g = generic[gi] as GenericUse;
          // The addresses of a line the tool skips (-4 or -6) are never read.
          if (familySkipsRule(resolved) && (g.key === '-s' || g.key === '-d')) continue;
          if (g.spec.family && g.spec.family !== family) {
            ctx.report({ span: g.arg.name.span, messageId: 'value', data: { option: g.arg.name.text, reason: `exists only in ${other} rulesets` } });
          }
          // No verdicts: every value is accepted. (An address list is refused when one of its items is.)
          const verdicts = valueVerdicts(g, family);
          if (verdicts.length === 0) continue;
          const values = g.values;
          for (let i = 0; i < values.length; i++) {
            const w = values[i] as Word;
            const check = g.spec.args[i]?.check;
            if (!check) continue;
            // Address lists (-s a,b): report on the item of the other family, not the whole list.
            let offset = w.span.start + (w.quoted ? 1 : 0);
            for (const item of (g.key === '-s' || g.key === '-d') && !w.quoted ? w.text.split(',') : [w.text]) {
              const reason = item === w.text ? verdicts[i] : check(item, family);
              if (reason && isFamilyMessage(reason)) {
                const span = item === w.text ? w.span : { start: offset, end: offset + item.length };
                ctx.report({ span, messageId: 'value', data: { option: g.arg.name.text, reason } });
              }
              offset += item.length + 1;
            }
          }
        }
        checkProtocol(ctx, resolved, family);
        for (let ai = 0; ai < resolved.unknown.length; ai++) {
          const arg = resolved.unknown[ai] as Arg;
          const owner = otherFamilyOptionOwner(arg.name.text, family);
          if (owner) {
            const fix = icmpFix(resolved, arg, owner.name, family);
            ctx.report({
              span: arg.name.span, messageId: 'option',
              data: { option: arg.name.text, match: owner.name, other, family: familyName, hint: family === 'ipv6' && owner.name === 'icmp' ? ' (use -p icmpv6 --icmpv6-type)' : family === 'ipv4' && owner.name === 'icmp6' ? ' (use -p icmp --icmp-type)' : '' },
              ...(fix ? { fixes: [fix] } : {}),
            });
          }
        }
        for (let mi = 0; mi < resolved.matches.length; mi++) {
          const m = resolved.matches[mi] as ExtensionUse;
          if (!m.spec && m.nameWord && !m.implicit && matchOnlyInOtherFamily(m.name, family)) {
            ctx.report({ span: m.nameWord.span, messageId: 'match', data: { name: m.name, other, family: familyName } });
          }
        }
        const tw = resolved.target?.word;
        if (tw && !resolved.target?.spec && !resolved.target?.isUserChain && targetOnlyInOtherFamily(tw.text, family)) {
          ctx.report({ span: tw.span, messageId: 'target', data: { name: tw.text, other, family: familyName } });
        }
        const uses = resolved.extensions;
        for (let ui = 0; ui < uses.length; ui++) {
          const use = uses[ui] as ExtensionUse;
          if (!use.spec) continue;
          const options = use.options;
          for (let oi = 0; oi < options.length; oi++) {
            const o = options[oi] as ResolvedOption;
            if (o.spec.family && o.spec.family !== family) ctx.report({ span: o.arg.name.span, messageId: 'value', data: { option: o.canonical, reason: `exists only in ${other} rulesets` } });
            const verdicts = valueVerdicts(o, family);
            for (let i = 0; i < verdicts.length; i++) {
              const reason = verdicts[i];
              if (reason && isFamilyMessage(reason)) ctx.report({ span: (o.values[i] as Word).span, messageId: 'value', data: { option: o.canonical, reason } });
            }
          }
        }
      }
    }
  },
};

/**
 * A rule of the other family's ICMP written out for this one (copied between rules.v4 and
 * rules.v6): the option and the protocol, when the type is a name this family's ICMP has too
 * (`echo-request`; numbers differ between the two). With an explicit `-m icmp` the option is that
 * match's, and the match is what gets reported (no fix).
 */
function icmpFix(resolved: ResolvedRule, arg: Arg, owner: string, family: Family): Fix | undefined {
  const v6 = family === 'ipv6';
  if (owner !== (v6 ? 'icmp' : 'icmp6')) return undefined;
  const type = arg.values[0];
  if (!type || type.quoted || !(v6 ? ICMPV6_TYPE_NAMES : ICMP_TYPE_NAMES).includes(type.text.replace(/^!/, '').toLowerCase())) return undefined;
  const edits = [{ span: { start: arg.name.span.start, end: arg.name.span.start + arg.name.text.replace(/=.*$/, '').length }, newText: v6 ? '--icmpv6-type' : '--icmp-type' }];
  const proto = resolved.protocol?.word;
  const theirs = v6 ? ICMP.ipv4.names : ICMP.ipv6.names;
  if (proto && (theirs as readonly string[]).includes(proto.text.toLowerCase())) edits.push({ span: proto.span, newText: v6 ? ICMP.ipv6.name : ICMP.ipv4.name });
  else if (!proto) return undefined; // the option needs the protocol: no partial fix
  return { title: `Write it for ${v6 ? 'ip6tables' : 'iptables'}: ${edits.map((e) => e.newText).join(', ')}`, edits: edits.sort((a, b) => a.span.start - b.span.start), preferred: true };
}

/** The ICMP of each family: the protocol names and number `-p` takes for it. */
const ICMP = {
  ipv4: { names: ['icmp'], number: 1, label: "IPv4's ICMP", name: 'icmp', own: 'ICMP' },
  ipv6: { names: ['icmpv6', 'ipv6-icmp'], number: 58, label: 'ICMPv6', name: 'ipv6-icmp', own: 'ICMPv6' },
} as const;

/**
 * `-p icmp` in an IPv6 ruleset (or `-p ipv6-icmp` in an IPv4 one) loads, and matches a protocol that
 * the family's packets do not carry: an ACCEPT for ping or neighbour discovery that accepts
 * nothing. A warning with a fix to the family's own ICMP. Left to the other checks when the rule
 * also uses the other family's ICMP match or options (`--icmp-type` in ip6tables is an error already).
 */
function checkProtocol(ctx: IptablesRuleContext, resolved: ResolvedRule, family: Family): void {
  const p = resolved.protocol;
  if (!p || familySkipsRule(resolved)) return;
  const other = ICMP[family === 'ipv4' ? 'ipv6' : 'ipv4'];
  const value = p.word.text;
  const lower = value.toLowerCase();
  // A number as C reads it (`58`, `072`, `0x3a`); names other than the ICMP ones do not count.
  const n = PROTOCOL_NUMBERS[lower] === undefined ? protocolNumber(lower) : undefined;
  if (!(other.names as readonly string[]).includes(lower) && n !== other.number) return;
  for (let ai = 0; ai < resolved.unknown.length; ai++) {
    if (otherFamilyOptionOwner((resolved.unknown[ai] as Arg).name.text, family)) return;
  }
  for (let mi = 0; mi < resolved.matches.length; mi++) {
    const m = resolved.matches[mi] as ExtensionUse;
    if (!m.spec && matchOnlyInOtherFamily(m.name, family)) return; // `-m icmp6` in iptables: an error already
  }
  const own = ICMP[family];
  const name = n === undefined ? own.name : String(own.number);
  ctx.report({
    span: p.word.span,
    messageId: 'protocol',
    severity: 'warning',
    data: {
      value, number: String(other.number), which: other.label, family: family === 'ipv4' ? 'IPv4' : 'IPv6',
      effect: p.negated ? 'negated, it holds for every packet and excludes nothing' : 'the rule never matches',
      own: own.own, name: own.name, ownNumber: String(own.number),
    },
    fixes: p.word.quoted ? undefined : [{ title: `Change to -p ${name}`, edits: [{ span: p.word.span, newText: name }], preferred: true }],
  });
}
