// The first thing a visitor sees: a default `autorun=1` load runs the article's experiment and reads it in the
// verdict panel, with the figures of the results table. What the verdicts say depends on this machine's speed,
// so only their shape and their agreement with the table are checked here; the bench measures the speed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, resultRows, useSite, waitIdle } from '../support/browser.js';
import { modesOf } from '../support/core.js';
import { isolatedServer } from '../support/servers.js';

const site = useSite(isolatedServer);
const MARKS = ['✓ as the theory says', '✗ not here', '≈ too close to call'];

test("a default autorun load gives the article's three verdicts, in the table's own figures", {
  timeout: 120_000,
}, async (t) => {
  const page = await openPage(site.browser, `${site.url}?autorun=1`);
  assert.match(await waitIdle(page, 100_000), /^done/);
  const rows = await resultRows(page);
  assert.deepEqual(
    rows.map((row) => row.mode),
    modesOf('article'),
  );
  for (const row of rows) t.diagnostic(row.cells.join(' | '));
  assert.equal(rows[0].cells[1], 'fib(40) × 2');
  assert.equal(rows[4].cells[1], '10 × GET built-in endpoint (100 ms)');
  assert.ok(
    rows.every((row) => row.className === ''),
    'every run correct',
  );

  const medians = Object.fromEntries(
    await page.$$eval('#results tbody tr', (trs) =>
      trs.map((tr) => [tr.dataset.mode, tr.querySelector('.median').textContent]),
    ),
  );
  const verdicts = await page.$$eval('#verdicts .verdict', (items) =>
    items.map((item) => ({
      claim: item.querySelector('h3').textContent,
      checks: [...item.querySelectorAll('.check')].map((check) => ({
        mark: check.querySelector('.mark').textContent,
        figures: [...check.querySelectorAll('.figure')].map((f) => [f.dataset.mode, f.textContent]),
        text: check.textContent,
      })),
    })),
  );
  assert.deepEqual(
    verdicts.map((v) => v.claim),
    [
      '1. IO-bound work: threads beat one thread',
      '2. CPU-bound work: processes beat threads',
      '3. CPU-bound work: one thread beats threads',
    ],
  );
  for (const verdict of verdicts) {
    t.diagnostic(verdict.claim);
    assert.equal(verdict.checks.length, 2);
    for (const check of verdict.checks) {
      t.diagnostic(`  ${check.text}`);
      assert.ok(MARKS.includes(check.mark), check.mark);
      assert.equal(check.figures.length, 2);
      // Each figure in the panel is the table's median of that mode, word for word.
      for (const [mode, text] of check.figures) assert.equal(text, `${mode} ${medians[mode]} ms`);
      assert.match(check.text, /(\d+\.\d\d× faster\.|no difference beyond the noise)/);
    }
  }
  // The speedups in the table are ratios of the same medians.
  const speedup = (mode) => Number(rows.find((row) => row.mode === mode).cells[4].replace('×', ''));
  assert.equal(speedup('single'), 1);
  assert.ok(
    Math.abs(speedup('threads') - Number(medians.single) / Number(medians.threads)) < 0.02,
    `threads speedup ${speedup('threads')} against ${medians.single} / ${medians.threads}`,
  );
  assert.deepEqual(page.errors, []);
});

test("the article's experiment is one click away, and fills the form with its numbers", async () => {
  const page = await openPage(site.browser, `${site.url}?n=12&workers=3&modes=single&repeats=1`);
  assert.equal(await page.locator('#article-start').innerText(), "Run the article's experiment");
  await page.click('#article-start');
  await page.waitForFunction(() => document.body.classList.contains('running'));
  const search = new URLSearchParams(await page.evaluate(() => location.search));
  assert.deepEqual(
    [search.get('n'), search.get('workers'), search.get('repeats'), search.get('requests')],
    ['40', '2', '3', '10'],
  );
  assert.equal(search.get('modes'), 'single,threads,processes,gil,io-sequential,io-concurrent,io-workers');
  await page.click('#cancel');
  assert.equal(await waitIdle(page, 10_000), 'cancelled');
});
