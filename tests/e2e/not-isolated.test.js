// The built site on a host without COOP/COEP: threads and gil are unavailable, with the reason on the page;
// single and processes still run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, resultRows, waitIdle, useSite } from '../support/browser.js';
import { plainServer } from '../support/servers.js';

const site = useSite(plainServer);

test('threads and gil are unavailable with a visible reason; single and processes run', async (t) => {
  const page = await openPage(site.browser, `${site.url}?n=25&workers=2&modes=single,threads,processes&autorun=1`);
  assert.equal(await page.evaluate(() => crossOriginIsolated), false);
  const notice = await page.locator('#support').innerText();
  assert.match(notice, /threads and gil are unavailable: this page is not cross-origin isolated/);
  const disabled = await page.$$eval('input[name=mode]:disabled', (boxes) => boxes.map((b) => b.value));
  assert.deepEqual(disabled, ['threads', 'gil']);

  assert.match(await waitIdle(page), /^done/);
  const rows = await resultRows(page);
  assert.deepEqual(rows.map((row) => row.mode), ['single', 'threads', 'processes']);
  for (const row of rows) t.diagnostic(row.cells.join(' | '));
  assert.equal(rows[0].cells[6], '75025 ✓');
  assert.equal(rows[1].className, 'failed');
  assert.match(rows[1].cells[1], /threads is unavailable here: this page is not cross-origin isolated/);
  assert.equal(rows[2].cells[6], '75025 ✓');

  const rejected = await page.evaluate(() => window.threadlab.run({ mode: 'gil', n: 20 }).catch((e) => e.message));
  assert.match(rejected, /gil is unavailable here/);

  // Without shared memory every mode that runs computes with the plain build: still one compiled code for all.
  const builds = await page.evaluate(async () => {
    const run = (mode) => window.threadlab.run({ mode, n: 20, repeats: 1 });
    return [(await run('single')).env.build, (await run('processes')).env.build];
  });
  assert.deepEqual(builds, ['plain', 'plain']);
});
