import type { AnalyzedRule } from '../analysis.js';
import { familySkipsRule, type GenericUse } from '../resolve.js';
import type { IptablesRule } from '../ruleContext.js';

const NO_INPUT_INTERFACE = ['OUTPUT', 'POSTROUTING'];
const NO_OUTPUT_INTERFACE = ['INPUT', 'PREROUTING'];

export const interfaceNotAllowed: IptablesRule = {
  id: 'interface-not-allowed',
  severity: 'error',
  docs: {
    summary: '`-i` in OUTPUT or POSTROUTING, or `-o` in INPUT or PREROUTING.',
    rationale: 'Locally generated packets have no input interface yet, and packets being received have no output interface yet; iptables refuses such rules ("Can\'t use -i with OUTPUT").',
  },
  messages: {
    input: 'cannot use {option} in {chain}: packets there have no input interface{hint}',
    output: 'cannot use {option} in {chain}: packets there have no output interface yet{hint}',
  },
  check(ctx) {
    for (const t of ctx.analysis.tables) {
      const rules = t.rules;
      for (let ri = 0; ri < rules.length; ri++) {
        const r = rules[ri] as AnalyzedRule;
        if (familySkipsRule(r.resolved)) continue; // the tool skips the rule (-4 or -6)
        const chain = r.chain;
        // Only the names of built-in chains can refuse an interface: look the chain up only then.
        if (!chain || (!NO_INPUT_INTERFACE.includes(chain) && !NO_OUTPUT_INTERFACE.includes(chain)) || !t.chains.get(chain)?.builtin) continue;
        const generic = r.resolved.generic;
        for (let gi = 0; gi < generic.length; gi++) {
          const g = generic[gi] as GenericUse;
          if (g.key === '-i' && NO_INPUT_INTERFACE.includes(chain)) {
            ctx.report({ span: g.arg.name.span, messageId: 'input', data: { option: g.arg.name.text, chain, hint: chain === 'POSTROUTING' ? ' (did you mean -o?)' : '' }, fixes: [{ title: 'Change to -o (output interface)', edits: [{ span: g.arg.name.span, newText: '-o' }] }] });
          }
          if (g.key === '-o' && NO_OUTPUT_INTERFACE.includes(chain)) {
            ctx.report({ span: g.arg.name.span, messageId: 'output', data: { option: g.arg.name.text, chain, hint: chain === 'PREROUTING' ? ' (did you mean -i?)' : '' }, fixes: [{ title: 'Change to -i (input interface)', edits: [{ span: g.arg.name.span, newText: '-i' }] }] });
          }
        }
      }
    }
  },
};
