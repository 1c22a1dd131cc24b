// A fresh worker with its own wasm instance and memory, made from the module the page compiled once: one job (a
// process's fib, or io-workers' request; for the convoy, the IO thread's requests or fib after fib), made by the
// core's `job`. It answers by message and is then terminated.
// One entry per build (process-plain.js, process-threads.js) imports its glue statically, so that a fresh worker is
// one script to load: every extra module it fetched would count in its spawn time.
import { now } from '../runtime/clock.js';
import { onUncaughtPanic, panicked } from './panic.js';

// When this worker's script had run: its entry imports the glue before this module, so the glue is evaluated by
// now. With its own start (performance.timeOrigin) and the message's arrival, it splits the spawn into its parts.
const scriptRan = now();

export function answerOnce(core) {
  onUncaughtPanic((panic) => postMessage({ error: panic }));
  // Ready: what a worker started ahead of the timer is waited for (interpreters, runtime/processes.js).
  postMessage({ ready: true });
  let stopped = false;
  self.onmessage = async ({ data }) => {
    const received = now();
    if (data.stop) {
      stopped = true;
      return;
    }
    const { module, session, panic, options, base, index, created, rounds } = data;
    try {
      await core.default({ module_or_path: module });
      core.set_session(session);
      if (panic) core.panic_next_job();
      const marks = [performance.timeOrigin, scriptRan, received];
      if (!rounds) return void postMessage({ result: await core.job(options, base, index, created, marks) });
      // The convoy's CPU work: one fib(n) a call, again until told to stop, looking for that message in between.
      const jobs = [];
      for (let from = created; !stopped; from = now()) {
        jobs.push(...JSON.parse(await core.job(options, base, index, from, [])));
        await nextTask();
      }
      postMessage({ result: JSON.stringify(jobs) });
    } catch (error) {
      postMessage({ error: panicked() ?? error?.message ?? String(error) });
    }
  };
}

/** Lets the worker's messages in: a message to itself, which no browser delays as it delays a chain of timers. */
const channel = new MessageChannel();
function nextTask() {
  return new Promise((resolve) => {
    channel.port1.onmessage = resolve;
    channel.port2.postMessage(null);
  });
}
