import { GENERIC_OPTIONS } from '../kb/generic.js';
import type { Family } from '../kb/types.js';
import { findTarget } from '../kb/index.js';
import { isBuiltinChain, isTableName, MAX_CHAIN_NAME, STANDARD_TARGETS } from '../kb/tables.js';
import { chainAt, type AnalyzedRule, type TableAnalysis } from '../analysis.js';
import type { Arg, ChainLine, RuleLine, Word } from '../model.js';
import { DOUBLE_NEGATION, findCommand, negationFollows, queryCommandNamed, queryCommandOf } from '../parser.js';
import type { IptablesRule, IptablesRuleContext } from '../ruleContext.js';
import { isUfwRulesFile } from '../ufw.js';
import { familySkipsRule, listCutByBlanks, mayContinueValue, type ExtensionUse, type GenericUse, type ResolvedOption } from '../resolve.js';

const SPLIT_REFUSED: readonly string[] = ['-p', '-s', '-d', '-i', '-o', '-j', '-f'];

/** Chain names iptables refuses: over 28 characters, a leading `-` or `!`, a standard verdict's name. */
export function chainNameProblem(name: string): string | undefined {
  if (name.length > MAX_CHAIN_NAME) return `chain name "${name}" is ${name.length} characters; at most ${MAX_CHAIN_NAME} are allowed`;
  if (name.startsWith('-') || name.startsWith('!')) return `chain name "${name}" may not start with "${name[0]}"`;
  if (STANDARD_TARGETS.includes(name)) return `"${name}" is a built-in verdict and cannot be a chain name`;
  return undefined;
}

/**
 * What -N refuses beyond `chainNameProblem` (a `:NAME` line checks none of it): a target's name,
 * the empty name (the standard target's), a blank anywhere in the name.
 */
function newChainOnlyProblem(name: string, family: Family): string | undefined {
  if (name === '') return 'a new chain needs a name: iptables refuses the empty name ("chain name may not clash with target name")';
  if (/[ \t\n\v\f\r]/.test(name)) return `chain name "${name}" has a blank in it: iptables refuses it ("Invalid chain name")`;
  if (findTarget(name, family)) return `"${name}" is the name of a target extension: iptables refuses it for a new chain ("chain name may not clash with target name")`;
  return undefined;
}

/** Names of firewall tools as a shell command starts with them: `iptables`, `/sbin/ip6tables-legacy`. */
const FIREWALL_COMMAND = /^(\S*\/)?ip6?tables(-nft|-legacy)?$/;
const SUDO = /^(\S*\/)?sudo$/;

/**
 * Whether the words before a line's first option are a shell command that runs a firewall tool
 * (`iptables`, `sudo /usr/sbin/ip6tables`).
 */
function isShellCommand(leading: readonly Word[]): boolean {
  if (leading.length === 0 || !FIREWALL_COMMAND.test((leading[leading.length - 1] as Word).text)) return false;
  for (let i = 0; i < leading.length - 1; i++) if (!SUDO.test((leading[i] as Word).text)) return false;
  return true;
}

