// The built-in endpoint, GET …/api/users/<name>?delay_ms=D: after D ms, a small JSON user, like the GitHub API
// the experiment called. Answered by the dev/preview server (vite.config.js) and, on static hosts, by the page's
// service worker (sw.js): both use this one function, so both answer alike.
export const MAX_DELAY_MS = 10_000;

/** What to answer to `url` (a URL under …/api/): `{ status, delayMs, body }`. */
export function answer(url) {
  if (!/\/api\/users\/[^/]+$/.test(url.pathname)) {
    return { status: 404, delayMs: 0, body: { error: 'no such endpoint: try api/users/<name>?delay_ms=100' } };
  }
  const raw = url.searchParams.get('delay_ms') ?? '0';
  const delayMs = Number(raw);
  if (!/^\d+$/.test(raw) || delayMs > MAX_DELAY_MS) {
    const error = `delay_ms must be a whole number from 0 to ${MAX_DELAY_MS} (got ${JSON.stringify(raw)})`;
    return { status: 400, delayMs: 0, body: { error } };
  }
  const login = decodeURIComponent(url.pathname.split('/').pop()) || 'octocat';
  return { status: 200, delayMs, body: { login, id: 583231, type: 'User', name: 'The Octocat', public_repos: 8 } };
}

/** The headers of an answer; `servedBy` says who answered ("server" or "service-worker"). */
export function headers(servedBy) {
  return {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    // Data only: nothing in an answer may ever run, or be shown as a page.
    'content-security-policy': "default-src 'none'",
    'x-content-type-options': 'nosniff',
    'x-threadlab-endpoint': servedBy,
  };
}
