// The page, wired: controls from the core's description, the URL as the state, a click's plans run (click.js) and
// shown (view.js) as they come in.

import { EXPERIMENTS, experimentOf } from '../experiments/index.js';
import { isolate } from '../runtime/isolation.js';
import { Lab } from '../runtime/lab.js';
import { threadsSupport } from '../runtime/support.js';
import {
  markModes,
  readForm,
  showErrors,
  unknownParams,
  urlFromValues,
  valuesFromUrl,
  writeForm,
} from '../ui/controls.js';
import { $, copied, el } from '../ui/el.js';
import { renderEnvironment } from '../ui/environment.js';
import { save } from '../ui/exports.js';
import { ms, workName } from '../ui/results.js';
import { announcement, newClick, runClick } from './click.js';
import { addressChanged, embedded, postExperiment, postResult, startEmbed, withEmbed } from './embed.js';
import { exportsBar, openShared } from './sharing.js';
import { snippet } from './snippet.js';
import { View } from './view.js';

// The page starts: the sentence for pages that cannot run it goes (see index.html).
document.querySelector('#no-script').remove();
// On a host that sends no headers, this registers the service worker that adds them and reloads the page, once.
const isolation = await isolate();
const lab = new Lab(threadsSupport(isolation.reason), isolation.noServiceWorker);
window.threadlab = {
  run: (options) => lab.run(options),
  // Each experiment's own entry, where it has one: window.threadlab.scaling(options) and the like.
  ...Object.fromEntries(
    EXPERIMENTS.filter((experiment) => experiment.api).map(({ name, api }) => [name, (options) => api(lab, options)]),
  ),
  cancel: () => lab.cancel(),
  describe: () => lab.describeInWords(),
  usage: () => lab.usage(),
  workerFloor: (count) => lab.workerFloor(count),
  pythonStarts: () => lab.pythonStarts(),
  support: lab.support,
};
// Test builds (vite build --mode test) only: ways to make a run panic or hit the limit. Production builds drop this.
if (import.meta.env.MODE === 'test') {
  window.threadlab.test = {
    panicNextJob: () => lab.panicNextJob(),
    setLimitMs: (ms) => {
      lab.limitMs = ms;
    },
    // Each experiment's chart as drawn: scalingChart(), convoyChart().
    ...Object.fromEntries(
      EXPERIMENTS.filter((experiment) => experiment.chart).map(({ name, chart }) => [
        `${name}Chart`,
        async () => chart.drawn((await (await view.charts)[name]).chart),
      ]),
    ),
    /** The latest click, as the page holds it. */
    lastClick: () => JSON.parse(JSON.stringify(view.clicks.at(-1))),
    /** The wall chart's bar labels as drawn (each a list of lines). */
    wallLabels: async () => (await view.charts).walls.chart.scales.y.ticks.map((tick) => tick.label),
  };
}
// Leaving the page stops every worker of a run in progress.
addEventListener('pagehide', () => lab.cancel());

