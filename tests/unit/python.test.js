import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startsText } from '../../www/experiments/python/index.js';
import { fileName, markdown } from '../../www/ui/exports.js';
import { figures } from '../../www/ui/results.js';
import { click, fibRun } from './fixtures.js';

/** A run in CPython: the fixture's, marked as CPython marks it, started in `startMs`, ending in `outcome`. */
const inCPython = (mode, walls, outcome) => ({
  ...fibRun(mode, walls, outcome ? { jobs: 0 } : {}),
  engine: 'python',
  python: { version: '3.14.2', startMs: 2305.4, ...(outcome && { outcome }) },
  correct: !outcome,
});

test("a run in CPython is named as one, with no start of its own (the room says the interpreters'), and threads' own answer", () => {
  const single = inCPython('single', [104, 103, 106]);
  const threads = inCPython('threads', [0, 0, 0], "RuntimeError: can't start new thread");
  const shown = click([single, threads, fibRun('single', [2.2, 2.1, 2.4])], [1, null, 1]);
  const [python, refused, rust] = shown.runs.map((run) => figures(run, shown));
  assert.deepEqual(
    [python.mode, python.spawn, python.spawnRange, python.outcome],
    ['single in CPython', '—', '', '832040 ✓'],
  );
  // A mode CPython could not start has no time, only its reason.
  assert.deepEqual([refused.wall, refused.wallRange, refused.speedup], ['—', '', '—']);
  assert.equal(
    refused.outcome,
    "CPython: RuntimeError: can't start new thread: no threads in a browser; gil shows what they would do",
  );
  assert.match(refused.errors, /what its threads would do with the GIL is what the gil mode shows/);
  assert.deepEqual([rust.mode, rust.spawn], ['single', '—']);
});

test("the Python click's exports carry its words and say what it is", () => {
  const shown = click([inCPython('single', [104]), fibRun('single', [2.2])]);
  shown.experiment = 'python';
  shown.report.python = { words: ['Real CPython: processes 1.89× single.', 'The Rust | emulation: gil 0.98× single.'] };
  const lines = markdown(shown).split('\n');
  assert.match(lines[0], /^\*\*threadlab\*\* · real CPython beside the emulation · This machine: /);
  assert.deepEqual(lines.slice(-3), [
    '- Real CPython: processes 1.89× single.',
    '- The Rust \\| emulation: gil 0.98× single.',
    '',
  ]);
  assert.equal(fileName(shown), 'threadlab-python-fib30x2');
});

test("the interpreters' starts: the first apart (it compiles the wasm), then the others' median", () => {
  assert.equal(startsText(null), '');
  const first = { ms: 2305.4, heapBytes: 31 * 2 ** 20, first: true };
  const starts = { first, later: { count: 3, median: 950, min: 900, max: 1100 } };
  assert.equal(
    startsText(starts),
    "CPython's first interpreter started in 2305 ms (fetching and compiling its wasm, once), then 950 ms each for 3 " +
      "more (median), from a snapshot of the first's memory, about 31 MB of wasm memory each: before any timer, as a " +
      'ProcessPoolExecutor is created before the work it is given.',
  );
  assert.match(
    startsText({ first, later: null }),
    /^CPython's first interpreter started in 2305 ms \(fetching and compiling its wasm, once\), about 31 MB/,
  );
});
