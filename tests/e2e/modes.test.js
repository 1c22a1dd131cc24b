// Every mode, on the built site served with COOP/COEP (vite preview), in real headless Chromium.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, resultRows, runForm, waitIdle, useSite } from '../support/browser.js';
import { isolatedServer } from '../support/servers.js';

const MODES = ['single', 'threads', 'processes', 'gil'];
const FIB_25 = 75025;
const site = useSite(isolatedServer);

test('the page is cross-origin isolated and offers every mode', async () => {
  const page = await openPage(site.browser, site.url);
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  assert.equal(await page.locator('#support').isHidden(), true);
  const enabled = await page.$$eval('input[name=mode]:not(:disabled)', (boxes) => boxes.map((b) => b.value));
  assert.deepEqual(enabled, [...MODES, 'io-sequential', 'io-concurrent', 'io-workers']);
});

test('each mode computes fib(25) twice through window.threadlab.run', async (t) => {
  const page = await openPage(site.browser, site.url);
  for (const mode of MODES) {
    const run = await page.evaluate((mode) => window.threadlab.run({ mode, n: 25, workers: 2 }), mode);
    t.diagnostic(`${mode}: wall ${run.wallMs.toFixed(1)} ms, spawn ${run.spawnMs?.toFixed(1) ?? '-'} ms`);
    assert.equal(run.mode, mode);
    assert.equal(run.correct, true);
    assert.deepEqual(run.jobs.map((job) => job.value), [FIB_25, FIB_25]);
    assert.equal(run.env.build, mode === 'threads' || mode === 'gil' ? 'threads' : 'plain');
    assert.equal(run.env.crossOriginIsolated, true);
    assert.ok(run.env.hardwareConcurrency >= 1 && run.env.userAgent.includes('Chrome'));
    const lanes = new Set(run.jobs.map((job) => job.lane));
    assert.equal(lanes.size, mode === 'single' ? 1 : 2, `${mode} lanes`);
    for (const job of run.jobs) {
      assert.ok(run.started <= job.start && job.start <= job.end && job.end <= run.ended, `${mode} job inside the run`);
    }
    if (mode === 'processes') assert.ok(run.jobs.every((job) => job.spans[0].kind === 'spawn') && run.spawnMs > 0);
  }
  assert.deepEqual(page.errors, []);
});

test('each mode computes fib(25) twice through the page, and the URL runs it', async (t) => {
  const page = await openPage(site.browser, `${site.url}?n=25&workers=2&modes=${MODES.join(',')}&autorun=1`);
  const status = await waitIdle(page);
  assert.match(status, /^done/);
  const rows = await resultRows(page);
  assert.deepEqual(rows.map((row) => row.mode), MODES);
  for (const row of rows) {
    t.diagnostic(row.cells.join(' | '));
    assert.equal(row.cells[6], `${FIB_25} ✓`);
    assert.equal(row.cells[1], 'fib(25) × 2');
  }
  assert.equal(await page.locator('#charts').isVisible(), true);
});

test('the controls write the URL, so it can be shared', async () => {
  const page = await openPage(site.browser, site.url);
  await page.fill('#field-n', '27');
  await page.uncheck('input[value=processes]');
  const search = new URLSearchParams(await page.evaluate(() => location.search));
  assert.equal(search.get('n'), '27');
  assert.equal(search.get('modes'), 'single,threads');
});

test('a long run can be cancelled, and the page runs again afterwards', async () => {
  const page = await openPage(site.browser, `${site.url}?n=45&workers=2&modes=single,threads`);
  await page.click('#run');
  await page.waitForFunction(() => /running/.test(document.querySelector('#status').textContent));
  await page.click('#cancel');
  assert.equal(await waitIdle(page, 10_000), 'cancelled');
  assert.equal((await resultRows(page)).length, 0);

  await page.fill('#field-n', '20');
  assert.match(await runForm(page), /^done/);
  const rows = await resultRows(page);
  assert.deepEqual(rows.map((row) => row.cells[6]), ['6765 ✓', '6765 ✓']);
});

test('a worker that dies mid-run is reported, and the next mode runs on a fresh one', async () => {
  const page = await openPage(site.browser, `${site.url}?n=42&workers=2&modes=single,processes`);
  await page.click('#run');
  // While its processes compute, the conductor idles: make it fail there, as a crashing worker would.
  await page.waitForFunction(() => /running processes/.test(document.querySelector('#status').textContent));
  const conductor = page.workers().find((worker) => worker.url().includes('conductor'));
  await conductor.evaluate(() => setTimeout(() => { throw new Error('boom'); }));
  assert.match(await waitIdle(page), /^done/);
  const [single, processes] = await resultRows(page); // the form runs modes in the picker's order
  assert.equal(processes.className, 'failed');
  assert.match(processes.cells[1], /^the conductor worker stopped: .*boom/);
  assert.equal(single.cells[6], '267914296 ✓');
});
