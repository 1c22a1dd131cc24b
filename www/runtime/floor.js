// The floor under a process's spawn: what bare workers (workers/bare.js, which only say they have started) take to
// start in this browser. A browser may start workers one after another, so the floor under k processes started
// together is k bare workers started together, not one's.
import { now } from './clock.js';

/**
 * Five starts of `count` bare workers at once, one after another: each start's time until all had said they
 * started (`samples`), and each worker's two parts, as a process's first two spawn parts: `starts`, from its creation
 * to its own start (its timeOrigin), and `scripts`, its one-line script fetched and run.
 */
export async function bareStarts(count) {
  const [samples, starts, scripts] = [[], [], []];
  for (let i = 0; i < 5; i++) {
    const created = now();
    const workers = Array.from(
      { length: count },
      () => new Worker(new URL('../workers/bare.js', import.meta.url), { type: 'module', name: 'bare' }),
    );
    try {
      const marks = await Promise.all(workers.map(started));
      samples.push(now() - created);
      for (const [origin, ran] of marks) {
        starts.push(origin - created);
        scripts.push(ran - origin);
      }
    } finally {
      for (const worker of workers) worker.terminate();
    }
  }
  return { samples, starts, scripts };
}

/** A bare worker's one message: its start and its script's end, on the common clock. */
function started(worker) {
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => resolve(data);
    worker.onerror = () => reject(new Error('a bare worker did not start'));
  });
}
