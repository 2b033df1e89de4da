import { existsSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); Playwright never downloads a browser here. */
export const CHROMIUM = '/usr/bin/chromium';

/** Where the browser specs save their screenshots (git-ignored). */
export const SCREENSHOTS_DIR = resolve(__dirname, '..', 'screenshots');

/**
 * Why the browser specs cannot run, or `undefined` when they can. Only a developer machine
 * without Chromium skips; under CI (`CI` set) a missing browser fails instead, so that a broken
 * install step cannot pass as green.
 */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM) || process.env['CI']) return undefined;
  return `${CHROMIUM} is not installed (apt-get install chromium); CI is not set, so the browser specs are skipped`;
}

/**
 * `describe` when the browser specs can run; otherwise one skipped test whose title says why,
 * and the reason on the console.
 */
export function describeInBrowser(name: string, body: () => void): void {
  const reason = browserSkipReason();
  if (reason === undefined) return describe(name, body);
  console.warn(`${name}: skipped, ${reason}`);
  describe(name, () => it.skip(`skipped: ${reason}`, () => undefined));
}

/** Headless Chromium, with the flags this closed network needs (no background connections). */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); .ci/run does`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** The path of a screenshot file named `name`.png, creating the folder. */
export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  return join(SCREENSHOTS_DIR, `${name}.png`);
}
