// A click's results as files: the table as Markdown and CSV (the very text the table shows, from `figures`), and
// JSON with everything (every repeat's sample, each job's spans, the environment, the speedups and verdicts).
import { COLUMNS, clickTitle, figures } from './results.js';

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

export function markdown(click) {
  const cell = (text) =>
    text
      .replaceAll('\\', '\\\\')
      .replaceAll('|', '\\|')
      .replace(/[\r\n]+/g, ' ');
  const line = (cells) => `| ${cells.map(cell).join(' | ')} |`;
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
  // Quoted always; a leading = + - @ is kept from being read as a formula by a spreadsheet.
  const cell = (text) => `"${(/^[=+\-@]/.test(text) ? `'${text}` : text).replaceAll('"', '""')}"`;
  return `${[head, ...body].map((cells) => cells.map(cell).join(',')).join('\r\n')}\r\n`;
}

export function json(click) {
  const { values: settings, runs, report, shared = false } = click;
  return `${JSON.stringify({ threadlab: 1, shared, settings, environment: runs[0].env, runs, report }, null, 2)}\n`;
}

/** A run's work in a file name: "fib40x2", "10requests". */
export function workName({ work: { fib, requests } }) {
  return fib ? `fib${fib.n}x${fib.jobs}` : `${requests.count}requests`;
}

/** A file name for a click's exports: "threadlab-fib40x2-10requests" (the runs of one click share their work). */
export function fileName(click) {
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
