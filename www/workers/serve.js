// The worker side of a remote (see ../remote.js): answers {id, op, args} with {id, value} or {id, error}.
// The first call is `load` (instantiating the wasm module it is given); every other call waits for it, and fails
// with its error if it failed.
export function serve(load, handlers) {
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
      postMessage({ id, error: error?.message ?? String(error) });
    }
  };
}

/** The glue of a wasm build, instantiated from an already compiled module. */
export async function instantiate(build, module) {
  // Two literal imports, so that the bundler ships both builds' glue; only the one asked for is loaded.
  const core = build === 'threads' ? await import('../pkg/threads/threadlab.js') : await import('../pkg/plain/threadlab.js');
  await core.default({ module_or_path: module });
  return core;
}
