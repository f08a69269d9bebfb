import { allMatches } from '../kb/index.js';
import type { Family, MatchSpec } from '../kb/types.js';
import type { IptablesRule } from '../ruleContext.js';
import { validateExtension } from '../analysis.js';
import { implicitMatchName } from '../resolve.js';

/** The protocol match (tcp, udp, icmp ...) that has this option, when one does. */
export function protocolMatchOwning(option: string, family: Family): MatchSpec | undefined {
  return allMatches(family).find((m) => isProtocolMatch(m, family) &&
    (Object.prototype.hasOwnProperty.call(m.options, option) || Object.values(m.options).some((o) => o.aliases?.includes(option))));
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
    optionNeedsProtocol: '{option} needs a protocol: add "-p {protocols}" before it',
    extensionNeedsProtocol: '{kind} {name} needs "-p {protocols}"{actual}',
    problem: '{message}',
  },
  check(ctx) {
    const family = ctx.family;
    for (const t of ctx.analysis.tables) {
      for (const r of t.rules) {
        const { resolved } = r;
        // With "! -p PROTO" iptables still loads PROTO's match and accepts the rule (it can never match
        // that protocol's options, but that is a logic question, not a refusal).
        const negated = resolved.protocol?.negated === true;
        const proto = resolved.protocol && !negated ? resolved.protocol.word.text.toLowerCase() : undefined;
        for (const arg of resolved.unknown) {
          const name = arg.name.text.replace(/=.*$/, '');
          const owner = protocolMatchOwning(name, family);
          if (!owner || negated || resolved.matches.some((m) => m.spec?.protocols)) continue;
          const owners = allMatches(family).filter((m) => isProtocolMatch(m, family) && (Object.prototype.hasOwnProperty.call(m.options, name) || Object.values(m.options).some((o) => o.aliases?.includes(name)))).map((m) => m.name === 'icmp6' ? 'icmpv6' : m.name);
          ctx.report({ span: arg.name.span, messageId: 'optionNeedsProtocol', data: { option: name, protocols: [...new Set(owners)].join('|') } });
        }
        const uses = resolved.extensions;
        for (const use of uses) {
          const protocols = use.spec?.protocols;
          // "! -p tcp -m tcp" loads and passes (the protocol match ignores the negation); every
          // other extension with a protocol need refuses a negated protocol (multiport, TCPMSS ...).
          if (!protocols || use.implicit || (negated && use.spec && isProtocolMatch(use.spec, family))) continue;
          const ok = proto !== undefined && protocols.some((p) => p === proto || implicitMatchName(proto, family) === implicitMatchName(p, family) || (p === 'icmpv6' && (proto === 'ipv6-icmp' || proto === '58')));
          if (!ok) {
            ctx.report({
              span: use.nameWord?.span ?? use.loadedBy?.name.span ?? r.line.span,
              messageId: 'extensionNeedsProtocol',
              data: { kind: use.kind === 'match' ? 'match' : 'target', name: use.name, protocols: protocols.join('|'), actual: resolved.protocol ? ` (the rule has ${resolved.protocol.negated ? '! ' : ''}-p ${resolved.protocol.word.text})` : '' },
            });
          }
        }
        for (const use of uses) {
          for (const o of use.options) {
            const need = o.spec.protocols;
            if (!need || negated) continue;
            const ok = proto !== undefined && need.some((p) => p === proto || implicitMatchName(proto, family) === implicitMatchName(p, family));
            if (!ok) ctx.report({ span: o.arg.name.span, messageId: 'optionNeedsProtocol', data: { option: o.canonical, protocols: need.join('|') } });
          }
        }
        for (const use of uses) {
          if (!use.spec?.validate) continue;
          for (const p of validateExtension(r, use, family)) {
            if (!/^needs -p/.test(p.message)) continue;
            const at = p.option ? use.options.find((o) => o.canonical === p.option) : undefined;
            ctx.report({ span: at?.arg.name.span ?? use.nameWord?.span ?? r.line.span, messageId: 'problem', data: { message: `${p.option ?? use.name} ${p.message}` } });
          }
        }
      }
    }
  },
};


