import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { generateKubeProxyRuleset } from '../../scripts/bench/kubeProxyRuleset.js';
import type { Span } from '../../server/src/core/span.js';
import type { Family } from '../../server/src/iptables/kb/types.js';
import { lintIptables } from '../../server/src/iptables/lint.js';
import { selectionRanges, type SelectionChain } from '../../server/src/iptables/selection.js';
import { documentSymbols, foldingRanges } from '../../server/src/iptables/symbols.js';
import { caseName, stripCursor } from '../helpers/ruleTester.js';

/** Stands for the whole document in an expected chain (its last step). */
const DOC = '⟨document⟩';

interface Case {
  /** The ruleset with the cursor `‸`. */
  readonly code: string;
  /** The selected texts, innermost first. */
  readonly chain: readonly string[];
  readonly family?: Family;
}

function chainOf(code: string, family?: Family): { text: string; texts: string[] } {
  const { text, cursor } = stripCursor(code);
  const { document, analysis } = lintIptables(text, family ? { family } : {});
  const [chain] = selectionRanges(document, analysis, [cursor]);
  assert.ok(chain);
  return { text, texts: chain.map((s) => (s.start === 0 && s.end === text.length && text !== '' ? DOC : text.slice(s.start, s.end))) };
}

function run(cases: readonly Case[]): void {
  for (const c of cases) {
    test(caseName(c.code, c.family), () => {
      assert.deepEqual(chainOf(c.code, c.family).texts, c.chain);
    });
  }
}

const T = (...lines: string[]): string => ['*filter', ...lines, 'COMMIT'].join('\n');

