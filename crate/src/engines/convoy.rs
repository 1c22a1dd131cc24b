//! The convoy's engine (bugs.python.org issue 7946): one IO thread makes requests one after another while k
//! CPU-bound threads compute. Under the GIL the IO thread lets go of it for each request, as CPython does around a
//! blocking call, and must take it back before it can handle the answer and send the next one: through the drop
//! request every gil thread waits on, so each round trip costs up to a switch interval more.
//!
//! The CPU threads compute fib(n) again and again until the IO thread has had its last answer, so every request
//! shares the machine with them; what they got done is how many fib(n) they finished a second. Where memory is
//! shared they are threads of the pool (`run`); in processes, fresh workers (`cpu_round`, `assemble`); where memory
//! cannot be shared, turns on one worker (`turns`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::clock::now_ms;
use crate::engines::gil::Gil;
use crate::fib::{fib, fib_fast, fib_with, GRAIN};
use crate::modes::Mode;
use crate::result::{median_of, ConvoySummary, Cpu, GilSummary, HandOver, Job, Request, Run, Span, SpanKind, Work};
use crate::spec::{Options, Regime};
use crate::stats::{latency, to_micros};
use crate::work::{Task, WorkKind};

/// The IO thread's lane; the CPU threads are lanes 1 to k.
const IO_LANE: u32 = 0;

/// One blocking GET (a URL, a timeout in ms): what the IO thread calls.
pub type Get<'a> = &'a (dyn Fn(&str, u32) -> Request + Sync);

/// The IO thread: `requests` GETs one after another, each made with `get`, under `gil` if any. A request is what
/// Python's socket makes of it: a call that sends it and returns at once, then one that waits for the answer, and
/// CPython lets go of the GIL around each (here `Holder::hand_over` stands for the send `get` makes; the wait is
/// `get`).
pub fn io_thread(options: &Options, base: &str, gil: Option<&Gil>, get: Get) -> Vec<Job> {
    let mut holder = gil.map(|gil| gil.enter(IO_LANE));
    let mut jobs = Vec::new();
    for index in 0..options.requests {
        crate::fault::job_starts(&format!("request {index}"));
        let url = crate::engines::io::url(options, base, index);
        let call = || (now_ms(), get(&url, options.timeout_ms), now_ms());
        let start = now_ms();
        let (sent, request, answered) = match holder.as_mut() {
            Some(holder) => {
                holder.hand_over();
                holder.blocking(call)
            }
            None => call(),
        };
        jobs.push(request_job(index, [start, sent, answered, now_ms()], request));
    }
    if let Some(holder) = holder {
        let spans = holder.finish();
        attach(&mut jobs, spans);
    }
    jobs
}

/// A request of the IO thread, from the call at `start` until it could go on at `end`; in flight from `sent` to
/// `answered`.
fn request_job(index: u32, [start, sent, answered, end]: [f64; 4], request: Request) -> Job {
    let mut job = crate::engines::io::job(index, sent, answered, request);
    (job.lane, job.start, job.end) = (IO_LANE, start, end);
    job
}

/// Gives each of the IO thread's GIL spans to the request it belongs to: the one sent last before it began (the
/// first request also gets the holding before it).
fn attach(jobs: &mut [Job], spans: Vec<Span>) {
    for span in spans {
        let at = jobs.iter().rposition(|job| job.start <= span.start).unwrap_or(0);
        if let Some(job) = jobs.get_mut(at) {
            job.spans.push(span);
        }
    }
}

