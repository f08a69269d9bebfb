/**
 * Incremental linting (iptables/incremental.ts, lineCache.ts): linting a version from the previous
 * one gives exactly what a full lint of the new text gives (findings, and the document and
 * analysis the language features read), on seeded random edits of real and generated rulesets;
 * and an edit that keeps the structure re-parses and re-checks only the changed lines.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../server/src/core/finding.js';
import { parseSettings } from '../../server/src/core/settings.js';
import { lintIncremental, PER_RULE_CHECKS, STRUCTURE_ONLY_CHECKS, type IncrementalLint } from '../../server/src/iptables/incremental.js';
import { lintIptables, type LintResult } from '../../server/src/iptables/lint.js';
import type { Line, Word } from '../../server/src/iptables/model.js';
import { IPTABLES_RULES } from '../../server/src/iptables/rules/index.js';
import { generateKubeProxyRuleset } from '../../scripts/bench/kubeProxyRuleset.js';
import { programsOf } from '../conformance/programs.js';
import { findCorpus, PROJECT_ROOT } from '../conformance/corpus.js';
import { EDGE_CASES, edit, random } from '../helpers/edits.js';

type Loose = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const span = (s: Loose): Loose => s && [s.start, s.end];
const word = (w: Word | undefined): Loose => w && [w.text, w.span.start, w.span.end, w.quoted, w.unterminatedQuote === true];

/** Everything a consumer can read of a lint result, as plain data (object identity aside). */
function dump(res: LintResult): Loose {
  const d = res.document;
  const line = (l: Line): Loose => {
    const base: Loose[] = [l.kind, l.index, span(l.span)];
    if (l.kind === 'rule') {
      base.push(l.words.map(word), l.args.map((a) => [span(a.negation), word(a.name), a.values.map(word), span(a.span)]), l.leading.map(word),
        l.strayNegations.map(span), l.commandKind, word(l.chain), l.counters && [span(l.counters.span), l.counters.packets, l.counters.bytes], l.command && word(l.command.name));
    }
    if (l.kind === 'chain') base.push(word(l.name), word(l.policy), l.counters && [span(l.counters.span), l.counters.packets, l.counters.bytes], l.extra.map(word));
    if (l.kind === 'table') base.push(word(l.name));
    if (l.kind === 'comment') base.push(l.text);
    return base;
  };
  const option = (o: Loose): Loose => [o.canonical, word(o.arg.name), span(o.arg.negation), o.values.map(word), o.extra.map(word), o.negated, span(o.arg.span)];
  const use = (u: Loose): Loose => u && [u.kind, u.name, word(u.nameWord), u.spec?.name, u.implicit, u.options.map(option), u.opaque.map((a: Loose) => word(a.name)), u.loadedBy && word(u.loadedBy.name)];
  return {
    family: d.family,
    lineStarts: d.lineStarts,
    problems: d.problems.map((p) => [span(p.span), p.message, p.severity, p.fixes?.map((x) => x.edits.map((e) => [span(e.span), e.newText]))]),
    lines: d.lines.map(line),
    tables: d.tables.map((t) => [t.name, t.header.index, t.chainLines.map((c) => c.index), t.rules.map((r) => r.index), t.commit?.index]),
    analysis: res.analysis.tables.map((t) => [
      t.name, t.known,
      [...t.chains.values()].map((c) => [c.name, c.builtin, c.declarations.map((x) => [word(x.word), x.line.index]), c.rules.map((r) => r.line.index), c.references.map((r) => r.line.index)]),
      [...t.hooks].map(([k, v]) => [k, [...v]]),
      t.duplicates.map((x) => [word(x.word), word(x.first), x.firstLine]),
      t.rules.map((r) => {
        const z = r.resolved;
        return [r.line.index, r.chain, r.chainExistsHere, r.targetExistsHere,
          z.generic.map((g) => [g.key, word(g.arg.name), g.values.map(word), g.extra.map(word), g.negated]),
          z.matches.map(use), z.target && [z.target.kind, word(z.target.word), z.target.spec?.name, z.target.isUserChain, use(z.target.extension)],
          z.protocol && [word(z.protocol.word), z.protocol.negated], z.unknown.map((a) => word(a.name)), z.ambiguous.map((a) => [word(a.arg.name), a.candidates]), z.commandExtra.map(word)];
      }),
    ]),
  };
}

