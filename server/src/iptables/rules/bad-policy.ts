import { ALL_BUILTIN_CHAINS, POLICIES } from '../kb/tables.js';
import { chainAt, type AnalyzedRule } from '../analysis.js';
import type { IptablesRule } from '../ruleContext.js';

export const badPolicy: IptablesRule = {
  id: 'bad-policy',
  severity: 'error',
  docs: {
    summary: 'A policy other than ACCEPT or DROP on a built-in chain, or a policy on a user chain.',
    rationale: 'Only built-in chains have a policy, and it can only be ACCEPT or DROP (REJECT is a target, not a policy); iptables-restore refuses anything else ("Bad policy name", "Bad built-in chain name").',
  },
  messages: {
    badName: 'policy "{policy}" is not allowed: a built-in chain\'s policy is ACCEPT or DROP{hint}',
    userChain: 'user chain "{name}" cannot have a policy: write ":{name} - [0:0]" (use a final rule such as "-A {name} -j {policy}" instead)',
    notBuiltin: '-P works only on built-in chains; "{name}" is not one in table {table}',
    natDrop: 'iptables refuses the policy DROP in the nat table, which is not meant for filtering: keep ACCEPT and drop in the filter table',
    natDropLine: 'a DROP policy in the nat table drops every new connection that no rule of {name} lets through (iptables refuses this policy with -P and DROP rules in nat): keep ACCEPT and drop in the filter table',
  },
  check(ctx) {
    for (const t of ctx.analysis.tables) {
      for (const cl of t.block.chainLines) {
        const policy = cl.policy;
        if (!policy) continue;
        const info = chainAt(t, cl.name.text, cl.index); // the chain the line makes, also when a later -E renames it
        if (info?.builtin) {
          // The restore loads `:CHAIN DROP` in nat (only -P and -j DROP are refused there), so this is a warning.
          if (policy.text === 'DROP' && t.name === 'nat') {
            ctx.report({ span: policy.span, messageId: 'natDropLine', severity: 'warning', data: { name: cl.name.text }, fixes: [{ title: 'Change the policy to ACCEPT', edits: [{ span: policy.span, newText: 'ACCEPT' }] }] });
          } else if (policy.text !== '-' && !POLICIES.includes(policy.text)) {
            const upper = policy.text.toUpperCase();
            const replacement = POLICIES.includes(upper) ? upper : 'DROP';
            ctx.report({
              span: policy.span, messageId: 'badName',
              data: { policy: policy.text, hint: policy.text === 'REJECT' ? '; keep ACCEPT/DROP and end the chain with "-j REJECT"' : POLICIES.includes(upper) ? `; write ${upper}` : '' },
              fixes: [{ title: `Change the policy to ${replacement}`, edits: [{ span: policy.span, newText: replacement }], preferred: POLICIES.includes(upper) }],
            });
          }
        } else if (info && policy.text !== '-' && !ALL_BUILTIN_CHAINS.includes(cl.name.text)) {
          ctx.report({ span: policy.span, messageId: 'userChain', data: { name: cl.name.text, policy: policy.text }, fixes: [{ title: 'Remove the policy (write "-")', edits: [{ span: policy.span, newText: '-' }], preferred: true }] });
        }
      }
      const rules = t.rules;
      for (let ri = 0; ri < rules.length; ri++) {
        const r = rules[ri] as AnalyzedRule;
        if (r.line.commandKind !== 'policy' || !r.line.chain) continue;
        const info = t.chains.get(r.line.chain.text);
        if (!info?.builtin) {
          if (ALL_BUILTIN_CHAINS.includes(r.line.chain.text)) continue; // chain-not-in-table says it
          ctx.report({ span: r.line.chain.span, messageId: 'notBuiltin', data: { name: r.line.chain.text, table: t.name } });
          continue;
        }
        const policy = r.line.command?.values[1];
        if (policy && !POLICIES.includes(policy.text)) ctx.report({ span: policy.span, messageId: 'badName', data: { policy: policy.text, hint: '' } });
        else if (policy?.text === 'DROP' && t.name === 'nat') ctx.report({ span: policy.span, messageId: 'natDrop', fixes: [{ title: 'Change the policy to ACCEPT', edits: [{ span: policy.span, newText: 'ACCEPT' }] }] });
      }
    }
  },
};
