// threadlab's service worker: answers the built-in endpoint where no server does (a static host). It answers only
// the requests the page marks `via=worker`, so on the dev and preview servers both endpoints can be compared.
import { answer, headers } from './api-users.js';

const ENDPOINT = new URL('api/users/', self.registration.scope).pathname;

self.addEventListener('install', () => self.skipWaiting());
// Claim the open page without holding activation open on it: in Firefox, claim() does not settle on a page that has
// dedicated workers, and a service worker still activating makes every fetch it would see wait (the page's, and
// its new workers' scripts), forever.
self.addEventListener('activate', () => void self.clients.claim());

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== location.origin || !url.pathname.startsWith(ENDPOINT) || url.searchParams.get('via') !== 'worker') return;
  event.respondWith(respond(url));
});

async function respond(url) {
  const { status, delayMs, body } = answer(url);
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  return new Response(JSON.stringify(body), { status, headers: headers('service-worker') });
}
