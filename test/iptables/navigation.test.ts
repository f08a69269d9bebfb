import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import type { Family } from '../../server/src/iptables/kb/types.js';
import { lintIptables } from '../../server/src/iptables/lint.js';
import { findDefinition, findHighlights, findReferences, prepareRename, renameChain } from '../../server/src/iptables/navigation.js';
import { applyEdits } from '../helpers/edits.js';
import { realToolAccepts, realToolsAvailable } from '../helpers/realTools.js';
import { caseName, stripCursor } from '../helpers/ruleTester.js';

const noTools = realToolsAvailable() ? undefined : 'real tools unavailable (needs root, unshare, iptables-nft-restore and iptables-legacy-restore)';

const marked = stripCursor;

function parsed(text: string, family?: Family) {
  const { document, analysis } = lintIptables(text, family ? { family } : {});
  return { document, analysis };
}


describe('go to definition', () => {
  const cases = [
    '*filter\n:«FOO» - [0:0]\n-A INPUT -j F‸OO\nCOMMIT\n',
    '*filter\n:«FOO» - [0:0]\n-A F‸OO -j ACCEPT\nCOMMIT\n',
    '*filter\n:«F‸OO» - [0:0]\nCOMMIT\n',
    '*filter\n-N «FOO»\n-A INPUT -g FOO‸\nCOMMIT\n',
    '*filter\n-A INPUT --jump=FO‸O\n-N «FOO»\nCOMMIT\n',
    // Duplicate declarations: both.
    '*filter\n:«FOO» - [0:0]\n:«FOO» - [0:0]\n-A INPUT -j ‸FOO\nCOMMIT\n',
    // Built-in chains lead to their policy line.
    '*filter\n:«INPUT» DROP [0:0]\n-A IN‸PUT -j ACCEPT\nCOMMIT\n',
    // Chains are per table.
    '*filter\n:FOO - [0:0]\nCOMMIT\n*nat\n:«FOO» - [0:0]\n-A POSTROUTING -j F‸OO\nCOMMIT\n',
    // The new name of -E is declared there.
    '*filter\n:OLD - [0:0]\n-E OLD «NEW»\n-A INPUT -j N‸EW\nCOMMIT\n',
    // Nothing to go to.
    '*filter\n-A INPUT -j ACC‸EPT\nCOMMIT\n',
    '*filter\n-A INPUT -j L‸OG\nCOMMIT\n',
    '*filter\n-A GH‸OST -j DROP\nCOMMIT\n',
    '*filter\n-A INPUT -p t‸cp -j DROP\nCOMMIT\n',
    '# FO‸O\n*filter\n:FOO - [0:0]\nCOMMIT\n',
    '*filter\n-Z INPUT 3‸\nCOMMIT\n',
  ];
  for (const code of cases) {
    test(caseName(code, undefined), () => {
      const { text, cursor, ranges } = marked(code);
      const { document, analysis } = parsed(text);
      assert.deepEqual(findDefinition(document, analysis, cursor), ranges);
    });
  }
});

describe('find references', () => {
  const cases: Array<{ code: string; includeDeclaration: boolean }> = [
    {
      code: '*filter\n:«FOO» - [0:0]\n-A INPUT -j «FOO»\n-A «FOO» -j ACCEPT\n-I «FOO» 1 -j DROP\n-R «FOO» 1 -j DROP\n-D «FOO» 1\n-F «FOO»\n-Z «FOO»\n-A FORWARD -g «F‸OO»\n-X «FOO»\n-E «FOO» BAR\nCOMMIT\n',
      includeDeclaration: true,
    },
    {
      code: '*filter\n:FOO - [0:0]\n-A INPUT -j «FOO»\n-A «FOO» -j ACCEPT\n-A FORWARD --goto «F‸OO»\n-A OUTPUT --jump=«FOO»\nCOMMIT\n',
      includeDeclaration: false,
    },
    { code: '*filter\n-N «FOO»\n-A INPUT -j «FOO»\n-A «FOO‸» -j ACCEPT\nCOMMIT\n', includeDeclaration: true },
    // Only the table of the cursor.
    { code: '*nat\n:FOO - [0:0]\n-A POSTROUTING -j FOO\nCOMMIT\n*filter\n:«FOO» - [0:0]\n-A INPUT -j «FO‸O»\nCOMMIT\n', includeDeclaration: true },
    // A user chain named like a target: iptables jumps to the chain, so those are references.
    { code: '*filter\n:«LOG» - [0:0]\n-A INPUT -j «L‸OG»\n-A «LOG» -j DROP\nCOMMIT\n', includeDeclaration: true },
    { code: '*filter\n:INPUT ACCEPT [0:0]\n-A «INPUT» -j ACCEPT\n-P «IN‸PUT» DROP\nCOMMIT\n', includeDeclaration: false },
    { code: '*filter\n-A INPUT -j ACC‸EPT\n-A FORWARD -j ACCEPT\nCOMMIT\n', includeDeclaration: true },
    { code: '*filter\n-A INPUT -j LO‸G\nCOMMIT\n', includeDeclaration: true },
  ];
  for (const c of cases) {
    test(`${caseName(c.code, undefined)}${c.includeDeclaration ? '' : ' (without declaration)'}`, () => {
      const { text, cursor, ranges } = marked(c.code);
      const { document, analysis } = parsed(text);
      assert.deepEqual(findReferences(document, analysis, cursor, c.includeDeclaration), ranges);
    });
  }
});