/** The links between objects the language features follow (tables, chains, declarations). */
function checkLinks(res: LintResult): void {
  const d = res.document;
  d.lines.forEach((l, i) => assert.equal(l.index, i, `line ${i} has index ${l.index}`));
  const lines = new Set<Line>(d.lines);
  const words = new Set<Word>();
  for (const l of d.lines) {
    if (l.kind === 'rule') for (const w of l.words) words.add(w);
    if (l.kind === 'chain') words.add(l.name);
  }
  res.analysis.tables.forEach((t, i) => {
    assert.equal(t.block, d.tables[i], 'a table analysis has the document\'s block');
    const rules = new Set(t.rules);
    t.block.rules.forEach((l, k) => assert.equal(t.rules[k]?.line, l, 'analysed rules follow the block'));
    for (const r of t.rules) assert.equal(r.table, t);
    for (const c of t.chains.values()) {
      for (const r of [...c.rules, ...c.references]) assert.ok(rules.has(r), `chain ${c.name} lists a rule of this version`);
      for (const x of c.declarations) {
        assert.ok(lines.has(x.line), `chain ${c.name} is declared on a line of this version`);
        assert.ok(words.has(x.word), `chain ${c.name} is declared by a word of this version`);
      }
    }
    for (const x of t.duplicates) assert.ok(words.has(x.word) && words.has(x.first), 'duplicates name words of this version');
  });
}

const plainFindings = (fs: readonly Finding[]): Loose => fs.map((f) => ({ ...f, span: span(f.span), related: f.related?.map((r) => ({ ...r, span: span(r.span) })), fixes: f.fixes?.map((x) => ({ ...x, edits: x.edits.map((e) => ({ ...e, span: span(e.span) })) })) }));

function assertSameAsFull(state: IncrementalLint, text: string, options: Parameters<typeof lintIptables>[1], what: string): void {
  const full = lintIptables(text, options);
  assert.deepEqual(plainFindings(state.result.findings), plainFindings(full.findings), `${what}: findings`);
  assert.deepEqual(dump(state.result), dump(full), `${what}: document and analysis`);
  checkLinks(state.result);
}

function inputs(): Array<{ name: string; text: string; steps: number }> {
  const list = [
    { name: 'edge cases', text: EDGE_CASES, steps: 150 },
    { name: 'examples/etc/sysconfig/iptables', text: readFileSync(join(PROJECT_ROOT, 'examples', 'etc', 'sysconfig', 'iptables'), 'utf8'), steps: 80 },
    { name: 'kube-proxy.iptables', text: generateKubeProxyRuleset({ rules: 300 }).text, steps: 80 },
    // Tables that delete, insert and flush: what a line finds depends on the lines before it (replay.ts).
    { name: 'structural programs', text: programsOf({ table: 'filter', family: 'ipv4', mix: 'loads', count: 8, seed: 12 }).join('') + programsOf({ table: 'nat', family: 'ipv4', mix: 'plain', count: 6, seed: 13 }).join(''), steps: 200 },
  ];
  const corpus = findCorpus();
  if (corpus) {
    // A few real rulesets, read in place: every fifth of the small ones.
    const dir = join(corpus, 'real-iptables');
    const files = readdirSync(dir).filter((f) => !f.startsWith('_') && !f.endsWith('.csv')).sort();
    files.forEach((f, i) => {
      if (i % 5 !== 0) return;
      let text: string;
      try {
        text = readFileSync(join(dir, f), 'utf8');
      } catch {
        return;
      }
      if (text.length < 60_000) list.push({ name: f, text, steps: 25 });
    });
  }
  return list;
}

