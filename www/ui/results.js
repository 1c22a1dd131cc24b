// The results table: one row per run (or per failed run) of each click. Wall and spawn times are the median of the
// run's repeats with their range; speedups come from the core's report of the same click (ratios of medians).
// `figures` gives each row's text once: the table and the Markdown and CSV exports all show exactly it.
import { el } from './el.js';
import { machine } from './environment.js';

/**
 * A time for reading: to the microsecond first, as the core keeps figures (stats::to_micros), then 2, 1 or 0
 * decimals, a half rounded up, in whole numbers so that no binary fraction tips it (the core's words write theirs
 * the same way: `ms` in experiments/convoy.rs).
 */
export function ms(value) {
  const micros = Math.round(value * 1000);
  const decimals = micros < 10_000 ? 2 : micros < 100_000 ? 1 : 0;
  return (Math.floor(micros / 10 ** (3 - decimals) + 0.5) / 10 ** decimals).toFixed(decimals);
}

/** A convoy regime's name, with its switch interval under gil: "alone", "gil at 5 ms". */
export const regimeName = ({ regime, switchMs }) => (regime === 'gil' ? `gil at ${switchMs} ms` : regime);

/**
 * A run's name: its mode (in CPython: "single in CPython", in the visitor's own: "single in your CPython"), or for a
 * convoy run its regime's.
 */
export function runName(run) {
  if (run.engine === 'python')
    return `${run.mode} in ${run.env?.python ? `your ${run.env.python.implementation}` : 'CPython'}`;
  return run.convoy ? regimeName(run.convoy) : run.mode;
}

/** A duration for reading: "12 s", or past a minute and a half "2.5 minutes". */
export const seconds = (ms) =>
  ms < 90_000 ? `${Math.max(1, Math.round(ms / 1000))} s` : `${(ms / 60_000).toFixed(1)} minutes`;

/** The columns, as the table heads them and the exports name them. */
export const COLUMNS = ['mode', 'work', 'wall ms', 'spawn ms', 'speedup', 'per job ms', 'outcome'];

/**
 * `clicks`: `[{ entries: [{ run } | { mode, message }], runs, report, shared }]`, oldest first. `shown`: the run
 * whose timeline is shown; each run of this machine has its mode as a button that shows its own (see main.js).
 * When a shared click is in the table, each click is headed by the machine that ran it.
 */
export function renderResults(tbody, clicks, shown) {
  const headed = clicks.some((click) => click.shared);
  tbody.replaceChildren(
    ...clicks.flatMap((click) => [
      ...(headed && click.runs.length ? [groupRow(click)] : []),
      ...click.entries.map((entry) => (entry.run ? runRow(entry.run, click, shown) : failedRow(entry))),
    ]),
  );
}

/** Who ran a click: "Shared with you: Chrome 156 on 8 cores, …" or "This machine: …". */
export function clickTitle(click) {
  if (click.runs[0]?.env.python) return `Your own Python, with threadlab.py: ${machine(click.runs[0].env)}`;
  return `${click.shared ? 'Shared with you' : 'This machine'}: ${machine(click.runs[0].env)}`;
}

/** The sentence under the table when some repeats spread widely, or ''. */
export function spreadNote(click) {
  const wide = click?.runs.filter((_, i) => click.report?.wide[i]).map(runName) ?? [];
  if (!wide.length) return '';
  return (
    `The repeats of ${wide.join(', ')} spread by more than a fifth of their median: something else was using ` +
    'the cores. Run again for firmer figures; a verdict calls a tie whenever ranges overlap.'
  );
}

/** One run's row as text: `{ mode, work, wall, wallRange, spawn, spawnRange, speedup, perJob, outcome, errors }`. */
export function figures(run, click) {
  const speedup = click.report?.speedups[click.runs.indexOf(run)];
  const { wallMs } = run.repeats;
  // A start only where the run has one of its own: processes' spawn, interpreters' start. (CPython's interpreters
  // start once, before any timer: the Python room shows that.)
  const spawnMs = run.repeats.spawnMs;
  // A mode CPython could not start (threads in a browser) has no time: its outcome says why.
  const ran = !run.python?.outcome;
  const [outcome, errors] = run.io ? requestsOutcome(run) : fibOutcome(run);
  return {
    mode: runName(run),
    work: run.label,
    wall: ran ? ms(wallMs.median) : '—',
    wallRange: ran ? range(wallMs) : '',
    spawn: spawnMs ? ms(spawnMs.median) : '—',
    spawnRange: spawnMs ? range(spawnMs) : '',
    speedup: speedup == null || !ran ? '—' : `${speedup.toFixed(2)}×`,
    perJob: run.jobs.map((job) => ms(job.end - job.start)).join(' · '),
    outcome,
    errors,
  };
}

