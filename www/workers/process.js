// A fresh worker with its own wasm instance and memory: one fib job (processes), or one share of the requests
// (io-workers). It answers by message and is then terminated.
import init, { io_share, process_job } from '../pkg/plain/threadlab.js';

const ready = init();

self.onmessage = async ({ data: { task, n, options, base, index, created } }) => {
  try {
    await ready;
    const result = task === 'io' ? await io_share(options, base, index, created) : process_job(n, index, created);
    postMessage({ result });
  } catch (error) {
    postMessage({ error: error?.message ?? String(error) });
  }
};
