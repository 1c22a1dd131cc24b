// The Python experiment: its room (the program in an editor, python/editor.js, loaded with the room; CPython's ratios
// beside the emulation's in words, the core's, experiments/python.rs; what the interpreters took to start, and a
// failed run's traceback) and its exports. The runs go through lab.js, in CPython's interpreters
// (python/cpython.js).
import { $, fillWords } from '../../ui/el.js';
import { ms, workName } from '../../ui/results.js';

let editor = null; // a promise of the editor, once the room has opened
let ownWired = false; // whether the part for the visitor's own Python is loaded (or loading)

/**
 * Shows the room with the editor holding the form's code (`fromLink`: the code came with the address or a share
 * link, and is not run until the visitor asks). Nothing of CPython loads before a run asks for it.
 */
function openPython(form, { fromLink = false } = {}) {
  $('#python').hidden = false;
  $('#python-from-link').hidden = !fromLink;
  // Loaded with the room, as the editor is: only the visitors of this room need it.
  if (!ownWired) {
    ownWired = true;
    import('./own.js').then(
      ({ ownPython }) => ownPython(form),
      (error) => {
        ownWired = false;
        $('#python-own-status').textContent = `this part could not be loaded (${error.message}): open the room again`;
      },
    );
  }
  editor ??= import('../../python/editor.js').then(({ makeEditor }) => {
    const made = makeEditor($('#python-editor'), form.elements.code);
    $('#python-reset').addEventListener('click', () => made.reset());
    $('#python-reset').disabled = false;
    return made;
  });
  return editor.then(
    (made) => made.show(form.elements.code.value),
    (error) => {
      editor = null;
      $('#python-status').textContent = `the editor could not be loaded (${error.message}): the Rust modes still run`;
    },
  );
}

/** The room for a Python click: its words, its tracebacks, and the interpreters' starts (`starts`: lab's). */
function renderPython(click, starts) {
  fillWords($('#python-words'), click.report?.python?.words ?? []);
  const failed = click.entries.filter((entry) => !entry.run && entry.python);
  $('#python-error').hidden = !failed.length;
  $('#python-error').textContent = failed.map((entry) => `${entry.mode}:\n${entry.message}`).join('\n');
  $('#python-starts').textContent = startsText(starts);
}

/**
 * What CPython's interpreters took to start (`lab.pythonStarts()`): the first (with the download and compile of its
 * wasm), then the others' median.
 */
export function startsText(starts) {
  if (!starts) return '';
  const { first, later } = starts;
  const memory = first.heapBytes ? `, about ${Math.round(first.heapBytes / 2 ** 20)} MB of wasm memory each` : '';
  const rest = later
    ? `, then ${ms(later.median)} ms each for ${later.count} more (median), from a snapshot of the first's memory`
    : '';
  return (
    `CPython's first interpreter started in ${ms(first.ms)} ms (fetching and compiling its wasm, once)${rest}` +
    `${memory}: before any timer, as a ProcessPoolExecutor is created before the work it is given.`
  );
}

/**
 * Before the Rust's runs, once CPython's have run: the Rust's n is set to the one whose job takes as long as CPython's
 * single job did (measured here, the Rust at CPython's n), so that a spawn weighs the same in both. `rest`: the plans
 * still to run; resolves with the ones to run.
 */
async function calibrate(lab, click, rest, { say }) {
  const cpython = click.runs.find((run) => run.engine === 'python' && run.mode === 'single' && run.correct);
  // Only fib's n is set so (a run has no n for sha256, which CPython's hashlib computes in C, as the Rust does).
  if (click.calibration || !cpython?.n || !rest.length || rest[0].options.engine === 'python') return rest;
  say(`timing the Rust's fib(${cpython.n}) to run it at the n where a job takes as long as in CPython`);
  const probe = { ...rest[0], options: { ...rest[0].options, mode: 'single', workers: 1, repeats: 3 } };
  const measured = await lab.runPlan({ ...probe, pool: null, fresh: null });
  const job = (run) => run.repeats.wallMs.median / run.workers;
  const n = await lab.calibratedN(cpython.n, job(cpython), job(measured));
  click.calibration = { from: cpython.n, n };
  if (n === cpython.n) return rest;
  const checked = await lab.plan({ ...click.values, n: String(n) }, 'text');
  return checked.plans.filter((plan) => plan.options.engine !== 'python');
}

export const python = {
  name: 'python',
  room: 'python',
  /** Its room stays open once opened: it holds the editor. */
  keepsRoom: true,
  render: (_, click) => renderPython(click, click.pythonStarts),
  /** Picked in the form, the URL or a share link: the room opens (`fromLink`: with code from the link). */
  picked: openPython,
  /** Its button runs the program as the editor holds it. */
  fromButton: (values, form) => ({ ...values, code: form.elements.code.value }),
  /** Code from a link runs only when the visitor asks. */
  waits: (values) => Boolean(values.code),
  before: async (_, __, { form }) => {
    $('#python-from-link').hidden = true; // read, and run by the visitor
    await openPython(form);
    return {};
  },
  afterRun: async (lab, click) => {
    click.pythonStarts = await lab.pythonStarts();
  },
  runName: ({ mode, engine, n }) => (engine === 'python' ? `${mode} in CPython` : `${mode} in Rust at fib(${n})`),
  next: calibrate,
  table: (click) => ({ label: 'real CPython beside the emulation', words: click.report?.python?.words ?? [] }),
  fileName: (click) => ['threadlab-python', ...new Set(click.runs.map(workName))].join('-'),
};
