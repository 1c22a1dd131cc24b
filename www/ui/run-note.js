// The sentence under the timeline: text, not a chart, so it needs nothing of Chart.js.
import { ms } from './results.js';

/**
 * A sentence under the timeline: how the GIL was shared, who answered the requests and how, or where a process's
 * spawn went.
 */
export function runNote(run) {
  if (run.gil) return gilNote(run);
  if (run.io) return ioNote(run);
  if (run.jobs.some((job) => job.spans[0]?.kind === 'spawn-worker')) return spawnNote(run);
  return '';
}

/** The longest spawn's parts (crate/src/engines/cpu.rs, `spawn_spans`), and the copy of its payload after it. */
function spawnNote(run) {
  const spawn = (job) => job.spans[3].end - job.spans[0].start;
  const longest = run.jobs.reduce((a, b) => (spawn(b) > spawn(a) ? b : a));
  const [worker, script, message, instance] = longest.spans.slice(0, 4).map((s) => ms(s.end - s.start));
  const copy = longest.spans.find((s) => s.kind === 'copy-in');
  const copied = copy ? ` Then the copy of its payload took ${ms(copy.end - copy.start)} ms.` : '';
  // A job whose worker and script took no time ran in a worker already running (interpreters' hosts).
  if (longest.spans[1].end === longest.spans[0].start)
    return (
      `The longest start, ${ms(spawn(longest))} ms: its worker was already running, the page's message ` +
      `reached it in ${message} ms, and its fresh wasm instance, with its own memory, took ${instance} ms.${copied}`
    );
  return (
    `The longest spawn, ${ms(spawn(longest))} ms: the worker started in ${worker} ms, its script (the glue ` +
    `included) ran in ${script} ms, the page's message reached it in ${message} ms, and its wasm instance, with ` +
    `its own memory, took ${instance} ms.${copied}`
  );
}

function gilNote(run) {
  const total = (jobs, kind) =>
    jobs.flatMap((job) => job.spans.filter((s) => s.kind === kind)).reduce((sum, s) => sum + s.end - s.start, 0);
  const name = (lane) => (run.convoy && lane === 0 ? 'the IO thread' : `thread ${lane}`);
  const threads = [...new Set(run.jobs.map((job) => job.lane))].map((lane) => {
    const jobs = run.jobs.filter((job) => job.lane === lane);
    return `${name(lane)} held ${ms(total(jobs, 'gil-held'))} ms, waited ${ms(total(jobs, 'gil-wait'))} ms`;
  });
  const io = run.convoy
    ? ' The IO thread took the turn whenever an answer had come: it is seen when the turn computing as it came ends.'
    : '';
  const how = run.gil.inTurns
    ? ' The jobs took turns on one worker, as this page cannot share memory between workers: the same one-at-a-time ' +
      `computing as under the GIL, without the cost of handing it over between threads.${io}`
    : '';
  return `${run.gil.switches} hand-overs at a ${run.gil.switchMs} ms switch interval; ${threads.join('; ')}.${how}`;
}

function ioNote({ io, jobs }) {
  const servers = [...new Set(jobs.map((job) => job.request?.servedBy).filter(Boolean))];
  const who = io.builtin
    ? `The built-in endpoint was answered by the ${servers.join(' and ') || 'nobody'}.`
    : `GET ${io.target}.`;
  const waves =
    io.waves > 1
      ? ` The answers came back in ${io.waves} waves: over HTTP/1.1 a browser keeps at most 6 connections to one host, so the other requests waited their turn.`
      : '';
  return `${who}${waves}`;
}
