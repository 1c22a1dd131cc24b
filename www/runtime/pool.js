// The core worker (workers/core.js with the build every CPU mode computes with) and its thread pool. The pool is
// started ahead of the runs that use it, never inside one: a Python thread starts in well under a millisecond where
// a wasm thread (a Web Worker) takes tens, and that is the browser's cost, not the experiment's.
import { Remote } from './remote.js';

/**
 * How long starting a thread pool may take before it is tried again in a fresh worker: it takes 20-100 ms, but Firefox
 * on a machine whose cores are all busy was seen past 5 s; twice this still fails within half a minute.
 */
const POOL_START_MS = 15_000;

/** The calls that only answer a question: safe to ask again when a pool start took the worker down meanwhile. */
const ASKING = ['describe', 'check', 'report'];

export class Core {
  /** Called with `{ threads, ms }` whenever a thread pool has started (its start is never part of a run). */
  onPool = () => {};
  /** The threads of the running pool, 0 when none runs. */
  poolSize = 0;
  #remote;
  #warm = false; // whether an instance of the module has warmed its compiled code up
  #restarts = 0; // how many times a pool that did not start was given up with its worker (see pooled)

  /** `load()`: what a fresh core worker is loaded with (see workers/core.js), given whether it must warm up. */
  constructor(load) {
    // `new Worker(new URL(...))` is written out whole: that is the form the bundler recognises as a worker.
    const spawn = () => new Worker(new URL('../workers/core.js', import.meta.url), { type: 'module', name: 'core' });
    this.#remote = new Remote('core', spawn, () => load(!this.#warm));
  }

  get running() {
    return this.#remote.running;
  }

  /**
   * Calls the core worker; once it has answered, its module's code is warm for every later instance. A question
   * (see ASKING) is asked again when a pool that did not start took the worker down meanwhile.
   */
  async call(op, ...args) {
    const restarts = this.#restarts;
    const answer = await this.#remote.call(op, ...args).catch((error) => {
      if (restarts === this.#restarts || !ASKING.includes(op)) throw error;
      return this.#remote.call(op, ...args);
    });
    this.#warm = true;
    return answer;
  }

  /** Stops the worker and its pool; pending calls reject with `reason`. */
  stop(reason) {
    this.#remote.stop(reason);
    this.poolSize = 0;
  }

  /**
   * Makes sure the core worker has a pool of exactly `threads` threads. A pool that has not started within
   * POOL_START_MS is given up with its worker, and started once more in a fresh one: Firefox now and then never
   * finishes starting a pool while another page holds one.
   */
  async pooled(threads, retry = true) {
    if (this.poolSize && this.poolSize !== threads) this.stop('the thread pool was re-sized');
    let timer;
    const late = new Promise((resolve) => {
      timer = setTimeout(() => resolve('late'), POOL_START_MS);
    });
    const ms = await Promise.race([this.call('startPool', threads), late]).finally(() => clearTimeout(timer));
    if (ms === 'late') {
      this.#restarts++;
      this.stop('the thread pool did not start');
      if (retry) return this.pooled(threads, false);
      throw new Error(
        `the thread pool did not start within ${POOL_START_MS / 1000} s, twice. Other pages with ` +
          'threads (another threadlab tab) can keep the browser from starting more: close them and run again',
      );
    }
    this.poolSize = threads;
    if (ms !== null) this.onPool({ threads, ms });
  }
}
