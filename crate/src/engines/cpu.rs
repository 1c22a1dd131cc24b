//! How the CPU-bound modes run their k jobs of fib(n). Each returns the finished `Run`.

use std::time::Duration;

use crate::clock::now_ms;
use crate::engines::gil::Gil;
use crate::fib::{fib, fib_with, Subtrees, GRAIN};
use crate::modes::Mode;
use crate::result::{GilSummary, Job, Run, Span, SpanKind};

/// One fib(n) job on `lane`, timed.
pub fn job(n: u32, index: u32, lane: u32) -> Job {
    crate::fault::job_starts(&format!("fib({n}) job {index}"));
    let start = now_ms();
    let value = fib(n);
    let end = now_ms();
    Job {
        index,
        lane,
        value: Some(value),

        request: None,
        start,
        end,
        spans: vec![Span { kind: SpanKind::Compute, start, end }],
    }
}

/// single: the k jobs one after another, here.
pub fn single(n: u32, k: u32) -> Run {
    let started = now_ms();
    let jobs = (0..k).map(|index| job(n, index, 0)).collect();
    Run::new(Mode::Single, n, k, started, now_ms(), jobs)
}

/// threads: the k jobs at once on a pool of k threads. The pool was started before the run, as a Python thread
/// starts in well under a millisecond where a wasm thread (a Web Worker) takes tens: that is the browser's cost,
/// not the experiment's, so the page starts the pool ahead and shows its start time apart.
pub fn threads(n: u32, k: u32) -> Run {
    let started = now_ms();
    let jobs = on_each_thread(k, |thread| job(n, thread, thread));
    Run::new(Mode::Threads, n, k, started, now_ms(), jobs)
}

/// gil: k threads that each run one job, but must hold the GIL to compute.
pub fn gil(n: u32, k: u32, switch_ms: f64) -> Run {
    let gil = Gil::new(Duration::from_secs_f64(switch_ms / 1000.0));
    let started = now_ms();
    let jobs = on_each_thread(k, |thread| gil_job(&gil, n, thread));
    let mut run = Run::new(Mode::Gil, n, k, started, now_ms(), jobs);
    run.gil = Some(GilSummary { switch_ms, check_grain: GRAIN, switches: gil.switches(), in_turns: false });
    run
}

fn gil_job(gil: &Gil, n: u32, thread: u32) -> Job {
    crate::fault::job_starts(&format!("fib({n}) job {thread}"));
    let start = now_ms();
    let mut holder = gil.enter(thread);
    let value = fib_with(n, gil.drop_request(), &mut || holder.let_go());
    let spans = holder.finish();
    Job { index: thread, lane: thread, value: Some(value), request: None, start, end: now_ms(), spans }
}

/// gil where workers cannot share memory: the k jobs take turns on this one worker, each computing for a switch
/// interval before the next one has its turn, round-robin. That is what the GIL amounts to on the wall clock (one
/// job computes at a time), without its hand-over's cost. Each job's lane shows when it held the turn and waited.
pub fn gil_in_turns(n: u32, k: u32, switch_ms: f64) -> Run {
    let started = now_ms();
    let mut walks: Vec<Subtrees> = (0..k).map(|_| Subtrees::new(n)).collect();
    let mut spans: Vec<Vec<Span>> = vec![Vec::new(); k as usize];
    let mut ends = vec![started; k as usize];
    let mut waiting_since = vec![started; k as usize];
    let (mut switches, mut last) = (0u64, None);
    let mut running: Vec<usize> = (0..k as usize).collect();
    for job in &running {
        crate::fault::job_starts(&format!("fib({n}) job {job}"));
    }
    while !running.is_empty() {
        running.retain(|&job| {
            let turn = now_ms();
            if turn > waiting_since[job] {
                spans[job].push(Span { kind: SpanKind::GilWait, start: waiting_since[job], end: turn });
            }
            if last.is_some_and(|previous| previous != job) {
                switches += 1;
            }
            last = Some(job);
            let mut more = walks[job].step();
            while more && now_ms() - turn < switch_ms {
                more = walks[job].step();
            }
            let end = now_ms();
            spans[job].push(Span { kind: SpanKind::GilHeld, start: turn, end });
            (waiting_since[job], ends[job]) = (end, end);
            more
        });
    }
    let jobs = (0..k)
        .map(|i| {
            let index = i as usize;
            Job {
                index: i,
                lane: i,
                value: Some(walks[index].value()),

                request: None,
                start: started,
                end: ends[index],
                spans: std::mem::take(&mut spans[index]),
            }
        })
        .collect();
    let mut run = Run::new(Mode::Gil, n, k, started, now_ms(), jobs);
    run.gil = Some(GilSummary { switch_ms, check_grain: GRAIN, switches, in_turns: true });
    run
}

