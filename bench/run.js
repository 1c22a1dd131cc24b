// npm run bench: the experiment measured side by side in one run on this machine: the wasm modes in headless
// Chromium (through window.threadlab), the same modes natively (threadlab-native), and CPython
// (bench/python/experiment.py). Prints Markdown tables and writes JSON. Targets are reported, never enforced: a
// ratio target is judged from paired, interleaved runs (A, B, A, B, ...), and when the spread of the pairs' ratios
// (the machine's noise) straddles the target, the verdict is "inconclusive", not a miss.
//
// Options: --quick  --n N  --workers K  --repeats R  --pairs P  --json PATH  --sweep  --python-n N  --mib M
//          --no-build (use dist/ as it is)
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { describeCore } from '../scripts/describe.js';
import { launch, openPage } from '../tests/support/browser.js';
import { isolatedServer } from '../tests/support/servers.js';
import { calibratedN, crossover, crossoverText, payloadTable } from './bend.js';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sweep: { type: 'boolean', default: false },
    n: { type: 'string' },
    'python-n': { type: 'string' },
    mib: { type: 'string' },
    workers: { type: 'string' },
    repeats: { type: 'string' },
    pairs: { type: 'string' },
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
const PAIRS = whole(flags.pairs, flags.quick ? 2 : 5, 'pairs');
// sha256's MiB a job, in the page and in threadlab.py alike: the same chunks, each a hand-back of the GIL.
const MIB = whole(flags.mib, flags.quick ? 2 : 8, 'mib');
// The bend experiment's fib(n) and the payloads (MiB a job) where it compares processes with threads under the GIL.
// Not its default n, 36: a fib(36) job (about 30 ms here) is about a worker's spawn, so processes won at 0 MiB in
// some runs and tied in others; a fib(38) job is about 80 ms, and they win clearly.
const BEND = { n: 38, payloads: flags.quick ? [0, 8, 32] : [0, 1, 8, 32, 128] };
const IO = { requests: 10, delayMs: 100 };
const began = Date.now();
// Each line says when, in seconds since the bench began: where a run's time goes.
const log = (...args) => console.error(`bench [${((Date.now() - began) / 1000).toFixed(1)} s]:`, ...args);

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

/** The noise of ratios' stats: half their spread over their median (±). */
const noiseOf = (ratios) => (ratios.max - ratios.min) / 2 / ratios.median;

/**
 * A ratio measured in pairs: `a` then `b`, PAIRS times in turn, so that both meet the same moments of a noisy
 * machine. `{ ratios, a, b, noise }`: each pair's a / b, both sides' samples, and the pairs' noise.
 */
async function paired(label, a, b) {
  const [as, bs, ratios] = [[], [], []];
  for (let i = 0; i < PAIRS; i++) {
    as.push(await a());
    bs.push(await b());
    ratios.push(as.at(-1) / bs.at(-1));
  }
  const r = stats(`${label} (${PAIRS} pairs)`, ratios, '×');
  return { ratios: r, a: stats(`${label}: a`, as), b: stats(`${label}: b`, bs), noise: noiseOf(r) };
}

/**
 * Judges the band `[lo, hi]` a ratio's pairs spread over against a target: `{ atLeast }`, `{ atMost }` or
 * `{ within: [centre, margin] }`. "holds" when the whole band meets it, "misses" when none of it does, else
 * "inconclusive": the noise is wider than what the target can tell apart.
 */
function judge(lo, hi, { atLeast, atMost, within }) {
  const [low, high] = within
    ? [within[0] * (1 - within[1]), within[0] * (1 + within[1])]
    : [atLeast ?? -Infinity, atMost ?? Infinity];
  if (lo >= low && hi <= high) return 'holds';
  if (hi < low || lo > high) return 'misses';
  return 'inconclusive';
}

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

// The article's CPU modes (from the core's table), each beside its native twin; interpreters have a row of their own.
const CPU_MODES = (await describeCore()).modes.filter((m) => m.kind === 'cpu' && m.inDefaults).map((m) => m.mode);
const rows = [];
const row = (scenario, cells) => rows.push({ scenario, ...cells });

for (const mode of CPU_MODES) {
  row(`${mode}: fib(${N}) × ${K}`, {
    wasm: await wasm(`wasm ${mode}`, { mode, n: N, workers: K }),
    native: await measure(`native ${mode}`, native(mode, N, K)),
  });
}
// Interpreters run only in the browser: a fresh instance per job, in workers kept running.
row(`interpreters: fib(${N}) × ${K}`, {
  wasm: await wasm('wasm interpreters', { mode: 'interpreters', n: N, workers: K }),
});
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
// What any worker takes to start in this browser, measured by the page: the floor under a process's spawn. One
// bare worker alone, and K started at once: a browser may start workers one after another, so K processes' floor is
// K bare workers'.
const floor = await page.evaluate(() => window.threadlab.workerFloor());
const floorK = await page.evaluate((k) => window.threadlab.workerFloor(k), K);
log(`a bare worker starts in ${floor.ms.toFixed(2)} ms, ${K} at once in ${floorK.ms.toFixed(2)} ms (medians of 5)`);
const overhead = {
  threads: await wasm('wasm threads fib(1), pool warm', { mode: 'threads', n: 1, workers: K }),
  processCold: stats('wasm processes fib(1), cold spawn', coldProcesses.repeats.samples),
  processSpawn: coldProcesses.repeats.spawnMs, // median, min, max
};
// Where a cold spawn goes, part by part (each job's four spawn spans), in the same runs; and an interpreter's start,
// whose worker was already running: the message and the instance.
const PARTS = ['spawn-worker', 'spawn-script', 'spawn-message', 'spawn-instance'];
const parts = (run, label) =>
  Object.fromEntries(
    PARTS.map((kind) => {
      const ms = run.jobs.map((job) => job.spans.find((span) => span.kind === kind)).map((s) => s.end - s.start);
      return [kind, stats(`${label}: ${kind}`, ms)];
    }),
  );
