import type { IptablesRule } from '../ruleContext.js';

export const duplicateChain: IptablesRule = {
  id: 'duplicate-chain',
  severity: 'error',
  docs: {
    summary: 'A user chain declared twice in one table (two `:NAME` lines, or `-N` of a chain that exists), or `-N` of a built-in chain.',
    rationale: 'iptables-restore (legacy) refuses to create a chain that exists ("File exists"), and the nf_tables backend refuses `-N` of an existing chain.',
  },
  messages: {
    duplicate: 'chain "{name}" is already declared in table {table} (line {line})',
    builtin: '"{name}" is a built-in chain of table {table}; it exists already',
  },
  check(ctx) {
    for (const t of ctx.analysis.tables) {
      for (const info of t.chains.values()) {
        const decls = info.declarations;
        if (info.builtin) {
          for (const d of decls) {
            if (d.line.kind === 'rule') ctx.report({ span: d.word.span, messageId: 'builtin', data: { name: info.name, table: t.name } });
          }
          continue;
        }
      }
      for (const d of t.duplicates) {
        ctx.report({
          span: d.word.span,
          messageId: 'duplicate',
          data: { name: d.word.text, table: t.name, line: d.firstLine + 1 },
          related: [{ span: d.first.span, message: `first declaration of ${d.word.text}` }],
        });
      }
    }
  },
};