const form = $('#controls');
if (embedded) startEmbed($('#full-playground'));
const status = $('#status');
let view = null; // once the core has described the modes
let fields = null; // the core's, once it has described them
let spawned = new Set(); // the CPU modes whose jobs each spawn a fresh worker (the core's description)
const page = { regimeOf: {} }; // what the experiments' hooks read of the page: the convoy's regime of each mode
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
  const { modes, params: known, experiments } = description;
  fields = description.fields;
  spawned = new Set(modes.filter((info) => info.kind === 'cpu' && info.start === 'spawn').map((info) => info.mode));
  page.regimeOf = Object.fromEntries(description.regimes.map(([regime, mode]) => [mode, regime]));
  const ignored = unknownParams(location.search, known);
  if (ignored.length)
    console.info(`threadlab: ignored unknown URL parameters: ${ignored.join(', ')} (known: ${known.join(', ')})`);
  // By default every mode that can run here: the article's whole experiment.
  const unavailable = modes.filter((info) => !info.available).map((info) => info.mode);
  const available = modes
    .map((info) => info.mode)
    .filter((mode) => !unavailable.includes(mode))
    .join(',');
  const fromUrl = valuesFromUrl(location.search, fields, available, experiments);
  markModes(form, modes, lab.support, unavailable);
  writeForm(form, fields, fromUrl);
  experimentOf(fromUrl.experiment).picked?.(form, { fromLink: Boolean(fromUrl.code) });

  view = new View(modes, unavailable);
  exportsBar(
    lab,
    () => view.clicks.at(-1),
    () => view.charts,
    fields,
  );
  const run = (values) => {
    if (!running) runValues(values);
  };

  const showSnippet = () => ($('#snippet').value = snippet(location.href));
  const writeAddress = (values) => {
    history.replaceState(null, '', withEmbed(urlFromValues(values, fields)));
    addressChanged($('#full-playground'));
    showSnippet();
  };
  form.addEventListener('input', () => writeAddress(readForm(form, fields)));
  // Another experiment picks its own modes, of those that run here: the core refuses a mode it would not run.
  form.addEventListener('change', ({ target }) => {
    if (target.name !== 'experiment') return;
    const own = experiments.find((info) => info.label === target.value).modes;
    for (const box of form.querySelectorAll('input[name=mode]')) box.checked = own.includes(box.value) && !box.disabled;
    writeAddress(readForm(form, fields));
    experimentOf(target.value).picked?.(form);
  });
  showSnippet();
  $('#copy-snippet').addEventListener('click', async () => {
    const done = await copied($('#snippet').value, () => $('#snippet').select());
    $('#copy-status').textContent = done ? 'copied' : 'selected: copy it with your keyboard';
  });
  form.addEventListener('input', () => warnPastCores(form));
  form.addEventListener('change', (event) => event.target.name === 'workers' && prepareWhenIdle(form, fields));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run(readForm(form, fields));
  });
  // Each experiment's own button runs it at its defaults, with the modes it has that run here (the article: every
  // one; scaling: the CPU modes, k = 1, 2, … up to twice the cores; the convoy: alone and its regimes).
  for (const button of document.querySelectorAll('#start button[data-experiment]')) {
    const { experiment } = button.dataset;
    const own = experiments.find((info) => info.label === experiment).modes;
    const picked = modes.filter((info) => info.available && own.includes(info.mode)).map((info) => info.mode);
    const { fromButton = (values) => values } = experimentOf(experiment);
    button.addEventListener('click', () => {
      const values = fromButton(
        valuesFromUrl(`?experiment=${experiment}`, fields, picked.join(','), experiments),
        form,
      );
      writeForm(form, fields, values);
      writeAddress(values);
      run(values);
    });
  }
  $('#cancel').addEventListener('click', () => lab.cancel());
  $('#clear').addEventListener('click', () => {
    $('#shared').hidden = true;
    view.clear();
  });
  $('#download-trace').addEventListener('click', () =>
    downloadTrace(view.shown).catch((error) => {
      status.textContent = `the trace could not be made: ${error.message}`;
    }),
  );
  warnPastCores(form);
  renderEnvironment($('#environment dl'), lab);
  setRunning(false);

  $('#run-shared').addEventListener('click', () => run(readForm(form, fields)));
  /** Shows a share link's figures (`fragment`, without `#`) and its settings in the form: whether it could. */
  const showShared = async (fragment) => {
    const shared = await openShared(lab, fragment);
    if (!shared) return false;
    writeForm(form, fields, shared.values);
    experimentOf(shared.values.experiment).picked?.(form, { fromLink: Boolean(shared.values.code) });
    history.replaceState(null, '', `${withEmbed(urlFromValues(shared.values, fields))}#${fragment}`);
    showSnippet();
    view.clicks.push(shared);
    await view.show();
    return true;
  };
  // A room's box of pasted figures (the Python room's, from threadlab.py) asks for them here.
  document.addEventListener('threadlab:share', (event) => {
    event.detail.shown = showShared(event.detail.fragment);
  });
  if (location.hash.startsWith('#share=') && (await showShared(location.hash.slice(1)))) {
    return prepareWhenIdle(form, fields);
  }

  // The URL's values are checked as given (the form can only show known modes), and run if asked to.
  const params = new URLSearchParams(location.search);
  // Some experiments wait for the visitor (Python code from a link runs only when they ask).
  if (params.get('autorun') === '1' && !experimentOf(fromUrl.experiment).waits?.(fromUrl)) return runValues(fromUrl);
  if (params.size) showErrors(form, (await lab.check(fromUrl)).errors ?? []);
  prepareWhenIdle(form, fields);
}

/**
 * Runs the form's `values` as one click. Its experiment's `before` hook may say how long it takes, or ask to run it
 * once more with other values (scaling's smaller n: `chosen`, they were picked, so they are not asked about again).
 */