describe('incremental lint', () => {
  it('lists every check once, and only checks that exist', () => {
    const ids = IPTABLES_RULES.map((r) => r.id);
    for (const id of [...PER_RULE_CHECKS, ...STRUCTURE_ONLY_CHECKS]) assert.ok(ids.includes(id), `${id} is a registered check`);
    for (const id of PER_RULE_CHECKS) assert.ok(!STRUCTURE_ONLY_CHECKS.has(id), `${id} is in one list only`);
  });

  for (const { name, text, steps } of inputs()) {
    it(`gives what a full lint gives, over ${steps} random edits of ${name}`, () => {
      const rnd = random(name.length * 7919 + steps);
      const options = { fileName: name };
      let current = text;
      let state = lintIncremental(current, options);
      assertSameAsFull(state, current, options, 'first version');
      let kept = 0;
      for (let k = 0; k < steps; k++) {
        current = edit(current, rnd);
        state = lintIncremental(current, options, state);
        if (state.stats.structureKept) kept++;
        assertSameAsFull(state, current, options, `after edit ${k + 1}`);
      }
      // The generator mixes edits that keep the structure (most digit changes) with ones that do not.
      assert.ok(kept > 0 && kept < steps, `${kept} of ${steps} edits kept the structure`);
    });
  }

  const kube = generateKubeProxyRuleset({ rules: 2000 }).text;
  // A nat rule that sends a service port to its service chain (what the benchmark edits).
  const portLine = kube.split('\n').findIndex((l) => l.startsWith('-A KUBE-SERVICES ') && / --dport \d+ /.test(l) && l.includes(' -j KUBE-SVC-'));
  const withLine = (text: string, index: number, f: (line: string) => string): string => text.split('\n').map((l, i) => (i === index ? f(l) : l)).join('\n');

  it('re-parses and re-checks only the edited line when an edit keeps the structure', () => {
    const first = lintIncremental(kube, {});
    const before = first.result.document.lines.slice();
    const edited = withLine(kube, portLine, (l) => l.replace(/ --dport (\d+) /, ' --dport 1234 '));
    const next = lintIncremental(edited, {}, first);
    assert.equal(next.stats.changedLines, 1);
    assert.equal(next.stats.structureKept, true);
    assert.deepEqual(next.stats.fullChecks, []);
    const lines = next.result.document.lines;
    assert.equal(lines.filter((l, i) => l !== before[i]).length, 1, 'every other line is the same object');
    assertSameAsFull(next, edited, {}, 'port edit');
  });

  it('reports a refused value typed into a line, and forgets it once fixed', () => {
    let state = lintIncremental(kube, {});
    const broken = withLine(kube, portLine, (l) => l.replace(/ --dport (\d+) /, ' --dport 99999 '));
    state = lintIncremental(broken, {}, state);
    assert.equal(state.stats.structureKept, true);
    const errors = state.result.findings.filter((f) => f.severity === 'error');
    assert.deepEqual(errors.map((f) => [f.ruleId, broken.slice(f.span.start, f.span.end)]), [['bad-value', '99999']]);
    state = lintIncremental(kube, {}, state);
    assert.deepEqual(state.result.findings.filter((f) => f.severity === 'error'), []);
    assertSameAsFull(state, kube, {}, 'undo');
  });

  it('runs the checks on the whole document when an edit changes the structure', () => {
    const first = lintIncremental(kube, {});
    const retargeted = withLine(kube, portLine, (l) => l.replace(/-j KUBE-SVC-\S+/, '-j NO-SUCH-CHAIN'));
    assert.notEqual(retargeted, kube);
    const next = lintIncremental(retargeted, {}, first);
    assert.equal(next.stats.structureKept, false);
    assert.ok(next.stats.fullChecks.includes('undefined-chain'));
    assert.ok(next.result.findings.some((f) => f.ruleId === 'undefined-chain'));
    assertSameAsFull(next, retargeted, {}, 'new target');
  });

  it('checks the structure again when the matches of a rule change in a table that deletes by specification', () => {
    // -D finds the rule written as it is: with -p udp it deletes the anchor of -I INPUT 2 (nft's
    // lostAnchor warning); with -p gre it deletes another rule of the same target, and the warning goes.
    const before = '*filter\n-A INPUT -p tcp -j ACCEPT\n-A INPUT -p udp -j ACCEPT\n-I INPUT 2 -j DROP\n-D INPUT -p udp -j ACCEPT\nCOMMIT\n';
    const after = before.replace('-A INPUT -p udp', '-A INPUT -p gre');
    const first = lintIncremental(before, {});
    assert.ok(first.result.findings.some((f) => /puts this rule before/.test(f.message)));
    const next = lintIncremental(after, {}, first);
    assert.equal(next.stats.structureKept, false);
    assertSameAsFull(next, after, {}, 'other matches');
  });

  it('moves the lines after an inserted line instead of parsing them again', () => {
    const first = lintIncremental(kube, {});
    const lastLine = first.result.document.lines[first.result.document.lines.length - 1];
    const inserted = withLine(kube, portLine, (l) => `${l}\n-A KUBE-SERVICES -j RETURN`);
    const next = lintIncremental(inserted, {}, first);
    assert.equal(next.stats.changedLines, 2);
    assert.equal(next.result.document.lines[next.result.document.lines.length - 1], lastLine);
    assertSameAsFull(next, inserted, {}, 'insert');
  });

  it('reuses everything when the settings are read again unchanged', () => {
    const first = lintIncremental(kube, { settings: parseSettings({ rules: { 'unused-chain': 'hint' } }) });
    assert.equal(lintIncremental(kube, { settings: parseSettings({ rules: { 'unused-chain': 'hint' } }) }, first), first);
  });

  it('checks everything again with new settings, still reusing the parsed lines', () => {
    const first = lintIncremental(kube, {});
    const settings = parseSettings({ rules: { 'unused-chain': 'off' } });
    const next = lintIncremental(kube, { settings }, first);
    assert.equal(next.stats.changedLines, 0);
    assert.equal(next.result.findings.filter((f) => f.ruleId === 'unused-chain').length, 0);
    assertSameAsFull(next, kube, { settings }, 'settings');
  });
});
