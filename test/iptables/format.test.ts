/**
 * Format Document / Format Selection (server/src/iptables/format.ts): table tests whose name is the
 * input. Each case is also given to the real tools when they can run here: the text before and
 * after formatting must load the same (both refused with the same message, or both accepted and
 * dumped the same by iptables-save after a real load with each backend).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { formatEdits, type FormatOptions } from '../../server/src/iptables/format.js';
import { parseIptables } from '../../server/src/iptables/parser.js';
import { applyEdits } from '../helpers/edits.js';
import { legacyLoadAvailable, legacyRestoreTest, loadAndSave, realToolsAvailable } from '../helpers/realTools.js';
import { caseName, stripMarkers } from '../helpers/ruleTester.js';

const noTools = realToolsAvailable() ? undefined : 'real tools unavailable (needs root, unshare, iptables-nft-restore and iptables-legacy-restore)';

/** The text with the formatter's edits applied, after checking that the edits are minimal. */
function format(text: string, options: FormatOptions = {}, range?: { start: number; end: number }): string {
  const edits = formatEdits(parseIptables(text), options, range);
  for (let k = 0; k < edits.length; k++) {
    const e = edits[k]!;
    assert.notEqual(text.slice(e.span.start, e.span.end), e.newText, `edit ${k} changes nothing: ${JSON.stringify(e)}`);
    // A line's edit stays inside the line; trimFinalNewlines removes nothing but line breaks.
    const old = text.slice(e.span.start, e.span.end);
    assert.ok(!old.includes('\n') || (/^\n+$/.test(old) && e.newText === ''), `edit ${k} spans a line break: ${JSON.stringify(e)}`);
    if (k > 0) assert.ok(edits[k - 1]!.span.end < e.span.start, `edits ${k - 1} and ${k} are not apart and in order`);
  }
  return applyEdits(text, edits);
}

/** Both texts load the same with the real tools: the same verdicts and messages, the same dump. */
function assertLoadsTheSame(before: string, after: string): void {
  const backends: Array<'nft' | 'legacy'> = legacyLoadAvailable() ? ['nft', 'legacy'] : ['nft'];
  for (const backend of backends) {
    const a = loadAndSave(before, 'ipv4', backend);
    const b = loadAndSave(after, 'ipv4', backend);
    assert.equal(b.accepted, a.accepted, `${backend}: before ${a.accepted ? 'accepted' : `refused (${a.message})`}, after ${b.accepted ? 'accepted' : `refused (${b.message})`}`);
    assert.equal(b.message, a.message, `${backend}: another message`);
    assert.equal(b.saved, a.saved, `${backend}: iptables-save shows other rules`);
  }
  const la = legacyRestoreTest(before);
  const lb = legacyRestoreTest(after);
  assert.deepEqual(lb, la, 'iptables-legacy-restore --test says otherwise');
}

function checkWithTools(t: TestContext, before: string, after: string): Promise<void> {
  return t.test('loads the same with the real tools', { skip: noTools }, () => assertLoadsTheSame(before, after));
}

const table = (body: string): string => `*filter\n${body}\nCOMMIT\n`;

