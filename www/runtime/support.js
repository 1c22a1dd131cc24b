// Can this page run wasm threads? Cross-origin isolation is required (`notIsolated` says why the page is not, see
// isolation.js), and a real check follows: a shared WebAssembly.Memory can be created without isolation, but
// sending it to another context throws.
export function threadsSupport(notIsolated) {
  if (!globalThis.crossOriginIsolated) {
    return {
      ok: false,
      reason:
        `this page is not cross-origin isolated: ${notIsolated ?? 'it was served without the headers that do it'}. ` +
        'Without isolation the browser does not let workers share memory.',
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
