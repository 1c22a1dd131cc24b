//! The convoy experiment (bugs.python.org issue 7946): one IO thread makes requests one after another while k
//! CPU-bound threads compute. Under the GIL the IO thread lets go of it for each request, as CPython does around a
//! blocking call, and must take it back before it can handle the answer and send the next one: through the drop
//! request every gil thread waits on, so each round trip costs up to a switch interval more. Four regimes: alone
//! (no CPU work: the baseline), gil, threads (free threads) and processes (the CPU work in fresh workers).
//!
//! The CPU threads compute fib(n) again and again until the IO thread has had its last answer, so every request
//! shares the machine with them; what they got done is how many fib(n) they finished a second.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::clock::now_ms;
use crate::fib::{fib, fib_fast, fib_with, GRAIN};
use crate::gil::Gil;
use crate::modes::Mode;
use crate::options::Options;
use crate::result::{GilSummary, Job, Request, Run, Span, SpanKind, Work};
use crate::stats::{ms, to_micros, Range};

/// How the IO thread shares the machine: each regime runs as the mode whose CPU work it has.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Regime {
    Alone,
    Gil,
    Threads,
    Processes,
}

pub const REGIMES: &[(Regime, Mode, &str)] = &[
    (Regime::Alone, Mode::IoSequential, "alone"),
    (Regime::Gil, Mode::Gil, "gil"),
    (Regime::Threads, Mode::Threads, "threads"),
    (Regime::Processes, Mode::Processes, "processes"),
];

impl Regime {
    pub fn of(mode: Mode) -> Option<Regime> {
        REGIMES.iter().find(|(_, m, _)| *m == mode).map(|(regime, _, _)| *regime)
    }

    pub fn mode(self) -> Mode {
        REGIMES.iter().find(|(r, _, _)| *r == self).map(|(_, mode, _)| *mode).expect("every regime is listed")
    }

    pub fn parse(name: &str) -> Option<Regime> {
        REGIMES.iter().find(|(_, _, label)| *label == name).map(|(regime, _, _)| *regime)
    }

    pub fn label(self) -> &'static str {
        REGIMES.iter().find(|(r, _, _)| *r == self).map(|(_, _, label)| *label).expect("every regime is listed")
    }

    pub fn names() -> Vec<&'static str> {
        REGIMES.iter().map(|(_, _, label)| *label).collect()
    }
}

/// The IO thread's lane; the CPU threads are lanes 1 to k.
const IO_LANE: u32 = 0;

/// What a convoy run measured, beside its spans.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ConvoySummary {
    pub regime: Regime,
    pub switch_ms: f64,
    /// The CPU jobs took turns with the IO thread on one worker (where workers cannot share memory).
    pub in_turns: bool,
    /// Each request's time, from the call until the IO thread could go on (the GIL back, under gil): over every
    /// repeat's requests.
    pub latency_ms: Latency,
    /// The median time a request's answer waited for the GIL (0 without one).
    pub gil_wait_ms: f64,
    /// Requests a second, from the first call to the last answer handled (the median repeat's).
    pub per_second: f64,
    /// What the CPU threads got done (none alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<Cpu>,
    /// Every repeat's median latency, in the order they ran: the noise between repeats.
    pub medians: Vec<f64>,
    /// Every request was answered and every fib(n) right (in every repeat).
    pub correct: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
