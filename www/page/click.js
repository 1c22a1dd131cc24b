// A click: the plans of one form run one after another, each warmed up and repeated, and what they measured read
// after each, as its experiment reads it (the report). `{ experiment, entries: [{ run } | { mode, message }], runs,
// report, values }`; a click opened from a share link is marked `shared` (sharing.js).
import { figures } from '../ui/results.js';

export function newClick(values, experiment = 'article') {
  return { experiment, entries: [], runs: [], report: null, values };
}

/**
 * Runs `plans` (from `lab.check`) into `click`. `progress({ index, count, mode, workers, repeat, repeats, starting,
 * options })`
 * is told as each repeat starts (repeat 0 is the warm-up; `starting`: CPython's interpreters are); `ran(run | null)`
 * after each plan, run or failed; `next(rest)`, where given, the plans still to run, resolves with those to run
 * instead (the Python experiment sets its Rust's n from CPython's runs). A plan that fails is a row of its own and the
 * next one runs; a cancel stops them all, and what finished stays.
 */
export async function runClick(lab, click, plans, { progress, ran, next = async (rest) => rest }) {
  plans = [...plans];
  for (let index = 0; index < plans.length; index++) {
    const plan = plans[index];
    const { mode, workers } = plan.options;
    const told = ({ repeat, repeats, starting }) =>
      progress({ index, count: plans.length, mode, workers, repeat, repeats, starting, options: plan.options });
    let run = null;
    try {
      run = await lab.runPlan(plan, told);
      click.entries.push({ run });
      click.runs.push(run);
      click.report = await lab.report(click.runs, click.experiment);
    } catch (error) {
      if (error.message === 'cancelled') throw error;
      click.entries.push({ mode, message: error.message, ...(plan.options.engine === 'python' && { python: true }) });
    }
    await ran(run);
    plans.splice(index + 1, Infinity, ...(await next(plans.slice(index + 1))));
  }
}

/**
 * An experiment through the JS API (`window.threadlab.<door>(options)`): checked by the core through `door`, then
 * run as the page runs it; resolves with the click. Rejects with an Error naming a bad field (nothing runs), or
 * the first run that failed.
 */
export async function apiClick(lab, door, options) {
  const checked = await lab.plan(options, door);
  const click = newClick(options, checked.experiment);
  await runClick(lab, click, checked.plans, { progress: () => {}, ran: () => {} });
  const failed = click.entries.find((entry) => !entry.run);
  if (failed) throw new Error(`${failed.mode}: ${failed.message}`);
  return click;
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