export const syntax: IptablesRule = {
  id: 'syntax',
  severity: 'error',
  docs: {
    summary: 'Lines iptables-restore cannot read: malformed lines, quotes, counters, rules outside a table, a missing COMMIT, an unknown table.',
    rationale: 'iptables-restore refuses the whole file when one line is malformed, so nothing of it is applied.',
  },
  messages: {
    problem: '{message}',
    genericEquals: 'iptables 1.8.9 does not split "{option}=value" for its own options (it reads the whole word as the value): write "{option} {value}"',
    unknownTable: 'unknown table "{name}": expected filter, nat, mangle, raw or security',
    noCommand: 'no command on this line: start it with -A CHAIN (or -I, -N, -P ...)',
    familySkip: '{option} marks this rule {other} only: {tool} skips the line here and reads nothing after {option}',
    familyStop: '{option} is for {other} only: {tool} reads nothing after {option} on this line (the command before it still runs)',
    commitNotAlone: 'COMMIT must be alone on its line: iptables-restore reads this line as a rule ("Bad argument `COMMIT\'"), so the table is never committed',
    stray: 'unexpected argument "{word}"{hint}',
    shellCommand: '"{words}" is a shell command; a line of a ruleset holds only the arguments after it ("-A INPUT ... -j ACCEPT"): iptables-restore refuses this line ("Bad argument")',
    textSplit: 'a text with blanks must be quoted: iptables takes "{value}" as {option} and refuses the "{rest}" after it; write {option} {quoted}',
    listCut: 'a blank after the comma ends the list of {option} at "{list}", and iptables refuses the "{rest}" after it: write the list without blanks: {joined}',
    danglingNegation: '"!" must be followed by the option it negates: {option} takes no value',
    doubleNegation: DOUBLE_NEGATION,
    refused: '{option} cannot be used in a restore file: {reason}',
    repeated: 'multiple {option} options are not allowed in one rule',
    twoTargets: 'a rule has one target: {first} is already given',
    negatedTarget: '"!" cannot negate {option}',
    notNegatable: '{option} cannot be negated with "!"',
    chainName: '{message}',
    listing: '{command} prints the rules here, to standard output, while iptables-restore loads the file, and changes nothing: remove the line',
    listingZero: '{command} with {zero} prints the rules here, to standard output, and zeroes their packet and byte counters while iptables-restore loads the file; it changes no rule: remove the line',
    listingChain: 'chain "{name}" does not exist in table {table}: iptables-restore refuses to list it',
    listingOption: '{option} cannot be used with {command} ("Illegal option"): a listing takes only the chain, a rule number, -n, -v, -x and --line-numbers',
    check: '{command} only checks that chain {chain} has a rule like this one, and iptables-restore refuses the file when it has none; it changes nothing: remove the line',
    tableAgain: 'table {name} a second time (the first block is at line {line}): without --noflush, iptables-restore empties the table again here, so the rules and chains of the first block are lost (nf_tables resets the policies it does not declare again too); merge the two blocks',
    endsRestore: '{option}: iptables-restore prints {prints} and exits with status 0 here, so neither this line nor anything after it is applied; remove {option}',
  },
  check(ctx) {
    for (const p of ctx.doc.problems) {
      ctx.report({ span: p.span, messageId: 'problem', data: { message: p.message }, ...(p.severity === 'warning' ? { severity: 'warning' } : {}), ...(p.fixes ? { fixes: p.fixes } : {}) });
    }
    const seen = new Map<string, TableAnalysis>();
    // ufw loads its rule files with --noflush: a second block of a table adds to the first.
    const noflush = isUfwRulesFile(ctx.analysis);
    for (const t of ctx.analysis.tables) {
      if (t.name !== '' && !isTableName(t.name)) ctx.report({ span: t.block.header.name.span, messageId: 'unknownTable', data: { name: t.name } });
      const first = seen.get(t.name);
      if (first && !noflush) {
        const line = first.block.header.index + 1;
        ctx.report({
          span: t.block.header.span, messageId: 'tableAgain', severity: 'warning', data: { name: t.name, line: String(line) },
          related: [{ span: first.block.header.span, message: `the first ${t.name} block, whose rules and chains this one replaces` }],
        });
      } else if (t.name !== '') seen.set(t.name, t);
      const chainLines = t.block.chainLines;
      for (let i = 0; i < chainLines.length; i++) {
        const cl = chainLines[i] as ChainLine;
        const problem = cl.name.text === '' ? undefined : chainNameProblem(cl.name.text);
        if (problem) ctx.report({ span: cl.name.span, messageId: 'chainName', data: { message: problem } });
      }
      const rules = t.rules;
      for (let ri = 0; ri < rules.length; ri++) {
        const { line, resolved } = rules[ri] as AnalyzedRule;
        if (line.commandKind === 'new-chain' && line.chain) {
          // -N also refuses a target's name; a `:NAME` line does not check it.
          const name = line.chain.text;
          const problem = chainNameProblem(name) ?? newChainOnlyProblem(name, ctx.family);
          if (problem) ctx.report({ span: line.chain.span, messageId: 'chainName', data: { message: problem } });
        }
        const skip = resolved.familySkip;
        if (skip) {
          const ipv6 = ctx.family === 'ipv6';
          ctx.report({ span: skip.name.span, messageId: familySkipsRule(resolved) ? 'familySkip' : 'familyStop', severity: 'hint', data: { option: skip.name.text, other: ipv6 ? 'IPv4' : 'IPv6', tool: ipv6 ? 'ip6tables-restore' : 'iptables-restore' } });
        }
        const query = queryCommandOf(line);
        if (query) {
          checkQuery(ctx, t, line, query, resolved.generic);
          continue;
        }
        if (!line.command && line.args.length === 0 && line.leading[0]?.text === 'COMMIT') {
          ctx.report({ span: line.span, messageId: 'commitNotAlone', fixes: [{ title: 'Keep only COMMIT', edits: [{ span: { start: line.span.start, end: line.span.end }, newText: 'COMMIT' }], preferred: true }] });
          continue;
        }
        if (!line.command && (line.args.length > 0 || line.leading.length > 0)) {
          ctx.report({ span: line.span, messageId: 'noCommand' });
        }
        const args = line.args;
        for (let ai = 0; ai < args.length; ai++) {
          const a = args[ai] as Arg;
          const t = a.name.text;
          const eq = t.indexOf('=');
          if (eq <= 2 || !t.startsWith('--')) continue;
          const name = t.slice(0, eq);
          // -p -s -d -i -o -j read their value as the whole word, so "--source=x" fails there; -m, -g
          // and -c take getopt's split value, and a flag (-f) refuses any value.
          const hits = SPLIT_REFUSED_LONGS.includes(name) ? [name] : SPLIT_REFUSED_LONGS.filter((l) => l.startsWith(name));
          if (hits.length === 1) {
            ctx.report({
              span: a.name.span, messageId: 'genericEquals', data: { option: name, value: t.slice(eq + 1) },
              fixes: [{ title: `Write "${name} ${t.slice(eq + 1)}"`, edits: [{ span: { start: a.name.span.start + eq, end: a.name.span.start + eq + 1 }, newText: ' ' }], preferred: true }],
            });
          }
        }
        if (isShellCommand(line.leading)) {
          // A command pasted from a shell or a script: one finding for the words before the first option.
          const first = line.leading[0] as Word;
          const last = line.leading[line.leading.length - 1] as Word;
          const next = line.args[0];
          ctx.report({
            span: { start: first.span.start, end: last.span.end }, messageId: 'shellCommand', data: { words: line.leading.map((w) => w.text).join(' ') },
            fixes: next ? [{ title: `Remove "${line.leading.map((w) => w.text).join(' ')}"`, edits: [{ span: { start: first.span.start, end: next.span.start }, newText: '' }], preferred: true }] : undefined,
          });
        } else {
          for (let i = 0; i < line.leading.length; i++) {
            const w = line.leading[i] as Word;
            ctx.report({ span: w.span, messageId: 'stray', data: { word: w.text, hint: ': options start with "-"' } });
          }
        }
        for (let i = 0; i < resolved.commandExtra.length; i++) {
          const w = resolved.commandExtra[i] as Word;
          ctx.report({ span: w.span, messageId: 'stray', data: { word: w.text, hint: `: ${line.command?.name.text ?? 'the command'} takes the chain name${line.commandKind === 'insert' || line.commandKind === 'delete' ? ' and an optional rule number' : ''}` } });
        }
        checkGeneric(ctx, resolved.generic);
        const uses = resolved.extensions;
        for (let ui = 0; ui < uses.length; ui++) checkOptions(ctx, (uses[ui] as ExtensionUse).options);
      }
    }
  },
};

