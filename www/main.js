// The page: controls from the core's description, the URL as the state. A click runs its modes one after another,
// each warmed up and repeated, and reads them as the article does (the verdict panel).
import { addressChanged, embedded, postResult, snippet, startEmbed, withEmbed } from './embed.js';
import { isolate } from './isolation.js';
import { Lab } from './lab.js';
import { threadsSupport } from './support.js';
import {
  buildControls,
  readForm,
  showErrors,
  unknownParams,
  urlFromValues,
  valuesFromUrl,
  writeForm,
} from './ui/controls.js';
import { figures, ms, renderResults, spreadNote } from './ui/results.js';
import { caption, renderEnvironment } from './ui/environment.js';
import { save, workName } from './ui/exports.js';
import { exportsBar, openShared } from './sharing.js';
import { renderVerdicts } from './ui/verdicts.js';

// On a host that sends no headers, this registers the service worker that adds them and reloads the page, once.
const isolation = await isolate();
const lab = new Lab(threadsSupport(isolation.reason), isolation.noServiceWorker);
window.threadlab = {
  run: (options) => lab.run(options),
  cancel: () => lab.cancel(),
  describe: () => lab.describe(),
  usage: () => lab.usage(),
  support: lab.support,
};
// Test builds (vite build --mode test) only: ways to make a run panic or hit the limit. Production builds drop this.
if (import.meta.env.MODE === 'test') {
  window.threadlab.test = {
    panicNextJob: () => lab.panicNextJob(),
    setLimitMs: (ms) => {
      lab.limitMs = ms;
    },
  };
}
// Leaving the page stops every worker of a run in progress.
addEventListener('pagehide', () => lab.cancel());

const $ = (selector) => document.querySelector(selector);
const form = $('#controls');
if (embedded) startEmbed($('#full-playground'));
const status = $('#status');
// Each: { entries: [{ run } | { mode, message }], runs, report, values (the form's), shared (from a share link) }.
const clicks = [];
let shown = null; // the run whose timeline is shown (and whose trace downloads): the latest, or one picked in the table
let running = false;

if (!lab.support.ok) {
  $('#support').hidden = false;
  $('#support').textContent =
    `Free threads are unavailable: ${lab.support.reason} gil runs as its jobs taking turns on ` +
    'one worker, a switch interval each (what the GIL amounts to); single, processes and the io modes run as usual.';
}
lab.onPool = ({ threads, ms: took }) => {
  $('#pool-note').textContent =
    `A pool of ${threads} threads started in ${ms(took)} ms, before any run: a Python ` +
    'thread starts in well under a millisecond, so this browser cost is not charged to threads or gil.';
};

start().catch((error) => {
  status.textContent = `threadlab could not start: ${error.message}`;
  status.className = 'error';
});

