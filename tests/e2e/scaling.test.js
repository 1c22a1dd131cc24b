// The scaling experiment in real Chromium: every point correct, its figures consistent with the table and the
// chart, cancel keeping what finished, share links and exports carrying every point, and bad k lists refused at
// every door. On these 2-core machines only shapes and values are tested, never speed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, runForm, useSite, waitIdle } from '../support/browser.js';
import { modesOf } from '../support/core.js';
import { fib } from '../support/fib.js';
import { isolatedServer } from '../support/servers.js';

const site = useSite(isolatedServer);
const FIB_24 = fib(24);
const MODES = modesOf('scaling');

/** The points table's rows: `{ k, mode, median, speedup, ideal, efficiency, outcome }` as text. */
const pointRows = (page) =>
  page.$$eval('#points tbody tr', (rows) =>
    rows.map((row) => {
      const [k, mode, wall, speedup, ideal, efficiency, outcome] = [...row.cells];
      const median = (cell) => cell.querySelector('.median')?.textContent ?? cell.textContent;
      return {
        k: k.textContent,
        mode: mode.textContent,
        median: median(wall),
        speedup: median(speedup),
        ideal: ideal.textContent,
        efficiency: efficiency.textContent,
        outcome: outcome.textContent,
      };
    }),
  );

