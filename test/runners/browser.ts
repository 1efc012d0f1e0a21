/** Debian's Chromium driven by playwright-core: the browser a person would open the workbench in. */
import { chromium, type Browser } from 'playwright-core';
import { ensureChromium } from './provision';

/** Flags that keep Chromium off the network (this machine has none) and quiet in a container. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
];

export async function launchChromium(): Promise<Browser> {
  return await chromium.launch({
    executablePath: ensureChromium(),
    headless: process.env['TOLOKA_HEADFUL'] !== '1',
    args: chromiumArgs,
  });
}