describe('selection ranges: inside a command line', () => {
  run([
    // The example of the brief: word, option, rule, table, document.
    {
      code: `${T('-A INPUT -s 10.0.‸0.0/8 -j ACCEPT')}\n`,
      chain: ['10.0.0.0/8', '-s 10.0.0.0/8', '-A INPUT -s 10.0.0.0/8 -j ACCEPT', T('-A INPUT -s 10.0.0.0/8 -j ACCEPT'), DOC],
    },
    // One item of a comma list, then the list.
    {
      code: `${T('-A INPUT -m conntrack --ctstate RELATED,ESTA‸BLISHED -j ACCEPT')}\n`,
      chain: ['ESTABLISHED', 'RELATED,ESTABLISHED', '--ctstate RELATED,ESTABLISHED', '-m conntrack --ctstate RELATED,ESTABLISHED',
        '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', T('-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'), DOC],
    },
    // Right after a comma: the item that starts there; right before one: the item that ends there.
    {
      code: `${T('-A INPUT -m state --state RELATED,‸ESTABLISHED')}\n`,
      chain: ['ESTABLISHED', 'RELATED,ESTABLISHED', '--state RELATED,ESTABLISHED', '-m state --state RELATED,ESTABLISHED', '-A INPUT -m state --state RELATED,ESTABLISHED', T('-A INPUT -m state --state RELATED,ESTABLISHED'), DOC],
    },
    {
      code: `${T('-A INPUT -m state --state RELATED‸,ESTABLISHED')}\n`,
      chain: ['RELATED', 'RELATED,ESTABLISHED', '--state RELATED,ESTABLISHED', '-m state --state RELATED,ESTABLISHED', '-A INPUT -m state --state RELATED,ESTABLISHED', T('-A INPUT -m state --state RELATED,ESTABLISHED'), DOC],
    },
    // A quoted list: the item, the text without the quotes, then with them.
    {
      code: `${T('-A INPUT -m conntrack --ctstate "NEW,‸ESTABLISHED"')}\n`,
      chain: ['ESTABLISHED', 'NEW,ESTABLISHED', '"NEW,ESTABLISHED"', '--ctstate "NEW,ESTABLISHED"', '-m conntrack --ctstate "NEW,ESTABLISHED"', '-A INPUT -m conntrack --ctstate "NEW,ESTABLISHED"', T('-A INPUT -m conntrack --ctstate "NEW,ESTABLISHED"'), DOC],
    },
    // A comment is free text, not a list: no item, with or without quotes.
    {
      code: `${T('-A INPUT -m comment --comment "a,‸b c" -j ACCEPT')}\n`,
      chain: ['a,b c', '"a,b c"', '--comment "a,b c"', '-m comment --comment "a,b c"', '-A INPUT -m comment --comment "a,b c" -j ACCEPT', T('-A INPUT -m comment --comment "a,b c" -j ACCEPT'), DOC],
    },
    {
      code: `${T('-A INPUT -m comment --comment a,‸b -j ACCEPT')}\n`,
      chain: ['a,b', '--comment a,b', '-m comment --comment a,b', '-A INPUT -m comment --comment a,b -j ACCEPT', T('-A INPUT -m comment --comment a,b -j ACCEPT'), DOC],
    },
    // An address list of -s is one.
    {
      code: `${T('-A INPUT -s 10.0.0.1,10.0.‸0.2 -j DROP')}\n`,
      chain: ['10.0.0.2', '10.0.0.1,10.0.0.2', '-s 10.0.0.1,10.0.0.2', '-A INPUT -s 10.0.0.1,10.0.0.2 -j DROP', T('-A INPUT -s 10.0.0.1,10.0.0.2 -j DROP'), DOC],
    },
    // The option with its "!", from a value and from the "!".
    {
      code: `${T('-A FORWARD ! -d 192.168.1‸22.0/24 -j ACCEPT')}\n`,
      chain: ['192.168.122.0/24', '! -d 192.168.122.0/24', '-A FORWARD ! -d 192.168.122.0/24 -j ACCEPT', T('-A FORWARD ! -d 192.168.122.0/24 -j ACCEPT'), DOC],
    },
    {
      code: `${T('-A FORWARD ‸! -d 192.168.122.0/24 -j ACCEPT')}\n`,
      chain: ['!', '! -d 192.168.122.0/24', '-A FORWARD ! -d 192.168.122.0/24 -j ACCEPT', T('-A FORWARD ! -d 192.168.122.0/24 -j ACCEPT'), DOC],
    },
    // A match: from -m to its last option, from its name and from its options.
    {
      code: `${T('-A INPUT -p tcp -m tcp --dport 22 -m conn‸track --ctstate NEW -j ACCEPT')}\n`,
      chain: ['conntrack', '-m conntrack', '-m conntrack --ctstate NEW', '-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT', T('-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT'), DOC],
    },
    {
      code: `${T('-A INPUT -p tcp -m tcp --dport 2‸2 -m conntrack --ctstate NEW -j ACCEPT')}\n`,
      chain: ['22', '--dport 22', '-m tcp --dport 22', '-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT', T('-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT'), DOC],
    },
    {
      code: `${T('-A INPUT ‸-m limit --limit 5/min --limit-burst 10 -j LOG')}\n`,
      chain: ['-m', '-m limit', '-m limit --limit 5/min --limit-burst 10', '-A INPUT -m limit --limit 5/min --limit-burst 10 -j LOG', T('-A INPUT -m limit --limit 5/min --limit-burst 10 -j LOG'), DOC],
    },
    // A protocol match loaded by -p alone: from -p to its last option.
    {
      code: `${T('-A INPUT -p tcp --dport 2‸2 -j ACCEPT')}\n`,
      chain: ['22', '--dport 22', '-p tcp --dport 22', '-A INPUT -p tcp --dport 22 -j ACCEPT', T('-A INPUT -p tcp --dport 22 -j ACCEPT'), DOC],
    },
    {
      code: `${T('-A INPUT -p t‸cp -s 10.0.0.0/8 --dport 22 -j ACCEPT')}\n`,
      chain: ['tcp', '-p tcp', '-p tcp -s 10.0.0.0/8 --dport 22', '-A INPUT -p tcp -s 10.0.0.0/8 --dport 22 -j ACCEPT', T('-A INPUT -p tcp -s 10.0.0.0/8 --dport 22 -j ACCEPT'), DOC],
    },
    // -s between them belongs to no match: it goes from its option to the rule.
    {
      code: `${T('-A INPUT -p tcp -s 10.0‸.0.0/8 --dport 22 -j ACCEPT')}\n`,
      chain: ['10.0.0.0/8', '-s 10.0.0.0/8', '-A INPUT -p tcp -s 10.0.0.0/8 --dport 22 -j ACCEPT', T('-A INPUT -p tcp -s 10.0.0.0/8 --dport 22 -j ACCEPT'), DOC],
    },
    // -p without a match of its options is an option alone.
    {
      code: `${T('-A INPUT -p ic‸mp -j ACCEPT')}\n`,
      chain: ['icmp', '-p icmp', '-A INPUT -p icmp -j ACCEPT', T('-A INPUT -p icmp -j ACCEPT'), DOC],
    },
    // A target extension with its options; a verdict is its -j alone.
    {
      code: `${T('-A INPUT -j REJECT --reject-with icmp-host-‸prohibited')}\n`,
      chain: ['icmp-host-prohibited', '--reject-with icmp-host-prohibited', '-j REJECT --reject-with icmp-host-prohibited', '-A INPUT -j REJECT --reject-with icmp-host-prohibited', T('-A INPUT -j REJECT --reject-with icmp-host-prohibited'), DOC],
    },
    {
      code: `${T('-A INPUT -j REJ‸ECT --reject-with tcp-reset')}\n`,
      chain: ['REJECT', '-j REJECT', '-j REJECT --reject-with tcp-reset', '-A INPUT -j REJECT --reject-with tcp-reset', T('-A INPUT -j REJECT --reject-with tcp-reset'), DOC],
    },
    {
      code: `${T('-A INPUT -i lo -j ACC‸EPT')}\n`,
      chain: ['ACCEPT', '-j ACCEPT', '-A INPUT -i lo -j ACCEPT', T('-A INPUT -i lo -j ACCEPT'), DOC],
    },
    // A quoted word: its text, then with the quotes (LOG's prefix).
    {
      code: `${T('-A INPUT -j LOG --log-prefix "dro‸pped: " --log-level 4')}\n`,
      chain: ['dropped: ', '"dropped: "', '--log-prefix "dropped: "', '-j LOG --log-prefix "dropped: " --log-level 4', '-A INPUT -j LOG --log-prefix "dropped: " --log-level 4', T('-A INPUT -j LOG --log-prefix "dropped: " --log-level 4'), DOC],
    },
    // A quote the line never closes: the text after it, then the word.
    {
      code: `${T('-A INPUT -m comment --comment "open ‸end')}\n`,
      chain: ['open end', '"open end', '--comment "open end', '-m comment --comment "open end', '-A INPUT -m comment --comment "open end', T('-A INPUT -m comment --comment "open end'), DOC],
    },
    // `--name=value`: the value is a part of the written word.
    {
      code: `${T('-A INPUT -p tcp --dport=2‸2 -j ACCEPT')}\n`,
      chain: ['22', '--dport=22', '-p tcp --dport=22', '-A INPUT -p tcp --dport=22 -j ACCEPT', T('-A INPUT -p tcp --dport=22 -j ACCEPT'), DOC],
    },
    // `-c PACKETS,BYTES` in one word: each count is a part.
    {
      code: `${T('-A INPUT -c 10,2‸00 -j ACCEPT')}\n`,
      chain: ['200', '10,200', '-c 10,200', '-A INPUT -c 10,200 -j ACCEPT', T('-A INPUT -c 10,200 -j ACCEPT'), DOC],
    },
    // Counters: a count, the brackets, the line; the command alone leaves them out.
    {
      code: `${T('[12:3‸45] -A INPUT -j ACCEPT')}\n`,
      chain: ['345', '[12:345]', '[12:345] -A INPUT -j ACCEPT', T('[12:345] -A INPUT -j ACCEPT'), DOC],
    },
    {
      code: `${T('[12:345] -A INPUT -j ACC‸EPT')}\n`,
      chain: ['ACCEPT', '-j ACCEPT', '-A INPUT -j ACCEPT', '[12:345] -A INPUT -j ACCEPT', T('[12:345] -A INPUT -j ACCEPT'), DOC],
    },
    // The command with its chain and rule number.
    {
      code: `${T('-I INPUT ‸3 -j DROP')}\n`,
      chain: ['3', '-I INPUT 3', '-I INPUT 3 -j DROP', T('-I INPUT 3 -j DROP'), DOC],
    },
    {
      code: `${T('-A IN‸PUT -j DROP')}\n`,
      chain: ['INPUT', '-A INPUT', '-A INPUT -j DROP', T('-A INPUT -j DROP'), DOC],
    },
    // An indented line: the command without the blanks, then the line.
    {
      code: `${T('  -A INPUT -j DR‸OP  ')}\n`,
      chain: ['DROP', '-j DROP', '-A INPUT -j DROP', '  -A INPUT -j DROP  ', T('  -A INPUT -j DROP  '), DOC],
    },
    // Between an option and its value: the option.
    {
      code: `${T('-A INPUT -s  ‸  10.0.0.0/8 -j DROP')}\n`,
      chain: ['-s    10.0.0.0/8', '-A INPUT -s    10.0.0.0/8 -j DROP', T('-A INPUT -s    10.0.0.0/8 -j DROP'), DOC],
    },
    // An extension kvmnet does not know: its options are still its own, an unquoted value a list.
    {
      code: `${T('-A INPUT -m frobnicate --level 1,‸2 -j ACCEPT')}\n`,
      chain: ['2', '1,2', '--level 1,2', '-m frobnicate --level 1,2', '-A INPUT -m frobnicate --level 1,2 -j ACCEPT', T('-A INPUT -m frobnicate --level 1,2 -j ACCEPT'), DOC],
    },
    // What the resolver does not read: the options after -4 in an IPv6 ruleset, a listing.
    {
      code: `${T('-A INPUT -4 -s 10.0.0.‸1 -j ACCEPT')}\n`,
      family: 'ipv6',
      chain: ['10.0.0.1', '-s 10.0.0.1', '-A INPUT -4 -s 10.0.0.1 -j ACCEPT', T('-A INPUT -4 -s 10.0.0.1 -j ACCEPT'), DOC],
    },
    {
      code: `${T('-L INP‸UT')}\n`,
      chain: ['INPUT', '-L INPUT', T('-L INPUT'), DOC],
    },
    // Line ends with a carriage return: not part of any span.
    {
      code: '*filter\r\n-A INPUT -j ACC‸EPT\r\nCOMMIT\r\n',
      chain: ['ACCEPT', '-j ACCEPT', '-A INPUT -j ACCEPT', '*filter\r\n-A INPUT -j ACCEPT\r\nCOMMIT', DOC],
    },
    // A rule outside every table: no table step.
    {
      code: '-A INPUT -j ACC‸EPT\n*filter\nCOMMIT\n',
      chain: ['ACCEPT', '-j ACCEPT', '-A INPUT -j ACCEPT', DOC],
    },
  ]);
});