test('?experiment=scaling&ks=1,2,3: every point correct, its speedup the ratio of the medians, the ideal and the cores drawn', async () => {
  const page = await openPage(site.browser, `${site.url}?experiment=scaling&ks=1,2,3&n=24&repeats=2&autorun=1`);
  assert.match(await waitIdle(page, 120_000), /^done/);
  const click = await page.evaluate(() => window.threadlab.test.lastClick());
  assert.equal(click.experiment, 'scaling');
  assert.deepEqual(
    click.runs.map((run) => [run.mode, run.workers]),
    [1, 2, 3].flatMap((k) => MODES.map((mode) => [mode, k])),
  );
  for (const run of click.runs) {
    assert.ok(run.correct && run.jobs.every((job) => job.value === FIB_24), `${run.mode} k=${run.workers}`);
    const { median, min, max } = run.repeats.wallMs;
    assert.ok(min <= median && median <= max);
  }
  const { points, cores, words } = click.report.scaling;
  assert.equal(cores, await page.evaluate(() => navigator.hardwareConcurrency));
  for (const point of points) {
    const single = points.find((p) => p.mode === 'single' && p.workers === point.workers);
    assert.equal(point.speedup, single.wallMs.median / point.wallMs.median, `${point.mode} k=${point.workers}`);
    // single, which the others are read against, has no ideal and no efficiency of its own.
    const ideal = point.mode === 'single' ? null : Math.min(point.workers, cores);
    assert.equal(point.ideal, ideal);
    assert.equal(point.efficiency, ideal && point.speedup / point.ideal);
    assert.ok(point.speedupRange[0] <= point.speedup && point.speedup <= point.speedupRange[1]);
  }
  // The table shows the same figures.
  const rows = await pointRows(page);
  assert.deepEqual(
    rows.map((row) => [row.k, row.mode, row.speedup, row.efficiency, row.outcome]),
    points.map((p) => [
      String(p.workers),
      p.mode,
      `${p.speedup.toFixed(2)}×`,
      p.efficiency === null ? '—' : `${Math.round(p.efficiency * 100)}%`,
      '✓',
    ]),
  );
  // The chart: a line per mode but single, and the ideal min(k, cores), dashed, with the cores marked.
  const chart = await page.evaluate(() => window.threadlab.test.scalingChart());
  assert.deepEqual(
    chart.datasets.map((d) => [d.label, d.dashed]),
    [
      ['threads', false],
      ['processes', false],
      ['interpreters', false],
      ['gil', false],
      ['ideal: min(k, cores)', true],
    ],
  );
  assert.deepEqual(
    chart.datasets.at(-1).data,
    [1, 2, 3].map((k) => ({ x: k, y: Math.min(k, cores) })),
  );
  assert.equal(chart.cores, cores);
  for (const dataset of chart.datasets.slice(0, 3)) {
    assert.deepEqual(
      dataset.data,
      points.filter((p) => p.mode === dataset.label).map((p) => ({ x: p.workers, y: p.speedup })),
    );
  }
  // The words are the table's figures.
  const shown = await page.$$eval('#scaling-words li', (items) => items.map((item) => item.textContent));
  assert.deepEqual(shown, words);
  const best = (mode) => points.filter((p) => p.mode === mode).reduce((a, b) => (b.speedup > a.speedup ? b : a));
  for (const mode of ['threads', 'processes']) {
    const point = best(mode);
    assert.ok(
      shown.some((s) =>
        s.startsWith(
          `${mode} reached ${point.speedup.toFixed(2)}× at k = ${point.workers} on ${cores} cores (ideal ${point.ideal}×)`,
        ),
      ),
      mode,
    );
  }
  assert.ok(shown.some((s) => s.startsWith(`gil stayed at ${best('gil').speedup.toFixed(2)}× or less`)));
  // Each k's spawn, against what k bare workers take to start at once here (measured once per k).
  await page.waitForFunction(() => document.querySelector('#spawn-note').textContent !== '');
  const note = await page.locator('#spawn-note').innerText();
  const shownFloors = note.match(
    /^Processes' spawn, (?:against what as many bare workers take to start in this browser \(medians of 5\), the floor no fresh worker can start under, whatever it then loads|beside what as many bare workers took to start in this browser after the click \(medians of 5\)): [\d.]+ ms at k = 1 \(a bare worker: ([\d.]+) ms\), [\d.]+ ms at k = 2 \(2 bare workers at once: ([\d.]+) ms\), [\d.]+ ms at k = 3 \(3 bare workers at once: ([\d.]+) ms\)\.(?: Some bare workers took longer than the spawn: the page was busier when they were timed, so they set no floor here\.)?$/,
  );
  assert.ok(shownFloors, note);
  const floors = await page.evaluate(() => Promise.all([1, 2, 3].map((k) => window.threadlab.workerFloor(k))));
  for (const [i, floor] of floors.entries()) {
    assert.ok(
      floor.count === i + 1 && floor.samples.length === 5 && floor.samples.includes(floor.ms),
      JSON.stringify(floor),
    );
    assert.ok(Math.abs(Number(shownFloors[i + 1]) - floor.ms) <= 0.05 * floor.ms, `${note} / ${floor.ms}`);
  }
  assert.match(
    await page.evaluate(() => window.threadlab.workerFloor(0.5).catch((error) => error.message)),
    /^workerFloor: count must be a whole number from 1 to 64, got 0\.5$/,
  );
  assert.deepEqual(page.errors, []);
});

test('cancelled halfway, the finished points stay and nothing keeps running; a run after it works', async () => {
  const page = await openPage(site.browser, `${site.url}?experiment=scaling&ks=1,2,3,4&n=37&repeats=3`);
  await page.click('#run');
  await page.waitForFunction(() => / at k = 2 /.test(document.querySelector('#status').textContent), null, {
    timeout: 60_000,
  });
  await page.click('#cancel');
  assert.equal(await waitIdle(page, 10_000), 'cancelled');
  const rows = await pointRows(page);
  assert.ok(rows.length >= MODES.length && rows.length < 4 * MODES.length, `${rows.length} points kept`);
  assert.deepEqual(
    rows.slice(0, MODES.length).map((row) => [row.k, row.mode]),
    MODES.map((mode) => ['1', mode]),
  );
  // Nothing runs: the lab holds its idle workers (the core worker, its pool, the io worker) and no fresh one.
  const { workers } = await page.evaluate(() => window.threadlab.usage());
  assert.ok(workers <= 1 + 4 + 1, `${workers} workers`);
  const after = await page.evaluate(() =>
    window.threadlab.scaling({ n: 20, ks: [2], modes: ['single', 'gil'], repeats: 1 }),
  );
  assert.deepEqual(
    after.points.map((p) => [p.mode, p.workers, p.correct]),
    [
      ['single', 2, true],
      ['gil', 2, true],
    ],
  );
});

