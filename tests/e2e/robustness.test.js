// Nothing from outside runs in the page or breaks it: markup through every door stays text, the Content-Security-
// Policy holds, a panic in any mode is reported and recovered from, a run past the limit is stopped, and cancelling
// or leaving leaves no worker behind (counted through the browser's own list of targets).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, resultRows, runForm, useSite, waitIdle } from '../support/browser.js';
import { MODES } from '../support/core.js';
import { isolatedServer } from '../support/servers.js';

const site = useSite(isolatedServer);
const PROBE = '<img src=x onerror="window.__pwned=1">';
const SMALL = { n: 20, workers: 2, repeats: 1, requests: 2, delayMs: 10 };

/** A page in a browser context of its own, whose workers (pool threads included) `liveWorkers()` counts. */
async function isolatedPage(url) {
  const context = await site.browser.newContext();
  const page = await openPage(context, url);
  const { targetInfo } = await (await context.newCDPSession(page)).send('Target.getTargetInfo');
  const browser = await site.browser.newBrowserCDPSession();
  page.liveWorkers = async () =>
    (await browser.send('Target.getTargets')).targetInfos.filter(
      (target) => target.type === 'worker' && target.browserContextId === targetInfo.browserContextId,
    ).length;
  page.done = () => context.close();
  return page;
}

