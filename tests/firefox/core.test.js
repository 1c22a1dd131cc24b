// The core cases again in a second engine: Debian's Firefox ESR, driven through WebDriver BiDi by puppeteer-core (no
// browser is downloaded): every mode's value, both endpoints, bad inputs, cancel, a share link. Every call is
// bounded, so one that cannot succeed fails with a message instead of hanging the suite.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchFirefox, openPage, useSite } from '../support/browser.js';
import { CPU_MODES, IO_MODES, interpretersProblem, modesOf, spawnPartsProblem } from '../support/core.js';
import { fib } from '../support/fib.js';
import { isolatedServer, plainServer } from '../support/servers.js';

const site = useSite(isolatedServer, launchFirefox);
const FIB_25 = fib(25);

/** `window.threadlab.run(options)` in `page`, settled within `ms`: its result, or `{ error, field }`. */
function run(page, options, ms = 30_000) {
  const call = page.evaluate(
    (o) => window.threadlab.run(o).catch((e) => ({ error: e.message, field: e.field })),
    options,
  );
  const late = new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`${JSON.stringify(options)}: no answer within ${ms} ms`)), ms),
  );
  return Promise.race([call, late]);
}

test('Firefox: the page is cross-origin isolated, and every CPU mode computes fib(25) with the same build', async (t) => {
  const page = await openPage(site.browser, site.url);
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  for (const mode of CPU_MODES) {
    const result = await run(page, { mode, n: 25, workers: 2, repeats: 2 });
    t.diagnostic(`${mode}: ${result.error ?? `median ${result.wallMs.toFixed(1)} ms`}`);
    assert.equal(result.error, undefined, `${mode}: ${result.error}`);
    assert.deepEqual([result.correct, result.env.build], [true, 'threads'], mode);
    assert.deepEqual(
      result.jobs.map((job) => job.value),
      [FIB_25, FIB_25],
    );
    assert.match(result.env.userAgent, /Firefox\/\d+/);
  }
  assert.equal(await interpretersProblem((options) => run(page, options)), null, 'interpreters at k = 1, 2, 4');
  assert.deepEqual(page.errors, []);
});

test('Firefox: the io modes get their answers from both endpoints, the server and the service worker', async (t) => {
  const page = await openPage(site.browser, site.url);
  // The server first: the service worker then takes over a page that already has workers (this once hung Firefox).
  for (const [endpoint, servedBy] of [
    ['server', 'server'],
    ['worker', 'service-worker'],
  ]) {
    for (const mode of IO_MODES) {
      const result = await run(page, { mode, endpoint, requests: 4, delayMs: 20, repeats: 1 });
      t.diagnostic(`${mode} ${endpoint}: ${result.error ?? `${result.wallMs.toFixed(0)} ms`}`);
      assert.equal(result.error, undefined, `${mode} ${endpoint}: ${result.error}`);
      assert.deepEqual([result.correct, result.io.ok], [true, 4], `${mode} ${endpoint}`);
      assert.ok(
        result.jobs.every((job) => job.request.servedBy === servedBy),
        `${mode} ${endpoint}`,
      );
    }
  }
});

test('Firefox: bad inputs are refused with the field named, through the API and the URL', async () => {
  let page = await openPage(site.browser, site.url);
  const cases = [
    [{ mode: 'threads', worker: 8 }, 'worker', /did you mean workers\?$/],
    [{ mode: 'single', n: '40' }, 'n', /not text/],
    [{ mode: 'single', n: Infinity }, 'n', /\(got "Infinity"\)$/],
    [{ mode: 'io-concurrent', url: 'javascript:alert(1)' }, 'url', /other schemes are never requested/],
    [{ mode: 'fibers' }, 'mode', /^mode must be one of/],
  ];
  for (const [options, field, message] of cases) {
    const result = await run(page, options);
    assert.equal(result.field, field, JSON.stringify(result));
    assert.match(result.error, message);
  }
  page = await openPage(site.browser, `${site.url}?n=abc&modes=single&autorun=1`);
  await page.waitForFunction(() => /^nothing ran/.test(document.querySelector('#status').textContent), {
    timeout: 10_000,
  });
  const shown = await page.evaluate(() => document.querySelector('#field-n-error').textContent);
  assert.equal(shown, 'n must be a whole number from 0 to 45 (got "abc")');
});

