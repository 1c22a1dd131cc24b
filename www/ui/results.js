// The results table: one row per run (or per failed run), with speedups against the baseline run of the same work:
// single for the CPU modes, io-sequential for the io modes.
import { el } from './el.js';

export const ms = (value) => (value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0));

export function renderResults(tbody, entries) {
  tbody.replaceChildren(...entries.map((entry) => (entry.run ? runRow(entry.run, entries) : failedRow(entry))));
}

function runRow(run, entries) {
  const baselineMode = run.io ? 'io-sequential' : 'single';
  const baseline = entries.findLast((e) => e.run?.mode === baselineMode && e.run.work === run.work);
  const speedup = baseline ? `${(baseline.run.wallMs / run.wallMs).toFixed(2)}×` : '—';
  const perJob = run.jobs.map((job) => ms(job.end - job.start)).join(' · ');
  const [value, errors] = run.io ? requestsOutcome(run) : fibOutcome(run);
  return el('tr', { className: run.correct ? '' : 'wrong', 'data-mode': run.mode }, [
    el('th', { scope: 'row' }, [run.mode]),
    el('td', {}, [run.work]),
    el('td', { className: 'num' }, [ms(run.wallMs)]),
    el('td', { className: 'num' }, [run.spawnMs == null ? '—' : ms(run.spawnMs)]),
    el('td', { className: 'num speedup' }, [speedup]),
    el('td', { className: 'num' }, [perJob]),
    el('td', { className: 'value', title: errors }, [value]),
  ]);
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