/// A job in a "process": a fresh worker created at `created` that has just instantiated its own wasm memory.
/// The time from creation to now is its spawn, in parts where the worker marked them (see `spawn_spans`).
pub fn process_job(n: u32, index: u32, created: f64, marks: &[f64]) -> Job {
    let mut job = job(n, index, index);
    let mut spans = spawn_spans(created, marks, job.start);
    spans.append(&mut job.spans);
    job.spans = spans;
    job
}

/// A fresh worker's spawn from `created` to `ready` (its job's start), on the common clock. `marks`: when the
/// worker itself started (its `performance.timeOrigin`), when its script had run (the glue evaluated) and when the
/// page's message reached it; then its instance until `ready`. Four spans that add up to the spawn, each kept
/// within the one before and `ready` (a coarse clock can put a mark a little early); one whole span without marks.
pub fn spawn_spans(created: f64, marks: &[f64], ready: f64) -> Vec<Span> {
    use SpanKind::*;
    let &[origin, script, received] = marks else {
        return vec![Span { kind: Spawn, start: created, end: ready }];
    };
    let mut at = created;
    let mut part = |kind, end: f64| {
        let span = Span { kind, start: at, end: end.min(ready).max(at) };
        at = span.end;
        span
    };
    vec![part(SpawnWorker, origin), part(SpawnScript, script), part(SpawnMessage, received), part(SpawnInstance, ready)]
}

/// processes or interpreters (`mode`): the run put together from the jobs the k fresh workers sent back.
pub fn processes(mode: Mode, n: u32, k: u32, started: f64, mut jobs: Vec<Job>) -> Run {
    Run::in_order(&mut jobs);
    let ended = jobs.iter().map(|job| job.end).fold(started, f64::max);
    Run::new(mode, n, k, started, ended, jobs)
}

