/**
 * The language server in a second real editor: headless neovim 0.7 (Debian's) starts
 * `node dist/server.js --stdio` through its built-in LSP client (fixtures/nvim/init.lua) on the
 * shared fixture, and reports what it received. neovim 0.7 only knows pushed diagnostics, so this
 * also guards the publishDiagnostics contract (DESIGN.md §2).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { realToolAccepts, realToolsAvailable } from '../helpers/realTools.js';
import { ensureFreshBuild } from './support/build.js';
import {
  FIX_DECLARATION, FIX_LINE, fixedRuleset, lineIndex, MISTAKE_LINE, MISTAKE_TOKEN, NAT_LINE, positionOf, RULESET, TYPED_LINE,
} from './support/fixture.js';
import { E2E_DIR, FIXTURES_DIR, FIXTURE_RULESET, SERVER_BUNDLE } from './support/paths.js';

const TIMEOUT_MS = 15_000;

/** A rule typed with ragged blanks, for formatting. */
const MESSY_RULE = '-A POSTROUTING  -o\tvirbr0   -j ACCEPT  ';

/** What fixtures/nvim/init.lua prints (its RESULT line). */
interface NvimDiagnostic {
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
  severity: number;
  message: string;
  source?: string;
  code?: string | number;
}
interface NvimResult {
  error?: string;
  filetype: string;
  got_diagnostics: boolean;
  diagnostics: NvimDiagnostic[];
  hover: unknown;
  hover_error?: string;
  completion_labels: string[];
  completion_error?: string;
  fixed_clean: boolean;
  after_fix: NvimDiagnostic[];
  got_calls: boolean;
  calls: Array<{ lnum: number; col: number; text: string }>;
  formatted: string;
  ms: Record<string, number>;
}

/** Runs headless neovim on `file` with the plan; resolves with its RESULT. */
function runNeovim(file: string, plan: object, runDir: string): Promise<{ result: NvimResult; ms: number }> {
  const t0 = Date.now();
  const xdg = (name: string): string => path.join(runDir, 'xdg', name);
  return new Promise((resolve, reject) => {
    const child = spawn('nvim', ['--headless', '--noplugin', '-i', 'NONE', '-n', '-u', path.join(FIXTURES_DIR, 'nvim', 'init.lua'), file], {
      cwd: runDir,
      // neovim's own files (lsp.log, state) go under the run dir, not $HOME.
      env: { ...process.env, KVMNET_NVIM_PLAN: JSON.stringify(plan), XDG_CACHE_HOME: xdg('cache'), XDG_STATE_HOME: xdg('state'), XDG_DATA_HOME: xdg('data'), XDG_CONFIG_HOME: xdg('config') },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    // Every step inside neovim has its own timeout; this only catches a hung editor.
    const killer = setTimeout(() => {
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // already gone
      }
    }, TIMEOUT_MS * 5);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(killer);
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (!line) {
        reject(new Error(`neovim printed no RESULT (exit ${code ?? signal}); stdout: ${stdout.slice(-2000)} stderr: ${stderr.slice(-2000)}`));
        return;
      }
      resolve({ result: JSON.parse(line.slice('RESULT '.length)) as NvimResult, ms: Date.now() - t0 });
    });
  });
}

function hoverText(contents: unknown): string {
  if (typeof contents === 'string') return contents;
  if (Array.isArray(contents)) return contents.map(hoverText).join('\n');
  if (contents && typeof contents === 'object' && 'value' in contents) return String((contents as { value: unknown }).value);
  return '';
}

