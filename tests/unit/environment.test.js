import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserName, caption, machine } from '../../www/ui/environment.js';
import { fibRun } from './fixtures.js';

test('browsers are named from their user agent', () => {
  assert.equal(browserName('Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0'), 'Firefox 153');
  assert.equal(browserName('Mozilla/5.0 AppleWebKit/537.36 Chrome/156.0.0.0 Safari/537.36 Edg/140.0'), 'Edge 140');
  assert.equal(browserName('Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/18.1 Safari/605.1.15'), 'Safari 18');
  assert.equal(browserName('curl/8'), 'an unknown browser');
});

test('a machine and a chart caption say where the figures were made', () => {
  const run = fibRun('single', [1, 2, 3]);
  assert.equal(
    machine({ ...run.env, hardwareConcurrency: 1 }),
    'Chrome 156 on 1 core, cross-origin isolated, threads build',
  );
  assert.equal(caption([{ label: null, runs: [run] }]), 'fib(30) × 2 · Chrome 156, 8 cores · median of 3 runs each');
  const pair = [
    { label: 'shared', runs: [run] },
    { label: 'here', runs: [fibRun('gil', [1])] },
  ];
  assert.equal(
    caption(pair),
    'fib(30) × 2 · shared: Chrome 156, 8 cores · here: Chrome 156, 8 cores · median of 3 runs each',
  );
});

test('a bar keeps its mode at any width; the work is shortened after it', async () => {
  const { barLabel, wrapped } = await import('../../www/ui/labels.js');
  assert.deepEqual(barLabel('io-sequential · 10 × GET built-in endpoint (100 ms)', 1200), [
    'io-sequential',
    '10 × GET built-in endpoint (100 ms)',
  ]);
  const [mode, work] = barLabel('io-sequential · 10 × GET built-in endpoint (100 ms)', 330);
  assert.deepEqual([mode, work], ['io-sequential', '10 × GET built-…']);
  assert.deepEqual(barLabel('gil · fib(40) × 2', 100), ['gil', 'fib(40) × 2']);
  assert.deepEqual(wrapped('fib(40) × 2 · Chrome 156, 2 cores · median of 3 runs each', 330), [
    'fib(40) × 2 · Chrome 156, 2 cores',
    'median of 3 runs each',
  ]);
  assert.deepEqual(wrapped('a · b', 1000), ['a · b']);
});
