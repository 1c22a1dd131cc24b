// The convoy experiment: its room (what CPU-bound threads did to the IO thread, in words, and each regime's latency
// figures, gil's at each switch interval of the sweep too), its latency chart (chart.js), how long a click takes,
// its exports and `window.threadlab.convoy`. The rules and the words are the core's (experiments/convoy.rs); this
// writes them out as text.
import { apiClick } from '../../page/click.js';
import { el, fillWords } from '../../ui/el.js';
import { caption } from '../../ui/environment.js';
import { ms, regimeName, seconds, workName } from '../../ui/results.js';

/** The regimes table's columns, as the room heads them and the exports name them. */
export const REGIME_COLUMNS = [
  'regime',
  'switch ms',
  'median ms',
  'p95 ms',
  'max ms',
  'in flight ms',
  'added ms',
  'GIL wait ms',
  'requests/s',
  'CPU fib/s',
  'outcome',
];

/** Every row of a convoy report: the regimes, then the sweep's other intervals. */
export function regimeRows({ regimes, sweep }) {
  return [...regimes, ...sweep.filter((row) => row.switchMs !== regimes[0]?.switchMs)];
}

/** One regime's row as text cells, in REGIME_COLUMNS' order. */
export function regimeFigures(row) {
  const { latencyMs, cpu } = row;
  const outcome = row.correct ? '✓' : '✗ a request failed or a wrong value';
  return [
    row.inTurns ? `${row.regime} (in turns)` : row.regime,
    row.regime === 'gil' ? String(row.switchMs) : '—',
    ms(latencyMs.median),
    ms(latencyMs.p95),
    ms(latencyMs.max),
    row.inFlightMs ? ms(row.inFlightMs) : '—',
    row.addedMs == null ? '—' : ms(row.addedMs),
    row.regime === 'gil' ? ms(row.gilWaitMs) : '—',
    row.perSecond.toFixed(0),
    cpu ? cpu.perSecond.toFixed(0) : '—',
    outcome,
  ];
}

/** The room for a convoy click (its report has `convoy`): its words and its regimes. */
function render(section, { report }) {
  const { words } = report.convoy;
  fillWords(section.querySelector('#convoy-words'), words);
  section.querySelector('#regimes tbody').replaceChildren(
    ...regimeRows(report.convoy).map((row) => {
      const [regime, ...cells] = regimeFigures(row);
      return el(
        'tr',
        { 'data-regime': row.regime, 'data-switch': row.switchMs, className: row.correct ? '' : 'wrong' },
        [
          el('th', { scope: 'row' }, [regime]),
          ...cells.map((cell, i) => el('td', { className: i === cells.length - 1 ? '' : 'num' }, [cell])),
        ],
      );
    }),
  );
}

/**
 * `window.threadlab.convoy({ requests, delayMs, n, workers, switchMs, repeats, regimes, intervals, url, endpoint })`:
 * every regime (and gil at each interval), run as the page runs them, resolved as `{ regimes, sweep, words, env,
 * runs }` (`runs`: every run whole, with its spans).
 */
async function api(lab, options) {
  const click = await apiClick(lab, 'convoy', options);
  const { regimes, sweep, words } = click.report.convoy;
  return { regimes, sweep, words, env: click.runs[0].env, runs: click.runs };
}

/** The latency chart's caption: the work, where, and how many repeats. */
export function convoyCaption({ runs }) {
  const { io, n } = runs[0];
  const cpu = runs.find((run) => run.workers > 0);
  const target = io.builtin ? `built-in endpoint (${io.delayMs} ms)` : io.target;
  return caption(
    [{ label: null, runs }],
    `${io.requests} × GET ${target}${cpu ? ` beside fib(${n}) × ${cpu.workers}` : ''}`,
  );
}

/** The convoy chart's rows: each regime's figures, and its median repeat's requests (a shared run has none). */
function latencyRows(click) {
  return regimeRows(click.report.convoy).map((figures) => {
    const run = click.runs.find((r) => r.convoy?.regime === figures.regime && r.convoy.switchMs === figures.switchMs);
    const requests = run?.jobs.filter((job) => job.request) ?? [];
    return { label: regimeName(figures), figures, latencies: requests.map((job) => job.end - job.start) };
  });
}

export const convoy = {
  name: 'convoy',
  room: 'convoy',
  render,
  api,
  /** It says how long it will take, from its requests, all the while it runs. */
  before: async (lab, plans) => ({ about: ` · about ${seconds((await lab.estimate(plans, 'convoy', 0)).ms)} in all` }),
  runName: ({ mode, switchMs }, { regimeOf }) => regimeName({ regime: regimeOf[mode], switchMs }),
  chart: {
    canvas: 'convoy-chart',
    make: async (canvas) => (await import('./chart.js')).convoyChart(canvas),
    draw: (draw, click) => draw(latencyRows(click), convoyCaption(click)),
    /** What it drew, for the tests: its rows, bars and dots. */
    drawn: (chart) => ({
      labels: chart.data.labels,
      datasets: chart.data.datasets.map(({ label, data }) => ({ label, data })),
      dots: chart.options.plugins.dots.rows,
    }),
  },
  table: (click) => {
    const rows = regimeRows(click.report.convoy).map(regimeFigures);
    return { label: 'convoy', columns: REGIME_COLUMNS, rows, csv: [REGIME_COLUMNS, rows] };
  },
  fileName: (click) => `threadlab-convoy-${workName(click.runs.findLast((run) => run.workers) ?? click.runs[0])}`,
};