/** Waits until none of the page's workers is left: one busy in wasm is torn down after a grace time (~2 s here). */
async function noWorkerLeft(page, label) {
  const until = Date.now() + 8_000;
  while ((await page.liveWorkers()) > 0) {
    assert.ok(Date.now() < until, `${label}: ${await page.liveWorkers()} worker(s) still alive`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Markup that would run if any of it were parsed as HTML. */
async function assertInert(page) {
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'markup ran');
  assert.equal(await page.locator('img').count(), 0, 'markup became an element');
}

test('markup through the URL, the form and the API is shown as text and never runs', async () => {
  const query = new URLSearchParams({
    n: PROBE,
    modes: `single,${PROBE}`,
    endpoint: PROBE,
    [PROBE]: PROBE,
    autorun: '1',
  });
  let page = await openPage(site.browser, `${site.url}?${query}`);
  await page.waitForFunction(() => /^nothing ran/.test(document.querySelector('#status').textContent));
  assert.match(
    await page.locator('#field-n-error').innerText(),
    /\(got "<img src=x onerror=\\"window.__pwned=1\\">"\)/,
  );
  assert.match(await page.locator('#modes-error').innerText(), /<img src=x/);
  await assertInert(page);

  // A URL that passes (http, no spaces) and carries markup: its failed requests are reported with it, as text.
  const url = `http://127.0.0.1:9/${PROBE.replaceAll(' ', '')}`;
  page = await openPage(
    site.browser,
    `${site.url}?modes=io-concurrent&requests=2&repeats=1&url=${encodeURIComponent(url)}&autorun=1`,
  );
  assert.match(await waitIdle(page), /^done/);
  const [row] = await resultRows(page);
  assert.equal(row.cells[1], `2 × GET ${url}`);
  await page.fill('#field-n', PROBE);
  await runForm(page);
  assert.match(await page.locator('#field-n-error').innerText(), /<img src=x/);
  const rejected = await page.evaluate(
    (probe) =>
      Promise.all([
        window.threadlab.run({ mode: probe }).catch((e) => e.message),
        window.threadlab.run({ mode: 'single', [probe]: 1 }).catch((e) => e.message),
      ]),
    PROBE,
  );
  assert.match(rejected[0], /^mode must be one of .* \(got "<img src=x/);
  assert.match(rejected[1], /^"<img src=x onerror=\\"window.__pwned=1\\">" is not an option/);
  await assertInert(page);
});

test('a run of every mode breaks no rule of the Content-Security-Policy, which holds', async () => {
  const page = await site.browser.newPage();
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.goto(`${site.url}?n=22&repeats=1&requests=3&delay_ms=10&modes=${MODES.join(',')}&autorun=1`);
  await page.waitForFunction(() => /^(done|stopped)/.test(document.querySelector('#status').textContent), null, {
    timeout: 60_000,
  });
  assert.match(await page.locator('#status').innerText(), /^done/);
  assert.equal(
    (await resultRows(page)).filter((row) => row.className === '').length,
    MODES.length,
    'every mode ran correctly',
  );
  await page.waitForFunction(() => !document.querySelector('#charts').hidden);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);

  const policy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'/);
  const blocked = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__inline = 1';
    document.body.append(script);
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { ran: window.__inline, violations: window.__violations };
  });
  assert.deepEqual(blocked, { ran: undefined, violations: ['script-src-elem inline'] });
});

test("a panic in any mode becomes that run's error, with its text, and the next run works", async (t) => {
  const page = await openPage(site.browser, site.url);
  for (const mode of MODES) {
    const [failed, next] = await page.evaluate(
      async ([mode, options]) => {
        window.threadlab.test.panicNextJob();
        const failed = await window.threadlab.run({ mode, ...options }).then(
          () => 'resolved',
          (e) => e.message,
        );
        const next = await window.threadlab.run({ mode, ...options });
        return [failed, next.correct];
      },
      [mode, SMALL],
    );
    t.diagnostic(`${mode}: ${failed}`);
    assert.match(
      failed,
      /panicked at crate\/src\/fault\.rs:\d+:\d+: (fib\(20\) job|request) \d+ was asked to panic/,
      mode,
    );
    assert.equal(next, true, `${mode} after its panic`);
  }
});

test('a panic on the page is a failed row with its text, and the next mode runs', async () => {
  const page = await openPage(site.browser, `${site.url}?n=20&modes=threads,processes&repeats=1`);
  await page.evaluate(() => window.threadlab.test.panicNextJob());
  assert.match(await runForm(page), /^done/);
  const [threads, processes] = await resultRows(page);
  assert.equal(threads.className, 'failed');
  assert.match(threads.cells[1], /^a thread of the pool panicked at crate\/src\/fault\.rs/);
  assert.equal(processes.cells[6], '6765 ✓');
});

test('wasm that cannot be loaded or compiled is named in a clear message', async () => {
  for (const [answer, message] of [
    [{ status: 404, body: 'gone' }, /^threadlab could not start: the threads wasm could not be loaded \(HTTP 404\)$/],
    [
      { status: 200, contentType: 'application/wasm', body: 'not wasm' },
      /^threadlab could not start: the threads wasm could not be compiled \(.+\)$/,
    ],
  ]) {
    const page = await site.browser.newPage();
    await page.route(/\.wasm$/, (route) => route.fulfill(answer));
    await page.goto(site.url);
    await page.waitForFunction(() => /could not start/.test(document.querySelector('#status').textContent));
    assert.match(await page.locator('#status').innerText(), message);
    await page.close();
  }
});

test('a run past the limit is stopped with a message, and the next one runs', async () => {
  const page = await openPage(site.browser, site.url);
  const [stopped, next] = await page.evaluate(async () => {
    window.threadlab.test.setLimitMs(300);
    const stopped = await window.threadlab.run({ mode: 'single', n: 42, repeats: 1 }).then(
      () => 'resolved',
      (e) => e.message,
    );
    window.threadlab.test.setLimitMs(60_000);
    return [stopped, (await window.threadlab.run({ mode: 'single', n: 20, repeats: 1 })).correct];
  });
  assert.match(stopped, /^stopped: one run took longer than 0.3 s, the limit/);
  assert.equal(next, true);
});

test('cancelling each mode mid-run leaves no worker alive, and the page ready', async () => {
  const page = await isolatedPage(`${site.url}?n=44&workers=2&requests=20&delay_ms=5000&repeats=1`);
  for (const mode of MODES) {
    await page.$$eval(
      'input[name=mode]',
      (boxes, mode) => {
        for (const box of boxes) box.checked = box.value === mode;
      },
      mode,
    );
    await page.click('#run');
    await page.waitForFunction(
      (mode) => document.querySelector('#status').textContent.startsWith(`running ${mode}`),
      mode,
    );
    await page.waitForTimeout(300); // well inside its run
    assert.ok((await page.liveWorkers()) > 0, `${mode} runs in workers`);
    await page.click('#cancel');
    assert.equal(await waitIdle(page, 5_000), 'cancelled', mode);
    await noWorkerLeft(page, mode);
    assert.equal(await page.locator('#run').isEnabled(), true);
    assert.equal((await resultRows(page)).length, 0, `a result of the cancelled ${mode} appeared`);
  }
  const run = await page.evaluate(() => window.threadlab.run({ mode: 'threads', n: 20, repeats: 1 }));
  assert.equal(run.correct, true, 'the page runs again');
  await page.done();
});

test('leaving the page mid-run stops every worker', async () => {
  const page = await isolatedPage(`${site.url}?n=44&modes=threads&repeats=1`);
  await page.click('#run');
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('running threads'));
  assert.ok((await page.liveWorkers()) > 0);
  await page.goto('about:blank');
  await noWorkerLeft(page, 'after leaving');
  await page.done();
});
