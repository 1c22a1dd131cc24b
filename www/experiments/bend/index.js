// When the rules bend: its room (the answer in words, each work kind's speedup under the GIL and free, and threads
// under the GIL against processes at each payload), its exports and `window.threadlab.bend`. The rules and the words
// are the core's (experiments/bend.rs); this writes them out as text.
import { apiClick } from '../../page/click.js';
import { el, fillWords } from '../../ui/el.js';
import { ms, seconds } from '../../ui/results.js';

const times = (x) => (x == null ? '—' : `${x.toFixed(2)}×`);

/** The tables' columns, as the room heads them and the exports name them. */
export const PAYLOAD_COLUMNS = ['payload MiB', 'gil ms', 'processes ms', 'processes gain', 'copy ms (share)'];

/**
 * Each row of a bend reading as text cells, in the columns' order: the page's, then those of the visitor's own Python
 * (threadlab.py's link), named so, its threads in the gil columns.
 */
export function bendFigures(reading) {
  const ours = cells(reading);
  if (!reading.python) return ours;
  const theirs = cells(reading.python);
  const named = (rows) => rows.map(([first, ...rest]) => [`${first}, your Python`, ...rest]);
  return { kinds: [...ours.kinds, ...named(theirs.kinds)], payloads: [...ours.payloads, ...named(theirs.payloads)] };
}

function cells({ kinds, payloads }) {
  return {
    kinds: kinds.map((row) => [row.work, times(row.gil), times(row.threads)]),
    payloads: payloads.map((row) => [
      String(row.payloadMb),
      ms(row.gilMs.median),
      ms(row.processesMs.median),
      times(row.processesOverGil),
      row.copyMs == null ? '—' : `${ms(row.copyMs)} (${Math.round(row.copyShare * 100)}%)`,
    ]),
  };
}

const rows = (cells) =>
  cells.map(([first, ...rest]) =>
    el('tr', {}, [el('th', { scope: 'row' }, [first]), ...rest.map((cell) => el('td', { className: 'num' }, [cell]))]),
  );

/** The room for a bend click (its report has `bend`): its words and its two tables. */
function render(section, { report }) {
  fillWords(section.querySelector('#bend-words'), report.bend.words);
  section.querySelector('#bend-python').hidden = !report.bend.python;
  const { kinds, payloads } = bendFigures(report.bend);
  section.querySelector('#bend-kinds tbody').replaceChildren(...rows(kinds));
  section.querySelector('#bend-payloads tbody').replaceChildren(...rows(payloads));
}

/**
 * `window.threadlab.bend({ n, mib, workers, repeats, switchMs, payloads })`: both parts, run as the page runs them,
 * resolved as `{ kinds, payloads, crossoverMb, words, env, runs }` (`runs`: every run whole, with its spans).
 */
async function api(lab, options) {
  const click = await apiClick(lab, 'bend', options);
  const { kinds, payloads, crossoverMb, words } = click.report.bend;
  return { kinds, payloads, crossoverMb, words, env: click.runs[0].env, runs: click.runs };
}

/**
 * How long a bend click's `plans` take, from one fib(n) job timed first (the core's estimate adds sha256 and the
 * payloads' copies by their size): `{ about }`, said all the while it runs.
 */
async function before(lab, plans, { say }) {
  say('timing one job to say how long this takes');
  const [first] = plans;
  const options = { ...first.options, mode: 'single', work: 'fib', workers: 1, repeats: 1, payloadMb: 0 };
  const [job] = (await lab.runPlan({ ...first, options, pool: null, fresh: null })).jobs;
  const { ms: all } = await lab.estimate(plans, 'bend', job.end - job.start);
  return { about: ` · about ${seconds(all)} in all` };
}

export const bend = {
  name: 'bend',
  room: 'bend',
  render,
  api,
  before,
  runName: ({ mode, work, payloadMb }) => `${mode}, ${work}${payloadMb ? `, ${payloadMb} MiB payload` : ''}`,
  fileName: (click) => `threadlab-bend-fib${click.runs[0].n}x${click.runs[0].workers}`,
  // The work kinds' runs are the results table's rows; its own table is the payloads'.
  table: (click) => {
    const { payloads } = bendFigures(click.report.bend);
    return { label: 'bend', columns: PAYLOAD_COLUMNS, rows: payloads, csv: [PAYLOAD_COLUMNS, payloads] };
  },
};
