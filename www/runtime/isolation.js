// Cross-origin isolation, which wasm threads need, on hosts that send no headers: the service worker (public/sw.js)
// adds the headers to the pages it serves, so a first visit registers it and reloads once. A reload that did not
// help is remembered for this tab and explained, never repeated.
const TRIED = 'threadlab:isolating-reload';

/**
 * Resolves with how this page is isolated (`{ isolated: true }`), or why it is not (`{ isolated: false, reason }`,
 * with `noServiceWorker` when the page cannot have one: the built-in endpoint then cannot be answered either); or
 * reloads the page, once, under the service worker.
 */
export async function isolate() {
  if (globalThis.crossOriginIsolated) {
    remember(false);
    return { isolated: true };
  }
  if (!navigator.serviceWorker) {
    const reason =
      'this page cannot have a service worker here (private browsing, or a setting), which would isolate it';
    return { isolated: false, reason, noServiceWorker: reason };
  }
  if (!storage()) {
    const reason =
      'the browser lets this page store nothing here (as private windows do for embedded pages), so no ' +
      'service worker can isolate it';
    return { isolated: false, reason, noServiceWorker: reason };
  }
  if (tried()) {
    return {
      isolated: false,
      reason:
        "even with the service worker's headers, this browser did not isolate the page (in an iframe, only Chromium-based browsers can)",
    };
  }
  try {
    await underServiceWorker();
  } catch (error) {
    const reason = `the service worker that would isolate it could not start (${error.message})`;
    return { isolated: false, reason, noServiceWorker: reason };
  }
  remember(true);
  location.reload();
  return new Promise(() => {}); // the page is reloading
}

/**
 * Registers the site's service worker (which also answers the built-in endpoint, see lab.js) and resolves once it
 * controls the page. A deployed update is always fetched afresh (updateViaCache: 'none'), never from a cache.
 */
export async function underServiceWorker() {
  await navigator.serviceWorker.register(new URL('sw.js', document.baseURI), {
    type: 'module',
    updateViaCache: 'none',
  });
  if (navigator.serviceWorker.controller) return;
  await new Promise((resolve, reject) => {
    navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true });
    setTimeout(() => reject(new Error('it did not take control within 5 s')), 5_000);
  });
}

/** This tab's sessionStorage, or null where the browser denies storage (then nothing is tried: no reload loop). */
function storage() {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

function tried() {
  return storage().getItem(TRIED) !== null;
}

function remember(reloading) {
  try {
    if (reloading) storage()?.setItem(TRIED, '1');
    else storage()?.removeItem(TRIED);
  } catch {
    // storage full or gone: tried() then finds nothing, and the next visit tries once more
  }
}