describe('highlights', () => {
  // `declarations`: which of the marked ranges are declarations (highlighted as written).
  const cases: Array<{ code: string; declarations: number[] }> = [
    { code: '*filter\n:«FOO» - [0:0]\n-A INPUT -j «F‸OO»\n-A «FOO» -j ACCEPT\n-A FORWARD -g «FOO»\nCOMMIT\n', declarations: [0] },
    { code: '*filter\n-N «FOO»\n-A «FO‸O» -j DROP\n-E «FOO» BAR\nCOMMIT\n', declarations: [0] },
    { code: '*filter\n:OLD - [0:0]\n-E OLD «NEW»\n-A INPUT -j «N‸EW»\nCOMMIT\n', declarations: [0] },
    { code: '*filter\n:«INPUT» DROP [0:0]\n-A «INP‸UT» -j ACCEPT\n-P «INPUT» DROP\nCOMMIT\n*nat\n-A INPUT -j ACCEPT\nCOMMIT\n', declarations: [0] },
    { code: '*filter\n:«LOG» - [0:0]\n-A INPUT -j «L‸OG»\nCOMMIT\n', declarations: [0] },
    { code: '*filter\n:«FOO» - [0:0]\n:«F‸OO» - [0:0]\nCOMMIT\n', declarations: [0, 1] },
    // Not chains: nothing.
    { code: '*filter\n-A INPUT -j ACC‸EPT\n-A FORWARD -j ACCEPT\nCOMMIT\n', declarations: [] },
    { code: '*filter\n-A INPUT -j L‸OG\n-A FORWARD -j LOG\nCOMMIT\n', declarations: [] },
    { code: '*filter\n-A INPUT -p t‸cp -j DROP\nCOMMIT\n', declarations: [] },
  ];
  for (const c of cases) {
    test(caseName(c.code, undefined), () => {
      const { text, cursor, ranges } = marked(c.code);
      const { document, analysis } = parsed(text);
      const found = findHighlights(document, analysis, cursor);
      assert.deepEqual(found.map((h) => h.span), ranges);
      assert.deepEqual(found.flatMap((h, i) => (h.declaration ? [i] : [])), c.declarations);
    });
  }
});

describe('prepare rename', () => {
  const ok = [
    '*filter\n:«F‸OO» - [0:0]\nCOMMIT\n',
    '*filter\n:FOO - [0:0]\n-A INPUT -j «FOO‸»\nCOMMIT\n',
    '*filter\n:FOO - [0:0]\n-A «‸FOO» -j DROP\nCOMMIT\n',
    '*filter\n-A INPUT -j «UNDECLA‸RED»\nCOMMIT\n',
  ];
  for (const code of ok) {
    test(caseName(code, undefined), () => {
      const { text, cursor, ranges } = marked(code);
      const { document, analysis } = parsed(text);
      const r = prepareRename(document, analysis, cursor);
      assert.ok(r && 'span' in r, JSON.stringify(r));
      assert.deepEqual(r.span, ranges[0]);
      assert.equal(r.placeholder, text.slice(r.span.start, r.span.end));
    });
  }
  const refused: Array<[string, RegExp]> = [
    ['*filter\n:IN‸PUT ACCEPT [0:0]\nCOMMIT\n', /built-in chain of table filter/],
    ['*filter\n-A FORW‸ARD -j ACCEPT\nCOMMIT\n', /built-in/],
    ['*nat\n-P POSTROUT‸ING ACCEPT\nCOMMIT\n', /built-in/],
    ['*filter\n-A INPUT -j ACC‸EPT\nCOMMIT\n', /standard verdict/],
    ['*filter\n-A INPUT -j RET‸URN\nCOMMIT\n', /standard verdict/],
    ['*filter\n-A INPUT -j REJ‸ECT\nCOMMIT\n', /target extension/],
    ['*filter\n-A INPUT -j PREROUT‸ING\nCOMMIT\n', /built-in chain name/],
  ];
  for (const [code, message] of refused) {
    test(`${caseName(code, undefined)} is refused`, () => {
      const { text, cursor } = marked(code);
      const { document, analysis } = parsed(text);
      const r = prepareRename(document, analysis, cursor);
      assert.ok(r && 'error' in r, JSON.stringify(r));
      assert.match(r.error, message);
    });
  }
  for (const code of ['*filter\n-A INPUT -p t‸cp -j DROP\nCOMMIT\n', '*fil‸ter\nCOMMIT\n', '# FO‸O\n', '*filter\n-A INPUT -j DROP ‸\nCOMMIT\n']) {
    test(`${caseName(code, undefined)}: nothing to rename`, () => {
      const { text, cursor } = marked(code);
      const { document, analysis } = parsed(text);
      assert.equal(prepareRename(document, analysis, cursor), undefined);
      assert.ok('error' in renameChain(document, analysis, cursor, 'X'));
    });
  }
});