const SAVED = [
  '*filter',
  ':INPUT DROP [0:0]',
  ':FORWARD DROP [0:0]',
  ':LIBVIRT_INP - [0:0]',
  '-A INPUT -i lo -j ACCEPT',
  '-A INPUT -j LIBVIRT_INP',
  '-A FORWARD -i br0 -o br0 -j ACCEPT',
  '-A LIBVIRT_INP -i virbr0 -p udp --dport 53 -j ACCEPT',
  '-A LIBVIRT_INP -i virbr0 -p tcp --dport 53 -j ACCEPT',
  'COMMIT',
];
const SAVED_TABLE = SAVED.join('\n');

/** `SAVED` with the cursor put into line `index` before `at` (a string of that line). */
function inSaved(index: number, before: string): string {
  return `${SAVED.map((l, i) => (i === index ? l.replace(before, `‸${before}`) : l)).join('\n')}\n`;
}

const HAND = [
  '*filter',
  ':MINE - [0:0]',
  '# my own chain',
  '-A MINE -s 10.0.0.1 -j DROP',
  '',
  '-A MINE -j RETURN',
  '-A INPUT -j MINE',
  'COMMIT',
];
const HAND_TABLE = HAND.join('\n');
const MINE = HAND.slice(1, 6).join('\n');

