// Charts (Chart.js, only the parts used): wall time per run of the latest click (median, with the range of its
// repeats as a whisker), the timeline of the latest run, the theme and the fitting the experiments' own charts share
// (www/experiments/<name>/chart.js), and any chart as PNG or SVG. Every chart fits its words and its marks: a row's
// label is one line, each row tall enough for it (the chart's box grows past its CSS height), captions and axis
// titles wrap to the width, and each axis reaches past every point and every whisker's end.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Title,
  Tooltip,
} from 'chart.js';
import { toFont } from 'chart.js/helpers';
import { rowLabels, wrapped } from './labels.js';
import { ms, runName } from './results.js';

export { Chart };

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Title, Tooltip, Legend);
Chart.register(LineController, LineElement, PointElement);
// Text and grid lines in the page's palette (light or dark, from prefers-color-scheme in style.css).
const palette = getComputedStyle(document.documentElement);
Chart.defaults.color = palette.getPropertyValue('--muted').trim();
Chart.defaults.borderColor = palette.getPropertyValue('--line').trim();

export const COLORS = {
  spawn: '#f2a541',
  'spawn-worker': '#c7791a',
  'spawn-script': '#f2a541',
  'spawn-message': '#f7c97e',
  'spawn-instance': '#e2902b',
  'copy-in': '#169c9c',
  compute: '#3b82c4',
  'gil-held': '#2e9e6a',
  'gil-wait': '#d1495b',
  // A hand-over the waiter asked for, in its parts, drawn over its wait (crate/src/engines/gil.rs).
  'hand-over-timer': '#ffd166',
  'hand-over-notice': '#e377c2',
  'hand-over-wake': '#06d6a0',
  'hand-over-take': '#8a8a8a',
  request: '#7b61c9',
  'request-failed': '#b3261e',
};
const LABELS = {
  spawn: 'spawn',
  'spawn-worker': 'spawn: the worker starts',
  'spawn-script': 'spawn: its script',
  'spawn-message': "spawn: the page's message",
  'spawn-instance': 'spawn: its wasm instance',
  'copy-in': 'copy in: its payload',
  compute: 'compute',
  'gil-held': 'GIL held',
  'gil-wait': 'waiting for the GIL',
  'hand-over-timer': 'hand-over: its timer ends late',
  'hand-over-notice': 'hand-over: the holder notices',
  'hand-over-wake': 'hand-over: the waiter is woken',
  'hand-over-take': 'hand-over: it takes the lock',
  request: 'request in flight',
  'request-failed': 'request that failed',
};

// Striped as well as coloured: what waits against what holds, what failed against what was answered.
const STRIPED = ['gil-wait', 'request-failed'];

export const common = {
  indexAxis: 'y',
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  plugins: { legend: { position: 'bottom' } },
};

/** The least height of a row of bars: its one-line label (12-px text, 14.4 px a line) and some air. */
const ROW_PX = 24;

/** How wide `text` is in px, in `font` (a Chart.js font option, over the defaults), on `chart`'s canvas. */
function measurer(chart, font) {
  const { string } = toFont(font);
  return (text) => {
    const { ctx } = chart;
    ctx.save();
    ctx.font = string;
    const width = ctx.measureText(text).width;
    ctx.restore();
    return width;
  };
}

const axisTitles = new WeakMap(); // chart → each axis's title as given, before it was wrapped to the axis

/**
 * Updates `chart` so that its words fit and its marks have room: its title `caption` (parts joined by `between`) in
 * lines that fit its width, each axis title wrapped after its commas to the axis's length, and the chart made taller
 * than its box's CSS height where its rows (a category y axis) would be shorter than `row` px, or its area than
 * `area` px (where the caption, the legend and the titles take more lines, on a narrow screen).
 */
