// Fresh workers, started from the page like multiprocessing.Process(...).start(): each gets the wasm module the
// page compiled once and instantiates its own memory from it, so it starts in milliseconds and computes with the
// same (already optimised) code as every other mode. Its spawn lasts from its creation until its wasm is ready.
import { now } from './clock.js';

/** A fresh worker of `build` (each `new Worker(new URL(...))` written out whole, as the bundler needs). */
function fresh(build, name) {
  return build === 'threads'
    ? new Worker(new URL('../workers/process-threads.js', import.meta.url), { type: 'module', name })
    : new Worker(new URL('../workers/process-plain.js', import.meta.url), { type: 'module', name });
}

/**
 * Starts `count` fresh workers of `build` at once, sends each `task(index)` with its index and creation time, and
 * resolves with their answers (JSON text), in order. Aborting `signal` terminates them and rejects with its reason.
 * `untilFirst`: once the first has answered, the others are told to stop (they compute until then).
 */
export async function inFreshWorkers(build, count, name, task, signal, untilFirst = false) {
  const running = Array.from({ length: count }, (_, index) => {
    const created = now();
    const worker = fresh(build, `${name} ${index}`);
    const answer = new Promise((resolve, reject) => {
      worker.onmessage = ({ data }) =>
        data.error ? reject(new Error(`${name} ${index}: ${data.error}`)) : resolve(data.result);
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`${name} ${index} died: ${event.message || 'its script failed to load'}`));
      };
    });
    worker.postMessage({ ...task(index), index, created });
    return { worker, answer };
  });
  if (untilFirst) {
    const others = running.slice(1);
    running[0].answer.then(
      () => {
        for (const { worker } of others) worker.postMessage({ stop: true });
      },
      () => {},
    );
  }
  let stop;
  const stopped = new Promise((_, reject) => (stop = () => reject(signal.reason)));
  signal.addEventListener('abort', stop);
  if (signal.aborted) stop();
  try {
    return await Promise.race([Promise.all(running.map((r) => r.answer)), stopped]);
  } finally {
    signal.removeEventListener('abort', stop);
    for (const { worker } of running) worker.terminate();
  }
}
