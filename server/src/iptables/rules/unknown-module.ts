import { allMatches, allTargets, findMatch, findOption, findTarget, matchOnlyInOtherFamily } from '../kb/index.js';
import type { Family } from '../kb/types.js';
import type { IptablesRule, IptablesRuleContext } from '../ruleContext.js';
import type { Span } from '../../core/span.js';
import { changeTo } from '../../core/finding.js';
import { nearMiss } from '../similarity.js';
import { isNotAName } from '../targetKind.js';
import { targetKindOf, type AnalyzedRule } from '../analysis.js';
import type { ExtensionUse } from '../resolve.js';

export const unknownModule: IptablesRule = {
  id: 'unknown-module',
  severity: 'error',
  docs: {
    summary: 'A match (`-m`) or target (`-j`) name that is a near miss of a known one, e.g. `-m conntrak` or `-j MASQUERAD`, or a known one with its option written against it (`-m tcp--syn`).',
    rationale: 'iptables-restore cannot load an extension that does not exist ("Couldn\'t load match"), so the whole file is refused. Names are case-sensitive.',
  },
  messages: {
    match: 'unknown match "{name}": did you mean "{suggestion}"?',
    matchIsTarget: '"{name}" is a target, not a match: use -j {name}',
    target: 'unknown target "{name}": did you mean "{suggestion}"{what}?',
    targetIsMatch: '"{name}" is a match, not a target: use -m {name}',
    notAName: '{option} takes the {what} name, and "{name}" is none: iptables reads the word after {option} as the name whatever it is ("Couldn\'t load"), so the name is missing{hint}',
    glued: 'unknown {what} "{name}": a blank is missing between the {what} and its option, so iptables looks for a {what} of that name and finds none: write {option} {known} {known_option}',
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
          if (m.spec || m.implicit || !m.nameWord) continue;
          const problem = unknownMatchName(m.name, family);
          const span = m.nameWord.span;
          if (problem?.kind === 'notAName') ctx.report({ span, messageId: 'notAName', data: { option: m.loadedBy?.name.text ?? '-m', name: m.name, what: 'match', hint: notANameHint(m.name) } });
          else if (problem?.kind === 'isTarget') ctx.report({ span, messageId: 'matchIsTarget', data: { name: problem.target } });
          else if (problem?.kind === 'glued') reportGlued(ctx, span, 'match', m.loadedBy?.name.text ?? '-m', m.name, problem);
          else if (problem?.kind === 'singleQuoted') ctx.report({ span, messageId: 'singleQuoted', data: { name: m.name, bare: problem.name }, fixes: [changeTo(span, problem.name)] });
          else if (problem?.kind === 'nearMiss') ctx.report({ span, messageId: 'match', data: { name: m.name, suggestion: problem.name }, fixes: [changeTo(span, problem.name)] });
        }
        const kind = targetKindOf(r, family);
        const word = r.resolved.target?.word;
        const glued = word && !r.resolved.target?.isUserChain && kind.kind === 'unknownExtension' ? gluedOption(word.text, family, 'target') : undefined;
        if (glued && word) {
          reportGlued(ctx, word.span, 'target', r.resolved.target?.arg.name.text ?? '-j', word.text, glued);
        } else if (kind.kind === 'notAName' && word) {
          ctx.report({ span: word.span, messageId: 'notAName', data: { option: r.resolved.target?.arg.name.text ?? '-j', name: word.text, what: 'target or chain', hint: '' } });
        } else if (kind.kind === 'isMatch' && word) {
          ctx.report({ span: word.span, messageId: 'targetIsMatch', data: { name: kind.match }, fixes: [{ title: `Change to -m ${kind.match}`, edits: [{ span: r.resolved.target?.arg.name.span ?? word.span, newText: '-m' }], preferred: true }] });
        } else if (kind.kind === 'nearMiss' && word) {
          if (!kind.isChain && findMatch(word.text.toLowerCase(), family) && !allTargets(family).some((x) => x.name.toLowerCase() === word.text.toLowerCase())) {
            ctx.report({ span: word.span, messageId: 'targetIsMatch', data: { name: word.text.toLowerCase() } });
          } else {
            ctx.report({ span: word.span, messageId: 'target', data: { name: word.text, suggestion: kind.suggestion, what: kind.isChain ? ' (a chain of this table)' : '' }, fixes: [changeTo(word.span, kind.suggestion)] });
          }
        }
      }
    }
  },
};

function reportGlued(ctx: IptablesRuleContext, span: Span, what: 'match' | 'target', option: string, name: string, glued: { name: string; option: string }): void {
  const at = span.end - (name.length - glued.name.length);
  ctx.report({
    span, messageId: 'glued', data: { what, name, option, known: glued.name, known_option: glued.option },
    fixes: [{ title: `Insert a blank before ${glued.option}`, edits: [{ span: { start: at, end: at }, newText: ' ' }], preferred: true }],
  });
}

/**
 * A name that is a known extension's name with one of its options written against it
 * (`tcp--syn`, `CONNMARK--save-mark`): the blank between them is missing.
 */
export function gluedOption(name: string, family: Family, what: 'match' | 'target'): { name: string; option: string } | undefined {
  const at = name.indexOf('--', 1);
  if (at === -1) return undefined;
  const known = name.slice(0, at);
  const option = name.slice(at).replace(/=.*$/, '');
  const spec = what === 'match' ? findMatch(known, family) : findTarget(known, family);
  if (!spec) return undefined;
  return findOption(spec, option) ? { name: known, option } : undefined;
}

/** For a "!" taken as a match name: where a negation goes. */
function notANameHint(name: string): string {
  return name === '!' ? '; a "!" goes after the name, before the option it negates (-m NAME ! --option)' : '';
}

/**
 * What is wrong with the name of a match kvmnet does not know, when something other than the
 * extension being unknown is: it is the other family's (`family-mismatch` says so), a target's,
 * a known match in single quotes (`-m 'tcp'`) or with one of its options written against it
 * (`-m tcp--syn`), or a near miss of one. Undefined leaves the name to
 * `unknown-extension` (a hint: a newer iptables may have it).
 */
export function unknownMatchName(name: string, family: Family):
  | { kind: 'otherFamily' } | { kind: 'notAName' } | { kind: 'isTarget'; target: string } | { kind: 'singleQuoted' | 'nearMiss'; name: string } | { kind: 'glued'; name: string; option: string } | undefined {
  if (isNotAName(name)) return { kind: 'notAName' };
  const glued = gluedOption(name, family, 'match');
  if (glued) return { kind: 'glued', ...glued };
  if (matchOnlyInOtherFamily(name, family)) return { kind: 'otherFamily' };
  const target = findTarget(name, family) ?? findTarget(name.toUpperCase(), family);
  if (target) return { kind: 'isTarget', target: target.name };
  const bare = /^'(.+)'$/.exec(name)?.[1];
  if (bare !== undefined && findMatch(bare, family)) return { kind: 'singleQuoted', name: bare };
  const suggestion = nearMiss(name, allMatches(family).map((s) => s.name));
  return suggestion === undefined ? undefined : { kind: 'nearMiss', name: suggestion };
}