/// A CPU thread on `lane`: fib(n) again and again, under `gil` if any, until `done`; its job and the rounds it
/// finished.
fn cpu_thread(n: u32, index: u32, lane: u32, gil: Option<&Gil>, done: &AtomicBool) -> (Job, u32) {
    crate::fault::job_starts(&format!("fib({n}) thread {lane}"));
    let (start, expected) = (now_ms(), fib_fast(n));
    let (mut value, mut rounds) = (expected, 0);
    let mut keep = |got: u64| {
        if got != expected {
            value = got;
        }
        rounds += 1;
        !done.load(Ordering::Relaxed)
    };
    let spans = match gil {
        Some(gil) => {
            let mut holder = gil.enter(lane);
            while keep(fib_with(n, gil.drop_request(), &mut || holder.let_go())) {}
            holder.finish()
        }
        None => {
            while keep(fib(n)) {}
            vec![Span { kind: SpanKind::Compute, start, end: now_ms() }]
        }
    };
    (Job { index, lane, value: Some(value), request: None, start, end: now_ms(), spans }, rounds)
}

/// A run of alone, gil or threads where memory is shared: the IO thread and the k CPU threads on a pool of k + 1
/// threads (alone: the IO thread on this one).
pub fn run(options: &Options, base: &str, get: Get) -> Run {
    let k = options.cpu_threads();
    let gil = (options.mode == Mode::Gil).then(|| Gil::new(Duration::from_secs_f64(options.switch_ms / 1000.0)));
    let done = AtomicBool::new(false);
    let started = now_ms();
    let threads: Vec<(Vec<Job>, u32)> = if k == 0 {
        vec![(io_thread(options, base, None, get), 0)]
    } else {
        crate::engines::cpu::on_each_thread(k + 1, |thread| {
            if thread == IO_LANE {
                let jobs = io_thread(options, base, gil.as_ref(), get);
                done.store(true, Ordering::Relaxed);
                (jobs, 0)
            } else {
                let (job, rounds) = cpu_thread(options.n, options.requests + thread - 1, thread, gil.as_ref(), &done);
                (vec![job], rounds)
            }
        })
    };
    let (jobs, rounds): (Vec<Vec<Job>>, Vec<u32>) = threads.into_iter().unzip();
    let (jobs, rounds) = (jobs.concat(), rounds.iter().sum());
    let switches = gil.as_ref().map(Gil::switches);
    put_together(options, base, started, jobs, rounds, switches.map(|s| (s, false)))
}

/// One fib(n) of fresh worker `index` (1 to k) of the processes regime, created at `created`: the worker is called
/// again until the IO thread, worker 0, is done (workers/process.js).
pub fn cpu_round(options: &Options, index: u32, created: f64) -> Job {
    let task = Task { kind: WorkKind::Fib, payload_mb: 0, ..options.task() };
    let mut job = crate::engines::cpu::process_job(&task, &[], options.requests + index - 1, created, &[]);
    job.lane = index;
    job
}

/// The processes regime's run, from its fresh workers' jobs: each CPU worker's rounds become one job on its lane.
pub fn assemble(options: &Options, base: &str, started: f64, jobs: Vec<Job>) -> Run {
    let expected = Some(fib_fast(options.n));
    let (mut merged, mut rounds): (Vec<Job>, u32) = (Vec::new(), 0);
    for mut job in jobs {
        if job.request.is_some() {
            job.lane = IO_LANE;
            merged.push(job);
            continue;
        }
        rounds += 1;
        match merged.iter_mut().find(|other| other.request.is_none() && other.lane == job.lane) {
            None => merged.push(job),
            Some(thread) => {
                // A wrong value of any round stands for the worker's.
                if job.value != expected {
                    thread.value = job.value;
                }
                (thread.start, thread.end) = (thread.start.min(job.start), thread.end.max(job.end));
                // Only a worker's first round started the worker.
                thread.spans.extend(job.spans.into_iter().filter(|span| !span.kind.is_spawn()));
            }
        }
    }
    put_together(options, base, started, merged, rounds, None)
}

