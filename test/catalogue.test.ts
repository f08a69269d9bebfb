/**
 * The rule catalogue checks itself (STYLE.md, "tests that check the catalogue itself"):
 * every registered rule has a sound id, documentation, a doc page whose examples behave as the page
 * says (checked by kvmnet and by the real tools), and a table test; every doc page and every rule
 * file belongs to a registered rule.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, SeveritySetting } from '../server/src/core/finding.js';
import { ruleDocPath } from '../server/src/core/rulesCatalog.js';
import { DEFAULT_SETTINGS } from '../server/src/core/settings.js';
import { lintIptables } from '../server/src/iptables/lint.js';
import type { IptablesRule } from '../server/src/iptables/ruleContext.js';
import { IPTABLES_RULES } from '../server/src/iptables/rules/index.js';
import { realToolAccepts, realToolsAvailable } from './helpers/realTools.js';

const ROOT = join(__dirname, '..');
const DOCS_DIR = join(ROOT, 'docs', 'rules');

/** One family of rules: where its checks, its tests and its examples live. */
interface RuleFamily {
  readonly name: 'iptables';
  readonly rules: readonly IptablesRule[];
  readonly sourceDir: string;
  readonly testDir: string;
  readonly lint: (rule: IptablesRule, text: string, severities?: Readonly<Record<string, SeveritySetting>>) => Finding[];
  readonly lintAll: (text: string) => Finding[];
  readonly realTools: (text: string) => { accepted: boolean; message: string };
}

const FAMILIES: readonly RuleFamily[] = [
  {
    name: 'iptables',
    rules: IPTABLES_RULES,
    sourceDir: join(ROOT, 'server', 'src', 'iptables', 'rules'),
    testDir: join(ROOT, 'test', 'iptables', 'rules'),
    lint: (rule, text, severities = {}) => lintIptables(text, { rules: [rule], family: 'ipv4', settings: { ...DEFAULT_SETTINGS, rules: severities } }).findings,
    lintAll: (text) => lintIptables(text, { family: 'ipv4' }).findings,
    realTools: (text) => realToolAccepts(text, 'ipv4'),
  },
];

/**
 * Known problems, recorded in /work/briefs/rules-findings.md; the affected checks run as `todo`.
 * `messages`: message ids declared but never reported.
 */
const KNOWN_UNUSED_MESSAGES: Readonly<Record<string, readonly string[]>> = {};

/** Non-error rules whose Bad example the tools on this machine refuse, and why. */
const BAD_EXAMPLE_REFUSED: Readonly<Record<string, string>> = {
  'unknown-extension': 'the example extension (geoip, from xtables-addons) is not installed here either',
};

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** A doc page split along the fixed structure documented in docs/rules and the brief. */
export interface DocPage {
  readonly title: string;
  readonly severity: string;
  readonly family: string;
  readonly summary: string;
  readonly sections: ReadonlyMap<string, string>;
  readonly order: readonly string[];
}

const SECTIONS = ['Why', 'Bad', 'Good', 'Options'] as const;

export function parseDocPage(text: string): DocPage {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const title = /^# (.+)$/.exec(lines[0] ?? '')?.[1] ?? '';
  assert.equal(lines[1], '', 'a blank line after the title');
  const meta = /^\*\*Severity:\*\* (\w+) {2}· {2}\*\*Family:\*\* (\w+)$/.exec(lines[2] ?? '');
  assert.ok(meta, `line 3 reads "**Severity:** <severity>  ·  **Family:** <family>", not ${JSON.stringify(lines[2])}`);
  const sections = new Map<string, string>();
  const order: string[] = [];
  let current: string[] | undefined;
  const summary: string[] = [];
  let inFence = false;
  for (const line of lines.slice(3)) {
    if (line.startsWith('```')) inFence = !inFence;
    const heading = inFence ? undefined : /^## (.+)$/.exec(line)?.[1];
    if (heading !== undefined) {
      assert.ok(!sections.has(heading), `section "${heading}" appears twice`);
      order.push(heading);
      current = [];
      sections.set(heading, '');
      continue;
    }
    if (current) {
      current.push(line);
      sections.set(order[order.length - 1] as string, current.join('\n').trim());
    } else {
      summary.push(line);
    }
  }
  return { title, severity: meta[1] as string, family: meta[2] as string, summary: summary.join('\n').trim(), sections, order };
}