/** [input, expected output]. */
const CHANGED: Array<[string, string]> = [
  // Command lines: the tool splits words at runs of spaces and tabs.
  [table('-A\tINPUT\t-p tcp\t\t-j ACCEPT'), table('-A INPUT -p tcp -j ACCEPT')],
  [table('-A INPUT    -s 10.0.0.0/8   -j DROP'), table('-A INPUT -s 10.0.0.0/8 -j DROP')],
  [table('   -A INPUT -j ACCEPT   '), table('-A INPUT -j ACCEPT')],
  [table('\t-A INPUT -j ACCEPT\t'), table('-A INPUT -j ACCEPT')],
  [table('-A INPUT  !  -s 10.0.0.1  -j DROP'), table('-A INPUT ! -s 10.0.0.1 -j DROP')],
  [table('-A INPUT -p tcp  -m multiport --dports 22,80,443  -j ACCEPT'), table('-A INPUT -p tcp -m multiport --dports 22,80,443 -j ACCEPT')],
  // Quoted words are copied as written: blanks, escaped quotes and backslashes inside stay.
  [table('-A INPUT  -m comment --comment "two  spaces"   -j ACCEPT'), table('-A INPUT -m comment --comment "two  spaces" -j ACCEPT')],
  [table('-A INPUT -m comment  --comment "say \\"hi\\"  and \\\\ back"  -j ACCEPT'), table('-A INPUT -m comment --comment "say \\"hi\\"  and \\\\ back" -j ACCEPT')],
  [table('-A INPUT -m comment --comment "a\tb"\t-j ACCEPT'), table('-A INPUT -m comment --comment "a\tb" -j ACCEPT')],
  [table('-A INPUT -m comment --comment ""   -j ACCEPT'), table('-A INPUT -m comment --comment "" -j ACCEPT')],
  [table('-A INPUT -m comment --comment "für  Gäste"  -j ACCEPT  '), table('-A INPUT -m comment --comment "für  Gäste" -j ACCEPT')],
  [table('-A INPUT -j LOG  --log-prefix "IN: "  '), table('-A INPUT -j LOG --log-prefix "IN: "')],
  [table('-A INPUT -m comment --comment  \'single\'  -j ACCEPT'), table('-A INPUT -m comment --comment \'single\' -j ACCEPT')],
  [table('-A INPUT -m comment --comment x"y  z"  -j ACCEPT'), table('-A INPUT -m comment --comment x"y  z" -j ACCEPT')],
  // Counters stay in column 1 (the only place the tool reads them), one space after them.
  [table('[5:300]   -A INPUT -j ACCEPT'), table('[5:300] -A INPUT -j ACCEPT')],
  [table('[0:0]-A INPUT -j ACCEPT'), table('[0:0] -A INPUT -j ACCEPT')],
  [table('[0:0]\t-A INPUT  -j ACCEPT '), table('[0:0] -A INPUT -j ACCEPT')],
  // Any command.
  [table('-N  FOO\n-A FOO  -j RETURN\n-I INPUT 1  -j FOO'), table('-N FOO\n-A FOO -j RETURN\n-I INPUT 1 -j FOO')],
  [table('-P  INPUT\tDROP'), table('-P INPUT DROP')],
  [table('--append  INPUT --jump  ACCEPT'), table('--append INPUT --jump ACCEPT')],
  // A refused line is tidied too when the tool reads the same words from it (not "COMMIT" alone).
  [table('  COMMIT  now'), table('COMMIT now')],
  [table('-A  INPUT -j  NO_SUCH_CHAIN'), table('-A INPUT -j NO_SUCH_CHAIN')],
  // Chain lines: strtok on blanks and tabs, so `: INPUT` is `:INPUT` to the tool.
  [table(': INPUT DROP [0:0]'), table(':INPUT DROP [0:0]')],
  [table(':INPUT\tDROP\t[0:0]  '), table(':INPUT DROP [0:0]')],
  [table(':LIBVIRT_INP  -  [0:0]'), table(':LIBVIRT_INP - [0:0]')],
  [table(':INPUT ACCEPT '), table(':INPUT ACCEPT')],
  // Table lines.
  ['*filter  \n:INPUT DROP [0:0]\nCOMMIT\n', '*filter\n:INPUT DROP [0:0]\nCOMMIT\n'],
  ['*filter\t\nCOMMIT\n', '*filter\nCOMMIT\n'],
  ['* filter\nCOMMIT\n', '*filter\nCOMMIT\n'],
  // Comments lose their trailing blanks only.
  ['# hello  world  \t\n*filter\nCOMMIT\n', '# hello  world\n*filter\nCOMMIT\n'],
  ['#\t \n*filter\nCOMMIT\n', '#\n*filter\nCOMMIT\n'],
  [table('# kvmnet-disable-next-line noncanonical-cidr  \n-A INPUT -s 10.0.0.1/8 -j ACCEPT'), table('# kvmnet-disable-next-line noncanonical-cidr\n-A INPUT -s 10.0.0.1/8 -j ACCEPT')],
  // Other lines are formatted around a line that is left alone.
  [table('-A  INPUT -j ACCEPT\n   \n-A  INPUT -j DROP'), table('-A INPUT -j ACCEPT\n   \n-A INPUT -j DROP')],
  [table('-A  INPUT -j ACCEPT\n-A  INPUT -i eth0\r\n-A  INPUT -j DROP'), table('-A INPUT -j ACCEPT\n-A  INPUT -i eth0\r\n-A INPUT -j DROP')],
];

