import { changeTo, type Fix } from '../../core/finding.js';
import { chainNamed, newChainNameProblem, renameAt, renamedAwayBefore, targetKindOf, type AnalyzedRule, type TableAnalysis } from '../analysis.js';
import { ALL_BUILTIN_CHAINS, isBuiltinChain } from '../kb/tables.js';
import type { RuleLine, Word } from '../model.js';
import { restoreTools, type DeleteProblem } from '../replay.js';
import { familySkipsRule } from '../resolve.js';
import { isUfwChainName, isUfwFrameworkChain, isUfwRulesFile } from '../ufw.js';
import type { IptablesRule, IptablesRuleContext } from '../ruleContext.js';

export const undefinedChain: IptablesRule = {
  id: 'undefined-chain',
  severity: 'error',
  docs: {
    summary: 'A rule added to, or jumping to, a chain that the table never declares (`:NAME - [0:0]` or `-N NAME`), that does not exist at that line, or that `-E` renamed; `-E` renames that iptables refuses or that only one backend accepts; `-X` of a chain that still has rules or that a rule still jumps to; `-g` to a target rather than a chain; and `-Z` of a built-in chain that iptables-nft-restore has not made yet.',
    rationale: 'iptables-restore refuses "-A X" and "-j X" when chain X does not exist in that table ("Chain \'X\' does not exist"), and applies nothing. A rename moves the chain to its new name: the old name is gone from that line on. iptables-nft-restore 1.8.9 cannot rename a chain that the same file creates, so a file with `-E` loads with the legacy backend only.',
  },
  messages: {
    append: 'chain "{name}" is not declared in table {table}: add ":{name} - [0:0]" before the rules',
    ufwChain: 'chain "{name}" is not declared in this file: ufw makes its own chains and loads this file on top of them with "iptables-restore -n", so kvmnet takes it to exist (it cannot check that)',
    jump: '{option} {name}: no chain "{name}" in table {table} and no target of that name{hint}',
    builtin: '{option} {name}: rules cannot jump to the built-in chain {name}',
    notYet: 'chain "{name}" does not exist yet at this line: iptables-restore works line by line, so create it (-N or ":{name} - [0:0]") before this rule, or it was deleted by -X above',
    renamed: 'chain "{name}" no longer exists at this line: "-E {name} {to}" on line {line} renamed it to {to}',
    renameBuiltin: '-E {name}: {name} is a built-in chain of table {table}; only user chains can be renamed',
    deleteBuiltin: '{command}: {name} is a built-in chain of table {table}; only user chains can be deleted (flush it with "-F {name}" instead)',
    renameTo: '-E {from} {to}: iptables refuses {to} as the new name: {reason}',
    deleteBusy: '{command}: chain {chain} still has {rules} at this line (iptables-restore applies the file line by line), and -X only deletes an empty chain: flush it first with "-F {chain}"',
    deleteReferenced: '{command}: a rule in chain {from} still jumps to {chain} at this line, and -X does not delete a chain in use: delete that rule (or flush {from}) first',
    deleteBackendsDiffer: '{command}: {reason} for {refuser} ({why}); {accepter} accepts the line, so the file loads with one backend only',
    gotoTarget: '{option} {name}: -g continues in a user chain, and {name} is a target, not a chain of table {table}; use -j {name}',
    zeroUnmade: '{command}: iptables-nft-restore refuses to zero the built-in chain {name} before the table makes it ("No chain/target/match by that name"): no ":{name}" line, rule, policy or -F {name} above this line; iptables-legacy-restore accepts it. Declare ":{name} ACCEPT [0:0]" first to load with both',
    nftRename: '-E {from} {to}: iptables-nft-restore 1.8.9 refuses to rename a chain that the same file creates ("CHAIN_RENAME failed" when the table is committed, and lines that name {to} after this one fail with "No chain/target/match by that name"); iptables-legacy-restore accepts it. To load with both backends, declare the chain as {to} from the start',
  },
  check(ctx) {
    for (const t of ctx.analysis.tables) {
      if (!t.known) continue;
      const rules = t.rules;
      for (let ri = 0; ri < rules.length; ri++) {
        const r = rules[ri] as AnalyzedRule;
        if (familySkipsRule(r.resolved)) continue; // the tool skips the rule (-4 or -6)
        const { line } = r;
        const k = line.commandKind;
        if (line.chain && (k === 'append' || k === 'insert' || k === 'delete' || k === 'replace' || k === 'flush' || k === 'zero' || k === 'delete-chain' || k === 'rename-chain')) {
          const name = line.chain.text;
          if (!t.chains.has(name) && !ALL_BUILTIN_CHAINS.includes(name) && !chainNamed(t, name)) {
            if (!ufwTakesCareOf(ctx, line.chain)) ctx.report({ span: line.chain.span, messageId: 'append', data: { name, table: t.name }, fixes: [declareFix(t, name, ctx.doc.text)] });
          } else if (!r.chainExistsHere && !ALL_BUILTIN_CHAINS.includes(name)) {
            reportMissingHere(ctx, t, line.chain, line.index);
          }
          if (k === 'rename-chain') checkRename(ctx, t, r, line.chain);
          if (k === 'zero' && line.command && t.replay.unmadeZeroes?.has(line.index)) {
            ctx.report({ span: line.chain.span, messageId: 'zeroUnmade', severity: 'warning', data: { command: `${line.command.name.text} ${name}`, name } });
          }
        }
        if (k === 'delete-chain') checkDelete(ctx, t, line);
        const kind = targetKindOf(r, ctx.family);
        const target = r.resolved.target;
        if (!target?.word) continue;
        const option = target.arg.name.text;
        if (kind.kind === 'undefinedChain' && ufwTakesCareOf(ctx, target.word)) {
          // Reported (or known to exist) as a chain of ufw's.
        } else if (kind.kind === 'undefinedChain') {
          const elsewhere = ctx.analysis.tables.find((o) => o !== t && o.chains.get(target.word?.text ?? '') && !o.chains.get(target.word?.text ?? '')?.builtin);
          ctx.report({ span: target.word.span, messageId: 'jump', data: { option, name: target.word.text, table: t.name, hint: elsewhere ? elsewhereHint(elsewhere, t) : '' }, fixes: [declareFix(t, target.word.text, ctx.doc.text)] });
        } else if (kind.kind === 'userChain' && !r.targetExistsHere) {
          reportMissingHere(ctx, t, target.word, line.index);
        } else if (kind.kind === 'builtinChain') {
          ctx.report({ span: target.word.span, messageId: 'builtin', data: { option, name: target.word.text } });
        } else if (target.kind === 'goto' && (kind.kind === 'standard' || kind.kind === 'extension' || kind.kind === 'otherFamily' || kind.kind === 'unknownExtension')) {
          // iptables takes the name of -g as a chain's and looks for no target ("goto 'X' is not a chain").
          const jump = option.startsWith('--') ? '--jump' : '-j';
          ctx.report({
            span: target.word.span, messageId: 'gotoTarget', data: { option, name: target.word.text, table: t.name },
            fixes: [{ title: `Change ${option} to ${jump}`, edits: [{ span: target.arg.name.span, newText: jump }], preferred: true }],
          });
        }
      }
    }
  },
};