/// A convoy run from its IO thread's and CPU threads' jobs (`gil`: the switches, and whether it ran in turns).
fn put_together(
    options: &Options,
    base: &str,
    started: f64,
    mut jobs: Vec<Job>,
    rounds: u32,
    gil: Option<(u64, bool)>,
) -> Run {
    Run::in_order(&mut jobs);
    let k = options.cpu_threads();
    let expected = fib_fast(options.n);
    let (requests, threads): (Vec<&Job>, Vec<&Job>) = jobs.iter().partition(|job| job.request.is_some());
    let answered = requests.iter().filter(|job| job.request.as_ref().is_some_and(|r| r.error.is_none())).count();
    let cpu_correct = threads.len() == k as usize && threads.iter().all(|job| job.value == Some(expected));
    let correct = answered == options.requests as usize && cpu_correct && (k == 0 || rounds >= k);
    let ended = jobs.iter().map(|job| job.end).fold(started, f64::max);
    let cpu = (k > 0).then(|| {
        let from = threads.iter().map(|job| job.start).fold(f64::INFINITY, f64::min);
        let wall_ms = to_micros(threads.iter().map(|job| job.end).fold(from, f64::max) - from);
        let per_second = if wall_ms > 0.0 { rounds as f64 * 1000.0 / wall_ms } else { 0.0 };
        Cpu { wall_ms, rounds, per_second: (per_second * 10.0).round() / 10.0, correct: cpu_correct }
    });
    let latencies: Vec<f64> = requests.iter().map(|job| job.end - job.start).collect();

    let io_ms = requests.iter().map(|job| job.end).fold(0.0, f64::max) - requests.first().map_or(0.0, |job| job.start);
    let summary = ConvoySummary {
        regime: Regime::of(options.mode).expect("a convoy run has a regime"),
        switch_ms: options.switch_ms,
        in_turns: gil.is_some_and(|(_, in_turns)| in_turns),
        latency_ms: latency(&latencies),
        gil_wait_ms: median_of(&requests, Job::waited_for_gil),
        in_flight_ms: median_of(&requests, Job::in_flight),
        per_second: if io_ms > 0.0 { (requests.len() as f64 * 1000.0 / io_ms * 10.0).round() / 10.0 } else { 0.0 },
        cpu,
        medians: Vec::new(),
        hand_over: HandOver::of(&requests),
        correct,
    };
    let work =
        Work::Convoy { count: options.requests, target: crate::engines::io::target(options), n: options.n, jobs: k };
    let mut run = Run::timed(options.mode, work, k, started, ended, jobs, correct);
    run.n = Some(options.n);
    run.expected = Some(expected);
    run.gil = gil.map(|(switches, in_turns)| GilSummary {
        switch_ms: options.switch_ms,
        check_grain: GRAIN,
        switches,
        in_turns,
    });
    run.io = Some(crate::engines::io::summary(options, base, &run.jobs));
    run.convoy = Some(summary);
    run
}

/// A run from a share link: its jobs (without spans) and the figures the link carries, which stand as they are.
pub fn shared(options: &Options, base: &str, wall_ms: f64, jobs: Vec<Job>, summary: ConvoySummary) -> Run {
    let rounds = summary.cpu.as_ref().map_or(0, |cpu| cpu.rounds);
    let mut run = put_together(options, base, 0.0, jobs, rounds, None);
    run.wall_ms = wall_ms;
    run.correct = run.correct && summary.correct;
    run.convoy = Some(summary);
    run
}

/// The convoy where memory cannot be shared (the plain build): the CPU jobs take turns on this worker, a switch
/// interval each, and the IO thread's requests are in flight meanwhile; an answer is seen when the turn that was
/// computing when it came ends, and the IO thread then has its turn, handles it and sends the next request.
/// Alone and the IO worker of processes make their requests the same way, one after another.
#[cfg(all(target_arch = "wasm32", feature = "io"))]
pub mod turns {
    use futures_util::FutureExt;

    use super::*;
    use crate::engines::io::fetch::{get, in_turn};
    use crate::fib::Subtrees;

    /// The IO thread alone: alone's run, or worker 0's jobs in processes.
    pub async fn io_alone(options: &Options, base: &str) -> Vec<Job> {
        let mut jobs = in_turn(options, base, 0..options.requests).await;
        for job in &mut jobs {
            job.lane = IO_LANE;
        }
        jobs
    }

