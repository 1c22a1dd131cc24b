// Every chart of every experiment, as Chart.js laid it out, at 1280 px, at 360 px and in a 600-px embed: no label
// overlaps another or leaves its canvas, every row is tall enough for its one-line label, and every bar, point,
// whisker end and request dot is inside the chart's area. Read from Chart.js itself (Chart.getChart(canvas): each
// scale's label items, the title, the legend, each dataset's elements and the plugins' own marks), after the run
// has ended and Chart.js has caught up with its box. (The Python experiment is left out: it loads 6 MB of CPython.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { snippet } from '../../www/page/snippet.js';
import { autorun, blog } from '../support/blog.js';
import { openPage, useSite } from '../support/browser.js';
import { isolatedServer } from '../support/servers.js';

const site = useSite(isolatedServer);

// Small runs: what is judged is the charts' layout (the article's repeated, for its whiskers). `charts`: every chart the experiment may show, its own first
// (the convoy's wall times are its table's and its latency chart's: it has no wall chart).
const EXPERIMENTS = [
  { name: 'article', query: 'n=28&repeats=2&requests=4&delay_ms=20', charts: ['walls', 'timeline'] },
  {
    name: 'scaling',
    query: 'experiment=scaling&n=26&ks=1,2&repeats=1',
    charts: ['scaling-chart', 'walls', 'timeline'],
  },
  {
    name: 'convoy',
    query: 'experiment=convoy&n=22&requests=6&delay_ms=2&repeats=1&intervals=1',
    charts: ['convoy-chart', 'timeline'],
  },
];

/** The run is over and its charts' section is shown (the page draws its charts before it stops running). */
const ended = () => document.querySelector('#charts')?.hidden === false && !document.body.classList.contains('running');

/**
 * In the page: every shown canvas's chart, checked. Resolves with `{ shown, checked, problems }`: the ids of the
 * canvases shown, how many labels and marks each had checked, and every problem found, in words.
 */
