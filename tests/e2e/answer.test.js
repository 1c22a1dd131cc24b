// The answer first: after a click the answer card is in view and says each finding in a sentence of its own; on a
// phone nothing is wider than the screen, every row's speedup is on it, and the page is short enough to read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeCore } from '../../scripts/describe.js';
import { useSite, waitIdle } from '../support/browser.js';
import { isolatedServer } from '../support/servers.js';

const site = useSite(isolatedServer);
const { modes } = await describeCore();
// The article's default modes that are read against another: one sentence each.
const READ = modes.filter((info) => info.inDefaults && info.against).map((info) => info.name);

/** In the page: the elements shown that reach past the screen's right edge. */
const wider = () =>
  [...document.querySelectorAll('body *')]
    .filter((node) => node.checkVisibility() && node.getBoundingClientRect().right > innerWidth + 0.5)
    .map((node) => `${node.tagName}#${node.id}.${node.className}`);

/** The article's experiment, small, run from the form in a window `width` × `height`. */
async function clicked(width, height) {
  const page = await site.browser.newPage({ viewport: { width, height } });
  await page.goto(`${site.url}?n=30&repeats=1&requests=4&delay_ms=20`);
  await page.waitForFunction(() => window.threadlab && !document.querySelector('#run').disabled);
  await page.click('#run');
  assert.match(await waitIdle(page, 100_000), /^done/);
  return page;
}

test('at 1280 × 900 the answer card is in view after the click, a sentence for each finding', async () => {
  const page = await clicked(1280, 900);
  const box = await page.locator('#answer').boundingBox();
  assert.ok(box.y >= -1 && box.y + box.height <= 900, `the card spans ${box.y} to ${box.y + box.height}`);
  const lines = await page.locator('#answer-lines li').allInnerTexts();
  assert.deepEqual(
    lines.map((line) => line.split(':')[0]),
    READ,
  );
  for (const line of lines) assert.match(line, /^[^:]+: \d+\.\d\d×(,| )[^.]+\.$/);
  assert.equal(await page.locator('#answer-wait').isHidden(), true);
  assert.equal(await page.locator('#answer').getAttribute('aria-live'), 'polite');
  await page.close();
});

test('at 360 × 740 nothing is wider than the screen, every speedup is on it, and the page is at most 5,000 px', async () => {
  const page = await clicked(360, 740);
  // The link carried settings, so they were open: they fit too.
  assert.deepEqual(await page.evaluate(wider), [], 'with the settings open');
  // A visitor closes them as one who came without.
  assert.equal(await page.locator('#change-settings').getAttribute('aria-expanded'), 'true');
  await page.click('#change-settings');
  assert.equal(await page.locator('#change-settings').getAttribute('aria-expanded'), 'false');
  assert.equal(await page.locator('#settings').isHidden(), true);
  const { speedups, height } = await page.evaluate(() => {
    return {
      speedups: [...document.querySelectorAll('#results tbody td.speedup')].map((cell) => [
        cell.parentElement.dataset.mode,
        cell.getBoundingClientRect().right,
      ]),
      height: document.documentElement.scrollHeight,
    };
  });
  assert.deepEqual(await page.evaluate(wider), []);
  assert.equal(speedups.length, 7);
  for (const [mode, right] of speedups) assert.ok(right <= 360, `${mode}'s speedup ends at ${right} px`);
  assert.ok(height <= 5000, `the page is ${height} px tall`);
  await page.close();
});