async function start() {
  const description = await lab.describe();
  const { fields, modes, params: known } = description;
  const ignored = unknownParams(location.search, known);
  if (ignored.length)
    console.info(`threadlab: ignored unknown URL parameters: ${ignored.join(', ')} (known: ${known.join(', ')})`);
  // By default every mode that can run here: the article's whole experiment.
  const unavailable = modes.filter((info) => !lab.canRun(info)).map((info) => info.mode);
  const available = modes
    .map((info) => info.mode)
    .filter((mode) => !unavailable.includes(mode))
    .join(',');
  const defaults = valuesFromUrl('', fields, available);
  const fromUrl = valuesFromUrl(location.search, fields, available);
  buildControls(form, description, lab.support, unavailable);
  writeForm(form, fields, fromUrl);

  // Chart.js is most of the page's script, and nothing is drawn before a first result: it loads then.
  let charts = null;
  const draw = async (groups) => {
    charts ??= import('./ui/charts.js').then((module) => ({
      walls: module.wallChart($('#walls')),
      timeline: module.timelineChart($('#timeline'), modes),
      note: module.runNote,
      png: module.png,
      svg: module.svg,
    }));
    const { walls, timeline, note } = await charts;
    $('#walls').parentElement.classList.toggle('pair', groups.length > 1);
    walls(groups, caption(groups));
    $('#timeline-part').hidden = !shown;
    if (shown) timeline(shown);
    $('#run-note').textContent = shown ? note(shown) : '';
  };
  $('#results tbody').addEventListener('click', (event) => {
    const pick = event.target.closest('button.pick');
    if (!pick) return;
    shown = pick.run;
    show();
  });
  const show = async () => {
    renderResults($('#results tbody'), clicks, shown);
    const click = clicks.at(-1);
    $('#spread-note').textContent = spreadNote(click);
    $('#verdicts').hidden = !click?.report;
    if (click?.report) renderVerdicts($('#verdicts ol'), click.report, click.shared ? [] : unavailable);
    $('#exports').hidden = !click?.runs.length;
    $('#charts').hidden = !click?.runs.length;
    if (click?.runs.length) {
      // Someone else's figures stay beside this machine's, bar by bar.
      // A label tells the two apart; one click alone needs none.
      const theirs = clicks.findLast((c) => c.shared && c.runs.length);
      const pair = theirs && theirs !== click ? [theirs, click] : [click];
      const groups = pair.map((c) => ({
        label: pair.length > 1 ? (c.shared ? 'shared' : 'here') : null,
        runs: c.runs,
        shared: c.shared,
      }));
      await draw(groups).catch((error) => {
        charts = null;
        $('#run-note').textContent = `the charts could not be drawn: ${error.message}`;
      });
    }
  };
  exportsBar(
    lab,
    () => clicks.at(-1),
    () => charts,
    fields,
  );
  const run = (values) => {
    if (!running) runValues(values, show);
  };

  const showSnippet = () => ($('#snippet').value = snippet(location.href));
  const writeAddress = (values) => {
    history.replaceState(null, '', withEmbed(urlFromValues(values, fields)));
    addressChanged($('#full-playground'));
    showSnippet();
  };
  form.addEventListener('input', () => writeAddress(readForm(form, fields)));
  showSnippet();
  $('#copy-snippet').addEventListener('click', () =>
    navigator.clipboard.writeText($('#snippet').value).then(
      () => ($('#copy-status').textContent = 'copied'),
      () => {
        $('#snippet').select();
        $('#copy-status').textContent = 'selected: copy it with your keyboard';
      },
    ),
  );
  form.addEventListener('input', () => warnPastCores(form));
  form.addEventListener('change', (event) => event.target.name === 'workers' && prepareWhenIdle(form, fields));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run(readForm(form, fields));
  });
  $('#article').addEventListener('click', () => {
    writeForm(form, fields, defaults);
    writeAddress(defaults);
    run(defaults);
  });
  $('#cancel').addEventListener('click', () => lab.cancel());
  $('#clear').addEventListener('click', () => {
    clicks.length = 0;
    $('#shared').hidden = true;
    shown = null;
    show();
  });
  $('#download-trace').addEventListener('click', () =>
    downloadTrace(shown).catch((error) => {
      status.textContent = `the trace could not be made: ${error.message}`;
    }),
  );
  warnPastCores(form);
  renderEnvironment($('#environment dl'), lab);
  $('#run').disabled = false;
  $('#article').disabled = false;

  $('#run-shared').addEventListener('click', () => run(readForm(form, fields)));
  if (location.hash.startsWith('#share=')) {
    const shared = await openShared(lab, location.hash.slice(1));
    if (shared) {
      writeForm(form, fields, shared.values);
      history.replaceState(null, '', withEmbed(urlFromValues(shared.values, fields)) + location.hash);
      showSnippet();
      clicks.push(shared);
      await show();
      return prepareWhenIdle(form, fields);
    }
  }

  // The URL's values are checked as given (the form can only show known modes), and run if asked to.
  const params = new URLSearchParams(location.search);
  if (params.get('autorun') === '1') return runValues(fromUrl, show);
  if (params.size) showErrors(form, (await lab.checkForm(fromUrl)).errors ?? []);
  prepareWhenIdle(form, fields);
}

