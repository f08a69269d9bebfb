import { allMatches, allTargets, findMatch, findOption } from '../kb/index.js';
import { changeTo, type Fix } from '../../core/finding.js';
import type { AnalyzedRule } from '../analysis.js';
import type { Arg } from '../model.js';
import type { AmbiguousOption } from '../resolve.js';
import type { IptablesRule } from '../ruleContext.js';
import { nearMiss } from '../similarity.js';
import { otherFamilyOptionOwner } from './family-mismatch.js';
import { byCommonness, insertBefore, protocolMatchOwning, satisfies } from './option-needs-protocol.js';

export const unknownOption: IptablesRule = {
  id: 'unknown-option',
  severity: 'error',
  docs: {
    summary: 'An option that neither iptables itself nor any extension loaded before it in the rule has.',
    rationale: 'iptables-restore stops at the first option it does not know ("unknown option"), and nothing of the file is applied.',
  },
  messages: {
    unknown: 'unknown option "{option}"{hint}',
    ambiguous: 'option "{option}" is ambiguous: it abbreviates {candidates}',
    endOfOptions: '"--" ends the options for getopt, and iptables-restore refuses the words after it ("unknown arguments found on commandline")',
  },
  check(ctx) {
    const family = ctx.family;
    for (const t of ctx.analysis.tables) {
      const rules = t.rules;
      for (let ri = 0; ri < rules.length; ri++) {
        const r = rules[ri] as AnalyzedRule;
        for (let ai = 0; ai < r.resolved.unknown.length; ai++) {
          const arg = r.resolved.unknown[ai] as Arg;
          const name = arg.name.text.replace(/=.*$/, '');
          if (arg.name.text === '--') {
            // getopt's end of options: harmless when nothing follows it.
            const args = r.line.args;
            if (arg.values.length === 0 && args[args.length - 1]?.name === arg.name) continue;
            ctx.report({ span: arg.name.span, messageId: 'endOfOptions' });
            continue;
          }
          if (protocolMatchOwning(name, family) && !r.resolved.matches.some((m) => m.spec?.protocols)) continue; // option-needs-protocol reports it
          if (otherFamilyOptionOwner(name, family)) continue; // family-mismatch reports it
          const hint = hintFor(name, r.resolved.matches.map((m) => m.name), r.resolved.target?.extension?.name, family);
          const nameSpan = { start: arg.name.span.start, end: arg.name.span.start + name.length };
          const fixes = hint.meant !== undefined
            ? [changeTo(nameSpan, hint.meant)]
            : hint.load !== undefined ? loadFixes(r, arg, hint.load, name, family) : undefined;
          ctx.report({ span: arg.name.span, messageId: 'unknown', data: { option: name, hint: hint.text }, ...(fixes ? { fixes } : {}) });
        }
        for (let ai = 0; ai < r.resolved.ambiguous.length; ai++) {
          const a = r.resolved.ambiguous[ai] as AmbiguousOption;
          ctx.report({ span: a.arg.name.span, messageId: 'ambiguous', data: { option: a.arg.name.text, candidates: a.candidates.join(', ') } });
        }
      }
    }
  },
};

/**
 * Loading the one match that has the option, before it (and before a "!" that negates it): with
 * `-p tcp` / `-p udp` in front when the match needs a protocol and the rule has none. No fix when
 * the rule's protocol does not suit the match (`-p udp --syn`), is negated, or comes after the
 * option (the match would be loaded before it).
 */
function loadFixes(r: AnalyzedRule, arg: Arg, load: string, name: string, family: 'ipv4' | 'ipv6'): Fix[] | undefined {
  const spec = findMatch(load.replace(/^-m /, ''), family);
  const needs = spec?.protocols;
  if (!needs) return [insertBefore(arg, load, name, true)];
  const protocol = r.resolved.protocol;
  if (!protocol) return byCommonness(needs.filter((p) => !/^[0-9]+$/.test(p))).slice(0, 2).map((p) => insertBefore(arg, `-p ${p} ${load}`, name));
  if (protocol.negated || protocol.word.span.start > arg.name.span.start || !satisfies(protocol.word.text.toLowerCase(), needs, family, true)) return undefined;
  return [insertBefore(arg, load, name, true)];
}

/**
 * Says where the option lives: the extension to load (`load`, when it is one match), or the closest
 * option of the loaded ones (`meant`).
 */
function hintFor(name: string, loadedMatches: readonly string[], target: string | undefined, family: 'ipv4' | 'ipv6'): { text: string; meant?: string; load?: string } {
  const owners: string[] = [];
  for (const m of allMatches(family)) {
    if (findOption(m, name)) owners.push(`-m ${m.name}`);
  }
  for (const tg of allTargets(family)) {
    if (Object.prototype.hasOwnProperty.call(tg.options, name)) owners.push(`-j ${tg.name}`);
  }
  if (owners.length > 0) {
    const list = owners.slice(0, 4).join(', ');
    const only = owners.length === 1 && owners[0]?.startsWith('-m ') ? owners[0] : undefined;
    return { text: `: it belongs to ${list}${owners.length > 4 ? ' ...' : ''}, which must come before it`, ...(only ? { load: only } : {}) };
  }
  const known = [
    ...allMatches(family).filter((m) => loadedMatches.includes(m.name)).flatMap((m) => Object.keys(m.options)),
    ...(target ? allTargets(family).filter((tg) => tg.name === target).flatMap((tg) => Object.keys(tg.options)) : []),
    '--protocol', '--source', '--destination', '--in-interface', '--out-interface', '--jump', '--goto', '--match', '--fragment',
  ];
  const close = nearMiss(name, known);
  return close ? { text: `: did you mean "${close}"?`, meant: close } : { text: '' };
}
