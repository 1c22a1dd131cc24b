// The page's main worker (plain build): describes the modes, checks inputs, runs single, and runs processes by
// starting one fresh worker per job, each with its own wasm instance and memory (./process.js).
import init, * as core from '../pkg/plain/threadlab.js';
import { serve } from './serve.js';

serve(init().then(core.warm_up), {
  describe: () => core.describe(),
  checkRun: (json) => core.check_run(json),
  checkForm: (json) => core.check_form(json),
  trace: (runJson) => core.chrome_trace(runJson),
  single: ({ n, workers }) => core.run_single(n, workers),
  processes: ({ n, workers }) => processes(n, workers),
});

async function processes(n, k) {
  const started = core.now_ms();
  const running = Array.from({ length: k }, (_, index) => spawnProcess(n, index));
  try {
    const jobs = await Promise.all(running.map((process) => process.job));
    return core.assemble_processes(n, k, started, `[${jobs.join(',')}]`);
  } finally {
    for (const process of running) process.worker.terminate();
  }
}

// Like multiprocessing.Process(target=fib, args=(n,)).start(): the spawn is timed from here to the moment the
// new worker's wasm is ready (see process_job).
function spawnProcess(n, index) {
  const created = core.now_ms();
  const worker = new Worker(new URL('./process.js', import.meta.url), { type: 'module', name: `process ${index}` });
  const job = new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => (data.error ? reject(new Error(`process ${index}: ${data.error}`)) : resolve(data.job));
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(`process ${index} died: ${event.message || 'its script failed to load'}`));
    };
  });
  worker.postMessage({ n, index, created });
  return { worker, job };
}
