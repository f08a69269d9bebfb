import { allMatches, allTargets, findMatch, findTarget, matchOnlyInOtherFamily } from '../kb/index.js';
import type { Family } from '../kb/types.js';
import type { IptablesRule } from '../ruleContext.js';
import { nearMiss } from '../similarity.js';
import { targetKindOf, type AnalyzedRule } from '../analysis.js';
import type { ExtensionUse } from '../resolve.js';

export const unknownModule: IptablesRule = {
  id: 'unknown-module',
  severity: 'error',
  docs: {
    summary: 'A match (`-m`) or target (`-j`) name that is a near miss of a known one, e.g. `-m conntrak` or `-j MASQUERAD`.',
    rationale: 'iptables-restore cannot load an extension that does not exist ("Couldn\'t load match"), so the whole file is refused. Names are case-sensitive.',
  },
  messages: {
    match: 'unknown match "{name}": did you mean "{suggestion}"?',
    matchIsTarget: '"{name}" is a target, not a match: use -j {name}',
    target: 'unknown target "{name}": did you mean "{suggestion}"{what}?',
    targetIsMatch: '"{name}" is a match, not a target: use -m {name}',
    singleQuoted: 'unknown match "{name}": single quotes are part of the word in a restore file (only double quotes are quotes there), so iptables looks for a match with the quotes in its name: write {bare}',
  },
  check(ctx) {
    const family = ctx.family;
    for (const t of ctx.analysis.tables) {
      const rules = t.rules;
      for (let ri = 0; ri < rules.length; ri++) {
        const r = rules[ri] as AnalyzedRule;
        const matches = r.resolved.matches;
        for (let mi = 0; mi < matches.length; mi++) {
          const m = matches[mi] as ExtensionUse;
          if (m.spec || m.implicit || !m.nameWord || matchOnlyInOtherFamily(m.name, family)) continue;
          if (findTarget(m.name, family) || findTarget(m.name.toUpperCase(), family)) {
            ctx.report({ span: m.nameWord.span, messageId: 'matchIsTarget', data: { name: findTarget(m.name, family)?.name ?? m.name.toUpperCase() } });
            continue;
          }
          const bare = singleQuotedMatch(m.name, family);
          if (bare !== undefined) {
            ctx.report({ span: m.nameWord.span, messageId: 'singleQuoted', data: { name: m.name, bare }, fixes: [{ title: `Change to ${bare}`, edits: [{ span: m.nameWord.span, newText: bare }], preferred: true }] });
            continue;
          }
          const suggestion = nearMiss(m.name, allMatches(family).map((s) => s.name));
          if (suggestion) ctx.report({ span: m.nameWord.span, messageId: 'match', data: { name: m.name, suggestion }, fixes: [{ title: `Change to ${suggestion}`, edits: [{ span: m.nameWord.span, newText: suggestion }], preferred: true }] });
        }
        const kind = targetKindOf(r, family);
        const word = r.resolved.target?.word;
        if (kind.kind === 'isMatch' && word) {
          ctx.report({ span: word.span, messageId: 'targetIsMatch', data: { name: kind.match }, fixes: [{ title: `Change to -m ${kind.match}`, edits: [{ span: r.resolved.target?.arg.name.span ?? word.span, newText: '-m' }], preferred: true }] });
        } else if (kind.kind === 'nearMiss' && word) {
          if (!kind.isChain && findMatch(word.text.toLowerCase(), family) && !allTargets(family).some((x) => x.name.toLowerCase() === word.text.toLowerCase())) {
            ctx.report({ span: word.span, messageId: 'targetIsMatch', data: { name: word.text.toLowerCase() } });
          } else {
            ctx.report({ span: word.span, messageId: 'target', data: { name: word.text, suggestion: kind.suggestion, what: kind.isChain ? ' (a chain of this table)' : '' }, fixes: [{ title: `Change to ${kind.suggestion}`, edits: [{ span: word.span, newText: kind.suggestion }], preferred: true }] });
          }
        }
      }
    }
  },
};

/** The known match a name stands for when it is written in single quotes (`-m 'tcp'`), else undefined. */
export function singleQuotedMatch(name: string, family: Family): string | undefined {
  const bare = /^'(.+)'$/.exec(name)?.[1];
  return bare !== undefined && findMatch(bare, family) ? bare : undefined;
}
