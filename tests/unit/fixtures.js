// Shapes as the core makes them (see crate/src/spec.rs and result.rs), small enough to read.

/** A few of `describe().fields`: one of each kind. */
export const FIELDS = [
  {
    name: 'n',
    param: 'n',
    api: true,
    label: 'n',
    hint: 'fib(n)',
    kind: 'number',
    min: 0,
    max: 45,
    default: 40,
    whole: true,
  },
  {
    name: 'switchMs',
    param: 'switch_ms',
    api: true,
    label: 'switch',
    hint: '',
    kind: 'number',
    min: 0.1,
    max: 100,
    default: 5,
    whole: false,
  },
  { name: 'modes', param: 'modes', api: false, label: 'modes', hint: '', kind: 'modes' },
  { name: 'mode', param: null, api: true, label: 'mode', hint: '', kind: 'mode' },
  { name: 'url', param: 'url', api: true, label: 'URL', hint: '', kind: 'url', placeholder: 'empty' },
  {
    name: 'endpoint',
    param: 'endpoint',
    api: true,
    label: 'endpoint',
    hint: '',
    kind: 'choice',
    choices: [
      { value: 'auto', label: 'auto' },
      { value: 'server', label: 'server' },
    ],
    default: 'auto',
  },
];

const ENV = {
  hardwareConcurrency: 8,
  crossOriginIsolated: true,
  userAgent: 'Mozilla/5.0 Chrome/156.0 Safari/537.36',
  build: 'threads',
};
const range = (median, min, max) => ({ median, min, max });

/** A summarized fib run: `walls` are its repeats' wall times. */
export function fibRun(mode, walls, { n = 30, jobs = 2, value = 832040, spawn = null } = {}) {
  const sorted = [...walls].sort((a, b) => a - b);
  return {
    mode,
    work: { fib: { n, jobs } },
    label: `fib(${n}) × ${jobs}`,
    n,
    workers: jobs,
    expected: 832040,
    correct: value === 832040,
    jobs: Array.from({ length: jobs }, (_, index) => ({
      index,
      lane: index,
      value,
      start: 0,
      end: sorted[0],
      spans: [],
    })),
    repeats: {
      count: walls.length,
      warmupMs: 1,
      wallMs: range(sorted[(sorted.length - 1) >> 1], sorted[0], sorted.at(-1)),
      spawnMs: spawn,
      samples: walls,
    },
    env: ENV,
  };
}

/** A summarized io run of `count` requests, `failed` of them with `error`. */
export function ioRun(mode, walls, { count = 3, failed = 0, error = 'no answer' } = {}) {
  const run = fibRun(mode, walls, { jobs: count });
  const jobs = run.jobs.map((job) => ({
    ...job,
    value: undefined,
    request: { error: job.index < failed ? error : undefined },
  }));
  const io = { requests: count, ok: count - failed, failed, target: 'u', builtin: true, delayMs: 100 };
  const work = { requests: { count, target: { builtin: { delayMs: 100 } } } };
  return { ...run, work, label: `${count} × GET built-in endpoint (100 ms)`, jobs, io, correct: failed === 0 };
}

/** A click of `runs`, with the report's speedups in the same order. */
export function click(runs, speedups = runs.map(() => null)) {
  return {
    experiment: 'article',
    entries: runs.map((run) => ({ run })),
    runs,
    report: { speedups, wide: runs.map(() => false), verdicts: [] },
    values: { n: '30' },
  };
}

/** A convoy click: alone and gil at 5 ms, and gil at 1 ms in turns (its report as the core reads it). */
export function convoyClick() {
  const figures = (regime, switchMs, [median, p95, max], more = {}) => ({
    regime,
    switchMs,
    inTurns: false,
    latencyMs: { median, p95, max },
    addedMs: null,
    gilWaitMs: 0,
    perSecond: 1000 / median,
    cpu: null,
    correct: true,
    repeatsMs: range(median, median, median),
    ...more,
  });
  const cpu = { wallMs: 100, rounds: 90, perSecond: 900, correct: true };
  const alone = figures('alone', 5, [1.2, 1.5, 2], { perSecond: 800, inFlightMs: 1.2 });
  const gil = figures('gil', 5, [6.3, 9, 12], { addedMs: 5.1, gilWaitMs: 4.9, inFlightMs: 1.4, perSecond: 150, cpu });
  const turns = figures('gil', 1, [2.2, 3, 4], { inTurns: true, addedMs: 1, gilWaitMs: 0.5, cpu });
  const run = (mode, workers, convoy) => {
    const base = ioRun(mode, [10, 11, 12], { count: 20 });
    const target = { builtin: { delayMs: 2 } };
    return {
      ...base,
      n: 27,
      workers,
      work: { convoy: { count: 20, target, n: 27, jobs: workers } },
      io: { ...base.io, delayMs: 2 },
      convoy,
    };
  };
  const runs = [run('io-sequential', 0, alone), run('gil', 2, gil), run('gil', 2, turns)];
  return {
    experiment: 'convoy',
    entries: runs.map((r) => ({ run: r })),
    runs,
    report: {
      speedups: runs.map(() => null),
      wide: runs.map(() => false),
      verdicts: [],
      convoy: { regimes: [alone, gil], sweep: [turns, gil], words: [] },
    },
    values: { experiment: 'convoy' },
  };
}

/** A scaling click: single and threads at k = 1 and 2 on 2 cores (its report as the core reads it). */
export function scalingClick() {
  const runs = [1, 2].flatMap((k) => [
    fibRun('single', [10 * k, 11 * k, 12 * k], { n: 24, jobs: k, value: 46368 }),
    fibRun('threads', [10, 10.5, 12], { n: 24, jobs: k, value: 46368 }),
  ]);
  const point = (mode, workers, wallMs, speedup, speedupRange) => ({
    mode,
    workers,
    wallMs,
    speedup,
    speedupRange,
    ideal: workers,
    efficiency: speedup / workers,
    correct: true,
  });
  const points = [
    point('single', 1, range(11, 10, 12), 1, [0.83, 1.2]),
    point('threads', 1, range(10.5, 10, 12), 1.0476, [0.83, 1.2]),
    point('single', 2, range(22, 20, 24), 1, [0.83, 1.2]),
    point('threads', 2, range(10.5, 10, 12), 2.0952, [1.67, 2.4]),
  ];
  return {
    experiment: 'scaling',
    entries: runs.map((run) => ({ run })),
    runs,
    report: {
      speedups: [1, 1.0476, 1, 2.0952],
      wide: runs.map(() => false),
      scaling: { cores: 2, points, words: ['threads: 2.10× at k = 2.'] },
    },
    values: { experiment: 'scaling', ks: '1,2', n: '24' },
  };
}
