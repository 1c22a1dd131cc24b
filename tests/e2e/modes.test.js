// Every mode, on the built site served with COOP/COEP (vite preview), in real headless Chromium.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLOCK_RESOLUTION_MS, openPage, resultRows, runForm, useSite, waitIdle } from '../support/browser.js';
import { CPU_MODES, MODES, modesOf, spawnPartsProblem } from '../support/core.js';
import { fib } from '../support/fib.js';
import { isolatedServer } from '../support/servers.js';

const FIB_25 = fib(25);
const site = useSite(isolatedServer);

test('the page is cross-origin isolated and offers every mode', async () => {
  const page = await openPage(site.browser, site.url);
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  assert.equal(await page.locator('#support').isHidden(), true);
  const enabled = await page.$$eval('input[name=mode]:not(:disabled)', (boxes) => boxes.map((b) => b.value));
  assert.deepEqual(enabled, MODES);
});

test('each mode computes fib(25) twice through window.threadlab.run, with the same compiled code', async (t) => {
  const page = await openPage(site.browser, site.url);
  for (const mode of CPU_MODES) {
    const run = await page.evaluate((mode) => window.threadlab.run({ mode, n: 25, workers: 2 }), mode);
    t.diagnostic(`${mode}: wall ${run.wallMs.toFixed(1)} ms, spawn ${run.spawnMs?.toFixed(1) ?? '-'} ms`);
    assert.equal(run.mode, mode);
    assert.equal(run.correct, true);
    assert.deepEqual(
      run.jobs.map((job) => job.value),
      [FIB_25, FIB_25],
    );
    // Where threads can run, every CPU mode computes with the threads build: the same compiled code.
    assert.equal(run.env.build, 'threads');
    assert.equal(run.env.crossOriginIsolated, true);
    assert.ok(run.env.hardwareConcurrency >= 1 && run.env.userAgent.includes('Chrome'));
    const lanes = new Set(run.jobs.map((job) => job.lane));
    assert.equal(lanes.size, mode === 'single' ? 1 : 2, `${mode} lanes`);
    // A job's stamps come from its own thread's clock, the run's from the calling thread's: each reads the common
    // clock through its own performance.timeOrigin, coarsened to 5 µs, so they can disagree by that much.
    for (const job of run.jobs) {
      const inside =
        run.started - CLOCK_RESOLUTION_MS <= job.start &&
        job.start <= job.end &&
        job.end <= run.ended + CLOCK_RESOLUTION_MS;
      assert.ok(inside, `${mode} job inside the run: ${JSON.stringify([run.started, job.start, job.end, run.ended])}`);
    }
    if (['processes', 'interpreters'].includes(mode))
      assert.equal(spawnPartsProblem(run), null, `${mode}: the spawn, part by part`);
    else assert.equal(run.spawnMs, null, `${mode} starts nothing inside its run`);
  }
  assert.deepEqual(page.errors, []);
});

test('interpreters: the right values at k = 1, 2 and 4, in hosts kept running, their start shown apart', async () => {
  const context = await site.browser.newContext();
  // Every worker the page makes, stamped on the common clock.
  await context.addInitScript(() => {
    window.workersMade = [];
    const Made = window.Worker;
    window.Worker = class extends Made {
      constructor(url, options) {
        super(url, options);
        window.workersMade.push({ at: performance.timeOrigin + performance.now(), name: options?.name });
      }
    };
  });
  const page = await openPage(context, site.url);
  const hosts = () => page.evaluate(() => window.workersMade.filter((w) => /^interpreter host/.test(w.name)).length);
  let pool = 0;
  for (const k of [1, 2, 4, 4]) {
    const run = await page.evaluate(
      (k) => window.threadlab.run({ mode: 'interpreters', n: 22, workers: k, repeats: 2 }),
      k,
    );
    assert.deepEqual(
      run.jobs.map((job) => [job.lane, job.value]),
      Array.from({ length: k }, (_, i) => [i, fib(22)]),
      `k = ${k}`,
    );
    assert.equal(run.correct, true);
    const during = await page.evaluate(
      ([from, to]) => window.workersMade.filter(({ at }) => at >= from && at <= to).length,
      [run.started, run.ended],
    );
    assert.equal(during, 0, `k = ${k}: no worker is made while the interpreters run`);
    // The pool grows to k hosts, before the warm-up's timer, and keeps them: the second k = 4 starts none.
    pool = Math.max(pool, k);
    assert.equal(await hosts(), pool, `k = ${k}: hosts started`);
    assert.equal(spawnPartsProblem(run), null, `k = ${k}: the instances' start, apart`);
    assert.ok(run.spawnMs > 0 && run.spawnMs < run.wallMs, `k = ${k}: start ${run.spawnMs} of ${run.wallMs} ms`);
  }
  await context.close();
});