test('neovim 0.7 (headless) as LSP client of node dist/server.js --stdio', { timeout: 120_000 }, async (t) => {
  const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  assert.equal(nvim.status, 0, 'nvim is not installed (apt-get install neovim)');
  t.diagnostic(nvim.stdout.split('\n')[0] ?? '');

  await ensureFreshBuild();
  const runDir = path.join(E2E_DIR, 'runs', 'neovim');
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  const file = path.join(runDir, path.basename(FIXTURE_RULESET));
  fs.copyFileSync(FIXTURE_RULESET, file);

  const natLine = lineIndex(NAT_LINE);
  const hoverAt = positionOf(NAT_LINE, 'MASQUERADE');
  const plan = {
    cmd: [process.execPath, SERVER_BUNDLE, '--stdio'],
    timeout_ms: TIMEOUT_MS,
    hover: { line: hoverAt.line, character: hoverAt.character + 2 },
    completion: { line: natLine + 1, text: TYPED_LINE },
    fix: { line: FIX_LINE, text: FIX_DECLARATION },
    // On the -j LIBVIRT_FWI of FORWARD (declared by the fix, one line down by then).
    calls: { line: positionOf(MISTAKE_LINE, MISTAKE_TOKEN).line + 1, character: positionOf(MISTAKE_LINE, MISTAKE_TOKEN).character + 2 },
    format: { line: natLine + 1, text: MESSY_RULE },
  };
  const { result: r, ms } = await runNeovim(file, plan, runDir);
  t.diagnostic(`neovim run: ${ms} ms in all; inside neovim (ms): ${JSON.stringify(r.ms)}`);
  // neovim logs what the server sends with window/logMessage at error level (and its own errors) here.
  const lspLog = path.join(runDir, 'xdg', 'cache', 'nvim', 'lsp.log');
  const serverErrors = fs.existsSync(lspLog)
    ? fs.readFileSync(lspLog, 'utf8').split('\n').filter((l) => l.startsWith('[ERROR]')).map((l) => l.replace(/\\n/g, '\n    ')).slice(0, 5)
    : [];
  if (serverErrors.length > 0) t.diagnostic(`errors in neovim's lsp.log:\n${serverErrors.join('\n')}`);
  const logged = serverErrors.length > 0 ? `\nerrors in ${lspLog}:\n${serverErrors.join('\n')}` : '';
  assert.equal(r.error, undefined, `init.lua failed: ${r.error}${logged}`);

  await t.test('the ruleset gets filetype iptables and the server pushes diagnostics', () => {
    assert.equal(r.filetype, 'iptables');
    assert.ok(r.got_diagnostics, `no diagnostics within ${TIMEOUT_MS} ms${logged}`);
  });

  await t.test('exactly one diagnostic: undefined-chain from kvmnet, on the undeclared chain name', () => {
    assert.equal(r.diagnostics.length, 1, `expected one diagnostic, got ${JSON.stringify(r.diagnostics, null, 1)}`);
    const d = r.diagnostics[0];
    assert.ok(d);
    const at = positionOf(MISTAKE_LINE, MISTAKE_TOKEN);
    assert.equal(d.code, 'undefined-chain');
    assert.equal(d.source, 'kvmnet');
    assert.equal(d.severity, 1, 'severity Error (the real iptables-restore refuses this file)');
    assert.deepEqual(
      { lnum: d.lnum, col: d.col, end_lnum: d.end_lnum, end_col: d.end_col },
      { lnum: at.line, col: at.character, end_lnum: at.line, end_col: at.character + MISTAKE_TOKEN.length },
      'the range covers exactly the chain name',
    );
    assert.ok(d.message.includes(MISTAKE_TOKEN), `the message names the chain: ${d.message}`);
  });

  await t.test('hover on MASQUERADE returns its documentation', () => {
    assert.equal(r.hover_error, undefined);
    const text = hoverText(r.hover);
    t.diagnostic(`hover on MASQUERADE: ${JSON.stringify(text.slice(0, 300))}`);
    assert.ok(text.includes('MASQUERADE'), `hover: ${JSON.stringify(r.hover)}`);
    assert.ok(text.replace(/MASQUERADE/g, '').trim().length >= 20, `the hover should explain the target: ${text}`);
  });

  await t.test('completion after "-j " lists targets, MASQUERADE among them', () => {
    assert.equal(r.completion_error, undefined);
    t.diagnostic(`completion after "-j " (${r.completion_labels.length}): ${r.completion_labels.join(' ')}`);
    assert.ok(r.completion_labels.includes('MASQUERADE'), `labels: ${r.completion_labels.join(', ')}`);
    assert.ok(r.completion_labels.includes('ACCEPT'), `labels: ${r.completion_labels.join(', ')}`);
  });

  await t.test('declaring the chain (an incremental edit) clears the diagnostic', () => {
    assert.ok(r.fixed_clean, `still reported after the fix: ${JSON.stringify(r.after_fix)}`);
  });

  await t.test('vim.lsp.buf.incoming_calls() lists FORWARD as the caller of LIBVIRT_FWI in the quickfix list', () => {
    assert.ok(r.got_calls, `no callers within ${TIMEOUT_MS} ms${logged}`);
    assert.equal(r.calls.length, 1, JSON.stringify(r.calls));
    const call = r.calls[0];
    const at = positionOf(MISTAKE_LINE, MISTAKE_TOKEN);
    // 1-based, on the -j name in FORWARD's rule (one line down after the fix).
    assert.deepEqual({ lnum: call?.lnum, col: call?.col }, { lnum: at.line + 2, col: at.character + 1 });
    assert.match(call?.text ?? '', /FORWARD/);
  });

  await t.test('vim.lsp.buf.formatting_sync() tidies the blanks of a typed rule', () => {
    assert.equal(r.formatted, MESSY_RULE.replace(/[ \t]+/g, ' ').trim());
  });

  await t.test('the real iptables-restore agrees: it refuses the fixture and accepts the fixed file', (st) => {
    if (!realToolsAvailable()) {
      st.skip('iptables-nft-restore/iptables-legacy-restore cannot run here (needs root and unshare)');
      return;
    }
    assert.equal(realToolAccepts(RULESET).accepted, false);
    const fixed = realToolAccepts(fixedRuleset());
    assert.ok(fixed.accepted, fixed.message);
  });
});

