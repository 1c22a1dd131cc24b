// The built-in endpoint the io modes ask when no URL is given: answered by the dev and preview servers, or on a
// static host by the page's service worker. Which one answers is decided here, before any request is made.
import { underServiceWorker } from './isolation.js';

export class Endpoint {
  /** Its base URL, next to the page (so it also works when the site lives in a folder). */
  base = new URL('api/users/', document.baseURI).href;
  #server = null; // whether the server answers it (asked once)
  #serviceWorker = null;
  #noServiceWorker;
  #controlled;

  /**
   * `noServiceWorker`: why this page cannot have a service worker, if isolation.js found it cannot (the endpoint
   * then fails at once instead of waiting for one). `onControlled()`: told when the service worker has just taken
   * control of the page, so that the workers started before it are started afresh (only they are then controlled).
   */
  constructor(noServiceWorker, onControlled) {
    this.#noServiceWorker = noServiceWorker;
    this.#controlled = onControlled;
  }

  /** An io run's options with `endpoint: 'auto'` resolved, once whoever answers is ready. */
  async resolve(options) {
    let { endpoint } = options;
    if (options.url === null) {
      if (endpoint === 'auto') endpoint = (await this.#serverAnswers()) ? 'server' : 'worker';
      if (endpoint === 'worker') await this.#underServiceWorker();
    }
    return { ...options, endpoint };
  }

  /** Does the server answer the built-in endpoint (the dev and preview servers do, a static host does not)? */
  #serverAnswers() {
    this.#server ??= fetch(`${this.base}probe?delay_ms=0`, { cache: 'no-store' }).then(
      (response) => response.headers.get('x-threadlab-endpoint') === 'server',
      () => false,
    );
    return this.#server;
  }

  /** Registers the service worker that answers the built-in endpoint, and waits until it controls the page. */
  #underServiceWorker() {
    this.#serviceWorker ??= (async () => {
      const cannot = this.#noServiceWorker ?? (navigator.serviceWorker ? null : 'this page cannot have one');
      if (cannot) {
        throw new Error(`the built-in endpoint needs a service worker on this host, and ${cannot}: give a URL instead`);
      }
      const controlled = Boolean(navigator.serviceWorker.controller);
      await underServiceWorker().catch((error) => {
        throw new Error(
          `the service worker that answers the built-in endpoint failed: ${error.message}. Reload the page, or give a URL instead`,
        );
      });
      if (!controlled) this.#controlled();
    })();
    return this.#serviceWorker.catch((error) => {
      this.#serviceWorker = null;
      throw error;
    });
  }
}