/// Runs `job(i)` once on each thread i of a pool of k threads, like starting k Python threads: rayon's broadcast
/// guarantees one job per thread, where a parallel iterator might run two small jobs on one thread.
/// In wasm the pool is the global one, sized by `initThreadPool(k)`; natively a pool is built for the run.
pub fn on_each_thread<T: Send>(k: u32, job: impl Fn(u32) -> T + Sync) -> Vec<T> {
    let broadcast = || rayon::broadcast(|context| job(context.index() as u32));
    if cfg!(target_arch = "wasm32") {
        broadcast()
    } else {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(k as usize).build().expect("native thread pool");
        pool.install(broadcast)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lanes(run: &Run) -> Vec<u32> {
        let mut lanes: Vec<u32> = run.jobs.iter().map(|job| job.lane).collect();
        lanes.sort();
        lanes.dedup();
        lanes
    }

    #[test]
    fn single_runs_the_jobs_in_order_on_one_lane() {
        let run = single(20, 3);
        assert!(run.correct);
        assert_eq!(run.jobs.len(), 3);
        assert_eq!(lanes(&run), [0]);
        assert!(run.jobs.windows(2).all(|w| w[0].end <= w[1].start));
        assert_eq!(run.spawn_ms, None);
    }

    #[test]
    fn threads_run_correctly_each_job_on_its_own_thread() {
        let run = threads(25, 2);
        assert!(run.correct, "{run:?}");
        assert_eq!(lanes(&run), [0, 1], "each job on its own thread");
        assert_eq!(run.spawn_ms, None, "the pool is started before the run");
    }

    #[test]
    fn gil_runs_correctly_with_one_holder_at_a_time() {
        let run = gil(27, 2, 1.0);
        assert!(run.correct, "{run:?}");
        assert_eq!(lanes(&run).len(), 2, "each job on its own thread");
        let mut held: Vec<Span> =
            run.jobs.iter().flat_map(|job| job.spans.iter().copied()).filter(|s| s.kind == SpanKind::GilHeld).collect();
        held.sort_by(|a, b| a.start.total_cmp(&b.start));
        assert!(held.windows(2).all(|w| w[0].end <= w[1].start), "held spans overlap");
        assert_eq!(run.gil.as_ref().unwrap().check_grain, GRAIN);
    }

    #[test]
    fn gil_in_turns_gives_each_job_turns_and_never_two_at_once() {
        let run = gil_in_turns(27, 3, 0.2);
        assert!(run.correct, "{run:?}");
        assert_eq!(lanes(&run), [0, 1, 2]);
        let gil = run.gil.as_ref().unwrap();
        assert!(gil.in_turns && gil.switches >= 3, "{gil:?}");
        let mut held: Vec<Span> =
            run.jobs.iter().flat_map(|job| job.spans.iter().copied()).filter(|s| s.kind == SpanKind::GilHeld).collect();
        held.sort_by(|a, b| a.start.total_cmp(&b.start));
        assert!(held.windows(2).all(|w| w[0].end <= w[1].start), "two jobs held the turn at once");
        assert!(
            run.jobs.iter().all(|job| job.spans.iter().filter(|s| s.kind == SpanKind::GilHeld).count() >= 2),
            "turns were shared"
        );
        let one = gil_in_turns(15, 1, 5.0);
        assert_eq!((one.correct, one.gil.unwrap().switches), (true, 0), "alone, a job keeps the turn");
    }

    #[test]
    fn processes_assemble_from_reported_jobs() {
        let started = now_ms();
        let jobs = vec![process_job(15, 1, started, &[]), process_job(15, 0, started + 1.0, &[])];
        let run = processes(Mode::Processes, 15, 2, started, jobs);
        assert!(run.correct);
        assert_eq!(run.jobs.iter().map(|j| j.index).collect::<Vec<_>>(), [0, 1]);
        assert!(run.spawn_ms.is_some());
        assert_eq!(run.ended, run.jobs.iter().map(|j| j.end).fold(0.0, f64::max));
    }

    #[test]
    fn a_spawn_in_parts_adds_up_to_the_spawn_and_a_coarse_mark_cannot_make_a_part_negative() {
        let parts = spawn_spans(100.0, &[104.0, 110.5, 110.75], 118.0);
        let kinds: Vec<SpanKind> = parts.iter().map(|s| s.kind).collect();
        use SpanKind::*;
        assert_eq!(kinds, [SpawnWorker, SpawnScript, SpawnMessage, SpawnInstance]);
        assert_eq!(parts.iter().map(Span::ms).collect::<Vec<_>>(), [4.0, 6.5, 0.25, 7.25]);
        assert!(parts.windows(2).all(|w| w[0].end == w[1].start), "one after another");
        // A worker's time origin a little before its creation (a coarse clock), a mark past the job's start.
        let coarse = spawn_spans(100.0, &[99.0, 103.0, 120.0], 118.0);
        assert_eq!(coarse.iter().map(Span::ms).collect::<Vec<_>>(), [0.0, 3.0, 15.0, 0.0]);
        assert_eq!(spawn_spans(100.0, &[], 118.0), [Span { kind: Spawn, start: 100.0, end: 118.0 }]);
        let job = process_job(10, 0, 100.0, &[104.0, 110.5, 110.75]);
        let run = Run::new(Mode::Processes, 10, 1, 100.0, job.end, vec![job.clone()]);
        assert!((run.spawn_ms.unwrap() - (job.start - 100.0)).abs() < 1e-9, "the parts are the whole spawn");
    }
}
