// A click's results as files: the table as Markdown and CSV (the very text the table shows, from `figures`, or the
// experiment's own table), and JSON with everything (every repeat's sample, each job's spans, the environment, the
// report).
import { experimentOf } from '../experiments/index.js';
import { COLUMNS, clickTitle, figures, workName } from './results.js';

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

const RUNS_CSV = [
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

/**
 * What the exports write of a click: its experiment's own table where it has one (see experiments/index.js), else
 * the runs as the page's table shows them; `label` heads it, and `words` follow it in Markdown.
 */
function tableOf(click) {
  const csvRows = click.runs.map((run) => {
    const t = figures(run, click);
    return [t.mode, t.work, t.wall, t.wallRange, t.spawn, t.spawnRange, t.speedup, t.perJob, t.outcome];
  });
  const runs = { label: '', columns: COLUMNS, rows: rows(click), csv: [RUNS_CSV, csvRows], words: [] };
  const own = click.report ? experimentOf(click.experiment).table?.(click) : null;
  return { ...runs, ...own };
}

/** The table as Markdown: a heading, the table, and the experiment's words. */
export function markdown(click) {
  const cell = (text) =>
    text
      .replaceAll('\\', '\\\\')
      .replaceAll('|', '\\|')
      .replace(/[\r\n]+/g, ' ');
  const line = (cells) => `| ${cells.map(cell).join(' | ')} |`;
  const { label, columns, rows, words } = tableOf(click);
  return `${[
    `**threadlab** · ${label ? `${label} · ` : ''}${clickTitle(click)}`,
    '',
    line(columns),
    line(columns.map(() => '---')),
    ...rows.map(line),
    ...(words.length ? ['', ...words.map((sentence) => `- ${cell(sentence)}`)] : []),
  ].join('\n')}\n`;
}

/** CSV with every figure (a median, a range) in a column of its own, so that a spreadsheet can use them. */
export function csv(click) {
  const [head, body] = tableOf(click).csv;
  // Quoted always; a leading = + - @ is kept from being read as a formula by a spreadsheet.
  const cell = (text) => `"${(/^[=+\-@]/.test(text) ? `'${text}` : text).replaceAll('"', '""')}"`;
  return `${[head, ...body].map((cells) => cells.map(cell).join(',')).join('\r\n')}\r\n`;
}

export function json(click) {
  const { values: settings, runs, report, shared = false } = click;
  return `${JSON.stringify({ threadlab: 1, shared, settings, environment: runs[0].env, runs, report }, null, 2)}\n`;
}

/**
 * A file name for a click's exports: "threadlab-fib40x2-10requests", "threadlab-scaling-fib40" for scaling, and
 * "threadlab-convoy-20requests-fib27x2" for the convoy, "threadlab-python-fib27x2-10requests" for Python's.
 */
export function fileName(click) {
  const own = click.report && experimentOf(click.experiment).fileName;
  return own ? own(click) : ['threadlab', ...new Set(click.runs.map(workName))].join('-');
}

/** Saves a blob as a download. */
export function save(blob, name) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
