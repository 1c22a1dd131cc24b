// The lab: runs a mode in the right worker and returns its result. Also `window.threadlab`, the JS API.
import { Remote } from './remote.js';
import { threadsSupport } from './support.js';

export class Lab {
  support = threadsSupport();
  #conductor = new Remote('conductor', () =>
    new Worker(new URL('./workers/conductor.js', import.meta.url), { type: 'module', name: 'conductor' }));
  #threads = null; // { remote, workers }: a pool is sized once, so it is replaced when the count changes
  #description = null;

  /** The modes and fields, as the core lists them. */
  async describe() {
    this.#description ??= this.#conductor.call('describe').then(JSON.parse);
    return this.#description;
  }

  /** Checks the form's raw values (strings, as typed or from the URL): `{runs}` or `{errors}`. */
  async checkForm(form) {
    return JSON.parse(await this.#conductor.call('checkForm', JSON.stringify(form)));
  }

  /** A run as Chrome trace-event JSON text (opens in ui.perfetto.dev and chrome://tracing). */
  async trace(run) {
    return this.#conductor.call('trace', JSON.stringify(run));
  }

  /** Runs one mode. Rejects with an Error naming the bad field, or saying why the mode cannot run here. */
  async run(options) {
    let json;
    try {
      json = JSON.stringify(options ?? null);
    } catch {
      throw new Error('options must be plain data, like { mode: "single", n: 30, workers: 2 }');
    }
    const checked = JSON.parse(await this.#conductor.call('checkRun', json));
    if (checked.error) throw Object.assign(new Error(checked.error.message), { field: checked.error.field });
    const { modes } = await this.describe();
    const { mode, n, workers, switchMs } = checked.options;
    const info = modes.find((m) => m.mode === mode);
    const remote = info.build === 'threads' ? this.#threadsFor(mode, workers) : this.#conductor;
    return JSON.parse(await remote.call(mode, { n, workers, switchMs }));
  }

  /** Stops whatever runs; its `run` rejects with "cancelled". */
  cancel() {
    this.#conductor.stop('cancelled');
    this.#threads?.remote.stop('cancelled');
    this.#threads = null;
    this.#description = null;
  }

  #threadsFor(mode, workers) {
    if (!this.support.ok) throw new Error(`${mode} is unavailable here: ${this.support.reason}`);
    if (this.#threads?.workers !== workers) {
      this.#threads?.remote.stop('replaced by a pool of another size');
      const remote = new Remote('threads', () =>
        new Worker(new URL('./workers/threads.js', import.meta.url), { type: 'module', name: 'threads' }));
      this.#threads = { remote, workers };
    }
    return this.#threads.remote;
  }
}
