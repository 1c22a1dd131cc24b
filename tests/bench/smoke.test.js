// `npm run bench -- --quick` end to end on the site npm test built: every figure is produced and well-formed.
// Values are not judged here: speed belongs to the benchmark, not to tests.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const isStats = (s) =>
  Number.isFinite(s.median) &&
  Number.isFinite(s.min) &&
  Number.isFinite(s.max) &&
  s.min <= s.median &&
  s.median <= s.max;

test('the quick bench fills every figure and writes its JSON', { timeout: 300_000 }, async (t) => {
  const json = join(await mkdtemp(join(tmpdir(), 'threadlab-bench-')), 'quick.json');
  const { stdout } = await promisify(execFile)('node', ['bench/run.js', '--quick', '--no-build', '--json', json], {
    maxBuffer: 1 << 22,
  });
  t.diagnostic(stdout);
  assert.match(stdout, /\| scenario \| wasm \(Chromium\) \| native Rust \| CPython \|/);
  assert.match(stdout, /\| figure \| value \| target \| noise \| verdict \|/);
  assert.match(
    stdout,
    /\| switch interval \| threadlab: wait for the GIL \(wasm\) \| CPython added \| ratio \(pairs\) \| threadlab added natively \|/,
  );
  assert.match(stdout, /^Noise seen in the pairs' ratios: ±\d+\.\d% to ±\d+\.\d% \(median ±\d+\.\d%\)\.$/m);

  const result = JSON.parse(await readFile(json, 'utf8'));
  for (const key of ['date', 'cores', 'browser', 'rustc', 'python', 'node'])
    assert.ok(result.machine[key], `machine.${key}`);
  assert.match(result.machine.browser, /^Chromium \d+/);
  assert.equal(result.options.repeats, 1);

  const environments = new Set();
  for (const row of result.rows) {
    for (const env of ['wasm', 'native', 'cpython'].filter((e) => row[e])) {
      environments.add(env);
      assert.ok(isStats(row[env]), `${row.scenario} ${env}: ${JSON.stringify(row[env])}`);
      assert.equal(row[env].samples.length, 1);
    }
  }
  assert.deepEqual([...environments].sort(), ['cpython', 'native', 'wasm']);
  for (const mode of ['single', 'threads', 'processes', 'gil']) {
    assert.ok(
      result.rows.some((row) => row.scenario.startsWith(`${mode}: `) && row.wasm && row.native),
      mode,
    );
  }

  const names = result.figures.map((f) => f.name);
  for (const expected of [
    'threads speedup',
    'processes speedup',
    'gil / single in wasm, fib(27)',
    'gil / single in wasm, sha256 of 2 MiB',
    'crossover payload in wasm',
    'crossover payload in your Python',
    "processes speedup in wasm, fib(27) × 2, beside your Python's (threadlab.py)",
    'wasm single / native single',
    'CPython fib(30) / wasm fib(30)',
    'IO concurrent / sequential in wasm, server',
    'IO concurrent / sequential in wasm, service worker',
    'IO threads / sequential in CPython',
    'threads / single with k = 1',
    'gil / single with k = 1',
    'processes / single with k = 1',
    'first / fifth single run on a fresh page',
    'page load to first result',
    'threads overhead',
    'process spawn',
    'process spawn, cold, by part',
    'process spawn, cold / 2 bare workers started at once',
    'cut: a classic worker script',
    'cut: a smaller initial memory',
    'interpreters speedup vs single',
    "interpreters' start",
    "convoy: the GIL's added latency per request (threadlab: its wait for the GIL; CPython: gil less alone), threadlab / CPython, at 1 ms",
    "convoy: the GIL's added latency per request (threadlab: its wait for the GIL; CPython: gil less alone), threadlab / CPython, at 5 ms",
    'page weight',
    "CPython in the page: the Python button's click to its first result",
    "CPython in the page: a later interpreter's start / the first's",
    'CPython in the page: processes / single speedup',
    'CPython in the page: io-concurrent / io-sequential speedup',
  ]) {
    assert.ok(
      names.some((name) => name.startsWith(expected)),
      `figure "${expected}" is missing`,
    );
  }
  for (const f of result.figures) {
    // A figure that only informs may have no value: a crossover processes never reached.
    const none = f.value === null && f.verdict === 'informative';
    assert.ok(none || (Number.isFinite(f.value) && f.value >= 0), `${f.name}: ${f.value}`);
    assert.equal(typeof f.target, 'string');
    assert.ok(['holds', 'misses', 'inconclusive', 'informative'].includes(f.verdict), `${f.name}: ${f.verdict}`);
    assert.equal(f.holds, { holds: true, misses: false }[f.verdict] ?? null, `${f.name} holds as its verdict says`);
  }
  // A ratio target is judged on its pairs: each pair's ratio is a / b of the same turn, the value their median.
  for (const pair of [...Object.values(result.pairs), result.cuts.spawnToFloor, result.cuts.classic]) {
    assert.equal(pair.ratios.samples.length, result.options.pairs);
    pair.ratios.samples.forEach((ratio, i) => {
      assert.ok(Math.abs(ratio - pair.a.samples[i] / pair.b.samples[i]) < 1e-9);
    });
    assert.ok(pair.noise >= 0 && Number.isFinite(pair.noise));
  }
  // threadlab.py's ratios, each of one call of its own; the cold spawn, part by part.
  assert.deepEqual(Object.keys(result.visitor), ['threads', 'processes', 'sha256Threads']);
  for (const side of Object.values(result.visitor)) {
    assert.equal(side.ratios.samples.length, result.options.pairs);
    assert.ok(isStats(side.ratios) && side.noise >= 0);
  }
  for (const part of Object.values(result.spawnParts)) assert.ok(isStats(part) && part.min >= 0);
  assert.deepEqual(Object.keys(result.spawnParts), ['spawn-worker', 'spawn-script', 'spawn-message', 'spawn-instance']);
  // The floor under it: bare workers, one alone and K together, with their own two parts.
  assert.deepEqual([result.floor.count, result.floorK.count], [1, result.options.workers]);
  for (const part of ['worker', 'script']) assert.ok(result.floorK.parts[part] > 0, part);
  for (const f of result.figures.filter((figure) => figure.name.startsWith('convoy'))) {
    for (const side of ['threadlab', 'cpython', 'native']) assert.ok(isStats(f[side]), `${f.name}: ${side}`);
  }
  assert.match(stdout, /\| speedup \| CPython 3\.14 \(Pyodide\) \| the Rust emulation \|/);
  // Where threadlab's convoy time went: each pair's hand-over parts, in wasm and natively, each part measured.
  assert.match(stdout, /\| switch interval \| added in all \(wasm\) \| flight growth \(wasm\) \| hand-over parts/);
  for (const side of ['wasm', 'native']) {
    for (const [interval, runs] of Object.entries(result.convoyParts[side])) {
      assert.equal(runs.length, side === 'wasm' ? result.options.pairs : result.options.repeats + 1, interval);
    }
  }
  // Where the rules bend: each side's payloads, threads under the GIL against processes, and its crossover.
  assert.match(
    stdout,
    /\| payload MiB \| wasm: gil ms \| processes ms \| processes gain \| copy share \| your Python: /,
  );
  assert.match(stdout, /^The crossover in wasm: .+; in your Python: .+\.$/m);
  for (const side of ['wasm', 'python']) {
    const { n, jobMs, rows, crossoverMb } = result.bend[side];
    assert.ok(Number.isInteger(n) && jobMs > 0, `${side}: n ${n}, a job ${jobMs} ms`);
    assert.deepEqual(
      rows.map((row) => row.payloadMb),
      [0, 8, 32],
      side,
    );
    for (const row of rows) {
      assert.ok(isStats(row.threadsMs) && isStats(row.processesMs), `${side} ${row.payloadMb} MiB`);
      assert.equal(typeof row.won, 'boolean');
      // Processes copy a payload in, and nothing without one.
      if (row.payloadMb > 0) assert.ok(row.copyShare > 0 && row.copyShare <= 1, `${side} ${row.payloadMb} MiB copy`);
    }
    assert.ok(crossoverMb === null || [8, 32].includes(crossoverMb), `${side}: crossover ${crossoverMb}`);
  }
  for (const f of result.figures.filter((figure) => figure.name.startsWith('crossover payload'))) {
    assert.ok(f.copyShare === null || f.copyShare > 0, `${f.name}: copy share ${f.copyShare}`);
  }
  assert.match(stdout, /^The built site: [\d.]+ MB raw, [\d.]+ MB gzip; without CPython's files [\d.]+ MB raw/m);
  assert.ok(result.sizes.python.raw > 10 * 2 ** 20 && result.sizes.all.raw > result.sizes.python.raw);
  const threads = result.figures.find((f) => f.name.startsWith('threads speedup'));
  assert.equal(threads.value, result.pairs.threads.ratios.median);
});
