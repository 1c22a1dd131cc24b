// How the page looks to everyone: on a 360-px phone nothing scrolls sideways and the results are on screen after a
// run; the dark palette applies with prefers-color-scheme; and an axe-core scan (the npm package, injected into
// the page) finds no serious or critical violation, before and after a run, light and dark.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { openPage, resultRows, runForm, useSite } from '../support/browser.js';
import { isolatedServer } from '../support/servers.js';

const site = useSite(isolatedServer);
const AXE = createRequire(import.meta.url).resolve('axe-core');

/** The serious and critical violations axe finds on the page now. */
async function violations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () =>
    (await window.axe.run()).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`),
  );
}

for (const colorScheme of ['light', 'dark']) {
  test(`a 360-px phone, ${colorScheme}: no sideways scrolling, results on screen, no serious accessibility problem`, async () => {
    // bypassCSP: the page's own policy rightly refuses the injected axe script.
    const context = await site.browser.newContext({
      viewport: { width: 360, height: 740 },
      colorScheme,
      bypassCSP: true,
    });
    const page = await openPage(context, `${site.url}?n=25&repeats=1&requests=3&delay_ms=10`);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(background, colorScheme === 'dark' ? 'rgb(21, 24, 29)' : 'rgb(251, 250, 247)');
    assert.deepEqual(await violations(page), [], 'before a run');
    // The keyboard reaches the controls in order, and the focused one is outlined in the page's colour.
    const focused = [];
    for (let i = 0; i < 7; i++) {
      await page.keyboard.press('Tab');
      focused.push(
        await page.evaluate(() => {
          const { outlineStyle, outlineWidth } = getComputedStyle(document.activeElement);
          return `${document.activeElement.id || document.activeElement.name || document.activeElement.tagName} ${outlineStyle} ${outlineWidth}`;
        }),
      );
    }
    assert.deepEqual(focused.slice(0, 6), [
      'article-start solid 2px',
      'scaling-start solid 2px',
      'convoy-start solid 2px',
      'bend-start solid 2px',
      'python-start solid 2px',
      'SUMMARY solid 2px',
    ]);
    assert.ok(
      focused.every((f) => f.endsWith(' solid 2px')),
      focused.join(', '),
    );

    assert.match(await runForm(page), /^done/);
    assert.deepEqual(await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]), [360, 360]);
    await page.locator('#results tbody tr').first().scrollIntoViewIfNeeded();
    assert.equal(await page.locator('#results tbody tr').first().isVisible(), true);
    assert.deepEqual(await violations(page), [], 'after a run');
    await context.close();
  });
}

test('the page says where its figures come from, and shows the timeline and trace of any run picked', async () => {
  // fib(34) takes about 10 ms per job, with a 1 ms switch interval: even when a sleeping pool thread takes a few ms
  // to wake up for its job, the threads wait for the GIL in turn.
  const page = await openPage(site.browser, `${site.url}?n=34&workers=2&repeats=1&modes=single,gil&switch_ms=1`);
  await page.click('#environment summary');
  const environment = await page.$$eval('#environment dt, #environment dd', (cells) =>
    cells.map((cell) => cell.textContent),
  );
  assert.deepEqual(
    environment.filter((_, i) => i % 2 === 0),
    ['browser', 'cores', 'cross-origin isolated', 'build computing every CPU mode', 'timer resolution'],
  );
  assert.match(environment[1], /^Chrome \d+$/);
  assert.equal(environment[5], "yes, through the host's COOP/COEP headers");
  assert.match(environment[9], /^\d+\.\d µs$/);

  assert.match(await runForm(page), /^done/);
  const rows = await resultRows(page);
  assert.deepEqual(
    rows.map((row) => [row.mode, row.className]),
    [
      ['single', ''],
      ['gil', ''],
    ],
  );
  // A screen reader hears the figures when the run ends, from a live region.
  const announced = page.locator('#announce');
  assert.deepEqual(
    [await announced.getAttribute('role'), await announced.getAttribute('aria-live')],
    ['status', 'polite'],
  );
  const medians = rows.map((row) => row.cells[2].split(' ')[0]);
  assert.equal(
    await announced.textContent(),
    `Results: single ${medians[0]} ms, 1.00 times; gil ${medians[1]} ms, ${rows[1].cells[4].replace('×', '')} times.`,
  );
  // Waiting for the GIL is striped as well as coloured: its bars are filled with a pattern (seen in the SVG export).
  const [image] = await Promise.all([page.waitForEvent('download'), page.click('button[data-image="timeline.svg"]')]);
  const svg = await readFile(await image.path(), 'utf8');
  const striped = [...svg.matchAll(/<pattern id="([^"]+)"/g)].map(([, id]) => id);
  assert.ok(striped.length >= 1, 'a pattern');
  assert.ok(
    striped.some((id) => svg.includes(`fill="url(#${id})"`)),
    'bars filled with it',
  );
  const current = () => page.$$eval('#results tr[aria-current=true]', (trs) => trs.map((tr) => tr.dataset.mode));
  assert.deepEqual(await current(), ['gil'], 'the latest run is shown');
  assert.match(await page.locator('#run-note').innerText(), /hand-overs/);
  await page.click('#results tbody tr[data-mode=single] button.pick');
  await page.waitForFunction(() => document.querySelector('#results tr[aria-current=true]')?.dataset.mode === 'single');
  assert.equal(await page.locator('#run-note').innerText(), '', "single has no note: the timeline is single's");
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-trace')]);
  assert.equal(download.suggestedFilename(), 'threadlab-single-fib34x2.trace.json');
});

test('at 360 px every bar of the wall chart is labelled with its mode alone, in one line; the work is the caption', async () => {
  const context = await site.browser.newContext({ viewport: { width: 360, height: 740 } });
  const modes = ['single', 'io-sequential', 'io-concurrent', 'io-workers'];
  const page = await openPage(context, `${site.url}?modes=${modes.join(',')}&n=22&requests=3&delay_ms=10&repeats=1`);
  assert.match(await runForm(page), /^done/);
  const labels = await page.evaluate(() => window.threadlab.test.wallLabels());
  assert.deepEqual(labels, modes);
  assert.match(
    await page.getAttribute('#walls', 'aria-label'),
    /^Wall time per run, fib\(22\) × \d+, 3 × GET built-in endpoint \(10 ms\) · .*: single [\d.]+ ms; io-sequential [\d.]+ ms; io-concurrent/,
  );
  await context.close();
});

/** The fields of the form that show, by name. */
const shownFields = (page) =>
  page.$$eval('#controls .field', (fields) =>
    fields.filter((field) => field.checkVisibility()).map((field) => field.dataset.field),
  );

test('a 360-px phone, ?experiment=scaling: the form shows its fields and keeps the others under "more settings", still in the URL and checked', async () => {
  const context = await site.browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await openPage(context, `${site.url}?experiment=scaling&ks=1,2&requests=7`);
  const more = page.locator('#more-settings');
  assert.deepEqual(await shownFields(page), ['n', 'repeats', 'switchMs', 'experiment', 'ks']);
  assert.deepEqual([await more.innerText(), await more.getAttribute('aria-expanded')], ['more settings (11)', 'false']);

  await more.click();
  assert.equal((await shownFields(page)).length, 16);
  assert.deepEqual([await page.inputValue('#field-requests'), await more.innerText()], ['7', 'fewer settings']);
  assert.equal(await more.getAttribute('aria-expanded'), 'true');
  assert.match(page.url(), /requests=7/);
  await more.click();
  assert.deepEqual(await shownFields(page), ['n', 'repeats', 'switchMs', 'experiment', 'ks']);

  // Another experiment shows its own; the article's, the first, keeps only the two lists under "more".
  await page.selectOption('#field-experiment', 'convoy');
  const convoy = ['n', 'workers', 'repeats', 'switchMs', 'requests', 'delayMs', 'url', 'endpoint', 'experiment'];
  assert.deepEqual(await shownFields(page), [...convoy, 'intervals']);
  await page.selectOption('#field-experiment', 'article');
  assert.equal(await more.innerText(), 'more settings (3)');

  // A field the experiment does not use is still checked, and shown with its error.
  await page.goto(`${site.url}?experiment=scaling&requests=abc`);
  await page.waitForFunction(() => document.querySelector('#field-requests-error').textContent !== '');
  assert.match(await page.locator('#field-requests-error').innerText(), /^requests must be/);
  assert.deepEqual(await shownFields(page), ['n', 'repeats', 'switchMs', 'requests', 'experiment', 'ks']);
  await context.close();
});

test('?experiment=scaling&n=40 on a wide screen, where the form is in view: nothing moves as the page starts', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Every layout shift from the first layout on, as Lighthouse counts them.
  await context.addInitScript(() => {
    window.shifts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const moved = entry.sources.map((source) => source.node?.id || source.node?.dataset?.field);
        window.shifts.push(`${entry.value.toFixed(4)} (${moved.join(', ')})`);
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  // A link with settings opens them from the start (form-first.js, before the first layout).
  const page = await openPage(context, `${site.url}?experiment=scaling&n=40`);
  assert.deepEqual(await shownFields(page), ['n', 'repeats', 'switchMs', 'experiment', 'ks']);
  assert.ok((await page.locator('#field-n').boundingBox()).y < 900, 'the form is in view');
  assert.deepEqual(await page.evaluate(() => window.shifts), []);
  await context.close();
});

test("on a 360-px phone, the convoy's own button runs it at its defaults; its room fits and passes axe", async () => {
  const context = await site.browser.newContext({ viewport: { width: 360, height: 740 }, bypassCSP: true });
  const page = await openPage(context, site.url);
  await page.click('#convoy-start');
  assert.deepEqual(
    [
      await page.inputValue('#field-n'),
      await page.inputValue('#field-requests'),
      await page.inputValue('#field-delayMs'),
    ],
    ['27', '20', '2'],
    "the convoy's own defaults",
  );
  assert.match(page.url(), /experiment=convoy/);
  await page.waitForFunction(() => !document.body.classList.contains('running'), null, { timeout: 120_000 });
  assert.match(await page.locator('#status').innerText(), /^done/);
  assert.deepEqual(await page.$$eval('#regimes tbody th', (cells) => cells.map((cell) => cell.textContent)), [
    'alone',
    'gil',
    'threads',
    'processes',
    'gil',
    'gil',
    'gil',
  ]);
  assert.deepEqual(await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]), [360, 360]);
  assert.equal(await page.isVisible('#convoy-chart'), true);
  assert.deepEqual(await violations(page), []);
  await context.close();
});

for (const colorScheme of ['light', 'dark']) {
  test(`a 360-px phone, ${colorScheme}: the Python room and its editor fit, with no serious accessibility problem`, async () => {
    const context = await site.browser.newContext({
      viewport: { width: 360, height: 740 },
      colorScheme,
      bypassCSP: true,
    });
    const page = await openPage(context, `${site.url}?experiment=python`);
    await page.waitForFunction(() => document.querySelector('#python-editor').shadowRoot?.querySelector('.cm-content'));
    await page.locator('#python').scrollIntoViewIfNeeded();
    assert.deepEqual(await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]), [360, 360]);
    assert.deepEqual(await violations(page), []);
    await context.close();
  });
}
