// A click's results as files: the table as Markdown and CSV (the very text the table shows, from `figures`), and
// JSON with everything (every repeat's sample, each job's spans, the environment, the speedups and verdicts).
import { REGIME_COLUMNS, regimeFigures, regimeRows } from '../experiments/convoy.js';
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

/** A convoy click's regimes as text cells, in REGIME_COLUMNS' order: the same cells for Markdown and CSV. */
const convoyRows = (click) => regimeRows(click.report.convoy).map(regimeFigures);

/** The table as Markdown: a scaling click's points, a convoy click's regimes, any other click's runs. */
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
  if (click.report?.convoy) {
    const head = [line(REGIME_COLUMNS), line(REGIME_COLUMNS.map(() => '---'))];
    return `${[`**threadlab** · convoy · ${clickTitle(click)}`, '', ...head, ...convoyRows(click).map(line)].join('\n')}\n`;
  }
  // The Python experiment's words (CPython beside the Rust) follow its rows.
  const words = click.report?.python?.words.map((sentence) => `- ${cell(sentence)}`) ?? [];
  return `${[
    `**threadlab** · ${click.report?.python ? 'real CPython beside the emulation · ' : ''}${clickTitle(click)}`,
    '',
    line(COLUMNS),
    line(COLUMNS.map(() => '---')),
    ...rows(click).map(line),
    ...(words.length ? ['', ...words] : []),
  ].join('\n')}\n`;
}

/** CSV with the median and range of wall and spawn in columns of their own, so that a spreadsheet can use them. */
export function csv(click) {
  const [head, body] = click.report?.scaling
    ? scalingCsv(click)
    : click.report?.convoy
      ? [REGIME_COLUMNS, convoyRows(click)]
      : runsCsv(click);
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

/** A run's work in a file name: "fib40x2", "10requests", "20requests-fib27x2" (the convoy's). */
export function workName({ work: { fib, requests, convoy } }) {
  if (convoy) return `${convoy.count}requests${convoy.jobs ? `-fib${convoy.n}x${convoy.jobs}` : ''}`;
  return fib ? `fib${fib.n}x${fib.jobs}` : `${requests.count}requests`;
}

/**
 * A file name for a click's exports: "threadlab-fib40x2-10requests", "threadlab-scaling-fib40" for scaling, and
 * "threadlab-convoy-20requests-fib27x2" for the convoy, "threadlab-python-fib27x2-10requests" for Python's.
 */
export function fileName(click) {
  if (click.report?.python) return ['threadlab-python', ...new Set(click.runs.map(workName))].join('-');
  if (click.report?.scaling) return `threadlab-scaling-fib${click.runs[0].n}`;
  if (click.report?.convoy)
    return `threadlab-convoy-${workName(click.runs.findLast((run) => run.workers) ?? click.runs[0])}`;
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
