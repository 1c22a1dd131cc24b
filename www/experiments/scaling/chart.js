// The scaling chart (Chart.js, loaded with the first result): speedup against k, one line per mode, beside the ideal.
import { Chart, fitted, refitting } from '../../ui/charts.js';

/**
 * The scaling chart's marks: each point's speedup range as a vertical whisker (`dataset.ranges`), and the core
 * count as a dashed vertical line with its label (`options.plugins.cores.count`).
 */
const scalingMarks = {
  id: 'cores',
  afterDatasetsDraw(chart, _, { count }) {
    const { ctx, chartArea, scales } = chart;
    const { x, y } = scales;
    ctx.save();
    ctx.lineWidth = 1.5;
    for (const [i, dataset] of chart.data.datasets.entries()) {
      if (!chart.isDatasetVisible(i)) continue;
      ctx.strokeStyle = dataset.borderColor;
      for (const [j, range] of (dataset.ranges ?? []).entries()) {
        if (!range) continue;
        const left = x.getPixelForValue(dataset.data[j].x);
        ctx.beginPath();
        ctx.moveTo(left, y.getPixelForValue(range[0]));
        ctx.lineTo(left, y.getPixelForValue(range[1]));
        ctx.stroke();
      }
    }
    if (count >= x.min && count <= x.max) {
      const at = x.getPixelForValue(count);
      ctx.strokeStyle = ctx.fillStyle = getComputedStyle(chart.canvas).color;
      ctx.setLineDash([3, 3]);
      ctx.beginPath();
      ctx.moveTo(at, chartArea.top);
      ctx.lineTo(at, chartArea.bottom);
      ctx.stroke();
      ctx.textAlign = 'right';
      ctx.fillText(`${count} core${count === 1 ? '' : 's'}`, at - 4, chartArea.top + 12);
    }
    ctx.restore();
  },
};

/**
 * Speedup against k: one line per mode in `modes` (the core's, each with its colour) that has points, its range as
 * whiskers; the ideal min(k, cores) dashed, the cores marked.
 * `scaling`: a scaling report's `{ cores, points }`.
 */
export function scalingChart(canvas, modes) {
  const chart = new Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    plugins: [scalingMarks],
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: {
          type: 'linear',
          title: { display: true, text: 'k: jobs, and the threads or processes running them' },
          ticks: { stepSize: 1 },
        },
        y: { min: 0, title: { display: true, text: 'speedup against single with k jobs' } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: {
          callbacks: { label: ({ dataset, raw }) => `${dataset.label}: ${raw.y.toFixed(2)}× at k = ${raw.x}` },
        },
      },
    },
  });
  const draw = ({ cores, points }, caption) => {
    const ks = [...new Set(points.map((point) => point.workers))].sort((a, b) => a - b);
    // Every mode read against another (single is the one they are read against).
    const measured = modes
      .filter((info) => info.against)
      .flatMap(({ mode, colour }) => {
        const ours = points.filter((point) => point.mode === mode && point.speedup != null);
        if (!points.some((point) => point.mode === mode)) return [];
        return {
          label: mode,
          borderColor: colour,
          backgroundColor: colour,
          data: ours.map((point) => ({ x: point.workers, y: point.speedup })),
          ranges: ours.map((point) => point.speedupRange),
        };
      });
    const ideal = {
      label: 'ideal: min(k, cores)',
      borderColor: getComputedStyle(canvas).color,
      borderDash: [6, 4],
      pointRadius: 0,
      data: ks.map((k) => ({ x: k, y: Math.min(k, cores) })),
    };
    chart.data.datasets = [...measured, ideal];
    // The axis reaches past every point, every range's end and the ideal's top, with room above them for the cores'
    // label.
    const tops = points.flatMap((point) => [point.speedup ?? 0, ...(point.speedupRange ?? [])]).concat(cores);
    chart.options.scales.y.suggestedMax = 1.1 * Math.max(...tops);
    chart.options.scales.x.min = Math.min(...ks);
    chart.options.scales.x.max = Math.max(...ks);
    chart.options.plugins.cores = { count: cores };
    fitted(chart, { caption, area: 180 });
    const said = measured.map(
      ({ label, data }) => `${label} ${data.map((p) => `${p.y.toFixed(2)}× at k = ${p.x}`).join(', ')}`,
    );
    canvas.setAttribute(
      'aria-label',
      `Speedup against k, ${caption}: ${said.join('; ')}; the ideal is min(k, ${cores}).`,
    );
  };
  return Object.assign(refitting(chart, draw), { chart });
}
