// The lab: runs a mode where it belongs, repeats it, and reads the results. Also `window.threadlab`, the JS API.
//
// Every CPU mode computes with one compiled module: the threads build where the page can share memory, the plain
// build elsewhere. The page compiles it once and hands it to each worker, which instantiates its own memory from
// it: the core worker (single, threads and gil, and every check), and the fresh workers of processes.
import { Remote } from './remote.js';
import { underServiceWorker } from './isolation.js';
import { inFreshWorkers, now } from './processes.js';

const WASM = {
  plain: new URL('./pkg/plain/threadlab_bg.wasm', import.meta.url),
  threads: new URL('./pkg/threads/threadlab_bg.wasm', import.meta.url),
};

const cancelled = () => new Error('cancelled');

/** How long starting a thread pool may take (it takes 20-100 ms) before it is tried again in a fresh worker. */
const POOL_START_MS = 5_000;

/** The core worker's calls that only answer a question: asked outside the queue of runs, and safe to ask again. */
const ASKING = ['describe', 'checkForm', 'checkRun', 'report', 'trace'];

/** The longest one run (one repeat) may take before it is stopped: past it, something is wrong or far too big. */
const LIMIT_MS = 5 * 60_000;

export class Lab {
  /** Whether wasm threads run here, and why not (support.js). */
  support;
  /** The build every CPU mode computes with. */
  build;
  /** Called with `{ threads, ms }` whenever a thread pool has started (its start is never part of a run). */
  onPool = () => {};
  /** The built-in endpoint's base URL, next to the page (so it also works when the site lives in a folder). */
  endpointBase = new URL('api/users/', document.baseURI).href;
  /** See LIMIT_MS; the tests shorten it. */
  limitMs = LIMIT_MS;

