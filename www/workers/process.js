// A worker that answers jobs, each in a wasm instance with its own memory made from the module the page compiled
// once, by the core's `job`: a process (a fresh worker with one instance for its one job, a process's fib or
// io-workers' request, or for the convoy the IO thread's requests or fib after fib), then terminated; or an
// interpreter host (workers/interpreter.js), kept running, with a fresh instance for each job.
// One entry per build (process-plain.js, process-threads.js) imports its glue statically, so that a fresh worker is
// one script to load: every extra module it fetched would count in its spawn time.
import { now } from '../runtime/clock.js';
import { onUncaughtPanic, panicked } from './panic.js';

// When this worker's script had run: its entry imports the glue before this module, so the glue is evaluated by
// now. With its own start (performance.timeOrigin) and the message's arrival, it splits the spawn into its parts.
const scriptRan = now();

/** A process's one instance: `core`'s glue, instantiated once. */
export const once = (core) => async (module) => {
  await core.default({ module_or_path: module });
  return core;
};

/** Answers each job it is sent in the glue `instance(module)` resolves with, instantiated from `module`. */
export function answering(instance) {
  onUncaughtPanic((panic) => postMessage({ error: panic }));
  // Ready: what an interpreter host, started ahead of the timer, is waited for (runtime/hosts.js).
  postMessage({ ready: true });
  let stopped = false;
  let gotPayload;
  const none = new Uint8Array();
  const askForPayload = () =>
    new Promise((resolve) => {
      gotPayload = resolve;
      postMessage({ wants: 'payload' });
    });
  self.onmessage = async ({ data }) => {
    const received = now();
    if (data.stop) {
      stopped = true;
      return;
    }
    if (data.payload) return void gotPayload(new Uint8Array(data.payload));
    const { module, session, panic, options, base, index, created, rounds, withPayload } = data;
    try {
      self.threadlabPanic = undefined; // a host's earlier job may have panicked, in an instance now gone
      const core = await instance(module);
      core.set_session(session);
      if (panic) core.panic_next_job();
      const ready = now();
      const marks = [performance.timeOrigin, scriptRan, received, ready];
      // Its copy of the payload, asked for once its instance is ready: the copy is timed apart from the spawn.
      const bytes = withPayload ? await askForPayload() : none;
      if (!rounds) return void postMessage({ result: await core.job(options, base, index, created, marks, bytes) });
      // The convoy's CPU work: one fib(n) a call, again until told to stop, looking for that message in between.
      const jobs = [];
      for (let from = created; !stopped; from = now()) {
        jobs.push(...JSON.parse(await core.job(options, base, index, from, [], none)));
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
