// The convoy experiment in real Chromium: an IO thread's requests beside CPU-bound threads, in every regime, with
// every request answered and every fib right; under the GIL the hand-over is in the spans, not drawn; the words are
// the table's figures; cancel, share links, exports and bad options. Only shapes and values, never speed.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { CLOCK_RESOLUTION_MS, openPage, useSite, waitIdle } from '../support/browser.js';
import { fib } from '../support/fib.js';
import { isolatedServer, plainServer } from '../support/servers.js';

const site = useSite(isolatedServer);
const FIB_20 = fib(20);

/** The regimes table's rows as text cells. */
const regimeRows = (page) =>
  page.$$eval('#regimes tbody tr', (rows) => rows.map((row) => [...row.cells].map((cell) => cell.textContent)));

const held = (job) => job.spans.filter((span) => span.kind === 'gil-held');

test('?experiment=convoy&autorun=1: every regime, every request answered, every fib right, the words from the table', async () => {
  const url = `${site.url}?experiment=convoy&n=20&requests=8&repeats=2&intervals=1,20&autorun=1`;
  const page = await openPage(site.browser, url);
  assert.match(await waitIdle(page, 120_000), /^done/);
  const click = await page.evaluate(() => window.threadlab.test.lastClick());
  assert.equal(click.experiment, 'convoy');
  assert.deepEqual(
    click.runs.map((run) => [run.convoy.regime, run.convoy.switchMs]),
    [
      ['alone', 5],
      ['gil', 5],
      ['threads', 5],
      ['processes', 5],
      ['gil', 1],
      ['gil', 20],
    ],
  );
  for (const run of click.runs) {
    const name = `${run.convoy.regime} at ${run.convoy.switchMs} ms`;
    const requests = run.jobs.filter((job) => job.request);
    const threads = run.jobs.filter((job) => !job.request);
    assert.ok(run.correct && run.convoy.correct, name);
    assert.equal(requests.length, 8, name);
    assert.ok(
      requests.every((job) => job.request.status === 200 && !job.request.error),
      name,
    );
    assert.equal(threads.length, run.convoy.regime === 'alone' ? 0 : 2, name);
    assert.ok(
      threads.every((job) => job.value === FIB_20),
      name,
    );
    const { median, p95, max } = run.convoy.latencyMs;
    assert.ok(0 < median && median <= p95 && p95 <= max, `${name}: ${median} ${p95} ${max}`);
    if (run.convoy.cpu) assert.ok(run.convoy.cpu.correct && run.convoy.cpu.rounds >= 2, name);
    assert.equal(run.convoy.medians.length, 2, `${name}: a median per repeat`);
  }
  // The table shows the report's figures, and the words are made of them.
  const { regimes, sweep, words } = click.report.convoy;
  const rows = await regimeRows(page);
  assert.deepEqual(
    rows.map((cells) => [cells[0], cells[1]]),
    [
      ['alone', '—'],
      ['gil', '5'],
      ['threads', '—'],
      ['processes', '—'],
      ['gil', '1'],
      ['gil', '20'],
    ],
  );
  const shown = await page.$$eval('#convoy-words li', (items) => items.map((item) => item.textContent));
  assert.deepEqual(shown, words);
  // The medians in the words are the table's (rows: alone, gil, threads, processes; column 2: the median).
  const median = (i) => `${rows[i][2]} ms`;
  assert.ok(
    words[0].startsWith(`With the GIL, each request took ${median(1)} instead of ${median(0)} alone`),
    `${words[0]} / ${rows.map((r) => r[2])}`,
  );
  assert.ok(words[0].includes(`with free threads ${median(2)}, with processes ${median(3)}.`), words[0]);
  assert.equal(regimes.length, 4);
  assert.deepEqual(
    sweep.map((row) => row.switchMs),
    [1, 5, 20],
  );
  // The sweep's sentence says the theory's trade only where the figures show it (a busy machine may not).
  assert.match(
    words.at(-1),
    /^(The switch interval trades one for the other|Here the switch interval traded nothing: the figures do not show the theory's trade): at 1 ms a request took/,
  );
  // The chart: a row per regime and interval, the median split at the GIL wait, every request as a dot.
  const chart = await page.evaluate(() => window.threadlab.test.convoyChart());
  assert.deepEqual(chart.labels, ['alone', 'gil at 5 ms', 'threads', 'processes', 'gil at 1 ms', 'gil at 20 ms']);
  assert.equal(chart.datasets[1].label, 'median: waiting for the GIL');
  assert.deepEqual(
    chart.datasets[1].data,
    [...regimes, sweep[0], sweep[2]].map((row) => row.gilWaitMs),
  );
  assert.ok(chart.dots.every((dots) => dots.length === 8));
  // A gil run's note: the hand-overs, and what the IO thread and each CPU thread held and waited.
  await page.click('#results tbody tr[data-mode="gil"] button.pick');
  assert.match(
    await page.locator('#run-note').innerText(),
    /^\d+ hand-overs at a 5 ms switch interval; the IO thread held [\d.]+ ms, waited [\d.]+ ms; thread 1 held/,
  );
  assert.deepEqual(page.errors, []);
});

test('under the GIL the IO thread and the CPU threads never hold it at once, and its answers wait for it', async () => {
  const page = await openPage(site.browser, site.url);
  const result = await page.evaluate(() =>
    window.threadlab.convoy({ regimes: ['gil'], n: 22, requests: 12, delayMs: 2, repeats: 1, intervals: [] }),
  );
  assert.deepEqual(
    result.regimes.map((row) => [row.regime, row.correct]),
    [
      ['alone', true],
      ['gil', true],
    ],
  );
  const gil = result.runs[1];
  const spans = gil.jobs.flatMap((job) => held(job).map((span) => ({ ...span, lane: job.lane })));
  spans.sort((a, b) => a.start - b.start);
  assert.ok(spans.some((s) => s.lane === 0) && spans.some((s) => s.lane > 0));
  for (const [a, b] of spans.slice(1).map((span, i) => [spans[i], span])) {
    // Within the clock's resolution: each thread stamps its spans through its own timeOrigin.
    assert.ok(
      a.end <= b.start + CLOCK_RESOLUTION_MS,
      `lane ${a.lane} held until ${a.end}, lane ${b.lane} from ${b.start}`,
    );
  }
  // The hand-over is in the spans: the IO thread takes the GIL back only when a CPU thread lets go of it, so each
  // of its waits holds the end of a CPU thread's hold; and a wait after an answer ends before the next request.
  const requests = gil.jobs.filter((job) => job.request);
  const cpuHeld = gil.jobs.filter((job) => !job.request).flatMap(held);
  const waits = requests.flatMap((job) => job.spans.filter((span) => span.kind === 'gil-wait'));
  assert.ok(waits.length > 0, 'no request waited for the GIL');
  for (const wait of waits) {
    const ended = cpuHeld.some(
      (hold) => wait.start - CLOCK_RESOLUTION_MS <= hold.end && hold.end <= wait.end + CLOCK_RESOLUTION_MS,
    );
    assert.ok(ended, `no CPU thread let go during ${JSON.stringify(wait)}`);
  }
  for (const [job, next] of requests.slice(1).map((later, i) => [requests[i], later])) {
    const answered = job.spans.find((span) => span.kind === 'request').end;
    for (const wait of job.spans.filter((span) => span.kind === 'gil-wait' && span.start >= answered)) {
      assert.ok(wait.end <= next.start, 'the wait ends before the next request starts');
    }
  }
  // The median wait is part of the median request's time.
  const { gilWaitMs, latencyMs } = gil.convoy;
  assert.ok(gilWaitMs <= latencyMs.median, JSON.stringify(gil.convoy));
  // Each hand-over the IO thread asked for, in its four parts, one after another inside one of its waits, the
  // holder's let-go (the notice's end) being the end of a CPU thread's hold; and the parts' medians in the figures.
  const kinds = ['hand-over-timer', 'hand-over-notice', 'hand-over-wake', 'hand-over-take'];
  const parts = requests.flatMap((job) => job.spans.filter((span) => kinds.includes(span.kind)));
  assert.ok(parts.length >= 4 && parts.length % 4 === 0, `${parts.length} parts`);
  for (let i = 0; i < parts.length; i += 4) {
    const four = parts.slice(i, i + 4);
    assert.deepEqual(
      four.map((part) => part.kind),
      kinds,
    );
    assert.ok(
      four.slice(1).every((part, j) => part.start === four[j].end),
      JSON.stringify(four),
    );
    assert.ok(
      waits.some((wait) => wait.start <= four[0].start && four[3].end === wait.end),
      JSON.stringify(four),
    );
    assert.ok(
      cpuHeld.some((hold) => hold.end === four[1].end),
      `the holder let go as the notice ends: ${JSON.stringify(four)}`,
    );
  }
  assert.equal(result.regimes[1].handOver.count, parts.length / 4);
  assert.ok(result.regimes.every((row) => row.inFlightMs > 0));
});

test('cancelled mid-run, the IO thread and the CPU threads stop; a run after it is correct', async () => {
  const page = await openPage(site.browser, `${site.url}?experiment=convoy&n=30&requests=60&delay_ms=20&repeats=3`);
  await page.click('#run');
  await page.waitForFunction(() => /running gil/.test(document.querySelector('#status').textContent), null, {
    timeout: 60_000,
  });
  // 7 runs of 60 requests of 20 ms, each warmed up and repeated 3 times, say how long they take in all.
  assert.match(
    await page.locator('#status').innerText(),
    /^running gil at 5 ms \(2 of 7\), (warm-up|repeat \d of 3) · about \d+ s in all · /,
  );
  await page.click('#cancel');
  assert.equal(await waitIdle(page, 10_000), 'cancelled');
  const { workers } = await page.evaluate(() => window.threadlab.usage());
  assert.ok(workers <= 1 + 3 + 1, `${workers} workers`);
  const after = await page.evaluate(() =>
    window.threadlab.convoy({ regimes: ['processes'], n: 18, requests: 4, repeats: 1, intervals: [] }),
  );
  assert.deepEqual(
    after.regimes.map((row) => [row.regime, row.correct, row.cpu?.correct ?? null]),
    [
      ['alone', true, null],
      ['processes', true, true],
    ],
  );
});

test('a share link of a convoy click shows its regimes in a fresh page; CSV and Markdown carry them', async () => {
  const context = await site.browser.newContext({ acceptDownloads: true });
  const page = await openPage(
    context,
    `${site.url}?experiment=convoy&n=18&requests=5&repeats=2&modes=gil,processes&intervals=1&autorun=1`,
  );
  assert.match(await waitIdle(page, 60_000), /^done/);
  const mine = await regimeRows(page);
  assert.equal(mine.length, 4, 'alone, gil, processes, gil at 1 ms');
  await page.click('#share');
  await page.waitForFunction(() => document.querySelector('#export-text').value.includes('#share=3.'));
  const link = await page.inputValue('#export-text');
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
  assert.equal(file.suggestedFilename(), 'threadlab-convoy-5requests-fib18x2.csv');
  const records = (await readFile(await file.path(), 'utf8'))
    .trim()
    .split('\r\n')
    .map((line) => JSON.parse(`[${line}]`));
  assert.deepEqual(records[0].slice(0, 3), ['regime', 'switch ms', 'median ms']);
  // Quoted as text, a leading minus is kept from being read as a formula.
  assert.deepEqual(
    records.slice(1).map((cells) => cells.map((cell) => cell.replace(/^'-/, '-'))),
    mine,
  );
  // The convoy chart as an image: a PNG, and an SVG whose rows are labelled as text and whose GIL waits are drawn.
  for (const format of ['png', 'svg']) {
    const [image] = await Promise.all([
      page.waitForEvent('download'),
      page.click(`button[data-image="convoy.${format}"]`),
    ]);
    assert.equal(image.suggestedFilename(), `threadlab-convoy-5requests-fib18x2-convoy.${format}`);
    const bytes = await readFile(await image.path());
    if (format === 'png') assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
    else assert.match(bytes.toString(), /<svg [^>]*>.*<text[^>]*>gil at 5 ms<\/text>.*<text[^>]*>gil at 1 ms<\/text>/s);
  }

  const theirs = await openPage(context, link);
  await theirs.waitForSelector('#shared:not([hidden])');
  await theirs.waitForSelector('#convoy:not([hidden])');
  assert.deepEqual(await regimeRows(theirs), mine);
  assert.equal(await theirs.locator('#verdicts').isHidden(), true);
  assert.deepEqual(theirs.errors, []);
  await context.close();
});

test('bad convoy options through the URL and the API: one clear message each, and nothing runs', async () => {
  const page = await openPage(site.browser, `${site.url}?experiment=convoy&intervals=0,5&autorun=1`);
  await page.waitForFunction(() => document.querySelector('#field-intervals-error').textContent !== '');
  assert.equal(
    await page.locator('#field-intervals-error').innerText(),
    'intervals must be numbers from 0.1 to 100, each once, at most 8 of them: each in range (got "0,5")',
  );
  assert.equal(await page.locator('#status').innerText(), 'nothing ran: see the messages in the form');
  const refused = await page.evaluate(() =>
    window.threadlab.convoy({ regimes: ['alone', 'single'] }).then(
      () => null,
      (error) => [error.field, error.message],
    ),
  );
  assert.deepEqual(refused, ['regimes', 'regimes must be a list of alone, gil, threads, processes (got "single")']);
});

test('where memory cannot be shared, gil runs in turns beside the IO thread, free threads cannot run, and the page says so', async () => {
  const server = await plainServer({ endpoint: true });
  const context = await site.browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await openPage(
      context,
      `${server.url}?experiment=convoy&n=20&requests=6&repeats=1&intervals=5&autorun=1`,
    );
    assert.match(await waitIdle(page, 60_000), /^done/);
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    const click = await page.evaluate(() => window.threadlab.test.lastClick());
    const gil = click.runs.find((run) => run.mode === 'gil');
    assert.deepEqual([gil.correct, gil.env.build, gil.gil.inTurns, gil.convoy.inTurns], [true, 'plain', true, true]);
    assert.ok(gil.jobs.filter((job) => job.request).every((job) => job.request.servedBy === 'server'));
    assert.ok(
      click.entries.every((entry) => entry.run && entry.run.mode !== 'threads'),
      'threads is not run',
    );
    assert.match(await page.locator('#support').innerText(), /^Free threads are unavailable: /);
    const rows = await regimeRows(page);
    assert.deepEqual(
      rows.map((cells) => cells[0]),
      ['alone', 'gil (in turns)', 'processes'],
    );
    await page.click('#results tbody tr[data-mode="gil"] button.pick');
    assert.match(
      await page.locator('#run-note').innerText(),
      /The IO thread took the turn whenever an answer had come/,
    );
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
    await server.close();
  }
});