pub struct Latency {
    pub median: f64,
    pub p95: f64,
    pub max: f64,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Cpu {
    /// From the CPU threads' start to the last one's end.
    pub wall_ms: f64,
    /// fib(n) finished, all threads together.
    pub rounds: u32,
    /// fib(n) finished a second, all threads together.
    pub per_second: f64,
    /// Every fib(n) returned the right value.
    pub correct: bool,
}

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
        let url = crate::io::url(options, base, index);
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
    let mut job = crate::io::job(index, sent, answered, request);
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

/// A CPU thread on `lane`: fib(n) again and again, under `gil` if any, until `done`; its job and the rounds it finished.
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

/// How many CPU threads a regime has: none alone.
pub fn cpu_threads(options: &Options) -> u32 {
    if Regime::of(options.mode) == Some(Regime::Alone) {
        0
    } else {
        options.workers
    }
}

/// A run of alone, gil or threads where memory is shared: the IO thread and the k CPU threads on a pool of k + 1
/// threads (alone: the IO thread on this one).
pub fn run(options: &Options, base: &str, get: Get) -> Run {
    let k = cpu_threads(options);
    let gil = (options.mode == Mode::Gil).then(|| Gil::new(Duration::from_secs_f64(options.switch_ms / 1000.0)));
    let done = AtomicBool::new(false);
    let started = now_ms();
    let threads: Vec<(Vec<Job>, u32)> = if k == 0 {
        vec![(io_thread(options, base, None, get), 0)]
    } else {
        crate::cpu::on_each_thread(k + 1, |thread| {
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
    let mut job = crate::cpu::process_job(options.n, options.requests + index - 1, created);
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
                thread.spans.extend(job.spans.into_iter().filter(|span| span.kind != SpanKind::Spawn));
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
    let k = cpu_threads(options);
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
    let waits: Vec<f64> = requests.iter().map(|job| waited(job)).collect();
    let io_ms = requests.iter().map(|job| job.end).fold(0.0, f64::max) - requests.first().map_or(0.0, |job| job.start);
    let summary = ConvoySummary {
        regime: Regime::of(options.mode).expect("a convoy run has a regime"),
        switch_ms: options.switch_ms,
        in_turns: gil.is_some_and(|(_, in_turns)| in_turns),
        latency_ms: latency(&latencies),
        gil_wait_ms: Range::of(&waits).map_or(0.0, |r| to_micros(r.median)),
        per_second: if io_ms > 0.0 { (requests.len() as f64 * 1000.0 / io_ms * 10.0).round() / 10.0 } else { 0.0 },
        cpu,
        medians: Vec::new(),
        correct,
    };
    let work = Work::Convoy { count: options.requests, target: crate::io::target(options), n: options.n, jobs: k };
    let mut run = Run::timed(options.mode, work, k, started, ended, jobs, correct);
    run.n = Some(options.n);
    run.expected = Some(expected);
    run.gil = gil.map(|(switches, in_turns)| GilSummary {
        switch_ms: options.switch_ms,
        check_grain: GRAIN,
        switches,
        in_turns,
    });
    run.io = Some(crate::io::summary(options, base, &run.jobs));
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

/// About how long the convoy's `runs` take, each warmed up and repeated: its requests one after another, each its
/// delay and about 5 ms of the machine's (a local server's answer, measured here at 4 to 10 ms), under the GIL two
/// switch intervals more; and about 150 ms a run for the rest (a pool or fresh workers started, the results read
/// and drawn).
pub fn estimate_ms(runs: &[Options]) -> f64 {
    let request = |o: &Options| f64::from(o.delay_ms) + 5.0 + if o.mode == Mode::Gil { 2.0 * o.switch_ms } else { 0.0 };
    runs.iter().map(|o| f64::from(o.repeats + 1) * (f64::from(o.requests) * request(o) + 150.0)).sum()
}

/// How long a request's answer waited for the GIL.
fn waited(job: &Job) -> f64 {
    job.spans.iter().filter(|span| span.kind == SpanKind::GilWait).map(Span::ms).sum()
}

/// The median, 95th percentile (nearest rank) and maximum of some latencies, to the microsecond.
pub fn latency(samples: &[f64]) -> Latency {
    let mut sorted: Vec<f64> = samples.iter().copied().filter(|x| x.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len().max(1)) - 1;
        sorted.get(rank).copied().map_or(0.0, to_micros)
    };
    Latency { median: at(0.5), p95: at(0.95), max: sorted.last().copied().map_or(0.0, to_micros) }
}

/// The repeats' latencies as one: every request of every repeat, and each repeat's median.
pub fn pooled(runs: &[Run]) -> Option<ConvoySummary> {
    let mut summary = runs.first()?.convoy.clone()?;
    let requests = runs.iter().flat_map(|run| &run.jobs).filter(|job| job.request.is_some());
    summary.latency_ms = latency(&requests.map(|job| job.end - job.start).collect::<Vec<_>>());
    summary.medians = runs.iter().filter_map(|run| run.convoy.as_ref().map(|c| c.latency_ms.median)).collect();
    summary.correct = runs.iter().all(|run| run.correct);
    Some(summary)
}

/// What a click of the convoy experiment found: each regime's figures, the switch-interval sweep and the words.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Convoy {
    /// Each regime at the click's switch interval, alone first.
    pub regimes: Vec<RegimeFigures>,
    /// gil at each switch interval of the sweep, shortest first, each with the latency it adds to alone's.
    pub sweep: Vec<RegimeFigures>,
    pub words: Vec<String>,
}

/// One regime's figures as a click reads them: its run's summary, and what it says beside alone's.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RegimeFigures {
    #[serde(flatten)]
    pub run: ConvoySummary,
    /// The median latency less alone's: what sharing the machine with the CPU work costs each request.
    pub added_ms: Option<f64>,
    /// The repeats' median latencies: their median and range (the noise between repeats).
    pub repeats_ms: Range,
}

/// What a click of the convoy measured, read from its runs' summaries (in the order they ran). The plain build reads
/// it (the io worker's, loaded when needed): the threads build, the first load, stays without it.
pub fn report(runs: &[ConvoySummary]) -> crate::report::Report {
    crate::report::Report {
        speedups: vec![None; runs.len()],
        wide: runs.iter().map(|run| Range::of(&run.medians).is_some_and(|r| r.wide())).collect(),
        verdicts: Vec::new(),
        scaling: None,
        convoy: Some(read(runs)),
        python: None,
    }
}

/// Reads a convoy click's runs (their summaries), in the order they ran.
pub fn read(runs: &[ConvoySummary]) -> Convoy {
    // Every regime runs at the click's switch interval (alone, always first, has it); gil also at the sweep's.
    let main = runs.first().map_or(0.0, |run| run.switch_ms);
    let alone = runs.iter().find(|run| run.regime == Regime::Alone).map(|run| run.latency_ms.median);
    let figures = |run: &ConvoySummary| {
        let latency = run.latency_ms.median;
        RegimeFigures {
            added_ms: alone.filter(|_| run.regime != Regime::Alone).map(|alone| to_micros(latency - alone)),
            repeats_ms: Range::of(&run.medians).unwrap_or(Range { median: latency, min: latency, max: latency }),
            run: run.clone(),
        }
    };
    let regimes: Vec<RegimeFigures> = runs.iter().filter(|run| run.switch_ms == main).map(figures).collect();
    let mut sweep: Vec<RegimeFigures> = runs.iter().filter(|run| run.regime == Regime::Gil).map(figures).collect();
    sweep.sort_by(|a, b| a.run.switch_ms.total_cmp(&b.run.switch_ms));
    if sweep.len() < 2 {
        sweep.clear();
    }
    let words = words(&regimes, &sweep);
    Convoy { regimes, sweep, words }
}

/// The click's findings in words, from its own figures.
fn words(regimes: &[RegimeFigures], sweep: &[RegimeFigures]) -> Vec<String> {
    let of = |regime| regimes.iter().find(|f| f.run.regime == regime && f.run.correct);
    // The other regimes' medians, after the sentence's main clause.
    let rest = |others: Vec<String>| if others.is_empty() { String::new() } else { format!("; {}", others.join(", ")) };
    let median = |f: &RegimeFigures| ms(f.run.latency_ms.median);
    let mut words = Vec::new();
    let Some(alone) = of(Regime::Alone) else {
        return vec!["Alone did not run (or failed): there is nothing to compare the others' latency with.".into()];
    };
    let base = alone.run.latency_ms.median;
    if let Some(gil) = of(Regime::Gil) {
        let switch_ms = gil.run.switch_ms;
        let intervals = (gil.run.latency_ms.median - base) / switch_ms;
        let how = if gil.run.in_turns {
            "its answers waited for the turn of the CPU jobs computing on the same worker".to_string()
        } else if intervals >= 0.5 {
            format!(
                "about {intervals:.1} switch intervals ({switch_ms} ms) more: after sending each request and after its \
                 answer, the IO thread waited for the GIL"
            )
        } else {
            format!("less than half a switch interval ({switch_ms} ms) more")
        };
        let others = [(Regime::Threads, "with free threads"), (Regime::Processes, "with processes")]
            .iter()
            .filter_map(|(regime, with)| of(*regime).map(|f| format!("{with} {}", median(f))))
            .collect();
        words.push(format!(
            "With the GIL, each request took {} instead of {} alone: {how}{}.",
            median(gil),
            median(alone),
            rest(others)
        ));
        // The repeats' medians of the two overlap: the difference is inside the noise this machine made.
        if crate::stats::compare(&gil.repeats_ms, &alone.repeats_ms) != crate::stats::Order::Slower {
            words.push(format!(
                "That is inside the noise: the repeats' medians ranged {}–{} with the GIL and {}–{} alone. \
                 Inconclusive: run again on a quieter machine, or with more repeats.",
                ms(gil.repeats_ms.min),
                ms(gil.repeats_ms.max),
                ms(alone.repeats_ms.min),
                ms(alone.repeats_ms.max)
            ));
        }
    } else {
        let others = regimes
            .iter()
            .filter(|f| f.run.regime != Regime::Alone && f.run.correct)
            .map(|f| format!("{} {}", f.run.regime.label(), median(f)))
            .collect();
        words.push(format!("Alone, each request took {}{}.", median(alone), rest(others)));
    }
    if let (Some(first), Some(last)) = (sweep.first(), sweep.last()) {
        let cpu = |f: &RegimeFigures| f.run.cpu.as_ref().map_or(0.0, |c| c.per_second);
        words.push(format!(
            "The switch interval trades one for the other: at {} ms a request took {} and the CPU threads finished \
             {:.0} fib(n) a second; at {} ms, {} and {:.0} a second.",
            first.run.switch_ms,
            median(first),
            cpu(first),
            last.run.switch_ms,
            median(last),
            cpu(last)
        ));
    }
    words
}

/// The requests as a worker of the threads build makes them: blocking, with a synchronous XMLHttpRequest, which a
/// worker may make (a page may not). A blocking call is what a Python thread makes: here it stops this thread alone.
#[cfg(all(target_arch = "wasm32", not(feature = "io")))]
pub fn get_blocking(url: &str, timeout_ms: u32) -> Request {
    let failed =
        |status, error: String| Request { url: url.into(), status, bytes: 0, error: Some(error), served_by: None };
    let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
        return failed(None, "this worker cannot make a blocking request".into());
    };
    if xhr.open_with_async("GET", url, false).is_err() {
        return failed(None, "the address could not be requested".into());
    }
    xhr.set_timeout(timeout_ms);
    if let Err(error) = xhr.send() {
        let name = js_sys::Reflect::get(&error, &"name".into()).ok().and_then(|name| name.as_string());
        return failed(
            None,
            match name.as_deref() {
                Some("TimeoutError") => format!("no answer within {timeout_ms} ms (timed out)"),
                _ => "no answer: the connection was refused, the host does not exist, or it does not allow \
                      cross-origin requests (CORS); the browser does not say which"
                    .into(),
            },
        );
    }
    let status = xhr.status().unwrap_or(0);
    let bytes = xhr.response_text().ok().flatten().map_or(0, |text| text.len() as u64);
    let ok = (200..300).contains(&status);
    Request {
        url: url.into(),
        status: Some(status),
        bytes,
        error: (!ok).then(|| format!("HTTP {status} {}", xhr.status_text().unwrap_or_default())),
        served_by: xhr.get_response_header("x-threadlab-endpoint").ok().flatten(),
    }
}

/// The convoy where memory cannot be shared (the plain build): the CPU jobs take turns on this worker, a switch
/// interval each, and the IO thread's requests are in flight meanwhile; an answer is seen when the turn that was
/// computing when it came ends, and the IO thread then has its turn, handles it and sends the next request.
/// Alone and the IO worker of processes make their requests the same way, one after another.
#[cfg(all(target_arch = "wasm32", feature = "io"))]
pub mod turns {
    use futures_util::FutureExt;

