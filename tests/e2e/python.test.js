// Real CPython (Pyodide) in real Chromium: loaded only when asked for; its modes give the values the Rust gives and
// its threads CPython's own answer; the visitor's program changes the results; tracebacks are text; an endless loop
// is cancelled; a link's code fills the editor and never runs by itself; no CSP violation throughout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, resultRows, useSite, waitIdle } from '../support/browser.js';
import { fib } from '../support/fib.js';
import { isolatedServer, plainServer } from '../support/servers.js';
import { sha256Value } from '../support/sha256.js';

const site = useSite(isolatedServer);
const FIB_20 = fib(20);
const PYTHON_FILE = /\/assets\/(pyodide-|editor-|interpreters-|python-)/;
const CPYTHON_FILE = /\/assets\/pyodide-/;

/** A page that records every request and every Content-Security-Policy violation. */
async function watchedPage(url) {
  const context = await site.browser.newContext();
  await context.addInitScript(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (event) =>
      window.violations.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  const requests = [];
  context.on('request', (request) => requests.push(request.url()));
  const page = await openPage(context, url);
  return Object.assign(page, { requests });
}

const python = (page, options) =>
  page.evaluate(
    (options) =>
      window.threadlab.run({ engine: 'python', n: 20, workers: 2, repeats: 1, ...options }).then(
        (run) => run,
        (error) => ({ error: error.message }),
      ),
    options,
  );

test('CPython loads only when asked: nothing of it before, then every mode gives what the Rust gives', async () => {
  const page = await watchedPage(site.url);
  await page.waitForLoadState('networkidle');
  assert.deepEqual(
    page.requests.filter((url) => PYTHON_FILE.test(url)),
    [],
    'no file of CPython or its editor in the first load',
  );
  assert.equal(await page.locator('#python').isHidden(), true);

  const single = await python(page, { mode: 'single' });
  assert.deepEqual(
    [single.engine, single.correct, single.jobs.map((job) => job.value)],
    ['python', true, [FIB_20, FIB_20]],
  );
  assert.match(single.python.version, /^3\.14\./);
  assert.ok(single.python.startMs > 0, 'the interpreter start is kept apart');
  const rust = await page.evaluate(() => window.threadlab.run({ mode: 'single', n: 20, workers: 2, repeats: 1 }));
  assert.deepEqual(
    single.jobs.map((job) => job.value),
    rust.jobs.map((job) => job.value),
  );
  const processes = await python(page, { mode: 'processes', workers: 3 });
  assert.ok(processes.correct, JSON.stringify(processes.error));
  assert.deepEqual(
    processes.jobs.map((job) => [job.index, job.lane, job.value]),
    [
      [0, 0, FIB_20],
      [1, 1, FIB_20],
      [2, 2, FIB_20],
    ],
    'one call in each of 3 interpreters',
  );
  // The other work kind, in CPython's hashlib: the digest the Rust's jobs give.
  const sha = sha256Value(2);
  for (const mode of ['single', 'processes']) {
    const hashed = await python(page, { mode, work: 'sha256', mib: 2 });
    assert.deepEqual(
      [hashed.engine, hashed.correct, hashed.work, hashed.jobs.map((job) => job.value)],
      ['python', true, { sha256: { mib: 2, jobs: 2 } }, [sha, sha]],
      `${mode} sha256: ${hashed.error}`,
    );
  }
  const threads = await python(page, { mode: 'threads' });
  assert.equal(threads.python.outcome, "RuntimeError: can't start new thread", "CPython's own answer here");
  assert.equal(threads.correct, false);
  for (const mode of ['io-sequential', 'io-concurrent']) {
    const run = await python(page, { mode, requests: 4, delayMs: 30 });
    assert.ok(run.correct, mode);
    assert.deepEqual(
      run.jobs.map((job) => job.request.status),
      [200, 200, 200, 200],
      mode,
    );
    assert.ok(run.jobs.every((job) => job.request.url.includes('/api/users/user-')));
  }
  const refused = await python(page, { mode: 'gil' });
  assert.match(refused.error, /^gil does not run in CPython: its modes are single, threads, processes/);
  assert.match((await python(page, { mode: 'processes', workers: 5 })).error, /at most 4 interpreters/);
  assert.ok(page.requests.some((url) => url.endsWith('pyodide.asm.wasm')));
  assert.equal(
    page.requests.filter((url) => url.endsWith('pyodide.asm.wasm')).length,
    1,
    'compiled once for 3 interpreters',
  );
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  await page.context().close();
});

test('the visitor’s program changes the results; its errors are tracebacks, shown as text', async () => {
  const page = await watchedPage(site.url);
  const other = await python(page, {
    mode: 'single',
    code: 'from threadlab import timed\n\ndef single(n, k):\n    return [timed(lambda m: m * 2, n) for _ in range(k)]\n',
  });
  assert.deepEqual([other.correct, other.jobs.map((job) => job.value)], [false, [40, 40]]);
  const syntax = await python(page, { mode: 'single', code: 'def single(n, k)\n    return 1\n' });
  assert.match(syntax.error, /File "experiment\.py", line 1[\s\S]*SyntaxError/);
  const raised = await python(page, { mode: 'single', code: 'def single(n, k):\n    return 1 / 0\n' });
  assert.match(raised.error, /File "experiment\.py", line 2, in single\n {4}return 1 \/ 0[\s\S]*ZeroDivisionError/);
  const numpy = await python(page, { mode: 'single', code: 'import numpy\n' });
  assert.match(
    numpy.error,
    /ModuleNotFoundError: No module named 'numpy': threadlab's CPython has the standard library/,
  );
  const missing = await python(page, { mode: 'io-concurrent', code: 'x = 1\n' });
  assert.equal(missing.error, 'The program has no function io_concurrent(urls), which io-concurrent calls.');

  // Through the page: a traceback with HTML in it is a row of the table and the room's text, never markup.
  const code = 'def single(n, k):\n    raise ValueError("<img src=x onerror=window.__pwned=1>")\n';
  await page.goto(`${site.url}?experiment=python&modes=single&n=15&repeats=1&code=${encodeURIComponent(code)}`);
  await page.waitForFunction(() => !document.querySelector('#run').disabled);
  await page.click('#run');
  assert.match(await waitIdle(page, 60_000), /^done/);
  const rows = await resultRows(page);
  assert.match(rows[0].cells.join(' '), /ValueError: <img src=x onerror=window.__pwned=1>/);
  assert.match(await page.locator('#python-error').innerText(), /single:\nTraceback[\s\S]*ValueError: <img/);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(rows[1].mode, 'single', 'the Rust row ran after it: the page stays usable');
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  await page.context().close();
});

test('an endless loop is stopped by Cancel, its interpreter with it; a run after it works', async () => {
  const page = await watchedPage(site.url);
  await python(page, { mode: 'single' }); // the interpreter is started
  await page.evaluate(() => {
    window.looping = window.threadlab.run({
      mode: 'single',
      engine: 'python',
      repeats: 1,
      code: 'def single(n, k):\n    while True:\n        pass\n',
    });
    window.looping.catch((error) => {
      window.loopEnded = error.message;
    });
  });
  await page.waitForTimeout(1500);
  assert.equal(await page.evaluate(() => window.loopEnded), undefined, 'still looping');
  await page.evaluate(() => window.threadlab.cancel());
  await page.waitForFunction(() => window.loopEnded, null, { timeout: 5000 });
  assert.equal(await page.evaluate(() => window.loopEnded), 'cancelled');
  const after = await python(page, { mode: 'single' });
  assert.ok(after.correct, JSON.stringify(after.error));
  await page.context().close();
});

test('a program that ends its interpreter or runs out of memory fails its run with a message; the next run starts a new interpreter', async () => {
  const page = await watchedPage(site.url);
  await python(page, { mode: 'single' }); // the interpreter is started
  const starts = () => page.evaluate(async () => 1 + ((await window.threadlab.pythonStarts()).later?.count ?? 0));
  // A run that never ends would hold the page until the run's own 5-minute limit: a minute is far past any answer.
  const ended = (code) =>
    page.evaluate(
      (code) =>
        Promise.race([
          window.threadlab.run({ engine: 'python', mode: 'single', n: 15, repeats: 1, code }).then(
            () => 'it ran',
            (error) => error.message,
          ),
          new Promise((resolve) => setTimeout(() => resolve('no answer after a minute'), 60_000)),
        ]),
      code,
    );
  assert.match(await ended('import os\nos._exit(1)\n'), /: the interpreter ended: os\._exit\(1\)$/);
  assert.ok((await python(page, { mode: 'single' })).correct, 'the next run works');
  assert.equal(await starts(), 2, 'in a new interpreter');
  assert.match(
    await ended('x = [bytearray(2**27) for _ in range(40)]\n'),
    /\nMemoryError\n\nThe interpreter ran out of memory: the next run starts a new one\.$/,
  );
  assert.ok((await python(page, { mode: 'single' })).correct, 'the next run works');
  assert.equal(await starts(), 3, 'in a new interpreter');
  await page.context().close();
});

test('the Python room: CPython beside the Rust, in the table and in words; a share link carries the code and never runs it', async () => {
  const page = await watchedPage(`${site.url}?experiment=python&n=20&repeats=2&requests=3&delay_ms=20`);
  await page.waitForSelector('#python:not([hidden])');
  await page.waitForFunction(() => document.querySelector('#python-editor').shadowRoot?.querySelector('.cm-content'));
  assert.deepEqual(
    page.requests.filter((url) => CPYTHON_FILE.test(url)),
    [],
    'the editor opens without loading CPython',
  );
  // Edit the program in the editor: fib returns fib(n) + 0 written another way; the form and address follow.
  const content = page.locator('#python-editor .cm-content');
  await content.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n\n# edited here\n');
  assert.match(await page.inputValue('#field-code'), /# edited here/);
  assert.match(new URL(page.url()).searchParams.get('code'), /# edited here\n$/);
  await page.click('#run');
  assert.match(await waitIdle(page, 90_000), /^done/);
  const rows = await resultRows(page);
  assert.deepEqual(
    rows.map((row) => row.cells[0]),
    [
      'single in CPython CPython 3.14.2 (Pyodide)',
      'threads in CPython CPython 3.14.2 (Pyodide)',
      'processes in CPython CPython 3.14.2 (Pyodide)',
      'io-sequential in CPython CPython 3.14.2 (Pyodide)',
      'io-concurrent in CPython CPython 3.14.2 (Pyodide)',
      'single',
      'threads',
      'processes',
      'gil',
      'io-sequential',
      'io-concurrent',
    ],
  );
  assert.match(
    rows[1].cells.at(-1),
    /^CPython: RuntimeError: can't start new thread: no threads in a browser; gil shows/,
  );
  const click = await page.evaluate(() => window.threadlab.test.lastClick());
  const [cpython, rust, slower] = click.report.python.words;
  const speedup = (engine, mode) => {
    const index = click.runs.findIndex((run) => (run.engine ?? 'rust') === engine && run.mode === mode);
    return `${click.report.speedups[index].toFixed(2)}×`;
  };
  assert.ok(cpython.startsWith(`Real CPython: processes ${speedup('python', 'processes')} single`), cpython);
  assert.match(cpython, /threads could not start \(RuntimeError: can't start new thread\)/);
  assert.ok(rust.includes(`gil ${speedup('rust', 'gil')} single`), rust);
  // The Rust ran at the n whose job takes as long as CPython's fib(20), set in the click and said in the words.
  const calibrated = Number(
    slower.match(/^The Rust ran fib\((\d+)\) where CPython ran fib\(20\), set in this click/)?.[1],
  );
  assert.ok(calibrated > 20, slower);
  assert.match(slower, /pure Python is about \d+× slower here/);
  assert.deepEqual(
    rows.slice(5, 9).map((row) => row.cells[1]),
    Array(4).fill(`fib(${calibrated}) × 2`),
  );
  assert.deepEqual(
    rows.slice(0, 3).map((row) => row.cells[1]),
    Array(3).fill('fib(20) × 2'),
  );
  assert.deepEqual(
    await page.$$eval('#python-words li', (items) => items.map((item) => item.textContent)),
    click.report.python.words,
  );
  assert.match(await page.locator('#python-starts').innerText(), /^CPython's first interpreter started in \d+ ms/);

  await page.click('#share');
  await page.waitForFunction(() => document.querySelector('#export-text').value.includes('#share=5.'));
  const link = await page.inputValue('#export-text');
  const theirs = await watchedPage(link);
  await theirs.waitForSelector('#shared:not([hidden])');
  await theirs.waitForFunction(() =>
    document
      .querySelector('#python-editor')
      .shadowRoot?.querySelector('.cm-content')
      ?.textContent.includes('# edited here'),
  );
  assert.equal(
    await theirs.locator('#python-from-link').innerText(),
    'Python code from this link: read it before you run it.',
  );
  assert.equal((await resultRows(theirs)).length, 11 + 1, 'their rows, headed by the machine that ran them');
  await theirs.waitForTimeout(500);
  assert.deepEqual(
    theirs.requests.filter((url) => CPYTHON_FILE.test(url)),
    [],
    'nothing of CPython loads, nothing runs',
  );
  assert.equal(await theirs.evaluate(() => document.body.classList.contains('running')), false);
  // Even with autorun in the address, code from a link waits for a click.
  const address = new URL(theirs.url());
  address.hash = '';
  address.searchParams.set('autorun', '1');
  await theirs.goto(address.href);
  await theirs.waitForFunction(() => !document.querySelector('#run').disabled);
  await theirs.waitForTimeout(500);
  assert.equal(await theirs.locator('#python-from-link').isVisible(), true);
  assert.equal((await resultRows(theirs)).length, 0, 'nothing ran');
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(await theirs.evaluate(() => window.violations), []);
  await theirs.context().close();
  await page.context().close();
});

test("when CPython's files cannot be loaded, the run says so in one message and the Rust runs as before", async () => {
  const context = await site.browser.newContext();
  await context.route(/\/assets\/pyodide-/, (route) => route.fulfill({ status: 404, body: 'not found' }));
  const page = await openPage(context, site.url);
  const failed = await python(page, { mode: 'single' });
  assert.equal(
    failed.error,
    'CPython could not start (its files could not be loaded: HTTP 404); everything else works as before',
  );
  const rust = await page.evaluate(() => window.threadlab.run({ mode: 'single', n: 20, repeats: 1 }));
  assert.equal(rust.correct, true);
  await context.close();
});

test('on a host that sends no headers (no shared memory), CPython runs as well: it needs none', async () => {
  const host = await plainServer();
  const context = await site.browser.newContext({ serviceWorkers: 'block' });
  const page = await openPage(context, host.url);
  assert.equal(await page.evaluate(() => window.crossOriginIsolated), false);
  const single = await python(page, { mode: 'single' });
  assert.equal(single.error, undefined, single.error);
  assert.deepEqual([single.correct, single.env.crossOriginIsolated], [true, false]);
  await context.close();
  await host.close();
});
