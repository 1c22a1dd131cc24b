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

test('a row is labelled with its mode alone, and its k where the mode has several rows; a caption wraps between its parts', async () => {
  const { rowLabels, wrapped } = await import('../../www/ui/labels.js');
  const row = (mode, n, jobs) => ({ mode, work: { fib: { n, jobs } }, label: `fib(${n}) × ${jobs}` });
  const io = { mode: 'io-sequential', work: { requests: {} }, label: '10 × GET built-in endpoint (100 ms)' };
  assert.deepEqual(rowLabels([row('single', 40, 2), row('gil', 40, 2), io]), ['single', 'gil', 'io-sequential']);
  assert.deepEqual(rowLabels([row('single', 26, 1), row('gil', 26, 1), row('single', 26, 2)]), [
    'single, k = 1',
    'gil',
    'single, k = 2',
  ]);
  assert.deepEqual(rowLabels([row('single', 30, 2), row('single', 28, 2)]), [
    'single, fib(30) × 2',
    'single, fib(28) × 2',
  ]);
  // The same n with and without a payload, or another work kind: its work, not its k.
  const reading = {
    mode: 'processes',
    work: { fib: { n: 30, jobs: 2, payloadMb: 8 } },
    label: 'fib(30) × 2, reading 8 MiB',
  };
  const sha = { mode: 'single', work: { sha256: { mib: 8, jobs: 2 } }, label: 'sha256 of 8 MiB × 2' };
  assert.deepEqual(rowLabels([row('processes', 30, 2), reading, row('single', 30, 2), sha]), [
    'processes, fib(30) × 2',
    'processes, fib(30) × 2, reading 8 MiB',
    'single, fib(30) × 2',
    'single, sha256 of 8 MiB × 2',
  ]);
  assert.deepEqual(wrapped('fib(40) × 2 · Chrome 156, 2 cores · median of 3 runs each', 330), [
    'fib(40) × 2 · Chrome 156, 2 cores',
    'median of 3 runs each',
  ]);
  assert.deepEqual(wrapped('a · b', 1000), ['a · b']);
  // An axis title breaks after its commas, and a part too long for a line between its words, evenly.
  assert.deepEqual(wrapped('wall time, median of the repeats (ms)', 200, { between: ', ' }), [
    'wall time,',
    'median of the repeats (ms)',
  ]);
  assert.deepEqual(wrapped('k: jobs, and the threads or processes running them', 220, { between: ', ' }), [
    'k: jobs,',
    'and the threads or',
    'processes running them',
  ]);
});
