// threadlab.py in this machine's python3, and its figures in real Chromium: every value the script writes, its link
// read into the page (the same figures in the table and the verdicts), the Python room's paste box, a tampered
// link, and requests to a closed port (each fails with its error, the run completes).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ms } from '../../www/ui/results.js';
import { openPage, resultRows, useSite, waitIdle } from '../support/browser.js';
import { fib } from '../support/fib.js';
import { isolatedServer } from '../support/servers.js';

const site = useSite(isolatedServer);
const SCRIPT = new URL('../../www/public/threadlab.py', import.meta.url).pathname;
const MODES = ['single', 'threads', 'processes', 'io-sequential', 'io-concurrent', 'io-workers'];
const DELAY_MS = 20;
const run = promisify(execFile);
const python = (code) => run('python3', ['-c', code]).then(({ stdout }) => stdout.trim());
/** The lower median, as the script and the core take it. */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

/** Runs the script with `args` and `--json`: what it printed and the figures it wrote. */
async function script(args) {
  const file = join(await mkdtemp(join(tmpdir(), 'threadlab-py-')), 'figures.json');
  const { stdout } = await run('python3', [SCRIPT, ...args, '--json', file], { timeout: 120_000 });
  return { stdout, figures: JSON.parse(await readFile(file, 'utf8')), json: await readFile(file, 'utf8') };
}

let made = null;
/** The script's run that the tests read, once (at a small n), with this site's page in its link. */
const ran = () => {
  const args = ['--n', '18', '--workers', '2', '--repeats', '2', '--requests', '3', '--delay-ms', `${DELAY_MS}`];
  made ??= script([...args, '--page', site.url]);
  return made;
};

test("the script says what it will do, then writes every mode's figures and this Python's account", async () => {
  const { stdout, figures } = await ran();
  const [version, cores, method] = (
    await python(
      'import os, platform, multiprocessing as m; print(platform.python_version(), ' +
        'getattr(os, "process_cpu_count", os.cpu_count)(), m.get_start_method())',
    )
  ).split(' ');
  assert.match(
    stdout,
    new RegExp(
      `^threadlab\\.py on CPython ${version}, GIL on, ${cores} cores \\(Linux\\); processes start by ${method}\\.\\n` +
        `It runs ${MODES.join(', ')}: each once untimed, then 2 times timed: fib\\(18\\) x 2; ` +
        `and 3 requests to a local endpoint on 127\\.0\\.0\\.1 \\(its own process\\), answering after ${DELAY_MS} ms\\.\\n` +
        'Nothing is sent anywhere else\\. About \\d+ s; Ctrl-C stops it\\.\\n',
    ),
  );
  assert.match(stdout, /\ninterpreters {2}InterpreterPoolExecutor\(k\) +needs Python 3\.14\n/);
  assert.deepEqual(figures.python, {
    implementation: 'CPython',
    version,
    freeThreaded: false,
    gilEnabled: true,
    switchMs: 5,
    cores: Number(cores),
    os: 'Linux',
    startMethod: method,
    interpreters: false,
  });
  assert.equal(figures.settings.modes, MODES.join(','));
  assert.deepEqual(
    figures.runs.map((r) => r.mode),
    MODES,
  );
  for (const r of figures.runs) {
    const wall = median(r.walls);
    assert.equal(r.walls.length, 2, r.mode);
    assert.ok(r.walls.every((w) => w > 0) && r.warmup > 0, r.mode);
    assert.ok(r.correct && r.engine === 'python' && r.python.version === version, r.mode);
    assert.ok(
      r.jobs.every((job) => job > 0 && job <= wall),
      `${r.mode}: each job inside its run's wall`,
    );
    if (r.mode.startsWith('io-')) {
      assert.deepEqual(r.failed, [], r.mode);
      assert.deepEqual(r.statuses, [200, 200, 200], `${r.mode}: each request's HTTP status`);
      assert.equal(r.jobs.length, 3, r.mode);
      assert.ok(
        r.jobs.every((job) => job >= DELAY_MS),
        `${r.mode}: every answer waited the endpoint's delay (${r.jobs})`,
      );
    } else {
      assert.equal(r.jobs.length, 2, r.mode);
      assert.deepEqual(r.values, [fib(18), fib(18)], `${r.mode}: each job's value, fib(18)`);
    }
  }
  assert.ok(median(figures.runs[3].walls) >= 3 * DELAY_MS, 'one request after another');
  const [spawn, least, most] = figures.runs[2].spawn;
  assert.ok(least <= spawn && spawn <= most && most <= Math.max(...figures.runs[2].walls), 'spawn inside the run');
  assert.equal(figures.runs[2].walls.length, 2);
});

/** The run rows (not the heading) of the page's table, as text. */
const runRows = async (page) => (await resultRows(page)).filter((row) => row.mode);

/** What the page must show of the script's figures: each mode's name and median wall. */
const expected = (figures) =>
  figures.runs.map((r) => ({ name: `${r.mode} in your CPython`, wall: ms(median(r.walls)) }));

