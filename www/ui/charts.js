// Charts (Chart.js, only the parts used): wall time per run, and the timeline of the latest run.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Title, Tooltip } from 'chart.js';
import { ms } from './results.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Title, Tooltip, Legend);

const COLORS = { spawn: '#f2a541', compute: '#3b82c4', 'gil-held': '#2e9e6a', 'gil-wait': '#d1495b' };
const LABELS = { spawn: 'spawn', compute: 'compute', 'gil-held': 'GIL held', 'gil-wait': 'waiting for the GIL' };

const common = {
  indexAxis: 'y',
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  plugins: { legend: { position: 'bottom' } },
};

/** Wall time per run, split into spawn and the rest. */
export function wallChart(canvas) {
  const chart = new Chart(canvas, {
    type: 'bar',
    data: { labels: [], datasets: [] },
    options: {
      ...common,
      scales: { x: { stacked: true, title: { display: true, text: 'wall time (ms)' } }, y: { stacked: true } },
      plugins: { ...common.plugins, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${ms(c.raw)} ms` } } },
    },
  });
  return (runs) => {
    chart.data.labels = runs.map((run) => `${run.mode} · fib(${run.n})×${run.workers}`);
    chart.data.datasets = [
      { label: LABELS.spawn, backgroundColor: COLORS.spawn, data: runs.map((run) => run.spawnMs ?? 0) },
      { label: 'running', backgroundColor: COLORS.compute, data: runs.map((run) => run.wallMs - (run.spawnMs ?? 0)) },
    ];
    chart.update();
  };
}

/** One row per lane (worker, thread or process), a bar per span, times from the run's start. */
export function timelineChart(canvas) {
  const chart = new Chart(canvas, {
    type: 'bar',
    data: { labels: [], datasets: [] },
    options: {
      ...common,
      grouped: false,
      scales: { x: { min: 0, title: { display: true, text: 'ms since the run started' } } },
      plugins: {
        ...common.plugins,
        tooltip: {
          callbacks: {
            label: ({ dataset, raw }) =>
              `${dataset.label}: ${ms(raw.x[0])} → ${ms(raw.x[1])} ms (${ms(raw.x[1] - raw.x[0])} ms)`,
          },
        },
      },
    },
  });
  return (run) => {
    const lane = (job) => `${laneName(run.mode)} ${job.lane}`;
    chart.data.labels = [...new Set(run.jobs.map(lane))].sort();
    chart.data.datasets = Object.keys(COLORS)
      .map((kind) => ({
        label: LABELS[kind],
        backgroundColor: COLORS[kind],
        borderSkipped: false,
        minBarLength: 1,
        data: run.jobs.flatMap((job) =>
          job.spans.filter((s) => s.kind === kind).map((s) => ({ y: lane(job), x: [s.start - run.started, s.end - run.started] }))),
      }))
      .filter((dataset) => dataset.data.length);
    chart.options.plugins.title = { display: true, text: `timeline: ${run.mode}, fib(${run.n}) × ${run.workers}` };
    chart.update();
  };
}

function laneName(mode) {
  return mode === 'single' ? 'worker' : mode === 'processes' ? 'process' : 'thread';
}