    /// alone, or gil in turns.
    pub async fn run(options: &Options, base: &str) -> Run {
        let started = now_ms();
        let k = options.cpu_threads();
        if k == 0 {
            let jobs = io_alone(options, base).await;
            return put_together(options, base, started, jobs, 0, None);
        }
        let (n, expected) = (options.n, fib_fast(options.n));
        let mut walks: Vec<Subtrees> = (0..k).map(|_| Subtrees::new(n)).collect();
        let mut threads: Vec<Job> = (1..=k)
            .map(|lane| Job {
                index: options.requests + lane - 1,
                lane,
                value: Some(expected),
                request: None,
                start: started,
                end: started,
                spans: Vec::new(),
            })
            .collect();
        let (mut rounds, mut switches, mut next) = (0u32, 0u64, 0usize);
        let mut requests: Vec<Job> = Vec::new();
        let send = |index: u32| {
            (now_ms(), get(crate::engines::io::url(options, base, index), options.timeout_ms).boxed_local())
        };
        let (mut sent, mut pending) = send(0);
        loop {
            if let Some(request) = (&mut pending).now_or_never() {
                let seen = now_ms();
                let index = requests.len() as u32;
                let mut job = request_job(index, [sent, sent, seen, seen], request);
                switches += 1;
                if index + 1 < options.requests {
                    (sent, pending) = send(index + 1);
                }
                job.spans.push(Span { kind: SpanKind::GilHeld, start: seen, end: now_ms() });
                requests.push(job);
                if requests.len() == options.requests as usize {
                    break;
                }
            }
            let thread = next % k as usize;
            next += 1;
            let turn = now_ms();
            let job = &mut threads[thread];
            if turn > job.end {
                job.spans.push(Span { kind: SpanKind::GilWait, start: job.end, end: turn });
            }
            while now_ms() - turn < options.switch_ms {
                if !walks[thread].step() {
                    if walks[thread].value() != expected {
                        job.value = Some(walks[thread].value());
                    }
                    rounds += 1;
                    walks[thread] = Subtrees::new(n);
                }
            }
            job.end = now_ms();
            job.spans.push(Span { kind: SpanKind::GilHeld, start: turn, end: job.end });
            switches += 1;
            next_task().await;
        }
        requests.extend(threads);
        put_together(options, base, started, requests, rounds, Some((switches, true)))
    }

