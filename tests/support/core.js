// The tests take their mode lists from the core's own description instead of writing them out, so that a new mode
// is tested where it belongs.
import { describeCore } from '../../scripts/describe.js';
import { fib } from './fib.js';

const { modes, experiments } = await describeCore();

/** Every mode, in the core's order; then those of each kind. */
export const MODES = modes.map((info) => info.mode);
export const CPU_MODES = modes.filter((info) => info.kind === 'cpu').map((info) => info.mode);
export const IO_MODES = modes.filter((info) => info.kind === 'io').map((info) => info.mode);

/** The modes the experiment `label` runs by default. */
export const modesOf = (label) => experiments.find((info) => info.label === label).modes;

/** A fresh worker's spawn, part by part, in order (crate/src/engines/cpu.rs, `spawn_spans`). */
export const SPAWN_PARTS = ['spawn-worker', 'spawn-script', 'spawn-message', 'spawn-instance'];

/**
 * What is wrong with a processes run's spawn parts, or null: each job begins with the four parts, one after another,
 * none negative, its script taking time; they end at the job's start, and the longest job's add up to the run's spawn.
 */
export function spawnPartsProblem(run) {
  for (const job of run.jobs) {
    const parts = job.spans.slice(0, SPAWN_PARTS.length);
    const kinds = parts.map((span) => span.kind);
    if (kinds.join() !== SPAWN_PARTS.join()) return `job ${job.index} begins with ${kinds}`;
    if (parts.some((span, i) => span.end < span.start || (i && span.start !== parts[i - 1].end)))
      return `job ${job.index}'s parts are not one after another: ${JSON.stringify(parts)}`;
    if (parts.at(-1).end !== job.start) return `job ${job.index}'s spawn ends at ${parts.at(-1).end}, not its start`;
    // A process's worker starts in its run; an interpreter's was started before it.
    const ahead = run.mode === 'interpreters';
    if (ahead !== (parts[1].end === parts[0].start))
      return `job ${job.index}'s worker and script: ${JSON.stringify(parts)}`;
  }
  const longest = Math.max(...run.jobs.map((job) => job.start - job.spans[0].start));
  // The run keeps its spawn to the microsecond (stats::to_micros).
  return Math.abs(longest - run.spawnMs) <= 0.0005 + 1e-9
    ? null
    : `the parts add up to ${longest}, the spawn is ${run.spawnMs}`;
}

/**
 * What is wrong with interpreters at k = 1, 2 and 4, or null: `run(options)` runs through the browser's API. Each k
 * gives k right values, its start apart (see spawnPartsProblem).
 */
export async function interpretersProblem(run) {
  for (const k of [1, 2, 4]) {
    const result = await run({ mode: 'interpreters', n: 20, workers: k, repeats: 1 });
    if (result.error) return `k = ${k}: ${result.error}`;
    const values = result.jobs.map((job) => job.value);
    if (!result.correct || values.length !== k || values.some((value) => value !== fib(20)))
      return `k = ${k}: ${values}`;
    const start = spawnPartsProblem(result);
    if (start) return `k = ${k}: ${start}`;
  }
  return null;
}
