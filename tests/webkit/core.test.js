// The core cases in a third engine, WebKit (Safari's), twice: with shared memory, as Safari runs a cross-origin
// isolated page, and without, as Safari runs one that is not (see ../support/webkit.js). Every call is bounded.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { snippet } from '../../www/page/snippet.js';
import { autorun, blog } from '../support/blog.js';
import { useSite } from '../support/browser.js';
import { interpretersProblem, MODES, spawnPartsProblem } from '../support/core.js';
import { fib } from '../support/fib.js';
import { isolatedServer, plainServer } from '../support/servers.js';
import { launchWebKit } from '../support/webkit.js';

const FIB_22 = fib(22);
const IO = { requests: 3, delayMs: 20 };

/** A page of the site at `query`, once the page is ready. */
async function open(site, query = '') {
  const page = await site.browser.newPage();
  await page.goto(`${site.url}${query}`);
  await page.waitFor(() => window.threadlab && !document.querySelector('#run').disabled, 'the page was not ready');
  return page;
}

/** `window.threadlab.run(options)`: its result, or `{ error }`. */
const run = (page, options) =>
  page.evaluate((o) => window.threadlab.run(o).catch((e) => ({ error: e.message, field: e.field })), options);

/** The results table's cells, row by row. */
const cells = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('#results tbody tr')].map((row) => [...row.cells].map((c) => c.textContent)),
  );

/** Runs the form as the URL sets it, and waits for the click to end. */
async function click(page, site, query) {
  await page.goto(`${site.url}${query}&autorun=1`);
  await page.waitFor(
    () => /^(done|stopped|cancelled)/.test(document.querySelector('#status')?.textContent),
    'the click did not end',
    120_000,
  );
  return page.evaluate(() => document.querySelector('#status').textContent);
}

/** Each mode of `modes` computes or requests correctly through the API. */
async function everyMode(t, page, modes) {
  for (const mode of modes) {
    const result = await run(page, { mode, n: 22, workers: 2, repeats: 1, ...IO });
    t.diagnostic(`${mode}: ${result.error ?? `${result.wallMs.toFixed(1)} ms`}`);
    assert.equal(result.error, undefined, `${mode}: ${result.error}`);
    assert.equal(result.correct, true, mode);
    assert.match(result.env.userAgent, /AppleWebKit\/\d+/);
    if (mode === 'processes') assert.equal(spawnPartsProblem(result), null, 'the spawn, part by part');
    if (result.io) assert.equal(result.io.ok, IO.requests, mode);
    else
      assert.deepEqual(
        result.jobs.map((job) => job.value),
        [FIB_22, FIB_22],
        mode,
      );
  }
}

/** A small convoy through the API: each regime's `[regime, correct, inTurns]`, or `{ error }`. */
const convoy = (page) =>
  page.evaluate(() =>
    window.threadlab
      .convoy({ n: 20, requests: 4, repeats: 1, intervals: [] })
      .then(({ regimes }) => regimes.map((row) => [row.regime, row.correct, row.inTurns]))
      .catch((e) => ({ error: e.message })),
  );

describe('WebKit with shared memory', () => {
  const site = useSite(isolatedServer, () => launchWebKit({ sharedMemory: true }));

  test('WebKit: every mode returns correct values, with the threads build', async (t) => {
    const page = await open(site);
    assert.deepEqual(await page.evaluate(() => [crossOriginIsolated, window.threadlab.support.ok]), [true, true]);
    await everyMode(t, page, MODES);
    assert.equal(await interpretersProblem((options) => run(page, options)), null, 'interpreters at k = 1, 2, 4');
    const { env } = await run(page, { mode: 'gil', n: 20, repeats: 1 });
    assert.equal(env.build, 'threads');
    // The convoy's IO thread makes its requests blocking, from a thread of the pool.
    assert.deepEqual(await convoy(page), [
      ['alone', true, false],
      ['gil', true, false],
      ['threads', true, false],
      ['processes', true, false],
    ]);
  });

  test('WebKit: a click gives the verdicts, and its share link shows the same figures', async () => {
    const page = await open(site);
    const query =
      '?modes=single,gil,processes,io-sequential,io-concurrent&n=24&workers=2&repeats=2&requests=3&delay_ms=20';
    assert.match(await click(page, site, query), /^done/);
    const verdicts = await page.evaluate(() =>
      [...document.querySelectorAll('#verdicts .verdict h3')].map((h) => h.textContent),
    );
    assert.deepEqual(verdicts, [
      '1. IO-bound work: threads beat one thread',
      '2. CPU-bound work: processes beat threads',
      '3. CPU-bound work: one thread beats threads',
    ]);
    const mine = await cells(page);
    await page.evaluate(() => document.querySelector('#share').click());
    await page.waitFor(() => document.querySelector('#export-text').value.includes('#share=1.'), 'no share link');
    const link = await page.evaluate(() => document.querySelector('#export-text').value);
    await page.goto(link);
    await page.waitFor(() => !document.querySelector('#shared').hidden, 'the link did not open as shared');
    const shared = await cells(page);
    assert.match(shared[0][0], /^Shared with you: Safari \d+ on \d+ cores?, cross-origin isolated, threads build$/);
    assert.deepEqual(shared.slice(1), mine);
  });
});

