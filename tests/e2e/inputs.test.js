// Bad input, from the form, the URL and the JS API: a clear message next to the field, and nothing runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, resultRows, runForm, useSite } from '../support/browser.js';
import { isolatedServer } from '../support/servers.js';

const site = useSite(isolatedServer);

const BAD = [
  ['n', '-1'],
  ['n', 'abc'],
  ['n', '1e9'],
  ['n', ''],
  ['n', '46'],
  ['n', '2.5'],
  ['workers', '0'],
  ['workers', '65'],
  ['workers', 'two'],
  ['repeats', '0'],
  ['repeats', '51'],
  ['repeats', '1.5'],
  ['switchMs', '0.01'],
];

test('each bad value in the form shows its message next to the field and runs nothing', async () => {
  const page = await openPage(site.browser, `${site.url}?n=20&modes=single`);
  for (const [field, value] of BAD) {
    await page.fill(`#field-${field}`, value);
    await runForm(page);
    const message = await page.locator(`#field-${field}-error`).innerText();
    assert.match(message, new RegExp(`^${field} must be`), `${field}=${value}`);
    assert.equal(await page.getAttribute(`#field-${field}`, 'aria-invalid'), 'true');
    assert.equal((await resultRows(page)).length, 0, `${field}=${value} ran something`);
    await page.fill(`#field-${field}`, field === 'switchMs' ? '5' : '2');
  }
  await runForm(page);
  assert.equal((await resultRows(page)).length, 1, 'the corrected form runs');
  assert.equal(await page.locator('#field-n-error').innerText(), '');
});

test('no mode picked is an error under the picker', async () => {
  const page = await openPage(site.browser, `${site.url}?n=20&modes=single`);
  await page.uncheck('input[value=single]');
  await runForm(page);
  assert.match(await page.locator('#modes-error').innerText(), /pick at least one mode/);
  assert.equal((await resultRows(page)).length, 0);
});

test('bad URL parameters are shown as typed, as text, and autorun runs nothing', async () => {
  const html = '<img src=x onerror="window.pwned=1">';
  const url = `${site.url}?n=${encodeURIComponent(html)}&workers=9999&modes=single,warp&autorun=1`;
  const page = await openPage(site.browser, url);
  await page.waitForFunction(() => document.querySelector('#field-n-error').textContent !== '');
  assert.match(await page.locator('#field-n-error').innerText(), /n must be a whole number from 0 to 45 \(got "<img src=x/);
  assert.match(await page.locator('#field-workers-error').innerText(), /workers must be a whole number from 1 to 64/);
  assert.match(await page.locator('#modes-error').innerText(), /modes must be one of .* \(got "warp"\)/);
  assert.equal(await page.locator('img').count(), 0, 'the URL became markup');
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal((await resultRows(page)).length, 0);
});

test('the JS API rejects bad options with an Error naming the field', async () => {
  const page = await openPage(site.browser, site.url);
  const reject = (options) =>
    page.evaluate((options) => window.threadlab.run(options).then(() => 'resolved', (e) => `${e.field}: ${e.message}`), options);
  assert.match(await reject({ mode: 'single', n: -1 }), /^n: n must be a whole number from 0 to 45 \(got -1\)/);
  assert.match(await reject({ mode: 'single', n: 30, workers: 1e9 }), /^workers: workers must be/);
  assert.match(await reject({ mode: 'gil', switchMs: 'soon' }), /^switchMs: switchMs must be a number/);
  assert.match(await reject({ mode: 'single', repeats: 0 }), /^repeats: repeats must be a whole number from 1 to 50/);
  assert.match(await reject({ mode: 'fibers' }), /^mode: mode must be one of single, threads, processes, gil/);
  assert.match(await reject({ n: 3 }), /^mode: /);
  assert.match(await reject(null), /^options: /);
  assert.equal((await resultRows(page)).length, 0);
});