/** Inputs formatting leaves as they are. */
const UNCHANGED: string[] = [
  table(':INPUT DROP [0:0]\n-A INPUT -j ACCEPT'),
  '',
  '\n',
  // A problem on the line: its own finding (and fix) deals with it.
  '*filter\nCOMMIT \n',
  '*filter\n COMMIT\n',
  table('   '),
  table('\t'),
  table('  # indented comment'),
  table('-A INPUT  -j ACCEPT  # trailing comment'),
  table('-A INPUT  -s ! 10.0.0.1  -j DROP'),
  table('-A INPUT  -m comment --comment "never closed  '),
  table('-A INPUT  -m comment --comment "C:\\Windows  dir"'),
  table('-A INPUT  -j ACCEPT\0  x'),
  table('[1]  -A INPUT -j ACCEPT'),
  '-A INPUT  -j ACCEPT\n',
  // The tidied line would be read otherwise: blanks before a counter, a table or a chain make them words.
  table(' [0:0] -A INPUT -j ACCEPT'),
  table(' *nat'),
  table(' :FOO - [0:0]'),
  // Two words that touch: the tool ends a word at its closing quote.
  table('-A INPUT -m comment --comment "ab"cd  -j ACCEPT'),
  // strtok knows no quotes: a chain line with one is not reflowed.
  table(':"MY  CHAIN" - [0:0]'),
  // CRLF: the line-ending fix converts the whole file.
  '*filter\r\n-A  INPUT -j ACCEPT  \r\n# comment  \r\nCOMMIT\r\n',
  table('-A  INPUT -m comment --comment x\ry  -j ACCEPT'),
  '# a\rb  \n*filter\nCOMMIT\n',
];

describe('formatting: table tests', () => {
  for (const [input, expected] of CHANGED) {
    test(caseName(input, undefined), async (t) => {
      const out = format(input);
      assert.equal(out, expected);
      assert.equal(format(out), out, 'formatting the formatted text changes it again');
      await checkWithTools(t, input, out);
    });
  }
  for (const input of UNCHANGED) {
    test(`${caseName(input, undefined)} (left alone)`, async (t) => {
      const edits = formatEdits(parseIptables(input));
      assert.deepEqual(edits, []);
      // The same input messed up elsewhere: only the other lines change.
      const other = `#  \n${input}`;
      assert.equal(format(other), `#\n${input}`);
      await checkWithTools(t, other, format(other));
    });
  }

  test('the libvirt reference ruleset (written like iptables-save) gives no edits', () => {
    const text = readFileSync(resolve(__dirname, '../../examples/etc/sysconfig/iptables'), 'utf8');
    assert.deepEqual(formatEdits(parseIptables(text)), []);
    // Blanks after COMMIT would make it a line the tool refuses (left alone, as the cases above say).
    const messy = text.replace(/ -j /g, '\t-j  ').replace(/(?<!COMMIT)\n/g, '  \n').replace(/^:/gm, ': ');
    assert.notEqual(messy, text);
    assert.equal(format(messy), text);
  });

  test('one edit per changed line, covering the line without its break', () => {
    const text = table('-A  INPUT -j ACCEPT\n-A INPUT -j DROP\n: INPUT DROP');
    const edits = formatEdits(parseIptables(text));
    assert.deepEqual(edits.map((e) => [text.slice(e.span.start, e.span.end), e.newText]), [
      ['-A  INPUT -j ACCEPT', '-A INPUT -j ACCEPT'],
      [': INPUT DROP', ':INPUT DROP'],
    ]);
  });
});

