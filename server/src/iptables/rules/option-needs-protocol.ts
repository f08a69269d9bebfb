import { allMatches } from '../kb/index.js';
import type { ExtensionProblem, Family, MatchSpec } from '../kb/types.js';
import type { IptablesRule } from '../ruleContext.js';
import { validateExtension, type AnalyzedRule } from '../analysis.js';
import type { Arg } from '../model.js';
import { implicitMatchName, type ExtensionUse, type ResolvedOption } from '../resolve.js';

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
    // Indexed loops over rules and options: `for...of` over these lists can allocate an iterator
    // result per step in V8 (they mix frozen and ordinary arrays), on every rule.
    for (const t of ctx.analysis.tables) {
      const rules = t.rules;
      for (let ri = 0; ri < rules.length; ri++) {
        const r = rules[ri] as AnalyzedRule;
        const { resolved } = r;
        // With "! -p PROTO" iptables still loads PROTO's match and accepts the rule (it can never match
        // that protocol's options, but that is a logic question, not a refusal).
        const negated = resolved.protocol?.negated === true;
        const proto = resolved.protocol && !negated ? resolved.protocol.word.text.toLowerCase() : undefined;
        for (let ai = 0; ai < resolved.unknown.length; ai++) {
          const arg = resolved.unknown[ai] as Arg;
          const name = arg.name.text.replace(/=.*$/, '');
          const owner = protocolMatchOwning(name, family);
          if (!owner || negated || resolved.matches.some((m) => m.spec?.protocols)) continue;
          const owners = allMatches(family).filter((m) => isProtocolMatch(m, family) && (Object.prototype.hasOwnProperty.call(m.options, name) || Object.values(m.options).some((o) => o.aliases?.includes(name)))).map((m) => m.name === 'icmp6' ? 'icmpv6' : m.name);
          ctx.report({ span: arg.name.span, messageId: 'optionNeedsProtocol', data: { option: name, protocols: [...new Set(owners)].join('|') } });
        }
        const uses = resolved.extensions;
        for (let ui = 0; ui < uses.length; ui++) {
          const use = uses[ui] as ExtensionUse;
          const protocols = use.spec?.protocols;
          // "! -p tcp -m tcp" loads and passes (the protocol match ignores the negation); every
          // other extension with a protocol need refuses a negated protocol (multiport, TCPMSS ...).
          if (!protocols || use.implicit || (negated && use.spec && isProtocolMatch(use.spec, family))) continue;
          if (!satisfies(proto, protocols, family, true)) {
            ctx.report({
              span: use.nameWord?.span ?? use.loadedBy?.name.span ?? r.line.span,
              messageId: 'extensionNeedsProtocol',
              data: { kind: use.kind === 'match' ? 'match' : 'target', name: use.name, protocols: protocols.join('|'), actual: resolved.protocol ? ` (the rule has ${resolved.protocol.negated ? '! ' : ''}-p ${resolved.protocol.word.text})` : '' },
            });
          }
        }
        if (!negated) {
          for (let ui = 0; ui < uses.length; ui++) {
            const options = (uses[ui] as ExtensionUse).options;
            for (let oi = 0; oi < options.length; oi++) {
              const o = options[oi] as ResolvedOption;
              const need = o.spec.protocols;
              if (need && !satisfies(proto, need, family, false)) ctx.report({ span: o.arg.name.span, messageId: 'optionNeedsProtocol', data: { option: o.canonical, protocols: need.join('|') } });
            }
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
            ctx.report({ span: at?.arg.name.span ?? use.nameWord?.span ?? r.line.span, messageId: 'problem', data: { message: `${p.option ?? use.name} ${p.message}` } });
          }
        }
      }
    }
  },
};

/**
 * Whether the rule's protocol (lower case, undefined when there is none or it is negated) is one of
 * `protocols`, by name or by number; `icmpv6` also as written `ipv6-icmp` or `58` when `icmpv6Names`.
 */
function satisfies(proto: string | undefined, protocols: readonly string[], family: Family, icmpv6Names: boolean): boolean {
  if (proto === undefined) return false;
  // The common case first: the protocol is written as one of the names.
  if (protocols.includes(proto)) return true;
  return protocols.some((p) => implicitMatchName(proto, family) === implicitMatchName(p, family) || (icmpv6Names && p === 'icmpv6' && (proto === 'ipv6-icmp' || proto === '58')));
}