test('an interpreter host that dies between runs is replaced: the next interpreters run starts one and is right', async () => {
  const page = await openPage(site.browser, site.url);
  const interpreters = () =>
    page.evaluate(() => window.threadlab.run({ mode: 'interpreters', n: 22, workers: 2, repeats: 1 }));
  // The page's live hosts, as the browser counts them (a terminated worker closes).
  const hosts = () => page.workers().filter((worker) => /\/interpreter-[^/]*\.js$/.test(worker.url()));
  const until = async (count) => {
    for (const deadline = Date.now() + 10_000; hosts().length !== count; await page.waitForTimeout(20))
      if (Date.now() > deadline) throw new Error(`${hosts().length} hosts, not ${count}, after 10 s`);
  };
  assert.equal((await interpreters()).correct, true);
  await until(2);
  const [victim, survivor] = hosts();
  // An error no one catches, as a crashing host would raise: the page's Worker reports it, the lab drops the host.
  const closed = new Promise((resolve, reject) => {
    victim.once('close', resolve);
    setTimeout(() => reject(new Error('the host that failed was not dropped within 10 s')), 10_000);
  });
  await victim.evaluate(() =>
    setTimeout(() => {
      throw new Error('boom');
    }),
  );
  await closed;
  assert.deepEqual(hosts(), [survivor]);
  const run = await interpreters();
  assert.deepEqual(
    run.jobs.map((job) => job.value),
    [fib(22), fib(22)],
  );
  await until(2);
  assert.ok(hosts().includes(survivor) && !hosts().includes(victim), 'the survivor kept, one new host started');
  assert.deepEqual(page.errors, []);
});

test('repeats: one untimed warm-up, then the median run with every repeat figure', async () => {
  const page = await openPage(site.browser, site.url);
  for (const mode of CPU_MODES) {
    const run = await page.evaluate((mode) => window.threadlab.run({ mode, n: 22, workers: 2, repeats: 3 }), mode);
    const { count, samples, wallMs, warmupMs, spawnMs } = run.repeats;
    assert.equal(count, 3, mode);
    assert.equal(samples.length, 3, mode);
    assert.ok(wallMs.min <= wallMs.median && wallMs.median <= wallMs.max, `${mode}: ${JSON.stringify(wallMs)}`);
    assert.deepEqual([wallMs.min, wallMs.max], [Math.min(...samples), Math.max(...samples)], mode);
    assert.ok(
      samples.includes(wallMs.median) && run.wallMs === wallMs.median,
      `${mode}: the run shown is the median one`,
    );
    assert.ok(Number.isFinite(warmupMs) && warmupMs > 0, `${mode} warm-up ${warmupMs}`);
    if (['processes', 'interpreters'].includes(mode)) {
      assert.ok(spawnMs.min <= spawnMs.median && spawnMs.median <= spawnMs.max, JSON.stringify(spawnMs));
      assert.ok(
        run.jobs.every((job) => job.spans[0].kind === 'spawn-worker' && job.value === 17711),
        'spawn spans, and the value single gets',
      );
    } else {
      assert.equal(spawnMs, undefined, mode);
    }
  }
  const [one, many] = await page.evaluate(() =>
    Promise.all([
      window.threadlab.run({ mode: 'single', n: 10, repeats: 1 }),
      window.threadlab.run({ mode: 'single', n: 10, repeats: 7 }),
    ]),
  );
  assert.deepEqual([one.repeats.count, many.repeats.count, many.repeats.samples.length], [1, 7, 7]);
});

test('each mode computes fib(25) twice through the page, and the URL runs it', async (t) => {
  const page = await openPage(site.browser, `${site.url}?n=25&workers=2&modes=${CPU_MODES.join(',')}&autorun=1`);
  const status = await waitIdle(page);
  assert.match(status, /^done/);
  const rows = await resultRows(page);
  assert.deepEqual(
    rows.map((row) => row.mode),
    CPU_MODES,
  );
  for (const row of rows) {
    t.diagnostic(row.cells.join(' | '));
    assert.equal(row.cells[6], `${FIB_25} ✓`);
    assert.equal(row.cells[1], 'fib(25) × 2');
  }
  await page.waitForFunction(() => !document.querySelector('#charts').hidden);
  assert.equal(await page.locator('#charts').isVisible(), true);
});