async function inspect() {
  // Chart.js as the page loaded it, with its first result: the charts' chunk exports it, under the build's name.
  const scripts = performance
    .getEntriesByType('resource')
    .map((entry) => new URL(entry.name))
    .filter((url) => url.origin === location.origin && /\/assets\/charts-[\w-]+\.js$/.test(url.pathname));
  let Chart = null;
  for (const url of scripts) {
    const module = await import(url.href);
    Chart ??= Object.values(module).find((value) => typeof value?.getChart === 'function');
  }
  if (!Chart) return { shown: [], checked: {}, problems: ['Chart.js is not among the scripts the page loaded'] };

  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const problems = [];
  const checked = {};
  const shown = [...document.querySelectorAll('canvas')].filter((canvas) => canvas.checkVisibility());
  // Each chart as fitted to its width: a resize (the page growing a scrollbar, say) is fitted again a frame later,
  // and a busy machine can be between the two.
  const stale = () => shown.filter((canvas) => canvas.dataset.fitted !== canvas.style.width);
  for (let frames = 0; stale().length && frames < 600; frames++) await frame();
  for (const canvas of stale()) problems.push(`${canvas.id}: not fitted to its width (${canvas.dataset.fitted})`);
  for (const canvas of shown) {
    const id = canvas.id;
    const chart = Chart.getChart(canvas);
    if (!chart) {
      problems.push(`${id}: shown, but no chart drawn on it`);
      continue;
    }
    // Chart.js follows its box's size from a ResizeObserver, a frame later: judge the layout it has once it has
    // caught up with the box (within 5 s).
    const box = canvas.parentElement;
    const caughtUp = () => {
      const style = getComputedStyle(box);
      const rect = box.getBoundingClientRect();
      const inner = (side) =>
        Number.parseFloat(style[`padding${side}`]) + Number.parseFloat(style[`border${side}Width`]);
      const width = rect.width - inner('Left') - inner('Right');
      const height = rect.height - inner('Top') - inner('Bottom');
      return Math.abs(chart.width - width) <= 1 && Math.abs(chart.height - height) <= 1;
    };
    const since = performance.now();
    while (!caughtUp() && performance.now() - since < 5_000) await frame();
    if (!caughtUp()) problems.push(`${id}: the chart is ${chart.width} × ${chart.height} px, its box another size`);

    const { ctx, chartArea: area } = chart;
    // A font option as Chart.js's helpers read it, over its defaults: its size, its line height in px, its CSS string.
    const toFont = (options) => {
      const given = Object.fromEntries(Object.entries(options ?? {}).filter(([, value]) => value != null));
      const { family, size, style, weight, lineHeight } = { ...Chart.defaults.font, ...given };
      return {
        size,
        lineHeight: /px$/.test(lineHeight)
          ? Number.parseFloat(lineHeight)
          : (Number.parseFloat(lineHeight) * size) / (/%$/.test(lineHeight) ? 100 : 1),
        string: `${style ? `${style} ` : ''}${weight ? `${weight} ` : ''}${size}px ${family}`,
      };
    };
    const toPadding = (padding) =>
      typeof padding === 'number' ? { top: padding, bottom: padding } : { top: 0, bottom: 0, ...padding };
    const textWidth = (text, font) => {
      ctx.save();
      ctx.font = font.string;
      const width = ctx.measureText(text).width;
      ctx.restore();
      return width;
    };
    // Each label as the rectangle its glyphs take (a font size high per line, lines a line height apart): its four
    // corners on the canvas, after its rotation about the point it is drawn at.
    const labels = [];
    const label = (
      what,
      lines,
      font,
      { at: [x, y], rotation = 0, align = 'center', baseline = 'middle', offset = 0 },
    ) => {
      const width = Math.max(...lines.map((line) => textWidth(String(line), font)));
      const left = align === 'center' ? -width / 2 : align === 'right' ? -width : 0;
      const middle = offset + (baseline === 'top' ? font.size / 2 : baseline === 'bottom' ? -font.size / 2 : 0);
      const top = middle - font.size / 2;
      const bottom = middle + (lines.length - 1) * font.lineHeight + font.size / 2;
      const [cos, sin] = [Math.cos(rotation), Math.sin(rotation)];
      const corners = [
        [left, top],
        [left + width, top],
        [left + width, bottom],
        [left, bottom],
      ].map(([u, v]) => [x + u * cos - v * sin, y + u * sin + v * cos]);
      labels.push({ what, corners });
    };
    for (const scale of Object.values(chart.scales)) {
      if (scale.options.display === false) continue;
      if (scale.options.ticks.display !== false) {
        const items = scale.getLabelItems();
        for (const { label: text, font, textOffset, options } of items) {
          const lines = [text].flat();
          if (lines.every((line) => line === '' || line == null)) continue;
          label(`${scale.id} label "${lines.join(' / ')}"`, lines, font, {
            at: options.translation,
            rotation: options.rotation,
            align: options.textAlign,
            baseline: options.textBaseline,
            offset: textOffset,
          });
        }
        // A category axis labels its rows: one line each, each row tall enough for its label and some air.
        if (scale.type === 'category' && !scale.isHorizontal()) {
          const font = scale._resolveTickFontOptions(0);
          for (const { label: text } of items)
            if (Array.isArray(text) && text.length > 1)
              problems.push(`${id}: ${scale.id} label "${text.join(' / ')}" is ${text.length} lines`);
          const middles = items.map((item) => item.options.translation[1]).sort((a, b) => a - b);
          const row = Math.min(...middles.slice(1).map((middle, i) => middle - middles[i]));
          if (row < 1.5 * font.size)
            problems.push(`${id}: ${items.length} rows of ${row.toFixed(1)} px for ${font.size}-px labels`);
        }
      }
      const title = scale.options.title;
      if (title.display) {
        // Drawn as Chart.js's Scale.drawTitle draws it: centred on the axis, a vertical axis's turned a quarter.
        const font = toFont(title.font);
        const padding = toPadding(title.padding);
        const lines = [title.text].flat();
        const position = scale.options.position;
        let offset = font.lineHeight / 2;
        offset += position === 'bottom' ? padding.bottom + font.lineHeight * (lines.length - 1) : padding.top;
        const at = scale.isHorizontal()
          ? [(scale.left + scale.right) / 2, position === 'bottom' ? scale.bottom - offset : scale.top + offset]
          : [position === 'left' ? scale.left + offset : scale.right - offset, (scale.top + scale.bottom) / 2];
        const rotation = scale.isHorizontal() ? 0 : position === 'left' ? -Math.PI / 2 : Math.PI / 2;
        label(`${scale.id} title "${lines.join(' / ')}"`, lines, font, { at, rotation });
        const room = scale.isHorizontal() ? scale.right - scale.left : Infinity;
        for (const line of lines)
          if (textWidth(line, font) > room + 1) problems.push(`${id}: ${scale.id} title "${line}" squeezed`);
      }
    }
    const heading = chart.titleBlock;
    if (heading?.options.display) {
      const font = toFont(heading.options.font);
      const lines = [heading.options.text].flat();
      const { titleX, titleY, maxWidth } = heading._drawArgs(font.lineHeight / 2 + heading._padding.top);
      label(`title "${lines.join(' / ')}"`, lines, font, { at: [titleX, titleY] });
      for (const line of lines)
        if (textWidth(line, font) > maxWidth + 1) problems.push(`${id}: title line "${line}" squeezed`);
    }
    const legend = chart.legend;
    if (legend?.options.display)
      for (const [i, { left, top, width, height }] of (legend.legendHitBoxes ?? []).entries()) {
        const text = legend.legendItems[i]?.text;
        labels.push({
          what: `legend "${text}"`,
          corners: [
            [left, top],
            [left + width, top],
            [left + width, top + height],
            [left, top + height],
          ],
        });
      }

    // Two convex shapes overlap unless some edge's normal separates them (a hair's overlap is touching).
    const overlap = (a, b) =>
      ![a, b].some((shape) =>
        shape
          .map((p, i) => {
            const q = shape[(i + 1) % shape.length];
            return [q[1] - p[1], p[0] - q[0]];
          })
          .some(([nx, ny]) => {
            const length = Math.hypot(nx, ny);
            const along = (corners) => corners.map(([x, y]) => (x * nx + y * ny) / length);
            const [s, t] = [along(a.corners ?? a), along(b.corners ?? b)];
            return Math.max(...s) <= Math.min(...t) + 0.5 || Math.max(...t) <= Math.min(...s) + 0.5;
          }),
      );
    for (const [i, a] of labels.entries()) {
      for (const b of labels.slice(i + 1))
        if (overlap(a.corners, b.corners)) problems.push(`${id}: ${a.what} overlaps ${b.what}`);
      const outside = a.corners.some(([x, y]) => x < -1 || y < -1 || x > chart.width + 1 || y > chart.height + 1);
      if (outside) problems.push(`${id}: ${a.what} is cut off at the canvas's edge`);
    }

    // Every mark inside the chart's area: each dataset's bars (both ends) and points, and the marks the plugins
    // draw from their options: the wall chart's whiskers, the convoy's request dots, the scaling chart's ranges.
    let marks = 0;
    const mark = (what, x, y) => {
      marks++;
      const inside = x >= area.left - 0.5 && x <= area.right + 0.5 && y >= area.top - 0.5 && y <= area.bottom + 0.5;
      if (!inside)
        problems.push(
          `${id}: ${what} at (${x.toFixed(1)}, ${y.toFixed(1)}) is outside the chart area ` +
            `(${area.left.toFixed(1)}–${area.right.toFixed(1)}, ${area.top.toFixed(1)}–${area.bottom.toFixed(1)})`,
        );
    };
    for (const meta of chart.getSortedVisibleDatasetMetas()) {
      const name = chart.data.datasets[meta.index].label;
      for (const [i, element] of meta.data.entries()) {
        const { x, y, base, width, height, horizontal } = element.getProps(
          ['x', 'y', 'base', 'width', 'height', 'horizontal'],
          true,
        );
        if (!Number.isFinite(x) || !Number.isFinite(y)) continue; // no value here: nothing drawn
        const what = `"${name}" ${meta.type === 'bar' ? 'bar' : 'point'} ${i}`;
        if (meta.type !== 'bar') mark(what, x, y);
        else if (horizontal)
          for (const [u, v] of [
            [x, y - height / 2],
            [base, y + height / 2],
          ])
            mark(what, u, v);
        else
          for (const [u, v] of [
            [x - width / 2, y],
            [x + width / 2, base],
          ])
            mark(what, u, v);
      }
    }
    const { x: across, y: down } = chart.scales;
    const { whiskers, dots } = chart.options.plugins;
    for (const { dataset, ranges } of whiskers?.bars ?? [])
      for (const [i, range] of ranges.entries()) {
        const y = chart.getDatasetMeta(dataset).data[i]?.y;
        if (range && Number.isFinite(y))
          for (const end of [range.min, range.max]) mark(`whisker end ${end} ms`, across.getPixelForValue(end), y);
      }
    for (const [i, latencies] of (dots?.rows ?? []).entries())
      for (const latency of latencies)
        mark(`request dot ${latency.toFixed(1)} ms`, across.getPixelForValue(latency), down.getPixelForValue(i));
    for (const [i, dataset] of chart.data.datasets.entries()) {
      if (!chart.isDatasetVisible(i)) continue;
      for (const [j, range] of (dataset.ranges ?? []).entries())
        for (const end of range ?? [])
          mark(
            `"${dataset.label}" range end ${end}`,
            across.getPixelForValue(dataset.data[j].x),
            down.getPixelForValue(end),
          );
    }
    checked[id] = { labels: labels.length, marks };
  }
  return { shown: shown.map((canvas) => canvas.id), checked, problems };
}

