// How the page looks to everyone: on a 360-px phone nothing scrolls sideways and the results are on screen after a
// run; the dark palette applies with prefers-color-scheme; and an axe-core scan (the npm package, injected into
// the page) finds no serious or critical violation, before and after a run, light and dark.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { openPage, runForm, useSite } from '../support/browser.js';
import { isolatedServer } from '../support/servers.js';

const site = useSite(isolatedServer);
const AXE = createRequire(import.meta.url).resolve('axe-core');

/** The serious and critical violations axe finds on the page now. */
async function violations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => (await window.axe.run()).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`));
}

for (const colorScheme of ['light', 'dark']) {
  test(`a 360-px phone, ${colorScheme}: no sideways scrolling, results on screen, no serious accessibility problem`, async () => {
    // bypassCSP: the page's own policy rightly refuses the injected axe script.
    const context = await site.browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme, bypassCSP: true });
    const page = await openPage(context, `${site.url}?n=25&repeats=1&requests=3&delay_ms=10`);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(background, colorScheme === 'dark' ? 'rgb(21, 24, 29)' : 'rgb(251, 250, 247)');
    assert.deepEqual(await violations(page), [], 'before a run');

    assert.match(await runForm(page), /^done/);
    assert.deepEqual(await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]), [360, 360]);
    await page.locator('#results tbody tr').first().scrollIntoViewIfNeeded();
    assert.equal(await page.locator('#results tbody tr').first().isVisible(), true);
    assert.deepEqual(await violations(page), [], 'after a run');
    await context.close();
  });
}