/**
 * `-X` of a chain that still has rules or that a rule still jumps to, at that line (replay.ts). An
 * error when both backends refuse the line; a warning when one does (nft's view after a bare -F).
 */
function checkDelete(ctx: IptablesRuleContext, t: TableAnalysis, line: RuleLine): void {
  if (line.command && line.chain && t.chains.get(line.chain.text)?.builtin) {
    ctx.report({ span: line.chain.span, messageId: 'deleteBuiltin', data: { command: `${line.command.name.text} ${line.chain.text}`, name: line.chain.text, table: t.name } });
    return;
  }
  const problems = t.replay.deletes.get(line.index);
  if (!problems || !line.command) return;
  const command = line.chain ? `${line.command.name.text} ${line.chain.text}` : line.command.name.text;
  const span = line.chain?.span ?? line.command.name.span;
  const { legacy, nft } = problems;
  if (legacy && nft) {
    const p = legacy;
    if (p.referencedFrom === undefined) ctx.report({ span, messageId: 'deleteBusy', data: { command, chain: p.chain, rules: p.rules === 1 ? '1 rule' : `${p.rules} rules` } });
    else ctx.report({ span, messageId: 'deleteReferenced', data: { command, chain: p.chain, from: p.referencedFrom } });
    return;
  }
  const p = (legacy ?? nft) as DeleteProblem;
  const reason = p.referencedFrom === undefined ? `chain ${p.chain} still has ${p.rules === 1 ? '1 rule' : `${p.rules} rules`}` : `a rule in chain ${p.referencedFrom} still jumps to ${p.chain}`;
  const { refuser, accepter } = restoreTools(legacy ? 'legacy' : 'nft');
  const why = legacy ? 'the backends removed different rules before this line' : 'it still holds the rules that "-F" without a chain name removed; flush the chains by name, "-F CHAIN", to load with both';
  ctx.report({ span, messageId: 'deleteBackendsDiffer', severity: 'warning', data: { command, reason, refuser, accepter, why } });
}