test("the script's link shows its figures in the page, named as your Python's, with the verdicts read from them", async () => {
  const { stdout, figures } = await ran();
  const link = stdout.split('\n').find((line) => line.startsWith(site.url));
  assert.ok(link?.includes('?experiment=python&modes=') && link.includes('#share=5.'), stdout);
  const page = await openPage(site.browser, link);
  await page.waitForSelector('#shared:not([hidden])');
  assert.match(
    await page.locator('#shared-who').innerText(),
    new RegExp(
      `^These figures were measured by threadlab\\.py outside this browser, in your CPython ${figures.python.version}, ` +
        `GIL on, ${figures.python.cores} cores \\(Linux\\), its processes started by ${figures.python.startMethod}`,
    ),
  );
  const rows = await runRows(page);
  assert.deepEqual(
    rows.map((row) => ({
      name: row.cells[0],
      wall: row.cells[2].split(' ')[0],
    })),
    expected(figures),
  );
  const spawn = rows.find((row) => row.mode === 'processes').cells[3];
  assert.equal(spawn.split(' ')[0], ms(figures.runs[2].spawn[0]), 'the processes spawn, as the script timed it');
  const ratio = (base, mode) => {
    const of = (name) => median(figures.runs.find((r) => r.mode === name).walls);
    return (of(base) / of(mode)).toFixed(2);
  };
  const words = await page.locator('#python-words').innerText();
  assert.match(words, new RegExp(`^Real CPython: processes ${ratio('single', 'processes')}× single`), words);
  assert.match(words, new RegExp(`threads ${ratio('single', 'threads')}× single`), words);
  assert.match(words, new RegExp(`io-concurrent ${ratio('io-sequential', 'io-concurrent')}× io-sequential`), words);
  assert.deepEqual(page.errors, []);

  // Tampered: one character changed in the figures.
  const at = link.length - 30;
  const altered = link.slice(0, at) + (link[at] === 'A' ? 'B' : 'A') + link.slice(at + 1);
  const other = await openPage(site.browser, altered);
  await other.waitForSelector('#share-problem:not([hidden])');
  assert.match(await other.locator('#share-problem').innerText(), /^Cannot read this link's results: /);
  assert.equal(await other.locator('#run').isDisabled(), false, 'the page still runs');
  await Promise.all([page.close(), other.close()]);
});

test("the script's bend (--payloads) opens in the page's bend room, its rows and words named as your Python's", async () => {
  const { stdout, figures } = await script([
    '--payloads',
    '0,2',
    '--n',
    '18',
    '--mib',
    '1',
    '--repeats',
    '1',
    '--page',
    site.url,
  ]);
  const link = stdout.split('\n').find((line) => line.startsWith(site.url));
  assert.ok(link?.includes('?experiment=bend&') && link.includes('#share=6.'), stdout);
  const page = await openPage(site.browser, link);
  await page.waitForSelector('#shared:not([hidden])');
  await page.waitForSelector('#bend:not([hidden])');
  assert.equal(await page.locator('#bend-python').isVisible(), true);
  const table = (id) => page.$$eval(`#${id} tbody tr`, (rows) => rows.map((row) => row.cells[0].textContent));
  assert.deepEqual(await table('bend-kinds'), ['fib, your Python', 'sha256, your Python']);
  assert.deepEqual(await table('bend-payloads'), ['0, your Python', '2, your Python']);
  // Each payload's processes' median, as the script timed it, in its row.
  const processes = figures.runs.filter((r) => r.mode === 'processes').map((r) => ms(median(r.walls)));
  const cells = await page.$$eval('#bend-payloads tbody tr', (rows) => rows.map((row) => row.cells[2].textContent));
  assert.deepEqual(cells, processes);
  const words = await page.locator('#bend-words').innerText();
  assert.match(words, /^In your own Python, under the GIL, sha256 /, words);
  assert.match(words, /\nIn your own Python, processes /, words);
  // Run here with the link's settings (the form holds every field): the room reads the page's click, and the
  // results table keeps the script's rows beside the page's.
  await page.click('#run');
  assert.match(await waitIdle(page, 90_000), /^done/);
  assert.deepEqual(await table('bend-kinds'), ['fib', 'sha256']);
  assert.deepEqual(await table('bend-payloads'), ['0', '2']);
  assert.match(await page.locator('#bend-words').innerText(), /^Under the GIL, sha256 /);
  const names = await page.$$eval('#results tbody tr[data-mode] th', (cells) => cells.map((cell) => cell.textContent));
  assert.equal(names.filter((name) => name.includes('in your CPython')).length, figures.runs.length, names.join());
  assert.equal(await page.locator('#bend-python').isVisible(), false);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a 3.14 run's interpreters come into the page beside the others, their start as their spawn, in the words", async () => {
  // This machine has no 3.14: the script's figures as a 3.14 would write them, an interpreters run after processes.
  const figures = structuredClone((await ran()).figures);
  const processes = figures.runs.findIndex((r) => r.mode === 'processes');
  const interpreters = { ...figures.runs[processes], mode: 'interpreters', spawn: [1.5, 1.25, 2] };
  figures.runs.splice(processes + 1, 0, interpreters);
  figures.settings.modes = figures.runs.map((r) => r.mode).join(',');
  Object.assign(figures.python, { version: '3.14.0', interpreters: true });
  const page = await openPage(site.browser, `${site.url}?experiment=python`);
  await page.click('#python-own summary');
  await page.fill('#python-own-paste', JSON.stringify(figures));
  await page.click('#python-own-show');
  await page.waitForSelector('#shared:not([hidden])');
  const rows = await runRows(page);
  assert.deepEqual(
    rows.map((row) => ({ name: row.cells[0], wall: row.cells[2].split(' ')[0] })),
    expected(figures),
  );
  assert.equal(rows.find((row) => row.mode === 'interpreters').cells[3].split(' ')[0], ms(1.5), 'their start');
  const single = median(figures.runs[0].walls) / median(interpreters.walls);
  assert.match(
    await page.locator('#python-words').innerText(),
    new RegExp(`interpreters ${single.toFixed(2)}× single`),
  );
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the Python room gives the command from the form's settings and takes the script's JSON pasted back", async () => {
  const page = await openPage(site.browser, `${site.url}?experiment=python&n=21&workers=3&delay_ms=40`);
  await page.click('#python-own summary');
  assert.equal(
    await page.locator('#python-own-command').innerText(),
    `python3 threadlab.py --n 21 --workers 3 --repeats 3 --switch-ms 5 --requests 10 --delay-ms 40 --timeout-ms ` +
      `10000 --page ${site.url}`,
  );
  await page.click('#python-own-show');
  assert.match(
    await page.locator('#python-own-status').innerText(),
    /^this is neither threadlab\.py's link nor its JSON/,
  );
  const { json, figures } = await ran();
  await page.fill('#python-own-paste', json);
  await page.click('#python-own-show');
  await page.waitForSelector('#shared:not([hidden])');
  // The box says so once the page has shown them, a moment after the shared figures appear.
  await page.waitForFunction(() => document.querySelector('#python-own-status').textContent.startsWith('shown'));
  assert.equal(await page.locator('#python-own-status').innerText(), 'shown: the table and the charts above hold them');
  const rows = await runRows(page);
  assert.deepEqual(
    rows.map((row) => row.cells[2].split(' ')[0]),
    expected(figures).map((row) => row.wall),
  );
  assert.equal(await page.inputValue('#field-n'), '18', "the form holds the script's settings");
  await page.close();
});

test('--url to a closed port: every request fails with its error, and the run completes', async () => {
  const port = await new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
  const { stdout, figures } = await script([
    ...['--modes', 'io-sequential,io-concurrent,io-workers', '--requests', '3', '--repeats', '1'],
    ...['--url', `http://127.0.0.1:${port}/`],
  ]);
  assert.match(stdout, new RegExp(`then once timed: 3 requests to http://127\\.0\\.0\\.1:${port}/\\.`));
  for (const r of figures.runs) {
    assert.equal(r.correct, false, r.mode);
    assert.deepEqual(r.statuses, [null, null, null], `${r.mode}: no answer came`);
    assert.deepEqual(
      r.failed.map(([i]) => i),
      [0, 1, 2],
      r.mode,
    );
    for (const [, error] of r.failed)
      assert.match(error, /^(ConnectionRefusedError|URLError): .*(refused|failed)/i, r.mode);
  }
  assert.match(stdout, /\nio-sequential .* 3 of 3 failed\n/);
  assert.doesNotMatch(stdout, /WRONG VALUES/, 'a failed request is not a wrong value');
  assert.match(stdout, /\n- Not timed against the others: io-sequential: 3 of 3 requests failed \(\w+Error: /);
});

test("the script's sha256 with a payload opens in the page (format 6): each digest checked there, each copy carried", async () => {
  const args = ['--modes', 'single,threads,processes', '--work', 'sha256', '--mib', '1', '--payload-mb', '1'];
  const { stdout, figures } = await script([...args, '--repeats', '1', '--page', site.url]);
  const link = stdout.split('\n').find((line) => line.startsWith(site.url));
  assert.ok(link?.includes('#share=6.'), stdout);
  const page = await openPage(site.browser, link);
  await page.waitForSelector('#shared:not([hidden])');
  const { runs } = await page.evaluate(() => window.threadlab.test.lastClick());
  assert.deepEqual(
    runs.map((run) => [run.mode, run.label, run.correct, run.copyMs ?? null]),
    figures.runs.map((run) => [run.mode, 'sha256 of 1 MiB × 2, reading 1 MiB', true, run.copy ?? null]),
  );
  assert.ok(figures.runs.find((run) => run.mode === 'processes').copy > 0, 'the processes copied the payload');
  assert.deepEqual(page.errors, []);
  await page.close();
});
