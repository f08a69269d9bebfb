import type { Fix } from '../../core/finding.js';
import { targetKindOf, type AnalyzedRule, type TableAnalysis } from '../analysis.js';
import { ALL_BUILTIN_CHAINS } from '../kb/tables.js';
import type { IptablesRule } from '../ruleContext.js';

export const undefinedChain: IptablesRule = {
  id: 'undefined-chain',
  severity: 'error',
  docs: {
    summary: 'A rule added to, or jumping to, a chain that the table never declares (`:NAME - [0:0]` or `-N NAME`).',
    rationale: 'iptables-restore refuses "-A X" and "-j X" when chain X does not exist in that table ("Chain \'X\' does not exist"), and applies nothing.',
  },
  messages: {
    append: 'chain "{name}" is not declared in table {table}: add ":{name} - [0:0]" before the rules',
    jump: '{option} {name}: no chain "{name}" in table {table} and no target of that name{hint}',
    builtin: '{option} {name}: rules cannot jump to the built-in chain {name}',
    notYet: 'chain "{name}" does not exist yet at this line: iptables-restore works line by line, so create it (-N or ":{name} - [0:0]") before this rule, or it was deleted by -X above',
  },
  check(ctx) {
    for (const t of ctx.analysis.tables) {
      if (!t.known) continue;
      const rules = t.rules;
      for (let ri = 0; ri < rules.length; ri++) {
        const r = rules[ri] as AnalyzedRule;
        const { line } = r;
        const k = line.commandKind;
        if (line.chain && (k === 'append' || k === 'insert' || k === 'delete' || k === 'replace' || k === 'flush' || k === 'zero' || k === 'delete-chain' || k === 'rename-chain')) {
          const name = line.chain.text;
          if (!t.chains.has(name) && !ALL_BUILTIN_CHAINS.includes(name)) {
            ctx.report({ span: line.chain.span, messageId: 'append', data: { name, table: t.name }, fixes: [declareFix(t, name, ctx.doc.text)] });
          } else if (!r.chainExistsHere && !ALL_BUILTIN_CHAINS.includes(name)) {
            ctx.report({ span: line.chain.span, messageId: 'notYet', data: { name } });
          }
        }
        const kind = targetKindOf(r, ctx.family);
        const target = r.resolved.target;
        if (!target?.word) continue;
        const option = target.arg.name.text;
        if (kind.kind === 'undefinedChain') {
          const elsewhere = ctx.analysis.tables.find((o) => o !== t && o.chains.get(target.word?.text ?? '') && !o.chains.get(target.word?.text ?? '')?.builtin);
          ctx.report({ span: target.word.span, messageId: 'jump', data: { option, name: target.word.text, table: t.name, hint: elsewhere ? ` (it is declared in table ${elsewhere.name}; chains are per table)` : '' }, fixes: [declareFix(t, target.word.text, ctx.doc.text)] });
        } else if (kind.kind === 'userChain' && !r.targetExistsHere) {
          ctx.report({ span: target.word.span, messageId: 'notYet', data: { name: target.word.text } });
        } else if (kind.kind === 'builtinChain') {
          ctx.report({ span: target.word.span, messageId: 'builtin', data: { option, name: target.word.text } });
        }
      }
    }
  },
};

/** Inserts `:NAME - [0:0]` after the table's last chain declaration (or after the `*table` line). */
export function declareFix(t: TableAnalysis, name: string, text: string): Fix {
  const after = t.block.chainLines[t.block.chainLines.length - 1]?.span ?? t.block.header.span;
  const eol = text.indexOf('\n', after.end);
  const at = eol === -1 ? text.length : eol + 1;
  return { title: `Declare chain ${name} in table ${t.name}`, edits: [{ span: { start: at, end: at }, newText: `${eol === -1 ? '\n' : ''}:${name} - [0:0]\n` }], preferred: true };
}