const spawnParts = parts(coldProcesses, 'cold spawn');
const interpreterParts = parts(await wasmRun({ mode: 'interpreters', n: 1, workers: K }), 'interpreters start');
// The cuts the spawn's parts point to, each measured here before it is made (bench/README.md, "Where a process's
// start goes"): K bare workers started at once as classic scripts against as modules, and a fresh shared memory of
// the threads build's initial size against one page. The bare worker's script is one line that is both.
const bareScript = readdirSync('dist/assets').find((file) => /^bare-.*\.js$/.test(file));
const bareStart = (type) => () =>
  page.evaluate(
    async ([file, k, type]) => {
      const started = performance.now();
      const workers = Array.from({ length: k }, () => new Worker(new URL(`assets/${file}`, location.href), { type }));
      await Promise.all(workers.map((worker) => new Promise((resolve) => (worker.onmessage = resolve))));
      for (const worker of workers) worker.terminate();
      return performance.now() - started;
    },
    [bareScript, K, type],
  );
const cuts = {
  spawnToFloor: await paired(
    `cold spawn / ${K} bare workers at once, fib(1) × ${K}`,
    async () => (await wasmRun({ mode: 'processes', n: 1, workers: K, repeats: 1 })).spawnMs,
    bareStart('module'),
  ),
  classic: await paired(`${K} bare workers at once, classic / module`, bareStart('classic'), bareStart('module')),
  memory: await page.evaluate(
    (pages) => {
      const made = (initial) => {
        const times = Array.from({ length: 21 }, () => {
          const started = performance.now();
          new WebAssembly.Memory({ initial, maximum: 16384, shared: true });
          return performance.now() - started;
        }).sort((a, b) => a - b);
        return times[10];
      };
      return { pages, initial: made(pages), one: made(1) };
    },
    Number(/new WebAssembly\.Memory\(\{initial:(\d+)/.exec(readFileSync('www/pkg/threads/threadlab.js', 'utf8'))[1]),
  ),
};
row(`threads fib(1) × ${K}, pool warm`, { wasm: overhead.threads });
row(`processes fib(1) × ${K}, cold`, { wasm: overhead.processCold });

// The sweep is the page's own scaling experiment (window.threadlab.scaling), the same computation a visitor runs.
const sweep = [];
if (flags.sweep) {
  const scaling = await page.evaluate((o) => window.threadlab.scaling(o), { n: N, ks: [1, 2, 4, 8], repeats: R });
  for (const point of scaling.points.filter((p) => p.mode !== 'single')) {
    const { workers: k, mode, wallMs, speedup, efficiency } = point;
    log(`sweep k=${k} ${mode}: ${speedup?.toFixed(2)}× (efficiency ${efficiency?.toFixed(2)})`);
    sweep.push({ k, mode, median: wallMs.median, speedup, efficiency });
  }
}

// Ratio targets, each from its own paired, interleaved runs: a call of the page's run with one warm-up and one timed
// run, then the other mode's, in turn (native and CPython runs likewise, one process each).
const timedOnce = (options) => async () => (await wasmRun({ ...options, repeats: 1 })).wallMs;
const cpuOnce = (mode, k = K) => timedOnce({ mode, n: N, workers: k });
const shaOnce = (mode) => timedOnce({ mode, work: 'sha256', mib: MIB, workers: K });
/** One call of the visitor's own Python script, threadlab.py, in this machine's python3: its runs by mode. */
function threadlabPy(args) {
  const file = join(tmpdir(), `threadlab-bench-${process.pid}.json`);
  sh('python3', ['www/public/threadlab.py', ...args, '--json', file].map(String), { stdio: 'ignore' });
  return Object.fromEntries(JSON.parse(readFileSync(file, 'utf8')).runs.map((run) => [run.mode, run]));
}

/**
 * The visitor's own Python, as the page offers it: threadlab.py (`args`: its work and modes), PAIRS calls, each a
 * process of its own whose ratios come from the same call (each mode warmed up, as the page's are). `quotients`
 * names each ratio and its two modes, `{ threads: ['threads', 'single'] }`; each comes back as `{ ratios, noise }`.
 */
function visitorsPython(work, args, quotients) {
  const calls = Array.from({ length: PAIRS }, () => {
    const runs = threadlabPy([...args, '--workers', K, '--repeats', 1]);
    return Object.fromEntries(
      Object.entries(quotients).map(([key, [a, b]]) => [key, runs[a].walls[0] / runs[b].walls[0]]),
    );
  });
  return Object.fromEntries(
    Object.entries(quotients).map(([key, [a, b]]) => {
      const samples = calls.map((call) => call[key]);
      const ratios = stats(`threadlab.py ${a} / ${b}, ${work} × ${K} (${PAIRS} calls)`, samples, '×');
      return [key, { ratios, noise: noiseOf(ratios) }];
    }),
  );
}

/** What a job of `args`' work takes in threadlab.py: the median of R, on one thread. */
function pythonJobMs(args) {
  return median(threadlabPy([...args, '--modes', 'single', '--workers', 1, '--repeats', R]).single.jobs);
}

// sha256 is compared at equal job durations, as fib is: CPython's OpenSSL hashes several times faster than the page's
// sha2 in wasm, and a job of a few ms is mostly the threads' start and join. A job of MIB MiB here, then the MiB
// whose job takes about as long in threadlab.py (a MiB costs the same each time: the time is linear in it).
const shaJobMs = median(
  (await wasmRun({ mode: 'single', work: 'sha256', mib: MIB, workers: 1 })).jobs.map((job) => job.end - job.start),
);
const PY_MIB = Math.min(
  256,
  Math.max(1, Math.round((MIB * shaJobMs) / pythonJobMs(['--work', 'sha256', '--mib', MIB]))),
);
log(`sha256: a job of ${MIB} MiB takes ${shaJobMs.toFixed(1)} ms here; threadlab.py hashes ${PY_MIB} MiB a job`);

// threads / single and single / processes for fib, and threads / single for hashlib's sha256, which lets go of the
// GIL while it hashes.
const visitor = {
  ...visitorsPython(`fib(${PY_N})`, ['--modes', 'single,threads,processes', '--n', PY_N], {
    threads: ['threads', 'single'],
    processes: ['single', 'processes'],
  }),
  ...visitorsPython(`sha256 of ${PY_MIB} MiB`, ['--work', 'sha256', '--mib', PY_MIB, '--modes', 'single,threads'], {
    sha256Threads: ['threads', 'single'],
  }),
};
const pairs = {
  threads: await paired(`single / threads, fib(${N}) × ${K}`, cpuOnce('single'), cpuOnce('threads')),
  processes: await paired(`single / processes, fib(${N}) × ${K}`, cpuOnce('single'), cpuOnce('processes')),
  interpreters: await paired(`single / interpreters, fib(${N}) × ${K}`, cpuOnce('single'), cpuOnce('interpreters')),
  gil: await paired(`gil / single, fib(${N}) × ${K}`, cpuOnce('gil'), cpuOnce('single')),
  gilSha256: await paired(`gil / single, sha256 of ${MIB} MiB × ${K}`, shaOnce('gil'), shaOnce('single')),
  native: await paired(`wasm single / native single, fib(${N}) × ${K}`, cpuOnce('single'), native('single', N, K)),
};
for (const mode of ['threads', 'gil', 'processes']) {
  pairs[`${mode}One`] = await paired(`${mode} / single, fib(${N}) × 1`, cpuOnce(mode, 1), cpuOnce('single', 1));
}

// Where the rules bend (issue 34): processes against threads under the GIL as each job's payload grows, in the page's
// own bend experiment and in threadlab.py, each side's rows from its own runs. A side's row: `{ payloadMb, threadsMs,
// processesMs, gain (threads' median over processes'), won, copyMs, copyShare (of processes' median) }`.

/** The page's bend experiment (window.threadlab.bend) at BEND's n and payloads; its payloads' rows as a side's. */
async function bendInThePage() {
  const options = { n: BEND.n, mib: MIB, workers: K, repeats: R, payloads: BEND.payloads };
  const click = await page.evaluate((o) => window.threadlab.bend(o), options);
  // A fib job without a payload, for threadlab.py's n: the median job of one thread's median run.
  const single = click.runs.find((run) => run.mode === 'single' && run.work.fib && !run.work.fib.payloadMb);
  const rows = click.payloads.map((row) => ({
    payloadMb: row.payloadMb,
    threadsMs: row.gilMs,
    processesMs: row.processesMs,
    gain: row.processesOverGil,
    won: row.order === 'faster',
    copyMs: row.copyMs,
    copyShare: row.copyShare,
  }));
  return {
    n: BEND.n,
    jobMs: median(single.jobs.map((job) => job.end - job.start)),
    rows,
    crossoverMb: click.crossoverMb,
    words: click.words,
  };
}

/**
 * threadlab.py's threads and processes at each of BEND's payloads, one call a payload (R repeats), at the n whose fib
 * job takes about `jobMs` in this CPython, as one does in the page: a spawn and a copy then weigh the same against
 * the work. Processes won where their median is below threads'.
 */
function bendInPython(jobMs) {
  const n = calibratedN(PY_N, jobMs, pythonJobMs(['--n', PY_N]));
  const rows = BEND.payloads.map((payloadMb) => {
    const args = ['--modes', 'threads,processes', '--n', n, '--payload-mb', payloadMb, '--workers', K, '--repeats', R];
    const runs = threadlabPy(args);
    const [threadsMs, processesMs] = ['threads', 'processes'].map((mode) =>
      stats(`threadlab.py ${mode}, fib(${n}) × ${K}, ${payloadMb} MiB a job`, runs[mode].walls),
    );
    const copyMs = runs.processes.copy ?? null;
    return {
      payloadMb,
      threadsMs,
      processesMs,
      gain: threadsMs.median / processesMs.median,
      won: processesMs.median < threadsMs.median,
      copyMs,
      copyShare: copyMs === null ? null : copyMs / processesMs.median,
    };
  });
  return { n, jobMs: pythonJobMs(['--n', n]), rows, crossoverMb: crossover(rows) };
}

const bend = { wasm: await bendInThePage() };
bend.python = bendInPython(bend.wasm.jobMs);
for (const [side, { crossoverMb }] of Object.entries(bend)) log(`bend, ${side}: crossover at ${crossoverMb} MiB`);

// The convoy: what the GIL adds to an IO thread's request beside K CPU threads, in threadlab (the page's own convoy
// experiment, alone then gil in one click: the median time a request waited for the GIL) and in CPython (the same
// scenario, one process each: gil's median latency less alone's), in pairs. Beside them, what else threadlab's
// requests took (their flight's growth beside busy threads: the browser's cost) and its hand-overs' parts.
const CONVOY = { requests: 20, delayMs: 2, n: 22, intervals: [1, 5] };
/** Each pair's threadlab figures besides the GIL's wait: the total added, the flight's growth, the hand-overs. */
const convoyMore = Object.fromEntries(CONVOY.intervals.map((s) => [s, []]));
const convoyOnce = (switchMs) => async () => {
  const options = { ...CONVOY, intervals: [], switchMs, workers: K, regimes: ['gil'], repeats: 1 };
  const { regimes } = await page.evaluate((o) => window.threadlab.convoy(o), options);
  const [alone, gil] = regimes;
  convoyMore[switchMs].push({
    added: gil.addedMs,
    flight: gil.inFlightMs - alone.inFlightMs,
    handOver: gil.handOver,
  });
  return gil.gilWaitMs;
};
const cpythonConvoy = (switchMs) => async () => {
  const flags = ['--requests', CONVOY.requests, '--delay-ms', CONVOY.delayMs, '--n', CONVOY.n, '--workers', K];
  return JSON.parse(
    sh(
      'python3',
      ['bench/python/experiment.py', '--scenario', 'convoy', '--switch-ms', switchMs, ...flags].map(String),
    ),
  ).addedMs;
};
// The same GIL natively (threadlab-native convoy), its requests real GETs of the preview server's endpoint: run
// without blocking this process, which serves them.
const nativeHandOvers = Object.fromEntries(CONVOY.intervals.map((s) => [s, []]));
const nativeConvoy = (switchMs) => async () => {
  const url = `${server.url}api/users/octocat?delay_ms=${CONVOY.delayMs}&via=server`;
  const args = ['convoy', CONVOY.n, K, switchMs, CONVOY.requests, url].map(String);
  const { addedMs, handOver } = JSON.parse((await promisify(execFile)('target/release/threadlab-native', args)).stdout);
  nativeHandOvers[switchMs].push(handOver);
  return addedMs;
};
/** The median of each hand-over part over `handOvers` (those measured), as "timer 0.10 · notice 0.01 · …" ms. */
const handOverParts = (handOvers) => {
  const measured = handOvers.filter(Boolean);
  if (!measured.length) return '—';
  const part = (name) => median(measured.map((h) => h[`${name}Ms`])).toFixed(3);
  return ['timer', 'notice', 'wake', 'take'].map((name) => `${name} ${part(name)}`).join(' · ');
};
const convoy = {};
const convoyNative = {};
for (const switchMs of CONVOY.intervals) {
  convoyNative[switchMs] = await measure(`convoy natively: added latency at ${switchMs} ms`, nativeConvoy(switchMs));
  convoy[switchMs] = await paired(
    `convoy: added latency, threadlab / CPython, switch interval ${switchMs} ms`,
    convoyOnce(switchMs),
    cpythonConvoy(switchMs),
  );
  pairs[`convoy${switchMs}`] = convoy[switchMs];
}

// Real CPython in the page (Pyodide), on fresh pages: how long a visitor waits from the Python button's click to its
// first result, what its interpreters take to start (the first compiles the wasm; the others reuse it), and its
// ratios beside the Rust's from the same page.
const cpython = await cpythonInThePage();
const fresh = await freshPages();
const weight = await pageWeight();
const sizes = distSizes();
const browserVersion = browser.version();
await browser.close();
await server.close();

// Every ratio target is judged on its pairs (see `paired` and `judge`); the others on their repeats' range.
const find = (scenario) => rows.find((r) => r.scenario.startsWith(scenario));
const figure = (name, value, target, verdict, unit = '', noise = null) => ({
  name,
  value,
  unit,
  target,
  verdict,
  noise,
  // The verdict as a yes or no where it is one (null: inconclusive or informative).
  holds: { holds: true, misses: false }[verdict] ?? null,
});
const ratio = (name, pair, target, text) =>
  figure(name, pair.ratios.median, text, judge(pair.ratios.min, pair.ratios.max, target), '×', pair.noise);
const spread = (s, target) => judge(s.min, s.max, target);
/**
 * Our gil / single against threadlab.py's threads / single (`work`), within ±15%: judged on the band of ours over
 * theirs, so that either side's noise makes it inconclusive, not a miss.
 */
const withinPython = (name, pair, python, work, beside = '') => {
  const [ours, theirs] = [pair.ratios, python.ratios];
  const verdict = judge(ours.min / theirs.max, ours.max / theirs.min, { within: [1, 0.15] });
  const target = `within ±15% of your Python's threads / single (threadlab.py), ${work}: ${theirs.median.toFixed(2)}${beside}`;
  return { ...figure(name, ours.median, target, verdict, '×', pair.noise + python.noise), cpython: theirs.median };
};
/** A side's crossover payload, informative (none: null), with the copy's share of processes' time there. */
const crossoverFigure = (name, side) => ({
  ...figure(name, side.crossoverMb, `informative: ${crossoverText(side)}`, 'informative', 'MiB'),
  copyShare: side.rows.find((row) => row.payloadMb === side.crossoverMb)?.copyShare ?? null,
});
const figures = [
  ratio(
    `threads speedup vs single, fib(${N}) × ${K}`,
    pairs.threads,
    { atLeast: 0.95 * K },
    `≥ ${(0.95 * K).toFixed(2)}×`,
  ),
  ratio(
    `processes speedup vs single, fib(${N}) × ${K}`,
    pairs.processes,
    { atLeast: 0.925 * K },
    `≥ ${(0.925 * K).toFixed(2)}×`,
  ),
  // fib compared at similar durations, not equal n: CPython's fib(30) takes about as long as wasm's fib(38..40).
  withinPython(`gil / single in wasm, fib(${N}) × ${K}`, pairs.gil, visitor.threads, `fib(${PY_N})`),
  // sha256 likewise at similar durations: CPython's hashlib.sha256 of PY_MIB MiB takes about as long as wasm's of MIB.
  withinPython(
    `gil / single in wasm, sha256 of ${MIB} MiB × ${K}`,
    pairs.gilSha256,
    visitor.sha256Threads,
    `hashlib.sha256 of ${PY_MIB} MiB (a job as long as ${MIB} MiB here, ${shaJobMs.toFixed(1)} ms)`,
    `; beside fib's gil / single here, ${pairs.gil.ratios.median.toFixed(2)}`,
  ),
  {
    // Beside, not judged: CPython's processes pay its own start (fork, forkserver or spawn), the page's a worker's.
    ...figure(
      `processes speedup in wasm, fib(${N}) × ${K}, beside your Python's (threadlab.py), fib(${PY_N})`,
      pairs.processes.ratios.median,
      `informative: threadlab.py's processes ${visitor.processes.ratios.median.toFixed(2)}× single ` +
        `(${visitor.processes.ratios.min.toFixed(2)}–${visitor.processes.ratios.max.toFixed(2)})`,
      'informative',
      '×',
      pairs.processes.noise + visitor.processes.noise,
    ),
    cpython: visitor.processes.ratios.median,
  },
  crossoverFigure(
    `crossover payload in wasm (the page's bend experiment), fib(${BEND.n}) × ${K}: processes no longer beat threads under the GIL`,
    bend.wasm,
  ),
  crossoverFigure(
    `crossover payload in your Python (threadlab.py), fib(${bend.python.n}) × ${K}: processes' median no longer below threads'`,
    bend.python,
  ),
  ...['threads', 'gil'].map((mode) =>
    ratio(
      `${mode} / single with k = 1, fib(${N}): the same compiled code`,
      pairs[`${mode}One`],
      { within: [1, 0.03] },
      'within ±3%',
    ),
  ),
  {
    ...ratio(
      `processes / single with k = 1, fib(${N}): the same compiled code`,
      pairs.processesOne,
      {},
      'informative (includes its spawn)',
    ),
    verdict: 'informative',
    holds: null,
  },
  figure(
    `first / fifth single run on a fresh page, fib(${N}) × ${K} (median of ${fresh.pages})`,
    fresh.firstOverFifth.median,
    `≤ 1.10 (${fresh.firstOverFifth.min.toFixed(2)}–${fresh.firstOverFifth.max.toFixed(2)})`,
    spread(fresh.firstOverFifth, { atMost: 1.1 }),
    '×',
  ),
  figure(
    `page load to first result, ?autorun=1 with the defaults (median of ${fresh.pages})`,
    fresh.firstResult.median,
    `informative (${fresh.firstResult.min.toFixed(0)}–${fresh.firstResult.max.toFixed(0)} ms)`,
    'informative',
    'ms',
  ),
  ratio(`wasm single / native single, fib(${N})`, pairs.native, { atMost: 1.25 }, '≤ 1.25'),
  figure(
    'CPython fib(30) / wasm fib(30)',
    find('fib(30)').cpython.median / find('fib(30)').wasm.median,
    'informative',
    'informative',
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
      spread(concurrent.stats, { atMost: limit }),
      '×',
    );
  }),
  (() => {
    const ratio = find('CPython io-threads').cpython.median / find('CPython io-sequential').cpython.median;
    return figure(
      `IO threads / sequential in CPython, ${IO.requests} × ${IO.delayMs} ms`,
      ratio,
      'informative (ideal 0.10)',
      'informative',
      '×',
    );
  })(),
  figure(
    `threads overhead: fib(1) × ${K}, pool warm`,
    overhead.threads.median,
    '< 1 ms',
    spread(overhead.threads, { atMost: 1 }),
    'ms',
  ),
  figure(
    `process spawn, cold, fib(1) × ${K} (worker + wasm instantiate from the compiled module)`,
    overhead.processSpawn.median,
    `≤ 1.3 × one bare worker's start, ${floor.ms.toFixed(1)} ms here: ${(1.3 * floor.ms).toFixed(1)} ms`,
    spread(overhead.processSpawn, { atMost: 1.3 * floor.ms }),
    'ms',
  ),
  ratio(
    `process spawn, cold / ${K} bare workers started at once, fib(1) × ${K}`,
    cuts.spawnToFloor,
    { atMost: 1.3 },
    `≤ 1.3 (the floor: ${K} bare workers at once, ${cuts.spawnToFloor.b.median.toFixed(1)} ms in these pairs; one alone ${floor.ms.toFixed(1)} ms)`,
  ),
  ratio(
    `cut: a classic worker script, ${K} bare workers at once, classic / module`,
    cuts.classic,
    { atMost: 0.9 },
    `worth making if ≤ 0.9 (it would need every worker classic: the thread pool's helpers are modules)`,
  ),
  figure(
    `cut: a smaller initial memory, a fresh shared memory of ${cuts.memory.pages} pages`,
    cuts.memory.initial,
    `informative: one of 1 page takes ${cuts.memory.one.toFixed(3)} ms`,
    'informative',
    'ms',
  ),
  ratio(
    `interpreters speedup vs single, fib(${N}) × ${K}`,
    pairs.interpreters,
    { atLeast: 0.925 * K },
    `≥ ${(0.925 * K).toFixed(2)}× (processes: ${pairs.processes.ratios.median.toFixed(2)}×, threads: ${pairs.threads.ratios.median.toFixed(2)}×)`,
  ),
  figure(
    `interpreters' start, fib(1) × ${K} (medians over its ${K} instances)`,
    interpreterParts['spawn-message'].median + interpreterParts['spawn-instance'].median,
    `informative: the page's message ${interpreterParts['spawn-message'].median.toFixed(1)} + its wasm instance ` +
      `${interpreterParts['spawn-instance'].median.toFixed(1)} ms, in a worker already running`,
    'informative',
    'ms',
  ),
  (() => {
    // The first two parts are what a bare worker's start is made of; the instance is the part no bare worker has.
    const [worker, script, message, instance] = PARTS.map((kind) => spawnParts[kind].median);
    return figure(
      `process spawn, cold, by part (medians over its ${K} workers)`,
      worker + script + message + instance,
      `informative: the worker starts ${worker.toFixed(1)} + its script ${script.toFixed(1)} + the page's message ` +
        `${message.toFixed(1)} + its wasm instance ${instance.toFixed(1)} ms; ${K} bare workers at once: each starts ` +
        `${floorK.parts.worker.toFixed(1)} + its one-line script ${floorK.parts.script.toFixed(1)} (all in ` +
        `${floorK.ms.toFixed(1)}; one alone in ${floor.ms.toFixed(1)}); an instance in a running worker takes ` +
        `${interpreterParts['spawn-instance'].median.toFixed(1)}`,
      'informative',
      'ms',
    );
  })(),
  ...CONVOY.intervals.map((switchMs) => ({
    ...ratio(
      `convoy: the GIL's added latency per request (threadlab: its wait for the GIL; CPython: gil less alone), threadlab / CPython, at ${switchMs} ms (${CONVOY.requests} × ${CONVOY.delayMs} ms beside ${K} CPU threads)`,
      convoy[switchMs],
      { within: [1, 0.3] },
      `within ±30% (threadlab ${convoy[switchMs].a.median.toFixed(2)} ms, CPython ${convoy[switchMs].b.median.toFixed(2)} ms)`,
    ),
    threadlab: convoy[switchMs].a,
    cpython: convoy[switchMs].b,
    native: convoyNative[switchMs],
  })),
  figure('page weight, first load, gzip', weight / 1024, '≤ 200 KB', weight / 1024 <= 200 ? 'holds' : 'misses', 'KB'),
  figure(
    `CPython in the page: the Python button's click to its first result (median of ${cpython.pages} fresh pages)`,
    cpython.firstResult.median,
    `≤ 8000 ms (${cpython.firstResult.min.toFixed(0)}–${cpython.firstResult.max.toFixed(0)})`,
    spread(cpython.firstResult, { atMost: 8000 }),
    'ms',
  ),
  figure(
    `CPython in the page: a later interpreter's start / the first's, in the same page (median of ${cpython.pages})`,
    cpython.laterOverFirst.median,
    `≤ 0.40 (${cpython.laterOverFirst.min.toFixed(2)}–${cpython.laterOverFirst.max.toFixed(2)}; first ${cpython.first.median.toFixed(0)} ms, later ${cpython.later.median.toFixed(0)} ms)`,
    spread(cpython.laterOverFirst, { atMost: 0.4 }),
    '×',
  ),
  ...['processes', 'io-concurrent'].map((mode) => {
    const base = mode === 'processes' ? 'single' : 'io-sequential';
    const [ours, rust] = [cpython.speedups.python[mode], cpython.speedups.rust[mode]];
    return figure(
      `CPython in the page: ${mode} / ${base} speedup, fib(${cpython.n}) × ${cpython.k} (the Rust's: ${rust?.toFixed(2)}×)`,
      ours,
      'informative',
      'informative',
      '×',
    );
  }),
];
const noises = Object.values(pairs).map((pair) => pair.noise);

