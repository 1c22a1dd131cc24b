// The results table: one row per run (or per failed run), speedups against the single run of the same n and k.
import { el } from './el.js';

export const ms = (value) => (value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0));

export function renderResults(tbody, entries) {
  tbody.replaceChildren(...entries.map((entry) => (entry.run ? runRow(entry.run, entries) : failedRow(entry))));
}

function runRow(run, entries) {
  const single = entries.findLast((e) => e.run?.mode === 'single' && e.run.n === run.n && e.run.workers === run.workers);
  const speedup = single ? `${(single.run.wallMs / run.wallMs).toFixed(2)}×` : '—';
  const perJob = run.jobs.map((job) => ms(job.end - job.start)).join(' · ');
  const value = run.correct
    ? `${run.expected} ✓`
    : `✗ expected ${run.expected}, got ${[...new Set(run.jobs.map((j) => j.value))].join(', ')}`;
  return el('tr', { className: run.correct ? '' : 'wrong', 'data-mode': run.mode }, [
    el('th', { scope: 'row' }, [run.mode]),
    el('td', {}, [`fib(${run.n}) × ${run.workers}`]),
    el('td', { className: 'num' }, [ms(run.wallMs)]),
    el('td', { className: 'num' }, [run.spawnMs == null ? '—' : ms(run.spawnMs)]),
    el('td', { className: 'num speedup' }, [speedup]),
    el('td', { className: 'num' }, [perJob]),
    el('td', { className: 'value' }, [value]),
  ]);
}

function failedRow({ mode, message }) {
  return el('tr', { className: 'failed', 'data-mode': mode }, [
    el('th', { scope: 'row' }, [mode]),
    el('td', { colSpan: 6, className: 'error' }, [message]),
  ]);
}
