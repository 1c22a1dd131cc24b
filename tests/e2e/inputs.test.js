// Bad input through every door (the form, the URL, the JS API): a clear message naming the field, shown as text,
// and nothing runs. The cases run processes or io-workers where they can, whose fresh workers would show a start.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, resultRows, runForm, useSite } from '../support/browser.js';
import { isolatedServer } from '../support/servers.js';

const site = useSite(isolatedServer);
const HUGE = '9'.repeat(100_000);
// A query string this long still reaches the page; servers refuse much longer ones (Node: 431 past 16 KB).
const LONG = '9'.repeat(8_000);
const CYRILLIC_A = '\u0430';

/** Counts the fresh workers (processes, io-workers) a page starts from now on. */
function freshWorkers(page) {
  const started = [];
  page.on('worker', (worker) => /process-/.test(worker.url()) && started.push(worker.url()));
  return started;
}

// [field, typed value, message]
const FORM = [
  ['n', '-1', /^n must be a whole number from 0 to 45 \(got "-1"\)$/],
  ['n', 'abc', /^n must be a whole number/],
  ['n', '1e9', /^n must be a whole number/],
  ['n', '', /^n must be a whole number from 0 to 45 \(got nothing\)$/],
  ['n', '46', /^n must be a whole number/],
  ['n', '2.5', /^n must be a whole number/],
  ['n', HUGE, /^n must be a whole number from 0 to 45 \(got "9{40}…"\)$/],
  ['workers', '0', /^workers must be a whole number from 1 to 64/],
  ['workers', '65', /^workers must be/],
  ['workers', 'two', /^workers must be/],
  ['repeats', '0', /^repeats must be a whole number from 1 to 50/],
  ['repeats', '51', /^repeats must be/],
  ['repeats', '1.5', /^repeats must be/],
  ['switchMs', '0.01', /^switchMs must be a number from 0.1 to 100/],
  ['requests', '0', /^requests must be a whole number from 1 to 100/],
  ['delayMs', '-5', /^delayMs must be a whole number from 0 to 10000/],
  [
    'url',
    'javascript:alert(1)',
    /^url must be an http:\/\/ or https:\/\/ address only: other schemes are never requested/,
  ],
];

test(`the form: ${FORM.length} bad values, each with its message next to its field, and nothing runs`, async () => {
  const page = await openPage(site.browser, `${site.url}?n=20&modes=single,processes&repeats=1`);
  const started = freshWorkers(page);
  for (const [field, value, message] of FORM) {
    const good = await page.inputValue(`#field-${field}`);
    await page.fill(`#field-${field}`, value);
    await runForm(page);
    assert.match(await page.locator(`#field-${field}-error`).innerText(), message, `${field}=${value}`);
    assert.equal(await page.getAttribute(`#field-${field}`, 'aria-invalid'), 'true');
    assert.equal(await page.locator('#status').innerText(), 'nothing ran: see the messages in the form');
    await page.fill(`#field-${field}`, good);
  }
  assert.deepEqual([(await resultRows(page)).length, started.length], [0, 0], 'something ran');
  await runForm(page);
  assert.equal((await resultRows(page)).length, 2, 'the corrected form runs');
  assert.equal(await page.locator('#field-n-error').innerText(), '');
});