async function runValues(values, show) {
  setRunning(true);
  status.textContent = 'checking…';
  const began = performance.now();
  let label = '';
  const tick = setInterval(
    () => (status.textContent = `${label} · ${((performance.now() - began) / 1000).toFixed(1)} s`),
    100,
  );
  try {
    const checked = await lab.checkForm(values);
    showErrors(form, checked.errors ?? []);
    if (checked.errors) {
      status.textContent = 'nothing ran: see the messages above';
      return;
    }
    const click = { entries: [], runs: [], report: null, values };
    clicks.push(click);
    const total = checked.runs.length * (checked.runs[0].repeats + 1);
    $('#progress').max = total;
    for (const [i, options] of checked.runs.entries()) {
      const progress = ({ repeat, repeats }) => {
        label = `running ${options.mode} (${i + 1} of ${checked.runs.length}), ${repeat ? `repeat ${repeat} of ${repeats}` : 'warm-up'}`;
        $('#progress').value = i * (repeats + 1) + repeat;
      };
      try {
        const run = await lab.run(options, progress);
        click.entries.push({ run });
        click.runs.push(run);
        shown = run;
        postResult(run);
        click.report = await lab.report(click.runs);
      } catch (error) {
        if (error.message === 'cancelled') throw error;
        click.entries.push({ mode: options.mode, message: error.message });
      }
      await show();
      await painted(); // drawing the charts must not share the cores with the next mode's timed runs
    }
    $('#progress').value = total;
    status.textContent = `done in ${((performance.now() - began) / 1000).toFixed(1)} s`;
    announce(click);
  } catch (error) {
    status.textContent = error.message === 'cancelled' ? 'cancelled' : `stopped: ${error.message}`;
  } finally {
    clearInterval(tick);
    setRunning(false);
  }
}

/** After the next paint, or 100 ms in a hidden tab (which paints nothing and pauses animation frames). */
const painted = () =>
  new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve));
    setTimeout(resolve, 100);
  });

/** Starts the pool for the form's number of workers when the page is idle, so that no run waits for it. */
let preparing = 0;
function prepareWhenIdle(form, fields) {
  const idle = window.requestIdleCallback ?? ((callback) => setTimeout(callback, 200));
  const ticket = ++preparing;
  idle(async () => {
    if (running || ticket !== preparing) return;
    const checked = await lab.checkForm(readForm(form, fields));
    if (checked.runs && !running) await lab.prepare(checked.runs[0].workers).catch(() => {}); // a run reports it
  });
}

async function downloadTrace(run) {
  save(
    new Blob([await lab.trace(run)], { type: 'application/json' }),
    `threadlab-${run.mode}-${workName(run)}.trace.json`,
  );
}

/** Tells a screen reader what a click measured, once it is over (the table itself is not live). */
function announce(click) {
  const said = click.runs.map((run) => {
    const { mode, wall, speedup } = figures(run, click); // the table's own text
    return `${mode} ${wall} ms${speedup === '—' ? '' : `, ${speedup.replace('×', ' times')}`}`;
  });
  const failed = click.entries.filter((entry) => !entry.run).map((entry) => `${entry.mode} failed`);
  $('#announce').textContent = `Results: ${[...said, ...failed].join('; ')}.`;
}

function setRunning(on) {
  running = on;
  $('#run').disabled = on;
  $('#article').disabled = on;
  $('#run-shared').disabled = on;
  $('#cancel').disabled = !on;
  $('#progress').hidden = !on;
  document.body.classList.toggle('running', on);
}

function warnPastCores(form) {
  const cores = navigator.hardwareConcurrency || 1;
  const workers = Number(form.elements.workers.value);
  $('#workers-warning').textContent =
    workers > cores ? `more workers than this machine's ${cores} cores: they will take turns on the cores` : '';
}
