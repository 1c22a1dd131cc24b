// npm run bench: the experiment measured side by side in one run on this machine: the wasm modes in headless
// Chromium (through window.threadlab), the same modes natively (threadlab-native), and CPython
// (bench/python/experiment.py). Prints Markdown tables and writes JSON. Targets are reported, never enforced.
//
// Options: --quick  --n N  --workers K  --repeats R  --json PATH  --sweep  --python-n N  --no-build (use dist/ as it is)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { launch, openPage } from '../tests/support/browser.js';
import { isolatedServer } from '../tests/support/servers.js';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sweep: { type: 'boolean', default: false },
    n: { type: 'string' },
    'python-n': { type: 'string' },
    workers: { type: 'string' },
    repeats: { type: 'string' },
    json: { type: 'string', default: 'bench/results/latest.json' },
    'no-build': { type: 'boolean', default: false },
  },
});
const cores = cpus().length;
const whole = (text, fallback, name) => {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number ≥ 1, got ${text}`);
  return value;
};
const N = whole(flags.n, flags.quick ? 27 : 40, 'n');
const PY_N = whole(flags['python-n'], flags.quick ? 22 : 30, 'python-n');
const K = whole(flags.workers, flags.quick ? 2 : cores, 'workers');
const R = whole(flags.repeats, flags.quick ? 1 : 5, 'repeats');
const IO = { requests: 10, delayMs: 100 };
const log = (...args) => console.error('bench:', ...args);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One warm-up, then R repeats of `once`: the R results (native Rust and CPython; the page repeats on its own). */
async function repeat(once) {
  await once();
  const results = [];
  for (let i = 0; i < R; i++) results.push(await once());
  return results;
}

/** { median, min, max, samples } of samples (ms, unless `unit` says otherwise). */
function stats(label, samples, unit = 'ms') {
  const result = { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), samples };
  log(`${label}: median ${result.median.toFixed(2)} ${unit}`);
  return result;
}

const measure = async (label, once) => stats(label, await repeat(once));

function sh(command, args, options = {}) {
  return (execFileSync(command, args, { encoding: 'utf8', ...options }) ?? '').trim();
}

log(flags['no-build'] ? 'building the native binary' : 'building the site and the native binary');
if (!flags['no-build']) sh('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
sh('cargo', ['build', '--release', '--quiet', '--bin', 'threadlab-native'], { stdio: ['ignore', 'ignore', 'inherit'] });

const server = await isolatedServer();
const browser = await launch();
const page = await openPage(browser, server.url);

// The wasm modes are repeated by the page itself (one untimed warm-up, then R timed runs), as a visitor sees them.
const wasmRun = (options, on = page) => on.evaluate((o) => window.threadlab.run(o), { repeats: R, ...options });
const wasm = async (label, options) => {
  const run = await wasmRun(options);
  return stats(label, run.repeats.samples);
};
const native = (mode, n, k) => async () =>
  JSON.parse(sh('target/release/threadlab-native', [mode, String(n), String(k)])).wallMs;
const python =
  (scenario, extra = []) =>
  async () =>
    JSON.parse(sh('python3', ['bench/python/experiment.py', '--scenario', scenario, ...extra])).ms;
const pyCpu = (scenario, n, k) => python(scenario, ['--n', String(n), '--workers', String(k)]);

const CPU_MODES = ['single', 'threads', 'processes', 'gil'];
const rows = [];
const row = (scenario, cells) => rows.push({ scenario, ...cells });

for (const mode of CPU_MODES) {
  row(`${mode}: fib(${N}) × ${K}`, {
    wasm: await wasm(`wasm ${mode}`, { mode, n: N, workers: K }),
    native: await measure(`native ${mode}`, native(mode, N, K)),
  });
}
// One job each: every mode computes with the same compiled code, so with k = 1 they must take the same time.
for (const mode of CPU_MODES) {
  row(`${mode}: fib(${N}) × 1`, { wasm: await wasm(`wasm ${mode} k=1`, { mode, n: N, workers: 1 }) });
}
// CPython's threads are what the gil mode stands for: cpu-threads is compared with it.
for (const scenario of ['cpu-single', 'cpu-threads', 'cpu-processes']) {
  row(`CPython ${scenario}: fib(${PY_N}) × ${K}`, {
    cpython: await measure(`CPython ${scenario}`, pyCpu(scenario, PY_N, K)),
  });
}
row(`fib(30) × 1`, {
  wasm: await wasm('wasm fib(30)', { mode: 'single', n: 30, workers: 1 }),
  native: await measure('native fib(30)', native('single', 30, 1)),
  cpython: await measure('CPython fib(30)', pyCpu('cpu-single', 30, 1)),
});
for (const scenario of ['io-sequential', 'io-threads']) {
  const extra = ['--requests', String(IO.requests), '--delay-ms', String(IO.delayMs)];
  row(`CPython ${scenario}: ${IO.requests} × ${IO.delayMs} ms`, {
    cpython: await measure(`CPython ${scenario}`, python(scenario, extra)),
  });
}
// The io modes, against the preview server's endpoint (HTTP/1.1) and the service worker's.
const io = {};
for (const endpoint of ['server', 'worker']) {
  for (const mode of ['io-sequential', 'io-concurrent']) {
    const run = await wasmRun({ mode, endpoint, requests: IO.requests, delayMs: IO.delayMs });
    const label = `wasm ${mode}, ${endpoint === 'server' ? 'server' : 'service worker'}: ${IO.requests} × ${IO.delayMs} ms`;
    io[`${mode} ${endpoint}`] = { stats: stats(label, run.repeats.samples), waves: run.io.waves ?? 1 };
    row(label, { wasm: io[`${mode} ${endpoint}`].stats });
  }
}

// A process's spawn is in every repeat's own figures: take them from the same runs as its wall times.
const coldProcesses = await wasmRun({ mode: 'processes', n: 1, workers: K });
const overhead = {
  threads: await wasm('wasm threads fib(1), pool warm', { mode: 'threads', n: 1, workers: K }),
  processCold: stats('wasm processes fib(1), cold spawn', coldProcesses.repeats.samples),
  processSpawn: coldProcesses.repeats.spawnMs, // median, min, max
};
row(`threads fib(1) × ${K}, pool warm`, { wasm: overhead.threads });
row(`processes fib(1) × ${K}, cold`, { wasm: overhead.processCold });

const sweep = [];
if (flags.sweep) {
  for (const k of [1, 2, 4, 8]) {
    const single = await wasm(`sweep k=${k} single`, { mode: 'single', n: N, workers: k });
    for (const mode of ['threads', 'processes', 'gil']) {
      const stats = await wasm(`sweep k=${k} ${mode}`, { mode, n: N, workers: k });
      sweep.push({ k, mode, median: stats.median, speedup: single.median / stats.median });
    }
  }
}

const fresh = await freshPages();
const weight = await pageWeight();
const browserVersion = browser.version();
await browser.close();
await server.close();

// Ratios are taken between medians measured in this same run.
const find = (scenario) => rows.find((r) => r.scenario.startsWith(scenario));
const cpu = (mode, env) => find(`${mode}: fib(${N}) × ${K}`)[env].median;
const one = (mode) => find(`${mode}: fib(${N}) × 1`).wasm.median;
const within = (ratio, margin) => Math.abs(ratio - 1) <= margin;
const figure = (name, value, target, holds, unit = '') => ({ name, value, unit, target, holds });
const figures = [
  figure(
    `threads speedup vs single, fib(${N}) × ${K}`,
    cpu('single', 'wasm') / cpu('threads', 'wasm'),
    `≥ ${(0.95 * K).toFixed(2)}×`,
    cpu('single', 'wasm') / cpu('threads', 'wasm') >= 0.95 * K,
    '×',
  ),
  figure(
    `processes speedup vs single, fib(${N}) × ${K}`,
    cpu('single', 'wasm') / cpu('processes', 'wasm'),
    `≥ ${(0.95 * K).toFixed(2)}×`,
    cpu('single', 'wasm') / cpu('processes', 'wasm') >= 0.95 * K,
    '×',
  ),
  (() => {
    // Compared at similar durations, not equal n: CPython's fib(30) takes about as long as wasm's fib(38..40).
    const ours = cpu('gil', 'wasm') / cpu('single', 'wasm');
    const theirs = find('CPython cpu-threads').cpython.median / find('CPython cpu-single').cpython.median;
    return {
      ...figure(
        `gil / single in wasm, fib(${N}) × ${K}`,
        ours,
        `within ±15% of CPython's threads / single, fib(${PY_N}): ${theirs.toFixed(2)}`,
        Math.abs(ours / theirs - 1) <= 0.15,
        '×',
      ),
      cpython: theirs,
    };
  })(),
  ...['threads', 'gil', 'processes'].map((mode) =>
    figure(
      `${mode} / single with k = 1, fib(${N}): the same compiled code`,
      one(mode) / one('single'),
      mode === 'processes' ? 'informative (includes its spawn)' : 'within ±3%',
      mode === 'processes' ? null : within(one(mode) / one('single'), 0.03),
      '×',
    ),
  ),
  figure(
    `first / fifth single run on a fresh page, fib(${N}) × ${K} (median of ${fresh.pages})`,
    fresh.firstOverFifth.median,
    `≤ 1.10 (${fresh.firstOverFifth.min.toFixed(2)}–${fresh.firstOverFifth.max.toFixed(2)})`,
    fresh.firstOverFifth.median <= 1.1,
    '×',
  ),
  figure(
    `page load to first result, ?autorun=1 with the defaults (median of ${fresh.pages})`,
    fresh.firstResult.median,
    `informative (${fresh.firstResult.min.toFixed(0)}–${fresh.firstResult.max.toFixed(0)} ms)`,
    null,
    'ms',
  ),
  figure(
    `wasm single / native single, fib(${N})`,
    cpu('single', 'wasm') / cpu('single', 'native'),
    '≤ 1.25',
    cpu('single', 'wasm') / cpu('single', 'native') <= 1.25,
    '×',
  ),
  figure(
    'CPython fib(30) / wasm fib(30)',
    find('fib(30)').cpython.median / find('fib(30)').wasm.median,
    'informative',
    null,
    '×',
  ),
  ...['server', 'worker'].map((endpoint) => {
    const concurrent = io[`io-concurrent ${endpoint}`];
    const ratio = concurrent.stats.median / io[`io-sequential ${endpoint}`].stats.median;
    const limit = 1.2 * IO.delayMs * concurrent.waves;
    return figure(
      `IO concurrent / sequential in wasm, ${endpoint === 'server' ? 'server' : 'service worker'}, ${IO.requests} × ${IO.delayMs} ms`,
      ratio,
      `concurrent ≤ 1.2 × ${IO.delayMs} ms × ${concurrent.waves} wave(s) = ${limit} ms (was ${concurrent.stats.median.toFixed(0)} ms)`,
      concurrent.stats.median <= limit,
      '×',
    );
  }),
  (() => {
    const ratio = find('CPython io-threads').cpython.median / find('CPython io-sequential').cpython.median;
    return figure(
      `IO threads / sequential in CPython, ${IO.requests} × ${IO.delayMs} ms`,
      ratio,
      'informative (ideal 0.10)',
      null,
      '×',
    );
  })(),
  figure(
    `threads overhead: fib(1) × ${K}, pool warm`,
    overhead.threads.median,
    '< 1 ms',
    overhead.threads.median < 1,
    'ms',
  ),
  figure(
    `process spawn, cold (worker + wasm instantiate from the compiled module)`,
    overhead.processSpawn.median,
    '< 10 ms',
    overhead.processSpawn.median < 10,
    'ms',
  ),
  figure('page weight, first load, gzip', weight / 1024, '≤ 200 KB', weight / 1024 <= 200, 'KB'),
];

