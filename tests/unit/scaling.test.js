import assert from 'node:assert/strict';
import { test } from 'node:test';
import { POINT_COLUMNS, pointFigures, scaling, scalingCaption } from '../../www/experiments/scaling/index.js';
import { csv, fileName, markdown } from '../../www/ui/exports.js';
import { scalingClick } from './fixtures.js';

test("a point's figures are the room's cells: its k, its wall with its range, its speedup, ideal and efficiency", () => {
  const [, , , threads] = scalingClick().report.scaling.points;
  assert.deepEqual(pointFigures(threads), {
    k: '2',
    mode: 'threads',
    wall: '10.5',
    wallRange: '10.0–12.0',
    speedup: '2.10×',
    speedupRange: '1.67–2.40',
    ideal: '2×',
    efficiency: '105%',
    outcome: '✓',
  });
  // single, which the others are read against, has no ideal and no efficiency.
  const single = pointFigures({ ...threads, mode: 'single', ideal: null, efficiency: null });
  assert.deepEqual([single.ideal, single.efficiency], ['—', '—']);
  const unmeasured = { ...threads, speedup: null, speedupRange: null, efficiency: null, correct: false };
  const text = pointFigures(unmeasured);
  assert.deepEqual([text.speedup, text.speedupRange, text.efficiency], ['—', '', '—']);
  assert.equal(text.outcome, '✗ a wrong value');
});

test('a scaling click exports its points, every figure in CSV in a column of its own, under its own name', () => {
  const click = scalingClick();
  const lines = markdown(click).split('\n');
  assert.match(lines[0], /^\*\*threadlab\*\* · scaling · /);
  assert.equal(lines[2], `| ${POINT_COLUMNS.join(' | ')} |`);
  assert.equal(lines.at(-2), '| 2 | threads | 10.5 (10.0–12.0) | 2.10× (1.67–2.40) | 2× | 105% | ✓ |');
  assert.equal(lines.length, 2 + 2 + 4 + 1, 'a heading, a blank, the head, four points, and the final newline');
  const rows = csv(click).trim().split('\r\n');
  assert.equal(rows[0].split(',').length, 9);
  assert.equal(rows.at(-1), '"2","threads","10.5","10.0–12.0","2.10×","1.67–2.40","2×","105%","✓"');
  assert.equal(fileName(click), 'threadlab-scaling-fib24');
  assert.match(scalingCaption(click), /^fib\(24\) × k, k = 1, 2/);
});

test('a long scaling click offers a smaller n and runs it when picked; a short one says how long and runs', async () => {
  const asked = [];
  const lab = (answers) => ({
    runPlan: async (plan) => {
      asked.push(plan.options);
      return { jobs: [{ start: 0, end: 50 }] };
    },
    estimate: async (plans, experiment, jobMs) => {
      asked.push({ experiment, jobMs, n: plans[0].options.n });
      return answers.shift();
    },
  });
  const plan = (mode) => ({ options: { mode, workers: 4, repeats: 3, n: 35 }, runsIn: 'core', count: 4 });
  const plans = [plan('single'), plan('threads')];
  const said = [];
  const say = (text) => said.push(text);
  const long = lab([
    { ms: 120_000, smallerN: 31 },
    { ms: 20_000, smallerN: null },
  ]);
  const ask = async (text, choices) => {
    said.push(text, ...choices);
    return 1;
  };
  assert.deepEqual(await scaling.before(long, plans, { say, ask }), { values: { n: '31' } });
  assert.deepEqual(asked[0], { mode: 'single', workers: 1, repeats: 1, n: 35 }, 'one job, timed alone');
  assert.deepEqual(asked[1], { experiment: 'scaling', jobMs: 50, n: 35 });
  assert.equal(asked[2].n, 31);
  assert.equal(asked[2].jobMs, 50 / 1.618 ** 4, 'the smaller n is estimated from the job, scaled down');
  assert.deepEqual(said.slice(1), [
    '2 runs, each warmed up and repeated: about 2.0 minutes.',
    'Run it as set',
    'Use n = 31 instead (about 20 s)',
  ]);
  said.length = 0;
  const short = lab([{ ms: 5_000, smallerN: null }]);
  assert.deepEqual(await scaling.before(short, plans, { say, ask }), {});
  assert.equal(said.at(-1), '2 runs, each warmed up and repeated: about 5 s; running');
});