export function fitted(chart, { caption, between = ' · ', row = ROW_PX, area = 0 } = {}) {
  const box = chart.canvas.parentElement;
  box.style.height = ''; // the stylesheet's height, the least
  chart.resize(); // the box's width now, not the one Chart.js last saw
  const measure = measurer(chart, Chart.defaults.plugins.title.font);
  chart.options.plugins.title = { display: true, text: wrapped(caption, chart.width - 4, { measure, between }) };
  chart.update();
  if (!box.clientWidth) return; // not shown: nothing to fit
  if (!axisTitles.has(chart)) axisTitles.set(chart, {});
  const given = axisTitles.get(chart);
  let wrap = false;
  for (const scale of Object.values(chart.scales)) {
    const title = chart.options.scales[scale.id]?.title;
    if (!title?.display) continue;
    given[scale.id] ??= title.text;
    const measure = measurer(chart, title.font);
    const length = scale.isHorizontal() ? scale.width : scale.height;
    const lines = wrapped(given[scale.id], length, { measure, between: ', ' });
    if (String(lines) === String(title.text)) continue;
    title.text = lines.length > 1 ? lines : lines[0];
    wrap = true;
  }
  if (wrap) chart.update();
  const { y } = chart.scales;
  const rows = y?.type === 'category' ? (y.max - y.min + 1) * row : 0; // every row, labelled or skipped
  const short = Math.max(rows, area) - (chart.chartArea.bottom - chart.chartArea.top);
  if (short > 0) {
    box.style.height = `${Number.parseFloat(getComputedStyle(box).height) + short}px`;
    chart.resize();
  }
  // The width its words were fitted to: a resize since (refitting fits them again a frame later) shows as another.
  chart.canvas.dataset.fitted = chart.canvas.style.width;
}

/**
 * A chart's `draw(...args)`, drawn again with its latest arguments once its width changes (a phone turned, a
 * frame resized): its words wrap and its rows fit anew.
 */
export function refitting(chart, draw) {
  let latest = null;
  let width = 0;
  chart.options.onResize = (_, size) => {
    if (!latest || size.width === width) return;
    width = size.width;
    requestAnimationFrame(() => draw(...latest));
  };
  return (...args) => {
    latest = args;
    width = chart.width;
    draw(...args);
  };
}

/**
 * Draws each bar's range as a line across its end: `options.plugins.whiskers.bars` is
 * `[{ group, dataset, ranges: [{ min, max } | null per label] }]`: per stack of bars (`group`), the dataset whose
 * bar ends where the median does.
 */
const whiskers = {
  id: 'whiskers',
  afterDatasetsDraw(chart, _, { bars = [] }) {
    const {
      ctx,
      scales: { x },
    } = chart;
    ctx.save();
    ctx.strokeStyle = getComputedStyle(chart.canvas).color;
    ctx.lineWidth = 1.5;
    for (const { dataset, ranges } of bars) {
      const drawn = chart.getDatasetMeta(dataset).data;
      ranges.forEach((range, i) => {
        const y = drawn[i]?.y;
        if (!range || y === undefined) return;
        const [left, right] = [x.getPixelForValue(range.min), x.getPixelForValue(range.max)];
        ctx.beginPath();
        ctx.moveTo(left, y);
        ctx.lineTo(right, y);
        for (const end of [left, right]) {
          ctx.moveTo(end, y - 5);
          ctx.lineTo(end, y + 5);
        }
        ctx.stroke();
      });
    }
    ctx.restore();
  },
};

/**
 * A colour with diagonal stripes, for what must not be told apart by colour alone (waiting against holding,
 * failed against answered, someone else's figures against this machine's). Made on the context being drawn on,
 * so that an SVG export gets its own pattern.
 */
export function hatched(color) {
  return ({ chart: { ctx } }) => {
    // Asked for each bar: one pattern per colour and context serves them all.
    if (!patterns.has(ctx)) patterns.set(ctx, new Map());
    const made = patterns.get(ctx);
    if (!made.has(color)) made.set(color, ctx.createPattern(stripes(color), 'repeat') ?? color);
    return made.get(color);
  };
}
const patterns = new WeakMap(); // drawing context → colour → its striped pattern

/** An 8-px tile of `color` with white diagonal stripes. */
function stripes(color) {
  const tile = document.createElement('canvas');
  tile.width = tile.height = 8;
  const pen = tile.getContext('2d');
  pen.fillStyle = color;
  pen.fillRect(0, 0, 8, 8);
  pen.strokeStyle = 'rgba(255, 255, 255, 0.7)';
  pen.lineWidth = 2;
  pen.beginPath();
  for (const [x0, y0, x1, y1] of [
    [-2, 10, 10, -2],
    [-2, 2, 2, -2],
    [6, 10, 10, 6],
  ]) {
    pen.moveTo(x0, y0);
    pen.lineTo(x1, y1);
  }
  pen.stroke();
  return tile;
}

