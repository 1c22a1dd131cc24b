// The playground in another page, as a blog embeds it: the snippet the full page offers, pasted into a plain page on
// another origin (another port), the site on a host that sends no headers. The frame isolates itself
// (Document-Isolation-Policy from the service worker, after one reload of the frame), runs threads, and tells the
// parent its height and its results. (A parent on another site, too, is the same in a browser that lets embedded
// pages keep storage; where it does not, the frame cannot have a service worker, and says so: see isolation.js.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ms } from '../../www/ui/results.js';
import { autorun, blog } from '../support/blog.js';
import { launchProfile, openPage, useSite } from '../support/browser.js';
import { MODES } from '../support/core.js';
import { fib } from '../support/fib.js';
import { plainServer } from '../support/servers.js';

const site = useSite(plainServer);

/** The snippet the full page offers for these settings, set to run on arrival. */
async function snippetFor(query) {
  const page = await openPage(site.browser, `${site.url}?${query}`);
  const snippet = await page.inputValue('#snippet');
  await page.close();
  assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?[^"]*embed=1" [^>]*allow="cross-origin-isolated"/);
  return autorun(snippet);
}

async function embed(contextOptions, query) {
  const parent = await blog(await snippetFor(query));
  const context = await launchProfile(contextOptions);
  const page = await context.newPage();
  await page.goto(parent.url);
  const frame = () => page.frames().find((f) => f.url().includes('embed=1'));
  await page.waitForFunction(() => window.messages.some((m) => m.type === 'threadlab:result'), null, {
    timeout: 60_000,
  });
  await frame().waitForFunction(() => /^done/.test(document.querySelector('#status').textContent), null, {
    timeout: 60_000,
  });
  return {
    page,
    frame: frame(),
    done: async () => {
      await context.close();
      await parent.close();
    },
  };
}

test('embedded in another site, the frame isolates itself, runs threads, and tells its height and results', async () => {
  const { page, frame, done } = await embed({}, 'n=30&workers=2&repeats=1&modes=single,threads,processes,gil');
  assert.equal(await frame.evaluate(() => crossOriginIsolated), true);
  assert.equal(await frame.evaluate(() => document.body.classList.contains('embed')), true);
  const medians = Object.fromEntries(
    await frame.$$eval('#results tbody tr', (rows) =>
      rows.map((row) => [row.dataset.mode, [row.querySelector('.median').textContent, row.cells[6].textContent]]),
    ),
  );
  assert.deepEqual(Object.keys(medians), ['single', 'threads', 'processes', 'gil']);
  assert.ok(
    Object.values(medians).every(([, outcome]) => outcome === `${fib(30)} ✓`),
    JSON.stringify(medians),
  );

  // Every run's result reached the parent, with the figures of the frame's table.
  await page.waitForFunction(() => window.messages.filter((m) => m.type === 'threadlab:result').length === 4);
  const results = await page.evaluate(() =>
    window.messages.filter((m) => m.type === 'threadlab:result').map((m) => m.result),
  );
  for (const result of results) {
    assert.equal(ms(result.repeats.wallMs.median), medians[result.mode][0], result.mode);
    assert.equal(result.env.build, 'threads');
  }
  // The snippet's script sized the frame to the frame's content: no scrollbar.
  await page.waitForFunction(() => {
    const heights = window.messages.filter((m) => m.type === 'threadlab:resize').map((m) => m.height);
    return heights.length && String(heights.at(-1)) === document.querySelector('iframe').getAttribute('height');
  });
  const [frameHeight, content] = [
    await page.$eval('iframe', (iframe) => iframe.getBoundingClientRect().height),
    await frame.evaluate(() => document.documentElement.getBoundingClientRect().height),
  ];
  assert.ok(Math.abs(frameHeight - content) <= 3, `frame ${frameHeight} px, content ${content} px`);
  assert.equal(
    await frame.evaluate(() => document.documentElement.scrollHeight <= innerHeight + 1),
    true,
    'a scrollbar',
  );

  // The link to the full playground carries the same settings, without embedding.
  const link = new URL(await frame.getAttribute('#full-playground', 'href'));
  assert.deepEqual(
    [link.searchParams.get('n'), link.searchParams.get('embed'), link.searchParams.get('autorun')],
    ['30', null, null],
  );
  await done();
});

