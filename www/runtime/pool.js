// The core worker (workers/core.js with the build every CPU mode computes with) and its thread pool. The pool is
// started ahead of the runs that use it, never inside one: a Python thread starts in well under a millisecond where
// a wasm thread (a Web Worker) takes tens, and that is the browser's cost, not the experiment's.
import { Remote } from './remote.js';

/**
 * How long starting a thread pool may take before it is given up, and how many fresh workers it is tried in. It takes
 * 20-100 ms, even with every core busy; but Firefox on such a machine now and then never finishes a start (2 in 10
 * beside two busy loops, each of them 30 ms in a fresh worker right after): four tries fail within 20 s.
 */
const POOL_START_MS = 5_000;
const POOL_TRIES = 4;

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
   * POOL_START_MS is given up with its worker, and started again in a fresh one, POOL_TRIES times in all: Firefox now
   * and then never finishes starting a pool on a busy machine, or while another page holds one.
   */
  async pooled(threads, tries = POOL_TRIES) {
    if (this.poolSize && this.poolSize !== threads) this.stop('the thread pool was re-sized');
    let timer;
    const late = new Promise((resolve) => {
      timer = setTimeout(() => resolve('late'), POOL_START_MS);
    });
    const ms = await Promise.race([this.call('startPool', threads), late]).finally(() => clearTimeout(timer));
    if (ms === 'late') {
      this.#restarts++;
      this.stop('the thread pool did not start');
      if (tries > 1) return this.pooled(threads, tries - 1);
      throw new Error(
        `the thread pool did not start within ${POOL_START_MS / 1000} s, ${POOL_TRIES} times. Other pages with ` +
          'threads (another threadlab tab) can keep the browser from starting more: close them and run again',
      );
    }
    this.poolSize = threads;
    if (ms !== null) this.onPool({ threads, ms });
  }
}
