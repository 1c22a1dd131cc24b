// threadlab's service worker, for hosts that cannot send headers (GitHub Pages and the like). It does two things:
// - it makes the pages it serves cross-origin isolated, by adding the headers a server would send (isolation.js
//   registers it and reloads the page once);
// - it answers the built-in endpoint where no server does. It answers only the requests the page marks
//   `via=worker`, so on the dev and preview servers both endpoints can be compared.
import { answer, headers } from './api-users.js';
import { ISOLATION } from './isolation-headers.js';

const ENDPOINT = new URL('api/users/', self.registration.scope).pathname;

self.addEventListener('install', () => self.skipWaiting());
// Claim the open page without holding activation open on it: in Firefox, claim() does not settle on a page that has
// dedicated workers, and a service worker still activating makes every fetch it would see wait (the page's, and
// its new workers' scripts), forever.
self.addEventListener('activate', () => void self.clients.claim());

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  const { mode, destination } = event.request;
  // The page, and its workers' scripts: an isolated page may only start workers whose scripts say COEP too.
  if (url.origin === location.origin && (mode === 'navigate' || destination === 'worker')) {
    event.respondWith(isolated(event.request));
  } else if (
    url.origin === location.origin &&
    url.pathname.startsWith(ENDPOINT) &&
    url.searchParams.get('via') === 'worker'
  ) {
    event.respondWith(respond(url));
  }
});

/** The page (or a worker's script) as the host sent it, with the isolation headers added. */
async function isolated(request) {
  const response = await fetch(request);
  if (response.type === 'opaqueredirect' || response.status === 0) return response;
  const withIsolation = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION)) withIsolation.set(name, value);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: withIsolation,
  });
}

async function respond(url) {
  const { status, delayMs, body } = answer(url);
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  return new Response(JSON.stringify(body), { status, headers: headers('service-worker') });
}
