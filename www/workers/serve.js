// The worker side of a remote (see ../remote.js): answers {id, op, args} with {id, value} or {id, error}, and
// `broken: true` after a Rust panic, when this worker must not be used again (its memory may be half-updated).
// The first call is `load` (instantiating the wasm module it is given); every other call waits for it, and fails
// with its error if it failed.
import { onUncaughtPanic, panicked } from './panic.js';

export function serve(load, handlers) {
  onUncaughtPanic((panic) => postMessage({ error: panic, broken: true }));
  let loaded = Promise.reject(new Error('this worker was not loaded'));
  loaded.catch(() => {});
  self.onmessage = async ({ data: { id, op, args } }) => {
    try {
      if (op === 'load') loaded = load(args);
      await loaded;
      if (op === 'load') return void postMessage({ id, value: null });
      if (!Object.hasOwn(handlers, op)) throw new Error(`this worker cannot ${op}`);
      postMessage({ id, value: await handlers[op](args) });
    } catch (error) {
      const panic = panicked();
      postMessage({ id, error: panic ?? error?.message ?? String(error), broken: Boolean(panic) });
    }
  };
}

/**
 * The glue of a wasm build, instantiated from an already compiled module for the page's `session`: `{ core, memory }`
 * (the instance's wasm memory, whose size the page watches over long sessions).
 */
export async function instantiate(build, module, session) {
  // Two literal imports, so that the bundler ships both builds' glue; only the one asked for is loaded.
  const core =
    build === 'threads' ? await import('../pkg/threads/threadlab.js') : await import('../pkg/plain/threadlab.js');
  const { memory } = await core.default({ module_or_path: module });
  core.set_session(session);
  return { core, memory };
}