test('in a 600-px column the frame opens with a sentence of what it is, and after a run is the answer, the chart and a link, at most 900 px tall', async () => {
  const { page, frame, done } = await embed(
    { viewport: { width: 616, height: 900 } },
    'n=30&workers=2&repeats=1&requests=4&delay_ms=20',
  );
  assert.equal(await page.$eval('iframe', (iframe) => Math.round(iframe.getBoundingClientRect().width)), 600);
  assert.match(await frame.locator('.lede').innerText(), /^Do threads make Python faster\?/);
  assert.equal(await frame.locator('#answer-lines li').count(), 5, 'a sentence for each mode read against another');
  for (const part of ['#answer', '#walls', '#full-playground', '#run'])
    assert.equal(await frame.locator(part).isVisible(), true, part);
  for (const part of ['#results', '#verdicts', '#start', '#settings'])
    assert.equal(await frame.locator(part).isVisible(), false, part);
  // The frame follows its content (the spawn note may come after the results): wait for the last resize.
  await page.waitForFunction(() => {
    const heights = window.messages.filter((m) => m.type === 'threadlab:resize').map((m) => m.height);
    return heights.length && String(heights.at(-1)) === document.querySelector('iframe').getAttribute('height');
  });
  const height = await frame.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(height <= 900, `the frame is ${height} px tall`);
  await done();
});

test('embedded where service workers are blocked, the frame runs all but free threads, and says why', async () => {
  const { frame, done } = await embed(
    { serviceWorkers: 'block' },
    'n=25&workers=2&repeats=1&modes=single,threads,processes,gil',
  );
  assert.equal(await frame.evaluate(() => crossOriginIsolated), false);
  assert.match(
    await frame.locator('#support').innerText(),
    /^Free threads are unavailable: this page is not cross-origin isolated/,
  );
  const rows = await frame.$$eval('#results tbody tr', (trs) =>
    trs.map((tr) => [
      tr.dataset.mode,
      tr.cells[0].textContent,
      tr.cells.length > 2 ? tr.cells[6].textContent : tr.cells[1].textContent,
    ]),
  );
  assert.deepEqual(
    rows.map((row) => row.slice(0, 2)),
    [
      ['single', 'single'],
      ['threads', 'threads'],
      ['processes', 'processes'],
      ['gil', 'gil in turns on one worker'],
    ],
  );
  assert.deepEqual([rows[0][2], rows[2][2], rows[3][2]], ['75025 ✓', '75025 ✓', '75025 ✓']);
  assert.match(rows[1][2], /^threads is unavailable here: this page is not cross-origin isolated/);
  assert.equal(await frame.isVisible('#full-playground'), true);
  await done();
});

/** A blog page holding the site at `query` in a frame sandboxed to `sandbox`, open in a visitor's window. */
async function sandboxed(sandbox, query) {
  const src = `${site.url}?${query}&embed=1`.replaceAll('&', '&amp;');
  const parent = await blog(`<iframe src="${src}" sandbox="${sandbox}" style="width: 100%" height="600"></iframe>`);
  const context = await launchProfile();
  const page = await context.newPage();
  await page.goto(parent.url);
  const frame = () => page.frames().find((f) => f.url().includes('embed=1'));
  await page.waitForFunction(() => document.querySelector('iframe').contentWindow);
  return {
    page,
    frame,
    done: async () => {
      await context.close();
      await parent.close();
    },
  };
}

