// The core cases, once, for every browser besides Chromium (tests/e2e/): each entry file (firefox.test.js,
// webkit.test.js) registers them for its browser with `register(engine)`. A browser is reached through a small
// adapter (firefox.js, webkit.js) with the same few calls:
//
//   browser.newPage() → page          browser.close()
//   page.goto(url)                    page.evaluate(fn, ...args): fn's value, awaited in the page
//   page.waitFor(fn, { what, timeout }, ...args): fn's first truthy value (fn is synchronous), checked in the page
//                                     again and again until the deadline
//   page.frame(selector) → { evaluate, waitFor } inside that frame
//   page.errors(): the page's uncaught errors      page.navigations?(): its documents, where the driver sees them
//   page.close()
//
// A case waits for the state or the message its next step depends on, never for a while: each timeout below is only
// a deadline for such a wait, so that a wait that cannot end fails with a message instead of hanging the suite.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { describeCore } from '../../scripts/describe.js';
import { snippet } from '../../www/page/snippet.js';
import { autorun, blog } from '../support/blog.js';
import { CPU_MODES, IO_MODES, interpretersProblem, modesOf, spawnPartsProblem } from '../support/core.js';
import { fib } from '../support/fib.js';
import { isolatedServer, plainServer } from '../support/servers.js';
import { deadline } from './deadline.js';

const FIB_25 = fib(25);
const { modes: described } = await describeCore();
/** The modes that need wasm memory shared between workers, and have no way without it (threads, interpreters). */
const SHARED_ONLY = described
  .filter((info) => info.build === 'threads' && !info.withoutSharedMemory)
  .map((info) => info.mode);

/**
 * @typedef {object} Engine One browser as the cases see it.
 * @property {string} name the suite's name, which starts each test's
 * @property {() => Promise<object>} launch the browser's adapter, started
 * @property {boolean} sharedMemory whether the browser shares wasm memory between workers in an isolated page
 * @property {RegExp} userAgent what its user agent says
 * @property {string} sharedAs how a share link names it ("Shared with you: Safari 18 on …")
 * @property {boolean} [python] whether it runs the real CPython case (the slowest: CPython loads in each page)
 * @property {number} [pythonProcesses] how many CPython interpreters that case's processes run starts
 * @property {boolean} [embed] whether it runs the embed case
 * @property {RegExp} [embedSupport] why the embedded frame (on a host that sends no headers) has no free threads
 */

/** Whether `mode` can run in `engine`. */
const runs = (engine, mode) => engine.sharedMemory || !SHARED_ONLY.includes(mode);

/** `window.threadlab.run(options)` in `page`, settled within `ms`: its result, or `{ error, field }`. */
function run(page, options, ms = 30_000) {
  return deadline(
    page.evaluate((o) => window.threadlab.run(o).catch((e) => ({ error: e.message, field: e.field })), options),
    ms,
    `${JSON.stringify(options)}: no answer`,
  );
}

/** The results table's cells, row by row. */
const cells = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('#results tbody tr')].map((row) => [...row.cells].map((c) => c.textContent)),
  );

/** The status line, once it says the click is over (`done`, `stopped`, `cancelled` or `nothing ran`). */
const clickEnded = (page, timeout) =>
  page.waitFor(
    () => {
      const said = document.querySelector('#status')?.textContent ?? '';
      return !document.body.classList.contains('running') && /^(done|stopped|cancelled|nothing ran)/.test(said) && said;
    },
    { what: 'the click did not end', timeout },
  );