    /// Lets the worker's event loop run (the fetch's answer comes in through it) before the next turn: a message to
    /// itself, which no browser delays the way it delays a chain of timers.
    async fn next_task() {
        use wasm_bindgen::JsValue;
        thread_local! {
            static CHANNEL: web_sys::MessageChannel = web_sys::MessageChannel::new().expect("a MessageChannel");
        }
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            CHANNEL.with(|channel| {
                channel.port1().set_onmessage(Some(&resolve));
                let _ = channel.port2().post_message(&JsValue::NULL);
            });
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::check_run;
    use serde_json::json;

    /// A blocking "request" that sleeps for the delay: the GIL's hand-over is what these tests check, natively;
    /// the browser tests make real requests.
    fn sleeping(_url: &str, _timeout: u32) -> Request {
        std::thread::sleep(Duration::from_millis(2));
        Request { url: "u".into(), status: Some(200), bytes: 2, error: None, served_by: None }
    }

    fn options(mode: &str) -> Options {
        let given = json!({ "mode": mode, "n": 22, "workers": 2, "requests": 12, "delayMs": 2, "switchMs": 5 });
        Options { convoy: true, ..check_run(&given).unwrap() }
    }

    #[test]
    fn under_the_gil_each_answer_waits_for_it_and_alone_none_does() {
        let alone = run(&options("io-sequential"), "b/", &sleeping);
        let gil = run(&options("gil"), "b/", &sleeping);
        assert!(alone.correct && gil.correct, "{gil:?}");
        let (alone_c, gil_c) = (alone.convoy.unwrap(), gil.convoy.unwrap());
        assert_eq!((alone_c.regime, gil_c.regime), (Regime::Alone, Regime::Gil));
        assert_eq!(alone_c.gil_wait_ms, 0.0);
        assert!(alone_c.cpu.is_none() && alone.workers == 0);
        let cpu = gil_c.cpu.unwrap();
        assert!(cpu.correct && cpu.rounds >= 2, "{cpu:?}");
        let requests: Vec<&Job> = gil.jobs.iter().filter(|job| job.request.is_some()).collect();
        assert_eq!(requests.len(), 12);
        // The IO thread takes the GIL back only when a CPU thread lets go of it: each of its waits holds the end of
        // a CPU thread's hold. Two CPU threads compute throughout, so some answer finds the GIL held.
        let cpu_held: Vec<Span> = gil
            .jobs
            .iter()
            .filter(|job| job.request.is_none())
            .flat_map(|job| job.spans.iter().copied().filter(|s| s.kind == SpanKind::GilHeld))
            .collect();
        let waits: Vec<Span> =
            requests.iter().flat_map(|job| job.spans.iter().copied().filter(|s| s.kind == SpanKind::GilWait)).collect();
        assert!(!waits.is_empty(), "no request waited for the GIL");
        for wait in &waits {
            assert!(cpu_held.iter().any(|held| wait.start <= held.end && held.end <= wait.end), "{wait:?}");
        }
        for pair in requests[1..].windows(2) {
            // The waits after the send end before the request goes out; the one after the answer, before the next.
            let [request, next] = [pair[0], pair[1]];
            let flight = request.spans[0];
            for wait in request.spans.iter().filter(|s| s.kind == SpanKind::GilWait) {
                let before = wait.end <= flight.start;
                assert!(before || (wait.start >= flight.end && wait.end <= next.start), "{wait:?} in {request:?}");
            }
            assert!(request.start <= flight.start && flight.end <= request.end);
        }
    }

    #[test]
    fn the_io_threads_held_spans_never_overlap_a_cpu_threads() {
        let gil = run(&options("gil"), "b/", &sleeping);
        let mut held: Vec<(Span, u32)> = gil
            .jobs
            .iter()
            .flat_map(|job| job.spans.iter().filter(|s| s.kind == SpanKind::GilHeld).map(move |s| (*s, job.lane)))
            .collect();
        held.sort_by(|a, b| a.0.start.total_cmp(&b.0.start));
        assert!(held.iter().any(|(_, lane)| *lane == 0) && held.iter().any(|(_, lane)| *lane > 0));
        assert!(held.windows(2).all(|w| w[0].0.end <= w[1].0.start), "two threads held the GIL at once");
    }

    #[test]
    fn free_threads_do_not_make_the_io_thread_wait() {
        let threads = run(&options("threads"), "b/", &sleeping);
        let summary = threads.convoy.unwrap();
        assert!(threads.correct);
        assert_eq!(summary.gil_wait_ms, 0.0);
        assert!(threads.gil.is_none());
        let spans = threads.jobs.iter().flat_map(|job| &job.spans);
        assert!(spans.clone().all(|s| s.kind != SpanKind::GilWait && s.kind != SpanKind::GilHeld));
        assert_eq!(threads.label, "12 × GET beside fib(22) × 2");
    }

    #[test]
    fn processes_rounds_are_merged_per_worker() {
        let given = options("processes");
        let mut jobs = io_thread(&given, "b/", None, &sleeping);
        for round in 0..3 {
            for worker in 1..=2 {
                jobs.push(cpu_round(&given, worker, now_ms() - f64::from(round)));
            }
        }
        let run = assemble(&given, "b/", 0.0, jobs);
        assert!(run.correct, "{run:?}");
        let threads: Vec<&Job> = run.jobs.iter().filter(|job| job.request.is_none()).collect();
        assert_eq!(threads.iter().map(|job| job.lane).collect::<Vec<_>>(), [1, 2]);
        assert!(threads.iter().all(|job| job.spans.iter().filter(|s| s.kind == SpanKind::Spawn).count() == 1));
        assert_eq!(run.convoy.unwrap().cpu.unwrap().rounds, 6);
    }
}
