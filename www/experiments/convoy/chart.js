// The convoy's chart (Chart.js, loaded with the first result): the IO thread's latency in each regime, the median
// request split into in flight and waiting for the GIL, and every request of the median repeat as a dot.
import { Chart, COLORS, common, fitted, hatched, refitting } from '../../ui/charts.js';
import { ms } from '../../ui/results.js';

/**
 * The convoy chart's dots: every request's time on its row (`options.plugins.dots.rows`: a list of latencies per
 * row), spread a little up and down so that equal times stay visible.
 */
const requestDots = {
  id: 'dots',
  afterDatasetsDraw(chart, _, { rows = [], color }) {
    const {
      ctx,
      scales: { x, y },
    } = chart;
    ctx.save();
    ctx.fillStyle = color;
    for (const [i, latencies] of rows.entries()) {
      const middle = y.getPixelForValue(i);
      for (const [j, latency] of latencies.entries()) {
        ctx.beginPath();
        ctx.arc(x.getPixelForValue(latency), middle + ((j % 5) - 2) * 2.5, 2.5, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    ctx.restore();
  },
};

/**
 * The IO thread's latency, one row per regime (and gil at each interval of the sweep): the median request split
 * into in flight and waiting for the GIL (striped), and every request of the median repeat as a dot.
 * `rows`: `[{ label, figures, latencies }]`, figures a convoy report row.
 */
export function convoyChart(canvas) {
  const chart = new Chart(canvas, {
    type: 'bar',
    data: { labels: [], datasets: [] },
    plugins: [requestDots],
    options: {
      ...common,
      scales: {
        x: { stacked: true, min: 0, title: { display: true, text: 'one request of the IO thread (ms)' } },
        y: { stacked: true, ticks: { autoSkip: false } },
      },
      plugins: {
        ...common.plugins,
        tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${ms(c.raw)} ms` } },
      },
    },
  });
  const draw = (rows, caption) => {
    const dot = getComputedStyle(canvas).color;
    chart.data.labels = rows.map((row) => row.label);
    const wait = (row) => row.figures.gilWaitMs;
    chart.data.datasets = [
      {
        label: 'median: in flight, and handled',
        backgroundColor: COLORS.request,
        data: rows.map((row) => row.figures.latencyMs.median - wait(row)),
      },
      { label: 'median: waiting for the GIL', backgroundColor: hatched(COLORS['gil-wait']), data: rows.map(wait) },
      { label: 'each request (dots)', backgroundColor: dot, data: [] },
    ];
    chart.options.plugins.dots = { rows: rows.map((row) => row.latencies), color: dot };
    // The axis reaches past the slowest request's dot, not only the longest median.
    const slowest = rows.flatMap((row) => [row.figures.latencyMs.median, ...row.latencies]);
    chart.options.scales.x.suggestedMax = Math.max(...slowest);
    fitted(chart, { caption });
    const said = rows.map(
      (row) =>
        `${row.label} ${ms(row.figures.latencyMs.median)} ms (p95 ${ms(row.figures.latencyMs.p95)}, GIL wait ${ms(wait(row))})`,
    );
    canvas.setAttribute('aria-label', `One request of the IO thread, median, ${caption}: ${said.join('; ')}.`);
  };
  return Object.assign(refitting(chart, draw), { chart });
}