/** The long spellings of the generic options that refuse `--name=value` (see `check`). */
const SPLIT_REFUSED_LONGS: readonly string[] = GENERIC_OPTIONS.filter((g) => SPLIT_REFUSED.includes(g.key)).flatMap((g) => g.long);

/** Lists up to this long are searched for an earlier item; longer ones get a map (pathological lines). */
const SCAN_LIMIT = 16;

/** Stray values, options refused in a restore file, `!` before -j/-g/-m/-c/-v, and repeated generic options. */
function checkGeneric(ctx: IptablesRuleContext, generic: readonly GenericUse[]): void {
  // The first option of each kind (-j and -g are one kind); its text is only needed for a message.
  const seen = generic.length > SCAN_LIMIT ? new Map<string, GenericUse>() : undefined;
  for (let i = 0; i < generic.length; i++) {
    const g = generic[i] as GenericUse;
    reportExtra(ctx, g, g.arg.name.text, g.spec.args.length);
    if (g.spec.refusedInRestore) ctx.report({ span: g.arg.name.span, messageId: 'refused', data: { option: g.arg.name.text, reason: g.spec.refusedInRestore } });
    if (g.spec.endsRestore) ctx.report({ span: g.arg.name.span, messageId: 'endsRestore', severity: 'warning', data: { option: g.arg.name.text, prints: g.spec.endsRestore } });
    if (g.negated && (g.key === '-j' || g.key === '-g' || g.key === '-m' || g.key === '-c' || g.key === '-v')) {
      ctx.report({ span: g.arg.negation ?? g.arg.name.span, messageId: 'negatedTarget', data: { option: g.arg.name.text } });
    }
    if (g.spec.repeatable) continue; // -m, -v
    const group = groupOf(g);
    let first: GenericUse | undefined;
    if (seen) {
      first = seen.get(group);
      if (first === undefined) seen.set(group, g);
    } else {
      for (let k = 0; k < i && first === undefined; k++) {
        const before = generic[k] as GenericUse;
        if (!before.spec.repeatable && groupOf(before) === group) first = before;
      }
    }
    if (first !== undefined) {
      if (group === '-j') ctx.report({ span: g.arg.name.span, messageId: 'twoTargets', data: { first: `${first.arg.name.text} ${first.values[0]?.text ?? ''}`.trim() } });
      else ctx.report({ span: g.arg.name.span, messageId: 'repeated', data: { option: g.key } });
    }
  }
}