test('Firefox: cancel stops a long run at once, and the next run works', async () => {
  // A cancel ends the pool, and the next run starts a new one: beside the earlier tests' pages, each holding a pool,
  // Firefox sometimes would not start it (one fresh-clone run in four here; see pool.js).
  for (const open of await site.browser.pages()) await open.close();
  const page = await openPage(site.browser, site.url);
  for (const mode of ['threads', 'processes', 'io-sequential']) {
    const long = run(page, { mode, n: 44, requests: 10, delayMs: 3000, repeats: 1 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await page.evaluate(() => window.threadlab.cancel());
    assert.equal((await long).error, 'cancelled', mode);
    const next = await run(page, { mode, n: 20, requests: 2, delayMs: 10, repeats: 1 });
    assert.equal(next.correct, true, `${mode} after cancel: ${next.error}`);
    if (mode === 'processes') assert.equal(spawnPartsProblem(next), null, 'the spawn, part by part');
  }
});

test('Firefox: on a host that sends no headers, one reload under the service worker isolates the page', async () => {
  const host = await plainServer();
  try {
    const page = await site.browser.newPage();
    let navigations = 0;
    page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations++);
    await page.goto(host.url);
    await page.waitForFunction(() => window.threadlab && !document.querySelector('#run').disabled, { timeout: 20_000 });
    assert.deepEqual([navigations, await page.evaluate(() => crossOriginIsolated)], [2, true]);
    for (const mode of ['threads', 'gil']) {
      const result = await run(page, { mode, n: 25, repeats: 1 });
      assert.deepEqual([result.error, result.correct, result.env.build], [undefined, true, 'threads'], mode);
    }
    await page.close();
  } finally {
    await host.close();
  }
});

test('Firefox: a share link made after a run shows the same figures in a fresh page, marked as shared', async () => {
  const page = await openPage(
    site.browser,
    `${site.url}?modes=single,gil,io-concurrent&n=22&repeats=2&requests=3&delay_ms=10`,
  );
  const cells = (p) =>
    p.$$eval('#results tbody tr', (rows) => rows.map((row) => [...row.cells].map((c) => c.textContent)));
  await page.click('#run');
  await page.waitForFunction(() => !document.body.classList.contains('running'), { timeout: 60_000 });
  assert.match(await page.$eval('#status', (status) => status.textContent), /^done/);
  const mine = await cells(page);
  await page.click('#share');
  await page.waitForFunction(() => document.querySelector('#export-text').value.includes('#share=1.'), {
    timeout: 10_000,
  });
  const link = await page.$eval('#export-text', (box) => box.value);
  const theirs = await openPage(site.browser, link);
  await theirs.waitForFunction(() => !document.querySelector('#shared').hidden, { timeout: 10_000 });
  const shared = await cells(theirs);
  assert.match(shared[0][0], /^Shared with you: Firefox \d+ on \d+ cores?, cross-origin isolated, threads build$/);
  assert.deepEqual(shared.slice(1), mine);
  assert.deepEqual(theirs.errors, []);
});

test('Firefox: a small scaling run completes with correct values', async () => {
  const page = await openPage(site.browser, site.url);
  const result = await Promise.race([
    page.evaluate(() =>
      window.threadlab.scaling({ n: 22, ks: [1, 2], repeats: 1 }).catch((e) => ({ error: e.message })),
    ),
    new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 60 s')), 60_000)),
  ]);
  assert.equal(result.error, undefined, result.error);
  assert.deepEqual(
    result.points.map((point) => [point.mode, point.workers, point.correct]),
    [1, 2].flatMap((k) => modesOf('scaling').map((mode) => [mode, k, true])),
  );
  assert.ok(result.points.every((point) => point.speedup === null || point.speedup > 0));
  assert.match(result.env.userAgent, /Firefox\/\d+/);
});

test('Firefox: the convoy completes with correct values in every regime, its requests made from the IO thread', async () => {
  // The earlier tests' pages each hold a pool: Firefox would not start one more beside them (see pool.js).
  for (const open of await site.browser.pages()) await open.close();
  const page = await openPage(site.browser, site.url);
  const result = await Promise.race([
    page.evaluate(() =>
      window.threadlab
        .convoy({ n: 20, requests: 6, repeats: 1, intervals: [1] })
        .then(({ regimes, sweep, words, env, runs }) => ({
          regimes,
          sweep,
          words,
          env,
          answered: runs.map((run) => run.jobs.filter((job) => job.request?.status === 200).length),
        }))
        .catch((e) => ({ error: e.message })),
    ),
    new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 60 s')), 60_000)),
  ]);
  assert.equal(result.error, undefined, result.error);
  assert.deepEqual(
    result.regimes.map((row) => [row.regime, row.correct, row.cpu?.correct ?? null]),
    [
      ['alone', true, null],
      ['gil', true, true],
      ['threads', true, true],
      ['processes', true, true],
    ],
  );
  assert.deepEqual(result.answered, [6, 6, 6, 6, 6]);
  assert.deepEqual(
    result.sweep.map((row) => row.switchMs),
    [1, 5],
  );
  assert.match(result.words[0], /^With the GIL, each request took/);
  assert.match(result.env.userAgent, /Firefox\/\d+/);
});

test('Firefox: real CPython runs single, and processes in 4 interpreters started two at a time, with correct values', async () => {
  for (const open of await site.browser.pages()) await open.close();
  const page = await openPage(site.browser, site.url);
  const python = (mode, workers) => run(page, { mode, engine: 'python', n: 20, workers, repeats: 1 }, 90_000);
  const single = await python('single', 2);
  assert.equal(single.error, undefined, single.error);
  assert.deepEqual(
    [single.correct, single.python.version.startsWith('3.14.'), single.jobs.map((job) => job.value)],
    [true, true, [6765, 6765]],
  );
  // Pyodide reports hangs in Firefox with more than two interpreters starting at once: ours start two at a time.
  const processes = await python('processes', 4);
  assert.equal(processes.error, undefined, processes.error);
  assert.deepEqual(
    processes.jobs.map((job) => [job.lane, job.value]),
    [
      [0, 6765],
      [1, 6765],
      [2, 6765],
      [3, 6765],
    ],
  );
  assert.equal(processes.correct, true);
  const threads = await python('threads', 2);
  assert.equal(threads.python.outcome, "RuntimeError: can't start new thread");
});
