import type { ReportDescriptor } from '../../core/rule.js';
import { PROTOCOL_NAMES } from '../kb/values.js';
import { nearMiss } from '../similarity.js';
import type { IptablesRule, IptablesRuleContext } from '../ruleContext.js';
import { valueVerdicts, type ExtensionUse } from '../resolve.js';
import { validateExtension } from '../analysis.js';
import type { ExtensionProblem } from '../kb/types.js';

/** Value-check messages that are about the address family go to `family-mismatch` instead. */
export function isFamilyMessage(message: string): boolean {
  return /in an IPv[46] ruleset/.test(message);
}

export const badValue: IptablesRule = {
  id: 'bad-value',
  severity: 'error',
  docs: {
    summary: 'A value iptables refuses: an address or CIDR prefix, a port or range, a protocol, a state name, an ICMP type, a reject-with type, a log level, a mark ...',
    rationale: 'iptables-restore parses every value before it applies anything; one bad value makes it refuse the whole file.',
  },
  messages: {
    value: '{option}: {reason}',
    protocol: 'unknown protocol "{name}": did you mean "{suggestion}"?',
    neverMatches: '"! -p {name}" can never match (every packet has a protocol): iptables refuses it',
    conflict: '{option} cannot be combined with {other}',
    requires: '{option} needs {other} in the same rule',
    problem: '{subject}: {message}',
  },
  check(ctx) {
    const family = ctx.family;
    for (const t of ctx.analysis.tables) {
      for (const r of t.rules) {
        const { resolved } = r;
        for (const g of resolved.generic) {
          const proto = g.key === '-p' ? g.values[0] : undefined;
          if (proto && g.negated && /^(0+|all)$/i.test(proto.text)) {
            ctx.report({ span: proto.span, messageId: 'neverMatches', data: { name: proto.text } });
          }
          if (proto && !/^[0-9]+$/.test(proto.text) && !PROTOCOL_NAMES.includes(proto.text.toLowerCase())) {
            const suggestion = nearMiss(proto.text.toLowerCase(), PROTOCOL_NAMES);
            if (suggestion) ctx.report({ span: proto.span, messageId: 'protocol', data: { name: proto.text, suggestion }, fixes: [{ title: `Change to ${suggestion}`, edits: [{ span: proto.span, newText: suggestion }], preferred: true }] });
          }
          const verdicts = valueVerdicts(g, family);
          g.values.forEach((w, i) => {
            const reason = verdicts[i];
            if (reason && !isFamilyMessage(reason)) ctx.report({ span: w.span, messageId: 'value', data: { option: g.arg.name.text, reason } });
          });
        }
        for (const use of resolved.extensions) {
          if (!use.spec) continue;
          checkExtension(ctx, use, () => validateExtension(r, use, family), r.line.span);
        }
      }
    }
  },
};

const NOTHING_GIVEN = new Map<string, string[]>();

function checkExtension(ctx: IptablesRuleContext, use: ExtensionUse, validated: () => readonly ExtensionProblem[], lineSpan: { start: number; end: number }): void {
  const spec = use.spec;
  if (!spec) return;
  const family = ctx.family;
  const report = (d: ReportDescriptor): void => ctx.report(d);
  // The options given, for conflicts and requirements (most extensions have none).
  const needsGiven = use.options.some((o) => o.spec.conflicts !== undefined || o.spec.requires !== undefined);
  const given = needsGiven ? new Map<string, string[]>() : NOTHING_GIVEN;
  for (const o of use.options) {
    if (needsGiven) given.set(o.canonical, o.values.map((v) => v.text));
    const verdicts = valueVerdicts(o, family);
    o.values.forEach((w, i) => {
      const argSpec = o.spec.args[i];
      if (!argSpec) return;
      let reason = verdicts[i];
      if (!reason && !argSpec.check && argSpec.values && !argSpec.values.includes(w.text)) reason = `expected one of ${argSpec.values.join(', ')}`;
      if (reason && !isFamilyMessage(reason)) report({ span: w.span, messageId: 'value', data: { option: o.canonical, reason } });
    });
  }
  for (const o of use.options) {
    for (const c of o.spec.conflicts ?? []) {
      if (given.has(c)) report({ span: o.arg.name.span, messageId: 'conflict', data: { option: o.canonical, other: c } });
    }
    for (const req of o.spec.requires ?? []) {
      if (!given.has(req)) report({ span: o.arg.name.span, messageId: 'requires', data: { option: o.canonical, other: req } });
    }
  }
  if (spec.validate) {
    for (const p of validated()) {
      if (/^needs -p/.test(p.message) || isFamilyMessage(p.message)) continue;
      const at = p.option ? use.options.find((o) => o.canonical === p.option) : undefined;
      report({ span: at?.arg.name.span ?? use.nameWord?.span ?? lineSpan, messageId: 'problem', data: { subject: p.option ?? `${use.kind === 'match' ? '-m' : '-j'} ${use.name}`, message: p.message } });
    }
  }
}