/** Each case: its name, the engines it runs in (all when `when` is missing) and its steps. */
const CASES = [
  {
    name: 'every CPU mode computes fib(25) with its build, or is refused with the reason where memory cannot be shared',
    async run({ engine, t, open, url }) {
      const page = await open(url);
      const shown = await page.evaluate(() => ({
        isolated: crossOriginIsolated,
        supported: window.threadlab.support.ok,
        support: document.querySelector('#support').hidden ? null : document.querySelector('#support').textContent,
        disabled: [...document.querySelectorAll('input[name=mode]')].filter((b) => b.disabled).map((b) => b.value),
      }));
      t.diagnostic(`cross-origin isolated: ${shown.isolated}`);
      assert.equal(shown.supported, engine.sharedMemory);
      if (engine.sharedMemory) assert.deepEqual([shown.isolated, shown.support, shown.disabled], [true, null, []]);
      else {
        assert.match(
          shown.support,
          /^Free threads are unavailable: this browser cannot share wasm memory between workers/,
        );
        assert.deepEqual(shown.disabled, SHARED_ONLY);
      }
      for (const mode of CPU_MODES) {
        const result = await run(page, { mode, n: 25, workers: 2, repeats: 2 });
        if (!runs(engine, mode)) {
          assert.match(result.error, new RegExp(`^${mode} is unavailable here: this browser cannot share wasm memory`));
          continue;
        }
        t.diagnostic(`${mode}: ${result.error ?? `median ${result.wallMs.toFixed(1)} ms`}`);
        assert.equal(result.error, undefined, `${mode}: ${result.error}`);
        assert.deepEqual([result.correct, result.env.build], [true, engine.sharedMemory ? 'threads' : 'plain'], mode);
        assert.deepEqual(
          result.jobs.map((job) => job.value),
          [FIB_25, FIB_25],
          mode,
        );
        assert.match(result.env.userAgent, engine.userAgent);
        if (mode === 'processes') assert.equal(spawnPartsProblem(result), null, 'the spawn, part by part');
      }
      if (engine.sharedMemory)
        assert.equal(await interpretersProblem((options) => run(page, options)), null, 'interpreters at k = 1, 2, 4');
      // Without shared memory, gil is its jobs taking turns on one worker.
      const gil = await run(page, { mode: 'gil', n: 22, repeats: 1 });
      assert.deepEqual([gil.correct, gil.gil.inTurns], [true, !engine.sharedMemory], 'gil in turns on one worker');
      assert.deepEqual(await page.errors(), []);
    },
  },
  {
    name: 'the io modes get their answers from both endpoints, the server and the service worker',
    async run({ engine, t, open, ownSite }) {
      // On a site of its own: the service worker it registers then serves no other case's pages.
      const page = await open((await ownSite(isolatedServer)).url);
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
          assert.match(result.env.userAgent, engine.userAgent);
        }
      }
      assert.deepEqual(await page.errors(), []);
    },
  },
  {
    name: 'bad inputs are refused with the field named, through the API and the URL',
    async run({ open, url }) {
      const page = await open(url);
      // Made in the page: Infinity has no JSON, which WebDriver carries arguments in.
      const refused = await deadline(
        page.evaluate(() =>
          Promise.all(
            [
              { mode: 'threads', worker: 8 },
              { mode: 'single', n: '40' },
              { mode: 'single', n: Infinity },
              { mode: 'io-concurrent', url: 'javascript:alert(1)' },
              { mode: 'fibers' },
            ].map((options) =>
              window.threadlab.run(options).then(
                (result) => ({ ran: result.label }),
                (e) => ({ error: e.message, field: e.field }),
              ),
            ),
          ),
        ),
        30_000,
        'no answer to the bad inputs',
      );
      const expected = [
        ['worker', /did you mean workers\?$/],
        ['n', /not text/],
        ['n', /\(got "Infinity"\)$/],
        ['url', /other schemes are never requested/],
        ['mode', /^mode must be one of/],
      ];
      for (const [i, [field, message]] of expected.entries()) {
        assert.equal(refused[i].field, field, JSON.stringify(refused[i]));
        assert.match(refused[i].error, message);
      }
      await page.goto(`${url}?n=abc&modes=single&autorun=1`);
      assert.match(await clickEnded(page), /^nothing ran/);
      const shown = await page.evaluate(() => document.querySelector('#field-n-error').textContent);
      assert.equal(shown, 'n must be a whole number from 0 to 45 (got "abc")');
    },
  },
  {
    name: 'cancel stops a long run at once, and the next run works',
    async run({ engine, open, url }) {
      // A cancel ends the pool, and the next run starts a new one (beside other pages' pools, Firefox sometimes would
      // not start it: each case closes its pages; see pool.js).
      const page = await open(url);
      for (const mode of [engine.sharedMemory ? 'threads' : 'gil', 'processes', 'io-sequential']) {
        // A click, so that the status line says when its run is under way: cancel comes then, not before.
        await page.goto(`${url}?modes=${mode}&n=44&workers=2&requests=10&delay_ms=3000&repeats=1&autorun=1`);
        await page.waitFor(
          (mode) => document.querySelector('#status').textContent.startsWith(`running ${mode}`),
          {
            what: `${mode} did not start`,
            timeout: 30_000,
          },
          mode,
        );
        // A run asked for through the API meanwhile waits for the click's: cancel stops it too.
        await page.evaluate((mode) => {
          window.queued = window.threadlab.run({ mode, n: 20, repeats: 1 }).then(
            () => 'ran',
            (e) => e.message,
          );
        }, mode);
        await page.evaluate(() => window.threadlab.cancel());
        assert.equal(await clickEnded(page, 10_000), 'cancelled', mode);
        assert.equal(await page.evaluate(() => window.queued), 'cancelled', `${mode}: the run that waited`);
        const next = await run(page, { mode, n: 20, requests: 2, delayMs: 10, repeats: 1 });
        assert.equal(next.correct, true, `${mode} after cancel: ${next.error}`);
        if (mode === 'processes') assert.equal(spawnPartsProblem(next), null, 'the spawn, part by part');
      }
    },
  },
  {
    name: 'on a host that sends no headers, one reload under the service worker isolates the page',
    async run({ engine, newPage, ownSite }) {
      const host = await ownSite(plainServer);
      const page = await newPage();
      await page.goto(host.url);
      // The page reloads itself once its service worker controls it: ready means isolated, after that reload.
      await page.waitFor(() => window.threadlab && !document.querySelector('#run').disabled, {
        what: 'the page was not ready',
        timeout: 20_000,
      });
      // Only a document loaded after the worker took control (the reload) is served by it; a first visit's is not.
      const shown = await page.evaluate(() => [crossOriginIsolated, Boolean(navigator.serviceWorker.controller)]);
      assert.deepEqual(shown, [true, true], 'isolated, under the service worker');
      // WebDriver BiDi shows each navigation (WebKit's Classic does not): the first load and one reload.
      if (page.navigations) assert.equal(page.navigations(), 2);
      for (const mode of ['threads', 'gil'].filter((mode) => runs(engine, mode))) {
        const result = await run(page, { mode, n: 25, repeats: 1 });
        const build = engine.sharedMemory ? 'threads' : 'plain';
        assert.deepEqual([result.error, result.correct, result.env.build], [undefined, true, build], mode);
        assert.match(result.env.userAgent, engine.userAgent);
      }
    },
  },
  {
    name: 'a click gives the verdicts, and its share link shows the same figures in a fresh page, marked as shared',
    async run({ engine, open, url }) {
      const query = `?modes=single,gil,processes,io-sequential,io-concurrent&n=24&workers=2&repeats=2&requests=3&delay_ms=20`;
      const page = await open(`${url}${query}&autorun=1`);
      assert.match(await clickEnded(page, 120_000), /^done/);
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
      const link = await page.waitFor(
        () => {
          const box = document.querySelector('#export-text').value;
          return box.includes('#share=1.') && box;
        },
        { what: 'no share link' },
      );
      assert.deepEqual(await page.errors(), []);
      const theirs = await open(link);
      await theirs.waitFor(() => !document.querySelector('#shared').hidden, {
        what: 'the link did not open as shared',
      });
      const shared = await cells(theirs);
      const build = engine.sharedMemory ? 'threads' : 'plain';
      assert.match(
        shared[0][0],
        new RegExp(`^Shared with you: ${engine.sharedAs} \\d+ on \\d+ cores?, cross-origin isolated, ${build} build$`),
      );
      assert.deepEqual(shared.slice(1), mine);
      assert.deepEqual(await theirs.errors(), []);
    },
  },
  {
    name: 'a small scaling run completes with correct values',
    async run({ engine, open, url }) {
      const page = await open(url);
      // The experiment's own modes, or those of them that can run here.
      const modes = modesOf('scaling').filter((mode) => runs(engine, mode));
      const options = { n: 22, ks: [1, 2], repeats: 1, ...(engine.sharedMemory ? {} : { modes }) };
      const result = await deadline(
        page.evaluate((o) => window.threadlab.scaling(o).catch((e) => ({ error: e.message })), options),
        60_000,
        'no scaling answer',
      );
      assert.equal(result.error, undefined, result.error);
      assert.deepEqual(
        result.points.map((point) => [point.mode, point.workers, point.correct]),
        [1, 2].flatMap((k) => modes.map((mode) => [mode, k, true])),
      );
      assert.ok(result.points.every((point) => point.speedup === null || point.speedup > 0));
      assert.match(result.env.userAgent, engine.userAgent);
    },
  },
  {
    name: 'the convoy completes with correct values in every regime, its requests made from the IO thread',
    async run({ engine, open, url }) {
      const page = await open(url);
      const result = await deadline(
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
        60_000,
        'no convoy answer',
      );
      assert.equal(result.error, undefined, result.error);
      // With shared memory the IO thread makes its requests blocking, from a thread of the pool, beside the CPU
      // threads; without it, gil's jobs take turns on one worker.
      const regimes = engine.sharedMemory
        ? [
            ['alone', true, null, false],
            ['gil', true, true, false],
            ['threads', true, true, false],
            ['processes', true, true, false],
          ]
        : [
            ['alone', true, null, false],
            ['gil', true, true, true],
            ['processes', true, true, false],
          ];
      assert.deepEqual(
        result.regimes.map((row) => [row.regime, row.correct, row.cpu?.correct ?? null, row.inTurns]),
        regimes,
      );
      assert.deepEqual(
        result.answered,
        Array.from({ length: regimes.length + 1 }, () => 6),
      );
      assert.deepEqual(
        result.sweep.map((row) => row.switchMs),
        [1, 5],
      );
      assert.match(result.words[0], /^With the GIL, each request took/);
      // Where threads share memory, the IO thread's hand-overs are measured in their parts; in turns there are none.
      const gil = result.regimes[1];
      assert.equal(gil.handOver?.count > 0, engine.sharedMemory, JSON.stringify(gil.handOver));
      assert.ok(result.regimes.every((row) => row.inFlightMs > 0));
      assert.match(result.env.userAgent, engine.userAgent);
    },
  },
  {
    name: 'when the rules bend: fib and sha256 under the GIL, a payload copied into each process, every value right',
    async run({ engine, open, url }) {
      const page = await open(`${url}?experiment=bend&n=20&mib=1&payloads=0,1&repeats=1&autorun=1`);
      assert.match(await clickEnded(page, 120_000), /^done/);
      const click = await page.evaluate(() => {
        const { runs, entries, report } = window.threadlab.test.lastClick();
        return {
          runs: runs.map((run) => ({
            name: `${run.mode} ${run.label}`,
            correct: run.correct,
            values: [...new Set(run.jobs.map((job) => job.value))],
            copies: run.jobs.filter((job) => job.spans.some((span) => span.kind === 'copy-in')).length,
            inTurns: run.gil?.inTurns ?? null,
          })),
          failed: entries.filter((entry) => !entry.run).map((entry) => [entry.mode, entry.message]),
          answer: report.answer,
        };
      });
      // Free threads need shared memory: without it they fail with the page's reason, and the rest runs, gil's jobs
      // taking turns on one worker.
      const threads = engine.sharedMemory ? ['threads fib(20) × 2'] : [];
      const shaThreads = engine.sharedMemory ? ['threads sha256 of 1 MiB × 2'] : [];
      assert.deepEqual(
        click.runs.map((run) => run.name),
        [
          'single fib(20) × 2',
          'gil fib(20) × 2',
          ...threads,
          'single sha256 of 1 MiB × 2',
          'gil sha256 of 1 MiB × 2',
          ...shaThreads,
          'processes fib(20) × 2',
          'single fib(20) × 2, reading 1 MiB',
          'gil fib(20) × 2, reading 1 MiB',
          'processes fib(20) × 2, reading 1 MiB',
        ],
      );
      assert.deepEqual(
        click.failed.map(([mode]) => mode),
        engine.sharedMemory ? [] : ['threads', 'threads'],
      );
      for (const run of click.runs) {
        const value = run.name.includes('sha256') ? 276779277875193 : 6765;
        assert.deepEqual([run.correct, run.values], [true, [value]], run.name);
        assert.equal(run.copies, run.name === 'processes fib(20) × 2, reading 1 MiB' ? 2 : 0, run.name);
        if (run.name.startsWith('gil')) assert.equal(run.inTurns, !engine.sharedMemory, run.name);
      }
      assert.equal(click.answer.length, 2, JSON.stringify(click.answer));
      assert.match(click.answer[0], /^Under the GIL, sha256 /);
      assert.match(click.answer[1], /^Processes /);
      assert.deepEqual(await page.errors(), []);
    },
  },
  {
    name: 'real CPython runs single, and processes in interpreters started two at a time, with correct values',
    when: (engine) => engine.python,
    async run({ engine, open, url }) {
      const page = await open(url);
      const python = (mode, workers) => run(page, { mode, engine: 'python', n: 20, workers, repeats: 1 }, 120_000);
      const single = await python('single', 2);
      assert.equal(single.error, undefined, single.error);
      assert.deepEqual(
        [single.correct, single.python.version.startsWith('3.14.'), single.jobs.map((job) => job.value)],
        [true, true, [6765, 6765]],
      );
      // Pyodide reports hangs in Firefox with more than two interpreters starting at once: ours start two at a time.
      const k = engine.pythonProcesses;
      const processes = await python('processes', k);
      assert.equal(processes.error, undefined, processes.error);
      assert.deepEqual(
        processes.jobs.map((job) => [job.lane, job.value]),
        Array.from({ length: k }, (_, lane) => [lane, 6765]),
      );
      assert.equal(processes.correct, true);
      // CPython's own threads cannot start here, shared memory or not: its run says so.
      const threads = await python('threads', 2);
      assert.equal(threads.python.outcome, "RuntimeError: can't start new thread");
    },
  },
  {
    name: 'at 360 px the answer card says each finding, and every row of the table shows its speedup on the screen',
    async run({ newPage, ownSite }) {
      // The full page (not the embed) in a 360-px frame of another origin: the frame is its viewport.
      const host = await ownSite(plainServer);
      const query = 'modes=single,gil,io-sequential,io-concurrent&n=27&workers=2&repeats=1&requests=3&delay_ms=10';
      const parent = await blog(
        `<iframe src="${host.url}?${query}&amp;autorun=1" title="threadlab" style="width: 360px; height: 740px; border: 0"></iframe>`,
      );
      try {
        const page = await newPage();
        await page.goto(parent.url);
        const frame = page.frame('iframe');
        assert.match(await clickEnded(frame, 90_000), /^done/);
        const shown = await frame.evaluate(() => {
          const box = (node) => node.getBoundingClientRect();
          // Shown: laid out, and not inside a closed disclosure (its summary is shown).
          const closed = (node) => node.closest('details:not([open])') && !node.closest('summary');
          const seen = (node) =>
            node.offsetWidth > 0 && getComputedStyle(node).visibility !== 'hidden' && !closed(node);
          return {
            width: innerWidth,
            answer: [...document.querySelectorAll('#answer-lines li')].map((li) => li.textContent),
            wider: [...document.querySelectorAll('body *')]
              .filter((node) => seen(node) && box(node).right > innerWidth + 0.5)
              .map((node) => `${node.tagName}#${node.id}`),
            rows: [...document.querySelectorAll('#results tbody tr')].map((tr) => [
              tr.dataset.mode,
              box(tr.querySelector('td.speedup')).right,
            ]),
          };
        });
        assert.equal(shown.width, 360);
        // gil against single, io-concurrent against io-sequential: a sentence each, in plain words.
        assert.deepEqual(
          shown.answer.map((line) => line.split(':')[0]),
          ['Threads under the GIL', 'Requests awaited together (asyncio)'],
        );
        // A figure each, or a job too quick for this page's clock said as such (a coarse clock, a busy machine).
        for (const line of shown.answer)
          assert.match(line, /^[^:]+: (\d+\.\d\d×(,| )[^.]+|too quick to time [^.]+)\.$/);
        assert.deepEqual(shown.wider, [], 'nothing wider than the screen');
        assert.deepEqual(
          shown.rows.map(([mode]) => mode),
          ['single', 'gil', 'io-sequential', 'io-concurrent'],
        );
        for (const [mode, right] of shown.rows) assert.ok(right <= 360, `${mode}'s speedup ends at ${right} px`);
      } finally {
        await parent.close();
      }
    },
  },
  {
    name: 'the embed snippet on another site: the frame runs, sizes itself from its messages, and explains what it cannot do',
    when: (engine) => engine.embed,
    async run({ engine, newPage, ownSite }) {
      // The site on a host that sends no headers, its snippet (tests/unit/snippet.test.js tests its text) in a plain
      // page on another origin: the frame cannot be isolated, so it runs all but free threads.
      const host = await ownSite(plainServer);
      const parent = await blog(
        autorun(snippet(`${host.url}?n=22&workers=2&repeats=1&modes=single,threads,processes,gil`)),
      );
      try {
        const page = await newPage();
        await page.goto(parent.url);
        await page.waitFor(() => window.messages.filter((m) => m.type === 'threadlab:result').length === 3, {
          what: 'no result message for each mode that ran',
          timeout: 90_000,
        });
        const frame = page.frame('iframe');
        assert.match(await clickEnded(frame, 30_000), /^done/);
        const rows = await frame.evaluate(() =>
          [...document.querySelectorAll('#results tbody tr')].map((tr) => [
            tr.dataset.mode,
            tr.cells.length > 2 ? tr.cells[6].textContent : tr.cells[1].textContent,
          ]),
        );
        assert.deepEqual(
          rows.map(([mode]) => mode),
          ['single', 'threads', 'processes', 'gil'],
        );
        assert.deepEqual([rows[0][1], rows[2][1], rows[3][1]], ['17711 ✓', '17711 ✓', '17711 ✓']);
        assert.match(rows[1][1], /^threads is unavailable here: /);
        const results = await page.evaluate(() =>
          window.messages
            .filter((m) => m.type === 'threadlab:result')
            .map(({ result }) => [result.mode, result.correct]),
        );
        assert.deepEqual(
          results,
          [
            ['single', true],
            ['processes', true],
            ['gil', true],
          ],
          'a result message for each mode that ran, and no more',
        );
        assert.match(await frame.evaluate(() => document.querySelector('#support').textContent), engine.embedSupport);
        // The page's last growth comes after the results: the spawn note, once bare workers' starts are measured.
        await frame.waitFor(() => document.querySelector('#spawn-note').textContent, {
          what: 'no spawn note',
          timeout: 30_000,
        });
        // The snippet's script sets the frame's height from the frame's messages: it follows the frame's own height,
        // so the frame needs no scrollbar.
        const height = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
        await page.waitFor(
          (height) => {
            const told = window.messages.filter((m) => m.type === 'threadlab:resize').map((m) => m.height);
            return told.at(-1) === height && document.querySelector('iframe').getAttribute('height') === String(height);
          },
          { what: `the frame was not sized from its message of its height, ${height}` },
          height,
        );
        assert.equal(await frame.evaluate(() => document.documentElement.scrollHeight <= innerHeight + 1), true);
        assert.equal(
          await frame.evaluate(() => {
            const link = document.querySelector('#full-playground');
            return !link.hidden && new URL(link.href).searchParams.get('n');
          }),
          '22',
        );
      } finally {
        await parent.close();
      }
    },
  },
];

