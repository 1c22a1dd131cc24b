// The io modes in real Chromium: against the preview server's endpoint (Vite middleware), against the service
// worker's endpoint on a bare static host, and against URLs that fail.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, resultRows, runForm, useSite, waitIdle } from '../support/browser.js';
import { isolatedServer, plainServer } from '../support/servers.js';

const preview = useSite(isolatedServer);
const staticHost = useSite(plainServer);
const K = 10;
const D = 100;

const run = (page, options) => page.evaluate((o) => window.threadlab.run(o), { requests: K, delayMs: D, ...options });

/** Runs the three io modes with K requests of D ms and checks what the experiment is about. */
async function assertOverlap(t, page, servedBy, extra = {}) {
  const jobsOf = {};
  for (const mode of ['io-sequential', 'io-concurrent', 'io-workers']) {
    const result = await run(page, { mode, workers: K, ...extra });
    jobsOf[mode] = result.jobs;
    t.diagnostic(
      `${servedBy} ${mode}: ${result.wallMs.toFixed(0)} ms${result.io.waves ? `, ${result.io.waves} wave(s)` : ''}`,
    );
    assert.equal(result.correct, true, JSON.stringify(result.io));
    assert.deepEqual([result.io.ok, result.io.failed], [K, 0]);
    assert.ok(
      result.jobs.every((job) => job.request.status === 200 && job.request.servedBy === servedBy),
      mode,
    );
    assert.deepEqual(
      result.jobs.map((job) => job.lane),
      [...Array(K).keys()],
    );
  }
  // One after another: each request goes out once the one before has its answer.
  const flights = (mode) => jobsOf[mode].map((job) => job.spans.find((span) => span.kind === 'request'));
  for (const [before, after] of flights('io-sequential')
    .map((flight, i, all) => [all[i - 1], flight])
    .slice(1)) {
    assert.ok(before.end <= after.start, `io-sequential: ${JSON.stringify([before, after])}`);
  }
  // io-concurrent sends them all from one loop before it awaits any answer.
  const concurrent = flights('io-concurrent');
  const lastSent = Math.max(...concurrent.map((span) => span.start));
  assert.ok(lastSent < Math.min(...concurrent.map((span) => span.end)), 'io-concurrent: a request went out late');
  // io-workers' fresh workers start one after another, each sending as it is ready: some are in flight together.
  const workers = flights('io-workers');
  const together = workers.some((a, i) => workers.some((b, j) => i !== j && a.start < b.end && b.start < a.end));
  assert.ok(together, 'io-workers: no two requests were in flight at once');
}

test('the preview server answers the built-in endpoint, and waiting overlaps', async (t) => {
  const page = await openPage(preview.browser, preview.url);
  await assertOverlap(t, page, 'server');
  const concurrent = await run(page, { mode: 'io-concurrent' });
  assert.ok(concurrent.io.waves >= 1);
});

test('the service worker answers the built-in endpoint when asked to, with no cap on connections', async (t) => {
  const page = await openPage(preview.browser, preview.url);
  await assertOverlap(t, page, 'service-worker', { endpoint: 'worker' });
  const concurrent = await run(page, { mode: 'io-concurrent', endpoint: 'worker' });
  assert.equal(concurrent.io.waves, 1);
});

test('on a static host the service worker answers, unasked', async (t) => {
  const page = await openPage(staticHost.browser, staticHost.url);
  await assertOverlap(t, page, 'service-worker');
});

test('the endpoint rejects a bad delay with 400, from the server and from the service worker', async () => {
  const response = await fetch(`${preview.url}api/users/octocat?delay_ms=-5`);
  assert.equal(response.status, 400);
  assert.match((await response.json()).error, /^delay_ms must be a whole number from 0 to 10000/);
  const ok = await fetch(`${preview.url}api/users/octocat?delay_ms=0`);
  assert.deepEqual(
    [ok.status, (await ok.json()).login, ok.headers.get('x-threadlab-endpoint')],
    [200, 'octocat', 'server'],
  );

  const page = await openPage(staticHost.browser, staticHost.url);
  await run(page, { mode: 'io-sequential', requests: 1, delayMs: 0 }); // registers the service worker
  const answer = await page.evaluate(async () => {
    const r = await fetch('api/users/octocat?delay_ms=-5&via=worker');
    return { status: r.status, by: r.headers.get('x-threadlab-endpoint'), body: await r.json() };
  });
  assert.deepEqual([answer.status, answer.by], [400, 'service-worker']);
  assert.match(answer.body.error, /^delay_ms must be a whole number/);
});

test('a closed port and a missing path fail per request with a message, and the page stays usable', async (t) => {
  const closed = 'http://127.0.0.1:9/';
  const missing = `${preview.url}api/missing`;
  const page = await openPage(
    preview.browser,
    `${preview.url}?modes=io-concurrent&requests=3&url=${encodeURIComponent(closed)}&autorun=1`,
  );
  assert.match(await waitIdle(page), /^done/);
  let [row] = await resultRows(page);
  t.diagnostic(row.cells.join(' | '));
  assert.equal(row.className, 'wrong');
  assert.match(row.cells[6], /^0 ok · 3 failed: no answer \(.*\): the connection was refused/);

  await page.fill('#field-url', missing);
  assert.match(await runForm(page), /^done/);
  row = (await resultRows(page))[1];
  assert.match(row.cells[6], /^0 ok · 3 failed: HTTP 404/);

  await page.fill('#field-url', '');
  assert.match(await runForm(page), /^done/);
  row = (await resultRows(page))[2];
  assert.equal(row.cells[6], '3 ok ✓');
  assert.equal(row.cells[1], '3 × GET built-in endpoint (100 ms)');
});

test('a timeout is its own error', async () => {
  const page = await openPage(preview.browser, preview.url);
  const result = await run(page, { mode: 'io-concurrent', requests: 2, delayMs: 2000, timeoutMs: 300 });
  assert.deepEqual([result.io.ok, result.io.failed], [0, 2]);
  assert.match(result.jobs[0].request.error, /^no answer within 300 ms \(timed out\)/);
  assert.ok(result.jobs.every((job) => job.spans[0].kind === 'request-failed'));
});

test('a URL that is not http(s) is refused next to its field, and nothing runs', async () => {
  const page = await openPage(preview.browser, `${preview.url}?modes=io-sequential`);
  for (const bad of ['javascript:alert(1)', 'ftp://example.com/', 'example.com']) {
    await page.fill('#field-url', bad);
    await runForm(page);
    assert.match(await page.locator('#field-url-error').innerText(), /^url must be an http:\/\/ or https:\/\/ address/);
    assert.equal((await resultRows(page)).length, 0);
  }
  const rejected = await page.evaluate(() =>
    window.threadlab.run({ mode: 'io-concurrent', url: 'file:///etc/passwd' }).catch((e) => e.field),
  );
  assert.equal(rejected, 'url');
});
