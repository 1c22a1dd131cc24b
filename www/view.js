// What the page shows of its clicks: the results table, the verdict panel, the exports bar and the charts (Chart.js,
// loaded with the first result: it is most of the page's script, and nothing is drawn before).
import { renderScaling, scalingCaption } from './experiments/scaling.js';
import { caption } from './ui/environment.js';
import { renderResults, spreadNote } from './ui/results.js';
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
    // Each experiment's room: the article's verdicts, or the scaling points.
    const scaling = click?.report?.scaling;
    $('#verdicts').hidden = !click?.report || Boolean(scaling);
    if (click?.report && !scaling)
      renderVerdicts($('#verdicts ol'), click.report, click.shared ? [] : this.#unavailable);
    $('#scaling').hidden = !scaling;
    if (scaling) renderScaling($('#scaling'), click);
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
      this.#charts = null;
      $('#run-note').textContent = `the charts could not be drawn: ${error.message}`;
    });
  }

  async #draw(groups, click) {
    this.#charts ??= import('./ui/charts.js').then((module) => ({
      walls: module.wallChart($('#walls')),
      timeline: module.timelineChart($('#timeline'), this.#modes),
      scaling: module.scalingChart($('#scaling-chart')),
      note: module.runNote,
      png: module.png,
      svg: module.svg,
    }));
    const { walls, timeline, note, scaling } = await this.#charts;
    $('#walls').parentElement.classList.toggle('pair', groups.length > 1);
    walls(groups, caption(groups));
    if (click.report?.scaling) scaling(click.report.scaling, scalingCaption(click));
    $('#timeline-part').hidden = !this.shown;
    if (this.shown) timeline(this.shown);
    $('#run-note').textContent = this.shown ? note(this.shown) : '';
  }
}
