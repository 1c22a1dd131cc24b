// The interpreters mode's workers, loaded with its first run (nothing of it is in the first load).
import { awaited, unlessAborted } from './processes.js';

/**
 * The interpreters' hosts: workers of the threads build kept running from one run to the next, as an
 * InterpreterPoolExecutor keeps its threads, each making a fresh wasm instance for each job it is sent
 * (workers/interpreter.js). A host that fails, dies or is stopped is terminated and forgotten: the next run that
 * needs it starts another.
 */
export class Hosts {
  #workers = [];

  /** Resolves once `count` hosts are running, starting the missing ones (before any timer). */
  async ready(count, signal) {
    const started = [];
    const ready = Array.from({ length: Math.max(0, count - this.#workers.length) }, (_, index) => {
      const name = `interpreter host ${this.#workers.length + index}`;
      const worker = new Worker(new URL('../workers/interpreter.js', import.meta.url), { type: 'module', name });
      // A host that dies between runs is not sent the next run's job.
      worker.addEventListener('error', () => this.drop([worker]));
      started.push(worker);
      return awaited(worker, name, (data) => data.ready);
    });
    try {
      await unlessAborted(Promise.all(ready), signal);
    } catch (error) {
      for (const worker of started) worker.terminate();
      throw error;
    }
    this.#workers.push(...started);
  }

  /** How many hosts are running. */
  get size() {
    return this.#workers.length;
  }

  /** The first `count` running hosts (after `ready(count)`). */
  running(count) {
    return this.#workers.slice(0, count);
  }

  /** Terminates `workers` (every host by default) and forgets them. */
  drop(workers = [...this.#workers]) {
    for (const worker of workers) worker.terminate();
    this.#workers = this.#workers.filter((worker) => !workers.includes(worker));
  }
}
