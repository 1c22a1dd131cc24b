// Lighthouse (npm, pinned) on the built page, as a phone sees it (its default mobile settings), in Debian's
// Chromium: nothing moves as the page starts, and the accessibility and best-practice audits pass whole. Its
// performance score is a speed, reported here but never asserted (speed belongs to npm run bench).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { isolatedServer } from '../support/servers.js';

test('Lighthouse: cumulative layout shift ≤ 0.05, accessibility and best practices 1.00', {
  timeout: 180_000,
}, async (t) => {
  const server = await isolatedServer();
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    chromeFlags: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const categories = ['performance', 'accessibility', 'best-practices', 'seo'];
    const { lhr } = await lighthouse(server.url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: categories,
    });
    assert.equal(lhr.runtimeError, undefined, `${lhr.runtimeError?.code}: ${lhr.runtimeError?.message}`);
    const scores = Object.fromEntries(categories.map((name) => [name, lhr.categories[name].score]));
    const shift = lhr.audits['cumulative-layout-shift'].numericValue;
    t.diagnostic(`scores ${JSON.stringify(scores)}, cumulative layout shift ${shift?.toFixed(3)}`);
    assert.ok(shift <= 0.05, `cumulative layout shift ${shift}`);
    const failed = (category) =>
      lhr.categories[category].auditRefs
        .map((ref) => lhr.audits[ref.id])
        .filter((audit) => audit.score !== null && audit.score < 1)
        .map((audit) => audit.id);
    assert.deepEqual([scores.accessibility, failed('accessibility')], [1, []]);
    assert.deepEqual([scores['best-practices'], failed('best-practices')], [1, []]);
  } finally {
    chrome.kill();
    await server.close();
  }
});
