import { matchOnlyInOtherFamily, targetOnlyInOtherFamily } from '../kb/index.js';
import type { IptablesRule } from '../ruleContext.js';
import { isFamilyMessage } from './bad-value.js';

export const familyMismatch: IptablesRule = {
  id: 'family-mismatch',
  severity: 'error',
  docs: {
    summary: 'Something of the other address family: an IPv6 address in an IPv4 ruleset (or the reverse), `-m icmp6` in iptables, `-p icmp` options in ip6tables.',
    rationale: 'iptables and ip6tables are separate tools with separate rulesets; each refuses addresses and extensions of the other family.',
  },
  messages: {
    value: '{option}: {reason}',
    match: 'the match "{name}" exists only for {other}: this is an {family} ruleset',
    target: 'the target "{name}" exists only for {other}: this is an {family} ruleset',
    problem: '{subject}: {message}',
  },
  check(ctx) {
    const family = ctx.family;
    const familyName = family === 'ipv4' ? 'IPv4 (iptables)' : 'IPv6 (ip6tables)';
    const other = family === 'ipv4' ? 'IPv6 (ip6tables)' : 'IPv4 (iptables)';
    for (const t of ctx.analysis.tables) {
      for (const r of t.rules) {
        const { resolved } = r;
        for (const g of resolved.generic) {
          if (g.spec.family && g.spec.family !== family) {
            ctx.report({ span: g.arg.name.span, messageId: 'value', data: { option: g.arg.name.text, reason: `exists only in ${other} rulesets` } });
          }
          g.values.forEach((w, i) => {
            const reason = g.spec.args[i]?.check?.(w.text, family);
            if (reason && isFamilyMessage(reason)) ctx.report({ span: w.span, messageId: 'value', data: { option: g.arg.name.text, reason } });
          });
        }
        for (const m of resolved.matches) {
          if (!m.spec && m.nameWord && !m.implicit && matchOnlyInOtherFamily(m.name, family)) {
            ctx.report({ span: m.nameWord.span, messageId: 'match', data: { name: m.name, other, family: familyName } });
          }
        }
        const tw = resolved.target?.word;
        if (tw && !resolved.target?.spec && !resolved.target?.isUserChain && targetOnlyInOtherFamily(tw.text, family)) {
          ctx.report({ span: tw.span, messageId: 'target', data: { name: tw.text, other, family: familyName } });
        }
        for (const use of [...resolved.matches, ...(resolved.target?.extension ? [resolved.target.extension] : [])]) {
          if (!use.spec) continue;
          for (const o of use.options) {
            if (o.spec.family && o.spec.family !== family) ctx.report({ span: o.arg.name.span, messageId: 'value', data: { option: o.canonical, reason: `exists only in ${other} rulesets` } });
            o.values.forEach((w, i) => {
              const reason = o.spec.args[i]?.check?.(w.text, family);
              if (reason && isFamilyMessage(reason)) ctx.report({ span: w.span, messageId: 'value', data: { option: o.canonical, reason } });
            });
          }
        }
      }
    }
  },
};