const machine = {
  date: new Date().toISOString(),
  cores,
  browser: `Chromium ${browserVersion}`,
  rustc: sh('rustc', ['--version']),
  python: sh('python3', ['--version']),
  node: process.version,
};
const options = {
  n: N,
  pythonN: PY_N,
  mib: MIB,
  pythonMib: PY_MIB,
  workers: K,
  repeats: R,
  pairs: PAIRS,
  quick: flags.quick,
};
mkdirSync(dirname(flags.json), { recursive: true });
const json = {
  machine,
  options,
  rows,
  pairs,
  visitor,
  spawnParts,
  interpreterParts,
  floor,
  floorK,
  cuts,
  figures,
  sweep,
  cpython,
  bend,
  sizes,
  convoyParts: { wasm: convoyMore, native: nativeHandOvers },
};
writeFileSync(flags.json, `${JSON.stringify(json, null, 2)}\n`);
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

/**
 * CPython in the page, on fresh pages (each its own context: nothing cached): the Python button's click to the
 * first row of the table; then in the same page the interpreters' starts (`window.threadlab.pythonStarts`), and
 * single, processes and the io modes in CPython and in Rust, for their speedups.
 */
async function cpythonInThePage() {
  const pages = flags.quick ? 1 : 3;
  const n = 27;
  const k = Math.min(K, 4); // CPython's processes start at most 4 interpreters (inputs/fields.rs)
  const [clicks, firsts, laters, ratios] = [[], [], [], []];
  let speedups = null;
  for (let i = 0; i < pages; i++) {
    const context = await browser.newContext();
    const visitor = await openPage(context, server.url);
    const clicked = await visitor.evaluate(() => performance.now());
    await visitor.click('#python-start');
    await visitor.waitForSelector('#results tbody tr', { timeout: 120_000 });
    clicks.push((await visitor.evaluate(() => performance.now())) - clicked);
    await visitor.click('#cancel');
    await visitor.waitForFunction(() => !document.body.classList.contains('running'));
    // Four interpreters in all: the first (with the wasm's download and compile) and three that reuse its module.
    const run = (options) =>
      visitor.evaluate((o) => window.threadlab.run(o), { n, workers: K, repeats: R, ...options });
    await run({ mode: 'processes', engine: 'python', workers: 4, repeats: 1 });
    // The first start, and the median of the three later ones (the core's, as the page shows it).
    const {
      first,
      later: { median: later },
    } = await visitor.evaluate(() => window.threadlab.pythonStarts());
    firsts.push(first.ms);
    laters.push(later);
    ratios.push(later / first.ms);
    if (i === 0) {
      const io = { requests: IO.requests, delayMs: IO.delayMs };
      const wall = async (options) => (await run(options)).wallMs;
      speedups = { python: {}, rust: {} };
      for (const engine of ['python', 'rust']) {
        const single = await wall({ mode: 'single', engine });
        speedups[engine].processes = single / (await wall({ mode: 'processes', engine }));
        const sequential = await wall({ mode: 'io-sequential', engine, ...io });
        speedups[engine]['io-concurrent'] = sequential / (await wall({ mode: 'io-concurrent', engine, ...io }));
      }
      speedups.rust.gil = (await wall({ mode: 'single' })) / (await wall({ mode: 'gil' }));
    }
    await context.close();
  }
  return {
    pages,
    n,
    k,
    firstResult: stats("CPython: the Python button's click to the first result", clicks),
    first: stats("CPython: the first interpreter's start", firsts),
    later: stats('CPython: a later interpreter start (median of 3)', laters),
    laterOverFirst: stats('CPython: later / first start', ratios, '×'),
    speedups,
  };
}

