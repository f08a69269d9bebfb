/**
 * The TextMate grammar (syntaxes/iptables.tmLanguage.json) and the language configuration.
 *
 * The scope assertions live as comments in the `*.test.iptables` / `*.test.ip6tables` files of this
 * folder and are checked by vscode-tmgrammar-test (the same vscode-textmate engine VS Code uses).
 * Those files are rulesets as well: every line that is not a rule is a `#` comment, so the real
 * iptables-restore must accept the realistic ones as they stand.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import { realToolAccepts, realToolsAvailable, type Family } from '../helpers/realTools.js';
import { TARGET_SPECS } from '../../server/src/iptables/kb/targets/index.js';
import { STANDARD_TARGETS } from '../../server/src/iptables/kb/tables.js';

const execFileAsync = promisify(execFile);
const root = join(__dirname, '..', '..');
const here = __dirname;
const grammarPath = join(root, 'syntaxes', 'iptables.tmLanguage.json');
const configPath = join(root, 'syntaxes', 'language-configuration.json');

/** Test files, each with its address family and whether the real tools must accept it. */
const testFiles = readdirSync(here)
  .filter((f) => /\.test\.ip6?tables$/.test(f))
  .sort()
  .map((name) => ({
    name,
    family: (name.endsWith('.ip6tables') ? 'ipv6' : 'ipv4') as Family,
    // edge-cases holds every command form (-E, -R, -D ...) and quoting oddities on purpose; it is
    // a grammar fixture, not a ruleset meant to load.
    realistic: !name.startsWith('edge-cases'),
  }));

