//! How the CPU-bound modes run their k jobs of a task (fib(n), or sha256: see `work`). Each returns the finished
//! `Run`. Where threads share memory, the payload is made once before the run and every job reads the same bytes.

use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::clock::now_ms;
use crate::engines::gil::Gil;
use crate::fib::{fib_with, GRAIN};
use crate::modes::Mode;
use crate::result::{GilSummary, Job, Run, Span, SpanKind};
use crate::work::{self, Task, WorkKind};

/// One job of `task` on `lane`, timed: it reads the payload, then computes.
pub fn job(task: &Task, payload: &[u8], index: u32, lane: u32) -> Job {
    crate::fault::job_starts(&format!("{} job {index}", task.label()));
    let start = now_ms();
    work::read(payload);
    let value = task.compute();
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
pub fn single(task: &Task, k: u32) -> Run {
    let payload = work::payload(task.payload_mb);
    let started = now_ms();
    let jobs = (0..k).map(|index| job(task, &payload, index, 0)).collect();
    Run::new(Mode::Single, task, k, started, now_ms(), jobs)
}

/// threads: the k jobs at once on a pool of k threads. The pool was started before the run, as a Python thread
/// starts in well under a millisecond where a wasm thread (a Web Worker) takes tens: that is the browser's cost,
/// not the experiment's, so the page starts the pool ahead and shows its start time apart.
pub fn threads(task: &Task, k: u32) -> Run {
    let payload = work::payload(task.payload_mb);
    let started = now_ms();
    let jobs = on_each_thread(k, |thread| job(task, &payload, thread, thread));
    Run::new(Mode::Threads, task, k, started, now_ms(), jobs)
}

/// gil: k threads that each run one job, but must hold the GIL to compute (sha256 lets go of it while it hashes).
pub fn gil(task: &Task, k: u32, switch_ms: f64) -> Run {
    let gil = Gil::new(Duration::from_secs_f64(switch_ms / 1000.0));
    let payload = work::payload(task.payload_mb);
    let started = now_ms();
    let jobs = on_each_thread(k, |thread| gil_job(&gil, task, &payload, thread));
    let mut run = Run::new(Mode::Gil, task, k, started, now_ms(), jobs);
    run.gil = Some(GilSummary { switch_ms, check_grain: GRAIN, switches: gil.switches(), in_turns: false });
    run
}

fn gil_job(gil: &Gil, task: &Task, payload: &[u8], thread: u32) -> Job {
    crate::fault::job_starts(&format!("{} job {thread}", task.label()));
    let start = now_ms();
    let mut holder = gil.enter(thread);
    work::read(payload);
    // Native code's chunks, hashed with the lock let go.
    let mut chunks = Vec::new();
    let value = match task.kind {
        WorkKind::Fib => fib_with(task.n, gil.drop_request(), &mut || holder.let_go()),
        // As CPython's hashlib: a check point before each chunk, and the lock let go around it.
        WorkKind::Sha256 => {
            let mut hashing = task.steps();
            let mut chunk = || {
                let start = now_ms();
                let more = hashing.step();
                if more {
                    chunks.push(Span { kind: SpanKind::Compute, start, end: now_ms() });
                }
                more
            };
            loop {
                if gil.drop_request().load(Ordering::Relaxed) {
                    holder.let_go();
                }
                if !holder.blocking(&mut chunk) {
                    break hashing.value();
                }
            }
        }
    };
    // The GIL's spans, then the chunks' (each list in time order; a lane is drawn span by span, in any order).
    let mut spans = holder.finish();
    spans.append(&mut chunks);
    Job { index: thread, lane: thread, value: Some(value), request: None, start, end: now_ms(), spans }
}

/// gil where workers cannot share memory: the k jobs take turns on this one worker, each computing for a switch
/// interval before the next one has its turn, round-robin. That is what the GIL amounts to on the wall clock (one
/// job computes at a time), without its hand-over's cost; and native code that lets go of the GIL gains nothing on
/// one worker. Each job's lane shows when it held the turn and waited.
pub fn gil_in_turns(task: &Task, k: u32, switch_ms: f64) -> Run {
    let payload = work::payload(task.payload_mb);
    let started = now_ms();
    let mut walks: Vec<_> = (0..k).map(|_| task.steps()).collect();
    let mut spans: Vec<Vec<Span>> = vec![Vec::new(); k as usize];
    let mut ends = vec![started; k as usize];
    let mut waiting_since = vec![started; k as usize];
    let (mut switches, mut last) = (0u64, None);
    let mut running: Vec<usize> = (0..k as usize).collect();
    for job in &running {
        crate::fault::job_starts(&format!("{} job {job}", task.label()));
        work::read(&payload);
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
    let mut run = Run::new(Mode::Gil, task, k, started, now_ms(), jobs);
    run.gil = Some(GilSummary { switch_ms, check_grain: GRAIN, switches, in_turns: true });
    run
}

/// A job in a "process": a fresh worker created at `created` that has instantiated its own wasm memory, then got its
/// `payload` by copy (from `marks`' fourth, its instance ready, until now, as its own span). The time from creation
/// until its instance was ready is its spawn, in parts where the worker marked them (see `spawn_spans`).
pub fn process_job(task: &Task, payload: &[u8], index: u32, created: f64, marks: &[f64]) -> Job {
    let copied = now_ms();
    let mut job = job(task, payload, index, index);
    // Without a payload, the spawn lasts until the job starts, as it always has.
    let ready = match marks.get(3) {
        Some(&ready) if task.payload_mb > 0 => ready.min(copied),
        _ => job.start,
    };
    let mut spans = spawn_spans(created, marks.get(..3).unwrap_or(&[]), ready);
    if task.payload_mb > 0 {
        spans.push(Span { kind: SpanKind::CopyIn, start: ready, end: job.start });
    }
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
pub fn processes(mode: Mode, task: &Task, k: u32, started: f64, mut jobs: Vec<Job>) -> Run {
    Run::in_order(&mut jobs);
    let ended = jobs.iter().map(|job| job.end).fold(started, f64::max);
    Run::new(mode, task, k, started, ended, jobs)
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
    use Task as T;

    fn lanes(run: &Run) -> Vec<u32> {
        let mut lanes: Vec<u32> = run.jobs.iter().map(|job| job.lane).collect();
        lanes.sort();
        lanes.dedup();
        lanes
    }

    #[test]
    fn single_runs_the_jobs_in_order_on_one_lane() {
        let run = single(&T::fib(20), 3);
        assert!(run.correct);
        assert_eq!(run.jobs.len(), 3);
        assert_eq!(lanes(&run), [0]);
        assert!(run.jobs.windows(2).all(|w| w[0].end <= w[1].start));
        assert_eq!(run.spawn_ms, None);
    }

    #[test]
    fn threads_run_correctly_each_job_on_its_own_thread() {
        let run = threads(&T::fib(25), 2);
        assert!(run.correct, "{run:?}");
        assert_eq!(lanes(&run), [0, 1], "each job on its own thread");
        assert_eq!(run.spawn_ms, None, "the pool is started before the run");
    }

    #[test]
    fn gil_runs_correctly_with_one_holder_at_a_time() {
        let run = gil(&T::fib(27), 2, 1.0);
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
        let run = gil_in_turns(&T::fib(27), 3, 0.2);
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
        let one = gil_in_turns(&T::fib(15), 1, 5.0);
        assert_eq!((one.correct, one.gil.unwrap().switches), (true, 0), "alone, a job keeps the turn");
    }

    #[test]
    fn processes_assemble_from_reported_jobs() {
        let started = now_ms();
        let jobs =
            vec![process_job(&T::fib(15), &[], 1, started, &[]), process_job(&T::fib(15), &[], 0, started + 1.0, &[])];
        let run = processes(Mode::Processes, &T::fib(15), 2, started, jobs);
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
        let ready = now_ms();
        let job = process_job(&T::fib(10), &[], 0, ready - 18.0, &[ready - 14.0, ready - 7.5, ready - 7.25, ready]);
        let run = Run::new(Mode::Processes, &T::fib(10), 1, ready - 18.0, job.end, vec![job.clone()]);
        assert!((run.spawn_ms.unwrap() - (job.start - (ready - 18.0))).abs() < 1e-9, "the parts are the whole spawn");
        assert_eq!(run.copy_ms, None, "no payload, no copy");
    }

    #[test]
    fn a_process_copies_its_payload_after_its_spawn_and_before_its_work() {
        let task = Task { payload_mb: 1, ..T::fib(12) };
        let ready = now_ms();
        let job =
            process_job(&task, &work::payload(1), 0, ready - 5.0, &[ready - 4.0, ready - 3.0, ready - 2.0, ready]);
        let kinds: Vec<SpanKind> = job.spans.iter().map(|s| s.kind).collect();
        use SpanKind::*;
        assert_eq!(kinds, [SpawnWorker, SpawnScript, SpawnMessage, SpawnInstance, CopyIn, Compute]);
        assert!(job.spans.windows(2).all(|w| w[0].end <= w[1].start), "one after another: {:?}", job.spans);
        let run = processes(Mode::Processes, &task, 1, ready - 5.0, vec![job]);
        assert!(run.correct && run.copy_ms.is_some());
        // Threads share the payload: no copy.
        for run in [threads(&task, 2), single(&task, 2), gil(&task, 2, 1.0)] {
            assert!(run.correct && run.copy_ms.is_none(), "{:?}", run.mode);
            assert_eq!(run.work.label(), "fib(12) × 2, reading 1 MiB");
        }
    }

    #[test]
    fn gil_with_sha256_lets_go_around_each_chunk_and_holds_the_lock_only_between_chunks() {
        let task = Task { kind: WorkKind::Sha256, mib: 4, ..T::fib(0) };
        let run = gil(&task, 2, 1.0);
        assert!(run.correct, "{run:?}");
        for job in &run.jobs {
            let of = |kind| job.spans.iter().filter(move |s| s.kind == kind);
            let chunks: Vec<&Span> = of(SpanKind::Compute).collect();
            assert_eq!(chunks.len(), 4, "a span for each chunk: {:?}", job.spans);
            // No hold covers a chunk's hashing: each hold ends before a chunk starts, or starts after it ends.
            for held in of(SpanKind::GilHeld) {
                assert!(chunks.iter().all(|c| held.end <= c.start || c.end <= held.start), "{held:?} {chunks:?}");
            }
        }
        // fib never lets go unless asked: its one thread holds the lock throughout.
        let fib = gil(&T::fib(20), 1, 5.0);
        assert!(fib.jobs[0].spans.iter().all(|s| s.kind == SpanKind::GilHeld));
        let turns = gil_in_turns(&task, 2, 1.0);
        assert!(turns.correct, "where memory cannot be shared, the jobs take turns: {turns:?}");
    }
}
