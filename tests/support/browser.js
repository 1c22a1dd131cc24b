// Debian's Chromium, headless, driven by playwright-core, and Debian's Firefox ESR, driven through WebDriver BiDi by
// puppeteer-core: neither ever downloads a browser. The helpers below use only calls both drivers share.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  // Without these Chromium keeps dialling Google's services, which a closed network refuses.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Each worker reads the common clock through its own performance.timeOrigin, and Chromium coarsens timestamps to
// 5 µs in an isolated page: stamps from two threads can disagree by that much.
export const CLOCK_RESOLUTION_MS = 0.02;

export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ARGS });
}

/**
 * Chromium with a normal profile, like a visitor's window: unlike a fresh context (private, like incognito), it
 * lets a page embedded from another site keep its partitioned storage and service worker.
 */
export async function launchProfile(contextOptions = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'threadlab-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ARGS,
    ...contextOptions,
  });
  const close = context.close.bind(context);
  return Object.assign(context, {
    close: async () => {
      await close();
      await rm(dir, { recursive: true, force: true });
    },
  });
}

export function launchFirefox() {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
    headless: true,
  });
}

/**
 * A new page of `browser` (or of a browser context) that records uncaught page errors, once the page is ready, or
 * has started the run its URL asks for (`autorun=1`: the caller waits for its end, as long as that run needs).
 */
export async function openPage(browser, url) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.errors = errors;
  await page.goto(url);
  await page.waitForFunction(
    () => window.threadlab && (!document.querySelector('#run').disabled || document.body.classList.contains('running')),
  );
  return page;
}

/** Submits the form and waits until the run is over; returns the status line. */
export async function runForm(page) {
  await page.click('#run');
  return waitIdle(page);
}

export async function waitIdle(page, timeout = 60_000) {
  await page.waitForFunction(() => !document.body.classList.contains('running'), null, { timeout });
  return page.locator('#status').innerText();
}

export function resultRows(page) {
  return page.$$eval('#results tbody tr', (rows) =>
    rows.map((row) => ({
      mode: row.dataset.mode,
      className: row.className,
      cells: [...row.cells].map((c) => c.textContent),
    })),
  );
}

/** Registers a served site and a browser for the test file: `site.url` and `site.browser` once `before` ran. */
export function useSite(serve, launchBrowser = launch) {
  const site = {};
  before(async () => {
    site.server = await serve();
    site.url = site.server.url;
    site.browser = await launchBrowser();
  });
  after(async () => {
    await site.browser?.close();
    await site.server?.close();
  });
  return site;
}