/** A chain name used on a line where no chain has it: not created yet, deleted, or renamed away. */
function reportMissingHere(ctx: IptablesRuleContext, t: TableAnalysis, word: Word, index: number): void {
  const gone = renamedAwayBefore(t, word.text, index);
  if (!gone) {
    ctx.report({ span: word.span, messageId: 'notYet', data: { name: word.text } });
    return;
  }
  const to = gone.to.text;
  ctx.report({
    span: word.span, messageId: 'renamed', data: { name: word.text, to, line: gone.line.index + 1 },
    related: [{ span: gone.to.span, message: `${word.text} is renamed to ${to} here` }],
    fixes: [changeTo(word.span, to)],
  });
}

/**
 * `-E OLD NEW`, as the real tools take it. Both backends refuse renaming a built-in chain and a
 * new name that is a standard verdict's, over 31 characters or read as an option (an existing
 * chain's name is duplicate-chain's). A rename iptables-legacy-restore accepts is refused by
 * iptables-nft-restore 1.8.9 whenever the chain is created by the same file, which a whole ruleset
 * always does: a warning, as the backends disagree.
 */
function checkRename(ctx: IptablesRuleContext, t: TableAnalysis, r: AnalyzedRule, from: Word): void {
  const line = r.line;
  const to = line.command?.values[1];
  if (!to) return; // missing-argument says so
  if (isBuiltinChain(t.name, from.text)) {
    ctx.report({ span: from.span, messageId: 'renameBuiltin', data: { name: from.text, table: t.name } });
  }
  // An empty new name is taken by iptables-legacy-restore (found with the real tool); nft refuses
  // every rename of a chain the file makes.
  const problem = to.text === '' ? undefined : newChainNameProblem(to.text);
  if (problem) ctx.report({ span: to.span, messageId: 'renameTo', data: { from: from.text, to: to.text, reason: problem } });
  if (line.command && (renameAt(t, line.index) || (to.text === '' && r.chainExistsHere && !isBuiltinChain(t.name, from.text)))) {
    ctx.report({ span: line.command.name.span, messageId: 'nftRename', severity: 'warning', data: { from: from.text, to: to.text } });
  }
}

/** Inserts `:NAME - [0:0]` after the table's last chain declaration (or after the `*table` line). */
export function declareFix(t: TableAnalysis, name: string, text: string): Fix {
  const after = t.block.chainLines[t.block.chainLines.length - 1]?.span ?? t.block.header.span;
  const eol = text.indexOf('\n', after.end);
  const at = eol === -1 ? text.length : eol + 1;
  return { title: `Declare chain ${name} in table ${t.name}`, edits: [{ span: { start: at, end: at }, newText: `${eol === -1 ? '\n' : ''}:${name} - [0:0]\n` }], preferred: true };
}

/**
 * An undeclared chain of ufw's in one of ufw's rule files (see ufw.ts), which ufw loads on top of
 * its own chains: nothing for the chains ufw makes itself, a hint for the others, and true, so that
 * no error is reported. False for any other name or file.
 */
function ufwTakesCareOf(ctx: IptablesRuleContext, word: Word): boolean {
  if (!isUfwChainName(word.text) || !isUfwRulesFile(ctx.analysis)) return false;
  if (!isUfwFrameworkChain(word.text)) ctx.report({ span: word.span, messageId: 'ufwChain', severity: 'hint', data: { name: word.text } });
  return true;
}

/** Where else the chain is declared: another table (chains are per table), or an earlier block of this table, which this block replaced. */
function elsewhereHint(elsewhere: TableAnalysis, t: TableAnalysis): string {
  if (elsewhere.name !== t.name) return ` (it is declared in table ${elsewhere.name}; chains are per table)`;
  return ` (the ${t.name} block at line ${elsewhere.block.header.index + 1} declares it, but iptables-restore empties the table again at this block's *${t.name} line)`;
}