const range = ({ min, max }) => `${ms(min)}–${ms(max)}`;

function groupRow(click) {
  return el('tr', { className: `group${click.shared ? ' shared' : ''}` }, [
    el('th', { scope: 'rowgroup', colSpan: COLUMNS.length }, [clickTitle(click)]),
  ]);
}

function runRow(run, click, shown) {
  const text = figures(run, click);
  const wide = click.report?.wide[click.runs.indexOf(run)];
  // A shared run carries its figures, not its timeline: its mode is a plain name.
  const name = click.shared
    ? el('span', { className: 'mode-name' }, [text.mode])
    : el('button', { type: 'button', className: 'pick', title: "show this run's timeline", run }, [text.mode]);
  const current = run === shown ? { 'aria-current': 'true' } : {};
  const className = [run.correct ? '' : 'wrong', click.shared ? 'shared' : ''].filter(Boolean).join(' ');
  return el('tr', { className, 'data-mode': run.mode, ...current }, [
    el('th', { scope: 'row' }, [name, ...rowNote(run)]),
    el('td', {}, [text.work]),
    el('td', { className: `num${wide ? ' wide' : ''}` }, figure(text.wall, text.wallRange)),
    el('td', { className: 'num' }, text.spawnRange ? figure(text.spawn, text.spawnRange) : [text.spawn]),
    el('td', { className: 'num speedup' }, [text.speedup]),
    el('td', { className: 'num' }, perJobCell(run, text.perJob)),
    el('td', { className: 'value', title: text.errors }, [text.outcome]),
  ]);
}

/** Each job's time: two or three in the cell, more (a request each) in a detail the visitor opens. */
function perJobCell(run, perJob) {
  if (run.jobs.length <= 3) return [perJob];
  const times = run.jobs.map((job) => job.end - job.start);
  const summary = `${run.jobs.length} jobs, ${range({ min: Math.min(...times), max: Math.max(...times) })}`;
  return [el('details', {}, [el('summary', {}, [summary]), perJob])];
}

/** What a row's name says besides: gil in turns, a run in CPython's version. */
function rowNote(run) {
  if (run.gil?.inTurns) return [' ', el('small', {}, ['in turns on one worker'])];
  if (run.env?.python) return []; // its group's heading names the visitor's Python
  if (run.python) return [' ', el('small', {}, [`CPython ${run.python.version} (Pyodide)`])];
  return [];
}

/** "380 377–389": the median, and the range in small type. */
export function figure(median, range) {
  return [el('span', { className: 'median' }, [median]), ' ', el('small', { className: 'range' }, [range])];
}

function fibOutcome(run) {
  if (run.python?.outcome)
    return [`CPython: ${run.python.outcome}: no threads in a browser; gil shows what they would do`, PYTHON_THREADS];
  if (run.correct) return [`${run.expected} ✓`, ''];
  return [`✗ expected ${run.expected}, got ${[...new Set(run.jobs.map((j) => j.value))].join(', ')}`, ''];
}

const PYTHON_THREADS =
  "CPython in a browser has no threads of its own (Pyodide's build has no pthreads): what its threads would do " +
  'with the GIL is what the gil mode shows.';

/** "10 ok ✓", or "8 ok · 2 failed: <the first error>", with every distinct error for the tooltip. */
function requestsOutcome({ io, jobs, convoy, correct }) {
  if (convoy && io.failed === 0) return [correct ? `${io.ok} ok, fib ✓` : '✗ a fib(n) was wrong', ''];
  if (io.failed === 0) return [`${io.ok} ok ✓`, ''];
  const errors = [...new Set(jobs.map((job) => job.request.error).filter(Boolean))];
  return [`${io.ok} ok · ${io.failed} failed: ${errors[0]}`, errors.join('\n')];
}

function failedRow({ mode, message }) {
  return el('tr', { className: 'failed', 'data-mode': mode }, [
    el('th', { scope: 'row' }, [mode]),
    el('td', { colSpan: COLUMNS.length - 1, className: 'error' }, [message]),
  ]);
}

/** A run's work in a file name: "fib40x2", "sha256-16mibx2", "fib36x2-8mib" (a payload), "10requests", "20requests-fib27x2" (the convoy's). */
export function workName({ work: { fib, sha256, requests, convoy } }) {
  if (convoy) return `${convoy.count}requests${convoy.jobs ? `-fib${convoy.n}x${convoy.jobs}` : ''}`;
  const cpu = fib ? `fib${fib.n}x${fib.jobs}` : sha256 && `sha256-${sha256.mib}mibx${sha256.jobs}`;
  const payload = (fib ?? sha256)?.payloadMb;
  return cpu ? `${cpu}${payload ? `-${payload}mib` : ''}` : `${requests.count}requests`;
}
