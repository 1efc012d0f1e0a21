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

export async function openWorkbench(options: { env?: Record<string, string>; settings?: Record<string, unknown> } = {}): Promise<Workbench> {
  const workspace = freshWorkspace('ui');
  const server = await startCodeServer({
    workspace,
    ...(options.env ? { env: options.env } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
  });
  installExtensionInto(server.extensionsDir);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.workbenchUrl(workspace));
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.activitybar').waitFor({ state: 'visible', timeout: 60_000 });
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
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** The activity bar entry of a view container, found by its accessible label. */
export function activityBarItem(page: Page, label: string): Locator {
  return page.locator(`.activitybar .action-item a[aria-label^="${label}"], .activitybar .action-item[aria-label^="${label}"]`).first();
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

/** Opens one workbench for the enclosing `describe` and closes it after; returns a getter. */
export function useWorkbench(options: Parameters<typeof openWorkbench>[0] = {}): () => Workbench {
  let wb: Workbench | undefined;
  before(async function () {
    this.timeout(120_000);
    wb = await openWorkbench(options);
  });
  after(async () => {
    await wb?.close();
  });
  return () => {
    if (!wb) throw new Error('the workbench did not open');
    return wb;
  };
}
