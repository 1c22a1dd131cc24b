// The results table: one row per run (or per failed run) of each click. Wall and spawn times are the median of the
// run's repeats with their range; speedups come from the core's report of the same click (ratios of medians).
import { el } from './el.js';

export const ms = (value) => (value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0));

/**
 * `clicks`: `[{ entries: [{ run } | { mode, message }], runs, report }]`, oldest first. `shown`: the run whose
 * timeline is shown; each run's mode is a button that shows its own (see main.js).
 */
export function renderResults(tbody, clicks, shown) {
  tbody.replaceChildren(
    ...clicks.flatMap((click) => click.entries.map((entry) => (entry.run ? runRow(entry.run, click, shown) : failedRow(entry))))
  );
}

/** The sentence under the table when some repeats spread widely, or ''. */
export function spreadNote(click) {
  const wide = click?.runs.filter((_, i) => click.report?.wide[i]).map((run) => run.mode) ?? [];
  if (!wide.length) return '';
  return `The repeats of ${wide.join(', ')} spread by more than a fifth of their median: something else was using ` +
    'the cores. Run again for firmer figures; a verdict calls a tie whenever ranges overlap.';
}

function runRow(run, click, shown) {
  const index = click.runs.indexOf(run);
  const speedup = click.report?.speedups[index];
  const { wallMs, spawnMs } = run.repeats;
  const perJob = run.jobs.map((job) => ms(job.end - job.start)).join(' · ');
  const [value, errors] = run.io ? requestsOutcome(run) : fibOutcome(run);
  const pick = el('button', { type: 'button', className: 'pick', title: 'show this run\'s timeline', run }, [run.mode]);
  const current = run === shown ? { 'aria-current': 'true' } : {};
  return el('tr', { className: run.correct ? '' : 'wrong', 'data-mode': run.mode, ...current }, [
    el('th', { scope: 'row' }, [pick, ...(run.gil?.inTurns ? [' ', el('small', {}, ['in turns on one worker'])] : [])]),
    el('td', {}, [run.work]),
    el('td', { className: `num${click.report?.wide[index] ? ' wide' : ''}` }, figure(wallMs)),
    el('td', { className: 'num' }, spawnMs ? figure(spawnMs) : ['—']),
    el('td', { className: 'num speedup' }, [speedup == null ? '—' : `${speedup.toFixed(2)}×`]),
    el('td', { className: 'num' }, [perJob]),
    el('td', { className: 'value', title: errors }, [value]),
  ]);
}

/** "380 377–389": the median, and the range in small type. */
function figure({ median, min, max }) {
  return [el('span', { className: 'median' }, [ms(median)]), ' ', el('small', { className: 'range' }, [`${ms(min)}–${ms(max)}`])];
}

function fibOutcome(run) {
  if (run.correct) return [`${run.expected} ✓`, ''];
  return [`✗ expected ${run.expected}, got ${[...new Set(run.jobs.map((j) => j.value))].join(', ')}`, ''];
}

/** "10 ok ✓", or "8 ok · 2 failed: <the first error>", with every distinct error for the tooltip. */
function requestsOutcome({ io, jobs }) {
  if (io.failed === 0) return [`${io.ok} ok ✓`, ''];
  const errors = [...new Set(jobs.map((job) => job.request.error).filter(Boolean))];
  return [`${io.ok} ok · ${io.failed} failed: ${errors[0]}`, errors.join('\n')];
}

function failedRow({ mode, message }) {
  return el('tr', { className: 'failed', 'data-mode': mode }, [
    el('th', { scope: 'row' }, [mode]),
    el('td', { colSpan: 6, className: 'error' }, [message]),
  ]);
}
