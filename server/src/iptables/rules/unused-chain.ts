import type { AnalyzedRule, ChainInfo } from '../analysis.js';
import type { IptablesRule } from '../ruleContext.js';
import { isUfwChainName, isUfwRulesFile } from '../ufw.js';
import { declaresForeignBuiltin } from './chain-not-in-table.js';

export const unusedChain: IptablesRule = {
  id: 'unused-chain',
  severity: 'info',
  docs: {
    summary: 'A user chain that no rule jumps to (`-j`) or goes to (`-g`): its rules never see a packet.',
    rationale: 'Often a leftover after a refactoring, or a forgotten `-A INPUT -j CHAIN`; either way the chain\'s rules have no effect.',
  },
  messages: {
    unused: 'chain "{name}" of table {table} is never used: no rule of the table jumps to it{rules}',
  },
  check(ctx) {
    // ufw's own chains are jumped to from ufw's framework, which is not in its rule files.
    const ufw = isUfwRulesFile(ctx.analysis);
    for (const t of ctx.analysis.tables) {
      for (const info of t.chains.values()) {
        // A chain that only jumps to itself is still unused.
        if (info.builtin || jumpedToFromElsewhere(info) || (ufw && isUfwChainName(info.name))) continue;
        const decl = info.declarations[0];
        if (!decl) continue;
        // ":PREROUTING ACCEPT [0:0]" in filter: chain-not-in-table reports the name (the chain of another table).
        if (decl.line.kind === 'chain' && declaresForeignBuiltin(decl.line, t.name)) continue;
        const n = info.rules.length;
        ctx.report({ span: decl.word.span, messageId: 'unused', data: { name: info.name, table: t.name, rules: n > 0 ? `, so its ${n} rule${n === 1 ? '' : 's'} never run${n === 1 ? 's' : ''}` : '' } });
      }
    }
  },
};

/** Whether a rule of another chain jumps or goes to this one. */
function jumpedToFromElsewhere(info: ChainInfo): boolean {
  const refs = info.references;
  for (let i = 0; i < refs.length; i++) if ((refs[i] as AnalyzedRule).chain !== info.name) return true;
  return false;
}
