// Screenshots of the built site after a run, to look at: each experiment at 1280 and 360 px wide, light and dark,
// and the embed at 600 px. `node scripts/screenshots.js [--out DIR] [--dist DIR] [--only NAME]` (after npm run build
// or the tests' build). The page is judged by looking at it: open every picture.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { preview } from 'vite';
import { blog } from '../tests/support/blog.js';

const { values: flags } = parseArgs({
  options: {
    out: { type: 'string', default: 'screenshots' },
    dist: { type: 'string', default: 'dist' },
    only: { type: 'string' },
  },
});

// Small runs: the pictures are of the page, not of the figures.
const SHOTS = [
  // As a new visitor comes: no settings in the URL, the primary button clicked (the article's defaults, ~15 s).
  { name: 'first', query: '', click: '#article-start' },
  { name: 'article', query: 'n=34&repeats=1&requests=6&delay_ms=40' },
  { name: 'scaling', query: 'experiment=scaling&n=32&ks=1,2,3&repeats=1' },
  { name: 'convoy', query: 'experiment=convoy&n=24&requests=8&delay_ms=2&repeats=1&intervals=1,5' },
  { name: 'bend', query: 'experiment=bend&mib=8&repeats=1' },
  { name: 'python', query: 'experiment=python&work=sha256&mib=8&modes=single,processes,gil&repeats=1' },
];
// The embed as a blog shows it: the page's own snippet, in a 600-px column of another origin.
const EMBED = 'n=34&repeats=1&requests=6&delay_ms=40';

mkdirSync(flags.out, { recursive: true });
// Vite resolves a relative outDir against its root (www/): the folder is the caller's.
const server = await preview({
  build: { outDir: resolve(flags.dist) },
  preview: { port: 0, host: '127.0.0.1' },
  logLevel: 'silent',
});
const url = server.resolvedUrls.local[0];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
});
try {
  for (const shot of SHOTS.filter((s) => !flags.only || s.name === flags.only)) {
    for (const width of shot.widths ?? [1280, 360]) {
      for (const colorScheme of ['light', 'dark']) {
        const page = await browser.newPage({ viewport: { width, height: width < 600 ? 740 : 900 }, colorScheme });
        await page.goto(`${url}?${shot.query}`);
        await page.waitForFunction(() => window.threadlab && !document.querySelector('#run').disabled);
        await page.click(shot.click ?? '#run');
        await page.waitForFunction(() => !document.body.classList.contains('running'), null, { timeout: 120_000 });
        // The charts draw once their module has loaded: wait for the charts' section, then two frames.
        await page
          .waitForFunction(() => document.querySelector('#charts')?.hidden === false, null, { timeout: 10_000 })
          .catch(() => {});
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        const file = `${flags.out}/${shot.name}-${width}-${colorScheme}.png`;
        await page.screenshot({ path: file, fullPage: true });
        console.log(`${file}: ${width} × ${height} px`);
        await page.close();
      }
    }
  }
  if (!flags.only || flags.only === 'embed') await embedShots();
} finally {
  await browser.close();
  await server.close();
}

async function embedShots() {
  const full = await browser.newPage();
  await full.goto(`${url}?${EMBED}`);
  await full.waitForFunction(() => window.threadlab && !document.querySelector('#run').disabled);
  const snippet = (await full.inputValue('#snippet')).replace('embed=1"', 'embed=1&amp;autorun=1"');
  const parent = await blog(`<div style="width: 600px">${snippet}</div>`);
  for (const colorScheme of ['light', 'dark']) {
    const page = await browser.newPage({ viewport: { width: 640, height: 900 }, colorScheme });
    await page.goto(parent.url);
    await page.waitForFunction(() => window.messages.some((m) => m?.type === 'threadlab:result'), null, {
      timeout: 120_000,
    });
    const frame = page.frames()[1];
    await frame.waitForFunction(() => !document.body.classList.contains('running'), null, { timeout: 120_000 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const height = await frame.evaluate(() => document.documentElement.scrollHeight);
    const file = `${flags.out}/embed-600-${colorScheme}.png`;
    await page.screenshot({ path: file, fullPage: true });
    console.log(`${file}: the frame is 600 × ${height} px`);
    await page.close();
  }
  await parent.close();
}
