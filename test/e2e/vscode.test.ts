/**
 * The packaged extension in a real VS Code: code-server 4.100.3 (VS Code 1.100.3) with a fresh
 * user-data and extensions dir, the kvmnet.vsix installed into it, and Debian's Chromium driven by
 * playwright-core. Checks what a user sees: the diagnostic in the Problems panel, the hover on a
 * target, completion after `-j `, and the two commands. With KVMNET_UPDATE_SCREENSHOTS=1, the
 * screenshots of a passing run replace the README's images in docs/images/.
 *
 * Skips only when code-server cannot be installed (scripts/e2e-setup.sh fails, e.g. no registry);
 * anything the extension or the server gets wrong is a failure.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import { realToolAccepts } from '../helpers/realTools.js';
import { ensureFreshBuild } from './support/build.js';
import { installCodeServer, startCodeServer, waitForChannelLog, waitForFile, type CodeServerRun } from './support/codeServer.js';
import { MISTAKE_LINE, MISTAKE_TOKEN, NAT_LINE, positionOf, TYPED_LINE } from './support/fixture.js';
import { E2E_DIR, FIXTURES_DIR, FIXTURE_RULESET, PROJECT_ROOT, README_IMAGES_DIR } from './support/paths.js';
import { flat, launchBrowser, Workbench, type Browser } from './support/workbench.js';

const FILE = path.basename(FIXTURE_RULESET);

/** A ruleset saved on Windows: iptables-restore refuses it ("\r" ends up in the table name, COMMIT ...). */
const CRLF_FILE = 'crlf.v4';
const CRLF_LF = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n';
const CRLF_RULESET = CRLF_LF.replace(/\n/g, '\r\n');

/** A ruleset written by hand with ragged blanks, and what Format Document makes of it. */
const MESSY_FILE = 'messy.v4';
const MESSY = '*filter\n:INPUT  ACCEPT\t[0:0]\n-A  INPUT\t-p tcp   --dport 22 -m comment --comment "two  blanks" -j ACCEPT   \nCOMMIT\n';
const TIDY = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -m comment --comment "two  blanks" -j ACCEPT\nCOMMIT\n';

/**
 * A ruleset in the workspace that no step opens: its mistake (a port out of range, which
 * ip6tables-restore refuses) must reach the Problems panel all the same.
 */
const UNOPENED_FILE = path.join('etc', 'iptables', 'rules.v6');
const UNOPENED_RULESET = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 99999 -j ACCEPT\nCOMMIT\n';

/** The reference ruleset (examples/), whose chains jump to libvirt's: for the call hierarchy. */
const CALLS_FILE = 'host.v4';

/** The screenshots a passing run can copy into docs/images/ for the README. */
const README_SHOTS = ['vscode-problems', 'vscode-workspace-problems', 'vscode-hover', 'vscode-completion', 'vscode-interfaces', 'vscode-calls'] as const;

