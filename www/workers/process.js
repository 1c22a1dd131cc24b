// One "process": a fresh worker with its own wasm instance and memory, one fib job, the result by message.
import init, { process_job } from '../pkg/plain/threadlab.js';

const ready = init();

self.onmessage = async ({ data: { n, index, created } }) => {
  try {
    await ready;
    postMessage({ job: process_job(n, index, created) });
  } catch (error) {
    postMessage({ error: error?.message ?? String(error) });
  }
};
