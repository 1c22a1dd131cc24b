// The lab: checks what it is given through the core, runs each plan where the core says it runs, repeated, and
// reads the results; also `window.threadlab`, the JS API (main.js).
//
// Every CPU mode computes with one compiled module: the threads build where the page can share memory, the plain
// build elsewhere. The page compiles it once and hands it to each worker, which instantiates its own memory from
// it: the core worker (single, threads and gil, and every check), and the fresh workers of processes. The io worker
// (plain build) makes the requests of the io modes and reads and writes share links.

import { now } from './clock.js';
import { Endpoint } from './endpoint.js';
import { bareStarts } from './floor.js';
import { Core } from './pool.js';
import { inFreshWorkers, payloadOf } from './processes.js';
import { Remote } from './remote.js';

const WASM = {
  plain: new URL('../pkg/plain/threadlab_bg.wasm', import.meta.url),
  threads: new URL('../pkg/threads/threadlab_bg.wasm', import.meta.url),
};

const cancelled = () => new Error('cancelled');

/** The longest one run (one repeat) may take before it is stopped: past it, something is wrong or far too big. */
const LIMIT_MS = 5 * 60_000;

/** Options as JSON for the core to check. */
function plainData(options) {
  try {
    // JSON has no Infinity or NaN: they would arrive as null, which means "the default". Send them by name, for the
    // core to refuse.
    return JSON.stringify(options ?? null, (_, value) =>
      typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
    );
  } catch {
    throw new Error('options must be plain data, like { mode: "single", n: 30, workers: 2 }');
  }
}

export class Lab {
  /** Whether wasm threads run here, and why not (support.js). */
  support;
  /** The build every CPU mode computes with. */
  build;
  /** See LIMIT_MS; the tests shorten it. */
  limitMs = LIMIT_MS;