test('VS Code (code-server 4.100.3 + Chromium): the packaged kvmnet extension end to end', { timeout: 300_000 }, async (t) => {
  const timings: Record<string, number> = {};
  let last = Date.now();
  const mark = (name: string): void => {
    const now = Date.now();
    timings[name] = now - last;
    last = now;
  };

  const install = installCodeServer();
  if (!install.ok) {
    t.diagnostic(install.log.split('\n').slice(-15).join('\n'));
    t.skip(install.reason);
    return;
  }
  mark('code-server install (or check)');

  await ensureFreshBuild();
  mark('build (when stale)');
  fs.rmSync(path.join(PROJECT_ROOT, 'kvmnet.vsix'), { force: true });
  try {
    execFileSync('npm', ['run', '--silent', 'package'], { cwd: PROJECT_ROOT, stdio: 'pipe', timeout: 120_000 });
  } catch (err) {
    const out = `${String((err as { stdout?: Buffer }).stdout ?? '')}${String((err as { stderr?: Buffer }).stderr ?? '')}`.trim();
    const hint = /Couldn't detect the repository/.test(out)
      ? '\nvsce cannot rewrite the README\'s relative image links without a GitHub/GitLab repository: the package script needs --no-rewrite-relative-links (or --baseImagesUrl)'
      : '';
    throw new Error(`npm run package failed:\n${out}${hint}`, { cause: err });
  }
  const vsix = path.join(PROJECT_ROOT, 'kvmnet.vsix');
  assert.ok(fs.existsSync(vsix), 'npm run package did not produce kvmnet.vsix');
  mark('vsce package');

  const runDir = path.join(E2E_DIR, 'runs', 'vscode');
  fs.rmSync(runDir, { recursive: true, force: true });
  const workspace = path.join(runDir, 'workspace');
  const shotsDir = path.join(runDir, 'screenshots');
  fs.mkdirSync(workspace, { recursive: true });
  fs.copyFileSync(FIXTURE_RULESET, path.join(workspace, FILE));
  fs.writeFileSync(path.join(workspace, CRLF_FILE), CRLF_RULESET);
  fs.copyFileSync(path.join(PROJECT_ROOT, 'examples', 'etc', 'sysconfig', 'iptables'), path.join(workspace, CALLS_FILE));
  fs.writeFileSync(path.join(workspace, MESSY_FILE), MESSY);
  fs.mkdirSync(path.join(workspace, path.dirname(UNOPENED_FILE)), { recursive: true });
  fs.writeFileSync(path.join(workspace, UNOPENED_FILE), UNOPENED_RULESET);

  const server: CodeServerRun = await startCodeServer({
    runDir,
    workspace,
    settings: fs.readFileSync(path.join(FIXTURES_DIR, 'settings.json'), 'utf8'),
    extensions: [vsix],
  });
  mark('install vsix + start code-server');
  let browser: Browser | undefined;
  let allPassed = false;
  try {
    browser = await launchBrowser(runDir);
    mark('launch Chromium');
    const wb = new Workbench(browser.page, shotsDir);
    const failures: string[] = [];
    /** Runs one check as a subtest; on failure saves a screenshot named after it. */
    const step = async (name: string, fn: (st: TestContext) => Promise<void>): Promise<void> => {
      await t.test(name, async (st) => {
        try {
          await wb.guard(fn(st));
          mark(name);
        } catch (err) {
          mark(`${name} (FAILED)`);
          failures.push(name);
          const shot = await wb.screenshot(`FAILED-${name.replace(/\W+/g, '-')}`).catch(() => 'none');
          throw new Error(`${(err as Error).message}\n(screenshot: ${shot}; code-server log and user data: ${runDir})`, { cause: err });
        }
      });
    };

    await step('the workbench loads the folder and opens the ruleset in the iptables language', async () => {
      await wb.load(server.url, workspace, FILE);
      await wb.openFile(FILE);
      assert.equal((await wb.languageMode()).toLowerCase(), 'iptables');
    });

    await step('the language status says the file is read as IPv4, from its name', async () => {
      const text = await wb.languageStatus('IPv4 (iptables)');
      assert.match(text, /from the file name/);
      await wb.screenshot('vscode-family');
      await wb.closeWidgets();
    });

    await step('the Problems panel lists exactly the undefined-chain error, on the undeclared chain name', async () => {
      const rows = (await wb.problemRows('undefined-chain')).filter((r) => r.includes('undefined-chain'));
      // The Problems panel prints 1-based positions.
      const at = positionOf(MISTAKE_LINE, MISTAKE_TOKEN);
      const where = `[Ln ${at.line + 1}, Col ${at.character + 1}]`;
      assert.equal(rows.length, 1, `expected one problem, got:\n${rows.join('\n')}`);
      const row = rows[0] ?? '';
      assert.ok(row.includes(MISTAKE_TOKEN), `the message names the chain: ${row}`);
      assert.match(row, /kvmnet\(undefined-chain\)|kvmnet undefined-chain/, 'source kvmnet and code undefined-chain');
      assert.ok(row.includes(where), `expected the diagnostic at ${where} (on ${MISTAKE_TOKEN}): ${row}`);
      await wb.page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'attached' });
      await wb.screenshot('vscode-problems');
    });

    await step('the Problems panel also lists the mistake of a ruleset in the workspace that was never opened', async () => {
      assert.equal(realToolAccepts(UNOPENED_RULESET, 'ipv6').accepted, false, 'ip6tables-restore refuses the unopened ruleset');
      const rows = (await wb.problemRows('99999')).filter((r) => r.includes('bad-value'));
      assert.equal(rows.length, 1, `expected one bad-value problem, got:\n${rows.join('\n')}`);
      assert.ok(rows[0]?.includes('[Ln 3, Col 25]'), `expected it on 99999 (line 3, column 25): ${rows[0]}`);
      const header = wb.page.locator('.markers-panel .monaco-list-row', { hasText: 'rules.v6' });
      assert.ok((await header.count()) >= 1, 'the file appears in the panel under its name');
      await wb.screenshot('vscode-workspace-problems');
    });

    await step('Go to Symbol in Workspace (#) lists the chains of the ruleset that was never opened', async () => {
      await wb.page.keyboard.press('F1');
      const input = wb.quickInput();
      await input.waitFor({ state: 'visible' });
      await input.fill('#INPUT');
      const rows = wb.page.locator('.quick-input-widget .monaco-list-row');
      await rows.filter({ hasText: 'rules.v6' }).first().waitFor();
      const texts = (await rows.allInnerTexts()).map(flat);
      assert.ok(texts.some((t) => t.includes('INPUT') && t.includes('filter · iptables/rules.v6')), `expected INPUT of etc/iptables/rules.v6, got:\n${texts.join('\n')}`);
      await wb.page.keyboard.press('Escape');
      await input.waitFor({ state: 'hidden' });
    });

    await step('the rule id in the Problems panel opens the rule\'s page as a rendered preview', async () => {
      await wb.page.locator('.markers-panel .monaco-list-row').filter({ hasText: 'undefined-chain' }).first().locator('a', { hasText: 'undefined-chain' }).click();
      // The markdown preview is a webview (an iframe in an iframe); its heading is the rendered "# undefined-chain".
      const heading = wb.page.frameLocator('iframe.webview').frameLocator('iframe').locator('h1', { hasText: 'undefined-chain' });
      await heading.waitFor();
      await wb.screenshot('vscode-rule-page');
      // Back to the ruleset by its tab (keys typed now would go to the preview's frame).
      await wb.page.locator('.tabs-container .tab', { hasText: FILE }).first().click();
      await wb.editorLine(NAT_LINE).waitFor();
    });

    await step('hovering MASQUERADE shows the documentation of the target', async () => {
      const text = await wb.hoverWord(NAT_LINE, 'MASQUERADE', 'MASQUERADE');
      const rest = text.replace(/MASQUERADE/g, '').trim();
      assert.ok(rest.length >= 20, `the hover should explain the target, got: "${text}"`);
      await wb.screenshot('vscode-hover');
      await wb.closeWidgets();
    });

    await step('Expand Selection grows from the address to its option, the rule, the chain\'s rules and the table', async () => {
      const at = positionOf(NAT_LINE, '192.168.122.0/24');
      // Go to Line takes "line:column" (1-based); the caret lands inside the address.
      await wb.page.keyboard.press('Control+G');
      await wb.page.keyboard.type(`${at.line + 1}:${at.character + 4}`);
      await wb.page.keyboard.press('Enter');
      // VS Code adds its own word steps (parts of the address between dots) before the server's.
      const seen: number[] = [];
      for (const text of ['192.168.122.0/24', '-s 192.168.122.0/24', NAT_LINE]) {
        while (seen.at(-1) !== text.length) {
          assert.ok(seen.length < 10 && (seen.at(-1) ?? 0) < text.length, `Expand Selection went ${seen.join(' -> ')} characters, past "${text}" (${text.length})`);
          const before = seen.at(-1) ?? 0;
          await wb.page.keyboard.press('Shift+Alt+ArrowRight');
          seen.push(await wb.selectionLength(before));
        }
      }
      await wb.page.keyboard.press('Escape');
    });

    await step('completion after "-j " in nat POSTROUTING lists targets, MASQUERADE among them', async () => {
      await wb.caretToEndOf(NAT_LINE);
      await wb.page.keyboard.press('Enter');
      await wb.page.keyboard.type(TYPED_LINE);
      const labels = await wb.triggerCompletion('');
      assert.ok(labels.length >= 2, `expected several targets, got: ${labels.join(', ')}`);
      assert.ok(labels.every((l) => /^[A-Z][A-Z0-9_]*$/.test(l)), `after -j only target names are expected, got: ${labels.join(', ')}`);
      await wb.screenshot('vscode-completion');
      // Narrow the list to MASQUERADE (it may be below the visible rows) and accept it.
      await wb.page.keyboard.type('MASQ');
      await wb.suggestRows('MASQUERADE');
      await wb.page.keyboard.press('Enter');
      await wb.editorLine(`${TYPED_LINE}MASQUERADE`).waitFor();
    });

    await step('completion after "-i " offers the interfaces of the machine the server runs on, lo among them', async () => {
      await wb.page.keyboard.press('End');
      await wb.page.keyboard.press('Enter');
      await wb.page.keyboard.type('-A PREROUTING -i ');
      // The language server reads /sys/class/net where it runs: every Linux machine has a loopback.
      const labels = await wb.triggerCompletion('lo');
      assert.ok(labels.includes('lo'), `expected the host's loopback among the interfaces, got: ${labels.join(', ')}`);
      assert.ok(labels.includes('virbr0'), `expected the file's own virbr0 too, got: ${labels.join(', ')}`);
      await wb.screenshot('vscode-interfaces');
      await wb.page.keyboard.type('lo');
      await wb.suggestRows('lo');
      await wb.page.keyboard.press('Enter');
      await wb.editorLine('-A PREROUTING -i lo').waitFor();
    });

    await step('Enter after a whole word starts a new line, though the suggestion list shows that word (acceptSuggestionOnEnter: smart)', async () => {
      await wb.page.keyboard.press('End');
      await wb.page.keyboard.press('Enter');
      // Typed, as a user types: the list opens by itself after "-j " (smart applies to such lists, not to Ctrl+Space).
      await wb.page.keyboard.type('-A POSTROUTING -o virbr0 -j ');
      await wb.suggestRows('ACCEPT');
      await wb.page.keyboard.type('ACCEPT');
      await wb.suggestRows('ACCEPT');
      await wb.page.keyboard.press('Enter');
      await wb.page.keyboard.type('# next line');
      await wb.editorLine('# next line').waitFor();
      const typed = flatText(await wb.editorLine('-A POSTROUTING -o virbr0 -j ACCEPT').innerText());
      assert.equal(typed, '-A POSTROUTING -o virbr0 -j ACCEPT');
    });

    await step('"kvmnet: Restart Language Server" brings the server back and "kvmnet: Show Output" shows its log', async () => {
      await wb.page.keyboard.press('Escape');
      await wb.runCommand('kvmnet: Restart Language Server');
      // The channel's log file tells when the restart is over ("started" is logged at activation and
      // again after the restart); the Output view's filter shows only what was there when it was typed.
      const log = await waitForChannelLog(server, 'kvmnet', (text) => text.split('language server started').length - 1 >= 2);
      assert.match(log, /restarting the language server/);
      await wb.runCommand('kvmnet: Show Output');
      // Only the extension's own lines (they exist in no other channel, so they also prove which
      // channel is shown); the language client's log lines could push them out of view.
      const lines = await wb.filterOutput('[kvmnet]');
      await lines.filter({ hasText: 'restarting the language server' }).waitFor();
      await lines.filter({ hasText: 'language server started' }).nth(1).waitFor();
      await wb.page.keyboard.press('Escape');
      // The new server publishes the diagnostics again (the old client's diagnostics were disposed):
      // the open file's, and the one it reads from disk.
      await wb.problemRows('99999');
      const rows = await wb.problemRows('undefined-chain');
      assert.equal(rows.length, 2, `expected two problems after the restart, got:\n${rows.join('\n')}`);
    });

    await step('Peek Call Hierarchy on a chain\'s declaration lists the chains that jump to it', async () => {
      await wb.openFile(CALLS_FILE);
      const lines = fs.readFileSync(path.join(workspace, CALLS_FILE), 'utf8').split('\n');
      // Go to Line (Ctrl+G), 1-based: the declaration is below the first screen.
      await wb.page.keyboard.press('Control+G');
      await wb.page.keyboard.type(String(lines.indexOf(':LIBVIRT_FWI - [0:0]') + 1));
      await wb.page.keyboard.press('Enter');
      await wb.editorLine(':LIBVIRT_FWI - [0:0]').waitFor();
      // The panel (Problems) shares the height with the editor: hidden for the peek (Ctrl+J toggles it).
      if (await wb.page.locator('.markers-panel').isVisible()) await wb.page.keyboard.press('Control+J');
      await wb.runCommand('Peek Call Hierarchy');
      const peek = wb.page.locator('.peekview-widget', { hasText: "Callers of 'LIBVIRT_FWI'" });
      await peek.waitFor();
      const caller = peek.locator('.monaco-list-row', { hasText: 'FORWARD' }).first();
      await caller.waitFor();
      assert.match(flatText(await caller.innerText()), /FORWARD/);
      await wb.screenshot('vscode-calls');
      await wb.page.keyboard.press('Escape');
      await peek.waitFor({ state: 'detached' });
    });

    await step('Format Document tidies the blanks between words and keeps those inside quotes', async () => {
      await wb.openFile(MESSY_FILE);
      await wb.editorLine('-A').click();
      await wb.runCommand('Format Document');
      await wb.editorLine('-A INPUT -p tcp --dport 22').waitFor();
      await wb.page.keyboard.press('Control+S');
      await waitForFile(path.join(workspace, MESSY_FILE), (text) => text !== MESSY);
      assert.equal(fs.readFileSync(path.join(workspace, MESSY_FILE), 'utf8'), TIDY);
    });

    await step('a ruleset with CRLF line ends: the quick fix switches the document to LF, and the saved file has no "\\r"', async () => {
      await wb.openFile(CRLF_FILE);
      const rows = await wb.problemRows('CRLF');
      assert.equal(rows.filter((r) => r.includes('CRLF')).length, 1, `expected one CRLF problem, got:\n${rows.join('\n')}`);
      assert.equal(await wb.endOfLine(), 'CRLF');
      await wb.caretToEndOf('*filter');
      await wb.applyCodeAction('Convert to LF line endings');
      await wb.endOfLineIs('LF');
      await wb.page.locator('.markers-panel .monaco-list-row', { hasText: 'CRLF' }).first().waitFor({ state: 'detached' });
      await wb.page.keyboard.press('Control+S');
      await waitForFile(path.join(workspace, CRLF_FILE), (text) => !text.includes('\r'));
      assert.equal(fs.readFileSync(path.join(workspace, CRLF_FILE), 'utf8'), CRLF_LF);
    });

    await step('.kvmnet.json: VS Code checks it against the extension\'s schema, and the server marks a rule id it does not know', async () => {
      // Written while the workbench runs: the file watcher tells the server, which lints etc/iptables/rules.v6 with it.
      fs.writeFileSync(path.join(workspace, 'etc', 'iptables', '.kvmnet.json'), '{\n  "rules": { "unused_chain": "off" }\n}\n');
      // The server's mark comes first (the file is not open); clicking it opens the file, and VS Code's
      // JSON service checks it against the schema. (Quick Open's file list may predate the file.)
      const panel = wb.page.locator('.markers-panel');
      if (!(await panel.isVisible())) await wb.page.keyboard.press('Control+Shift+M');
      const mark = panel.locator('.monaco-list-row', { hasText: 'did you mean' }).first();
      await mark.waitFor({ timeout: 60_000 });
      await mark.click();
      await wb.page.locator('.tabs-container .tab', { hasText: '.kvmnet.json' }).first().waitFor();
      await panel.locator('.monaco-list-row', { hasText: 'is not allowed' }).first().waitFor({ timeout: 60_000 });
      const rows = await wb.problemRows('unused_chain');
      assert.ok(rows.some((r) => /unknown rule id "unused_chain"; did you mean "unused-chain"\?/.test(r) && r.includes('[Ln 2, Col 14]')), `the server's mark, got:\n${rows.join('\n')}`);
      assert.ok(rows.some((r) => /Property unused_chain is not allowed/.test(r)), `the schema's, got:\n${rows.join('\n')}`);
      await wb.screenshot('vscode-config');
    });

    allPassed = failures.length === 0;
  } finally {
    await browser?.close().catch(() => undefined);
    await server.stop();
    mark('stop Chromium and code-server');
    fs.writeFileSync(path.join(runDir, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
    t.diagnostic(`timings (ms): ${JSON.stringify(timings)}`);
  }
  // `npm test` leaves the tree as it was; KVMNET_UPDATE_SCREENSHOTS=1 refreshes the README's images.
  if (allPassed && process.env['KVMNET_UPDATE_SCREENSHOTS'] === '1') {
    fs.mkdirSync(README_IMAGES_DIR, { recursive: true });
    for (const name of README_SHOTS) fs.copyFileSync(path.join(shotsDir, `${name}.png`), path.join(README_IMAGES_DIR, `${name}.png`));
  } else if (allPassed) {
    t.diagnostic(`screenshots: ${shotsDir} (KVMNET_UPDATE_SCREENSHOTS=1 copies them into docs/images/)`);
  }
});

/** An editor line's text as shown (Monaco renders blanks as no-break spaces). */
function flatText(text: string): string {
  return text.replace(/\u00a0/g, ' ').trim();
}
