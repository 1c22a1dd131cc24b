import assert from 'node:assert/strict';
import { test } from 'node:test';
import { announcement, newClick, runClick } from '../../www/page/click.js';
import { fibRun } from './fixtures.js';

/** A lab that runs plans as told: `outcomes[mode]` is a run, or an Error to reject with. */
function lab(outcomes) {
  return {
    runPlan: async (plan, progress) => {
      progress({ repeat: 0, repeats: plan.options.repeats });
      const outcome = outcomes[plan.options.mode];
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    report: async (runs) => ({ speedups: runs.map(() => 1), wide: runs.map(() => false), verdicts: [] }),
  };
}
const plan = (mode) => ({ options: { mode, repeats: 1 }, available: true, runsIn: 'core', count: 0 });

test('a click runs its plans in order; a mode that fails is a row, and the next one runs', async () => {
  const single = fibRun('single', [10]);
  const told = [];
  const ran = [];
  const click = newClick({ n: '30' });
  const outcomes = { single, gil: new Error('gil broke'), threads: fibRun('threads', [5]) };
  await runClick(lab(outcomes), click, [plan('single'), plan('gil'), plan('threads')], {
    progress: (step) => told.push(`${step.index + 1}/${step.count} ${step.mode}`),
    ran: (run) => ran.push(run?.mode ?? null),
  });
  assert.deepEqual(told, ['1/3 single', '2/3 gil', '3/3 threads']);
  assert.deepEqual(ran, ['single', null, 'threads']);
  assert.deepEqual(click.entries[1], { mode: 'gil', message: 'gil broke' });
  assert.deepEqual(
    click.runs.map((run) => run.mode),
    ['single', 'threads'],
  );
  assert.deepEqual(click.report.speedups, [1, 1]);
  assert.equal(announcement(click), 'Results: single 10.0 ms, 1.00 times; threads 5.00 ms, 1.00 times; gil failed.');
});

test('a cancel stops the whole click', async () => {
  const click = newClick({});
  const stopped = runClick(lab({ single: new Error('cancelled') }), click, [plan('single'), plan('gil')], {
    progress: () => {},
    ran: () => assert.fail('nothing more runs'),
  });
  await assert.rejects(stopped, /^Error: cancelled$/);
  assert.deepEqual(click.entries, []);
});