/** The options a listing (-L, -S) takes besides the chain and a rule number. */
const LISTING_OPTIONS: ReadonlySet<string> = new Set(['-n', '-v', '-x', '--line-numbers']);

/**
 * A listing or check line (`-L INPUT -n`, `-C INPUT -j ACCEPT`, `-Z -L`): iptables-restore runs it and goes
 * on, so it is a warning, unless the listing names a chain the table does not have or options a
 * listing does not take.
 */
function checkQuery(ctx: IptablesRuleContext, t: TableAnalysis, line: RuleLine, query: { kind: 'list' | 'check'; arg: Arg }, generic: readonly GenericUse[]): void {
  const command = query.arg.name.text;
  const chain = query.arg.values[0];
  if (query.kind === 'check') {
    ctx.report({ span: query.arg.name.span, messageId: 'check', severity: 'warning', data: { command, chain: chain?.text ?? '' } });
    return;
  }
  if (line.command) ctx.report({ span: query.arg.name.span, messageId: 'listingZero', severity: 'warning', data: { command, zero: line.command.name.text } });
  else ctx.report({ span: query.arg.name.span, messageId: 'listing', severity: 'warning', data: { command } });
  if (chain && !chainAt(t, chain.text, line.index) && !isBuiltinChain(t.name, chain.text)) ctx.report({ span: chain.span, messageId: 'listingChain', data: { name: chain.text, table: t.name } });
  for (let i = 0; i < generic.length; i++) {
    const g = generic[i] as GenericUse;
    if (!LISTING_OPTIONS.has(g.key)) ctx.report({ span: g.arg.name.span, messageId: 'listingOption', data: { option: g.arg.name.text, command } });
  }
  for (let i = 0; i < line.args.length; i++) {
    const a = line.args[i] as Arg;
    // The listing itself, the -Z that comes with it, and a second command (the parser reports it).
    if (a === query.arg || a === line.command || findCommand(a.name.text, true) || queryCommandNamed(a.name.text)) continue;
    if (!generic.some((g) => g.arg.name === a.name)) ctx.report({ span: a.name.span, messageId: 'listingOption', data: { option: a.name.text, command } });
  }
}

/** Options whose value is free text, where words after it are most likely the rest of an unquoted text. */
const FREE_TEXT_OPTIONS: ReadonlySet<string> = new Set(['--comment', '--log-prefix', '--nflog-prefix', '--ulog-prefix', '--string', '--label']);

/**
 * How many of the words after a free-text value carry the text on: up to the next option, "!" or
 * quoted word; for a text that opens with a single quote, up to the word that closes it, whatever
 * is between (`'snmp from "nms"'`).
 */