function inHand(index: number, before: string): string {
  return `${HAND.map((l, i) => (i === index ? (before === '' ? `‸${l}` : l.replace(before, `‸${before}`)) : l)).join('\n')}\n`;
}

describe('selection ranges: around the line', () => {
  run([
    // iptables-save's layout: a rule grows into its chain's run of rules.
    {
      code: inSaved(4, 'o -j'),
      chain: ['lo', '-i lo', '-A INPUT -i lo -j ACCEPT', '-A INPUT -i lo -j ACCEPT\n-A INPUT -j LIBVIRT_INP', SAVED_TABLE, DOC],
    },
    {
      code: inSaved(8, 'tcp'),
      chain: ['tcp', '-p tcp', '-p tcp --dport 53', '-A LIBVIRT_INP -i virbr0 -p tcp --dport 53 -j ACCEPT', SAVED.slice(7, 9).join('\n'), SAVED_TABLE, DOC],
    },
    // A run of one rule is its line.
    {
      code: inSaved(6, 'br0 -j'),
      chain: ['br0', '-o br0', '-A FORWARD -i br0 -o br0 -j ACCEPT', SAVED_TABLE, DOC],
    },
    // Chain declarations: a word, the line, the declarations of the table.
    {
      code: inSaved(1, 'DROP'),
      chain: ['DROP', ':INPUT DROP [0:0]', SAVED.slice(1, 4).join('\n'), SAVED_TABLE, DOC],
    },
    {
      code: inSaved(3, 'LIBVIRT_INP'),
      chain: ['LIBVIRT_INP', ':LIBVIRT_INP - [0:0]', SAVED.slice(1, 4).join('\n'), SAVED_TABLE, DOC],
    },
    {
      code: inSaved(2, '0]'),
      chain: ['0', '[0:0]', ':FORWARD DROP [0:0]', SAVED.slice(1, 4).join('\n'), SAVED_TABLE, DOC],
    },
    // The table line and COMMIT.
    {
      code: inSaved(0, 'filter'),
      chain: ['filter', '*filter', SAVED_TABLE, DOC],
    },
    {
      code: inSaved(9, 'MIT'),
      chain: ['COMMIT', SAVED_TABLE, DOC],
    },
    // Written by hand: the declaration just above a chain's rules belongs to it, as in the outline.
    {
      code: inHand(5, 'RETURN'),
      chain: ['RETURN', '-j RETURN', '-A MINE -j RETURN', HAND.slice(3, 6).join('\n'), MINE, HAND_TABLE, DOC],
    },
    {
      code: inHand(1, 'NE'),
      chain: ['MINE', ':MINE - [0:0]', MINE, HAND_TABLE, DOC],
    },
    // A comment or blank line: within the chain it lies in.
    {
      code: inHand(2, 'own'),
      chain: ['own', 'my own chain', '# my own chain', MINE, HAND_TABLE, DOC],
    },
    {
      code: inHand(4, ''),
      chain: [HAND.slice(3, 6).join('\n'), MINE, HAND_TABLE, DOC],
    },
    // Comment lines together, before the table.
    {
      code: '# Generated by ip‸tables-save v1.8.9\n# second\n*filter\nCOMMIT\n',
      chain: ['iptables-save', 'Generated by iptables-save v1.8.9', '# Generated by iptables-save v1.8.9', '# Generated by iptables-save v1.8.9\n# second', DOC],
    },
    // Two tables: the table the cursor is in.
    {
      code: '*nat\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n*filter\n-A INPUT -j ACC‸EPT\nCOMMIT\n',
      chain: ['ACCEPT', '-j ACCEPT', '-A INPUT -j ACCEPT', '*filter\n-A INPUT -j ACCEPT\nCOMMIT', DOC],
    },
    // A blank line between tables, and the end of the document.
    {
      code: '*nat\nCOMMIT\n‸\n*filter\nCOMMIT\n',
      chain: [DOC],
    },
    {
      code: '*filter\nCOMMIT\n‸',
      chain: [DOC],
    },
    // The empty document: the cursor itself.
    { code: '‸', chain: [''] },
  ]);
});