// [query, the field whose message shows, message]
const URL_CASES = [
  ['n=abc', 'n', /^n must be a whole number from 0 to 45 \(got "abc"\)$/],
  ['n=46', 'n', /^n must be/],
  ['n=%EF%BC%94%EF%BC%90', 'n', /^n must be a whole number from 0 to 45 \(got "４０"\)$/], // full-width digits
  ['n=3&n=40', 'n', /^n is given 2 times in the address: give it once$/],
  [`n=${LONG}`, 'n', /^n must be a whole number from 0 to 45 \(got "9{40}…"\)$/],
  ['workers=0', 'workers', /^workers must be/],
  ['repeats=0', 'repeats', /^repeats must be/],
  ['switch_ms=0', 'switchMs', /^switchMs must be/],
  ['switch_ms=1&switch_ms=2', 'switchMs', /^switch_ms is given 2 times in the address/],
  ['requests=1000', 'requests', /^requests must be/],
  ['timeout_ms=1', 'timeoutMs', /^timeoutMs must be/],
  ['modes=single,warp', 'modes', /^modes must be one of single, .* \(got "warp"\)$/],
  [`modes=s${encodeURIComponent('\u0456')}ngle`, 'modes', /^modes must be one of/], // a Cyrillic і
  ['modes=single&modes=gil', 'modes', /^modes is given 2 times in the address: give it once$/],
  ['url=javascript:alert(1)', 'url', /other schemes are never requested \(got "javascript:alert\(1\)"\)$/],
  [`url=${encodeURIComponent('data:text/html,<script>alert(1)</script>')}`, 'url', /other schemes are never requested/],
  [`url=${encodeURIComponent('blob:https://example.com/0b1')}`, 'url', /other schemes are never requested/],
  ['url=file:///etc/passwd', 'url', /other schemes are never requested/],
  [
    `url=${encodeURIComponent(`https://${CYRILLIC_A}pple.com/`)}`,
    'url',
    /in plain ASCII \(an international host name as punycode/,
  ],
  [`url=https://example.com/${'a'.repeat(8_000)}`, 'url', /at most 2048 characters/],
  ['endpoint=cloud', 'endpoint', /^endpoint must be one of auto, server, worker \(got "cloud"\)$/],
];

test(`the URL: ${URL_CASES.length} bad addresses, each with its message, and autorun runs nothing`, async () => {
  for (const [query, field, message] of URL_CASES) {
    // Modes that start fresh workers, and one repeat, unless the case itself sets them.
    const given = new URLSearchParams(query);
    const base = ['modes=processes,io-workers', 'repeats=1'].filter((param) => !given.has(param.split('=')[0]));
    const page = await openPage(site.browser, `${site.url}?${[...base, query].join('&')}&autorun=1`);
    const started = freshWorkers(page);
    await page.waitForFunction(() => /^nothing ran/.test(document.querySelector('#status').textContent));
    const output = field === 'modes' ? '#modes-error' : `#field-${field}-error`;
    assert.match(await page.locator(output).innerText(), message, query.slice(0, 80));
    assert.deepEqual([(await resultRows(page)).length, started.length], [0, 0], `${query.slice(0, 80)} ran something`);
    await page.close();
  }
});

// [options, field, message]
const API = [
  [{ mode: 'threads', worker: 8 }, 'worker', /^"worker" is not an option: did you mean workers\?$/],
  [{ mode: 'processes', Workers: 2 }, 'Workers', /did you mean workers\?$/],
  [{ mode: 'gil', switch_ms: 1 }, 'switch_ms', /did you mean switchMs\?$/],
  [
    { mode: 'processes', colour: 'red' },
    'colour',
    /^"colour" is not an option: the options are n, work, mib, payloadMb, workers, repeats/,
  ],
  [{ mode: 'processes', n: '40' }, 'n', /^n must be a whole number from 0 to 45, not text \(got "40"\)$/],
  [{ mode: 'processes', n: 1.5 }, 'n', /^n must be a whole number/],
  [{ mode: 'processes', n: -1 }, 'n', /^n must be a whole number from 0 to 45 \(got -1\)$/],
  [{ mode: 'processes', n: 46 }, 'n', /^n must be/],
  [{ mode: 'processes', n: [40] }, 'n', /^n must be/],
  [{ mode: 'processes', n: Number(HUGE) }, 'n', /^n must be a whole number from 0 to 45 \(got "Infinity"\)$/],
  [{ mode: 'processes', workers: NaN }, 'workers', /^workers must be a whole number from 1 to 64 \(got "NaN"\)$/],
  [{ mode: 'processes', [HUGE]: 1 }, HUGE, /^"9{40}…" is not an option/],
  [{ mode: 'processes', workers: 0 }, 'workers', /^workers must be/],
  [{ mode: 'processes', workers: '2' }, 'workers', /not text/],
  [{ mode: 'processes', repeats: 51 }, 'repeats', /^repeats must be/],
  [{ mode: 'gil', switchMs: 'soon' }, 'switchMs', /^switchMs must be a number from 0.1 to 100, not text/],
  [{ mode: 'io-workers', requests: 101 }, 'requests', /^requests must be/],
  [{ mode: 'io-workers', delayMs: 10_001 }, 'delayMs', /^delayMs must be/],
  [{ mode: 'io-workers', url: 'file:///etc/passwd' }, 'url', /other schemes are never requested/],
  [{ mode: 'io-workers', url: `https://${CYRILLIC_A}pple.com/` }, 'url', /in plain ASCII/],
  [{ mode: 'io-workers', url: 42 }, 'url', /^url must be an http/],
  [{ mode: 'io-workers', endpoint: 'cloud' }, 'endpoint', /^endpoint must be one of auto, server, worker/],
  [
    { mode: 'fibers' },
    'mode',
    /^mode must be one of single, threads, processes, interpreters, gil, io-sequential, io-concurrent, io-workers \(got "fibers"\)$/,
  ],
  [{ n: 3 }, 'mode', /^mode must be one of/],
  [null, 'options', /^options must be an object/],
  ['processes', 'options', /^options must be an object/],
];

test(`the JS API: ${API.length} bad options, each rejected with an Error naming the field, and nothing runs`, async () => {
  const page = await openPage(site.browser, site.url);
  const started = freshWorkers(page);
  for (const [options, field, message] of API) {
    const error = await page.evaluate(
      (o) =>
        window.threadlab.run(o).then(
          () => null,
          (e) => ({ field: e.field, message: e.message }),
        ),
      options,
    );
    assert.ok(error, `${JSON.stringify(options)?.slice(0, 80)} resolved`);
    assert.equal(error.field, field, error.message);
    assert.match(error.message, message);
  }
  assert.equal(started.length, 0, 'a fresh worker started');
  const cyclic = await page.evaluate(() => {
    const options = { mode: 'single' };
    options.self = options;
    return window.threadlab.run(options).catch((e) => e.message);
  });
  assert.match(cyclic, /^options must be plain data/);
});

test('no mode picked is an error under the picker', async () => {
  const page = await openPage(site.browser, `${site.url}?n=20&modes=single`);
  await page.uncheck('input[value=single]');
  await runForm(page);
  assert.match(await page.locator('#modes-error').innerText(), /pick at least one mode/);
  assert.equal((await resultRows(page)).length, 0);
});

test('unknown URL parameters are ignored, with one note in the console', async () => {
  const page = await site.browser.newPage();
  const notes = [];
  page.on('console', (message) => message.text().includes('threadlab: ignored') && notes.push(message.text()));
  await page.goto(`${site.url}?n=20&worker=3&foo=1&foo=2&modes=single&repeats=1&autorun=1`);
  await page.waitForFunction(() => /^done/.test(document.querySelector('#status').textContent));
  assert.deepEqual(notes, [
    `threadlab: ignored unknown URL parameters: worker, foo (known: n, work, mib, payload_mb, workers, repeats, switch_ms, requests, delay_ms, timeout_ms, modes, url, endpoint, experiment, ks, intervals, payloads, code, autorun, embed)`,
  ]);
  assert.equal((await resultRows(page))[0].cells[6], '6765 ✓');
});

test('describe() names every input of every door, and nothing else is accepted', async () => {
  const page = await openPage(site.browser, site.url);
  const { fields, params } = await page.evaluate(() => window.threadlab.describe());
  const ofTheForm = fields.filter((field) => field.param);
  // The form: each of its controls is a field of the form and the URL (the mode picker's boxes are the modes field).
  const controls = await page.$$eval('#controls [name]', (all) => [...new Set(all.map((control) => control.name))]);
  const named = ofTheForm.map((field) => (field.kind === 'modes' ? 'mode' : field.name));
  assert.deepEqual([...controls].sort(), [...named].sort());
  // The URL: the fields' parameters and the page's own, nothing else (see 'unknown URL parameters are ignored').
  assert.deepEqual(params, [...ofTheForm.map((field) => field.param), 'autorun', 'embed']);
  // The API: every option it lists is taken, each at its default; the form's own field is not an option.
  const api = fields.filter((field) => field.api && field.kind !== 'mode');
  const defaults = Object.fromEntries(api.map((field) => [field.name, field.default ?? null]));
  const run = await page.evaluate(
    (given) => window.threadlab.run({ ...given, mode: 'single', n: 5, workers: 1, repeats: 1 }),
    defaults,
  );
  assert.equal(run.correct, true);
  for (const field of fields.filter((f) => !f.api)) {
    const error = await page.evaluate(
      (name) =>
        window.threadlab
          .run({ mode: 'single', [name]: 'single' })
          .catch((e) => ({ field: e.field, message: e.message })),
      field.name,
    );
    assert.equal(error.field, field.name, `${field.name} is not an API option`);
    assert.match(error.message, /is not an option/);
  }
  for (const field of fields) {
    assert.ok(field.label && typeof field.hint === 'string', `${field.name} has a label and a hint`);
    if (field.kind === 'number') assert.ok(field.min <= field.default && field.default <= field.max, field.name);
    if (field.kind === 'choice')
      assert.ok(
        field.choices.some((choice) => choice.value === field.default),
        field.name,
      );
  }
});
