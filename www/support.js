// Can this page run wasm threads? Cross-origin isolation is required, and a real check follows: a shared
// WebAssembly.Memory can be created without isolation, but sending it to another context throws.
export function threadsSupport() {
  if (!globalThis.crossOriginIsolated) {
    return {
      ok: false,
      reason:
        'this page is not cross-origin isolated (it was served without the COOP/COEP headers, or is embedded in a ' +
        'page that is not isolated), so the browser does not let workers share memory. Open the playground ' +
        'directly, or serve it with npm run dev / npm run preview.',
    };
  }
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    new MessageChannel().port1.postMessage(memory);
  } catch (error) {
    return { ok: false, reason: `this browser cannot share wasm memory between workers (${error.message}).` };
  }
  return { ok: true, reason: '' };
}
