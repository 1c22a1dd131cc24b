// The headers that make a page cross-origin isolated, which wasm threads need: without them browsers refuse to
// share wasm memory between workers. Sent by the dev and preview servers (vite.config.js), added by the service
// worker on hosts that send no headers (sw.js), and written into the _headers file that ships for hosts that read
// it (Netlify, Cloudflare Pages; made at build by vite.config.js).
//
// At the top level, COOP and COEP (every engine). In an iframe, whose parent (a blog) is not isolated, COEP alone
// does not isolate; Document-Isolation-Policy does, in Chromium-based browsers. COEP is require-corp rather than
// credentialless: everything the page loads is its own, and its requests elsewhere are CORS requests, which both
// allow; require-corp also works in Safari, which has no credentialless.
export const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Document-Isolation-Policy': 'isolate-and-require-corp',
};
