/**
 * Headless Chromium for the webview tests: Debian's `chromium` (or
 * CHROMIUM_PATH) driven by playwright-core (a devDependency).
 *
 * `launchChromium()` gives a browser, or the reason it cannot (no Chromium
 * binary, playwright-core not installed) for the caller to skip with; under
 * PATTERN_ATLAS_E2E=1 a missing piece throws instead.
 */
import fs from 'node:fs';
import type { Browser } from 'playwright-core';

export type { Browser, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** PATTERN_ATLAS_E2E=1: the browser tests must run, not skip. */
export const REQUIRED = process.env.PATTERN_ATLAS_E2E === '1';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

async function loadChromium(): Promise<typeof import('playwright-core').chromium | string> {
  if (!fs.existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
  try {
    return (await import('playwright-core')).chromium;
  } catch (e) {
    return `playwright-core is not installed (${(e as Error).message.split('\n')[0]})`;
  }
}

/** A headless Chromium, or the reason to skip (throws under PATTERN_ATLAS_E2E=1 instead of returning one). */
export async function launchChromium(): Promise<Browser | string> {
  const chromium = await loadChromium();
  if (typeof chromium === 'string') {
    if (REQUIRED) throw new Error(`PATTERN_ATLAS_E2E=1 but ${chromium}`);
    return chromium;
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}
