// Share links in real Chromium: a link made after a run shows the receiver the same figures, marked as someone
// else's, and running the same experiment puts this machine's beside them. A damaged, hostile or future link is
// one message, never markup, and the page still runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, resultRows, runForm, useSite, waitIdle } from '../support/browser.js';
import { isolatedServer } from '../support/servers.js';

const site = useSite(isolatedServer);
const SETTINGS = '?modes=single,gil,io-concurrent&n=24&workers=2&repeats=2&requests=3&delay_ms=20';

/** Runs the settings, makes a share link and returns it with the table's rows. */
async function shareAfterRun() {
  const page = await openPage(site.browser, `${site.url}${SETTINGS}`);
  assert.match(await runForm(page), /^done/);
  const rows = await resultRows(page);
  await page.click('#share');
  await page.waitForFunction(() => document.querySelector('#export-text').value.includes('#share=1.'));
  const link = await page.inputValue('#export-text');
  assert.match(await page.locator('#export-status').innerText(), new RegExp(`a link of ${link.length} characters`));
  await page.close();
  return { link, rows };
}

test('a share link shows the same numbers in a fresh page on a phone, marked as shared, and a re-run puts ours beside them', async (t) => {
  const { link, rows } = await shareAfterRun();
  t.diagnostic(`a link of ${link.length} characters for ${rows.length} runs`);
  assert.ok(
    link.startsWith(
      `${site.url}?modes=single%2Cgil%2Cio-concurrent&n=24&work=fib&mib=16&payload_mb=0&workers=2&repeats=2`,
    ),
    link.slice(0, 200),
  );

  // The receiver is on a phone.
  const context = await site.browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await openPage(context, link);
  await page.waitForSelector('#shared:not([hidden])');
  assert.match(
    await page.locator('#shared-who').innerText(),
    /^These figures were measured on someone else's machine: Chrome \d+ on \d+ cores?, cross-origin isolated, threads build\.$/,
  );
  const shared = await resultRows(page);
  assert.equal(shared[0].mode, undefined, 'a heading row');
  assert.match(shared[0].cells[0], /^Shared with you: Chrome \d+ on/);
  assert.deepEqual(
    shared.slice(1).map((row) => row.cells),
    rows.map((row) => row.cells),
    'exactly the same figures',
  );
  assert.deepEqual(
    shared.slice(1).map((row) => row.className),
    ['shared', 'shared', 'shared'],
  );
  assert.equal(await page.locator('#verdicts').isVisible(), true, 'their verdicts');
  assert.equal(await page.locator('#timeline-part').isVisible(), false, 'a link carries no timeline');
  assert.equal(await page.inputValue('#field-n'), '24', 'the form holds their settings');

  await page.click('#run-shared');
  assert.match(await waitIdle(page), /^done/);
  const both = await resultRows(page);
  assert.deepEqual(
    both.map((row) => row.mode ?? row.cells[0].split(':')[0]),
    ['Shared with you', 'single', 'gil', 'io-concurrent', 'This machine', 'single', 'gil', 'io-concurrent'],
  );
  assert.deepEqual(
    both.slice(1, 4).map((row) => row.cells),
    rows.map((row) => row.cells),
    'theirs unchanged',
  );
  assert.deepEqual(
    both.slice(5).map((row) => row.cells[6]),
    ['46368 ✓', '46368 ✓', '3 ok ✓'],
  );
  // The wall chart says in words what it draws: both machines' bars, theirs with their medians.
  const chart = await page.getAttribute('#walls', 'aria-label');
  assert.match(chart, /shared: Chrome \d+, \d+ cores · here: Chrome \d+, \d+ cores/);
  for (const row of rows)
    assert.ok(chart.includes(`shared ${row.mode} ${row.cells[2].split(' ')[0]} ms`), `${row.mode} in ${chart}`);
  for (const mode of ['single', 'gil', 'io-concurrent']) assert.match(chart, new RegExp(`here ${mode} [\\d.]+ ms`));
  assert.deepEqual(
    await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]),
    [360, 360],
    'no sideways scrolling',
  );
  assert.deepEqual(page.errors, []);
  await context.close();
});

const HOSTILE = '<img src=x onerror=window.__pwned=1>';

/** A link whose JSON has been changed by `edit` (it gets the parsed JSON), encoded again. */
function tampered(link, edit) {
  const [address, fragment] = link.split('#share=1.');
  const data = JSON.parse(Buffer.from(fragment, 'base64url').toString());
  edit(data);
  return `${address}#share=1.${Buffer.from(JSON.stringify(data)).toString('base64url')}`;
}

test('hostile, truncated and future links give one message as text, and the page still runs', async () => {
  const { link } = await shareAfterRun();
  const everywhere = (data) => {
    for (const key of Object.keys(data.settings)) data.settings[key] = HOSTILE;
    data.env.ua = HOSTILE;
    data.env.build = HOSTILE;
    for (const run of data.runs) {
      if (run.mode.startsWith('io')) run.failed = [[0, HOSTILE]];
      run.mode = HOSTILE;
    }
  };
  const cases = [
    [tampered(link, everywhere), /it is incomplete or was altered/],
    [tampered(link, (data) => (data.settings.n = HOSTILE)), /its settings break a rule: n must be a whole number/],
    [tampered(link, (data) => (data.env.ua = `${HOSTILE}\u202e`)), /its browser is not plain text/],
    [
      tampered(link, (data) => (data.env.build = HOSTILE)),
      /its build \(<img src=x onerror=w…\) is neither threads nor plain/,
    ],
    [link.slice(0, -30), /it is incomplete or was altered/],
    [link.replace('#share=1.', '#share=7.'), /a newer threadlab made it \(format 7; this page reads format 6\)/],
    [link.replace(/#share=1\..*/, `#share=1.${HOSTILE}`), /it is incomplete or was altered/],
  ];
  for (const [url, why] of cases) {
    const page = await openPage(site.browser, url);
    const problem = page.locator('#share-problem');
    await problem.waitFor();
    const text = await problem.innerText();
    assert.match(text, /^Cannot read this link's results: /);
    assert.match(text, why);
    assert.equal(await problem.evaluate((p) => p.children.length), 0, 'text only');
    assert.equal(await page.evaluate(() => document.querySelectorAll('img').length), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('#shared').isVisible(), false);
    assert.deepEqual(await resultRows(page), []);
    await page.fill('#field-n', '20');
    await page.fill('#field-repeats', '1');
    await page.evaluate(() => {
      for (const box of document.querySelectorAll('input[name=mode]')) box.checked = box.value === 'single';
    });
    assert.match(await runForm(page), /^done/, 'the page still runs');
    assert.deepEqual(
      (await resultRows(page)).map((row) => row.cells[6]),
      ['6765 ✓'],
    );
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});

test('an error text from a shared io run is shown as text, never as markup', async () => {
  const { link } = await shareAfterRun();
  const url = tampered(link, (data) => {
    const io = data.runs.find((run) => run.mode === 'io-concurrent');
    io.failed = [[0, HOSTILE]];
    io.correct = false;
  });
  const page = await openPage(site.browser, url);
  await page.waitForSelector('#shared:not([hidden])');
  const row = (await resultRows(page)).find((r) => r.mode === 'io-concurrent');
  assert.equal(row.cells[6], `2 ok · 1 failed: ${HOSTILE}`);
  assert.equal(await page.evaluate(() => document.querySelectorAll('img').length), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await page.close();
});
