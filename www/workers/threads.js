// The threads build, in a dedicated worker: rayon's pool must not be driven from the page's main thread, where it
// would spin-wait and compete with its own threads for the cores. One pool per worker: the page starts a new worker
// when the number of threads changes.
import init, * as core from '../pkg/threads/threadlab.js';
import { serve } from './serve.js';

let poolSize = 0;

// Starts the pool on first use and returns its spawn span, to be charged to that run.
async function startPool(k) {
  if (poolSize === k) return {};
  if (poolSize) throw new Error(`this worker's pool has ${poolSize} threads, not ${k}`);
  const start = core.now_ms();
  await core.initThreadPool(k);
  poolSize = k;
  return { start, end: core.now_ms() };
}

serve(init().then(core.warm_up), {
  threads: async ({ n, workers }) => {
    const { start, end } = await startPool(workers);
    return core.run_threads(n, workers, start, end);
  },
  gil: async ({ n, workers, switchMs }) => {
    const { start, end } = await startPool(workers);
    return core.run_gil(n, workers, switchMs, start, end);
  },
});