const machine = {
  date: new Date().toISOString(),
  cores,
  browser: `Chromium ${browserVersion}`,
  rustc: sh('rustc', ['--version']),
  python: sh('python3', ['--version']),
  node: process.version,
};
const options = { n: N, pythonN: PY_N, workers: K, repeats: R, quick: flags.quick };
mkdirSync(dirname(flags.json), { recursive: true });
writeFileSync(flags.json, `${JSON.stringify({ machine, options, rows, figures, sweep }, null, 2)}\n`);
console.log(markdown());
log(`wrote ${flags.json}`);

/**
 * What a visitor meets on fresh pages: the first single run (the untimed warm-up every mode starts with) against
 * the fifth timed one, and how long `?autorun=1` with the defaults takes from navigation to its first result row.
 */
async function freshPages() {
  const pages = flags.quick ? 1 : 3;
  const ratios = [];
  const firsts = [];
  for (let i = 0; i < pages; i++) {
    let context = await browser.newContext();
    const run = await wasmRun({ mode: 'single', n: N, workers: K, repeats: 5 }, await openPage(context, server.url));
    ratios.push(run.repeats.warmupMs / run.repeats.samples[4]);
    await context.close();

    context = await browser.newContext();
    const visitor = await context.newPage();
    await visitor.goto(`${server.url}?autorun=1`);
    await visitor.waitForSelector('#results tbody tr', { timeout: 120_000 });
    firsts.push(await visitor.evaluate(() => performance.now()));
    await context.close();
  }
  return {
    pages,
    firstOverFifth: stats('first / fifth single run', ratios, '×'),
    firstResult: stats('load to first result', firsts),
  };
}

