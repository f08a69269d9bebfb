import type { RelatedLocation } from '../../core/finding.js';
import { hooksOf, type TableAnalysis } from '../analysis.js';
import type { ExtensionSpec } from '../kb/types.js';
import type { IptablesRule } from '../ruleContext.js';

export const targetNotAllowed: IptablesRule = {
  id: 'target-not-allowed',
  severity: 'error',
  docs: {
    summary: 'A target (or match) used in a table or chain where the kernel does not allow it: MASQUERADE outside nat POSTROUTING, DNAT outside PREROUTING/OUTPUT, REJECT outside INPUT/FORWARD/OUTPUT, CHECKSUM outside mangle, `-m owner` in INPUT ...',
    rationale: 'Each extension declares the tables and hooks it works in; the kernel refuses the rule otherwise (for a user chain, when a built-in chain that jumps to it is not allowed). `iptables-restore --test` alone misses this on the nf_tables backend.',
  },
  messages: {
    table: '{kind} {name} is only valid in the {tables} table{s}, not in {table}',
    chain: '{kind} {name} is only valid in {chains} of table {table}{via}',
  },
  check(ctx) {
    for (const t of ctx.analysis.tables) {
      for (const r of t.rules) {
        const chain = r.chain;
        if (!chain) continue;
        // Only extensions limited to some tables or chains can be misplaced.
        const uses: Array<{ kind: string; name: string; spec: ExtensionSpec; span: { start: number; end: number } }> = [];
        for (const m of r.resolved.matches) if (m.spec && m.nameWord && (m.spec.tables || m.spec.chains)) uses.push({ kind: 'match', name: m.name, spec: m.spec, span: m.nameWord.span });
        const target = r.resolved.target;
        if (target?.spec && target.word && (target.spec.tables || target.spec.chains)) uses.push({ kind: 'target', name: target.word.text, spec: target.spec, span: target.word.span });
        for (const use of r.resolved.extensions) {
          for (const o of use.options) {
            const allowed = o.spec.chains;
            if (!allowed) continue;
            const bad = [...hooksOf(t, chain)].filter((h) => !allowed.includes(h));
            if (bad.length === 0) continue;
            const isBuiltin = t.chains.get(chain)?.builtin ?? false;
            ctx.report({ span: o.arg.name.span, messageId: 'chain', data: { kind: 'option', name: o.canonical, chains: allowed.join('/'), table: t.name, via: isBuiltin ? `, not in ${chain}` : `; chain ${chain} is reached from ${bad.join(', ')}` } });
          }
        }
        for (const use of uses) {
          const { tables, chains } = use.spec;
          if (tables && !tables.includes(t.name as never)) {
            ctx.report({ span: use.span, messageId: 'table', data: { kind: use.kind, name: use.name, tables: tables.join(', '), s: tables.length > 1 ? 's' : '', table: t.name } });
            continue;
          }
          if (!chains) continue;
          const bad = [...hooksOf(t, chain)].filter((h) => !chains.includes(h));
          if (bad.length === 0) continue;
          const isBuiltin = t.chains.get(chain)?.builtin ?? false;
          const allowedHere = chains.filter((c) => t.chains.get(c)?.builtin);
          ctx.report({
            span: use.span,
            messageId: 'chain',
            data: { kind: use.kind, name: use.name, chains: (allowedHere.length > 0 ? allowedHere : chains).join('/'), table: t.name, via: isBuiltin ? `, not in ${chain}` : `; chain ${chain} is reached from ${bad.join(', ')}` },
            ...(isBuiltin ? {} : { related: entryJumps(t, chain, bad) }),
          });
        }
      }
    }
  },
};

/** The jumps from the offending built-in chains that lead to `chain` (first one per hook). */
function entryJumps(t: TableAnalysis, chain: string, hooks: readonly string[]): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  for (const hook of hooks) {
    for (const r of t.chains.get(hook)?.rules ?? []) {
      const w = r.resolved.target?.word;
      if (w && (w.text === chain || t.hooks.get(chain)?.has(hook))) {
        out.push({ span: w.span, message: `${hook} jumps to ${w.text} here` });
        break;
      }
    }
  }
  return out;
}