/** Registers every case that runs in `engine` (see the typedef above), as a suite of its own. */
export function register(engine) {
  describe(engine.name, () => {
    const site = {};
    before(async () => {
      site.isolated = await isolatedServer();
      site.browser = await engine.launch();
    });
    after(async () => {
      await site.browser?.close();
      await site.isolated?.close();
    });
    for (const { name, when = () => true, run: steps } of CASES) {
      if (!when(engine)) continue;
      test(`${engine.name}: ${name}`, async (t) => {
        const pages = [];
        const hosts = [];
        const newPage = async () => {
          const page = await site.browser.newPage();
          pages.push(page);
          return page;
        };
        /** A new page at `url`, once it is ready or has started the run its URL asks for (`autorun=1`). */
        const open = async (url) => {
          const page = await newPage();
          await page.goto(url);
          await page.waitFor(
            () =>
              window.threadlab &&
              (!document.querySelector('#run').disabled || document.body.classList.contains('running')),
            { what: `${url} was not ready`, timeout: 30_000 },
          );
          return page;
        };
        /** The built site served by `serve` (isolatedServer, plainServer), on an origin no service worker holds. */
        const ownSite = async (serve) => {
          const served = await serve();
          hosts.push(served);
          return served;
        };
        try {
          await steps({ engine, t, url: site.isolated.url, newPage, open, ownSite });
        } finally {
          for (const page of pages.reverse()) await page.close().catch(() => {});
          for (const host of hosts) await host.close();
        }
      });
    }
  });
}
