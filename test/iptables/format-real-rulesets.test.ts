/**
 * Formatting judged by the real tools on real rulesets: every iptables-save file of
 * ../shared/corpus/real-iptables (originals and the `_derived/` repaired copies) and examples/.
 *
 * For each ruleset both tools accept, three texts are loaded for real, each in its own network
 * namespace, and dumped with iptables-save / ip6tables-save (nf_tables, and legacy when this kernel
 * has the legacy tables): the file, the file formatted, and the file with its blanks messed up
 * (words apart by runs of spaces and tabs, blanks at the ends of lines, `: INPUT`, `* filter`).
 * All three must give the same dump, formatting the messed-up text must give the formatted file
 * back, and kvmnet's findings (rule ids and lines) must be the same before and after formatting.
 * A ruleset the tools refuse must still be refused, with the same message, once formatted.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { offsetToPosition } from '../../server/src/core/span.js';
import { formatEdits } from '../../server/src/iptables/format.js';
import { lintIptables } from '../../server/src/iptables/lint.js';
import type { Line } from '../../server/src/iptables/model.js';
import { parseIptables } from '../../server/src/iptables/parser.js';
import { findCorpus, PROJECT_ROOT, readRealRulesets, type Family } from '../conformance/corpus.js';
import { applyEdits, random } from '../helpers/edits.js';
import { legacyLoadAvailable, legacyRestoreTest, loadAndSaveEach, nftRestore, realToolsAvailable } from '../helpers/realTools.js';

const corpus = findCorpus();
const skip = !realToolsAvailable()
  ? 'real tools unavailable (needs root, unshare, iptables-nft-restore and iptables-legacy-restore)'
  : corpus === undefined ? 'the shared corpus (../shared/corpus) is not there' : undefined;

interface Subject {
  readonly name: string;
  readonly text: string;
  readonly family: Family;
}

function subjects(): Subject[] {
  const example = join(PROJECT_ROOT, 'examples', 'etc', 'sysconfig', 'iptables');
  const out: Subject[] = [{ name: 'examples/etc/sysconfig/iptables', text: readFileSync(example, 'utf8'), family: 'ipv4' }];
  if (corpus === undefined) return out;
  for (const r of readRealRulesets(corpus)) out.push({ name: r.name, text: readFileSync(r.path, 'utf8'), family: r.family });
  return out;
}

function format(text: string, family: Family): string {
  return applyEdits(text, formatEdits(parseIptables(text, { family })));
}

const GAPS = [' ', '  ', '\t', ' \t', '\t  ', '   '];
const ENDS = ['', ' ', '\t', '  \t'];

/**
 * The text with the blanks of its lines changed the way a hand edit changes them: what the tool
 * reads stays the same (the real tools confirm it below). Lines the formatter leaves alone (a
 * problem, a "\r", words that touch, a quote in a chain line) are kept as they are.
 */
function messUp(text: string, family: Family, seed: number): string {
  const doc = parseIptables(text, { family });
  const rnd = random(seed);
  const pick = (list: readonly string[]): string => list[rnd(list.length)] ?? ' ';
  const flagged = new Set<number>();
  for (const p of doc.problems) for (let i = lineOf(doc.lineStarts, p.span.start); i <= lineOf(doc.lineStarts, Math.max(p.span.start, p.span.end - 1)); i++) flagged.add(i);
  const lines = text.split('\n');
  for (const line of doc.lines as readonly Line[]) {
    const raw = lines[line.index] ?? '';
    if (flagged.has(line.index) || raw.includes('\r') || line.span.end - line.span.start !== raw.length) continue;
    if (line.kind === 'comment') lines[line.index] = raw + pick(ENDS);
    else if (line.kind === 'table' || line.kind === 'chain') {
      if (raw.includes('"')) continue;
      const words = raw.slice(1).trim().split(/[ \t]+/);
      lines[line.index] = raw[0] + (rnd(2) === 0 ? pick(GAPS) : '') + words.map((w, k) => (k === 0 ? w : pick(GAPS) + w)).join('') + pick(ENDS);
    } else if (line.kind === 'rule') {
      const words = line.words;
      if (words.some((w, k) => k > 0 && w.span.start === (words[k - 1]?.span.end ?? -1))) continue;
      // A counter is read in column 1 only; no blanks may come before it.
      let out = line.counters ? text.slice(line.counters.span.start, line.counters.span.end) + pick(['', ...GAPS]) : rnd(3) === 0 ? pick(GAPS) : '';
      out += words.map((w, k) => (k === 0 ? '' : pick(GAPS)) + text.slice(w.span.start, w.span.end)).join('');
      lines[line.index] = out + pick(ENDS);
    }
  }
  return lines.join('\n');
}

