// Where the figures were made: browser, cores, whether and how the page is cross-origin isolated, which build
// computed, and how fine the clock is. Shown on the page, and in the chart's caption, so a screenshot explains itself.
import { el } from './el.js';

/** "Firefox 153", "Chrome 156", "Edge 140", "Safari 18", from a user agent string. */
export function browserName(userAgent) {
  // In this order: Edge's agent also says Chrome, and Chrome's also says Safari.
  for (const [token, name] of [
    ['Firefox', 'Firefox'],
    ['Edg', 'Edge'],
    ['Chrome', 'Chrome'],
    ['Version', 'Safari'],
  ]) {
    const version = userAgent.match(new RegExp(`${token}/(\\d+)`))?.[1];
    if (version) return `${name} ${version}`;
  }
  return 'an unknown browser';
}

/** The page's isolation, and through what: the host's headers, the service worker's, or (embedded) DIP. */
async function isolation(support) {
  if (!crossOriginIsolated) return `no: ${support.reason}`;
  if (window.parent !== window) return 'yes, through Document-Isolation-Policy (embedded in another page)';
  // A plain request is not a navigation: the service worker leaves it alone, so its headers are the host's own.
  const own = await fetch(location.href, { method: 'HEAD', cache: 'no-store' }).then(
    (response) => response.headers.has('cross-origin-embedder-policy'),
    () => false,
  );
  return own
    ? "yes, through the host's COOP/COEP headers"
    : "yes, through the service worker's COOP/COEP headers (the host sends none)";
}

/** The smallest step of performance.now() seen, in µs. */
function timerResolution() {
  let smallest = Infinity;
  for (let i = 0; i < 50; i++) {
    const start = performance.now();
    let next = performance.now();
    while (next === start) next = performance.now();
    smallest = Math.min(smallest, next - start);
  }
  return smallest * 1000;
}

export async function renderEnvironment(list, { support, build }) {
  const rows = [
    ['browser', browserName(navigator.userAgent)],
    ['cores', String(navigator.hardwareConcurrency || 1)],
    ['cross-origin isolated', await isolation(support)],
    [
      'build computing every CPU mode',
      build === 'threads' ? 'threads (atomics, one shared memory)' : 'plain (no shared memory)',
    ],
    ['timer resolution', `${timerResolution().toFixed(1)} µs`],
  ];
  list.replaceChildren(...rows.flatMap(([term, value]) => [el('dt', {}, [term]), el('dd', {}, [value])]));
}

/** "CPython 3.14.0, free-threaded, GIL off, 8 cores (Linux)": the visitor's own Python (threadlab.py's). */
export function pythonName(python) {
  const build = python.freeThreaded ? ', free-threaded' : '';
  return `${python.implementation} ${python.version}${build}, GIL ${python.gilEnabled ? 'on' : 'off'}, ${python.cores} cores (${python.os})`;
}

/** "Chrome 156 on 8 cores, cross-origin isolated, threads build": where a run ran, from its own record. */
export function machine(env) {
  if (env.python) return `your ${pythonName(env.python)}, its processes started by ${env.python.startMethod}`;
  const cores = `${env.hardwareConcurrency} core${env.hardwareConcurrency === 1 ? '' : 's'}`;
  return `${browserName(env.userAgent)} on ${cores}, ${env.crossOriginIsolated ? '' : 'not '}cross-origin isolated, ${env.build} build`;
}

/**
 * A chart's caption: what ran (`works`: by default every run's work), and where (each group's machine, from its
 * runs' own record), and how many repeats.
 */
export function caption(groups, works = null) {
  const runs = groups.flatMap((group) => group.runs);
  works ??= [...new Set(runs.map((run) => run.label))].join(', ');
  const repeats = Math.max(...runs.map((run) => run.repeats.count));
  const where = groups.map(
    ({ label, runs: [{ env }] }) =>
      `${label ? `${label}: ` : ''}${env.python ? pythonName(env.python) : `${browserName(env.userAgent)}, ${env.hardwareConcurrency} cores`}`,
  );
  return `${works} · ${where.join(' · ')} · median of ${repeats} run${repeats > 1 ? 's' : ''} each`;
}
