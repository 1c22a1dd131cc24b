// The bench's crossover rows (issue 34): processes against threads under the GIL as each job's payload grows, in the
// page's bend experiment and in threadlab.py. Pure: run.js measures, this reads the rows and writes them out.

const PHI = (1 + Math.sqrt(5)) / 2;

/**
 * The n at which fib takes about `targetMs` a job, from a job of fib(`n`) timed at `atMs`: each n more costs about
 * φ times as much (as the page's `calibrated_n`, experiments/python.rs). At least 1.
 */
export function calibratedN(n, targetMs, atMs) {
  return Math.max(1, n + Math.round(Math.log(targetMs / atMs) / Math.log(PHI)));
}

/**
 * The first payload at which processes no longer won, if they won at every one before it (`rows` in payload order):
 * null when they never won or always did, as the page's bend reads its crossover.
 */
export function crossover(rows) {
  const at = rows.findIndex((row) => !row.won);
  return at > 0 ? rows[at].payloadMb : null;
}

const pct = (share) => (share == null ? '—' : `${Math.round(100 * share)}%`);
const times = (x) => (x == null ? '—' : `${x.toFixed(2)}×`);

/** Where a side's crossover is, in words: the payload, processes' gain and the copy's share of their time there. */
export function crossoverText({ rows, crossoverMb }) {
  if (crossoverMb !== null) {
    const at = rows.find((row) => row.payloadMb === crossoverMb);
    return `at ${crossoverMb} MiB, processes ${times(at.gain)} threads, copying in ${pct(at.copyShare)} of their time`;
  }
  const [first, last] = [rows[0], rows.at(-1)];
  return first?.won
    ? `none, processes won up to ${last.payloadMb} MiB (${times(last.gain)}, copying in ${pct(last.copyShare)})`
    : `none, processes did not win even at ${first?.payloadMb} MiB (${times(first?.gain)})`;
}

/** The two sides' rows side by side, a payload a line (a payload a side lacks, a failed run, shows dashes). */
export function payloadTable(wasm, python) {
  const cells = (row) =>
    row
      ? `${row.threadsMs.median.toFixed(1)} | ${row.processesMs.median.toFixed(1)} | ${times(row.gain)} | ${pct(row.copyShare)}`
      : '— | — | — | —';
  const payloads = [...new Set([...wasm.rows, ...python.rows].map((row) => row.payloadMb))].sort((a, b) => a - b);
  const at = (side, mb) => side.rows.find((row) => row.payloadMb === mb);
  return [
    '| payload MiB | wasm: gil ms | processes ms | processes gain | copy share | your Python: threads ms | processes ms | processes gain | copy share |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...payloads.map((mb) => `| ${mb} | ${cells(at(wasm, mb))} | ${cells(at(python, mb))} |`),
  ];
}
