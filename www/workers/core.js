// A worker that serves the core: the core worker (the build every CPU mode computes with: threads where the page can
// share memory, plain otherwise) and the io worker (the plain build, whose futures can await a fetch; loaded when
// first needed) are both this script. It answers {id, op, args} by calling the wasm export `op` with `args`, with
// {id, value} or {id, error}, and `broken: true` after a Rust panic, when this worker must not be used again (its
// memory may be half-updated). The first call is `load`; every other call waits for it, and fails if it failed.
// No wasm runs on the page's main thread: rayon's pool would spin-wait there and compete with its threads for cores.
import { onUncaughtPanic, panicked } from './panic.js';

let core;
let memory;
let pool = null; // { size, started: a promise of how long the start took }

/** Instantiates `build` from the page's compiled `module`; the first instance of a module warms its code up. */
async function load({ build, module, session, warm }) {
  // Two literal imports, so that the bundler ships both builds' glue; only the one asked for is loaded.
  core = build === 'threads' ? await import('../pkg/threads/threadlab.js') : await import('../pkg/plain/threadlab.js');
  ({ memory } = await core.default({ module_or_path: module }));
  core.set_session(session);
  // Compiled code is shared by every instance of one module: warming one instance up warms them all.
  if (warm) core.warm_up();
}

/** What this worker does besides calling the core's exports. */
const own = {
  // Starts a pool of k threads, once, outside any timed run; answers how long it took, or null if it was running.
  // A pool cannot be resized: the page starts a new core worker when the number of threads changes.
  startPool: async (k) => {
    if (pool?.size === k) {
      await pool.started;
      return null;
    }
    if (pool) throw new Error(`this worker's pool has ${pool.size} threads, not ${k}`);
    const start = performance.now();
    pool = { size: k, started: core.initThreadPool(k).then(() => performance.now() - start) };
    pool.started.catch(() => {
      pool = null;
    });
    return pool.started;
  },
  memoryBytes: () => memory.buffer.byteLength,
};

onUncaughtPanic((panic) => postMessage({ error: panic, broken: true }));
let loaded = Promise.reject(new Error('this worker was not loaded'));
loaded.catch(() => {});
self.onmessage = async ({ data: { id, op, args = [] } }) => {
  try {
    if (op === 'load') loaded = load(...args);
    await loaded;
    if (op === 'load') return void postMessage({ id, value: null });
    const call = Object.hasOwn(own, op) ? own[op] : typeof core[op] === 'function' ? core[op] : null;
    if (!call) throw new Error(`this worker's build cannot ${op}`);
    postMessage({ id, value: await call(...args) });
  } catch (error) {
    const panic = panicked();
    postMessage({ id, error: panic ?? error?.message ?? String(error), broken: Boolean(panic) });
  }
};