test('a share link of a scaling click shows its points and chart in a fresh page; CSV and JSON carry every point', async () => {
  const context = await site.browser.newContext({ acceptDownloads: true });
  const page = await openPage(
    context,
    `${site.url}?experiment=scaling&ks=1,2&n=22&repeats=2&modes=single,threads,gil&autorun=1`,
  );
  assert.match(await waitIdle(page, 60_000), /^done/);
  const mine = await pointRows(page);
  await page.click('#share');
  await page.waitForFunction(() => document.querySelector('#export-text').value.includes('#share=2.'));
  const link = await page.inputValue('#export-text');
  const download = async (button) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
    return {
      name: file.suggestedFilename(),
      text: await (await import('node:fs/promises')).readFile(await file.path(), 'utf8'),
    };
  };
  const csv = await download('#download-csv');
  assert.equal(csv.name, 'threadlab-scaling-fib22.csv');
  const records = csv.text
    .trim()
    .split('\r\n')
    .map((line) => JSON.parse(`[${line}]`));
  assert.deepEqual(records[0], [
    'k',
    'mode',
    'wall ms (median)',
    'wall ms (range)',
    'speedup',
    'speedup (range)',
    'ideal',
    'efficiency',
    'outcome',
  ]);
  assert.deepEqual(
    records.slice(1).map((r) => [r[0], r[1], r[2], r[4], r[7]]),
    mine.map((row) => [row.k, row.mode, row.median, row.speedup, row.efficiency]),
  );
  const json = JSON.parse((await download('#download-json')).text);
  assert.equal(json.report.scaling.points.length, 6);
  assert.equal(json.settings.experiment, 'scaling');

  const theirs = await openPage(context, link);
  await theirs.waitForSelector('#shared:not([hidden])');
  await theirs.waitForSelector('#scaling:not([hidden])');
  assert.deepEqual(await pointRows(theirs), mine);
  const chart = await theirs.evaluate(() => window.threadlab.test.scalingChart());
  assert.deepEqual(
    chart.datasets.map((d) => d.label),
    ['threads', 'gil', 'ideal: min(k, cores)'],
  );
  assert.deepEqual(theirs.errors, []);
  await context.close();
});

test('bad k lists through the URL and the API: one clear message each, and nothing runs', async () => {
  for (const [ks, why] of [
    ['0', 'each in range'],
    ['1,1', 'each once'],
    ['65', 'each in range'],
    ['a,2', 'a whole number each'],
    [Array.from({ length: 17 }, (_, i) => i + 1).join(','), 'not so many'],
  ]) {
    const page = await openPage(site.browser, `${site.url}?experiment=scaling&ks=${ks}&n=20&autorun=1`);
    await page.waitForFunction(() => /^nothing ran/.test(document.querySelector('#status').textContent));
    const quoted = ks.length > 40 ? `${ks.slice(0, 40)}…` : ks; // a long value is quoted briefly
    assert.equal(
      await page.locator('#field-ks-error').innerText(),
      `ks must be whole numbers from 1 to 64, each once, at most 16 of them: ${why} (got "${quoted}")`,
    );
    assert.equal(await page.locator('#points tbody tr').count(), 0);
    await page.close();
  }
  const page = await openPage(site.browser, site.url);
  for (const [options, field, message] of [
    [
      { ks: [0] },
      'ks',
      /^ks must be whole numbers from 1 to 64, each once, at most 16 of them: each in range \(got \[0\]\)$/,
    ],
    [{ ks: [2, 2] }, 'ks', /each once/],
    [{ ks: '1,2' }, 'ks', /a whole number each/],
    [{ ks: [1], modes: 'single' }, 'modes', /^modes must be a list of modes/],
    [
      { ks: [1], modes: ['single', 'io-sequential'] },
      'modes',
      /^modes: the scaling experiment does not run io-sequential \(it runs single, threads, processes, interpreters, gil\)$/,
    ],
    [{ ks: [1], n: 99 }, 'n', /^n must be a whole number from 0 to 45/],
    [
      { ks: [1], workers: 2 },
      'workers',
      /^"workers" is not an option: the options are n, ks, modes, repeats, switchMs$/,
    ],
  ]) {
    const error = await page.evaluate(
      (o) =>
        window.threadlab.scaling(o).then(
          () => null,
          (e) => ({ field: e.field, message: e.message }),
        ),
      options,
    );
    assert.equal(error?.field, field, JSON.stringify(options));
    assert.match(error.message, message);
  }
});

