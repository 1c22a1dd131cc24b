// Exports in real Chromium: Markdown, JSON and CSV hold the table's own figures (JSON every sample and the
// environment too), and each chart downloads as a PNG and an SVG that are images of that type, not empty.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { ms } from '../../www/ui/results.js';
import { openPage, resultRows, runForm, useSite } from '../support/browser.js';
import { isolatedServer } from '../support/servers.js';

const site = useSite(isolatedServer);

async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

test("Markdown, JSON and CSV exports hold the table's figures; each chart is a PNG and an SVG", async () => {
  const context = await site.browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url.replace(/\/$/, '') });
  const page = await openPage(
    context,
    `${site.url}?modes=single,processes,gil,io-sequential&n=24&workers=2&repeats=3&requests=3&delay_ms=10`,
  );
  assert.match(await runForm(page), /^done/);
  const rows = await resultRows(page);
  const wall = (row) => row.cells[2].split(' '); // "0.41 0.40–0.44": median and range
  // One machine's chart: its caption (what a PNG or SVG carries) names the work, the browser and the cores.
  assert.match(
    await page.getAttribute('#walls', 'aria-label'),
    /^Wall time per run, fib\(24\) × 2, 3 × GET built-in endpoint \(10 ms\) · Chrome \d+, \d+ cores? · median of 3 runs each: single /,
  );

  await page.click('#copy-markdown');
  await page.waitForFunction(
    () => document.querySelector('#export-status').textContent === 'the table as Markdown copied',
  );
  const markdown = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(await page.inputValue('#export-text'), markdown);
  const lines = markdown.trim().split('\n');
  assert.match(
    lines[0],
    /^\*\*threadlab\*\* · This machine: Chrome \d+ on \d+ cores?, cross-origin isolated, threads build$/,
  );
  assert.equal(lines[2], '| mode | work | wall ms | spawn ms | speedup | per job ms | outcome |');
  rows.forEach((row, i) => {
    const [median, range] = wall(row);
    const spawn = row.cells[3] === '—' ? '—' : `${row.cells[3].split(' ')[0]} (${row.cells[3].split(' ')[1]})`;
    assert.equal(
      lines[4 + i],
      `| ${row.mode} | ${row.cells[1]} | ${median} (${range}) | ${spawn} | ${row.cells[4]} | ${row.cells[5]} | ${row.cells[6]} |`,
    );
  });

  const csv = await download(page, '#download-csv');
  assert.equal(csv.name, 'threadlab-fib24x2-3requests.csv');
  const records = csv.bytes
    .toString()
    .trim()
    .split('\r\n')
    .map((line) => JSON.parse(`[${line}]`));
  assert.deepEqual(records[0], [
    'mode',
    'work',
    'wall ms (median)',
    'wall ms (range)',
    'spawn ms (median)',
    'spawn ms (range)',
    'speedup',
    'per job ms',
    'outcome',
  ]);
  assert.deepEqual(
    records.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[6], r[7], r[8]]),
    rows.map((row) => [row.mode, row.cells[1], ...wall(row), row.cells[4], row.cells[5], row.cells[6]]),
  );

  const json = await download(page, '#download-json');
  assert.equal(json.name, 'threadlab-fib24x2-3requests.json');
  const data = JSON.parse(json.bytes.toString());
  assert.equal(data.threadlab, 1);
  assert.equal(data.settings.n, '24');
  assert.match(data.environment.userAgent, /Chrome\//);
  assert.deepEqual(
    data.runs.map((run) => run.mode),
    rows.map((row) => row.mode),
  );
  for (const [i, run] of data.runs.entries()) {
    assert.equal(run.repeats.samples.length, 3, 'every sample');
    const sorted = [...run.repeats.samples].sort((a, b) => a - b);
    assert.equal(sorted[1], run.repeats.wallMs.median);
    assert.equal(ms(run.repeats.wallMs.median), wall(rows[i])[0], "the table's median, as the page rounds it");
    assert.equal(`${ms(run.repeats.wallMs.min)}–${ms(run.repeats.wallMs.max)}`, wall(rows[i])[1]);
    assert.ok(
      run.jobs.every((job) => job.spans.length > 0),
      'each job with its timeline',
    );
  }
  assert.equal(data.report.verdicts.length, 3);

  for (const chart of ['walls', 'timeline']) {
    const png = await download(page, `button[data-image="${chart}.png"]`);
    assert.equal(png.name, `threadlab-fib24x2-3requests-${chart}.png`);
    assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
    assert.ok(png.bytes.length > 5_000, `${chart}.png: ${png.bytes.length} bytes`);
    const svg = await download(page, `button[data-image="${chart}.svg"]`);
    assert.equal(svg.name, `threadlab-fib24x2-3requests-${chart}.svg`);
    const text = svg.bytes.toString();
    assert.match(text, /^(<\?xml[^>]*>\s*)?<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, 'an SVG');
    // Its bars, in their colours (the legend has one swatch of each): every run's, or every request's.
    const bars = (text.match(chart === 'walls' ? /fill="#3b82c4"/g : /fill="#7b61c9"/g) ?? []).length - 1;
    assert.ok(bars >= (chart === 'walls' ? rows.length : 3), `${chart}.svg draws ${bars} bars`);
    // Drawn as vectors, with its text as text: the mode names and the title are in it.
    // A wall bar's label is its mode alone; the work is in the title.
    const labelled =
      chart === 'walls'
        ? [/<text[^>]*>single<\/text>/, /<text[^>]*>fib\(24\) × 2, /]
        : [/<text[^>]*>timeline: io-sequential/];
    for (const words of labelled) assert.match(text, words);
  }
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('where the clipboard is refused, each copy button says so and selects the text to copy by hand', async () => {
  const context = await site.browser.newContext();
  await context.addInitScript(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('refused', 'NotAllowedError'));
  });
  const page = await openPage(context, `${site.url}?modes=single&n=20&repeats=1`);
  const selected = (selector) =>
    page.$eval(
      selector,
      (box) => box.value.length > 0 && box.selectionStart === 0 && box.selectionEnd === box.value.length,
    );

  assert.match(await runForm(page), /^done/);
  await page.click('#copy-markdown');
  await page.waitForFunction(() => document.querySelector('#export-status').textContent !== '');
  assert.equal(
    await page.locator('#export-status').innerText(),
    'the table as Markdown is in the box below: copy it from there',
  );
  assert.ok(await selected('#export-text'), 'the Markdown is selected in its box');

  await page.click('#embed-snippet summary');
  await page.click('#copy-snippet');
  await page.waitForFunction(() => document.querySelector('#copy-status').textContent !== '');
  assert.equal(await page.locator('#copy-status').innerText(), 'selected: copy it with your keyboard');
  assert.ok(await selected('#snippet'), 'the snippet is selected');

  await page.goto(`${site.url}?experiment=python`);
  await page.click('#python-own summary');
  await page.click('#python-own-copy');
  await page.waitForFunction(() => document.querySelector('#python-own-status').textContent !== '');
  assert.equal(await page.locator('#python-own-status').innerText(), 'the command is selected: copy it');
  assert.equal(
    await page.evaluate(() => getSelection().toString()),
    await page.locator('#python-own-command').innerText(),
  );
  await context.close();
});