/** What a first visit downloads before any run, each response gzipped as a server would send it. */
async function pageWeight() {
  const fresh = await browser.newContext();
  const visitor = await fresh.newPage();
  const sizes = [];
  visitor.on('response', async (response) =>
    sizes.push(
      response.body().then(
        (body) => gzipSync(body).length,
        () => 0,
      ),
    ),
  );
  await visitor.goto(server.url);
  await visitor.waitForFunction(() => !document.querySelector('#run').disabled);
  await visitor.waitForLoadState('networkidle');
  const total = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  await fresh.close();
  return total;
}

function markdown() {
  const ms = (s) => (s ? `${s.median.toFixed(1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})` : '');
  const lines = [
    `## threadlab bench: ${machine.date.slice(0, 10)}, ${cores} cores, ${machine.browser}, ${machine.python}`,
    '',
    `Median (min–max) of ${R} repeat(s) after one warm-up, in ms.`,
    '',
    '| scenario | wasm (Chromium) | native Rust | CPython |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.scenario} | ${ms(r.wasm)} | ${ms(r.native)} | ${ms(r.cpython)} |`),
    '',
    '| figure | value | target | holds |',
    '| --- | ---: | --- | --- |',
    ...figures.map(
      (f) =>
        `| ${f.name} | ${f.value.toFixed(2)} ${f.unit} | ${f.target} | ${f.holds === null ? '—' : f.holds ? 'yes' : 'no'} |`,
    ),
  ];
  if (sweep.length) {
    lines.push(
      '',
      `Scaling sweep, fib(${N}), wasm:`,
      '',
      '| k | mode | median ms | speedup vs single(k) |',
      '| ---: | --- | ---: | ---: |',
      ...sweep.map((s) => `| ${s.k} | ${s.mode} | ${s.median.toFixed(1)} | ${s.speedup.toFixed(2)}× |`),
    );
  }
  return lines.join('\n');
}