test('a mode scaling would not run is refused from the URL, and picking scaling in the form picks its modes', async () => {
  const page = await openPage(
    site.browser,
    `${site.url}?experiment=scaling&ks=1&n=20&modes=single,io-concurrent&autorun=1`,
  );
  await page.waitForFunction(() => /^nothing ran/.test(document.querySelector('#status').textContent));
  assert.equal(
    await page.locator('#modes-error').innerText(),
    'modes: the scaling experiment does not run io-concurrent (it runs single, threads, processes, interpreters, gil)',
  );
  assert.equal(await page.locator('#points tbody tr').count(), 0);
  await page.goto(site.url);
  await page.waitForFunction(() => window.threadlab && !document.querySelector('#run').disabled);
  await page.click('#change-settings');
  await page.selectOption('#field-experiment', 'scaling');
  const picked = () => page.$$eval('input[name=mode]:checked', (boxes) => boxes.map((box) => box.value));
  assert.deepEqual(await picked(), MODES);
  assert.equal(new URL(page.url()).searchParams.get('modes'), MODES.join(','));
  await page.selectOption('#field-experiment', 'article');
  assert.equal((await picked()).length, 7, 'the article runs every mode');
  await page.close();
});

test('a scaling click longer than a minute says so first, and offers a smaller n', async () => {
  const page = await openPage(site.browser, `${site.url}?experiment=scaling&ks=1,2,3,4&n=44&repeats=3`);
  await page.click('#run');
  await page.waitForSelector('#ask:not([hidden])', { timeout: 60_000 });
  const text = await page.locator('#ask span').innerText();
  assert.match(text, new RegExp(`^${4 * MODES.length} runs, each warmed up and repeated: about [\\d.]+ minutes\\.$`));
  const choices = await page.$$eval('#ask button', (buttons) => buttons.map((button) => button.textContent));
  assert.equal(choices[0], 'Run it as set');
  const [, smaller] = choices[1].match(/^Use n = (\d+) instead \(about \d+ s\)$/);
  assert.ok(Number(smaller) < 44);
  await page.click('#ask button:nth-of-type(2)');
  // The click runs again at the smaller n, and the form and the address say so.
  await page.waitForFunction(() => / at k = 1 /.test(document.querySelector('#status').textContent));
  assert.equal(await page.inputValue('#field-n'), smaller);
  assert.equal(new URL(page.url()).searchParams.get('n'), smaller);
  await page.click('#cancel');
  assert.equal(await waitIdle(page, 10_000), 'cancelled');
});

test('at 360 px the scaling room fits: nothing scrolls the page sideways', async () => {
  const context = await site.browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await openPage(context, `${site.url}?experiment=scaling&ks=1,2&n=20&repeats=1&modes=single,threads`);
  assert.match(await runForm(page), /^done/);
  assert.equal(await page.isVisible('#scaling-chart'), true);
  assert.equal(
    await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth),
    true,
    'sideways scrolling',
  );
  await context.close();
});