/** Checks what `inspect` found in `target` (a page or a frame) for `experiment`: no problem, and no chart it has not. */
async function judge(t, target, experiment) {
  const { shown, checked, problems } = await target.evaluate(inspect);
  t.diagnostic(`checked: ${JSON.stringify(checked)}`);
  assert.ok(shown.includes(experiment.charts[0]), `${experiment.charts[0]} is shown (shown: ${shown.join(', ')})`);
  for (const id of shown) {
    if (!experiment.charts.includes(id)) problems.unshift(`${id}: shown, though ${experiment.name} has no such chart`);
    else if (!(checked[id]?.labels > 0 && checked[id]?.marks > 0))
      problems.push(`${id}: nothing to check (${JSON.stringify(checked[id])})`);
  }
  assert.deepEqual(problems, [], `${experiment.name}: ${problems.length} problems`);
}

for (const experiment of EXPERIMENTS) {
  for (const width of [1280, 360]) {
    test(`${experiment.name} at ${width} px: no label overlaps another or is cut off, every mark inside its chart`, async (t) => {
      const context = await site.browser.newContext({ viewport: { width, height: width < 600 ? 740 : 900 } });
      try {
        const page = await openPage(context, `${site.url}?${experiment.query}&autorun=1`);
        await page.waitForFunction(ended, null, { timeout: 120_000 });
        await judge(t, page, experiment);
        assert.deepEqual(page.errors, []);
      } finally {
        await context.close();
      }
    });
  }

  test(`${experiment.name} embedded in a 600-px column: no label overlaps another or is cut off, every mark inside`, async (t) => {
    // The full page's snippet, run on arrival, in a blog's 600-px column.
    const frameHtml = autorun(snippet(`${site.url}?${experiment.query}`)).replace('width: 100%', 'width: 600px');
    assert.match(frameHtml, /width: 600px/);
    const parent = await blog(frameHtml);
    const context = await site.browser.newContext({ viewport: { width: 1000, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(parent.url);
      const frame = await (await page.waitForSelector('iframe')).contentFrame();
      await frame.waitForFunction(ended, null, { timeout: 120_000 });
      assert.deepEqual(await frame.evaluate(() => [innerWidth, document.body.classList.contains('embed')]), [
        600,
        true,
      ]);
      await judge(t, frame, experiment);
    } finally {
      await context.close();
      await parent.close();
    }
  });
}