describe('WebKit without shared memory', () => {
  const site = useSite(isolatedServer, () => launchWebKit({ sharedMemory: false }));

  test('WebKit: without shared memory the page says why threads cannot run, and runs everything else', async (t) => {
    const page = await open(site);
    const support = await page.evaluate(() => document.querySelector('#support').textContent);
    assert.match(support, /^Free threads are unavailable: this browser cannot share wasm memory between workers/);
    await everyMode(
      t,
      page,
      MODES.filter((mode) => !['threads', 'interpreters'].includes(mode)),
    );
    for (const mode of ['threads', 'interpreters']) {
      const refused = await run(page, { mode, n: 20 });
      assert.match(refused.error, new RegExp(`^${mode} is unavailable here: this browser cannot share wasm memory`));
    }
    const gil = await run(page, { mode: 'gil', n: 22, repeats: 1 });
    assert.deepEqual(
      [gil.correct, gil.env.build, gil.gil.inTurns],
      [true, 'plain', true],
      'gil in turns on one worker',
    );
    const boxes = await page.evaluate(() =>
      [...document.querySelectorAll('input[name=mode]')].filter((box) => box.disabled).map((box) => box.value),
    );
    assert.deepEqual(boxes, ['threads', 'interpreters']);
    assert.deepEqual(await convoy(page), [
      ['alone', true, false],
      ['gil', true, true],
      ['processes', true, false],
    ]);
  });

  test('WebKit: real CPython runs single and processes, with correct values', async () => {
    const page = await open(site);
    for (const mode of ['single', 'processes']) {
      const result = await run(page, { mode, engine: 'python', n: 20, workers: 2, repeats: 1 });
      assert.equal(result.error, undefined, `${mode}: ${result.error}`);
      assert.deepEqual(
        [result.correct, result.python.version.startsWith('3.14.'), result.jobs.map((job) => job.value)],
        [true, true, [6765, 6765]],
        mode,
      );
    }
  });
});

describe('WebKit: the embed snippet on another site', () => {
  const site = useSite(plainServer, () => launchWebKit({ sharedMemory: false }));

  test('WebKit: the embedded frame runs, sizes itself from its messages, and explains what it cannot do', async () => {
    const page = await site.browser.newPage();
    const parent = await blog(
      autorun(snippet(`${site.url}?n=22&workers=2&repeats=1&modes=single,threads,processes,gil`)),
    );
    try {
      await page.goto(parent.url);
      const results = () => window.messages.filter((m) => m.type === 'threadlab:result').map((m) => m.result);
      await page.waitFor(
        () => window.messages.filter((m) => m.type === 'threadlab:result').length === 3,
        'no results',
        90_000,
      );
      const ran = await page.evaluate(results);
      assert.deepEqual(
        ran.map((run) => [run.mode, run.correct]),
        [
          ['single', true],
          ['processes', true],
          ['gil', true],
        ],
      );
      await page.waitFor(() => {
        const heights = window.messages.filter((m) => m.type === 'threadlab:resize').map((m) => m.height);
        return heights.length > 0 && String(heights.at(-1)) === document.querySelector('iframe').getAttribute('height');
      }, 'the frame was not sized from its messages');
      // The page can still grow after the last result (the spawn note comes once a bare worker's start is
      // measured): the frame follows it by its next message, so it fits within a few seconds, not at once.
      const look = () =>
        page.inFrame('iframe', () => ({
          support: document.querySelector('#support').textContent,
          threads: document.querySelector('#results tr[data-mode=threads] td').textContent,
          fits: document.documentElement.scrollHeight <= innerHeight + 1,
        }));
      let inside = await look();
      for (let tries = 0; !inside.fits && tries < 25; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        inside = await look();
      }
      assert.match(inside.support, /^Free threads are unavailable: /);
      assert.match(inside.threads, /^threads is unavailable here: /);
      assert.equal(inside.fits, true, 'no scrollbar in the frame');
    } finally {
      await parent.close();
    }
  });
});