/**
 * Median wall time per run, split into spawn and the rest, with the repeats' range as a whisker. `groups`:
 * `[{ label, runs, shared }]`: one click (label null), or someone else's shared click beside this machine's (its
 * bars striped). A convoy's wall times are its regimes table's and its latency chart's: for a convoy click the
 * chart, its PNG and SVG buttons are hidden.
 */
export function wallChart(canvas) {
  let shown = []; // each row's label, one line
  const chart = new Chart(canvas, {
    type: 'bar',
    data: { labels: [], datasets: [] },
    plugins: [whiskers],
    options: {
      ...common,
      scales: {
        x: { stacked: true, title: { display: true, text: 'wall time, median of the repeats (ms)' } },
        // A row per run (its mode and work, as the tooltip says), labelled with its mode in one line.
        y: { stacked: true, ticks: { autoSkip: false, callback: (_, i) => shown[i] } },
      },
      plugins: {
        ...common.plugins,
        tooltip: {
          callbacks: {
            label: (c) => `${c.dataset.label}: ${ms(c.raw)} ms`,
            footer: ([c]) => {
              const bar = chart.options.plugins.whiskers.bars.find((b) => b.group === c.dataset.stack);
              const range = bar?.ranges[c.dataIndex];
              return range ? `repeats ranged ${ms(range.min)}–${ms(range.max)} ms` : '';
            },
          },
        },
      },
    },
  });
  const draw = (groups, caption) => {
    const repeated = groups.every(({ runs }) => runs.every((run) => run.convoy));
    const foot = canvas.parentElement.nextElementSibling;
    for (const part of [canvas.parentElement, foot?.classList.contains('chart-foot') && foot]) {
      if (part) part.hidden = repeated;
    }
    if (repeated) return;
    const name = (run) => `${runName(run)} · ${run.label}`;
    const labels = [...new Set(groups.flatMap((group) => group.runs.map(name)))];
    const every = groups.flatMap((group) => group.runs);
    shown = rowLabels(
      labels
        .map((label) => every.find((run) => name(run) === label))
        .map((run) => ({ mode: runName(run), work: run.work, label: run.label })),
    );
    const at = (runs, figure) =>
      labels.map((label) => {
        const run = runs.find((r) => name(r) === label);
        return run ? figure(run) : null;
      });
    const spawn = (run) => run.repeats.spawnMs?.median ?? 0;
    chart.data.labels = labels;
    chart.data.datasets = groups.flatMap(({ label, runs, shared }, g) => {
      const color = (kind) => (shared ? hatched(COLORS[kind]) : COLORS[kind]);
      const named = (text) => (label ? `${label}: ${text}` : text);
      return [
        { label: named(LABELS.spawn), stack: `group ${g}`, backgroundColor: color('spawn'), data: at(runs, spawn) },
        {
          label: named('running'),
          stack: `group ${g}`,
          backgroundColor: color('compute'),
          data: at(runs, (run) => run.repeats.wallMs.median - spawn(run)),
        },
      ];
    });
    chart.options.plugins.whiskers = {
      bars: groups.map(({ runs }, g) => ({
        group: `group ${g}`,
        dataset: 2 * g + 1,
        ranges: at(runs, (run) => run.repeats.wallMs),
      })),
    };
    // The axis reaches past the longest whisker, not only the longest bar.
    chart.options.scales.x.suggestedMax = Math.max(...every.map((run) => run.repeats.wallMs.max));
    fitted(chart, { caption, row: groups.length > 1 ? 1.5 * ROW_PX : ROW_PX });
    // The chart in words, for a screen reader (and a test): the caption, then every bar's median.
    const bars = groups.flatMap(({ label, runs }) =>
      runs.map((run) => `${label ? `${label} ` : ''}${runName(run)} ${ms(run.repeats.wallMs.median)} ms`),
    );
    canvas.setAttribute('aria-label', `Wall time per run, ${caption}: ${bars.join('; ')}.`);
  };
  return Object.assign(refitting(chart, draw), { chart });
}

