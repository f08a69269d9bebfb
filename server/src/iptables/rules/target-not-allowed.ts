import type { RelatedLocation } from '../../core/finding.js';
import type { Span } from '../../core/span.js';
import { ruleHooks, userRuleHooksIn, type AnalyzedRule, type TableAnalysis } from '../analysis.js';
import type { ExtensionSpec } from '../kb/types.js';
import { familySkipsRule, type ExtensionUse, type ResolvedOption } from '../resolve.js';
import type { IptablesRule, IptablesRuleContext } from '../ruleContext.js';
import { commitDisagreement } from '../replay.js';

export const targetNotAllowed: IptablesRule = {
  id: 'target-not-allowed',
  severity: 'error',
  docs: {
    summary: 'A target (or match) used in a table or chain where the kernel does not allow it: MASQUERADE outside nat POSTROUTING, DNAT outside PREROUTING/OUTPUT, REJECT outside INPUT/FORWARD/OUTPUT, CHECKSUM outside mangle, `-m owner` in INPUT ...',
    rationale: 'Each extension declares the tables and hooks it works in; the kernel refuses the rule otherwise (for a user chain, when a built-in chain that jumps to it is not allowed). `iptables-restore --test` alone misses this on the nf_tables backend.',
  },
  messages: {
    table: '{kind} {name} is only valid in the {tables} table{s}, not in {table}{note}',
    chain: '{kind} {name} is only valid in {chains} of table {table}{via}',
    legacyTable: '{kind} {name} works only in the {tables} table on a legacy-backend host, whose kernel refuses it in {table}; the nf_tables backend takes it in any table',
    backendChain: '{kind} {name} is only valid in {chains} of table {table}; chain {chain} is reached from {hooks} when {refuser} commits the table, as it {why}; {accepter} loads the file, so it loads with one backend only',
    removed: '{kind} {name} was removed from the kernel in Linux {version}: a kernel since then refuses the rule when the file is loaded (iptables-legacy-restore --test does not notice); {instead}',
    optionViaJump: '{kind} {name} is only valid in {chains} of table {table}{via}: the legacy backend refuses the ruleset when it loads it (the nf_tables backend checks this only in built-in chains)',
  },
  check(ctx) {
    // Indexed loops over rules and options: `for...of` over these lists can allocate an iterator
    // result per step in V8 (they mix frozen and ordinary arrays), on every rule.
    for (const t of ctx.analysis.tables) {
      const rules = t.rules;
      for (let ri = 0; ri < rules.length; ri++) {
        const r = rules[ri] as AnalyzedRule;
        const chain = r.chain;
        if (!chain || familySkipsRule(r.resolved)) continue;
        const { matches, target, extensions } = r.resolved;
        const hooks = ruleHooks(r);
        for (let ui = 0; ui < extensions.length; ui++) {
          const options = (extensions[ui] as ExtensionUse).options;
          for (let oi = 0; oi < options.length; oi++) {
            const o = options[oi] as ResolvedOption;
            const allowed = o.spec.chains;
            if (!allowed) continue;
            const bad = hooksLeftOut(hooks, allowed);
            if (bad.length === 0) continue;
            // The kernel checks an option's hooks in its own check function, which the nf_tables
            // backend runs only for a rule in a built-in chain (kb/hookChecks.ts).
            const isBuiltin = t.chains.get(chain)?.builtin ?? false;
            ctx.report({
              span: o.arg.name.span, messageId: isBuiltin ? 'chain' : 'optionViaJump',
              data: { kind: 'option', name: o.canonical, chains: allowed.join('/'), table: t.name, via: isBuiltin ? `, not in ${chain}` : `; chain ${chain} is reached from ${bad.join(', ')}` },
              ...(isBuiltin ? {} : { severity: 'warning', related: entryJumps(t, chain, bad) }),
            });
          }
        }
        // Only extensions limited to some tables or chains can be misplaced.
        for (let mi = 0; mi < matches.length; mi++) {
          const m = matches[mi] as ExtensionUse;
          if (m.spec && m.nameWord && (m.spec.tables || m.spec.chains || m.spec.legacyTables)) checkPlace(ctx, r, hooks, 'match', m.name, m.spec, m.nameWord.span);
        }
        if (target?.spec && target.word && (target.spec.tables || target.spec.chains || target.spec.legacyTables)) checkPlace(ctx, r, hooks, 'target', target.word.text, target.spec, target.word.span);
        // Allowed nowhere on a current kernel.
        for (let mi = 0; mi < matches.length; mi++) {
          const m = matches[mi] as ExtensionUse;
          if (m.spec && m.nameWord) checkRemoved(ctx, 'match', m.name, m.spec, m.nameWord.span);
        }
        if (target?.spec && target.word) checkRemoved(ctx, 'target', target.word.text, target.spec, target.word.span);
      }
    }
  },
};

