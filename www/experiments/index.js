// The experiments, in the core's order (crate/src/experiments/mod.rs): each a folder with its room (room.html, put
// into the page at build time) and one object (its index.js). An object has `name` (the core's label) and `room`
// (its section's id), `render(section, click, page)` for a click of it, and where it needs them:
// - `api(lab, options)`: `window.threadlab.<name>(options)`;
// - `before(lab, plans, { say, ask, form })`: before a click runs: `{ about }` (words for its progress), or
//   `{ values }` (run the click again with these values instead);
// - `runName(options, page)`: a plan's name in the progress line (by default its mode);
// - `chart`: `{ canvas, make(canvas), draw(chart, click), drawn(chart) }`, its own chart, loaded with the first
//   result (`drawn`: what it shows, for the tests);
// - `table(click)`: its exports' `{ label, columns, rows, csv: [columns, rows], words }`, each part optional;
// - `fileName(click)`: its exports' name;
// - `next(lab, click, rest, { say })`: after each run, the plans still to run, or others instead;
// - `picked(form, { fromLink })`, `fromButton(values, form)`, `waits(values)`, `afterRun(lab, click)`,
//   `keepsRoom`: the Python room's editor, program and interpreters.
import { article } from './article/index.js';
import { bend } from './bend/index.js';
import { convoy } from './convoy/index.js';
import { python } from './python/index.js';
import { scaling } from './scaling/index.js';

export const EXPERIMENTS = [article, scaling, convoy, bend, python];

/** The experiment named `name` (the article's for none). */
export function experimentOf(name = 'article') {
  return EXPERIMENTS.find((experiment) => experiment.name === name) ?? article;
}
