// Real CPython, on demand: interpreters (Pyodide, one per worker), all started from one module the page compiles
// once, and all but the first from a snapshot of the first's memory, for the runs in CPython (lab.js loads this
// module only when a run asks for one). Interpreter 0 runs single, threads and the io modes; interpreters 0 to k-1
// are the processes, started ahead as a ProcessPoolExecutor is created before the timer, and kept for the next run.
// Every interpreter's start is measured and kept apart.
import { now } from '../runtime/clock.js';
import { Remote } from '../runtime/remote.js';
// The program threadlab writes: what a run in CPython runs when it is given no code.
import program from './program.py?raw';

/** The pyodide npm package's version (package.json pins it): its files are under assets/pyodide-<version>/. */
const PYODIDE = import.meta.env.PYODIDE_VERSION;

/** A failure of the visitor's program: Python's traceback, as text. */
class PythonError extends Error {
  name = 'PythonError';
}

export class Cpython {
  #indexURL = new URL(`assets/pyodide-${PYODIDE}/`, document.baseURI).href;
  #module = null;
  #remotes = [];
  #started = []; // each interpreter's start: a promise of { version, pthreads, startMs, heapBytes }
  #busy = new Set();
  #snapshot = null; // the first interpreter's memory, once CPython was up: the others start from it
  /** Every interpreter start so far, in the order they finished: `{ ms, heapBytes, first }`. */
  starts = [];

  /** Starts interpreters 0 to count-1 where they are not running, two at a time (more at once stall Firefox). */
  async prepare(count) {
    for (let i = 0; i < count; i += 2) await Promise.all([this.#ready(i), i + 1 < count && this.#ready(i + 1)]);
    return Promise.all(Array.from({ length: count }, (_, i) => this.#ready(i)));
  }

  /**
   * One run of `options` (a checked run in CPython; `urls`: its requests): `{ started, jobs, python }`, jobs as the
   * core's assemble takes them (JSON text, an array per interpreter). Rejects with a PythonError for a traceback.
   */
  async run(options, urls) {
    const { mode, n, work, mib, workers: k } = options;
    const code = options.code ?? program;
    const count = mode === 'processes' ? k : 1;
    const ready = await this.prepare(count);
    const call = (i, task) => this.#call(i, code, task);
    const started = now();
    const results =
      mode === 'processes'
        ? await Promise.all(ready.map((_, i) => call(i, { mode, n, work, mib, k, index: i })))
        : [await call(0, { mode, n, work, mib, k, urls })];
    const python = {
      version: ready[0].version,
      startMs: Math.max(...ready.map((info) => info.startMs)),
      outcome: results[0].outcome ?? undefined,
    };
    const jobs = `[${results.map((result) => JSON.stringify(result.jobs)).join(',')}]`;
    return { started: mode === 'processes' ? started : results[0].started, jobs, python };
  }

  /** Stops the interpreters that are running the program (an endless loop, say): the next run starts new ones. */
  stop(reason) {
    for (const i of this.#busy) {
      this.#remotes[i].stop(reason);
      this.#started[i] = null;
    }
    this.#busy.clear();
  }

  async #call(i, code, task) {
    this.#busy.add(i);
    try {
      const result = JSON.parse(await this.#remotes[i].call('run', code, task));
      // A wasm memory never shrinks: an interpreter that ran out of it is replaced.
      if (/^MemoryError\b/m.test(result.error ?? '')) {
        this.#remotes[i].stop('out of memory');
        throw new PythonError(`${result.error}\nThe interpreter ran out of memory: the next run starts a new one.`);
      }
      if (result.error) throw new PythonError(result.error);
      return result;
    } catch (error) {
      // Its worker stopped (the interpreter ended, or was stopped): the next run starts a new one, timed again.
      if (!this.#remotes[i].running) this.#started[i] = null;
      throw error;
    } finally {
      this.#busy.delete(i);
    }
  }

  /** Interpreter i, started: what its start took, timed from the page (its worker's script and Pyodide's load). */
  #ready(i) {
    this.#remotes[i] ??= new Remote(
      `CPython interpreter ${i}`,
      () => new Worker(new URL('../workers/python.js', import.meta.url), { type: 'module', name: `python ${i}` }),
      // The first interpreter makes the snapshot of a started CPython that every later one starts from (see
      // workers/python.js): interpreter 0, unless it is a new one after a cancel.
      async () => {
        if (!this.#snapshot && i > 0) await this.#ready(0);
        return { indexURL: this.#indexURL, module: await this.#compiled(), snapshot: this.#snapshot };
      },
    );
    this.#started[i] ??= (async () => {
      const created = now();
      const { snapshot, ...info } = await this.#remotes[i].call('started');
      this.#snapshot ??= snapshot;
      const ms = now() - created;
      this.starts.push({ ms, heapBytes: info.heapBytes, first: this.starts.length === 0 });
      return { ...info, startMs: ms };
    })().catch((error) => {
      this.#started[i] = null;
      this.#remotes[i].stop(error.message);
      throw new Error(`CPython could not start (${error.message}); everything else works as before`);
    });
    return this.#started[i];
  }

  /** pyodide.asm.wasm, fetched and compiled once for every interpreter. */
  #compiled() {
    this.#module ??= (async () => {
      const response = await fetch(new URL('pyodide.asm.wasm', this.#indexURL));
      if (!response.ok) throw new Error(`its files could not be loaded: HTTP ${response.status}`);
      return WebAssembly.compile(await response.arrayBuffer());
    })().catch((error) => {
      this.#module = null;
      throw error;
    });
    return this.#module;
  }
}
