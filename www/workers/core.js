// The core worker: the build every CPU mode computes with (threads when the page can share memory, plain
// otherwise), so single, threads, gil and processes all run the same compiled code. It checks inputs, runs single,
// threads and gil, and reads results (repeats, speedups, findings, traces). No wasm runs on the page's main thread:
// rayon's pool would spin-wait there and compete with its own threads for the cores.
import { instantiate, serve } from './serve.js';

let core;
let memory;
let pool = null; // { size, started: a promise of how long the start took }

serve(
  async ({ build, module, warm, session }) => {
    ({ core, memory } = await instantiate(build, module, session));
    // Compiled code is shared by every instance of one module: the first instance warms it up for all of them.
    if (warm) core.warm_up();
  },
  {
    describe: () => core.describe(),
    checkRun: (json) => core.check_run(json),
    checkForm: (json) => core.check_form(json),
    summarize: (json) => core.summarize(json),
    report: (json) => core.report(json),
    trace: (json) => core.chrome_trace(json),
    assembleProcesses: ({ n, workers, started, jobs }) => core.assemble_processes(n, workers, started, jobs),
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
      pool.started.catch(() => (pool = null));
      return pool.started;
    },
    single: ({ n, workers }) => core.run_single(n, workers),
    threads: ({ n, workers }) => core.run_threads(n, workers),
    gil: ({ n, workers, switchMs }) => core.run_gil(n, workers, switchMs),
    gilInTurns: ({ n, workers, switchMs }) => core.run_gil_in_turns(n, workers, switchMs),
    panicNextJob: () => core.panic_next_job(),
    memoryBytes: () => memory.buffer.byteLength,
  },
);
