// npm run soak: a long session in one page, to show that it stays flat. Many mixed runs (every mode, two sizes of
// pool, an occasional cancel), then the page's live workers, their wasm memory and the page's JS heap, at the start
// and at the end, against the bounds below; and whether every result was correct.
//
// Options: --runs N (default 200)  --no-build (use dist/ as it is)  --json PATH
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { describeCore } from '../scripts/describe.js';
import { launch, openPage } from '../tests/support/browser.js';
import { isolatedServer } from '../tests/support/servers.js';

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    'no-build': { type: 'boolean', default: false },
    json: { type: 'string', default: 'bench/results/soak.json' },
  },
});
const RUNS = Number(flags.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a whole number ≥ 1, got ${flags.runs}`);
const MB = 1024 * 1024;

// Flat means: exactly the workers it started with; wasm memory, which can grow but never shrinks, at most 10% more
// (its allocator settles after the first runs); the JS heap, after a garbage collection, at most 20% or 2 MB more.
const BOUNDS = {
  workers: { text: 'the same', holds: (start, end) => end === start },
  wasmBytes: { text: '≤ start + 10%', holds: (start, end) => end <= start * 1.1 },
  heapBytes: { text: '≤ start + max(20%, 2 MB)', holds: (start, end) => end <= start + Math.max(start * 0.2, 2 * MB) },
};

// Small runs of every mode, with pools of 2 and 3 threads in turn (a new size rebuilds the pool).
const MIXED = (await describeCore()).modes.map((info) => info.mode);
const options = (i) => ({
  mode: MIXED[i % MIXED.length],
  n: 24,
  workers: 2 + (Math.floor(i / MIXED.length) % 2),
  repeats: 1,
  requests: 3,
  delayMs: 5,
});
const CANCEL_EVERY = 40; // this run is cancelled while it runs

const log = (...args) => console.error('soak:', ...args);

if (!flags['no-build']) {
  log('building the site');
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
const server = await isolatedServer();
const browser = await launch();
const context = await browser.newContext();
const page = await openPage(context, server.url);
const session = await context.newCDPSession(page);
const { targetInfo } = await session.send('Target.getTargetInfo');
const targets = await browser.newBrowserCDPSession();

/** The browser's count of this page's workers (pool threads included). */
async function liveWorkers() {
  const { targetInfos } = await targets.send('Target.getTargets');
  return targetInfos.filter((t) => t.type === 'worker' && t.browserContextId === targetInfo.browserContextId).length;
}

/**
 * The figures now: this page's workers by the browser's count, the lab's wasm memories, the page's JS heap after a
 * garbage collection. Chromium tears a terminated worker down only after a grace time (~2 s) when its pool threads
 * sleep, so the browser's count is read once it agrees with the workers the lab holds, or after 10 s.
 */
async function snapshot() {
  const usage = await page.evaluate(() => window.threadlab.usage());
  const until = Date.now() + 10_000;
  let workers = await liveWorkers();
  while (workers !== usage.workers && Date.now() < until) {
    await page.waitForTimeout(200);
    workers = await liveWorkers();
  }
  await session.send('HeapProfiler.collectGarbage');
  const { usedSize } = await session.send('Runtime.getHeapUsage');
  return { workers, labWorkers: usage.workers, wasmBytes: usage.wasmBytes, heapBytes: usedSize };
}

const run = (o) =>
  page.evaluate(
    (o) =>
      window.threadlab.run(o).then(
        (r) => (r.correct ? 'ok' : 'wrong'),
        (e) => e.message,
      ),
    o,
  );

// One run of each mode at each pool size first, so that every worker the page keeps (the pool at its last size, the
// interpreters' hosts as many as the larger size) exists before the start figures are taken.
const FIRST = 2 * MIXED.length;
for (let i = 0; i < FIRST; i++) await run(options(i));
const start = await snapshot();
log(`start: ${JSON.stringify(start)}`);

const outcomes = { ok: 0, wrong: 0, cancelled: 0, failed: [] };
const began = Date.now();
for (let i = 0; i < RUNS; i++) {
  const running = run(options(i));
  if ((i + 1) % CANCEL_EVERY === 0) {
    await page.waitForTimeout(5);
    await page.evaluate(() => window.threadlab.cancel());
  }
  const outcome = await running;
  if (outcome === 'ok' || outcome === 'wrong') outcomes[outcome]++;
  else if (outcome === 'cancelled') outcomes.cancelled++;
  else outcomes.failed.push(`${options(i).mode}: ${outcome}`);
  if ((i + 1) % 50 === 0) log(`${i + 1} runs`);
}
// The same runs as before the start figures, so that the same workers are alive.
for (let i = 0; i < FIRST; i++) await run(options(i));
const end = await snapshot();
log(`end: ${JSON.stringify(end)}`);
const seconds = (Date.now() - began) / 1000;

await browser.close();
await server.close();

const figures = Object.entries(BOUNDS).map(([name, bound]) => ({
  name,
  start: start[name],
  end: end[name],
  bound: bound.text,
  holds: bound.holds(start[name], end[name]),
}));
const result = { runs: RUNS, seconds, outcomes, figures, flat: figures.every((f) => f.holds) };
mkdirSync(dirname(flags.json), { recursive: true });
writeFileSync(flags.json, `${JSON.stringify(result, null, 2)}\n`);

const shown = (name, value) => (name === 'workers' ? String(value) : `${(value / MB).toFixed(2)} MB`);
console.log(
  [
    `## threadlab soak: ${RUNS} mixed runs in one page, ${seconds.toFixed(0)} s`,
    '',
    `Live workers by the lab's own count: ${start.labWorkers} at the start, ${end.labWorkers} at the end (the core worker, its ` +
      "pool, the io worker, the interpreters' hosts).",
    '',
    `Results: ${outcomes.ok} correct, ${outcomes.wrong} wrong, ${outcomes.cancelled} cancelled on purpose, ${outcomes.failed.length} failed` +
      (outcomes.failed.length ? ` (${outcomes.failed.slice(0, 3).join('; ')})` : ''),
    '',
    '| figure | start | end | bound | holds |',
    '| --- | ---: | ---: | --- | --- |',
    ...figures.map(
      (f) =>
        `| ${f.name} | ${shown(f.name, f.start)} | ${shown(f.name, f.end)} | ${f.bound} | ${f.holds ? 'yes' : 'no'} |`,
    ),
  ].join('\n'),
);
log(`wrote ${flags.json}`);
