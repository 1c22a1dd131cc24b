// Fresh workers, started from the page like multiprocessing.Process(...).start(): each gets the wasm module the
// page compiled once and instantiates its own memory from it, so it starts in milliseconds and computes with the
// same (already optimised) code as every other mode. Its spawn lasts from its creation until its wasm is ready.
// Interpreters run in hosts kept running (hosts.js): only the message and the fresh instance are inside the timer.
import { now } from './clock.js';

/** A fresh worker of `build` (each `new Worker(new URL(...))` written out whole, as the bundler needs). */
function fresh(build, name) {
  return build === 'threads'
    ? new Worker(new URL('../workers/process-threads.js', import.meta.url), { type: 'module', name })
    : new Worker(new URL('../workers/process-plain.js', import.meta.url), { type: 'module', name });
}

/**
 * The first message of fresh worker `label` that `wanted(data)` picks: its `result` (the job's JSON text, or nothing
 * for a `ready`); rejects with its own error, or its death. A worker that asks for its payload is sent a copy of
 * `payload` (structured-cloned, as multiprocessing pickles an argument).
 */
export function awaited(worker, label, wanted, payload = null) {
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      if (data.error) reject(new Error(`${label}: ${data.error}`));
      else if (data.wants === 'payload') worker.postMessage({ payload });
      else if (wanted(data)) resolve(data.result);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(`${label} died: ${event.message || 'its script failed to load'}`));
    };
  });
}

/** A payload of `mb` MiB whose byte i is i mod 256, as the core's `work::payload` makes it; null for none. */
export function payloadOf(mb) {
  if (!mb) return null;
  const bytes = new Uint8Array(mb << 20);
  for (let i = 0; i < 256; i++) bytes[i] = i;
  // Doubling copies: the pattern's 256 bytes fill the rest in a few calls.
  for (let filled = 256; filled < bytes.length; filled *= 2) bytes.copyWithin(filled, 0, filled);
  return bytes.buffer;
}

/** A worker's answer, past the `ready` every worker sends once its script has run (see hosts.js). */
const answered = (worker, label, payload) => awaited(worker, label, (data) => !data.ready, payload);

/** `promise`, or `signal`'s reason once it is aborted. */
export async function unlessAborted(promise, signal) {
  let stop;
  const stopped = new Promise((_, reject) => (stop = () => reject(signal.reason)));
  signal.addEventListener('abort', stop);
  if (signal.aborted) stop();
  try {
    return await Promise.race([promise, stopped]);
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/**
 * Sends `count` fresh workers of `build` (started now, or the running `hosts`, ready for `count`) each
 * `task(index)` with its index and the time it is sent, and resolves with their answers (JSON text), in order. A task
 * with a `payload` (an ArrayBuffer) sends each worker a copy of it when the worker asks.
 * Aborting `signal` terminates them and rejects with its reason. `untilFirst`: once the first has answered, the
 * others are told to stop (they compute until then). Fresh workers are terminated once answered, hosts kept.
 */
export async function inFreshWorkers(build, count, name, task, signal, untilFirst = false, hosts = null) {
  const kept = hosts?.running(count);
  const running = Array.from({ length: count }, (_, index) => {
    const created = now();
    const worker = kept?.[index] ?? fresh(build, `${name} ${index}`);
    const { payload, ...rest } = task(index);
    const answer = answered(worker, `${name} ${index}`, payload);
    worker.postMessage({ ...rest, withPayload: Boolean(payload), index, created });
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
  const workers = running.map((r) => r.worker);
  try {
    return await unlessAborted(Promise.all(running.map((r) => r.answer)), signal);
  } catch (error) {
    hosts?.drop(workers);
    throw error;
  } finally {
    if (!hosts) for (const worker of workers) worker.terminate();
  }
}
