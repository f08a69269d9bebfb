/**
 * The structure pass's shortcut (iptables/lineShapes.ts): a line whose shape was read before gets
 * its stand-ins without being parsed. What the pass keeps must be the same with and without it, on
 * every line: the tricky shapes below (each written twice or more, so the later lines take the
 * shortcut when they can), a generated kube-proxy ruleset, the corpus, and random edits.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Family } from '../../server/src/iptables/kb/types.js';
import type { Line, Word } from '../../server/src/iptables/model.js';
import { detectFamily } from '../../server/src/iptables/parser.js';
import type { ResolvedRule } from '../../server/src/iptables/resolve.js';
import { lintIptables } from '../../server/src/iptables/lint.js';
import { lintStreamed, readStructure } from '../../server/src/iptables/streamed.js';
import { generateKubeProxyRuleset } from '../../scripts/bench/kubeProxyRuleset.js';
import { corpusTextsIn, findCorpus } from '../conformance/corpus.js';
import { EDGE_CASES, edit, random } from '../helpers/edits.js';

function word(w: Word | undefined): unknown {
  return w === undefined ? null : [w.text, w.span.start, w.span.end, w.quoted];
}

/** Everything the structure reads of a line and its resolved stand-in, as plain data. */
function describeLine(line: Line, r: ResolvedRule | undefined): unknown {
  if (line.kind === 'chain') {
    const c = line.counters;
    return { index: line.index, span: [line.span.start, line.span.end], name: word(line.name), policy: word(line.policy), counters: c ? [c.span.start, c.span.end, c.packets, c.bytes] : null, extra: line.extra.map(word) };
  }
  if (line.kind !== 'rule') return line.kind;
  const c = line.command;
  const t = r?.target;
  return {
    index: line.index, span: [line.span.start, line.span.end], counters: line.counters ?? null, kind: line.commandKind ?? null,
    command: c ? [word(c.name), c.negation ?? null, c.values.map(word)] : null, chain: word(line.chain),
    args: line.args.length, words: line.words.length, leading: line.leading.map(word), stray: line.strayNegations,
    target: t ? { kind: t.kind, arg: [word(t.arg.name), t.arg.negation ?? null, t.arg.values.map(word)], word: word(t.word), spec: t.spec?.name ?? null, isUserChain: t.isUserChain, extension: t.extension?.name ?? null } : null,
    matches: r?.matches.map((m) => [m.name, word(m.nameWord)]) ?? null,
    rest: r ? [r.generic.length, r.unknown.length, r.ambiguous.length, r.commandExtra.length, r.extensions.length, r.protocol ?? null] : null,
  };
}

/** Compares the first pass with and without the shortcut; returns how many lines took it. */
function assertSameStructure(text: string, family: Family, what: string): number {
  const slow = readStructure(text, family, false);
  const fast = readStructure(text, family, true);
  assert.equal(slow.quick, 0);
  assert.deepEqual(fast.doc.problems, slow.doc.problems, `${what}: problems`);
  assert.equal(fast.doc.lines.length, slow.doc.lines.length, `${what}: lines`);
  for (let i = 0; i < slow.doc.lines.length; i++) {
    const want = describeLine(slow.doc.lines[i] as Line, slow.standIns[i]);
    const got = describeLine(fast.doc.lines[i] as Line, fast.standIns[i]);
    if (JSON.stringify(got) !== JSON.stringify(want)) assert.deepEqual(got, want, `${what}, line ${i + 1}: ${text.split('\n')[i] ?? ''}`);
  }
  return fast.quick;
}

function assertSameFindings(text: string, family: Family, what: string): void {
  assert.deepEqual(lintStreamed(text, { family }), lintIptables(text, { family }).findings, what);
}