  // Which page a worker works for: a panic on a pool thread is reported on a channel every tab of the site hears.
  #session = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  #panicNextJob = false; // the tests' way to make a run panic (see fault.rs)
  #modules = {}; // build → its compiled WebAssembly.Module (a promise)
  #warm = false; // whether an instance of the module has warmed its compiled code up
  #poolSize = 0;
  #poolRestarts = 0; // how many times a pool that did not start was given up with its worker (see #pooled)
  // Each `new Worker(new URL(...))` is written out whole: that is the form the bundler recognises as a worker.
  #core = new Remote(
    'core',
    () => new Worker(new URL('./workers/core.js', import.meta.url), { type: 'module', name: 'core' }),
    async () => ({
      build: this.build,
      module: await this.#module(this.build),
      warm: !this.#warm,
      session: this.#session,
    }),
  );
  // The requests of io-sequential and io-concurrent: plain build (see workers/io.js), loaded when first needed.
  #io = new Remote(
    'io',
    () => new Worker(new URL('./workers/io.js', import.meta.url), { type: 'module', name: 'io' }),
    async () => ({ module: await this.#module('plain'), session: this.#session }),
  );
  #description = null;
  #serverEndpoint = null; // whether the server answers the built-in endpoint (asked once)
  #serviceWorker = null;
  #noServiceWorker;
  #queue = Promise.resolve(); // runs never overlap: each waits for the one before
  #generation = 0; // bumped by cancel(), so that queued runs do not start
  #stop = new AbortController(); // aborted by cancel(): stops the fresh workers of the run in progress

  /**
   * `support`: whether threads run here (support.js). `noServiceWorker`: why this page cannot have a service worker,
   * if isolation.js found it cannot (the built-in endpoint then fails at once instead of waiting for one).
   */
  constructor(support, noServiceWorker = null) {
    this.support = support;
    this.#noServiceWorker = noServiceWorker;
    this.build = support.ok ? 'threads' : 'plain';
    // A thread of the pool that panics cannot fail a call: it reports here, and the run it belongs to is stopped.
    new BroadcastChannel('threadlab:panic').onmessage = ({ data }) => {
      const { session, message } = JSON.parse(data);
      if (session === this.#session) this.#stopRun(new Error(`a thread of the pool ${message}`));
    };
  }

  /** The modes and fields, as the core lists them. */
  async describe() {
    this.#description ??= this.#call('describe').then(JSON.parse);
    return this.#description.catch((error) => {
      this.#description = null;
      throw error;
    });
  }

  /** Checks the form's raw values (strings, as typed or from the URL): `{runs}` or `{errors}`. */
  async checkForm(form) {
    return JSON.parse(await this.#call('checkForm', JSON.stringify(form)));
  }

  /** The speedups and the article's findings for the runs of one click. */
  async report(runs) {
    return JSON.parse(await this.#call('report', JSON.stringify(runs)));
  }

  /** A run as Chrome trace-event JSON text (opens in ui.perfetto.dev and chrome://tracing). */
  async trace(run) {
    return this.#call('trace', JSON.stringify(run));
  }

  /** A share link's fragment for one click: `{ settings, runs }` (made by the io worker, see workers/io.js). */
  async share(click) {
    return this.#io.call('share', JSON.stringify(click));
  }

  /** Reads a share link's fragment: `{ settings, runs }`, or `{ error }` with one sentence for the visitor. */
  async readShare(fragment) {
    return JSON.parse(await this.#io.call('readShare', { fragment, base: this.endpointBase }));
  }

  /**
   * Starts the core worker and, where threads run, a pool of `threads` threads, so that no run waits for them.
   * Called when the page is idle; a run with another number of threads re-sizes the pool first.
   */
  prepare(threads) {
    return this.#enqueue(async () => {
      await this.#call('describe');
      if (this.build === 'threads') await this.#pooled(threads);
    });
  }

  /**
   * Runs one mode: one untimed warm-up run, then `repeats` timed runs, resolved as the median run with every
   * repeat's figures. Rejects with an Error naming the bad field, or saying why the mode cannot run here.
   * `onProgress({ mode, repeat, repeats })` is told as each run starts (repeat 0 is the warm-up).
   */
  run(options, onProgress = () => {}) {
    return this.#enqueue(() => this.#repeated(options, onProgress));
  }

  /** Stops whatever runs and whatever waits to; their `run` calls reject with "cancelled". */
  cancel() {
    this.#generation++;
    this.#stopRun(cancelled());
  }

  /**
   * What the lab holds between runs: its live workers (the core worker and its pool's threads, the io worker) and
   * the size of their wasm memories, in bytes. Runs use fresh workers besides, which end with their run.
   */
  async usage() {
    const remotes = [this.#core, this.#io].filter((remote) => remote.running);
    const sizes = await Promise.all(remotes.map((remote) => remote.call('memoryBytes')));
    const workers = remotes.length + (this.#core.running ? this.#poolSize : 0);
    return { workers, wasmBytes: sizes.reduce((sum, size) => sum + size, 0) };
  }

  /**
   * Whether a mode can run on this page: a mode of the threads build needs shared memory, unless it has a way to run
   * without (gil: its jobs take turns on one worker).
   */
  canRun(info) {
    return info.build !== 'threads' || this.build === 'threads' || Boolean(info.withoutSharedMemory);
  }

  /** For the browser tests only (the page offers it in test builds): the next run's first job panics. */
  panicNextJob() {
    this.#panicNextJob = true;
  }

  /** Stops the run in progress and every worker it uses; it rejects with `error`. Fresh workers replace them. */
  #stopRun(error) {
    this.#stop.abort(error);
    this.#stop = new AbortController();
    this.#core.stop(error.message);
    this.#io.stop(error.message);
    this.#poolSize = 0;
  }

  /** Runs `task` after everything queued before it, unless cancel() is called first. */
  #enqueue(task) {
    const generation = this.#generation;
    const result = this.#queue.then(() => {
      if (generation !== this.#generation) throw cancelled();
      return task();
    });
    this.#queue = result.catch(() => {});
    return result;
  }

  async #repeated(raw, onProgress) {
    const options = await this.#checked(raw);
    const { modes } = await this.describe();
    const info = modes.find((m) => m.mode === options.mode);
    const signal = this.#stop.signal;
    const once = info.work === 'io' ? await this.#ioRun(options, signal) : this.#cpuRun(options, info, signal);
    onProgress({ mode: options.mode, repeat: 0, repeats: options.repeats });
    const warmup = await this.#limited(once, signal);
    const runs = [];
    for (let repeat = 1; repeat <= options.repeats; repeat++) {
      onProgress({ mode: options.mode, repeat, repeats: options.repeats });
      runs.push(await this.#limited(once, signal));
    }
    return JSON.parse(await this.#call('summarize', `{"warmup":${warmup},"runs":[${runs.join(',')}]}`));
  }

  /** One run, stopped if it takes longer than the limit, or when the run in progress is stopped (`signal`). */
  async #limited(once, signal) {
    let timer, onAbort;
    const stopped = new Promise((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort);
      timer = setTimeout(
        () =>
          this.#stopRun(
            new Error(
              `stopped: one run took longer than ${this.limitMs / 1000} s, ` +
                'the limit (something is stuck, or the run is far too big: lower n, workers or requests)',
            ),
          ),
        this.limitMs,
      );
    });
    try {
      return await Promise.race([once(), stopped]);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  async #checked(options) {
    let json;
    try {
      // JSON has no Infinity or NaN: they would arrive as null, which means "the default". Send them by name, for
      // the core to refuse.
      json = JSON.stringify(options ?? null, (_, value) =>
        typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
      );
    } catch {
      throw new Error('options must be plain data, like { mode: "single", n: 30, workers: 2 }');
    }
    const checked = JSON.parse(await this.#call('checkRun', json));
    if (checked.error) throw Object.assign(new Error(checked.error.message), { field: checked.error.field });
    return checked.options;
  }

  /** One run of a CPU mode (its JSON text), as a function to repeat. */
  #cpuRun({ mode, n, workers, switchMs }, info, signal) {
    if (!this.canRun(info)) throw new Error(`${mode} is unavailable here: ${this.support.reason}`);
    if (mode === 'processes') {
      return async () => {
        const { started, jobs } = await this.#inFreshWorkers(
          this.build,
          workers,
          'process',
          { task: 'fib', n },
          signal,
        );
        return this.#call('assembleProcesses', { n, workers, started, jobs });
      };
    }
    const pooled = info.build === 'threads' && this.build === 'threads';
    // Without shared memory, gil's jobs take turns on the core worker instead (see cpu::gil_in_turns).
    const op = info.build === 'threads' && !pooled ? 'gilInTurns' : mode;
    return async () => {
      if (pooled) await this.#pooled(workers);
      if (this.#takePanic()) await this.#call('panicNextJob');
      return this.#call(op, { n, workers, switchMs });
    };
  }

  /** One run of an io mode (its JSON text), as a function to repeat. */
  async #ioRun(options, signal) {
    const args = await this.#requests(options);
    if (options.mode !== 'io-workers') {
      return async () => {
        if (this.#takePanic()) await this.#io.call('panicNextJob');
        return this.#io.call(options.mode, args);
      };
    }
    // One fresh worker per request, as the article starts a thread per request.
    return async () => {
      const { started, jobs } = await this.#inFreshWorkers(
        'plain',
        options.requests,
        'io worker',
        { task: 'io', ...args },
        signal,
      );
      return this.#io.call('assembleIo', { ...args, started, jobs });
    };
  }

  /**
   * `count` fresh workers of `build`, each given the compiled module and `task`, started together: when they were
   * started, and their jobs as a JSON array. The tests' panic, if asked for, goes to the first of them.
   */
  async #inFreshWorkers(build, count, name, task, signal) {
    const module = await this.#module(build);
    const panic = this.#takePanic();
    const started = now();
    const each = (index) => ({ module, session: this.#session, panic: panic && index === 0, ...task });
    const jobs = await inFreshWorkers(build, count, name, each, signal);
    return { started, jobs: `[${jobs.join(',')}]` };
  }

  #takePanic() {
    const panic = this.#panicNextJob;
    this.#panicNextJob = false;
    return panic;
  }

  /**
   * A call to the core worker; once it has answered, its module's code is warm for every later instance. A question
   * that changes nothing (see ASKING) is asked again when a pool that did not start took the worker down meanwhile.
   */
  async #call(op, args) {
    const restarts = this.#poolRestarts;
    const answer = await this.#core.call(op, args).catch((error) => {
      if (restarts === this.#poolRestarts || !ASKING.includes(op)) throw error;
      return this.#core.call(op, args);
    });
    this.#warm = true;
    return answer;
  }

  /**
   * Makes sure the core worker has a pool of exactly `threads` threads. A pool that has not started within
   * POOL_START_MS is given up with its worker, and started once more in a fresh one: Firefox now and then never
   * finishes starting a pool while another page holds one.
   */
  async #pooled(threads, retry = true) {
    if (this.#poolSize && this.#poolSize !== threads) this.#core.stop('the thread pool was re-sized');
    let timer;
    const late = new Promise((resolve) => (timer = setTimeout(() => resolve('late'), POOL_START_MS)));
    const ms = await Promise.race([this.#call('startPool', threads), late]).finally(() => clearTimeout(timer));
    if (ms === 'late') {
      this.#poolRestarts++;
      this.#core.stop('the thread pool did not start');
      this.#poolSize = 0;
      if (retry) return this.#pooled(threads, false);
      throw new Error(
        `the thread pool did not start within ${POOL_START_MS / 1000} s, twice. Other pages with ` +
          'threads (another threadlab tab) can keep the browser from starting more: close them and run again',
      );
    }
    this.#poolSize = threads;
    if (ms !== null) this.onPool({ threads, ms });
  }

  /** The build's module, fetched and compiled once. */
  #module(build) {
    this.#modules[build] ??= (async () => {
      const response = await fetch(WASM[build]);
      if (!response.ok) throw new Error(`the ${build} wasm could not be loaded (HTTP ${response.status})`);
      return WebAssembly.compile(await response.arrayBuffer()).catch((error) => {
        throw new Error(`the ${build} wasm could not be compiled (${error.message})`);
      });
    })();
    return this.#modules[build].catch((error) => {
      delete this.#modules[build];
      throw error;
    });
  }

  /** An io run's arguments: its options with the endpoint resolved, and the endpoint's base URL. */
  async #requests(options) {
    let { endpoint } = options;
    if (options.url === null) {
      if (endpoint === 'auto') endpoint = (await this.#serverAnswers()) ? 'server' : 'worker';
      if (endpoint === 'worker') await this.#underServiceWorker();
    }
    return { options: JSON.stringify({ ...options, endpoint }), base: this.endpointBase };
  }

  /** Does the server answer the built-in endpoint (the dev and preview servers do, a static host does not)? */
  #serverAnswers() {
    this.#serverEndpoint ??= fetch(`${this.endpointBase}probe?delay_ms=0`, { cache: 'no-store' }).then(
      (response) => response.headers.get('x-threadlab-endpoint') === 'server',
      () => false,
    );
    return this.#serverEndpoint;
  }

  /** Registers the service worker that answers the built-in endpoint, and waits until it controls the page. */
  #underServiceWorker() {
    this.#serviceWorker ??= (async () => {
      const cannot = this.#noServiceWorker ?? (navigator.serviceWorker ? null : 'this page cannot have one');
      if (cannot)
        throw new Error(`the built-in endpoint needs a service worker on this host, and ${cannot}: give a URL instead`);
      const controlled = Boolean(navigator.serviceWorker.controller);
      await underServiceWorker().catch((error) => {
        throw new Error(
          `the service worker that answers the built-in endpoint failed: ${error.message}. Reload the page, or give a URL instead`,
        );
      });
      // A worker is controlled only if its page was when it started: start the io worker afresh.
      if (!controlled) this.#io.stop('restarted under the service worker');
    })();
    return this.#serviceWorker.catch((error) => {
      this.#serviceWorker = null;
      throw error;
    });
  }
}
