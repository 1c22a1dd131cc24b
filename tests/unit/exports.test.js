import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csv, fileName, json, markdown } from '../../www/ui/exports.js';
import { workName } from '../../www/ui/results.js';
import { click, fibRun, ioRun } from './fixtures.js';

const measured = click([fibRun('single', [380, 377, 389]), fibRun('threads', [181, 178, 183])], [1, 380 / 181]);

test('Markdown is the table, cell for cell, headed by the machine', () => {
  const lines = markdown(measured).split('\n');
  assert.equal(lines[0], '**threadlab** · This machine: Chrome 156 on 8 cores, cross-origin isolated, threads build');
  assert.equal(lines[2], '| mode | work | wall ms | spawn ms | speedup | per job ms | outcome |');
  assert.equal(lines[4], '| single | fib(30) × 2 | 380 (377–389) | — | 1.00× | 377 · 377 | 832040 ✓ |');
  assert.equal(lines[5], '| threads | fib(30) × 2 | 181 (178–183) | — | 2.10× | 178 · 178 | 832040 ✓ |');
});

test('Markdown escapes what would break a cell', () => {
  const failed = click([ioRun('io-concurrent', [10], { failed: 1, error: 'a | b\nc' })]);
  assert.match(markdown(failed), /1 failed: a \\\| b c \|$/m);
});

test('CSV quotes every cell and keeps a spreadsheet from reading a formula', () => {
  const rows = csv(click([ioRun('io-sequential', [10], { failed: 1, error: '=HYPERLINK("x")' })])).split('\r\n');
  assert.equal(rows[0].split(',').length, 9, 'median and range in columns of their own');
  assert.match(rows[1], /^"io-sequential","3 × GET built-in endpoint \(100 ms\)","10.0","10.0–10.0",/);
  assert.match(rows[1], /"2 ok · 1 failed: =HYPERLINK\(""x""\)"$/);
  assert.equal(
    csv(click([fibRun('single', [5], { value: 1 })]))
      .split('\r\n')[1]
      .split('","')[8],
    '✗ expected 832040, got 1"',
  );
  const formula = csv(click([{ ...fibRun('single', [5]), mode: '=1+1' }])).split('\r\n')[1];
  assert.ok(formula.startsWith(`"'=1+1"`), formula);
});

test('JSON carries everything, and file names say the work', () => {
  const data = JSON.parse(json(measured));
  assert.deepEqual(Object.keys(data), ['threadlab', 'shared', 'settings', 'environment', 'runs', 'report']);
  assert.equal(data.runs[1].repeats.samples.length, 3);
  assert.equal(workName(fibRun('single', [1], { n: 40, jobs: 2 })), 'fib40x2');
  assert.equal(workName(ioRun('io-sequential', [1], { count: 10 })), '10requests');
  assert.equal(workName({ work: { sha256: { mib: 16, jobs: 2 } } }), 'sha256-16mibx2');
  assert.equal(workName({ work: { fib: { n: 36, jobs: 2, payloadMb: 8 } } }), 'fib36x2-8mib');
  assert.equal(fileName(click([fibRun('single', [1]), ioRun('io-concurrent', [1])])), 'threadlab-fib30x2-3requests');
});