describe('iptables grammar', () => {
  it('has test files for the libvirt NAT, IPv6, docker/kube and edge-case rulesets', () => {
    assert.deepEqual(
      testFiles.map((f) => f.name),
      ['docker-kube.test.iptables', 'edge-cases.test.iptables', 'ipv6.test.ip6tables', 'libvirt-nat.test.iptables'],
    );
  });

  it('passes every scope assertion (vscode-tmgrammar-test)', async () => {
    const bin = join(root, 'node_modules', '.bin', 'vscode-tmgrammar-test');
    const globs = testFiles.map((f) => join('test', 'grammar', f.name));
    let stdout = '';
    try {
      ({ stdout } = await execFileAsync(bin, ['--compact', ...globs], { cwd: root, timeout: 60_000 }));
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      assert.fail(`vscode-tmgrammar-test failed:\n${e.stdout ?? ''}${e.stderr ?? ''}\n${e.message}`);
    }
    for (const f of testFiles) assert.match(stdout, new RegExp(`${f.name.replace(/\./g, '\\.')} run successfuly`));
  });

  describe('the realistic test rulesets load with the real tools', { skip: !realToolsAvailable() && 'real iptables tools not available' }, () => {
    for (const f of testFiles.filter((t) => t.realistic)) {
      it(f.name, () => {
        const verdict = realToolAccepts(readFileSync(join(here, f.name), 'utf8'), f.family);
        assert.ok(verdict.accepted, verdict.message);
      });
    }
  });

  const grammar = JSON.parse(readFileSync(grammarPath, 'utf8')) as unknown;

  it('declares scopeName source.iptables', () => {
    assert.equal((grammar as { scopeName?: unknown }).scopeName, 'source.iptables');
  });

  it('resolves every #include to a repository entry', () => {
    const repository = (grammar as { repository?: Record<string, unknown> }).repository ?? {};
    const includes = collect(grammar, 'include');
    assert.ok(includes.length > 0);
    for (const inc of includes) {
      assert.ok(inc.startsWith('#'), `only local includes are used: ${inc}`);
      assert.ok(Object.hasOwn(repository, inc.slice(1)), `missing repository entry for ${inc}`);
    }
  });

  // The top-level `name` is the grammar's display name; scopes live in patterns and the repository.
  const { patterns, repository } = grammar as { patterns?: unknown; repository?: unknown };
  const scopes = [...new Set(collect([patterns, repository], 'name').flatMap((n) => n.split(/\s+/)))].sort();

  it('highlights every target extension of the knowledge base as support.function.target', () => {
    const jump = (grammar as { repository: { jump: { patterns: { match?: string; captures?: Record<string, { name?: string }> }[] } } }).repository.jump;
    const pattern = jump.patterns.find((p) => p.captures?.['2']?.name === 'support.function.target.iptables');
    const names = /\\s\+\(([A-Z|]+)\)/.exec(pattern?.match ?? '')?.[1]?.split('|') ?? [];
    assert.ok(names.length > 30, 'the extension target alternation is found');
    for (const spec of TARGET_SPECS) {
      if (STANDARD_TARGETS.includes(spec.name)) continue;
      assert.ok(names.includes(spec.name), `${spec.name} is missing from the grammar's target list`);
    }
  });

  it('ends every scope name with .iptables', () => {
    for (const s of scopes) assert.match(s, /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*\.iptables$/, s);
  });

  it('has every scope it can produce asserted in some test file', () => {
    const asserted = new Set(
      testFiles.flatMap((f) =>
        readFileSync(join(here, f.name), 'utf8')
          .split('\n')
          .filter((l) => /^#\s*(\^|<-)/.test(l))
          .flatMap((l) => l.replace(/^#\s*[\^<~\s-]+/, '').split(/\s+/)),
      ),
    );
    const unasserted = scopes.filter((s) => !asserted.has(s));
    assert.deepEqual(unasserted, []);
  });
});

describe('iptables language configuration', () => {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as {
    comments?: { lineComment?: string };
    brackets?: [string, string][];
    autoClosingPairs?: { open: string; close: string }[];
    wordPattern?: string;
    folding?: { markers?: { start?: string; end?: string } };
  };

  it('uses # for line comments', () => {
    assert.equal(config.comments?.lineComment, '#');
  });

  it('knows the [ ] and ( ) brackets and auto-closes " and [', () => {
    assert.deepEqual(config.brackets, [['[', ']'], ['(', ')']]);
    assert.deepEqual(config.autoClosingPairs?.map((p) => p.open + p.close), ['""', '[]']);
  });

  /** The word around `column`, found the way the editor does: the match of wordPattern that contains it. */
  function wordAt(line: string, column: number): string | undefined {
    const re = new RegExp(config.wordPattern ?? '', 'g');
    for (const m of line.matchAll(re)) {
      if (m.index <= column && column <= m.index + m[0].length) return m[0];
    }
    return undefined;
  }

  const cases: [line: string, inside: string, word: string][] = [
    ['-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT', 'dport', '--dport'],
    ['-A FORWARD -d 192.168.1.0/24 -o virbr0 -j ACCEPT', '168', '192.168.1.0/24'],
    ['-A FORWARD -d 192.168.1.0/24 -o virbr0 -j ACCEPT', 'br0', 'virbr0'],
    ['-A KUBE-SERVICES -j KUBE-SVC-XYZ', 'SVC', 'KUBE-SVC-XYZ'],
    [':KUBE-SVC-XYZ - [0:0]', 'KUBE', 'KUBE-SVC-XYZ'],
    [':INPUT ACCEPT [0:0]', 'INPUT', 'INPUT'],
    ['-A INPUT -s 2001:db8::1/128 -j DROP', 'db8', '2001:db8::1/128'],
    ['-A INPUT -s ::1/128 -j DROP', '1/128', '::1/128'],
    ['-A INPUT -i eth+ -j DROP', 'eth', 'eth+'],
    ['-A DOS~Pro-t_ect -j DROP', 'Pro', 'DOS~Pro-t_ect'],
    ['-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', 'ESTAB', 'ESTABLISHED'],
    ['-A PREROUTING -j DNAT --to-destination 192.168.122.10:80', '122.10', '192.168.122.10:80'],
    ['-A POSTROUTING -j MASQUERADE --to-ports 1024-65535', '655', '1024-65535'],
    ['-A INPUT -m comment --comment "kube dns" -j ACCEPT', 'dns', 'dns'],
  ];
  for (const [line, inside, word] of cases) {
    it(`wordPattern: ${word} in ${JSON.stringify(line)}`, () => {
      const column = line.indexOf(inside);
      assert.ok(column >= 0);
      assert.equal(wordAt(line, column + 1), word);
    });
  }

  it('wordPattern never matches the empty string', () => {
    assert.equal(new RegExp(`^(?:${config.wordPattern ?? ''})$`).test(''), false);
  });

  it('folds from *table to COMMIT', () => {
    const start = new RegExp(config.folding?.markers?.start ?? '(?!)');
    const end = new RegExp(config.folding?.markers?.end ?? '(?!)');
    for (const t of ['*filter', '*nat', '*mangle', '*raw', '*security']) assert.ok(start.test(t), t);
    assert.ok(end.test('COMMIT'));
    for (const other of ['# *filter', ':INPUT ACCEPT [0:0]', '-A INPUT -j ACCEPT', '# COMMIT']) {
      assert.ok(!start.test(other) && !end.test(other), other);
    }
  });
});

/** Every string value under `key` anywhere in a JSON value. */
function collect(value: unknown, key: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => collect(v, key));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (k === key && typeof v === 'string' ? [v] : collect(v, key)));
}
