/**
 * markdownToPlain (lsp/convert.ts): what clients without markdown get of hovers and completion docs.
 * The user's own text (comments, chain names) must come through as written, whatever it holds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintIptables } from '../../server/src/iptables/lint.js';
import { hoverAt } from '../../server/src/iptables/hover.js';
import { markdownToPlain } from '../../server/src/lsp/convert.js';

describe('markdownToPlain', () => {
  const cases: Array<[string, string]> = [
    ['**table `mangle`**', 'table mangle'],
    ['- Policy: **ACCEPT** (packets no rule decides are accepted)', '- Policy: ACCEPT (packets no rule decides are accepted)'],
    ['**chain `A*B*`** — user chain', 'chain A*B* — user chain'],
    ['``run `ls` **now**`` — text', 'run `ls` **now** — text'],
    ['```a``b`c``` x', 'a``b`c x'],
    ['`` `tick` ``', '`tick`'],
    ['a lone ` stays', 'a lone ` stays'],
    ['```\n-A INPUT -j ACCEPT\n```', '-A INPUT -j ACCEPT'],
  ];
  for (const [markdown, plain] of cases) it(JSON.stringify(markdown), () => assert.equal(markdownToPlain(markdown), plain));

  it('gives the text of a comment and a chain name as written, in hovers', () => {
    const text = '*filter\n:A*B* - [0:0]\n-A INPUT -m comment --comment "run `ls` **now**" -j A*B*\n-A INPUT -m comment --comment "a``b`c" -j ACCEPT\nCOMMIT\n';
    const { document, analysis } = lintIptables(text);
    const first = (needle: string): string => markdownToPlain(hoverAt(document, analysis, text.indexOf(needle) + 1, {})?.markdown ?? '').split('\n')[0] ?? '';
    assert.match(first('run'), /^run `ls` \*\*now\*\* — /);
    assert.match(first('a``b'), /^a``b`c — /);
    assert.match(first('A*B*\n'), /^chain A\*B\* — /);
  });
});