function lineOf(lineStarts: readonly number[], offset: number): number {
  return offsetToPosition(lineStarts, offset).line;
}

/** kvmnet's findings as "line rule-id" (1-based lines), in order. */
function findings(text: string, family: Family): string[] {
  const { findings: all, document } = lintIptables(text, { family });
  return all.map((f) => `${lineOf(document.lineStarts, f.span.start) + 1} ${f.ruleId}`);
}

describe('formatting real rulesets: what loads stays the same', { skip, timeout: 1_800_000 }, () => {
  const backends: Array<'nft' | 'legacy'> = skip === undefined && legacyLoadAvailable() ? ['nft', 'legacy'] : ['nft'];
  let accepted = 0;
  let changedOriginals = 0;
  let messedLines = 0;

  for (const [n, s] of (skip === undefined ? subjects() : []).entries()) {
    test(s.name, (t) => {
      const formatted = format(s.text, s.family);
      assert.equal(format(formatted, s.family), formatted, 'formatting the formatted file changes it again');
      const nft = nftRestore(s.text, s.family);
      const legacy = legacyRestoreTest(s.text, s.family);
      if (!nft.accepted || !legacy.accepted) {
        // Refused: formatting must not make it load, nor change why it is refused.
        if (formatted !== s.text) {
          assert.deepEqual(nftRestore(formatted, s.family), nft, 'iptables-nft-restore says otherwise once formatted');
          assert.deepEqual(legacyRestoreTest(formatted, s.family), legacy, 'iptables-legacy-restore --test says otherwise once formatted');
        }
        t.diagnostic(`refused by the real tools (${(nft.accepted ? legacy : nft).message.split('\n')[0] ?? ''}); ${formatted === s.text ? 'no edits' : 'still refused, alike, once formatted'}`);
        return;
      }
      accepted++;
      if (formatted !== s.text) changedOriginals++;
      const messed = messUp(s.text, s.family, 1000 + n);
      assert.notEqual(messed, s.text, 'the messed-up copy has no changed blanks');
      const messedSplit = messed.split('\n');
      messedLines += s.text.split('\n').filter((l, i) => l !== messedSplit[i]).length;
      assert.equal(format(messed, s.family), formatted, 'formatting the messed-up copy does not give the formatted file');

      const variants = ([['formatted', formatted], ['messed-up', messed]] as const).filter(([, variant]) => variant !== s.text);
      for (const backend of backends) {
        const [original, ...loads] = loadAndSaveEach([s.text, ...variants.map(([, v]) => v)], s.family, backend);
        assert.ok(original?.accepted, `${backend}: the original does not load: ${original?.message}`);
        variants.forEach(([what], i) => {
          const loaded = loads[i];
          assert.ok(loaded?.accepted, `${backend}: the ${what} text is refused: ${loaded?.message}`);
          assert.equal(loaded.saved, original.saved, `${backend}: the ${what} text loads other rules`);
        });
      }
      assert.ok(legacyRestoreTest(formatted, s.family).accepted, 'iptables-legacy-restore --test refuses the formatted text');

      const before = findings(s.text, s.family);
      assert.deepEqual(findings(formatted, s.family), before, 'kvmnet finds otherwise in the formatted file');
      assert.deepEqual(findings(messed, s.family), before, 'kvmnet finds otherwise in the messed-up copy');
      t.diagnostic(`${formatted === s.text ? 'no edits' : `${formatEdits(parseIptables(s.text, { family: s.family })).length} line(s) tidied`}; ${before.length} finding(s) kept`);
    });
  }

  test('summary', (t) => {
    t.diagnostic(`${accepted} accepted rulesets loaded alike before and after formatting (${backends.join(' and ')}); ${changedOriginals} of them had lines to tidy as they are; ${messedLines} messed-up lines were tidied back`);
    assert.ok(accepted >= 70, `only ${accepted} rulesets were accepted: is the oracle working?`);
  });
});