/** The first ```lua block of the README's "Language server" section, as a user copies it. */
function readmeNeovimConfig(): string {
  const readme = fs.readFileSync(path.join(path.dirname(FIXTURES_DIR), '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Language server'));
  const block = /```lua\n([\s\S]*?)```/.exec(section);
  assert.ok(block?.[1], 'the README has a lua block under "Language server"');
  return block[1];
}

test('neovim 0.7: the README\'s config, as written, with the server on PATH', { timeout: 120_000 }, async (t) => {
  const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  assert.equal(nvim.status, 0, 'nvim is not installed (apt-get install neovim)');
  await ensureFreshBuild();
  const runDir = path.join(E2E_DIR, 'runs', 'neovim-readme');
  fs.rmSync(runDir, { recursive: true, force: true });
  // What `npm link` gives: the bin on PATH (node next to it for its #! line).
  const bin = path.join(runDir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.symlinkSync(SERVER_BUNDLE, path.join(bin, 'kvmnet-language-server'));
  fs.writeFileSync(path.join(runDir, 'init.lua'), readmeNeovimConfig());
  // After the README's config: wait for diagnostics (iptables buffers only), print what the buffer got, quit.
  fs.writeFileSync(path.join(runDir, 'report.lua'), [
    'local buf = vim.api.nvim_get_current_buf()',
    "local ft = vim.bo[buf].filetype",
    `if ft == 'iptables' then vim.wait(${TIMEOUT_MS}, function() return #vim.diagnostic.get(buf) > 0 end, 50) end`,
    'local found = {}',
    "for _, d in ipairs(vim.diagnostic.get(buf)) do table.insert(found, d.code .. ':' .. d.severity) end",
    "table.sort(found)",
    "io.stdout:write('RESULT ' .. vim.fn.json_encode({ filetype = ft, clients = #vim.lsp.buf_get_clients(buf), found = found }) .. '\\n')",
    "vim.cmd('qa!')",
  ].join('\n'));
  // An undeclared chain (an error) and an unused one (an info the README's settings turn off).
  const ruleset = '*filter\n:INPUT ACCEPT [0:0]\n:SPARE - [0:0]\n-A INPUT -j NOSUCH\nCOMMIT\n';
  const files: Array<[string, string, string[]]> = [
    ['etc/iptables/rules.v4', ruleset, ['undefined-chain:1']],
    ['etc/sysconfig/ip6tables', ruleset, ['undefined-chain:1']],
    ['etc/ufw/before.rules', ruleset, ['undefined-chain:1']],
    // lab/.kvmnet.json (below) makes it a warning: neovim 0.7 watches no files, the server reads the config itself.
    ['lab/host.iptables', ruleset, ['undefined-chain:2']],
  ];
  fs.mkdirSync(path.join(runDir, 'lab'), { recursive: true });
  fs.writeFileSync(path.join(runDir, 'lab', '.kvmnet.json'), '{ "rules": { "undefined-chain": "warning" } }\n');
  const run = (file: string): { filetype: string; clients: number; found: string[] } => {
    const xdg = (name: string): string => path.join(runDir, 'xdg', name);
    const r = spawnSync('nvim', ['--headless', '-i', 'NONE', '-n', '-u', path.join(runDir, 'init.lua'), '-c', `luafile ${path.join(runDir, 'report.lua')}`, file], {
      cwd: runDir, encoding: 'utf8', timeout: TIMEOUT_MS * 3,
      env: { ...process.env, PATH: `${bin}:${path.dirname(process.execPath)}:${process.env['PATH'] ?? ''}`, XDG_CACHE_HOME: xdg('cache'), XDG_STATE_HOME: xdg('state'), XDG_DATA_HOME: xdg('data'), XDG_CONFIG_HOME: xdg('config') },
    });
    const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    assert.ok(line, `neovim printed no RESULT for ${file} (exit ${r.status}): ${r.stdout.slice(-500)} ${r.stderr.slice(-500)}`);
    return JSON.parse(line.slice('RESULT '.length)) as { filetype: string; clients: number; found: string[] };
  };
  for (const [name, text, expected] of files) {
    const file = path.join(runDir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    const r = run(file);
    t.diagnostic(`${name}: ${JSON.stringify(r)}`);
    assert.equal(r.filetype, 'iptables', name);
    assert.equal(r.clients, 1, name);
    assert.deepEqual(r.found, expected, name);
  }
  // A udev rules file keeps its own file type.
  const udev = path.join(runDir, 'etc/udev/rules.d/70-net.rules');
  fs.mkdirSync(path.dirname(udev), { recursive: true });
  fs.writeFileSync(udev, 'SUBSYSTEM=="net", ACTION=="add", NAME="lan0"\n');
  assert.notEqual(run(udev).filetype, 'iptables');
});

test('neovim 0.7: editors/vim gives the file type and colours (runtimepath)', { timeout: 60_000 }, () => {
  const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  assert.equal(nvim.status, 0, 'nvim is not installed (apt-get install neovim)');
  const runtime = path.join(path.dirname(FIXTURES_DIR), '..', '..', 'editors', 'vim');
  const runDir = path.join(E2E_DIR, 'runs', 'neovim-syntax');
  fs.rmSync(runDir, { recursive: true, force: true });
  const line = '-A INPUT -s 192.168.122.0/24 ! -i virbr0 -p tcp --dport 22 -m comment --comment "ssh in" -j ACCEPT';
  const text = `# Generated by iptables-save v1.8.9\n*filter\n:INPUT DROP [0:0]\n${line}\nCOMMIT\n# kvmnet-disable-next-line unused-chain\n-A INPUT -s ::1/128 -i eth0.11 -m time --timestop 13:45:00 -j ACCEPT\n`;
  const expected: Array<[number, string, string]> = [
    [1, '#', 'iptablesComment'], [2, '*filter', 'iptablesTable'], [3, ':INPUT', 'iptablesChainDecl'], [3, 'DROP', 'iptablesPolicy'], [3, '[0:0]', 'iptablesCounters'],
    [4, '-A ', 'iptablesCommand'], [4, 'INPUT', 'iptablesChainRef'], [4, '-s ', 'iptablesOption'], [4, '192.168', 'iptablesAddress'], [4, '! ', 'iptablesNegation'],
    [4, '--dport', 'iptablesOption'], [4, '"ssh', 'iptablesString'], [4, '-j ', 'iptablesJump'], [4, 'ACCEPT', 'iptablesTarget'],
    [5, 'COMMIT', 'iptablesCommit'], [6, 'kvmnet-disable', 'iptablesDirective'],
    // An IPv6 address that starts with "::"; not the VLAN number of eth0.11, not a time of day.
    [7, '::1/128', 'iptablesAddress'], [7, '11 -m', ''], [7, '13:45:00', ''],
  ];
  const probe = [
    "local function at(l, s) local c = string.find(vim.fn.getline(l), s, 1, true); return vim.fn.synIDattr(vim.fn.synID(l, c, 1), 'name') end",
    'local got = {}',
    ...expected.map(([l, s]) => `table.insert(got, at(${l}, ${JSON.stringify(s)}))`),
    "io.stdout:write('RESULT ' .. vim.fn.json_encode({ filetype = vim.bo.filetype, got = got }) .. '\\n')",
    "vim.cmd('qa!')",
  ].join('\n');
  fs.mkdirSync(runDir, { recursive: true });
  fs.writeFileSync(path.join(runDir, 'probe.lua'), probe);
  // By name (rules.v4 under iptables/, Arch's iptables.rules), and by the first line iptables-save
  // writes (any name; 1.8.10 and later write ip6tables-nft-save and the like).
  const files: Array<[string, string]> = [
    ['etc/iptables/rules.v4', text], ['etc/iptables/iptables.rules', text], ['saved-ruleset', text],
    ['saved-nft', text.replace('iptables-save v1.8.9', 'ip6tables-nft-save v1.8.10 (nf_tables)')],
  ];
  for (const [name, content] of files) {
    const file = path.join(runDir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    const r = spawnSync('nvim', ['--headless', '-i', 'NONE', '-n', '-u', 'NONE', '--cmd', `set rtp^=${runtime}`, '--cmd', 'filetype on', '--cmd', 'syntax on', '-c', `luafile ${path.join(runDir, 'probe.lua')}`, file], {
      cwd: runDir, encoding: 'utf8', timeout: 30_000,
      env: { ...process.env, XDG_CACHE_HOME: path.join(runDir, 'xdg'), XDG_STATE_HOME: path.join(runDir, 'xdg'), XDG_DATA_HOME: path.join(runDir, 'xdg'), XDG_CONFIG_HOME: path.join(runDir, 'xdg') },
    });
    const out = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    assert.ok(out, `neovim printed no RESULT (exit ${r.status}): ${r.stdout.slice(-500)} ${r.stderr.slice(-500)}`);
    const result = JSON.parse(out.slice('RESULT '.length)) as { filetype: string; got: string[] };
    assert.equal(result.filetype, 'iptables', name);
    assert.deepEqual(result.got, expected.map(([, , group]) => group), name);
  }
});
