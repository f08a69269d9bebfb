import { ALL_BUILTIN_CHAINS, isTableName, TABLES } from '../kb/tables.js';
import { chainNamed, type AnalyzedRule } from '../analysis.js';
import { familySkipsRule } from '../resolve.js';
import type { IptablesRule } from '../ruleContext.js';
import type { ChainLine } from '../model.js';

export const chainNotInTable: IptablesRule = {
  id: 'chain-not-in-table',
  severity: 'error',
  docs: {
    summary: 'A built-in chain used in a table that does not have it, such as PREROUTING in filter or FORWARD in nat.',
    rationale: 'Each table has its own built-in chains (filter: INPUT, FORWARD, OUTPUT; nat: PREROUTING, INPUT, OUTPUT, POSTROUTING ...). iptables-restore refuses rules for a chain the table does not have.',
  },
  messages: {
    notInTable: '{name} is not a chain of table {table} (it has {chains}){hint}',
  },
  check(ctx) {
    for (const t of ctx.analysis.tables) {
      if (!isTableName(t.name)) continue;
      const builtins = TABLES[t.name];
      const report = (span: { start: number; end: number }, name: string): void => {
        const homes = Object.entries(TABLES).filter(([, chains]) => chains.includes(name)).map(([tn]) => tn);
        ctx.report({ span, messageId: 'notInTable', data: { name, table: t.name, chains: builtins.join(', '), hint: homes.length > 0 ? `; ${name} belongs to ${homes.join(', ')}` : '' } });
      };
      for (const cl of t.block.chainLines) {
        const name = cl.name.text;
        if (declaresForeignBuiltin(cl, t.name)) report(cl.name.span, name);
      }
      const rules = t.rules;
      for (let ri = 0; ri < rules.length; ri++) {
        const r = rules[ri] as AnalyzedRule;
        const chain = r.line.chain;
        if (!chain || r.line.commandKind === 'new-chain' || familySkipsRule(r.resolved)) continue;
        const name = chain.text;
        // A user chain of that name (also one renamed away later) makes the line legal.
        if (ALL_BUILTIN_CHAINS.includes(name) && !builtins.includes(name) && !chainNamed(t, name)) report(chain.span, name);
      }
    }
  },
};

/**
 * A chain line that declares, with a policy, a built-in chain of another table (`:PREROUTING ACCEPT
 * [0:0]` in filter): refused. Without a policy (`:PREROUTING - [0:0]`) it makes a user chain of that
 * name, which loads.
 */
export function declaresForeignBuiltin(cl: ChainLine, table: string): boolean {
  const name = cl.name.text;
  const own = isTableName(table) ? TABLES[table] : [];
  return ALL_BUILTIN_CHAINS.includes(name) && !own.includes(name) && cl.policy !== undefined && cl.policy.text !== '-';
}
