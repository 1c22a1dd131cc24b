// The lab: runs a mode in the right worker and returns its result. Also `window.threadlab`, the JS API.
import { Remote } from './remote.js';
import { threadsSupport } from './support.js';

export class Lab {
  support = threadsSupport();
  #conductor = new Remote('conductor', () =>
    new Worker(new URL('./workers/conductor.js', import.meta.url), { type: 'module', name: 'conductor' }));
  #threads = null; // { remote, workers }: a pool is sized once, so it is replaced when the count changes
  #description = null;
  #serverEndpoint = null; // whether the server answers the built-in endpoint (asked once)
  #serviceWorker = null;
  /** The built-in endpoint's base URL, next to the page (so it also works when the site lives in a folder). */
  endpointBase = new URL('api/users/', document.baseURI).href;

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
    if (info.work === 'io') return JSON.parse(await this.#conductor.call(mode, await this.#requests(checked.options)));
    const remote = info.build === 'threads' ? this.#threadsFor(mode, workers) : this.#conductor;
    return JSON.parse(await remote.call(mode, { n, workers, switchMs }));
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
      if (!navigator.serviceWorker) {
        throw new Error('the built-in endpoint needs a service worker here, and this page cannot have one: give a URL instead');
      }
      const controlled = Boolean(navigator.serviceWorker.controller);
      await navigator.serviceWorker.register(new URL('sw.js', document.baseURI), { type: 'module' });
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
      }
      // A worker is controlled only if its page was when it started: start the conductor afresh.
      if (!controlled) this.#conductor.stop('restarted under the service worker');
    })();
    return this.#serviceWorker.catch((error) => {
      this.#serviceWorker = null;
      throw error;
    });
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
