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
        const first = decls[0];
        if (!first) continue;
        for (const d of decls.slice(1)) {
          ctx.report({
            span: d.word.span,
            messageId: 'duplicate',
            data: { name: info.name, table: t.name, line: first.line.index + 1 },
            related: [{ span: first.word.span, message: `first declaration of ${info.name}` }],
          });
        }
      }
    }
  },
};
