import type { IptablesRule } from '../ruleContext.js';
import type { AnalyzedRule } from '../analysis.js';
import { familySkipsRule, requiredCount, type ExtensionUse, type GenericUse, type ResolvedOption } from '../resolve.js';

export const missingArgument: IptablesRule = {
  id: 'missing-argument',
  severity: 'error',
  docs: {
    summary: 'An option or command without the value it needs (`--dport` at the end of a line, `-A` without a chain, CHECKSUM without `--checksum-fill`).',
    rationale: 'iptables-restore refuses an option that "requires an argument" and a target that misses its mandatory option, and applies nothing.',
  },
  messages: {
    option: '{option} needs {what}',
    command: '{command} needs {what}',
    oneOf: '{kind} {name} needs {options}',
  },
  check(ctx) {
    for (const t of ctx.analysis.tables) {
      const rules = t.rules;
      for (let ri = 0; ri < rules.length; ri++) {
        const { line, resolved } = rules[ri] as AnalyzedRule;
        if (line.command) {
          const n = line.command.values.length;
          const k = line.commandKind;
          const needsChain = k === 'append' || k === 'insert' || k === 'delete' || k === 'replace' || k === 'new-chain' || k === 'policy' || k === 'rename-chain';
          if (needsChain && n === 0) ctx.report({ span: line.command.name.span, messageId: 'command', data: { command: line.command.name.text, what: 'a chain name' } });
          else if (k === 'policy' && n === 1) ctx.report({ span: line.command.span, messageId: 'command', data: { command: line.command.name.text, what: 'a policy after the chain: ACCEPT or DROP' } });
          else if (k === 'rename-chain' && n === 1) ctx.report({ span: line.command.span, messageId: 'command', data: { command: line.command.name.text, what: 'the new chain name' } });
          else if (k === 'replace' && n === 1) ctx.report({ span: line.command.span, messageId: 'command', data: { command: line.command.name.text, what: 'the number of the rule to replace' } });
        }
        const generic = resolved.generic;
        for (let gi = 0; gi < generic.length; gi++) {
          const g = generic[gi] as GenericUse;
          // All arguments given: nothing can be missing (most options), no lookup needed.
          if (g.values.length >= g.spec.args.length) continue;
          const required = requiredCount(g.spec);
          if (g.values.length < required) {
            ctx.report({ span: g.arg.name.span, messageId: 'option', data: { option: g.arg.name.text, what: describe(g.spec.args.slice(g.values.length).map((a) => a.display)) } });
          }
        }
        const uses = resolved.extensions;
        for (let ui = 0; ui < uses.length; ui++) {
          const use = uses[ui] as ExtensionUse;
          const options = use.options;
          for (let oi = 0; oi < options.length; oi++) {
            const o = options[oi] as ResolvedOption;
            if (o.values.length >= o.spec.args.length) continue;
            const required = requiredCount(o.spec);
            if (o.values.length < required) {
              ctx.report({ span: o.arg.name.span, messageId: 'option', data: { option: o.canonical, what: describe(o.spec.args.slice(o.values.length).map((a) => a.display)) } });
            }
          }
          // The options an extension must have are checked once the line is read, which a line the
          // tool skips (-4 or -6) never is.
          const groups = use.spec?.requireOneOf;
          if (groups && !familySkipsRule(resolved)) {
            for (const group of groups) {
              if (!givesOneOf(options, group)) {
                ctx.report({ span: use.nameWord?.span ?? line.span, messageId: 'oneOf', data: { kind: use.kind === 'match' ? 'match' : 'target', name: use.name, options: group.length === 1 ? group[0] ?? '' : `one of ${group.join(', ')}` } });
              }
            }
          }
        }
      }
    }
  },
};

/** Whether one of the options given is in the group. */
function givesOneOf(options: readonly ResolvedOption[], group: readonly string[]): boolean {
  for (let i = 0; i < options.length; i++) if (group.includes((options[i] as ResolvedOption).canonical)) return true;
  return false;
}

function describe(displays: readonly string[]): string {
  return displays.length === 1 ? `a value (${displays[0] ?? ''})` : `${displays.length} values (${displays.join(' ')})`;
}