/** One row per lane (worker, thread or process, as `modes` names them), a bar per span, times from the run's start. */
export function timelineChart(canvas, modes) {
  const lanes = Object.fromEntries(modes.map((info) => [info.mode, info.lane]));
  const chart = new Chart(canvas, {
    type: 'bar',
    data: { labels: [], datasets: [] },
    options: {
      ...common,
      grouped: false,
      scales: {
        x: { min: 0, title: { display: true, text: 'ms since the run started' } },
        // Past 24 lanes (up to 100 requests) the rows narrow, and Chart.js labels only as many as fit.
        y: { ticks: { autoSkip: true } },
      },
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
  const draw = (run) => {
    // The convoy's lane 0 is its IO thread; the others are its CPU threads (or processes).
    const noun = run.convoy ? `CPU ${lanes[run.mode]}` : lanes[run.mode];
    const name = (number) => (run.convoy && number === 0 ? 'IO thread' : `${noun} ${number}`);
    const lane = (job) => name(job.lane);
    chart.data.labels = [...new Set(run.jobs.map((job) => job.lane))].sort((a, b) => a - b).map(name);
    chart.data.datasets = Object.keys(COLORS)
      .map((kind) => ({
        label: LABELS[kind],
        backgroundColor: STRIPED.includes(kind) ? hatched(COLORS[kind]) : COLORS[kind],
        borderSkipped: false,
        minBarLength: 1,
        data: run.jobs.flatMap((job) =>
          job.spans
            .filter((s) => s.kind === kind)
            .map((s) => ({ y: lane(job), x: [s.start - run.started, s.end - run.started] })),
        ),
      }))
      .filter((dataset) => dataset.data.length);
    const row = Math.min(ROW_PX, (24 * ROW_PX) / chart.data.labels.length);
    fitted(chart, { caption: `timeline: ${runName(run)}, ${run.label}`, between: ', ', row });
  };
  return Object.assign(refitting(chart, draw), { chart });
}

/** A chart as it stands, as a PNG blob on the page's background. */
export function png(chart) {
  const image = document.createElement('canvas');
  [image.width, image.height] = [chart.canvas.width, chart.canvas.height];
  const pen = image.getContext('2d');
  pen.fillStyle = getComputedStyle(document.body).backgroundColor;
  pen.fillRect(0, 0, image.width, image.height);
  pen.drawImage(chart.canvas, 0, 0);
  return new Promise((resolve, reject) =>
    image.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no image'))), 'image/png'),
  );
}

/**
 * A chart as it stands, as an SVG blob: the same chart drawn once more onto svgcanvas's SVG-building context
 * (loaded only when asked for), then back onto its canvas.
 */
export async function svg(chart) {
  const { Context } = await import('svgcanvas');
  const [width, height] = [chart.width, chart.height];
  const vector = new Context({ width, height });
  vector.clearRect = () => {}; // a fresh drawing has nothing to clear; svgcanvas would paint a white box
  // svgcanvas reads each text's font through a style attribute, which the page's CSP refuses: the fonts are
  // noted here and set on the text elements (in drawing order) afterwards.
  const fonts = [];
  const fillText = vector.fillText;
  vector.fillText = function (...args) {
    fonts.push(this.font);
    return fillText.apply(this, args);
  };
  vector.fillStyle = getComputedStyle(document.body).backgroundColor;
  vector.fillRect(0, 0, width, height);
  // The chart, its scales, legend and title, and each dataset's controller keep the context they draw on.
  const holders = [
    [chart, 'ctx'],
    ...chart.boxes.map((box) => [box, 'ctx']),
    ...chart.getSortedVisibleDatasetMetas().map((meta) => [meta.controller, '_ctx']),
  ].filter(([holder, key]) => holder[key]);
  const contexts = holders.map(([holder, key]) => holder[key]);
  try {
    for (const [holder, key] of holders) holder[key] = vector;
    chart.update('none'); // patterns are resolved again, on the SVG context
  } finally {
    for (const [i, [holder, key]] of holders.entries()) holder[key] = contexts[i];
    chart.update('none');
  }
  const probe = document.createElement('span');
  for (const [i, text] of vector.getSvg().querySelectorAll('text').entries()) {
    probe.style.font = fonts[i] ?? '';
    const { fontFamily, fontSize, fontStyle, fontWeight } = probe.style;
    const font = {
      'font-family': fontFamily,
      'font-size': fontSize,
      'font-style': fontStyle,
      'font-weight': fontWeight,
    };
    for (const [name, value] of Object.entries(font)) text.setAttribute(name, value);
    text.removeAttribute('text-decoration');
  }
  return new Blob([new XMLSerializer().serializeToString(vector.getSvg())], { type: 'image/svg+xml' });
}