    use super::*;
    use crate::fib::Subtrees;
    use crate::io::fetch::{get, in_turn};

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
        let k = cpu_threads(options);
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
        let send = |index: u32| (now_ms(), get(crate::io::url(options, base, index), options.timeout_ms).boxed_local());
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
    use crate::options::check_run;
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
        // Each answer waits for the holder to be asked, a switch interval: at least half of one, on a busy machine.
        assert!(gil_c.gil_wait_ms >= 2.5, "{}", gil_c.gil_wait_ms);
        assert!(gil_c.latency_ms.median > alone_c.latency_ms.median + 2.5);
        let requests: Vec<&Job> = gil.jobs.iter().filter(|job| job.request.is_some()).collect();
        assert_eq!(requests.len(), 12);
        // A request waits whenever a CPU thread holds the GIL as its answer comes: nearly always (the first may go
        // out before they start, and on two busy cores the OS may not have woken the next holder yet).
        let waited = requests.iter().filter(|job| job.spans.iter().any(|s| s.kind == SpanKind::GilWait)).count();
        assert!(waited >= 6, "only {waited} of 12 requests waited for the GIL");
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
        assert!(summary.latency_ms.median < 2.0 + 2.5, "{:?}", summary.latency_ms);
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

    #[test]
    fn latency_figures_are_nearest_rank() {
        let samples: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(latency(&samples), Latency { median: 10.0, p95: 19.0, max: 20.0 });
        assert_eq!(latency(&[3.0]), Latency { median: 3.0, p95: 3.0, max: 3.0 });
        assert_eq!(latency(&[]), Latency { median: 0.0, p95: 0.0, max: 0.0 });
    }

