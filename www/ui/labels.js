// The charts' words at any width: a bar's label keeps its mode, a caption wraps between its parts (and so the PNG
// and SVG exports, drawn from the same chart, keep them too).

/** About how many characters of the charts' 12-px text fit in `pixels`. */
const fitting = (pixels) => Math.max(12, Math.floor(pixels / 6.5));

/** A bar's label, "mode · work", as two lines: the mode, and the work shortened to a third of the chart's width. */
export function barLabel(label, width) {
  const [mode, ...work] = label.split(' · ');
  const text = work.join(' · ');
  const room = fitting(width / 3);
  return [mode, text.length > room ? `${text.slice(0, room - 1)}…` : text];
}

/** A caption as lines that fit the chart's width, broken between its " · " parts. */
export function wrapped(caption, width) {
  const lines = [];
  for (const part of caption.split(' · ')) {
    const last = lines.at(-1);
    if (last !== undefined && `${last} · ${part}`.length <= fitting(width))
      lines[lines.length - 1] = `${last} · ${part}`;
    else lines.push(part);
  }
  return lines;
}