function textSpread(use: GenericUse | ResolvedOption, text: string): number {
  const value = use.values[0];
  if (!value || value.quoted) return 0;
  const extra = use.extra;
  if (value.text.startsWith("'") && !value.text.endsWith("'")) {
    for (let k = 0; k < extra.length; k++) {
      const w = extra[k] as Word;
      if (text.slice(w.span.start, w.span.end).endsWith("'")) return k + 1;
    }
  }
  let n = 0;
  while (n < extra.length && mayContinueValue(extra[n] as Word)) n++;
  return n;
}

/**
 * The words after an option's own values that nothing takes ("Bad argument"): a "!" among them is
 * one the parser left to the option, which takes no value, so it negates nothing.
 */
function reportExtra(ctx: IptablesRuleContext, use: GenericUse | ResolvedOption, option: string, takes: number): void {
  const extra = use.extra;
  if (extra.length === 0) return;
  const cut = listCutByBlanks(use);
  if (cut > 0) {
    // One report for the list and the words that carry it on, with the blanks taken out.
    const first = use.values[use.values.length - 1] as Word;
    const words = [first, ...extra.slice(0, cut)];
    const joined = words.map((w) => w.text).join('');
    const span = { start: first.span.start, end: (extra[cut - 1] as Word).span.end };
    ctx.report({
      span, messageId: 'listCut', data: { option, list: first.text, rest: words.slice(1).map((w) => w.text).join(' '), joined },
      fixes: [{ title: `Write ${joined}`, edits: [{ span, newText: joined }], preferred: true }],
    });
  }
  const spread = cut === 0 && takes === 1 && FREE_TEXT_OPTIONS.has(option) ? textSpread(use, ctx.doc.text) : 0;
  if (spread > 0) {
    // `--comment allow web`: words of one text that the blanks split.
    const first = use.values[0] as Word;
    const last = extra[spread - 1] as Word;
    const span = { start: first.span.start, end: last.span.end };
    // Single quotes are no quotes to iptables-restore (`'allow ssh'` is two words, quote marks and
    // all): they were meant as quotes, so they go.
    const raw = ctx.doc.text.slice(span.start, span.end);
    const inner = raw.length >= 2 && raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : raw;
    const quoted = `"${inner.replace(/(["\\])/g, '\\$1')}"`;
    ctx.report({
      span, messageId: 'textSplit', data: { option, value: first.text, rest: extra.slice(0, spread).map((w) => w.text).join(' '), quoted },
      fixes: [{ title: `Quote it: ${quoted}`, edits: [{ span, newText: quoted }], preferred: true }],
    });
  }
  for (let k = Math.max(cut, spread); k < extra.length; k++) {
    const w = extra[k] as Word;
    if (w.text === '!') {
      if (negationFollows(ctx.doc.text, w.span.end, ctx.doc.text.length)) ctx.report({ span: w.span, messageId: 'doubleNegation' });
      else ctx.report({ span: w.span, messageId: 'danglingNegation', data: { option } });
    }
    else ctx.report({ span: w.span, messageId: 'stray', data: { word: w.text, hint: `: ${option} takes ${takes === 0 ? 'no value' : takes === 1 ? 'one value' : `${takes} values`}` } });
  }
}

function groupOf(g: GenericUse): string {
  return g.key === '-g' ? '-j' : g.key;
}

/** Stray values, `!` where the option has none, and options given twice, for one extension's options. */
function checkOptions(ctx: IptablesRuleContext, options: readonly ResolvedOption[]): void {
  const given = options.length > SCAN_LIMIT ? new Set<string>() : undefined;
  for (let i = 0; i < options.length; i++) {
    const o = options[i] as ResolvedOption;
    reportExtra(ctx, o, o.canonical, o.spec.args.length);
    if (o.negated && !o.spec.negatable) ctx.report({ span: o.arg.negation ?? o.arg.name.span, messageId: 'notNegatable', data: { option: o.canonical } });
    let repeated: boolean;
    if (given) {
      repeated = given.has(o.canonical);
      given.add(o.canonical);
    } else {
      repeated = false;
      for (let k = 0; k < i && !repeated; k++) repeated = (options[k] as ResolvedOption).canonical === o.canonical;
    }
    if (repeated && !o.spec.repeatable) ctx.report({ span: o.arg.name.span, messageId: 'repeated', data: { option: o.canonical } });
  }
}
