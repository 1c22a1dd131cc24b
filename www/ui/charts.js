// Charts (Chart.js, only the parts used): wall time per run of the latest click (median, with the range of its
// repeats as a whisker), and the timeline of the latest run.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Title, Tooltip } from 'chart.js';
import { ms } from './results.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Title, Tooltip, Legend);
// Text and grid lines in the page's palette (light or dark, from prefers-color-scheme in style.css).
const palette = getComputedStyle(document.documentElement);
Chart.defaults.color = palette.getPropertyValue('--muted').trim();
Chart.defaults.borderColor = palette.getPropertyValue('--line').trim();

const COLORS = { spawn: '#f2a541', compute: '#3b82c4', 'gil-held': '#2e9e6a', 'gil-wait': '#d1495b',
  request: '#7b61c9', 'request-failed': '#b3261e' };
const LABELS = { spawn: 'spawn', compute: 'compute', 'gil-held': 'GIL held', 'gil-wait': 'waiting for the GIL',
  request: 'request in flight', 'request-failed': 'request that failed' };

const common = {
  indexAxis: 'y',
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  plugins: { legend: { position: 'bottom' } },
};

/** Draws each bar's range (`options.plugins.whiskers.ranges[i]`: `{ min, max }`) as a line across its end. */
const whiskers = {
  id: 'whiskers',
  afterDatasetsDraw(chart, _, { ranges = [] }) {
    const { ctx, scales: { x } } = chart;
    const bars = chart.getDatasetMeta(chart.data.datasets.length - 1).data;
    ctx.save();
    ctx.strokeStyle = getComputedStyle(chart.canvas).color;
    ctx.lineWidth = 1.5;
    ranges.forEach(({ min, max }, i) => {
      const y = bars[i]?.y;
      if (y === undefined) return;
      const [left, right] = [x.getPixelForValue(min), x.getPixelForValue(max)];
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(right, y);
      for (const end of [left, right]) ctx.moveTo(end, y - 5), ctx.lineTo(end, y + 5);
      ctx.stroke();
    });
    ctx.restore();
  },
};

/** Median wall time per run, split into spawn and the rest, with the repeats' range as a whisker. */
export function wallChart(canvas) {
  const chart = new Chart(canvas, {
    type: 'bar',
    data: { labels: [], datasets: [] },
    plugins: [whiskers],
    options: {
      ...common,
      scales: {
        x: { stacked: true, title: { display: true, text: 'wall time, median of the repeats (ms)' } },
        y: { stacked: true, ticks: { autoSkip: false } },
      },
      plugins: {
        ...common.plugins,
        tooltip: {
          callbacks: {
            label: (c) => `${c.dataset.label}: ${ms(c.raw)} ms`,
            footer: ([c]) => {
              const { min, max } = chart.options.plugins.whiskers.ranges[c.dataIndex];
              return `repeats ranged ${ms(min)}–${ms(max)} ms`;
            },
          },
        },
      },
    },
  });
  return (runs, caption) => {
    const spawn = (run) => run.repeats.spawnMs?.median ?? 0;
    chart.options.plugins.title = { display: true, text: caption };
    chart.data.labels = runs.map((run) => `${run.mode} · ${run.work}`);
    chart.data.datasets = [
      { label: LABELS.spawn, backgroundColor: COLORS.spawn, data: runs.map(spawn) },
      { label: 'running', backgroundColor: COLORS.compute, data: runs.map((run) => run.repeats.wallMs.median - spawn(run)) },
    ];
    chart.options.plugins.whiskers = { ranges: runs.map((run) => run.repeats.wallMs) };
    chart.update();
  };
}

/** One row per lane (worker, thread or process, as `modes` names them), a bar per span, times from the run's start. */
export function timelineChart(canvas, modes) {
  const chart = new Chart(canvas, {
    type: 'bar',
    data: { labels: [], datasets: [] },
    options: {
      ...common,
      grouped: false,
      scales: { x: { min: 0, title: { display: true, text: 'ms since the run started' } }, y: { ticks: { autoSkip: false } } },
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
    const noun = modes.find((info) => info.mode === run.mode).lane;
    const lane = (job) => `${noun} ${job.lane}`;
    const lanes = [...new Set(run.jobs.map((job) => job.lane))].sort((a, b) => a - b);
    chart.data.labels = lanes.map((number) => `${noun} ${number}`);
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
    chart.options.plugins.title = { display: true, text: `timeline: ${run.mode}, ${run.work}` };
    chart.update();
  };
}

/** A sentence under the timeline: how the GIL was shared, or who answered the requests and how. */
export function runNote(run) {
  if (run.gil) return gilNote(run);
  if (run.io) return ioNote(run);
  return '';
}

function gilNote(run) {
  const total = (job, kind) => job.spans.filter((s) => s.kind === kind).reduce((sum, s) => sum + s.end - s.start, 0);
  const threads = run.jobs.map((job) => `thread ${job.lane} held ${ms(total(job, 'gil-held'))} ms, waited ${ms(total(job, 'gil-wait'))} ms`);
  const how = run.gil.inTurns
    ? ' The jobs took turns on one worker, as this page cannot share memory between workers: the same one-at-a-time ' +
      'computing as under the GIL, without the cost of handing it over between threads.'
    : '';
  return `${run.gil.switches} hand-overs at a ${run.gil.switchMs} ms switch interval; ${threads.join('; ')}.${how}`;
}

function ioNote({ io, jobs }) {
  const servers = [...new Set(jobs.map((job) => job.request.servedBy).filter(Boolean))];
  const who = io.builtin ? `The built-in endpoint was answered by the ${servers.join(' and ') || 'nobody'}.` : `GET ${io.target}.`;
  const waves = io.waves > 1
    ? ` The answers came back in ${io.waves} waves: over HTTP/1.1 a browser keeps at most 6 connections to one host, so the other requests waited their turn.`
    : '';
  return `${who}${waves}`;
}