/** A table of shapes, each line repeated with other values: [name, rules, lines expected to take the shortcut]. */
const SHAPES: ReadonlyArray<readonly [string, string, number]> = [
  ['kube-proxy endpoint rules', ':KUBE-SEP-A - [0:0]\n:KUBE-MARK-MASQ - [0:0]\n-A KUBE-SEP-A -s 10.1.0.1/32 -m comment --comment "ns/a:http" -j KUBE-MARK-MASQ\n-A KUBE-SEP-A -s 10.1.0.2/32 -m comment --comment "ns/b:http" -j KUBE-MARK-MASQ\n-A KUBE-SEP-A -p tcp -m comment --comment "ns/a" -m tcp -j DNAT --to-destination 10.1.0.1:80\n-A KUBE-SEP-A -p tcp -m comment --comment "ns/b" -m tcp -j DNAT --to-destination 10.1.0.2:8080\n', 2],
  ['a rule without a target', '-A INPUT -s 10.0.0.1\n-A INPUT -s 10.0.0.2\n-A INPUT -s 10.0.0.3 -d 10.0.0.4\n', 1],
  ['another protocol or match is another shape', '-A INPUT -p tcp --dport 1 -j ACCEPT\n-A INPUT -p udp --dport 1 -j ACCEPT\n-A INPUT -m tcp -p tcp --dport 2 -j ACCEPT\n-A INPUT -m udp -p udp --dport 2 -j ACCEPT\n-A INPUT --protocol tcp --dport 3 -j DROP\n-A INPUT --proto udp --dport 3 -j DROP\n', 0],
  ['a name that becomes a user chain later', '-A INPUT -s 1.2.3.4 -j FOO\n-A INPUT -s 1.2.3.5 -j FOO\n-N FOO\n-A INPUT -s 1.2.3.6 -j FOO\n-A INPUT -s 1.2.3.7 -j FOO\n', 2],
  ['a user chain named like a target', ':LOG - [0:0]\n:X - [0:0]\n-A INPUT -s 1.2.3.4 -j LOG\n-A INPUT -s 1.2.3.5 -j X\n-A INPUT -s 1.2.3.6 -j LOG --log-prefix x\n-A INPUT -s 1.2.3.7 -j LOG --log-prefix y\n', 2],
  ['long and short forms of -j and -g', ':X - [0:0]\n-A INPUT --jump X\n-A INPUT --jump X\n-A INPUT --ju ACCEPT\n-A INPUT --ju DROP\n-A INPUT --jump=ACCEPT\n-A INPUT --jump=ACCEPT\n-A INPUT -g X\n-A INPUT --goto X\n-A INPUT --go X\n-A INPUT -g X\n', 2],
  ['options where a value should be', ':X - [0:0]\n-A INPUT -m comment --comment -j X\n-A INPUT -m comment --comment -j X\n-A INPUT -m comment --comment -j ACCEPT\n-A INPUT -m comment --comment -j DROP\n-A INPUT -i -j X\n-A INPUT -i -j X\n-A INPUT -j -s 1.2.3.4\n-A INPUT -j -s 1.2.3.5\n', 2],
  ['negations', '-A INPUT ! -s 1.2.3.4 -j ACCEPT\n-A INPUT ! -s 1.2.3.5 -j ACCEPT\n-A INPUT -s ! 1.2.3.4 -j ACCEPT\n-A INPUT -s ! 1.2.3.5 -j ACCEPT\n-A INPUT -m comment --comment ! -j ACCEPT\n-A INPUT -m comment --comment ! -j ACCEPT\n-A INPUT ! -j ACCEPT\n-A INPUT ! -j ACCEPT\n-A INPUT -s 1.2.3.4 !x -j ACCEPT\n-A INPUT -s 1.2.3.5 !y -j ACCEPT\n', 2],
  ['quotes', '-A INPUT -m comment --comment "a b" -j ACCEPT\n-A INPUT -m comment --comment "c d" -j ACCEPT\n-A INPUT -m comment --comment "-x" -j ACCEPT\n-A INPUT -m comment --comment "-y" -j ACCEPT\n-A INPUT -m comment --comment "!" -j ACCEPT\n-A INPUT -m comment --comment "!" -j ACCEPT\n-A INPUT -j "ACCEPT"\n-A INPUT -j "ACCEPT"\n-A "INPUT" -j ACCEPT\n-A "INPUT" -j ACCEPT\n-A INPUT -m "comment" --comment x -j ACCEPT\n-A INPUT -m "comment" --comment y -j ACCEPT\n-A INPUT -m comment --comment a"b" -j ACCEPT\n-A INPUT -m comment --comment a"b" -j ACCEPT\n-A INPUT -m comment --comment "a"b -j ACCEPT\n-A INPUT -m comment --comment "a"b -j ACCEPT\n-A INPUT -m comment --comment "" -j ACCEPT\n-A INPUT -m comment --comment "" -j ACCEPT\n-A INPUT -m comment --comment "a\\"b" -j ACCEPT\n-A INPUT -m comment --comment "a\\"b" -j ACCEPT\n-A INPUT -m comment --comment "open -j ACCEPT\n-A INPUT -m comment --comment "open -j ACCEPT\n', 1],
  ['counters, extra words, comments and blanks', '-A INPUT -c 1,2 -j ACCEPT\n-A INPUT -c 3,4 -j ACCEPT\n-A INPUT -c 1 2 -j ACCEPT\n-A INPUT -c 3 4 -j ACCEPT\n[0:0] -A INPUT -j ACCEPT\n[0:0] -A INPUT -j ACCEPT\n-A INPUT extra -j ACCEPT\n-A INPUT extra -j ACCEPT\n-A INPUT -s 1.2.3.4 #x -j ACCEPT\n-A INPUT -s 1.2.3.4 #x -j ACCEPT\n-A  INPUT   -s 1.2.3.4  -j ACCEPT  \n-A  INPUT   -s 1.2.3.5  -j ACCEPT  \n-A\tINPUT -j ACCEPT\n-A\tINPUT -j ACCEPT\n-A INPUT -j ACCEPT\r\n-A INPUT -j ACCEPT\r\n', 1],
  ['targets with options, unknown targets and matches', '-A INPUT -j LOG --log-prefix a\n-A INPUT -j LOG --log-prefix b\n-A INPUT -j FOO --bar 1\n-A INPUT -j FOO --bar 2\n-A INPUT -m foo --x 1 -j ACCEPT\n-A INPUT -m foo --x 2 -j ACCEPT\n-A INPUT -j ACCEPT extra\n-A INPUT -j ACCEPT extra2\n-A INPUT -j ACCEPT -j DROP\n-A INPUT -j ACCEPT -j DROP\n-A INPUT -j\n-A INPUT -j\n', 2],
  ['other commands', ':X - [0:0]\n-I INPUT -s 1.2.3.4 -j ACCEPT\n-I INPUT -s 1.2.3.5 -j ACCEPT\n-D INPUT -s 1.2.3.4 -j ACCEPT\n-D INPUT -s 1.2.3.5 -j ACCEPT\n-A INPUT -A INPUT -j X\n-A INPUT -A INPUT -j X\n-N Y\n-N Z\n-A INPUT -j X -s 1.2.3.4\n-A INPUT -j X -s 1.2.3.5\n', 1],
  ['chain lines, in the usual form and others', ':A - [0:0]\n:B ACCEPT [12:345]\n: C - [0:0]\n:D  - [0:0]\n:E - [0:0] \n:F - [0:0] extra\n:G -\n:H - [x:0]\n:I - [1:]\n:J - [0:0\n:"K" - [0:0]\n:L\t- [0:0]\n:M - [0:0]\r\n:N - [00:01]\n:O - [0:0]:\n:\n:P\n:Q - [0:0] [1:1]\n:#R - [0:0]\n:-S - [0:0]\n:T\\ - [0:0]\n:U - [1:2]\n', 0],
  // The shapes are found by a hash of their words: "DRP1" hashes like "DROP" (31 * 'O' + 'P' = 31 * 'P' + '1').
  ['a word with the hash of another', ':X - [0:0]\n-A INPUT -j DROP\n-A INPUT -j DRP1\n-A INPUT -j DROP\n', 1],
  ['non-ASCII and control characters', '-A INPUT -m comment --comment "café" -j ACCEPT\n-A INPUT -m comment --comment "thé" -j ACCEPT\n-A INPUT -i eth0\u0001 -j ACCEPT\n-A INPUT -i eth1\u0001 -j ACCEPT\n', 0],
];