/** The built site's size, raw and gzip, with and without CPython's files (assets/pyodide-*), in bytes. */
function distSizes() {
  const files = sh('find', ['dist', '-type', 'f']).split('\n');
  const size = (list) =>
    list.reduce(
      (sum, file) => {
        const bytes = readFileSync(file);
        return { raw: sum.raw + bytes.length, gzip: sum.gzip + gzipSync(bytes).length };
      },
      { raw: 0, gzip: 0 },
    );
  const python = files.filter((file) => file.includes('/pyodide-'));
  const sizes = { all: size(files), python: size(python) };
  log(
    `dist: ${(sizes.all.raw / 2 ** 20).toFixed(1)} MB raw, ${(sizes.all.gzip / 2 ** 20).toFixed(1)} MB gzip; CPython's files ${(sizes.python.raw / 2 ** 20).toFixed(1)} MB raw, ${(sizes.python.gzip / 2 ** 20).toFixed(1)} MB gzip`,
  );
  return sizes;
}

/** What a first visit downloads before any run, each response gzipped as a server would send it. */
async function pageWeight() {
  const fresh = await browser.newContext();
  const visitor = await fresh.newPage();
  // Each file once, by its URL: a second fetch of the same file (each pool thread's script) comes from the cache.
  // A response whose body the browser no longer holds counts as nothing, never in place of the file's own.
  const responses = [];
  visitor.on('response', (response) =>
    responses.push(
      response.body().then(
        (body) => [response.url(), gzipSync(body).length],
        () => [response.url(), 0],
      ),
    ),
  );
  await visitor.goto(server.url);
  // The first load ends once the thread pool has started at idle (the page says so under the table).
  await visitor.waitForFunction(() => document.querySelector('#pool-note')?.textContent !== '');
  await visitor.waitForLoadState('networkidle');
  const sizes = new Map();
  for (const [url, size] of await Promise.all(responses)) sizes.set(url, Math.max(size, sizes.get(url) ?? 0));
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  await fresh.close();
  return total;
}