/** The single fenced block of the given language in a section. */
export function fencedBlock(section: string, language: string): string {
  const blocks = [...section.matchAll(/^```(\S*)\n([\s\S]*?)^```$/gm)];
  assert.equal(blocks.length, 1, `exactly one fenced block, found ${blocks.length}`);
  const block = blocks[0] as RegExpMatchArray;
  assert.equal(block[1], language, `the block is marked \`\`\`${language}`);
  return block[2] as string;
}

/** Counts the entries of `valid: [...]` / `invalid: [...]` in a table test, roughly but safely. */
function hasEntries(source: string, key: 'valid' | 'invalid'): boolean {
  const m = new RegExp(`\\b${key}:\\s*\\[`).exec(source);
  if (!m) return false;
  const rest = source.slice(m.index + m[0].length).replace(/^(\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '');
  return rest.length > 0 && rest[0] !== ']';
}

/** Quoted message ids a rule file reports, found in its source (`messageId: 'x'`, `? 'x' : 'y'`). */
function reportedMessageIds(source: string): Set<string> {
  const ids = new Set<string>();
  for (const m of source.matchAll(/messageId:\s*([^,}]+)/g)) {
    for (const q of (m[1] as string).matchAll(/'([A-Za-z0-9_]+)'/g)) ids.add(q[1] as string);
  }
  return ids;
}

const realSkip = realToolsAvailable() ? undefined : 'real tools unavailable (needs root, unshare, iptables-nft-restore and iptables-legacy-restore)';

