// When the rules bend, in real Chromium: fib and sha256 under the GIL, and processes against threads under the GIL
// as the payload grows. Every value right (sha256 against Node's own digest), the payload copied into each process
// as its own span and never into threads, the GIL let go around each chunk of sha256, the words in the answer and
// the room, a bad payload refused with its reason. Only shapes, values and order, never speed.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { openPage, useSite, waitIdle } from '../support/browser.js';
import { fib } from '../support/fib.js';
import { isolatedServer } from '../support/servers.js';
import { sha256Value } from '../support/sha256.js';

const site = useSite(isolatedServer);

const kinds = (job) => job.spans.map((span) => span.kind);

test('?experiment=bend&autorun=1: each work kind and payload runs, right, the payload copied only into processes', async () => {
  const url = `${site.url}?experiment=bend&n=24&mib=2&payloads=0,2&repeats=1&autorun=1`;
  const page = await openPage(site.browser, url);
  assert.match(await waitIdle(page, 120_000), /^done/);
  const click = await page.evaluate(() => window.threadlab.test.lastClick());
  assert.equal(click.experiment, 'bend');
  const label = (run) => `${run.mode} ${run.label}`;
  assert.deepEqual(click.runs.map(label), [
    'single fib(24) × 2',
    'gil fib(24) × 2',
    'threads fib(24) × 2',
    'single sha256 of 2 MiB × 2',
    'gil sha256 of 2 MiB × 2',
    'threads sha256 of 2 MiB × 2',
    'processes fib(24) × 2',
    'single fib(24) × 2, reading 2 MiB',
    'gil fib(24) × 2, reading 2 MiB',
    'processes fib(24) × 2, reading 2 MiB',
  ]);
  const [fib24, sha] = [fib(24), sha256Value(2)];
  for (const run of click.runs) {
    assert.ok(run.correct, label(run));
    const value = run.work.sha256 ? sha : fib24;
    assert.ok(
      run.jobs.every((job) => job.value === value),
      label(run),
    );
  }
  // The copy: a span of its own in each process with a payload, after its spawn and before its work; none elsewhere.
  for (const run of click.runs) {
    const copies = run.jobs.filter((job) => kinds(job).includes('copy-in'));
    const copying = run.mode === 'processes' && run.work.fib.payloadMb === 2;
    assert.equal(copies.length, copying ? 2 : 0, label(run));
    for (const job of copies) {
      const order = kinds(job).filter((kind) => ['spawn-instance', 'copy-in', 'compute'].includes(kind));
      assert.deepEqual(order, ['spawn-instance', 'copy-in', 'compute'], label(run));
    }
    assert.equal(run.copyMs != null, copying, label(run));
  }
  // sha256 under the GIL: the lock is let go around each chunk, so no hold covers a chunk's hashing.
  const gilSha = click.runs.find((run) => run.mode === 'gil' && run.work.sha256);
  for (const job of gilSha.jobs) {
    const chunks = job.spans.filter((span) => span.kind === 'compute');
    assert.equal(chunks.length, 2, 'a span for each MiB');
    for (const held of job.spans.filter((span) => span.kind === 'gil-held')) {
      assert.ok(
        chunks.every((chunk) => held.end <= chunk.start || chunk.end <= held.start),
        JSON.stringify(job.spans),
      );
    }
  }
  // The answer card and the room say the core's words, made of the report's figures.
  const { bend, answer } = click.report;
  assert.deepEqual(answer, bend.words);
  assert.equal(bend.words.length, 2, JSON.stringify(bend.words));
  assert.match(bend.words[0], /^Under the GIL, sha256 /);
  const shown = await page.$$eval('#bend-words li', (items) => items.map((item) => item.textContent));
  assert.deepEqual(shown, bend.words);
  const rows = await page.$$eval('#bend-payloads tbody tr', (trs) => trs.map((tr) => tr.cells[0].textContent));
  assert.deepEqual(rows, ['0', '2']);
  const kindRows = await page.$$eval('#bend-kinds tbody tr', (trs) => trs.map((tr) => tr.cells[0].textContent));
  assert.deepEqual(kindRows, ['fib', 'sha256']);
  await page.close();
});

test('a payload too large for the copies is refused with its reason, and the page stays usable', async () => {
  const page = await openPage(site.browser, `${site.url}?experiment=bend&workers=8`);
  const error = await page.waitForFunction(() => document.querySelector('#field-payloads-error')?.textContent);
  assert.match(await error.jsonValue(), /^the largest of payloads × workers must be at most 512 MiB/);
  assert.equal(await page.evaluate(() => document.querySelector('#run').disabled), false, 'the page stays usable');
  const api = await page.evaluate(() =>
    window.threadlab.bend({ payloads: [0, 300] }).then(
      () => 'ran',
      (e) => e.message,
    ),
  );
  assert.match(api, /payloads must be .*from 0 to 128/);
  await page.close();
});

test('a share link of a bend click shows both parts in a fresh page, and its CSV carries the payloads', async () => {
  const context = await site.browser.newContext({ acceptDownloads: true });
  const page = await openPage(context, `${site.url}?experiment=bend&n=22&mib=1&payloads=0,1&repeats=1&autorun=1`);
  assert.match(await waitIdle(page, 60_000), /^done/);
  const table = (p, id) =>
    p.$$eval(`#${id} tbody tr`, (rows) => rows.map((row) => [...row.cells].map((cell) => cell.textContent)));
  const mine = { kinds: await table(page, 'bend-kinds'), payloads: await table(page, 'bend-payloads') };
  assert.equal(mine.payloads.length, 2);
  await page.click('#share');
  await page.waitForFunction(() => document.querySelector('#export-text').value.includes('#share=6.'));
  const link = await page.inputValue('#export-text');
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
  const csv = await readFile(await file.path(), 'utf8');
  assert.match(csv, /payload MiB.*processes gain/);
  const theirs = await openPage(context, link);
  await theirs.waitForSelector('#shared:not([hidden])');
  await theirs.waitForSelector('#bend:not([hidden])');
  assert.deepEqual({ kinds: await table(theirs, 'bend-kinds'), payloads: await table(theirs, 'bend-payloads') }, mine);
  assert.deepEqual(theirs.errors, []);
  await context.close();
});

test('a bend click says how long it will take while it runs, and Cancel stops it; a run after it is right', async () => {
  // Long enough to be cancelled whatever the machine: about a minute of runs.
  const page = await openPage(site.browser, `${site.url}?experiment=bend&n=38&mib=16&payloads=0,32,128&repeats=5`);
  await page.click('#run');
  await page.waitForFunction(
    () => / · about \d+ s in all · /.test(document.querySelector('#status').textContent),
    null,
    {
      timeout: 60_000,
    },
  );
  assert.match(
    await page.locator('#status').innerText(),
    /^running .* \(\d+ of 13\), (warm-up|repeat \d of 5) · about/,
  );
  await page.click('#cancel');
  assert.equal(await waitIdle(page, 10_000), 'cancelled');
  const after = await page.evaluate(() =>
    window.threadlab.bend({ n: 18, mib: 1, payloads: [1], repeats: 1 }).then(({ runs }) => runs.map((r) => r.correct)),
  );
  assert.deepEqual(after, Array(9).fill(true), '6 runs of the two works, 3 at a payload of 1 MiB');
  await page.close();
});
