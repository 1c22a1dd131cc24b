// The page: controls from the core's description, the URL as the state, runs one mode after another.
import { Lab } from './lab.js';
import { buildControls, readForm, showErrors, urlFromValues, valuesFromUrl, writeForm } from './ui/controls.js';
import { runNote, timelineChart, wallChart } from './ui/charts.js';
import { renderResults } from './ui/results.js';

const DEFAULT_MODES = 'single,threads,processes';

const lab = new Lab();
window.threadlab = {
  run: (options) => lab.run(options),
  cancel: () => lab.cancel(),
  describe: () => lab.describe(),
  support: lab.support,
};

const $ = (selector) => document.querySelector(selector);
const form = $('#controls');
const status = $('#status');
const entries = [];
let running = false;

if (!lab.support.ok) {
  $('#support').hidden = false;
  $('#support').textContent = `threads and gil are unavailable: ${lab.support.reason} single and processes still run.`;
}

start().catch((error) => {
  status.textContent = `threadlab could not start: ${error.message}`;
  status.className = 'error';
});

async function start() {
  const description = await lab.describe();
  const { fields } = description;
  buildControls(form, description, lab.support);
  writeForm(form, fields, valuesFromUrl(location.search, fields, DEFAULT_MODES));

  const drawWalls = wallChart($('#walls'));
  const drawTimeline = timelineChart($('#timeline'), description.modes);
  const show = () => {
    renderResults($('#results tbody'), entries);
    const runs = entries.filter((e) => e.run).map((e) => e.run);
    $('#charts').hidden = runs.length === 0;
    if (!runs.length) return;
    drawWalls(runs);
    drawTimeline(runs.at(-1));
    $('#run-note').textContent = runNote(runs.at(-1));
  };

  form.addEventListener('input', () => history.replaceState(null, '', urlFromValues(readForm(form, fields), fields)));
  form.addEventListener('input', () => warnPastCores(form));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!running) runValues(readForm(form, fields), show);
  });
  $('#cancel').addEventListener('click', () => lab.cancel());
  $('#clear').addEventListener('click', () => ((entries.length = 0), show()));
  $('#download-trace').addEventListener('click', () =>
    downloadTrace(entries.findLast((e) => e.run).run).catch((error) => {
      status.textContent = `the trace could not be made: ${error.message}`;
    }));
  warnPastCores(form);
  $('#run').disabled = false;

  // The URL's values are checked as given (the form can only show known modes), and run if asked to.
  const params = new URLSearchParams(location.search);
  if (params.size) {
    const fromUrl = valuesFromUrl(location.search, fields, DEFAULT_MODES);
    if (params.get('autorun') === '1') await runValues(fromUrl, show);
    else showErrors(form, (await lab.checkForm(fromUrl)).errors ?? []);
  }
}

async function runValues(values, show) {
  setRunning(true);
  status.textContent = 'checking…';
  const began = performance.now();
  let label = '';
  const tick = setInterval(() => (status.textContent = `${label} · ${((performance.now() - began) / 1000).toFixed(1)} s`), 100);
  try {
    const checked = await lab.checkForm(values);
    showErrors(form, checked.errors ?? []);
    if (checked.errors) {
      status.textContent = 'nothing ran: see the messages above';
      return;
    }
    for (const [i, options] of checked.runs.entries()) {
      label = `running ${options.mode} (${i + 1} of ${checked.runs.length})`;
      try {
        entries.push({ run: await lab.run(options) });
      } catch (error) {
        if (error.message === 'cancelled') throw error;
        entries.push({ mode: options.mode, message: error.message });
      }
      show();
    }
    status.textContent = `done in ${((performance.now() - began) / 1000).toFixed(1)} s`;
  } catch (error) {
    status.textContent = error.message === 'cancelled' ? 'cancelled' : `stopped: ${error.message}`;
  } finally {
    clearInterval(tick);
    setRunning(false);
  }
}

async function downloadTrace(run) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([await lab.trace(run)], { type: 'application/json' }));
  const work = run.io ? `${run.io.requests}requests` : `fib${run.n}x${run.workers}`;
  link.download = `threadlab-${run.mode}-${work}.trace.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

function setRunning(on) {
  running = on;
  $('#run').disabled = on;
  $('#cancel').disabled = !on;
  document.body.classList.toggle('running', on);
}

function warnPastCores(form) {
  const cores = navigator.hardwareConcurrency || 1;
  const workers = Number(form.elements.workers.value);
  $('#workers-warning').textContent =
    workers > cores ? `more workers than this machine's ${cores} cores: they will take turns on the cores` : '';
}
