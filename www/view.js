// What the page shows of its clicks: the results table, the verdict panel, the exports bar and the charts (Chart.js,
// loaded with the first result: it is most of the page's script, and nothing is drawn before).
import { convoyCaption, regimeRows, renderConvoy } from './experiments/convoy.js';
import { renderPython } from './experiments/python.js';
import { renderScaling, scalingCaption } from './experiments/scaling.js';
import { caption } from './ui/environment.js';
import { regimeName, renderResults, spreadNote } from './ui/results.js';
import { renderVerdicts } from './ui/verdicts.js';

const $ = (selector) => document.querySelector(selector);

export class View {
  /** Every click shown, oldest first (see click.js). */
  clicks = [];
  /** The run whose timeline is shown (and whose trace downloads): the latest, or one picked in the table. */
  shown = null;
  #charts = null;
  #modes;
  #unavailable;

  /** `modes`: the core's; `unavailable`: the modes that cannot run on this page (named in the verdicts). */
  constructor(modes, unavailable) {
    this.#modes = modes;
    this.#unavailable = unavailable;
    $('#results tbody').addEventListener('click', (event) => {
      const pick = event.target.closest('button.pick');
      if (!pick) return;
      this.shown = pick.run;
      this.show();
    });
  }

  /** The charts (a promise), once a result has been drawn; null before. */
  get charts() {
    return this.#charts;
  }

  clear() {
    this.clicks.length = 0;
    this.shown = null;
    return this.show();
  }

  async show() {
    const { clicks, shown } = this;
    renderResults($('#results tbody'), clicks, shown);
    const click = clicks.at(-1);
    $('#spread-note').textContent = spreadNote(click);
    // Each experiment's room: the article's verdicts, the scaling points, or the convoy's regimes.
    const { scaling, convoy, python } = click?.report ?? {};
    $('#verdicts').hidden = !click?.report || Boolean(scaling || convoy || python);
    if (click?.report && !scaling && !convoy && !python)
      renderVerdicts($('#verdicts ol'), click.report, click.shared ? [] : this.#unavailable);
    $('#scaling').hidden = !scaling;
    if (scaling) renderScaling($('#scaling'), click);
    $('#convoy').hidden = !convoy;
    if (convoy) renderConvoy($('#convoy'), click);
    // The Python room stays open once opened (it holds the editor); a Python click fills it.
    if (click?.experiment === 'python') renderPython(click, click.pythonStarts ?? []);
    $('#exports').hidden = !click?.runs.length;
    $('#charts').hidden = !click?.runs.length;
    if (!click?.runs.length) return;
    // Someone else's figures stay beside this machine's, bar by bar. A label tells the two apart; one click alone
    // needs none.
    const theirs = clicks.findLast((c) => c.shared && c.runs.length);
    const pair = theirs && theirs !== click ? [theirs, click] : [click];
    const groups = pair.map((c) => ({
      label: pair.length > 1 ? (c.shared ? 'shared' : 'here') : null,
      runs: c.runs,
      shared: c.shared,
    }));
    await this.#draw(groups, click).catch((error) => {
      $('#run-note').textContent = `the charts could not be drawn: ${error.message}`;
    });
  }

  async #draw(groups, click) {
    // Charts made once stay (their canvases cannot take another); only a failed load is tried again.
    if (!this.#charts) {
      this.#charts = import('./ui/charts.js').then((module) => ({
        walls: module.wallChart($('#walls')),
        timeline: module.timelineChart($('#timeline'), this.#modes),
        scaling: module.scalingChart($('#scaling-chart')),
        convoy: module.convoyChart($('#convoy-chart')),
        note: module.runNote,
        png: module.png,
        svg: module.svg,
      }));
      this.#charts.catch(() => {
        this.#charts = null;
      });
    }
    const { walls, timeline, note, scaling, convoy } = await this.#charts;
    $('#walls').parentElement.classList.toggle('pair', groups.length > 1);
    walls(groups, caption(groups));
    if (click.report?.scaling) scaling(click.report.scaling, scalingCaption(click));
    if (click.report?.convoy) convoy(latencyRows(click), convoyCaption(click));
    $('#timeline-part').hidden = !this.shown;
    if (this.shown) timeline(this.shown);
    $('#run-note').textContent = this.shown ? note(this.shown) : '';
  }
}

/** The convoy chart's rows: each regime's figures, and its median repeat's requests (a shared run has none). */
function latencyRows(click) {
  return regimeRows(click.report.convoy).map((figures) => {
    const run = click.runs.find((r) => r.convoy?.regime === figures.regime && r.convoy.switchMs === figures.switchMs);
    const requests = run?.jobs.filter((job) => job.request) ?? [];
    return { label: regimeName(figures), figures, latencies: requests.map((job) => job.end - job.start) };
  });
}
