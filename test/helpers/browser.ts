import { mkdirSync } from "node:fs";
import { join } from "node:path";

import { chromium, type Browser } from "playwright-core";

import { BROWSER_USER_AGENT } from "./requests";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS_DIR = join(process.cwd(), "test-artifacts", "e2e");

/** Debian's Chromium, headless in a fresh profile (Playwright's), with nothing that calls home. */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** A page that looks like an ordinary desktop Chrome (HeadlessChrome is refused as a bot: 410). */
export async function newPage(browser: Browser) {
  const context = await browser.newContext({ userAgent: BROWSER_USER_AGENT, viewport: { width: 1280, height: 900 } });
  return context.newPage();
}