async function runValues(values, chosen = false) {
  setRunning(true);
  // The answer comes in the card: bring it into view (not in a frame, where that would scroll the host's page).
  if (!document.body.classList.contains('embed')) $('#answer').scrollIntoView({ block: 'nearest' });
  status.textContent = 'checking…';
  const began = performance.now();
  let label = '';
  const tick = setInterval(
    () => (status.textContent = `${label} · ${((performance.now() - began) / 1000).toFixed(1)} s`),
    100,
  );
  try {
    const checked = await lab.check(values);
    showErrors(form, checked.errors ?? []);
    if (checked.errors) {
      status.textContent = 'nothing ran: see the messages in the form';
      return;
    }
    const { experiment, plans } = checked;
    const own = experimentOf(experiment);
    const said = chosen ? {} : ((await own.before?.(lab, plans, { say: (text) => (label = text), ask, form })) ?? {});
    if (said.values) {
      const instead = { ...values, ...said.values };
      writeForm(form, fields, instead);
      history.replaceState(null, '', withEmbed(urlFromValues(instead, fields)));
      clearInterval(tick); // the click runs afresh, with a clock of its own
      return await runValues(instead, true);
    }
    const about = said.about ?? '';
    const click = newClick(values, experiment);
    view.clicks.push(click);
    const total = plans.length * (plans[0].options.repeats + 1);
    $('#progress').max = total;
    const progress = ({ index, count, mode, repeat, repeats, starting, options }) => {
      const name = own.runName?.(options, page) ?? mode;
      const step = starting
        ? `starting ${starting === 1 ? "CPython's interpreter" : `${starting} CPython interpreters`} (the first time: about 6 MB to load, a few seconds)`
        : repeat
          ? `repeat ${repeat} of ${repeats}`
          : 'warm-up';
      label = `running ${name} (${index + 1} of ${count}), ${step}${about}`;
      $('#progress').value = index * (repeats + 1) + repeat;
    };
    const ran = async (run) => {
      await own.afterRun?.(lab, click);
      if (run) {
        view.shown = run;
        postResult(run);
      }
      await view.show();
      await painted(); // drawing the charts must not share the cores with the next mode's timed runs
    };
    const next = own.next && ((rest) => own.next(lab, click, rest, { say: (text) => (label = text) }));
    await runClick(lab, click, plans, { progress, ran, next });
    clearInterval(tick); // before the last word on the status line, which the clock would overwrite
    $('#progress').value = total;
    status.textContent = `done in ${((performance.now() - began) / 1000).toFixed(1)} s`;
    $('#announce').textContent = announcement(click);
    const room = click.report?.[experiment];
    if (room && click.runs.length) postExperiment(experiment, { ...room, env: click.runs[0].env });
    // Once the click is over (measuring the floor starts workers of its own).
    spawnNote(click).catch((error) => {
      $('#spawn-note').textContent = `A bare worker's start could not be measured: ${error.message}`;
    });
  } catch (error) {
    clearInterval(tick);
    status.textContent = error.message === 'cancelled' ? 'cancelled' : `stopped: ${error.message}`;
  } finally {
    clearInterval(tick);
    setRunning(false);
  }
}

/**
 * Under the table: the spawn of the click's processes, against what as many bare workers take to start at once here
 * (a browser may start workers one after another: k processes' floor is k bare workers', not one's).
 */
async function spawnNote(click) {
  const spawns = click.runs.filter((run) => spawned.has(run.mode) && run.repeats.spawnMs);
  if (!spawns.length) return;
  const floors = [];
  for (const run of spawns) floors.push(await lab.workerFloor(run.workers));
  const each = spawns.map(
    (run, i) =>
      `${ms(run.repeats.spawnMs.median)} ms at k = ${run.workers} (` +
      `${run.workers === 1 ? 'a bare worker' : `${run.workers} bare workers at once`}: ${ms(floors[i].ms)} ms)`,
  );
  // A floor is only said to be one where it is under every spawn it is the floor of (bare workers timed while the
  // page is busy can take longer than the spawn they stand under).
  const under = spawns.every((run, i) => floors[i].ms <= run.repeats.spawnMs.median);
  $('#spawn-note').textContent = under
    ? "Processes' spawn, against what as many bare workers take to start in this browser (medians of 5), the " +
      `floor no fresh worker can start under, whatever it then loads: ${each.join(', ')}.`
    : "Processes' spawn, beside what as many bare workers took to start in this browser after the click (medians " +
      `of 5): ${each.join(', ')}. Some bare workers took longer than the spawn: the page was busier when they ` +
      'were timed, so they set no floor here.';
}

/**
 * Asks the visitor to choose (`choices`, buttons after `text`) and resolves with the index picked, or -1 when the
 * click is cancelled meanwhile.
 */
function ask(text, choices) {
  const box = $('#ask');
  return new Promise((resolve) => {
    const done = (index) => {
      box.hidden = true;
      $('#cancel').removeEventListener('click', cancelled);
      resolve(index);
    };
    const cancelled = () => done(-1);
    $('#cancel').addEventListener('click', cancelled);
    const buttons = choices.map((choice, index) =>
      el('button', { type: 'button', onclick: () => done(index) }, [choice]),
    );
    box.replaceChildren(el('span', {}, [text]), ' ', ...buttons);
    box.hidden = false;
    buttons.at(-1).focus();
  }).then((index) => {
    if (index === -1) throw new Error('cancelled');
    return index;
  });
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
    const checked = await lab.check(readForm(form, fields));
    if (checked.plans && !running) await lab.prepare(checked.plans[0].options.workers).catch(() => {}); // a run reports it
  });
}

async function downloadTrace(run) {
  save(
    new Blob([await lab.trace(run)], { type: 'application/json' }),
    `threadlab-${run.mode}-${workName(run)}.trace.json`,
  );
}

function setRunning(on) {
  running = on;
  for (const button of document.querySelectorAll('#run, #start button, #run-shared')) button.disabled = on;
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