describe('rename', () => {
  test('a chain in its table only, every occurrence', () => {
    const text = [
      '*nat', ':FOO - [0:0]', '-A POSTROUTING -j FOO', 'COMMIT',
      '*filter', ':FOO - [0:0]', '-A INPUT -j FOO', '-A FOO -j ACCEPT', '-I FOO 1 -m comment --comment FOO -j DROP', '-A FORWARD -g FOO', 'COMMIT', '',
    ].join('\n');
    const { document, analysis } = parsed(text);
    const r = renameChain(document, analysis, text.indexOf('-A INPUT -j FOO') + 13, 'BAR');
    assert.ok('edits' in r, JSON.stringify(r));
    assert.equal(applyEdits(text, r.edits), [
      '*nat', ':FOO - [0:0]', '-A POSTROUTING -j FOO', 'COMMIT',
      '*filter', ':BAR - [0:0]', '-A INPUT -j BAR', '-A BAR -j ACCEPT', '-I BAR 1 -m comment --comment FOO -j DROP', '-A FORWARD -g BAR', 'COMMIT', '',
    ].join('\n'));
  });

  test('the same name is no edit', () => {
    const text = '*filter\n:FOO - [0:0]\nCOMMIT\n';
    const { document, analysis } = parsed(text);
    assert.deepEqual(renameChain(document, analysis, text.indexOf('FOO'), 'FOO'), { edits: [] });
  });

  test('a quoted chain name is replaced with its quotes', () => {
    const text = '*filter\n:FOO - [0:0]\n-A INPUT -j "FOO"\nCOMMIT\n';
    const { document, analysis } = parsed(text);
    const r = renameChain(document, analysis, 10, 'BAR');
    assert.ok('edits' in r);
    assert.equal(applyEdits(text, r.edits), '*filter\n:BAR - [0:0]\n-A INPUT -j BAR\nCOMMIT\n');
  });

  test('the libvirt reference ruleset: LIBVIRT_INP -> HOST_IN, accepted by the real tools and lint-clean', { ...(noTools ? { skip: noTools } : {}) }, () => {
    const text = readFileSync(resolve(__dirname, '../../examples/etc/sysconfig/iptables'), 'utf8');
    const { document, analysis } = parsed(text);
    const r = renameChain(document, analysis, text.indexOf(':LIBVIRT_INP') + 2, 'HOST_IN');
    assert.ok('edits' in r, JSON.stringify(r));
    assert.equal(r.edits.length, 6); // declaration, the jump from INPUT, four -A
    const renamed = applyEdits(text, r.edits);
    assert.ok(!renamed.includes('LIBVIRT_INP'));
    const verdict = realToolAccepts(renamed);
    assert.ok(verdict.accepted, verdict.message);
    const before = lintIptables(text).findings.map((f) => `${f.ruleId}:${f.severity}`);
    const after = lintIptables(renamed).findings.map((f) => `${f.ruleId}:${f.severity}`);
    assert.deepEqual(after, before);
  });

  // Each refusal names a reason; `real` says what the real tools do with `-N NAME` (or a second chain of that name).
  const refusedNames: Array<{ name: string; message: RegExp; real?: string }> = [
    { name: '', message: /empty/ },
    { name: 'A'.repeat(29), message: /at most 28/, real: '*filter\n-N NAME\nCOMMIT\n' },
    { name: '-x', message: /cannot start with "-"/, real: '*filter\n-N NAME\nCOMMIT\n' },
    { name: '!x', message: /cannot start with "!"/, real: '*filter\n-N NAME\nCOMMIT\n' },
    { name: 'a b', message: /whitespace/ },
    { name: 'a\tb', message: /whitespace/ },
    { name: 'a"b', message: /quotes/, real: '*filter\n:NAME - [0:0]\n-A INPUT -j NAME\nCOMMIT\n' },
    { name: 'ACCEPT', message: /standard verdict/, real: '*filter\n-N NAME\nCOMMIT\n' },
    { name: 'DROP', message: /standard verdict/, real: '*filter\n:NAME - [0:0]\nCOMMIT\n' },
    { name: 'LOG', message: /target extension/, real: '*filter\n-N NAME\nCOMMIT\n' },
    { name: 'MASQUERADE', message: /target extension/, real: '*filter\n-N NAME\nCOMMIT\n' },
    { name: 'BAR', message: /already has a chain named BAR/, real: '*filter\n:NAME - [0:0]\n-N NAME\nCOMMIT\n' },
    { name: 'INPUT', message: /already has a chain named INPUT/, real: '*filter\n-N NAME\nCOMMIT\n' },
    { name: 'POSTROUTING', message: /built-in chain of other tables/ },
  ];
  const base = '*filter\n:FOO - [0:0]\n:BAR - [0:0]\n-A INPUT -j FOO\nCOMMIT\n';
  for (const c of refusedNames) {
    test(`refuses ${JSON.stringify(c.name)}`, () => {
      const { document, analysis } = parsed(base);
      const r = renameChain(document, analysis, base.indexOf('FOO'), c.name);
      assert.ok('error' in r, JSON.stringify(r));
      assert.match(r.error, c.message);
    });
    if (c.real) {
      const ruleset = c.real.replace(/NAME/g, c.name);
      test(`the real tools refuse ${JSON.stringify(ruleset)}`, { ...(noTools ? { skip: noTools } : {}) }, () => {
        assert.equal(realToolAccepts(ruleset).accepted, false);
      });
    }
  }

  // The refusal of a target's name says what is true (audit #10): the save file itself loads; the -N
  // command form refuses the name; and -j NAME then jumps to the chain, not to the target.
  for (const name of ['LOG', 'MASQUERADE']) {
    test(`the refusal of ${name} says the save file would load, but -N refuses it`, () => {
      const { document, analysis } = parsed(base);
      const r = renameChain(document, analysis, base.indexOf('FOO'), name);
      assert.ok('error' in r);
      assert.match(r.error, new RegExp(`the save file would load, but "iptables -N ${name}" refuses the name`));
      assert.match(r.error, new RegExp(`"-j ${name}" would then mean the chain, not the target`));
      assert.doesNotMatch(r.error, /iptables refuses "-N/);
    });
    test(`the save file with a chain named ${name} loads with the real tools`, { ...(noTools ? { skip: noTools } : {}) }, () => {
      const ruleset = `*filter\n:${name} - [0:0]\n:BAR - [0:0]\n-A INPUT -j ${name}\nCOMMIT\n`;
      const verdict = realToolAccepts(ruleset);
      assert.ok(verdict.accepted, verdict.message);
    });
  }

  test('accepts a 28-character name, and the real tools do too', { ...(noTools ? { skip: noTools } : {}) }, () => {
    const { document, analysis } = parsed(base);
    const name = 'B'.repeat(28);
    const r = renameChain(document, analysis, base.indexOf('FOO'), name);
    assert.ok('edits' in r, JSON.stringify(r));
    const renamed = applyEdits(base, r.edits);
    assert.equal(renamed, `*filter\n:${name} - [0:0]\n:BAR - [0:0]\n-A INPUT -j ${name}\nCOMMIT\n`);
    assert.ok(realToolAccepts(renamed).accepted);
  });

  test('refuses built-in chains, verdicts and targets before looking at the new name', () => {
    const text = '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n';
    const { document, analysis } = parsed(text);
    const r1 = renameChain(document, analysis, text.indexOf('INPUT'), 'X');
    assert.ok('error' in r1 && /built-in/.test(r1.error));
    const r2 = renameChain(document, analysis, text.indexOf('ACCEPT'), 'X');
    assert.ok('error' in r2 && /verdict/.test(r2.error));
  });
});

describe('navigation never throws on odd input', () => {
  for (const input of ['', '\0', '*', ':', ':\n', '-A', '-E', '*filter\n-E A\n-E\n:\n-N\n-j\nCOMMIT\n', '*filter\r\n:FOO - [0:0]\r\n-A INPUT -j FOO\r\nCOMMIT\r\n']) {
    test(JSON.stringify(input), () => {
      const { document, analysis } = parsed(input);
      for (let offset = 0; offset <= input.length; offset++) {
        findDefinition(document, analysis, offset);
        findReferences(document, analysis, offset, true);
        prepareRename(document, analysis, offset);
        renameChain(document, analysis, offset, 'NEWNAME');
      }
    });
  }
});