  // Which page a worker works for: a panic on a pool thread is reported on a channel every tab of the site hears.
  #session = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  #panicNextJob = false; // the tests' way to make a run panic (see fault.rs)
  #modules = {}; // build → its compiled WebAssembly.Module (a promise)
  #core = new Core(async (warm) => ({ ...(await this.#loading(this.build)), warm }));
  #io = new Remote(
    'io',
    () => new Worker(new URL('../workers/core.js', import.meta.url), { type: 'module', name: 'io' }),
    () => this.#loading('plain'),
  );
  #endpoint;
  #description = null;
  #floors = new Map(); // what k bare workers take to start here, by k (see workerFloor)
  #hosts = null; // the interpreters' workers, kept from one run to the next (hosts.js, loaded with their first run)
  #queue = Promise.resolve(); // runs never overlap: each waits for the one before
  #generation = 0; // bumped by cancel(), so that queued runs do not start
  #stop = new AbortController(); // aborted by cancel(): stops the fresh workers of the run in progress
  #python = null; // CPython's interpreters (python/cpython.js), loaded with the first run in CPython

  /**
   * `support`: whether threads run here (support.js). `noServiceWorker`: why this page cannot have a service worker,
   * if isolation.js found it cannot (see endpoint.js).
   */
  constructor(support, noServiceWorker = null) {
    this.support = support;
    this.build = support.ok ? 'threads' : 'plain';
    // A worker is controlled by the service worker only if its page was when it started: start the io worker afresh.
    this.#endpoint = new Endpoint(noServiceWorker, () => this.#io.stop('restarted under the service worker'));
    // A thread of the pool that panics cannot fail a call: it reports here, and the run it belongs to is stopped.
    new BroadcastChannel('threadlab:panic').onmessage = ({ data }) => {
      const { session, message } = JSON.parse(data);
      if (session === this.#session) this.#stopRun(new Error(`a thread of the pool ${message}`));
    };
  }

  /** Called with `{ threads, ms }` whenever a thread pool has started (its start is never part of a run). */
  set onPool(listener) {
    this.#core.onPool = listener;
  }

  /**
   * The whole description with its words (each mode's Python, each experiment's about), for the JS API: the io
   * worker's plain build keeps them, which the threads build leaves out (see `prose` in crate/src/modes.rs).
   * `available` is the page's (this build's) own.
   */
  async describeInWords() {
    const [ours, words] = await Promise.all([this.describe(), this.#io.call('describe').then(JSON.parse)]);
    const modes = words.modes.map((info, i) => ({ ...info, available: ours.modes[i].available }));
    return { ...words, build: ours.build, modes };
  }

  /** The modes (each with whether it can run here), the fields and the URL parameters, as the core lists them. */
  async describe() {
    this.#description ??= this.#core.call('describe').then(JSON.parse);
    return this.#description.catch((error) => {
      this.#description = null;
      throw error;
    });
  }

  /**
   * Checks the form's raw values (strings, as typed or from the URL), or with `door` 'scaling' the options of
   * `window.threadlab.scaling`: `{ experiment, plans }` or `{ errors }`.
   */
  async check(values, door = 'text') {
    return JSON.parse(await this.#core.call('check', plainData(values), door));
  }

  /** What a door of the JS API was given, checked: `{ experiment, plans }`, or an Error naming the first bad field. */
  async plan(options, door) {
    const checked = await this.check(options, door);
    if (checked.errors) throw Object.assign(new Error(checked.errors[0].message), { field: checked.errors[0].field });
    return checked;
  }

  /**
   * About how long the `plans` of `experiment` take from one job measured at `jobMs`, and a smaller n when that is
   * long: `{ ms, smallerN }`, or null where the experiment does not say.
   */
  async estimate(plans, experiment, jobMs) {
    const runs = JSON.stringify(plans.map((plan) => plan.options));
    const cores = navigator.hardwareConcurrency || 1;
    return JSON.parse(await this.#io.call('estimate', runs, experiment, jobMs, cores));
  }

  /**
   * What the runs of one click of `experiment` measured, read from each run's summary on the machine that ran them:
   * every speedup, and the article's findings or the scaling points.
   */
  async report(runs, experiment = 'article') {
    const cores = runs[0]?.env.hardwareConcurrency ?? (navigator.hardwareConcurrency || 1);
    // Read by the plain build (the io worker's): the first load stays without the rules and their words.
    const summaries = runs.map(({ mode, work, repeats, correct, engine, python, convoy, copyMs }) => ({
      mode,
      work,
      wallMs: repeats.wallMs,
      correct,
      engine: engine ?? 'rust',
      outcome: python?.outcome,
      spawnMs: repeats.spawnMs ?? undefined,
      convoy: convoy ?? undefined,
      copyMs: copyMs ?? undefined,
    }));
    return JSON.parse(await this.#io.call('report', JSON.stringify(summaries), experiment, cores));
  }

  /** A run as Chrome trace-event JSON text (opens in ui.perfetto.dev and chrome://tracing), by the plain build. */
  async trace(run) {
    return this.#io.call('chrome_trace', JSON.stringify(run));
  }

  /** A share link's fragment for one click: `{ settings, runs }` (made by the io worker's plain build). */
  async share(click) {
    return this.#io.call('share_link', JSON.stringify(click));
  }

  /** Reads a share link's fragment: `{ settings, runs }`, or `{ error }` with one sentence for the visitor. */
  async readShare(fragment) {
    return JSON.parse(await this.#io.call('read_share', fragment, this.#endpoint.base));
  }

  /**
   * Starts the core worker and, where threads run, a pool of `threads` threads, so that no run waits for them.
   * Called when the page is idle; a run with another number of threads re-sizes the pool first.
   */
  prepare(threads) {
    return this.#enqueue(async () => {
      await this.#core.call('describe');
      if (this.build === 'threads') await this.#core.pooled(threads);
    });
  }

  /**
   * Runs one mode (the JS API's options): one untimed warm-up run, then `repeats` timed runs, resolved as the
   * median run with every repeat's figures. Rejects with an Error naming the bad field, or saying why the mode
   * cannot run here. `onProgress({ mode, repeat, repeats })` is told as each run starts (repeat 0 is the warm-up).
   */
  run(options, onProgress = () => {}) {
    return this.#enqueue(async () => this.#repeated(await this.#checked(options), onProgress));
  }

  /** Runs a plan that `check` made, as `run` does. */
  runPlan(plan, onProgress = () => {}) {
    return this.#enqueue(() => this.#repeated(plan, onProgress));
  }

  /** Stops whatever runs and whatever waits to; their `run` calls reject with "cancelled". */
  cancel() {
    this.#generation++;
    this.#stopRun(cancelled());
  }

  /**
   * What the lab holds between runs: its live workers (the core worker and its pool's threads, the io worker, the
   * interpreters' hosts) and the size of their wasm memories, in bytes (a host keeps none: each job's instance goes
   * with its job). Runs use fresh workers besides, which end with their run.
   */
  async usage() {
    const remotes = [this.#core, this.#io].filter((remote) => remote.running);
    const sizes = await Promise.all(remotes.map((remote) => remote.call('memoryBytes')));
    const hosts = (await this.#hosts?.catch(() => null))?.size ?? 0;
    const workers = remotes.length + (this.#core.running ? this.#core.poolSize : 0) + hosts;
    return { workers, wasmBytes: sizes.reduce((sum, size) => sum + size, 0) };
  }

  /**
   * What `count` bare workers take to start at once in this browser (floor.js), measured once per count: `{ ms,
   * samples, count, parts: { worker, script } }`, the medians of its five starts and of each worker's two parts.
   * No `count` fresh workers of a run can start faster. `count`: the workers field's range (the core's description).
   */
  async workerFloor(count = 1) {
    const { min, max } = (await this.describe()).fields.find((field) => field.name === 'workers');
    if (!Number.isInteger(count) || count < min || count > max)
      throw new Error(`workerFloor: count must be a whole number from ${min} to ${max}, got ${String(count)}`);
    const median = async (values) => (await this.range(values)).median;
    const measured = async () => {
      const { samples, starts, scripts } = await bareStarts(count);
      const parts = { worker: await median(starts), script: await median(scripts) };
      return { ms: await median(samples), samples, count, parts };
    };
    if (!this.#floors.has(count)) this.#floors.set(count, this.#enqueue(measured));
    return this.#floors.get(count).catch((error) => {
      this.#floors.delete(count);
      throw error;
    });
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
    this.#hosts?.then(
      (hosts) => hosts.drop(),
      () => {},
    );
    this.#python?.then((python) => python.stop(error.message));
  }

  /**
   * What CPython's interpreters took to start: `{ first, later }`, the first start (with its wasm's download and
   * compile) and the range of the later ones (null for none), or null when none started.
   */
  async pythonStarts() {
    if (!this.#python) return null;
    const [first, ...later] = (await this.python()).starts;
    if (!first) return null;
    return {
      first,
      later: later.length ? { count: later.length, ...(await this.range(later.map((s) => s.ms))) } : null,
    };
  }

  /** The n at which the Rust's job takes as long as CPython's fib(n) did (`cpythonMs`), from the Rust's at n. */
  async calibratedN(n, cpythonMs, rustMs) {
    return this.#io.call('calibrated_n', n, cpythonMs, rustMs);
  }

  /** The median and range of `samples` (ms), taken by the core as every run's are: `{ median, min, max }`. */
  async range(samples) {
    return JSON.parse(await this.#io.call('range', samples));
  }

  /** CPython's interpreters (loaded on first use: nothing of CPython is in the first load). */
  python() {
    this.#python ??= import('../python/cpython.js').then(({ Cpython }) => new Cpython());
    return this.#python.catch((error) => {
      this.#python = null;
      throw new Error(`CPython could not be loaded (${error.message}); everything else works as before`);
    });
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

  /** The API's options, checked by the core: their plan, or an Error naming the bad field. */
  async #checked(options) {
    return (await this.plan(options, 'api')).plans[0];
  }

  /**
   * One warm-up and `repeats` timed runs of a plan, by the runner of where its jobs run (`plan.runsIn`, the core's
   * tag), in the worker that keeps them and gives their summary: the median run.
   */
  async #repeated(plan, onProgress) {
    const { options, available, runsIn, count, requests } = plan;
    if (!available) throw new Error(`${options.mode} is unavailable here: ${this.support.reason}`);
    const resolved = requests ? await this.#endpoint.resolve(options) : options;
    const { worker, once } = await this.#runners[runsIn](resolved, { count, requests }, onProgress);
    const signal = this.#stop.signal;
    for (let repeat = 0; repeat <= options.repeats; repeat++) {
      onProgress({ mode: options.mode, repeat, repeats: options.repeats });
      await this.#limited(() => once(repeat === 0), signal);
    }
    return JSON.parse(await worker.call('summary'));
  }

  /**
   * Where a plan's jobs run (crate/src/engines/runs.rs, `RunsIn`) → `(options, { count, requests }, onProgress)` to
   * the worker that keeps its repeats and `once(warmup)`, one run.
   */
  #runners = {
    core: (options, { count }) => this.#inWorker(this.#core, options, count),
    io: (options) => this.#inWorker(this.#io, options, 0),
    'fresh-workers': (options, { count }) => this.#fresh(this.#core, this.build, 'process', options, count),
    'fresh-workers-until-first': (options, { count }) =>
      this.#fresh(this.#core, this.build, 'process', options, count, { untilFirst: true }),
    'fresh-io-workers': (options, { count }) => this.#fresh(this.#io, 'plain', 'io worker', options, count),
    // Interpreters run in hosts kept running, as an InterpreterPoolExecutor's threads: none starts while the timer
    // runs (the first run starts them before it).
    hosts: (options, { count }) =>
      this.#fresh(this.#core, this.build, 'interpreter', options, count, { hosts: () => this.#interpreterHosts() }),
    cpython: (options, { count, requests }, onProgress) => this.#inPython(options, count, requests, onProgress),
  };

  /** Runs in `worker` itself, on a pool of `threads` threads first where it is more than 0. */
  #inWorker(worker, options, threads) {
    const json = JSON.stringify(options);
    const once = async (warmup) => {
      if (threads) await this.#core.pooled(threads);
      if (this.#takePanic()) await worker.call('panic_next_job');
      return worker.call('run', json, this.#endpoint.base, warmup);
    };
    return { worker, once };
  }

  /**
   * Runs each of `count` jobs in a fresh worker of `build` called `name` (or in one of the hosts kept running that
   * `hosts()` resolves to, once there are `count`); `worker` puts their jobs together and keeps the run.
   */
  #fresh(worker, build, name, options, count, { untilFirst = false, hosts = null } = {}) {
    const json = JSON.stringify(options);
    const signal = this.#stop.signal;
    const once = async (warmup) => {
      const kept = await hosts?.();
      await kept?.ready(count, signal);
      // The payload each job must read, made before the timer starts; each worker gets a copy of it.
      const task = { options: json, base: this.#endpoint.base, payload: payloadOf(options.payloadMb) };
      const { started, jobs } = await this.#inFreshWorkers(build, count, name, task, signal, untilFirst, kept);
      return worker.call('assemble', json, this.#endpoint.base, started, jobs, 'null', warmup);
    };
    return { worker, once };
  }

  /**
   * A run in CPython (`options`, its endpoint resolved): its interpreters started first (`starting` told to
   * `onProgress`), then one repeat at a time run in them and put together by the io worker (the plain build): its
   * runner.
   */
  async #inPython(options, interpreters, requests, onProgress) {
    const python = await this.python();
    const json = JSON.stringify(options);
    const { base } = this.#endpoint;
    const urls = requests ? JSON.parse(await this.#io.call('request_urls', json, base)) : [];
    onProgress({ mode: options.mode, repeat: 0, repeats: options.repeats, starting: interpreters });
    await this.#limited(() => python.prepare(interpreters), this.#stop.signal);
    const once = async (warmup) => {
      const { started, jobs, python: how } = await python.run(options, urls);
      return this.#io.call('assemble', json, base, started, jobs, JSON.stringify(how), warmup);
    };
    return { worker: this.#io, once };
  }

  /** One run, stopped if it takes longer than the limit, or when the run in progress is stopped (`signal`). */
  async #limited(once, signal) {
    let timer;
    let onAbort;
    const stopped = new Promise((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort);
      const limit = `stopped: one run took longer than ${this.limitMs / 1000} s, the limit (something is stuck, or the run is far too big: lower n, workers or requests)`;
      timer = setTimeout(() => this.#stopRun(new Error(limit)), this.limitMs);
    });
    try {
      return await Promise.race([once(), stopped]);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * `count` fresh workers of `build`, each given the compiled module and `task`, started together: when they were
   * started, and each one's jobs, as a JSON array of arrays. The tests' panic, if asked for, goes to the first of
   * them. `untilFirst`: the others compute round after round until the first has answered (the convoy's processes).
   */
  async #inFreshWorkers(build, count, name, task, signal, untilFirst = false, hosts = null) {
    const module = await this.#module(build);
    const panic = this.#takePanic();
    const started = now();
    const each = (index) => ({
      module,
      session: this.#session,
      panic: panic && index === 0,
      rounds: untilFirst && index > 0,
      ...task,
    });
    const jobs = await inFreshWorkers(build, count, name, each, signal, untilFirst, hosts);
    return { started, jobs: `[${jobs.join(',')}]` };
  }

  /** The interpreters' hosts, loaded once. */
  #interpreterHosts() {
    this.#hosts ??= import('./hosts.js').then(({ Hosts }) => new Hosts());
    return this.#hosts.catch((error) => {
      this.#hosts = null;
      throw new Error(`the interpreters' hosts could not be loaded (${error.message})`);
    });
  }

  #takePanic() {
    const panic = this.#panicNextJob;
    this.#panicNextJob = false;
    return panic;
  }

  /** What a worker serving `build` is loaded with (see workers/core.js). */
  async #loading(build) {
    return { build, module: await this.#module(build), session: this.#session, warm: false };
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
}