function tableOf(rules: string): string {
  return `*filter\n${rules}COMMIT\n`;
}

describe('line shapes (the structure pass\'s shortcut)', () => {
  for (const [name, rules, quick] of SHAPES) {
    it(`keeps the same structure, and takes the shortcut ${quick} time${quick === 1 ? '' : 's'}: ${name}`, () => {
      const text = tableOf(rules);
      for (const family of ['ipv4', 'ipv6'] as const) {
        assert.equal(assertSameStructure(text, family, name), quick, `lines that took the shortcut (${family})`);
        assertSameFindings(text, family, `${name} (${family})`);
      }
    });
  }

  it('reads nearly every rule of a kube-proxy ruleset from its shape', () => {
    const { text } = generateKubeProxyRuleset({ rules: 3000 });
    const quick = assertSameStructure(text, 'ipv4', 'kube-proxy');
    assert.ok(quick >= 2900, `${quick} of 3000 rules took the shortcut`);
  });

  it('keeps the same structure over random edits of a kube-proxy ruleset and of the edge cases', () => {
    const inputs = [
      { name: 'kube-proxy', text: generateKubeProxyRuleset({ rules: 400 }).text, steps: 150 },
      { name: 'edge cases', text: EDGE_CASES, steps: 150 },
    ];
    for (const { name, text, steps } of inputs) {
      const rnd = random(steps * 7919 + name.length);
      let current = text;
      for (let k = 0; k < steps; k++) {
        current = edit(current, rnd);
        // Copies of the edited line make its shape repeat (one copy learns it, the others use it).
        const lines = current.split('\n');
        const at = rnd(lines.length);
        const doubled = [...lines.slice(0, at + 1), lines[at] ?? '', lines[at] ?? '', ...lines.slice(at + 1)].join('\n');
        assertSameStructure(doubled, 'ipv4', `${name} after edit ${k + 1}`);
      }
    }
  });

  const corpus = findCorpus();
  it('keeps the same structure on every file of the corpus', { skip: corpus ? false : 'the shared corpus is not there' }, () => {
    let files = 0;
    let quick = 0;
    for (const { path, text } of corpusTextsIn(corpus as string)) {
      quick += assertSameStructure(text, detectFamily(text, path), path);
      files++;
    }
    assert.ok(files > 100, `${files} files compared`);
    assert.ok(quick > 1000, `${quick} lines took the shortcut`);
  });
});