describe('rule catalogue', () => {
  const allIds = FAMILIES.flatMap((f) => f.rules.map((r) => r.id));

  it('rule ids are unique across the registries', () => {
    const dupes = allIds.filter((id, i) => allIds.indexOf(id) !== i);
    assert.deepEqual(dupes, []);
  });

  it('the kvmnet.rules setting (package.json) lists every rule id with its default severity, and nothing else', () => {
    interface Entry { enum: string[]; markdownDescription: string }
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { properties?: Record<string, Entry>; additionalProperties?: unknown }> } };
    };
    const setting = pkg.contributes.configuration.properties['kvmnet.rules'];
    assert.equal(setting?.additionalProperties, false, 'a mistyped id is marked in settings.json');
    assert.deepEqual(Object.keys(setting?.properties ?? {}).sort(), [...allIds].sort());
    for (const rule of IPTABLES_RULES) {
      const entry: Entry | undefined = setting?.properties?.[rule.id];
      assert.deepEqual(entry?.enum, ['off', 'hint', 'info', 'warning', 'error'], rule.id);
      assert.ok(entry?.markdownDescription.startsWith(`Default: \`${rule.severity}\`.`), rule.id);
    }
  });

  it('.kvmnet.json has a schema (built from package.json) that VS Code checks it against, shipped in the vsix', () => {
    const root = join(__dirname, '..');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { jsonValidation: Array<{ fileMatch: string; url: string }> } };
    const entry = pkg.contributes.jsonValidation.find((v) => v.fileMatch === '.kvmnet.json');
    assert.ok(entry, 'package.json contributes jsonValidation for .kvmnet.json');
    assert.ok(readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').includes(`!${entry.url.replace(/^\.\//, '')}`), 'the vsix keeps the schema');
    const schema = JSON.parse(readFileSync(join(root, entry.url), 'utf8')) as {
      additionalProperties: boolean;
      properties: { rules: { additionalProperties: boolean; properties: Record<string, { enum: string[] }> }; iptables: { properties: { family: { enum: string[] } } } };
    };
    assert.equal(schema.additionalProperties, false);
    assert.equal(schema.properties.rules.additionalProperties, false);
    assert.deepEqual(Object.keys(schema.properties.rules.properties).sort(), [...allIds].sort());
    assert.deepEqual(schema.properties.rules.properties['unused-chain']?.enum, ['off', 'hint', 'info', 'warning', 'error']);
    assert.deepEqual(schema.properties.iptables.properties.family.enum, ['auto', 'ipv4', 'ipv6']);
  });

  it('every doc page belongs to a registered rule', () => {
    const pages = existsSync(DOCS_DIR) ? readdirSync(DOCS_DIR).filter((f) => f.endsWith('.md')) : [];
    const orphans = pages.map((f) => f.replace(/\.md$/, '')).filter((id) => !allIds.includes(id));
    assert.deepEqual(orphans, [], 'doc pages without a rule');
    const other = existsSync(DOCS_DIR) ? readdirSync(DOCS_DIR).filter((f) => !f.endsWith('.md')) : [];
    assert.deepEqual(other, [], 'docs/rules holds only <id>.md pages');
  });

  for (const family of FAMILIES) {
    describe(`${family.name} registry`, () => {
      it('every rule file is registered, under the id that is its file name', async () => {
        const files = readdirSync(family.sourceDir).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
        const ids = family.rules.map((r) => r.id);
        assert.deepEqual(files.map((f) => f.replace(/\.ts$/, '')).sort(), [...ids].sort(), 'rule files and registry differ');
        for (const file of files) {
          const mod = (await import(join(family.sourceDir, file))) as Record<string, unknown>;
          const exported = Object.values(mod).filter((v): v is IptablesRule => typeof v === 'object' && v !== null && 'id' in v && 'check' in v);
          assert.equal(exported.length, 1, `${file} exports one rule`);
          const rule = exported[0] as IptablesRule;
          assert.equal(rule.id, file.replace(/\.ts$/, ''), `${file}: id equals the file name`);
          assert.ok(family.rules.includes(rule), `${file}: the registry holds this very rule object`);
        }
      });

      it('test files belong to registered rules', () => {
        const tests = existsSync(family.testDir) ? readdirSync(family.testDir).filter((f) => f.endsWith('.test.ts')) : [];
        const orphans = tests.map((f) => f.replace(/\.test\.ts$/, '')).filter((id) => !family.rules.some((r) => r.id === id));
        assert.deepEqual(orphans, []);
      });

      for (const rule of family.rules) {
        describe(rule.id, () => {
          it('has a kebab-case id, a severity, docs.summary and docs.rationale', () => {
            assert.match(rule.id, KEBAB);
            assert.ok(['error', 'warning', 'info', 'hint'].includes(rule.severity), `severity ${rule.severity}`);
            assert.ok(rule.docs.summary.trim().length > 20, 'docs.summary says what the rule reports');
            assert.ok(rule.docs.rationale.trim().length > 20, 'docs.rationale says why');
            assert.ok(Object.keys(rule.messages).length > 0, 'at least one message');
            for (const [id, text] of Object.entries(rule.messages)) {
              assert.match(id, /^[A-Za-z][A-Za-z0-9]*$/, `message id ${id}`);
              assert.ok(text.trim().length > 0, `message ${id} has text`);
            }
          });

          const source = readFileSync(join(family.sourceDir, `${rule.id}.ts`), 'utf8');
          const reported = reportedMessageIds(source);
          const known = KNOWN_UNUSED_MESSAGES[rule.id] ?? [];
          it('reports only declared messages, and uses every declared one', () => {
            const undeclared = [...reported].filter((id) => !(id in rule.messages));
            assert.deepEqual(undeclared, [], 'reported but not declared in messages');
            const unused = Object.keys(rule.messages).filter((id) => !reported.has(id) && !known.includes(id));
            assert.deepEqual(unused, [], 'declared in messages but never reported');
          });
          if (known.length > 0) {
            it(`uses its messages ${known.join(', ')}`, { todo: 'see rules-findings.md' }, () => {
              assert.deepEqual(known.filter((id) => !reported.has(id)), []);
            });
          }

          const pagePath = join(ROOT, ruleDocPath(rule.id));
          const pageText = existsSync(pagePath) ? readFileSync(pagePath, 'utf8') : undefined;
          it(`has a doc page ${ruleDocPath(rule.id)} with the fixed structure`, () => {
            assert.ok(pageText !== undefined, 'the page exists');
            const page = parseDocPage(pageText);
            assert.equal(page.title, rule.id, 'the title is the rule id');
            assert.equal(page.severity, rule.severity, 'the severity line matches the rule');
            assert.equal(page.family, family.name, 'the family line');
            assert.ok(page.summary.length > 40 && !page.summary.startsWith('#'), 'one paragraph saying what the rule reports');
            assert.deepEqual(page.order, [...SECTIONS], 'sections: Why, Bad, Good, Options');
            assert.ok((page.sections.get('Why') ?? '').length > 40, 'Why says why it matters');
            fencedBlock(page.sections.get('Bad') ?? '', family.name);
            fencedBlock(page.sections.get('Good') ?? '', family.name);
            const options = page.sections.get('Options') ?? '';
            assert.ok(options.includes('"kvmnet.rules"'), 'Options shows the kvmnet.rules setting');
            assert.ok(options.includes(`"${rule.id}": "off"`), 'Options shows how to turn this rule off');
            assert.ok(options.includes(`# kvmnet-disable-next-line ${rule.id}`), 'Options shows the suppression comment');
          });

          const examples = (): { bad: string; good: string } => {
            assert.ok(pageText !== undefined, 'the page exists');
            const page = parseDocPage(pageText);
            return { bad: fencedBlock(page.sections.get('Bad') ?? '', family.name), good: fencedBlock(page.sections.get('Good') ?? '', family.name) };
          };

          it('the Bad example triggers the rule and the Good example does not', () => {
            const { bad, good } = examples();
            const badFindings = family.lint(rule, bad);
            assert.ok(badFindings.some((f) => f.ruleId === rule.id), `Bad: ${rule.id} reports nothing`);
            const goodFindings = family.lint(rule, good).filter((f) => f.ruleId === rule.id);
            assert.deepEqual(goodFindings.map((f) => f.message), [], `Good: ${rule.id} still reports`);
          });

          it('the Options section works on the Bad example: the setting and the comment silence it', () => {
            const { bad } = examples();
            assert.deepEqual(family.lint(rule, bad, { [rule.id]: 'off' }).map((f) => f.message), [], '"off" in kvmnet.rules');
            const lines = bad.split('\n');
            const starts: number[] = [];
            lines.reduce((offset, line) => { starts.push(offset); return offset + line.length + 1; }, 0);
            const lineOf = (offset: number): number => starts.filter((s) => s <= offset).length - 1;
            const flagged = new Set(family.lint(rule, bad).filter((f) => f.ruleId === rule.id).map((f) => lineOf(f.span.start)));
            const silenced = lines.flatMap((line, i) => (flagged.has(i) ? [`# kvmnet-disable-next-line ${rule.id}`, line] : [line])).join('\n');
            assert.deepEqual(family.lint(rule, silenced).filter((f) => f.ruleId === rule.id).map((f) => f.message), [], 'the comment on the line before');
          });

          it('the Good example has no error or warning from any rule', () => {
            const { good } = examples();
            const loud = family.lintAll(good).filter((f) => f.severity === 'error' || f.severity === 'warning');
            assert.deepEqual(loud.map((f) => `${f.ruleId}: ${f.message}`), []);
          });

          const isError = rule.severity === 'error';
          const badRefused = BAD_EXAMPLE_REFUSED[rule.id];
          it(isError ? 'the real tools refuse the Bad example' : 'the real tools accept the Bad example (legal but wrong)',
            realSkip ? { skip: realSkip } : badRefused ? { skip: `not checked: ${badRefused}` } : {}, () => {
              const verdict = family.realTools(examples().bad);
              if (isError) assert.ok(!verdict.accepted, 'the tools accept the Bad example, so the rule must not be an error for it');
              else assert.ok(verdict.accepted, `the tools refuse the Bad example:\n${verdict.message}`);
            });
          it('the real tools accept the Good example', realSkip ? { skip: realSkip } : {}, () => {
            const verdict = family.realTools(examples().good);
            assert.ok(verdict.accepted, `the tools refuse the Good example:\n${verdict.message}`);
          });

          it('has a table test with at least one valid and one invalid case', () => {
            const testPath = join(family.testDir, `${rule.id}.test.ts`);
            assert.ok(existsSync(testPath), `${testPath} exists`);
            const test = readFileSync(testPath, 'utf8');
            assert.ok(test.includes(`/rules/${rule.id}.js'`), 'it imports the rule');
            assert.ok(/ruleTester\.run\(/.test(test), 'it runs ruleTester');
            assert.ok(hasEntries(test, 'valid'), 'at least one valid case');
            assert.ok(hasEntries(test, 'invalid'), 'at least one invalid case');
          });
        });
      }
    });
  }
});
