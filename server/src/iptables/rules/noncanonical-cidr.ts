import { canonicalCidr } from '../../net/cidr.js';
import type { AnalyzedRule } from '../analysis.js';
import type { Word } from '../model.js';
import { familySkipsRule, type ExtensionUse, type GenericUse, type ResolvedOption } from '../resolve.js';
import type { Family } from '../kb/types.js';
import type { IptablesRule, IptablesRuleContext } from '../ruleContext.js';

export const noncanonicalCidr: IptablesRule = {
  id: 'noncanonical-cidr',
  severity: 'warning',
  docs: {
    summary: 'A network written with host bits set, such as `192.168.122.1/24`: iptables silently masks them to `192.168.122.0/24`.',
    rationale: 'The rule then covers the whole network although it looks like it names one host; usually either the prefix or the address is a mistake.',
  },
  messages: {
    cidr: '{value} has host bits set: iptables reads it as {canonical}{hint}',
  },
  check(ctx) {
    // Indexed loops over rules and options: `for...of` over these lists can allocate an iterator
    // result per step in V8 (they mix frozen and ordinary arrays), on every rule.
    for (const t of ctx.analysis.tables) {
      const rules = t.rules;
      for (let ri = 0; ri < rules.length; ri++) {
        const { resolved } = rules[ri] as AnalyzedRule;
        if (familySkipsRule(resolved)) continue; // the tool skips the rule (-4 or -6)
        const { generic, extensions } = resolved;
        // -s/-d (comma lists allowed) and extension options that take one `address[/mask]`
        // (conntrack --ctorigsrc ..., policy --tunnel-src, ipvs --vaddr): the kernel compares under the mask.
        for (let gi = 0; gi < generic.length; gi++) {
          const g = generic[gi] as GenericUse;
          if ((g.key === '-s' || g.key === '-d') && g.values[0]) checkWord(ctx, g.values[0], true);
        }
        for (let ui = 0; ui < extensions.length; ui++) {
          const options = (extensions[ui] as ExtensionUse).options;
          for (let oi = 0; oi < options.length; oi++) {
            const o = options[oi] as ResolvedOption;
            const args = o.spec.args;
            for (let i = 0; i < o.values.length; i++) {
              if (args[i]?.display === 'address[/mask]') checkWord(ctx, o.values[i] as Word, false);
            }
          }
        }
      }
    }
  },
};

/**
 * Whether every address of a value is written as iptables would print it (nothing to report): no
 * `/mask`, or one without host bits. `list`: -s/-d, which take comma lists.
 */
export function isCanonicalAddressWord(text: string, list: boolean, family: Family): boolean {
  // Only `address/mask` can be written the long way.
  if (text.indexOf('/') === -1) return true;
  for (const item of list && text.indexOf(',') !== -1 ? text.split(',') : [text]) {
    const canonical = canonicalCidr(item, family);
    if (canonical && canonical !== item) return false;
  }
  return true;
}

function checkWord(ctx: IptablesRuleContext, w: Word, list: boolean): void {
  const text = w.text;
  if (isCanonicalAddressWord(text, list, ctx.family)) return;
  if (list && text.indexOf(',') !== -1) {
    let offset = 0;
    for (const item of text.split(',')) {
      checkItem(ctx, w, item, offset);
      offset += item.length + 1;
    }
  } else checkItem(ctx, w, text, 0);
}

/** One address of the word, `offset` characters into its text. */
function checkItem(ctx: IptablesRuleContext, w: Word, item: string, offset: number): void {
  const canonical = canonicalCidr(item, ctx.family);
  if (!canonical || canonical === item) return;
  const start = w.span.start + (w.quoted ? 1 : 0) + offset;
  const span = { start, end: start + item.length };
  const host = item.slice(0, item.indexOf('/'));
  ctx.report({
    span,
    messageId: 'cidr',
    data: { value: item, canonical, hint: `; write ${canonical} for the network or ${host} for the host` },
    fixes: [
      { title: `Change to the network ${canonical}`, edits: [{ span, newText: canonical }], preferred: true },
      { title: `Change to the single host ${host}`, edits: [{ span, newText: host }] },
    ],
  });
}
