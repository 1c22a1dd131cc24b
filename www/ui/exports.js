// A click's results as files: the table as Markdown and CSV (the very text the table shows, from `figures`), and
// JSON with everything (every repeat's sample, each job's spans, the environment, the speedups and verdicts).
import { POINT_COLUMNS, pointFigures } from '../experiments/scaling.js';
import { COLUMNS, clickTitle, figures } from './results.js';

/** A scaling click's points as text cells, in POINT_COLUMNS' order (wall and speedup with their range). */
function pointRows(click) {
  return click.report.scaling.points.map((point) => {
    const t = pointFigures(point);
    return [
      t.k,
      t.mode,
      `${t.wall} (${t.wallRange})`,
      t.speedupRange ? `${t.speedup} (${t.speedupRange})` : t.speedup,
      t.ideal,
      t.efficiency,
      t.outcome,
    ];
  });
}

/** The table's rows of one click as text cells, in COLUMNS' order (wall and spawn with their range). */
function rows(click) {
  return click.runs.map((run) => {
    const text = figures(run, click);
    const withRange = (median, range) => (range ? `${median} (${range})` : median);
    return [
      text.mode,
      text.work,
      withRange(text.wall, text.wallRange),
      withRange(text.spawn, text.spawnRange),
      text.speedup,
      text.perJob,
      text.outcome,
    ];
  });
}

/** The table as Markdown: a scaling click's points, any other click's runs. */
export function markdown(click) {
  const cell = (text) =>
    text
      .replaceAll('\\', '\\\\')
      .replaceAll('|', '\\|')
      .replace(/[\r\n]+/g, ' ');
  const line = (cells) => `| ${cells.map(cell).join(' | ')} |`;
  if (click.report?.scaling) {
    const head = [line(POINT_COLUMNS), line(POINT_COLUMNS.map(() => '---'))];
    return `${[`**threadlab** · scaling · ${clickTitle(click)}`, '', ...head, ...pointRows(click).map(line)].join('\n')}\n`;
  }
  return `${[
    `**threadlab** · ${clickTitle(click)}`,
    '',
    line(COLUMNS),
    line(COLUMNS.map(() => '---')),
    ...rows(click).map(line),
  ].join('\n')}\n`;
}

/** CSV with the median and range of wall and spawn in columns of their own, so that a spreadsheet can use them. */
export function csv(click) {
  const [head, body] = click.report?.scaling ? scalingCsv(click) : runsCsv(click);
  // Quoted always; a leading = + - @ is kept from being read as a formula by a spreadsheet.
  const cell = (text) => `"${(/^[=+\-@]/.test(text) ? `'${text}` : text).replaceAll('"', '""')}"`;
  return `${[head, ...body].map((cells) => cells.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** A scaling click's points, one a row, every figure in a column of its own. */
function scalingCsv(click) {
  const head = [
    'k',
    'mode',
    'wall ms (median)',
    'wall ms (range)',
    'speedup',
    'speedup (range)',
    'ideal',
    'efficiency',
    'outcome',
  ];
  const body = click.report.scaling.points.map((point) => {
    const t = pointFigures(point);
    return [t.k, t.mode, t.wall, t.wallRange, t.speedup, t.speedupRange, t.ideal, t.efficiency, t.outcome];
  });
  return [head, body];
}

function runsCsv(click) {
  const head = [
    'mode',
    'work',
    'wall ms (median)',
    'wall ms (range)',
    'spawn ms (median)',
    'spawn ms (range)',
    'speedup',
    'per job ms',
    'outcome',
  ];
  const body = click.runs.map((run) => {
    const t = figures(run, click);
    return [t.mode, t.work, t.wall, t.wallRange, t.spawn, t.spawnRange, t.speedup, t.perJob, t.outcome];
  });
  return [head, body];
}

export function json(click) {
  const { values: settings, runs, report, shared = false } = click;
  return `${JSON.stringify({ threadlab: 1, shared, settings, environment: runs[0].env, runs, report }, null, 2)}\n`;
}

/** A run's work in a file name: "fib40x2", "10requests". */
export function workName({ work: { fib, requests } }) {
  return fib ? `fib${fib.n}x${fib.jobs}` : `${requests.count}requests`;
}

/** A file name for a click's exports: "threadlab-fib40x2-10requests", or "threadlab-scaling-fib40" for scaling. */
export function fileName(click) {
  if (click.report?.scaling) return `threadlab-scaling-fib${click.runs[0].n}`;
  return ['threadlab', ...new Set(click.runs.map(workName))].join('-');
}

/** Saves a blob as a download. */
export function save(blob, name) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
