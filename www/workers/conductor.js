// The page's main worker (plain build): describes the modes, checks inputs, runs single and the io modes, and
// runs processes and io-workers by starting fresh workers (./process.js), each with its own wasm instance and
// memory, talking only by messages.
import init, * as core from '../pkg/plain/threadlab.js';
import { serve } from './serve.js';

serve(init().then(core.warm_up), {
  describe: () => core.describe(),
  checkRun: (json) => core.check_run(json),
  checkForm: (json) => core.check_form(json),
  trace: (runJson) => core.chrome_trace(runJson),
  single: ({ n, workers }) => core.run_single(n, workers),
  processes: async ({ n, workers }) => {
    const started = core.now_ms();
    const jobs = await inFreshWorkers(workers, 'process', () => ({ task: 'fib', n }));
    return core.assemble_processes(n, workers, started, `[${jobs.join(',')}]`);
  },
  'io-sequential': ({ options, base }) => core.run_io(options, base),
  'io-concurrent': ({ options, base }) => core.run_io(options, base),
  'io-workers': async ({ options, base }) => {
    const { workers, requests } = JSON.parse(options);
    const started = core.now_ms();
    // A worker beyond the K-th would have no request to make.
    const shares = await inFreshWorkers(Math.min(workers, requests), 'io worker', () => ({ task: 'io', options, base }));
    const jobs = shares.flatMap((share) => JSON.parse(share));
    return core.assemble_io(options, base, started, JSON.stringify(jobs));
  },
});

// Starts `count` fresh workers at once, like multiprocessing.Process(...).start(), sends each its task with its
// index and creation time (its spawn lasts until its wasm is ready), and waits for all their answers.
async function inFreshWorkers(count, name, task) {
  const running = Array.from({ length: count }, (_, index) => {
    const created = core.now_ms();
    const worker = new Worker(new URL('./process.js', import.meta.url), { type: 'module', name: `${name} ${index}` });
    const answer = new Promise((resolve, reject) => {
      worker.onmessage = ({ data }) => (data.error ? reject(new Error(`${name} ${index}: ${data.error}`)) : resolve(data.result));
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`${name} ${index} died: ${event.message || 'its script failed to load'}`));
      };
    });
    worker.postMessage({ ...task(index), index, created });
    return { worker, answer };
  });
  try {
    return await Promise.all(running.map((r) => r.answer));
  } finally {
    for (const { worker } of running) worker.terminate();
  }
}