    #[test]
    fn latencies_read_as_the_table_writes_them() {
        let written = [7.125, 7.375, 8.905, 13.685, 0.5, 9.996, 123.5].map(ms);
        assert_eq!(written, ["7.13 ms", "7.38 ms", "8.91 ms", "13.7 ms", "0.50 ms", "10.00 ms", "124 ms"]);
    }

    fn summary(regime: Regime, switch_ms: f64, medians: &[f64], cpu: Option<f64>) -> ConvoySummary {
        let median = medians[medians.len() / 2];
        ConvoySummary {
            regime,
            switch_ms,
            in_turns: false,
            latency_ms: Latency { median, p95: median + 1.0, max: median + 2.0 },
            gil_wait_ms: if regime == Regime::Gil { median - 1.2 } else { 0.0 },
            per_second: 1000.0 / median,
            cpu: cpu.map(|per_second| Cpu { wall_ms: 100.0, rounds: 100, per_second, correct: true }),
            medians: medians.to_vec(),
            correct: true,
        }
    }

    #[test]
    fn a_click_reads_as_the_convoy_with_its_sweep_in_words_from_its_own_figures() {
        let runs = [
            summary(Regime::Alone, 5.0, &[1.1, 1.2, 1.3], None),
            summary(Regime::Gil, 5.0, &[6.2, 6.3, 6.5], Some(900.0)),
            summary(Regime::Threads, 5.0, &[1.2, 1.3, 1.4], Some(1800.0)),
            summary(Regime::Processes, 5.0, &[1.1, 1.2, 1.2], Some(1700.0)),
            summary(Regime::Gil, 1.0, &[2.1, 2.2, 2.3], Some(700.0)),
            summary(Regime::Gil, 20.0, &[20.0, 21.0, 22.0], Some(950.0)),
        ];
        let convoy = read(&runs);
        let regimes: Vec<(Regime, Option<f64>)> = convoy.regimes.iter().map(|f| (f.run.regime, f.added_ms)).collect();
        assert_eq!(
            regimes,
            [
                (Regime::Alone, None),
                (Regime::Gil, Some(5.1)),
                (Regime::Threads, Some(0.1)),
                (Regime::Processes, Some(0.0))
            ]
        );
        assert_eq!(convoy.sweep.iter().map(|f| f.run.switch_ms).collect::<Vec<_>>(), [1.0, 5.0, 20.0]);
        assert_eq!(
            convoy.words,
            [
                "With the GIL, each request took 6.30 ms instead of 1.20 ms alone: about 1.0 switch intervals (5 ms) \
                 more: after sending each request and after its answer, the IO thread waited for the GIL; with free \
                 threads 1.30 ms, with processes 1.20 ms.",
                "The switch interval trades one for the other: at 1 ms a request took 2.20 ms and the CPU threads \
                 finished 700 fib(n) a second; at 20 ms, 21.0 ms and 950 a second."
            ]
        );
        // Overlapping repeats are inside the noise: the words say so.
        let noisy = read(&[runs[0].clone(), summary(Regime::Gil, 5.0, &[1.0, 1.25, 9.0], Some(900.0))]);
        assert!(noisy.words[1].starts_with("That is inside the noise: the repeats' medians ranged 1.00 ms–9.00 ms"));
        assert!(noisy.sweep.is_empty(), "one interval is no sweep");
        let alone = read(&runs[..1]);
        assert_eq!(alone.words, ["Alone, each request took 1.20 ms."]);
    }

    #[test]
    fn the_estimate_counts_every_request_of_every_repeat() {
        let alone = Options { repeats: 3, requests: 20, delay_ms: 2, ..options("io-sequential") };
        let gil = Options { switch_ms: 5.0, ..alone.clone() };
        let gil = Options { mode: Mode::Gil, ..gil };
        assert_eq!(estimate_ms(std::slice::from_ref(&alone)), 4.0 * (20.0 * 7.0 + 150.0));
        assert_eq!(estimate_ms(&[alone, gil]), 4.0 * (20.0 * 7.0 + 150.0) + 4.0 * (20.0 * 17.0 + 150.0));
    }
}