/** An extension limited to some tables or built-in chains, used in rule `r`, which the kernel checks against `hooks`. */
function checkPlace(ctx: IptablesRuleContext, r: AnalyzedRule, hooks: ReadonlySet<string>, kind: string, name: string, spec: ExtensionSpec, span: Span): void {
  const { tables, chains, legacyTables } = spec;
  const t = r.table;
  const chain = r.chain as string;
  if (tables && !tables.includes(t.name as never)) {
    ctx.report({ span, messageId: 'table', data: { kind, name, tables: tables.join(', '), s: tables.length > 1 ? 's' : '', table: t.name, note: spec.tablesNote ? `: ${spec.tablesNote}` : '' } });
    return;
  }
  if (legacyTables && !legacyTables.includes(t.name as never)) {
    ctx.report({ span, messageId: 'legacyTable', severity: 'warning', data: { kind, name, tables: legacyTables.join(', '), table: t.name } });
  }
  if (!chains) return;
  const bad = hooksLeftOut(hooks, chains);
  if (bad.length === 0) {
    checkPlaceByBackend(ctx, r, kind, name, chains, span);
    return;
  }
  const isBuiltin = t.chains.get(chain)?.builtin ?? false;
  const allowedHere = chains.filter((c) => t.chains.get(c)?.builtin);
  ctx.report({
    span,
    messageId: 'chain',
    data: { kind, name, chains: (allowedHere.length > 0 ? allowedHere : chains).join('/'), table: t.name, via: isBuiltin ? `, not in ${chain}` : `; chain ${chain} is reached from ${bad.join(', ')}` },
    ...(isBuiltin ? {} : { related: entryJumps(t, chain, bad) }),
  });
}

/**
 * In a table that removes rules, the backends may hold different jumps at the commit (nft keeps the
 * rules of a bare -F): a user chain reached from a hook `chains` leaves out in one backend only.
 */
function checkPlaceByBackend(ctx: IptablesRuleContext, r: AnalyzedRule, kind: string, name: string, chains: readonly string[], span: Span): void {
  const legacy = userRuleHooksIn(r, 'legacy');
  const nft = userRuleHooksIn(r, 'nft');
  if (!legacy || !nft) return;
  const legacyBad = hooksLeftOut(legacy, chains);
  const nftBad = hooksLeftOut(nft, chains);
  if (legacyBad.length === 0 && nftBad.length === 0) return;
  if (legacyBad.length > 0 && nftBad.length > 0) {
    // Each backend reaches the chain through jumps the other does not hold: both refuse.
    const chain = r.chain ?? '';
    ctx.report({ span, messageId: 'chain', data: { kind, name, chains: chains.join('/'), table: r.table.name, via: `; chain ${chain} is reached from ${legacyBad.join(', ')}` } });
    return;
  }
  const nftRefuses = nftBad.length > 0;
  ctx.report({
    span, messageId: 'backendChain', severity: 'warning',
    data: {
      kind, name, chains: chains.join('/'), table: r.table.name, chain: r.chain ?? '', hooks: (nftRefuses ? nftBad : legacyBad).join(', '),
      ...commitDisagreement(nftRefuses ? 'nft' : 'legacy'),
    },
  });
}

/**
 * The hooks (in their order) that `allowed` leaves out, worked out once per set of hooks and list:
 * a table's chains share a few hook sets, and the lists are the knowledge base's own. Kept as long
 * as the set is.
 */
const leftOut = new WeakMap<ReadonlySet<string>, Map<readonly string[], readonly string[]>>();
function hooksLeftOut(hooks: ReadonlySet<string>, allowed: readonly string[]): readonly string[] {
  let byList = leftOut.get(hooks);
  if (!byList) leftOut.set(hooks, (byList = new Map()));
  let bad = byList.get(allowed);
  if (!bad) byList.set(allowed, (bad = [...hooks].filter((h) => !allowed.includes(h))));
  return bad;
}

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

/** A warning on an extension the kernel removed (`removedFromKernel`): a kernel since then refuses the rule. */
function checkRemoved(ctx: IptablesRuleContext, kind: 'match' | 'target', name: string, spec: ExtensionSpec, span: Span): void {
  const gone = spec.removedFromKernel;
  if (gone) ctx.report({ span, messageId: 'removed', severity: 'warning', data: { kind, name, version: gone.version, instead: gone.instead } });
}