test('sandboxed to allow-scripts only, the frame runs none of its scripts, and says so with a link out', async () => {
  const query = 'n=25&workers=2&modes=single,gil';
  const { frame, done } = await sandboxed('allow-scripts', query);
  await frame().waitForSelector('#no-script');
  const sentence = frame().locator('#no-script');
  assert.match(
    await sentence.innerText(),
    /^threadlab cannot start here: this frame or browser does not run its scripts/,
  );
  assert.equal(await sentence.isVisible(), true);
  // Styled (the stylesheet needs no CORS, which an opaque origin cannot pass), the sentence a banner at the foot.
  assert.equal(await sentence.evaluate((p) => getComputedStyle(p).position), 'fixed');
  // The link is the frame's own address: the playground with the same settings (on its own it is not embedded).
  const href = await frame().$eval('#no-script a', (a) => a.href);
  assert.equal(href, `${site.url}?${query}&embed=1`);
  assert.equal(await frame().$eval('#no-script a', (a) => a.target), '_blank');
  // The form stands as the page would show it, without a script: its final size, nothing to move later.
  assert.equal(await frame().locator('#field-n').count(), 1);
  assert.equal(await frame().$$eval('input[name=mode]', (boxes) => boxes.length), MODES.length);
  await done();

  // That link, opened on its own, is the full playground with those settings.
  const page = await openPage(site.browser, href);
  assert.deepEqual(
    [await page.inputValue('#field-n'), await page.evaluate(() => document.body.classList.contains('embed'))],
    ['25', false],
  );
  assert.equal(await page.locator('#no-script').count(), 0, 'the sentence is gone once the page starts');
  await page.close();
});

test('sandboxed to allow-scripts allow-same-origin, the frame runs the experiment', async () => {
  const { frame, done } = await sandboxed(
    'allow-scripts allow-same-origin',
    'n=22&workers=2&repeats=1&modes=single,processes&autorun=1',
  );
  await frame().waitForFunction(() => /^done/.test(document.querySelector('#status')?.textContent), null, {
    timeout: 60_000,
  });
  const outcomes = await frame().$$eval('#results tbody tr', (rows) => rows.map((row) => row.cells[6].textContent));
  assert.deepEqual(outcomes, ['17711 ✓', '17711 ✓']);
  assert.equal(await frame().locator('#no-script').count(), 0);
  await done();
});

test('embedded, the scaling experiment shows its room and tells the parent its points', async () => {
  const { page, frame, done } = await embed({}, 'experiment=scaling&ks=1,2&n=22&repeats=1&modes=single,threads');
  await page.waitForFunction(() => window.messages.some((m) => m.type === 'threadlab:scaling'), null, {
    timeout: 60_000,
  });
  const { result } = await page.evaluate(() => window.messages.find((m) => m.type === 'threadlab:scaling'));
  assert.deepEqual(
    result.points.map((p) => [p.mode, p.workers, p.correct]),
    [
      ['single', 1, true],
      ['threads', 1, true],
      ['single', 2, true],
      ['threads', 2, true],
    ],
  );
  assert.equal(await frame.isVisible('#scaling-chart'), true);
  const words = await frame.$$eval('#scaling-words li', (items) => items.map((item) => item.textContent));
  assert.deepEqual(words, result.words);
  await done();
});

test('embedded, the convoy shows its room and tells the parent its regimes', async () => {
  const { page, frame, done } = await embed({}, 'experiment=convoy&n=20&requests=5&repeats=1&intervals=5');
  await page.waitForFunction(() => window.messages.some((m) => m.type === 'threadlab:convoy'), null, {
    timeout: 60_000,
  });
  const { result } = await page.evaluate(() => window.messages.find((m) => m.type === 'threadlab:convoy'));
  assert.deepEqual(
    result.regimes.map((row) => [row.regime, row.correct]),
    [
      ['alone', true],
      ['gil', true],
      ['threads', true],
      ['processes', true],
    ],
  );
  assert.equal(await frame.isVisible('#convoy-chart'), true);
  const words = await frame.$$eval('#convoy-words li', (items) => items.map((item) => item.textContent));
  assert.deepEqual(words, result.words);
  await done();
});
