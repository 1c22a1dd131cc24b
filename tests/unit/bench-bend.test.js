import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calibratedN, crossover, crossoverText, payloadTable } from '../../bench/bend.js';

const range = (median) => ({ median, min: median, max: median });
const row = (payloadMb, threadsMs, processesMs, copyShare = null) => ({
  payloadMb,
  threadsMs: range(threadsMs),
  processesMs: range(processesMs),
  gain: threadsMs / processesMs,
  won: processesMs < threadsMs,
  copyShare,
});

test("threadlab.py's n: one more for each φ its job is too short, one less for each φ too long", () => {
  assert.equal(calibratedN(30, 100, 100), 30);
  assert.equal(calibratedN(30, 50, 200), 27); // 4× too long: log_φ 4 ≈ 2.9
  assert.equal(calibratedN(22, 60, 2.5), 29); // 24× too short: log_φ 24 ≈ 6.6
  assert.equal(calibratedN(2, 1, 1000), 1);
});

test('the crossover is the first payload processes did not win, once they had won', () => {
  assert.equal(crossover([row(0, 120, 70), row(8, 120, 100), row(32, 120, 150), row(128, 120, 90)]), 32);
  // They won everywhere, or nowhere: no crossover, as the page's bend says.
  assert.equal(crossover([row(0, 120, 70), row(8, 120, 100)]), null);
  assert.equal(crossover([row(0, 120, 130), row(8, 120, 100)]), null);
  assert.equal(crossover([]), null);
});

test("a crossover in words: the payload, processes' gain and the copy's share there, or why there is none", () => {
  const rows = [row(0, 120, 60), row(32, 120, 160, 0.5)];
  assert.equal(
    crossoverText({ rows, crossoverMb: 32 }),
    'at 32 MiB, processes 0.75× threads, copying in 50% of their time',
  );
  assert.equal(
    crossoverText({ rows: [row(0, 120, 60), row(8, 120, 80, 0.25)], crossoverMb: null }),
    'none, processes won up to 8 MiB (1.50×, copying in 25%)',
  );
  assert.equal(
    crossoverText({ rows: [row(0, 120, 150), row(8, 120, 200, 0.2)], crossoverMb: null }),
    'none, processes did not win even at 0 MiB (0.80×)',
  );
});

test('the payloads side by side, a payload a line, dashes where a side has no row', () => {
  const wasm = { rows: [row(0, 120, 60), row(8, 120, 80, 0.25)] };
  const python = { rows: [row(0, 100, 50)] };
  const [head, rule, ...lines] = payloadTable(wasm, python);
  assert.equal(head.split('|').length, rule.split('|').length);
  assert.deepEqual(lines, [
    '| 0 | 120.0 | 60.0 | 2.00× | — | 100.0 | 50.0 | 2.00× | — |',
    '| 8 | 120.0 | 80.0 | 1.50× | 25% | — | — | — | — |',
  ]);
});