// ---------------------------------------------------------------------------------------------

function contains(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** The invariants LSP asks of every chain: it holds the offset, and each span strictly holds the one before. */
function assertWellFormed(text: string, offset: number, chain: SelectionChain | undefined): void {
  // Messages are built on failure only: this runs for every offset of large rulesets.
  const fail = (what: string): never => assert.fail(`${what} at offset ${offset} (line ${text.slice(0, offset).split('\n').length}): ${JSON.stringify(chain)}`);
  if (!chain || chain.length === 0) return fail('an empty chain');
  const first = chain[0] as Span;
  if (!(first.start <= offset && offset <= first.end)) fail('the first span misses the cursor');
  for (let i = 1; i < chain.length; i++) {
    const inner = chain[i - 1] as Span;
    const outer = chain[i] as Span;
    if (!(contains(outer, inner) && (outer.start < inner.start || inner.end < outer.end))) fail(`span ${i} does not strictly contain span ${i - 1}`);
  }
  const last = chain[chain.length - 1] as Span;
  if (last.start < 0 || last.end > text.length) fail('outside the text');
  if (text.length > 0 && (last.start !== 0 || last.end !== text.length)) fail('the last span is not the document');
}

/**
 * Every offset of the text: well-formed chains; each non-blank line's chain (from inside the line)
 * holds the line, and inside a table the table's outline span; each rule line's chain holds the run
 * that folding folds it in.
 */
function assertEveryPosition(text: string, family?: Family): number {
  const { document, analysis } = lintIptables(text, family ? { family } : {});
  const offsets = Array.from({ length: text.length + 1 }, (_, i) => i);
  const chains = selectionRanges(document, analysis, offsets);
  assert.equal(chains.length, offsets.length);
  offsets.forEach((o) => assertWellFormed(text, o, chains[o]));
  const tables = documentSymbols(document, analysis, 0);
  const folds = foldingRanges(document, analysis).filter((f) => f.kind === 'region');
  const has = (chain: SelectionChain | undefined, s: Span): boolean => chain?.some((c) => c.start === s.start && c.end === s.end) ?? false;
  for (const line of document.lines) {
    if (line.span.end === line.span.start) continue;
    const at = line.span.start;
    const chain = chains[at];
    assert.ok(has(chain, line.span), `line ${line.index + 1}: the line is not in ${JSON.stringify(chain)}`);
    const table = tables.find((t) => t.span.start <= line.span.start && line.span.end <= t.span.end);
    if (table) assert.ok(has(chain, table.span), `line ${line.index + 1}: the table is not in ${JSON.stringify(chain)}`);
    if (line.kind !== 'rule') continue;
    const fold = folds.find((f) => f.startLine <= line.index && line.index <= f.endLine && document.lines[f.startLine]?.kind === 'rule');
    if (!fold) continue;
    const runSpan = { start: (document.lines[fold.startLine] as { span: Span }).span.start, end: (document.lines[fold.endLine] as { span: Span }).span.end };
    assert.ok(has(chain, runSpan), `line ${line.index + 1}: the run ${fold.startLine + 1}-${fold.endLine + 1} is not in ${JSON.stringify(chain)}`);
  }
  return offsets.length;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('selection ranges: every position', () => {
  const root = resolve(__dirname, '../..');
  const examples = filesUnder(join(root, 'examples'));
  test('examples/ holds rulesets to walk', () => {
    assert.ok(examples.length > 0);
  });
  for (const file of examples) {
    test(`every position of ${file.slice(root.length + 1)}`, () => {
      assert.ok(assertEveryPosition(readFileSync(file, 'utf8')) > 1000);
    });
  }
  // The grammar's edge cases: every command form, quoting, suppression comments.
  for (const name of ['edge-cases.test.iptables', 'docker-kube.test.iptables']) {
    test(`every position of test/grammar/${name}`, () => {
      assertEveryPosition(readFileSync(join(root, 'test', 'grammar', name), 'utf8'));
    });
  }
  test('every position of a generated kube-proxy ruleset (2,000 rules)', () => {
    const { text } = generateKubeProxyRuleset({ rules: 2000 });
    assert.ok(assertEveryPosition(text) > 100_000);
  });
  test('an IPv6 ruleset', () => {
    assertEveryPosition('*filter\n:INPUT DROP [0:0]\n-A INPUT -s fe80::/10 -p ipv6-icmp -m icmp6 --icmpv6-type 135 -j ACCEPT\n-A INPUT -4 -j DROP\nCOMMIT\n', 'ipv6');
  });
});

describe('selection ranges: never throws', () => {
  test('offsets before the start, past the end, not whole or not numbers', () => {
    const text = `${T('-A INPUT -j ACCEPT')}\n`;
    const { document, analysis } = lintIptables(text);
    const offsets = [-1, -1000, text.length + 1, text.length + 1000, 3.7, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    const chains = selectionRanges(document, analysis, offsets);
    assert.equal(chains.length, offsets.length);
    const clamped = [0, 0, text.length, text.length, 3, 0, text.length, 0];
    clamped.forEach((o, i) => assertWellFormed(text, o, chains[i]));
    // A cursor past the end selects the document, as a cursor at the end does.
    assert.deepEqual(chains[2], [{ start: 0, end: text.length }]);
  });

  test('the empty document: the empty span at the cursor', () => {
    const { document, analysis } = lintIptables('');
    assert.deepEqual(selectionRanges(document, analysis, [0, 5, -2]), [[{ start: 0, end: 0 }], [{ start: 0, end: 0 }], [{ start: 0, end: 0 }]]);
  });

  test('binary bytes and broken lines', () => {
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const samples = [
      Buffer.from(Array.from({ length: 2048 }, () => random() & 0xff)).toString('latin1'),
      Buffer.from(Array.from({ length: 2048 }, () => random() & 0xff)).toString('utf8'),
      `*filter\n-A INPUT \0\x01 -s "\ud800 -j ! ! --dport=,,, -m -m\n[:] -A\n:\n*\n-c , -j\n--comment "\\"x\\\\"\nCOMMIT\n\uffff`,
      '*filter\n-A INPUT -m conntrack --ctstate , -j ACCEPT\n-A INPUT --ctstate ,NEW, -p tcp --dport=\n-A INPUT -p tcp -m multiport --dports 80,,443 ! !\n',
    ];
    for (const text of samples) assertEveryPosition(text);
  });
});
