import { gluedOption, unknownMatchName } from './unknown-module.js';
import type { IptablesRule } from '../ruleContext.js';
import { targetKindOf, type AnalyzedRule } from '../analysis.js';
import type { ExtensionUse } from '../resolve.js';

export const unknownExtension: IptablesRule = {
  id: 'unknown-extension',
  severity: 'hint',
  docs: {
    summary: 'A match or target kvmnet does not know, so its options are not checked.',
    rationale: 'A newer iptables (or a vendor build) may ship extensions kvmnet has not learnt; rather than guess, kvmnet says once that it cannot validate them.',
  },
  messages: {
    match: 'kvmnet does not know the match "{name}": its options are not checked (iptables-restore will refuse the file if this iptables lacks it)',
    target: 'kvmnet does not know the target "{name}": its options are not checked (iptables-restore will refuse the file if this iptables lacks it)',
  },
  check(ctx) {
    const family = ctx.family;
    const said = new Set<string>();
    for (const t of ctx.analysis.tables) {
      const rules = t.rules;
      for (let ri = 0; ri < rules.length; ri++) {
        const r = rules[ri] as AnalyzedRule;
        const matches = r.resolved.matches;
        for (let mi = 0; mi < matches.length; mi++) {
          const m = matches[mi] as ExtensionUse;
          if (m.spec || m.implicit || !m.nameWord || unknownMatchName(m.name, family)) continue; // family-mismatch or unknown-module says more
          if (said.has(`m:${m.name}`)) continue;
          said.add(`m:${m.name}`);
          ctx.report({ span: m.nameWord.span, messageId: 'match', data: { name: m.name } });
        }
        const word = r.resolved.target?.word;
        if (word && targetKindOf(r, family).kind === 'unknownExtension' && !said.has(`t:${word.text}`) && !gluedOption(word.text, family, 'target')) {
          said.add(`t:${word.text}`);
          ctx.report({ span: word.span, messageId: 'target', data: { name: word.text } });
        }
      }
    }
  },
};
