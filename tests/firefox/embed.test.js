// The embed snippet in Firefox ESR, pasted into a plain page on another origin, the site on a host that sends no
// headers: Firefox has no Document-Isolation-Policy, so the frame cannot be isolated; it runs all but free threads,
// sizes itself from its messages, and says why.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { snippet } from '../../www/page/snippet.js';
import { autorun, blog } from '../support/blog.js';
import { launchFirefox, useSite } from '../support/browser.js';
import { plainServer } from '../support/servers.js';

const site = useSite(plainServer, launchFirefox);

test('Firefox: the embedded frame runs, sizes itself from its messages, and explains what it cannot do', async () => {
  // The snippet the full page offers for these settings (its text is tested in tests/unit/snippet.test.js).
  const parent = await blog(
    autorun(snippet(`${site.url}?n=22&workers=2&repeats=1&modes=single,threads,processes,gil`)),
  );
  const page = await site.browser.newPage();
  try {
    await page.goto(parent.url);
    const results = () => page.evaluate(() => window.messages.filter((m) => m.type === 'threadlab:result').length);
    await page.waitForFunction(() => window.messages.filter((m) => m.type === 'threadlab:result').length === 3, {
      timeout: 90_000,
    });
    const frame = page.frames().find((f) => f.url().includes('embed=1'));
    await frame.waitForFunction(() => /^done/.test(document.querySelector('#status').textContent), { timeout: 30_000 });
    const rows = await frame.$$eval('#results tbody tr', (trs) =>
      trs.map((tr) => [tr.dataset.mode, tr.cells.length > 2 ? tr.cells[6].textContent : tr.cells[1].textContent]),
    );
    assert.deepEqual(
      rows.map(([mode]) => mode),
      ['single', 'threads', 'processes', 'gil'],
    );
    assert.deepEqual([rows[0][1], rows[2][1], rows[3][1]], ['17711 ✓', '17711 ✓', '17711 ✓']);
    assert.match(rows[1][1], /^threads is unavailable here: /);
    assert.equal(await results(), 3, 'a result message for each mode that ran');
    assert.match(
      await frame.$eval('#support', (p) => p.textContent),
      /^Free threads are unavailable: this page is not cross-origin isolated/,
    );
    // The snippet's script set the frame's height from the frame's last message: no scrollbar.
    await page.waitForFunction(() => {
      const heights = window.messages.filter((m) => m.type === 'threadlab:resize').map((m) => m.height);
      return heights.length && String(heights.at(-1)) === document.querySelector('iframe').getAttribute('height');
    });
    assert.equal(await frame.evaluate(() => document.documentElement.scrollHeight <= innerHeight + 1), true);
    assert.equal(
      await frame.$eval('#full-playground', (a) => !a.hidden && new URL(a.href).searchParams.get('n')),
      '22',
    );
  } finally {
    await page.close();
    await parent.close();
  }
});
