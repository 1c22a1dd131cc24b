// A fresh worker with its own wasm instance and memory, made from the module the page compiled once: one job (a
// process's fib, or io-workers' request), made by the core's `job`. It answers by message and is then terminated.
// One entry per build (process-plain.js, process-threads.js) imports its glue statically, so that a fresh worker is
// one script to load: every extra module it fetched would count in its spawn time.
import { onUncaughtPanic, panicked } from './panic.js';

export function answerOnce(core) {
  onUncaughtPanic((panic) => postMessage({ error: panic }));
  self.onmessage = async ({ data: { module, session, panic, options, base, index, created } }) => {
    try {
      await core.default({ module_or_path: module });
      core.set_session(session);
      if (panic) core.panic_next_job();
      postMessage({ result: await core.job(options, base, index, created) });
    } catch (error) {
      postMessage({ error: panicked() ?? error?.message ?? String(error) });
    }
  };
}