function pct(fraction) {
  return `${(100 * fraction).toFixed(1)}%`;
}

/** "holds", "misses", "—" for a figure that only informs, or why a ratio is inconclusive. */
function verdictText(f) {
  if (f.verdict === 'informative') return '—';
  if (f.verdict !== 'inconclusive') return f.verdict;
  return f.noise === null
    ? 'inconclusive: its repeats straddle the target'
    : `inconclusive: the machine's noise (±${pct(f.noise)}) is wider than the target`;
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
    `Ratio targets are judged on ${PAIRS} paired, interleaved runs each: "holds" when every pair meets the target,`,
    '"misses" when none does, "inconclusive" when the pairs\' spread (the noise, ±) straddles it.',
    `Noise seen in the pairs' ratios: ±${pct(Math.min(...noises))} to ±${pct(Math.max(...noises))} (median ±${pct(median(noises))}).`,
    '',
    '| figure | value | target | noise | verdict |',
    '| --- | ---: | --- | ---: | --- |',
    ...figures.map(
      (f) =>
        `| ${f.name} | ${f.value === null ? 'none' : `${f.value.toFixed(2)} ${f.unit}`} | ${f.target} | ${f.noise === null ? '' : `±${pct(f.noise)}`} | ${verdictText(f)} |`,
    ),
  ];
  lines.push(
    '',
    `The convoy: what the GIL adds to each of ${CONVOY.requests} requests (${CONVOY.delayMs} ms) beside ${K} CPU threads, median (min–max) of ${PAIRS} runs, in ms:`,
    '',
    '| switch interval | threadlab: wait for the GIL (wasm) | CPython added | ratio (pairs) | threadlab added natively |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...CONVOY.intervals.map((s) => {
      const c = convoy[s];
      const band = `${c.ratios.median.toFixed(2)} (${c.ratios.min.toFixed(2)}–${c.ratios.max.toFixed(2)})`;
      return `| ${s} ms | ${ms(c.a)} | ${ms(c.b)} | ${band} | ${ms(convoyNative[s])} |`;
    }),
    '',
    "Where threadlab's time went, medians of the same pairs, in ms: the latency it added in all, its requests' flight's growth beside the busy threads (the browser's and the machine's cost, not the GIL's), and the parts of each hand-over the IO thread asked for, beyond its switch interval (its timer ending late, the holder noticing, the wake, the taking), in wasm and natively:",
    '',
    '| switch interval | added in all (wasm) | flight growth (wasm) | hand-over parts (wasm) | hand-over parts (native) |',
    '| ---: | ---: | ---: | --- | --- |',
    ...CONVOY.intervals.map((s) => {
      const more = convoyMore[s];
      const of = (key) => median(more.map((m) => m[key])).toFixed(2);
      return `| ${s} ms | ${of('added')} | ${of('flight')} | ${handOverParts(more.map((m) => m.handOver))} | ${handOverParts(nativeHandOvers[s])} |`;
    }),
  );
  lines.push(
    '',
    `Where the rules bend: threads under the GIL against processes as each job's payload grows, wasm fib(${BEND.n}) × ${K} (the page's bend experiment) beside your Python's fib(${bend.python.n}) × ${K} (threadlab.py; a fib(${bend.python.n}) job ${bend.python.jobMs.toFixed(1)} ms there, fib(${BEND.n}) ${bend.wasm.jobMs.toFixed(1)} ms here), median of ${R}; the gain is threads' time over processes', the copy share the copy in over processes' time:`,
    '',
    ...payloadTable(bend.wasm, bend.python),
    '',
    `The crossover in wasm: ${crossoverText(bend.wasm)}; in your Python: ${crossoverText(bend.python)}.`,
  );
  const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
  const times = (x) => (x === undefined ? '—' : `${x.toFixed(2)}×`);
  lines.push(
    '',
    `Real CPython in the page (Pyodide) beside the Rust, one page, fib(${cpython.n}) × ${cpython.k}, ${IO.requests} × ${IO.delayMs} ms, median of ${R}:`,
    '',
    '| speedup | CPython 3.14 (Pyodide) | the Rust emulation |',
    '| --- | ---: | ---: |',
    ...['processes', 'io-concurrent', 'gil'].map(
      (mode) =>
        `| ${mode} / ${mode === 'io-concurrent' ? 'io-sequential' : 'single'} | ${times(cpython.speedups.python[mode])} | ${times(cpython.speedups.rust[mode])} |`,
    ),
    '',
    `The built site: ${mb(sizes.all.raw)} raw, ${mb(sizes.all.gzip)} gzip; without CPython's files ${mb(sizes.all.raw - sizes.python.raw)} raw, ${mb(sizes.all.gzip - sizes.python.gzip)} gzip.`,
  );
  if (sweep.length) {
    lines.push(
      '',
      `Scaling sweep, fib(${N}), wasm (window.threadlab.scaling, ${R} repeats):`,
      '',
      '| k | mode | median ms | speedup vs single(k) | efficiency |',
      '| ---: | --- | ---: | ---: | ---: |',
      ...sweep.map(
        (s) =>
          `| ${s.k} | ${s.mode} | ${s.median.toFixed(1)} | ${s.speedup?.toFixed(2) ?? '—'}× | ${Math.round(100 * (s.efficiency ?? 0))}% |`,
      ),
    );
  }
  return lines.join('\n');
}