test("with no parameters every mode is picked, with the article's numbers", async () => {
  const page = await openPage(site.browser, site.url);
  const picked = await page.$$eval('input[name=mode]:checked', (boxes) => boxes.map((b) => b.value));
  assert.deepEqual(picked, modesOf('article'));
  const values = await page.$$eval('#fields input', (inputs) =>
    Object.fromEntries(inputs.map((i) => [i.name, i.value])),
  );
  assert.deepEqual([values.n, values.workers, values.repeats, values.requests], ['40', '2', '3', '10']);
  assert.equal(await page.locator('#charts').isHidden(), true, 'no empty chart before a run');
});

test('the thread pool starts while the page is idle, before any run, and is shown apart', async () => {
  const page = await openPage(site.browser, site.url);
  await page.waitForFunction(() => document.querySelector('#pool-note').textContent !== '');
  assert.match(
    await page.locator('#pool-note').innerText(),
    /^A pool of 2 threads started in [\d.]+ ms, before any run/,
  );
  const run = await page.evaluate(() => window.threadlab.run({ mode: 'threads', n: 20, workers: 2, repeats: 1 }));
  assert.equal(run.spawnMs, null);
  // Another number of threads re-sizes the pool, again outside the run.
  const four = await page.evaluate(() => window.threadlab.run({ mode: 'gil', n: 20, workers: 4, repeats: 1 }));
  assert.deepEqual([four.correct, four.spawnMs, new Set(four.jobs.map((job) => job.lane)).size], [true, null, 4]);
  assert.match(await page.locator('#pool-note').innerText(), /^A pool of 4 threads started/);
});

test('the controls write the URL, so it can be shared', async () => {
  const page = await openPage(site.browser, site.url);
  // Without settings in the URL they are closed: the visitor opens them.
  assert.equal(await page.locator('#settings').isHidden(), true);
  await page.click('#change-settings');
  await page.fill('#field-n', '27');
  await page.uncheck('input[value=processes]');
  const search = new URLSearchParams(await page.evaluate(() => location.search));
  assert.equal(search.get('n'), '27');
  assert.equal(
    search.get('modes'),
    modesOf('article')
      .filter((mode) => mode !== 'processes')
      .join(','),
  );
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
  assert.deepEqual(
    rows.map((row) => row.cells[6]),
    ['6765 ✓', '6765 ✓'],
  );
});

test('a worker that dies mid-run is reported, and the next mode runs', async () => {
  const page = await openPage(
    site.browser,
    `${site.url}?n=20&workers=2&modes=io-workers,single&requests=2&delay_ms=3000&repeats=1`,
  );
  await page.click('#run');
  // While its requests wait for their answers, an io worker is idle: make it fail there, as a crashing worker would.
  await page.waitForFunction(() => /running io-workers/.test(document.querySelector('#status').textContent));
  const victim = () => page.workers().find((worker) => worker.url().includes('process-plain'));
  while (!victim()) await page.waitForTimeout(20);
  await victim().evaluate(() =>
    setTimeout(() => {
      throw new Error('boom');
    }),
  );
  assert.match(await waitIdle(page), /^done/);
  const [single, ioWorkers] = await resultRows(page); // the form runs modes in the picker's order
  assert.equal(ioWorkers.className, 'failed');
  assert.match(ioWorkers.cells[1], /^io worker \d died: .*boom/);
  assert.equal(single.cells[6], '6765 ✓');
});

test('a worker whose script cannot load is reported, and the page still runs', async () => {
  const page = await openPage(site.browser, `${site.url}?n=20&workers=2&modes=processes&repeats=1`);
  await page.route(/process-threads-.*\.js$/, (route) => route.abort());
  await runForm(page);
  let [row] = await resultRows(page);
  assert.equal(row.className, 'failed');
  assert.match(row.cells[1], /^process \d died: its script failed to load/);
  await page.unroute(/process-threads-.*\.js$/);
  await runForm(page);
  row = (await resultRows(page))[1];
  assert.equal(row.cells[6], '6765 ✓');
});