describe('formatting: options', () => {
  const cases: Array<{ input: string; options: FormatOptions; expected: string }> = [
    // trimTrailingWhitespace false: words are still joined, blanks at the end stay.
    { input: table('-A\tINPUT  -j ACCEPT  '), options: { trimTrailingWhitespace: false }, expected: table('-A INPUT -j ACCEPT  ') },
    { input: '# note  \n*filter \n: INPUT DROP\t\nCOMMIT\n', options: { trimTrailingWhitespace: false }, expected: '# note  \n*filter \n:INPUT DROP\t\nCOMMIT\n' },
    { input: '# note  \n*filter \nCOMMIT\n', options: { trimTrailingWhitespace: true }, expected: '# note\n*filter\nCOMMIT\n' },
    // insertFinalNewline: after a comment or command line; joined with that line's own edit.
    { input: '*filter\nCOMMIT\n# end', options: { insertFinalNewline: true }, expected: '*filter\nCOMMIT\n# end\n' },
    { input: '*filter\nCOMMIT\n# end  ', options: { insertFinalNewline: true }, expected: '*filter\nCOMMIT\n# end\n' },
    { input: '*filter\nCOMMIT\n# end', options: {}, expected: '*filter\nCOMMIT\n# end' },
    { input: '*filter\nCOMMIT\n', options: { insertFinalNewline: true }, expected: '*filter\nCOMMIT\n' },
    // ... but not after a COMMIT that ends the file (iptables-legacy-restore refuses it; its problem has the fix).
    { input: '*filter\n-A  INPUT -j ACCEPT\nCOMMIT', options: { insertFinalNewline: true }, expected: '*filter\n-A INPUT -j ACCEPT\nCOMMIT' },
    // ... nor after a "\r".
    { input: '*filter\nCOMMIT\n# end\r', options: { insertFinalNewline: true }, expected: '*filter\nCOMMIT\n# end\r' },
    // trimFinalNewlines: empty lines at the end go, the last "\n" stays; a line of blanks is no empty line.
    { input: '*filter\nCOMMIT\n\n\n', options: { trimFinalNewlines: true }, expected: '*filter\nCOMMIT\n' },
    { input: '*filter\nCOMMIT\n\n\n', options: {}, expected: '*filter\nCOMMIT\n\n\n' },
    { input: '*filter\nCOMMIT\n  \n\n', options: { trimFinalNewlines: true }, expected: '*filter\nCOMMIT\n  \n' },
    { input: '*filter\nCOMMIT\n\r\n\n', options: { trimFinalNewlines: true }, expected: '*filter\nCOMMIT\n\r\n' },
    { input: '\n\n', options: { trimFinalNewlines: true }, expected: '\n\n' },
  ];
  for (const { input, options, expected } of cases) {
    test(`${caseName(input, undefined)} ${JSON.stringify(options)}`, async (t) => {
      const out = format(input, options);
      assert.equal(out, expected);
      assert.equal(format(out, options), out, 'not idempotent');
      await checkWithTools(t, input, out);
    });
  }
});

describe('formatting: a range', () => {
  // «…» marks the range; only the lines it touches are formatted, and the end of the file is left alone.
  const cases: Array<[string, string]> = [
    [
      '*filter\n-A  INPUT -j A\n«-A  INPUT -j B\n-A  INPUT -j C»\n-A  INPUT -j D\nCOMMIT\n\n\n',
      '*filter\n-A  INPUT -j A\n-A INPUT -j B\n-A INPUT -j C\n-A  INPUT -j D\nCOMMIT\n\n\n',
    ],
    // Part of a line is the whole line.
    ['*filter\n-A  INPUT -j A\n-A  IN«PUT -j B\n-A  I»NPUT -j C\nCOMMIT\n', '*filter\n-A  INPUT -j A\n-A INPUT -j B\n-A INPUT -j C\nCOMMIT\n'],
    // A range ending at the start of a line does not touch that line.
    ['*filter\n«-A  INPUT -j A\n»-A  INPUT -j B\nCOMMIT\n', '*filter\n-A INPUT -j A\n-A  INPUT -j B\nCOMMIT\n'],
    // An empty range (the cursor) formats its line.
    ['*filter\n-A  INPUT -j A\n-A  IN«»PUT -j B\nCOMMIT\n', '*filter\n-A  INPUT -j A\n-A INPUT -j B\nCOMMIT\n'],
    // The last line, without a final newline, is formatted; no newline is added.
    ['*filter\nCOMMIT\n# one  \n«# two  »', '*filter\nCOMMIT\n# one  \n# two'],
    // A line with a problem in the range stays.
    ['*filter\n«-A  INPUT -j A\n   \n-A  INPUT -j B»\nCOMMIT\n', '*filter\n-A INPUT -j A\n   \n-A INPUT -j B\nCOMMIT\n'],
  ];
  for (const [code, expected] of cases) {
    test(caseName(code, undefined), () => {
      const { text, ranges } = stripMarkers(code);
      const range = ranges[0]!;
      assert.equal(format(text, { insertFinalNewline: true, trimFinalNewlines: true }, range), expected);
    });
  }
});
