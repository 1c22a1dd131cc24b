import assert from 'node:assert/strict';
import { test } from 'node:test';
import { figures, ms, spreadNote } from '../../www/ui/results.js';
import { click, fibRun, ioRun } from './fixtures.js';

test('times read to the microsecond, then fewer decimals as they grow', () => {
  assert.deepEqual(
    [ms(0.0123456), ms(9.996), ms(12.34), ms(380.4), ms(1234.5)],
    ['0.01', '10.00', '12.3', '380', '1235'],
  );
  // Halves of the last decimal go up, whatever their binary fraction (as the core's words write them).
  assert.deepEqual([7.125, 7.375, 8.905, 13.685, 0.5, 123.5].map(ms), ['7.13', '7.38', '8.91', '13.7', '0.50', '124']);
});

test("a row's figures: the median with its range, spawn, speedup, each job, the outcome", () => {
  const processes = fibRun('processes', [210, 200, 230], { spawn: { median: 13.6, min: 12, max: 15 } });
  const text = figures(processes, click([processes], [1.75]));
  assert.deepEqual(
    [text.mode, text.work, text.wall, text.wallRange, text.spawn, text.spawnRange, text.speedup, text.outcome],
    ['processes', 'fib(30) × 2', '210', '200–230', '13.6', '12.0–15.0', '1.75×', '832040 ✓'],
  );
  assert.equal(figures(processes, click([processes])).speedup, '—', 'no baseline, no speedup');
  const wrong = fibRun('gil', [5], { value: 7 });
  assert.equal(figures(wrong, click([wrong])).outcome, '✗ expected 832040, got 7');
  const failed = ioRun('io-workers', [5], { count: 4, failed: 2, error: 'timed out' });
  assert.deepEqual(Object.values(figures(failed, click([failed]))).slice(-2), [
    '2 ok · 2 failed: timed out',
    'timed out',
  ]);
});

test('the spread note names the modes whose repeats spread widely', () => {
  const runs = [fibRun('single', [1]), fibRun('gil', [1])];
  assert.equal(spreadNote({ ...click(runs), report: { speedups: [], wide: [false, false], verdicts: [] } }), '');
  assert.match(
    spreadNote({ ...click(runs), report: { speedups: [], wide: [false, true], verdicts: [] } }),
    /^The repeats of gil spread/,
  );
  assert.equal(spreadNote(undefined), '');
});
