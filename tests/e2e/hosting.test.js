// The built site on hosts that send no headers at all (like GitHub Pages): the service worker makes it cross-origin
// isolated after one reload, at the domain's root and under a sub-path; and where a service worker is impossible,
// everything but free threads still runs, gil as jobs taking turns on one worker, with the reason on the page.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { resultRows, useSite, waitIdle } from '../support/browser.js';
import { fib } from '../support/fib.js';
import { plainServer } from '../support/servers.js';

const root = useSite(plainServer);
const subPath = useSite(() => plainServer({ prefix: '/threadlab/' }));
const FIB_25 = fib(25);

/** Opens `url` in a fresh context, counting the main frame's navigations (the first visit's reload among them). */
async function firstVisit(site, url, contextOptions = {}) {
  const context = await site.browser.newContext(contextOptions);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  let navigations = 0;
  page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations++);
  await page.goto(url);
  await page.waitForFunction(() => window.threadlab && !document.querySelector('#run').disabled, null, {
    timeout: 20_000,
  });
  return Object.assign(page, { navigations: () => navigations, consoleErrors: errors, done: () => context.close() });
}

const cpuRuns = (page) =>
  page.evaluate(async () => {
    const run = (mode) => window.threadlab.run({ mode, n: 25, workers: 2, repeats: 1 });
    return Promise.all(['threads', 'gil'].map(async (mode) => ({ mode, ...(await run(mode)) })));
  });

test('a first visit reloads once under the service worker and ends isolated: threads and gil run', async () => {
  const page = await firstVisit(root, root.url);
  assert.equal(page.navigations(), 2, 'one reload, no more');
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  assert.equal(await page.locator('#support').isHidden(), true);
  for (const run of await cpuRuns(page)) {
    assert.deepEqual(
      [run.mode, run.correct, run.env.build, run.gil?.inTurns ?? false],
      [run.mode, true, 'threads', false],
    );
    assert.deepEqual(
      run.jobs.map((job) => job.value),
      [FIB_25, FIB_25],
    );
  }
  // The next visit is served by the service worker from the start: isolated, no reload.
  await page.goto(root.url);
  await page.waitForFunction(() => window.threadlab && !document.querySelector('#run').disabled);
  assert.deepEqual([page.navigations(), await page.evaluate(() => crossOriginIsolated)], [3, true]);
  assert.deepEqual(page.consoleErrors, []);
  await page.done();
});

test('under a sub-path (/threadlab/) the same site works, its endpoint included', async () => {
  const page = await firstVisit(
    subPath,
    `${subPath.url}?n=25&modes=threads,io-concurrent&requests=3&delay_ms=10&repeats=1&autorun=1`,
  );
  assert.equal(new URL(page.url()).pathname, '/threadlab/');
  assert.match(await waitIdle(page), /^done/);
  const rows = await resultRows(page);
  assert.deepEqual(
    rows.map((row) => [row.mode, row.cells[6]]),
    [
      ['threads', `${FIB_25} ✓`],
      ['io-concurrent', '3 ok ✓'],
    ],
  );
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope);
  assert.equal(new URL(scope).pathname, '/threadlab/');
  await page.done();
});

test('where a service worker is impossible, free threads are off with the reason; the rest runs, gil in turns', async () => {
  const page = await firstVisit(root, `${root.url}?n=25&repeats=1&requests=2&delay_ms=10&autorun=1`, {
    serviceWorkers: 'block',
  });
  assert.equal(await page.evaluate(() => crossOriginIsolated), false);
  assert.match(
    await page.locator('#support').innerText(),
    /^Free threads are unavailable: this page is not cross-origin isolated: the service worker that would isolate it could not start/,
  );
  const disabled = await page.$$eval('input[name=mode]:disabled', (boxes) => boxes.map((b) => b.value));
  assert.deepEqual(disabled, ['threads', 'interpreters']);
  const rows = await resultRows(page);
  assert.deepEqual(
    rows.slice(0, 3).map((row) => [row.mode, row.cells[0], row.cells[6]]),
    [
      ['single', 'single', `${FIB_25} ✓`],
      ['processes', 'processes', `${FIB_25} ✓`],
      ['gil', 'gil in turns on one worker', `${FIB_25} ✓`],
    ],
  );
  assert.match(rows[3].cells[1], /^the built-in endpoint needs a service worker on this host/);
  assert.match(await page.locator('#run-note').innerText(), /The jobs took turns on one worker/);
  assert.match(await page.locator('#verdicts').innerText(), /threads cannot run on this page/);
  const gil = await page.evaluate(() => window.threadlab.run({ mode: 'gil', n: 25, workers: 3, repeats: 1 }));
  assert.deepEqual(
    [gil.correct, gil.gil.inTurns, gil.env.build, new Set(gil.jobs.map((job) => job.lane)).size],
    [true, true, 'plain', 3],
  );
  await page.done();
});

test('every asset the built page names exists', async () => {
  const html = await readFile(new URL('../../dist/index.html', import.meta.url), 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="(\.\/[^"]+)"/g)].map((match) => match[1]);
  assert.ok(assets.length >= 2, assets.join(' '));
  for (const asset of assets) {
    const response = await fetch(new URL(asset, root.url));
    assert.equal(response.status, 200, asset);
  }
});
