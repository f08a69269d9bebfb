/**
 * Drives the VS Code workbench served by code-server with Debian's Chromium through playwright-core.
 * Every step waits for something visible in the page (a locator), never for a fixed time.
 * Selectors were checked against VS Code 1.100.3 (../shared/recipes/vscode-e2e/NOTES.md, section 5).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { E2E_DIR } from './paths.js';

export const CHROMIUM = process.env['KVMNET_E2E_CHROMIUM'] ?? '/usr/bin/chromium';
/** For one wait inside a step; every step takes 1-2 s here, 13 s at worst on a loaded machine. */
const STEP_TIMEOUT = 20_000;

/** Collapses whitespace, for comparing what the workbench renders. */
export function flat(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export interface Browser {
  readonly page: Page;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile; its HOME is under .e2e/ so crash reports stay out of ~. */
export async function launchBrowser(runDir: string): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
  const home = path.join(E2E_DIR, 'chrome-home');
  fs.mkdirSync(home, { recursive: true });
  const profile = path.join(runDir, 'chromium-profile');
  // Playwright refuses --user-data-dir in args; launchPersistentContext(profile) is the way to pass it.
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    viewport: { width: 1280, height: 800 },
    env: { ...process.env, HOME: home },
    timeout: 60_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(STEP_TIMEOUT);
  return {
    page,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export class Workbench {
  /**
   * Rejects as soon as the workbench shows a notification about kvmnet (a server that cannot start or
   * keeps crashing), other than the one that says a `.kvmnet.json` has mistakes (a step expects it).
   */
  private readonly kvmnetNotification: Promise<never>;

  constructor(
    readonly page: Page,
    private readonly shotsDir: string,
  ) {
    fs.mkdirSync(shotsDir, { recursive: true });
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /kvmnet/i, hasNotText: /\.kvmnet\.json has/ }).first();
    this.kvmnetNotification = toast.waitFor({ timeout: 0 }).then(async () => {
      throw new Error(`the workbench shows a kvmnet notification: "${flat(await toast.innerText())}"`);
    });
    // Only guard() looks at it; without a guard running, nobody needs to hear about it.
    this.kvmnetNotification.catch(() => undefined);
  }

  /** Runs a step, failing it at once when a kvmnet notification appears instead of waiting for its timeouts. */
  guard<T>(step: Promise<T>): Promise<T> {
    return Promise.race([step, this.kvmnetNotification]);
  }

  /** Loads the workbench on a folder; ready when the explorer lists `expectedFile` (the remote is connected). */
  async load(baseUrl: string, folder: string, expectedFile: string): Promise<void> {
    await this.page.goto(`${baseUrl}/?folder=${encodeURIComponent(folder)}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.explorer-folders-view .monaco-list-row', { hasText: expectedFile }).first().waitFor({ timeout: 60_000 });
  }

  /** Opens a file with Quick Open (Ctrl+P); resolves when its editor shows text. */
  async openFile(name: string): Promise<void> {
    await this.page.locator('.monaco-workbench').click({ position: { x: 640, y: 400 } });
    await this.page.keyboard.press('Control+P');
    const input = this.quickInput();
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.tabs-container .tab', { hasText: name }).first().waitFor();
    await this.page.locator('.monaco-editor .view-lines').first().waitFor();
  }

  /** The language mode shown in the status bar for the active editor. */
  async languageMode(): Promise<string> {
    const status = this.page.locator('#status\\.editor\\.mode');
    await status.waitFor();
    return flat(await status.innerText());
  }

  /** Runs a command by its palette title (F1), e.g. "kvmnet: Restart Language Server". */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.quickInput();
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
  }

  /**
   * With the Output view showing, types `text` into its filter box; returns the rendered lines,
   * which then are only the matching ones (so none is scrolled out of view).
   */
  async filterOutput(text: string): Promise<Locator> {
    const panel = this.page.locator('.panel');
    const filter = panel.getByPlaceholder('Filter', { exact: true });
    await filter.fill(text);
    return panel.locator('.monaco-editor .view-line');
  }

  /** The end-of-line sequence shown in the status bar for the active editor ("LF" or "CRLF"). */
  async endOfLine(): Promise<string> {
    const status = this.page.locator('#status\\.editor\\.eol');
    await status.waitFor();
    return flat(await status.innerText());
  }

  /** Waits until the status bar shows `eol` as the active editor's end-of-line sequence. */
  async endOfLineIs(eol: string): Promise<void> {
    await this.page.locator('#status\\.editor\\.eol', { hasText: new RegExp(`^\\s*${eol}\\s*$`) }).waitFor();
  }

  /** Opens the quick fixes at the caret (Ctrl+.) and applies the one titled `title`. */
  async applyCodeAction(title: string): Promise<void> {
    await this.page.keyboard.press('Control+.');
    const widget = this.page.locator('.action-widget');
    const row = widget.locator('.monaco-list-row', { hasText: title }).first();
    await row.waitFor();
    // The widget takes keys, not clicks (a pointer block covers it): move the focus to the row, then Enter.
    const rows = await widget.locator('.monaco-list-row').count();
    for (let i = 0; i < rows && !/\bfocused\b/.test((await row.getAttribute('class')) ?? ''); i++) await this.page.keyboard.press('ArrowDown');
    await this.page.keyboard.press('Enter');
    await row.waitFor({ state: 'detached' });
  }

  /** Opens the Problems panel and waits for a problem row containing `text`; returns every problem row. */
  async problemRows(text: string): Promise<string[]> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    await panel.locator('.monaco-list-row', { hasText: text }).first().waitFor();
    // Rows are file headers ("rules.v4 1") and problems ("message source(code) [Ln 15, Col 25]").
    const rows = await panel.locator('.monaco-list-row').allInnerTexts();
    return rows.map(flat).filter((r) => /\[Ln \d+, Col \d+\]/.test(r));
  }

  /** The rendered editor line whose text contains `lineText`. */
  editorLine(lineText: string): Locator {
    return this.page.locator('.monaco-editor .view-line', { hasText: lineText }).first();
  }

  /**
   * Moves the mouse onto `word` in the editor line containing `lineText` and returns the hover's text
   * once the hover shows `expect`. A real mouse movement is needed: Monaco ignores a teleporting pointer.
   */
  async hoverWord(lineText: string, word: string, expect: string): Promise<string> {
    const line = this.editorLine(lineText);
    await line.waitFor();
    const text = (await line.innerText()).replace(/\u00a0/g, ' ');
    const col = text.indexOf(word);
    if (col < 0) throw new Error(`"${word}" not in line "${text}"`);
    // Monospace font: one character is the line's text width divided by its length.
    const textSpan = await line.locator('span').first().boundingBox();
    if (!textSpan) throw new Error('editor line has no box');
    const charWidth = textSpan.width / text.length;
    const x = textSpan.x + charWidth * (col + word.length / 2);
    const y = textSpan.y + textSpan.height / 2;
    await this.page.mouse.move(x - 60, y + 80);
    await this.page.mouse.move(x, y, { steps: 5 });
    const hover = this.page.locator('.monaco-hover:visible', { hasText: expect }).first();
    await hover.waitFor();
    await this.fadedIn(hover);
    return flat(await hover.innerText());
  }

  /**
   * Hovers the status bar's language status ("{}" next to the language mode) and returns the text of
   * its hover once it shows `expect` (the items extensions add for the active editor's language).
   */
  async languageStatus(expect: string): Promise<string> {
    const entry = this.page.locator('#status\\.languageStatus');
    // hover() waits until the entry is visible and stable (the status bar lays its entries out again
    // as extensions add theirs); a small move on it then gives the workbench real mouse events.
    await entry.hover();
    const box = await entry.boundingBox();
    if (!box) throw new Error('the language status has no box');
    await this.page.mouse.move(box.x + box.width / 2 + 2, box.y + box.height / 2, { steps: 3 });
    const hover = this.page.locator('.monaco-hover:visible, .workbench-hover:visible', { hasText: expect }).first();
    await hover.waitFor();
    await this.fadedIn(hover);
    return flat(await hover.innerText());
  }

  /**
   * Waits until the status bar shows a selection count ("Ln 7, Col 18 (16 selected)") other than
   * `previous`, and returns it.
   */
  async selectionLength(previous: number): Promise<number> {
    const status = this.page.locator('#status\\.editor\\.selection').filter({ hasText: /\(\d+ selected\)/ }).filter({ hasNotText: `(${previous} selected)` });
    await status.waitFor();
    return Number(/\((\d+) selected\)/.exec(await status.innerText())?.[1]);
  }

  /** Moves the caret to the end of the editor line containing `lineText`. */
  async caretToEndOf(lineText: string): Promise<void> {
    await this.editorLine(lineText).click();
    await this.page.keyboard.press('End');
  }

  /** Asks for completion at the caret (Ctrl+Space) and returns the labels of the rows shown. */
  async triggerCompletion(expectLabel: string): Promise<string[]> {
    await this.page.keyboard.press('Control+Space');
    return this.suggestRows(expectLabel);
  }

  /** Waits until the suggest widget shows a row with `expectLabel`; returns the visible rows' labels. */
  async suggestRows(expectLabel: string): Promise<string[]> {
    const widget = this.page.locator('.editor-widget.suggest-widget.visible');
    await widget.locator('.monaco-list-row', { hasText: expectLabel }).first().waitFor();
    await this.fadedIn(widget);
    return (await widget.locator('.monaco-list-row .label-name').allInnerTexts()).map(flat);
  }

  async closeWidgets(): Promise<void> {
    await this.page.mouse.move(5, 5);
    await this.page.keyboard.press('Escape');
  }

  /** Saves a screenshot of the whole window; returns its path. */
  async screenshot(name: string): Promise<string> {
    const file = path.join(this.shotsDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /**
   * Resolves when the element and all its ancestors are fully opaque. Widgets fade in, and a
   * screenshot taken during the fade shows a ghost over the code.
   */
  private async fadedIn(locator: Locator): Promise<void> {
    const element = await locator.elementHandle();
    // A string, because this runs in the page (tsconfig has no DOM types).
    await this.page.waitForFunction(
      `(el) => { for (let e = el; e; e = e.parentElement) if (getComputedStyle(e).opacity !== '1') return false; return true; }`,
      element,
    );
  }

  /** The text box of the quick input (the command palette, quick open with its "#" for workspace symbols). */
  quickInput(): Locator {
    return this.page.locator('.quick-input-widget input');
  }
}
