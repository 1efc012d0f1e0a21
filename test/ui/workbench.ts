/**
 * A real workbench for UI tests: code-server with this extension installed as a user would
 * have it, opened in Chromium. Helpers act as a person would: click, type, read the screen.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../runners/browser';
import { startCodeServer, type RunningCodeServer } from '../runners/codeServer';
import { installExtensionInto } from '../runners/install';
import { artifactsDir, freshWorkspace } from '../runners/workspace';

/** Open pages, shared with the UI runner (each test file is bundled on its own) for failure screenshots. */
const openPages: Set<Page> = ((globalThis as { __tolokaPages?: Set<Page> }).__tolokaPages ??= new Set<Page>());

export interface Workbench {
  readonly page: Page;
  readonly server: RunningCodeServer;
  readonly workspace: string;
  close(): Promise<void>;
}

export async function openWorkbench(options: { env?: Record<string, string>; settings?: Record<string, unknown>; files?: Record<string, string>; otherExtensions?: string[] } = {}): Promise<Workbench> {
  const workspace = freshWorkspace('ui');
  // Files a test needs are there before the workbench opens, as in a real project.
  for (const [name, text] of Object.entries(options.files ?? {})) fs.writeFileSync(path.join(workspace, name), text);
  const server = await startCodeServer({
    workspace,
    ...(options.env ? { env: options.env } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
  });
  installExtensionInto(server.extensionsDir);
  // Other extensions a user might have installed beside it (test fixtures, plain folders).
  for (const dir of options.otherExtensions ?? []) {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
    fs.cpSync(dir, path.join(server.extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`), { recursive: true });
  }
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.workbenchUrl(workspace));
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.activitybar').waitFor({ state: 'visible', timeout: 60_000 });
    // The remote extension host registers extensions' contributions a few seconds after the
    // workbench shows; menus and the palette opened before then lack them.
    await activityBarItem(page, 'Toloka').waitFor({ state: 'visible', timeout: 60_000 });
    // A fresh profile on a workspace with Toloka files: the extension activates and, on its
    // first run, shows its view. Waiting for that keeps later clicks from racing it.
    await page.locator('.part.sidebar .composite.title', { hasText: /toloka/i }).waitFor({ state: 'visible', timeout: 60_000 });
    const opened = browser;
    openPages.add(page);
    return {
      page,
      server,
      workspace,
      async close() {
        openPages.delete(page);
        await opened.close().catch(() => undefined);
        await server.stop();
        fs.rmSync(server.userDataDir, { recursive: true, force: true });
        fs.rmSync(server.extensionsDir, { recursive: true, force: true });
        fs.rmSync(workspace, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw err;
  }
}

/** Keeps a PNG of what a person would see, under artifacts/ui/. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(artifactsDir('ui'), `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Runs a command from the command palette by its title, as a person would. */
export async function runFromPalette(page: Page, title: string): Promise<void> {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 5 } }).catch(() => undefined);
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  // A query typed while commands are still being registered is answered from a stale list
  // and not refreshed; typing it again asks afresh.
  for (let attempt = 0; ; attempt++) {
    await input.fill(`>${title}`);
    if (await row.waitFor({ state: 'visible', timeout: 2000 }).then(() => true, () => false)) break;
    if (attempt >= 10) throw new Error(`the command palette never listed "${title}"`);
    await input.fill('>');
  }
  await page.keyboard.press('Enter');
}

/**
 * Opens a quick pick with `keys` and chooses the row showing `row`, typed as `text`. The side
 * bar's title is clicked first: a focused webview keeps the keyboard to itself.
 */
async function chooseInQuickPick(page: Page, keys: readonly string[], text: string, row: string): Promise<void> {
  await page.locator('.part.sidebar .composite.title').click();
  for (const k of keys) await page.keyboard.press(k);
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(text);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: row }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** Developer: Reload Window, which saves the workbench's state as it shuts down (a page reload may not). */
export async function reloadWindow(page: Page): Promise<void> {
  await chooseInQuickPick(page, ['F1'], '>Developer: Reload Window', 'Developer: Reload Window');
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
}

/** Preferences: Color Theme (Ctrl+K Ctrl+T), choosing `theme` by name. */
export async function chooseColorTheme(page: Page, theme: string): Promise<void> {
  await chooseInQuickPick(page, ['Control+K', 'Control+T'], theme, theme);
}

/** The activity bar entry of a view container, found by its accessible label. */
export function activityBarItem(page: Page, label: string): Locator {
  return page.locator(`.activitybar .action-item a[aria-label^="${label}"], .activitybar .action-item[aria-label^="${label}"]`).first();
}

/**
 * Shows the Toloka side bar unless it is on screen already. Clicking the activity bar entry of
 * the container that is showing hides it, so the side bar's title is checked, not a row that
 * may still be loading.
 */
export async function showTolokaView(page: Page): Promise<void> {
  const title = await page.locator('.part.sidebar .composite.title').innerText({ timeout: 2_000 }).catch(() => '');
  if (!/toloka/i.test(title)) await activityBarItem(page, 'Toloka').click();
  await page.locator('.part.sidebar .composite.title', { hasText: /toloka/i }).waitFor({ state: 'visible', timeout: 30_000 });
}

/**
 * Right-clicks a row and chooses a context-menu entry. VS Code ignores a click that comes
 * right after the menu opens, so the entry is focused by hovering and chosen with Enter.
 */
export async function chooseFromContextMenu(page: Page, row: Locator, entry: string): Promise<void> {
  await row.click({ button: 'right' });
  const item = page.getByRole('menuitem', { name: entry });
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  await item.hover();
  await page.keyboard.press('Enter');
  await item.waitFor({ state: 'hidden', timeout: 10_000 });
}

type WorkbenchOptions = Parameters<typeof openWorkbench>[0];

/**
 * Opens one workbench for the enclosing `describe` and closes it after; returns a getter.
 * Options may be a function, read when the workbench opens (after earlier `before` hooks).
 */
export function useWorkbench(options: WorkbenchOptions | (() => WorkbenchOptions) = {}): () => Workbench {
  let wb: Workbench | undefined;
  before(async function () {
    this.timeout(120_000);
    wb = await openWorkbench(typeof options === 'function' ? options() : options);
  });
  after(async () => {
    await wb?.close();
  });
  return () => {
    if (!wb) throw new Error('the workbench did not open');
    return wb;
  };
}
