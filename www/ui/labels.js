// The charts' words at any width: a row's label is one line, its mode (the work is the caption's); a caption or an
// axis title wraps between its parts (and so the PNG and SVG exports, drawn from the same chart, keep them too).

/** About how wide the charts' 12-px text is, where nothing measures it: 6.5 px a character. */
const estimate = (text) => text.length * 6.5;

/**
 * Each row's label, one line (`rows`: `[{ mode, work, label }]`: the run's name, its work and the work in words):
 * its mode, the work being the chart's caption. A mode on several rows adds what tells them apart: its k where only
 * k differs (fib(n) × k, as the scaling's rows do), else its work.
 */
export function rowLabels(rows) {
  // A CPU run's work but for its k: `{"fib": {"n": 40, "jobs": 2}}` → `fib {"n":40,"jobs":0}`; none for requests.
  const butK = ({ work }) => {
    const [kind, cpu] = Object.entries(work ?? {})[0] ?? [];
    return ['fib', 'sha256'].includes(kind) ? `${kind} ${JSON.stringify({ ...cpu, jobs: 0 })}` : undefined;
  };
  return rows.map((row) => {
    const same = rows.filter((other) => other.mode === row.mode);
    if (same.length === 1) return row.mode;
    const onlyK = butK(row) !== undefined && same.every((other) => butK(other) === butK(row));
    return onlyK ? `${row.mode}, k = ${Object.values(row.work)[0].jobs}` : `${row.mode}, ${row.label}`;
  });
}

/**
 * `text` as lines no wider than `width` px, as even as its breaks allow, broken between its parts: at " · " (dropped
 * at a break), or with `between: ', '` after a comma (kept); a part wider than a line alone is broken between its
 * words. `measure(text)`: its width in px (by default about 6.5 px a character).
 */
export function wrapped(text, width, { measure = estimate, between = ' · ' } = {}) {
  const mark = between.startsWith(' ') ? '' : between.trimEnd(); // what a broken line keeps of the separator
  // As much on each line as fits in `room`.
  const fill = (parts, glue, kept, room) => {
    const lines = [];
    for (const part of parts) {
      const last = lines.at(-1);
      if (last !== undefined && measure(`${last}${glue}${part}`) <= room)
        lines[lines.length - 1] = `${last}${glue}${part}`;
      else {
        if (last !== undefined) lines[lines.length - 1] = `${last}${kept}`;
        lines.push(part);
      }
    }
    return lines;
  };
  // As even as the breaks allow: `wrap` in the narrowest room that takes no more lines than `width` does.
  const even = (wrap) => {
    const count = wrap(width).length;
    let [narrow, wide] = [0, width];
    for (let i = 0; i < 10; i++) {
      const middle = (narrow + wide) / 2;
      if (wrap(middle).length <= count) wide = middle;
      else narrow = middle;
    }
    return wrap(wide);
  };
  const words = (part) => even((room) => fill(part.split(' '), ' ', '', room));
  return even((room) =>
    fill(text.split(between), between, mark, room).flatMap((line) => (measure(line) <= width ? [line] : words(line))),
  );
}
