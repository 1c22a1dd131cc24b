// What the page shows of its clicks: the answer card, the results table, the experiment's room, the exports bar and
// the charts (Chart.js, loaded with the first result: it is most of the page's script, and nothing is drawn before).
import { EXPERIMENTS, experimentOf } from '../experiments/index.js';
import { $, fillWords } from '../ui/el.js';
import { caption } from '../ui/environment.js';
import { renderResults, spreadNote } from '../ui/results.js';
import { runNote } from '../ui/run-note.js';

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

  /** The charts (a promise), once a result has been drawn; null before. An experiment's own is a promise too. */
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
    showAnswer(click);
    $('#spread-note').textContent = spreadNote(click);
    // The latest click's experiment fills its room; the others' rooms close (but one that keeps its own open).
    for (const experiment of EXPERIMENTS) {
      const section = $(`#${experiment.room}`);
      const mine = click?.experiment === experiment.name;
      if (!experiment.keepsRoom) section.hidden = !(mine && click.report);
      if (mine && (click.report || experiment.keepsRoom))
        experiment.render(section, click, { unavailable: this.#unavailable });
    }
    // No empty table before the first run, and none that repeats the experiment's own.
    $('#results').hidden = !clicks.some((c) => c.runs.length) || Boolean(experimentOf(click?.experiment).ownTable);
    $('#exports').hidden = !click?.runs.length;
    $('#charts').hidden = !click?.runs.length;
    // Set with the charts' section, not once the charts have loaded: a shared click never shows an empty timeline.
    $('#timeline-part').hidden = !this.shown;
    if (!click?.runs.length) return;
    // Someone else's figures stay beside this machine's, bar by bar. A label tells the two apart; one click alone
    // needs none.
    const theirs = clicks.findLast((c) => c.shared && c.runs.length);
    const pair = theirs && theirs !== click ? [theirs, click] : [click];
    const groups = pair.map((c) => ({
      label: pair.length > 1 ? (c.shared ? (c.runs[0].env.python ? 'your Python' : 'shared') : 'here') : null,
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
      this.#charts = import('../ui/charts.js').then((module) => ({
        walls: module.wallChart($('#walls')),
        timeline: module.timelineChart($('#timeline'), this.#modes),
        png: module.png,
        svg: module.svg,
      }));
      this.#charts.catch(() => {
        this.#charts = null;
      });
    }
    const charts = await this.#charts;
    $('#walls').parentElement.classList.toggle('pair', groups.length > 1);
    charts.walls(groups, caption(groups));
    // An experiment's own chart is made with its first click, and kept beside the others by its name (a promise).
    const { name, chart } = experimentOf(click.experiment);
    if (chart && click.report) {
      charts[name] ??= chart.make($(`#${chart.canvas}`), this.#modes);
      chart.draw(await charts[name], click);
    }
    if (this.shown) charts.timeline(this.shown);
    $('#run-note').textContent = this.shown ? runNote(this.shown) : '';
  }
}

/** The answer card: the latest click's sentences (its report's, filled in as its runs come), or what to do. */
function showAnswer(click) {
  const lines = click?.report?.answer ?? [];
  fillWords($('#answer-lines'), lines);
  $('#answer-wait').hidden = lines.length > 0;
  $('#answer-title').textContent = click?.shared ? 'What the shared figures say' : 'What this machine says';
}
