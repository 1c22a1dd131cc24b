// The scaling experiment: its room (what this machine did in words, the points: each mode's speedup against single
// with k jobs, and its parallel efficiency), its chart of speedup against k beside the ideal (chart.js), its estimate
// before a click, its exports and `window.threadlab.scaling`. The rules and the words are the core's
// (experiments/scaling.rs); this writes them out as text.
import { apiClick } from '../../page/click.js';
import { el, fillWords } from '../../ui/el.js';
import { caption } from '../../ui/environment.js';
import { figure, ms, seconds } from '../../ui/results.js';

/** The points table's columns, as the room heads them and the exports name them. */
export const POINT_COLUMNS = ['k', 'mode', 'wall ms', 'speedup', 'ideal', 'efficiency', 'outcome'];

/** One point's row as text: `{ k, mode, wall, wallRange, speedup, speedupRange, ideal, efficiency, outcome }`. */
export function pointFigures(point) {
  const times = (x) => `${x.toFixed(2)}×`;
  return {
    k: String(point.workers),
    mode: point.mode,
    wall: ms(point.wallMs.median),
    wallRange: `${ms(point.wallMs.min)}–${ms(point.wallMs.max)}`,
    speedup: point.speedup == null ? '—' : times(point.speedup),
    speedupRange: point.speedupRange ? point.speedupRange.map((x) => x.toFixed(2)).join('–') : '',
    ideal: point.ideal == null ? '—' : `${point.ideal}×`,
    efficiency: point.efficiency == null ? '—' : `${Math.round(point.efficiency * 100)}%`,
    outcome: point.correct ? '✓' : '✗ a wrong value',
  };
}

/** The room for `click` (a scaling click, whose report has `scaling`): its words and its points. */
function render(section, { report }) {
  const { words, points } = report.scaling;
  fillWords(section.querySelector('#scaling-words'), words);
  section.querySelector('#points tbody').replaceChildren(
    ...points.map((point) => {
      const text = pointFigures(point);
      return el('tr', { 'data-mode': point.mode, 'data-k': text.k, className: point.correct ? '' : 'wrong' }, [
        el('td', { className: 'num' }, [text.k]),
        el('th', { scope: 'row' }, [text.mode]),
        el('td', { className: 'num' }, figure(text.wall, text.wallRange)),
        el('td', { className: 'num speedup' }, figure(text.speedup, text.speedupRange)),
        el('td', { className: 'num' }, [text.ideal]),
        el('td', { className: 'num efficiency' }, [text.efficiency]),
        el('td', {}, [text.outcome]),
      ]);
    }),
  );
}

/**
 * `window.threadlab.scaling({ n, ks, modes, repeats, switchMs })`: every point, run as the page runs them, resolved
 * as `{ points, cores, words, env }`. Rejects with an Error naming a bad field, or the first point that failed.
 */
async function api(lab, options) {
  const click = await apiClick(lab, 'scaling', options);
  const { points, cores, words } = click.report.scaling;
  return { points, cores, words, env: click.runs[0].env };
}

/**
 * How long a scaling click's `plans` will take, estimated from one fib(n) job measured first. `say(text)` tells it;
 * past a minute, `ask(text, choices)` offers a smaller n and resolves with the choice's index. Resolves with `{}` to
 * run as planned, or `{ values: { n } }`, the smaller n picked.
 */
async function before(lab, plans, { say, ask }) {
  say('timing one job to say how long this takes');
  const [first] = plans;
  const probe = {
    ...first,
    options: { ...first.options, mode: 'single', workers: 1, repeats: 1 },
    pool: null,
    fresh: null,
  };
  const [job] = (await lab.runPlan(probe)).jobs;
  const jobMs = job.end - job.start;
  const { ms, smallerN } = await lab.estimate(plans, 'scaling', jobMs);
  const about = `${plans.length} runs, each warmed up and repeated: about ${seconds(ms)}`;
  if (smallerN === null) {
    say(`${about}; running`);
    return {};
  }
  const faster = plans.map((plan) => ({ ...plan, options: { ...plan.options, n: smallerN } }));
  const quicker = await lab.estimate(faster, 'scaling', jobMs / 1.618 ** (first.options.n - smallerN));
  const choices = ['Run it as set', `Use n = ${smallerN} instead (about ${seconds(quicker.ms)})`];
  return (await ask(`${about}.`, choices)) === 1 ? { values: { n: String(smallerN) } } : {};
}

/** The scaling chart's caption: the work, the k's, where, and how many repeats. */
export function scalingCaption({ runs }) {
  const ks = [...new Set(runs.map((run) => run.workers))];
  return caption([{ label: null, runs }], `fib(${runs[0].n}) × k, k = ${ks.join(', ')}`);
}

/** The points as the exports write them: in Markdown each figure with its range, in CSV each in a column of its own. */
function table(click) {
  const points = click.report.scaling.points.map(pointFigures);
  const withRange = (median, range) => (range ? `${median} (${range})` : median);
  return {
    label: 'scaling',
    columns: POINT_COLUMNS,
    rows: points.map((t) => [
      t.k,
      t.mode,
      withRange(t.wall, t.wallRange),
      withRange(t.speedup, t.speedupRange),
      t.ideal,
      t.efficiency,
      t.outcome,
    ]),
    csv: [
      [
        'k',
        'mode',
        'wall ms (median)',
        'wall ms (range)',
        'speedup',
        'speedup (range)',
        'ideal',
        'efficiency',
        'outcome',
      ],
      points.map((t) => [
        t.k,
        t.mode,
        t.wall,
        t.wallRange,
        t.speedup,
        t.speedupRange,
        t.ideal,
        t.efficiency,
        t.outcome,
      ]),
    ],
  };
}

export const scaling = {
  name: 'scaling',
  room: 'scaling',
  // Its points table holds every run: the page's results table would repeat it.
  ownTable: true,
  render,
  api,
  before,
  runName: ({ mode, workers }) => `${mode} at k = ${workers}`,
  chart: {
    canvas: 'scaling-chart',
    make: async (canvas, modes) => (await import('./chart.js')).scalingChart(canvas, modes),
    draw: (draw, click) => draw(click.report.scaling, scalingCaption(click)),
    /** What it drew, for the tests: its datasets and the core count. */
    drawn: (chart) => ({
      datasets: chart.data.datasets.map(({ label, data, borderDash }) => ({
        label,
        data,
        dashed: Boolean(borderDash),
      })),
      cores: chart.options.plugins.cores.count,
    }),
  },
  table,
  fileName: (click) => `threadlab-scaling-fib${click.runs[0].n}`,
};
