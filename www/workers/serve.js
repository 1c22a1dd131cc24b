// The worker side of a remote (see ../remote.js): answers {id, op, args} with {id, value} or {id, error}.
// `ready` is the wasm instantiation; a call waits for it, and fails with its error if it failed.
export function serve(ready, handlers) {
  self.onmessage = async ({ data: { id, op, args } }) => {
    try {
      await ready;
      if (!Object.hasOwn(handlers, op)) throw new Error(`this worker cannot ${op}`);
      postMessage({ id, value: await handlers[op](args) });
    } catch (error) {
      postMessage({ id, error: error?.message ?? String(error) });
    }
  };
}
