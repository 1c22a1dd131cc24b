// A click: the plans of one form run one after another, each warmed up and repeated, and what they measured read as
// the article reads it after each (the report). `{ entries: [{ run } | { mode, message }], runs, report, values }`;
// a click opened from a share link is marked `shared` (sharing.js).
import { figures } from './ui/results.js';

export function newClick(values) {
  return { entries: [], runs: [], report: null, values };
}

/**
 * Runs `plans` (from `lab.check`) into `click`. `progress({ index, count, mode, repeat, repeats })` is told as each
 * repeat starts (repeat 0 is the warm-up); `ran(run | null)` after each mode, run or failed. A mode that fails is
 * a row of its own and the next one runs; a cancel stops them all.
 */
export async function runClick(lab, click, plans, { progress, ran }) {
  for (const [index, plan] of plans.entries()) {
    const { mode } = plan.options;
    const told = ({ repeat, repeats }) => progress({ index, count: plans.length, mode, repeat, repeats });
    let run = null;
    try {
      run = await lab.runPlan(plan, told);
      click.entries.push({ run });
      click.runs.push(run);
      click.report = await lab.report(click.runs);
    } catch (error) {
      if (error.message === 'cancelled') throw error;
      click.entries.push({ mode, message: error.message });
    }
    await ran(run);
  }
}

/** What a click measured in one sentence, for a screen reader (the table's own text). */
export function announcement(click) {
  const said = click.runs.map((run) => {
    const { mode, wall, speedup } = figures(run, click);
    return `${mode} ${wall} ms${speedup === '—' ? '' : `, ${speedup.replace('×', ' times')}`}`;
  });
  const failed = click.entries.filter((entry) => !entry.run).map((entry) => `${entry.mode} failed`);
  return `Results: ${[...said, ...failed].join('; ')}.`;
}
