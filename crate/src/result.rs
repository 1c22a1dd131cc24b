//! The one result type: what a run did, serialisable, shared by every mode, the page, the exports and the bench;
//! with what a convoy run and a run in CPython add to it.

use serde::{Deserialize, Serialize};

use crate::env::Env;
use crate::modes::{Engine, Mode};
use crate::spec::Regime;
use crate::stats::{latency, to_micros, Latency, Range};
use crate::work::{Task, WorkKind};

/// What a run did, as a key: a run's speedup is against the baseline run of equal work, and its labels are made
/// from it. `{"fib": {"n": 40, "jobs": 2}}` or `{"requests": {"count": 10, "target": ...}}` (tagged by its key:
/// a tag field inside would cost the wasm several KB of code).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub enum Work {
    /// k jobs of fib(n), each reading a payload of `payload_mb` MiB first.
    Fib {
        n: u32,
        jobs: u32,
        #[serde(default, rename = "payloadMb", skip_serializing_if = "is_zero")]
        payload_mb: u32,
    },
    /// k jobs of sha256 of `mib` MiB, each reading a payload first.
    Sha256 {
        mib: u32,
        jobs: u32,
        #[serde(default, rename = "payloadMb", skip_serializing_if = "is_zero")]
        payload_mb: u32,
    },
    /// K GET requests.
    Requests { count: u32, target: Target },
    /// K GET requests one after another, beside k threads computing fib(n) over and over (none: alone).
    Convoy { count: u32, target: Target, n: u32, jobs: u32 },
}

/// Where requests go: the built-in endpoint, answering after `delay_ms`, or the visitor's URL.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub enum Target {
    Builtin {
        #[serde(rename = "delayMs")]
        delay_ms: u32,
    },
    Url(String),
}

fn is_zero(x: &u32) -> bool {
    *x == 0
}

impl Work {
    /// The key of k jobs of `task`.
    pub fn of(task: &Task, jobs: u32) -> Work {
        let Task { kind, n, mib, payload_mb } = *task;
        match kind {
            WorkKind::Fib => Work::Fib { n, jobs, payload_mb },
            WorkKind::Sha256 => Work::Sha256 { mib, jobs, payload_mb },
        }
    }

    /// In a few words: "fib(40) × 2", "sha256 of 16 MiB × 2, reading 8 MiB", "10 × GET built-in endpoint (100 ms)",
    /// "10 × GET https://…".
    pub fn label(&self) -> String {
        let reading = |mb: &u32| if *mb > 0 { format!(", reading {mb} MiB") } else { String::new() };
        match self {
            Work::Fib { n, jobs, payload_mb } => format!("fib({n}) × {jobs}{}", reading(payload_mb)),
            Work::Sha256 { mib, jobs, payload_mb } => format!("sha256 of {mib} MiB × {jobs}{}", reading(payload_mb)),
            Work::Requests { count, target: Target::Builtin { delay_ms } } => {
                format!("{count} × GET built-in endpoint ({delay_ms} ms)")
            }
            Work::Requests { count, target: Target::Url(url) } => format!("{count} × GET {url}"),
            Work::Convoy { count, jobs: 0, .. } => format!("{count} × GET alone"),
            Work::Convoy { count, n, jobs, .. } => format!("{count} × GET beside fib({n}) × {jobs}"),
        }
    }
}

/// What a stretch of time on a lane was spent on.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum SpanKind {
    /// Starting a worker and instantiating its wasm (processes), or starting the thread pool (threads).
    Spawn,
    /// A fresh worker's spawn, part by part (see `engines::cpu::spawn_spans`): from its creation to its own start,
    SpawnWorker,
    /// its script (fetched, parsed, the glue evaluated),
    SpawnScript,
    /// the page's message reaching it,
    SpawnMessage,
    /// and its wasm instance with its own memory, until its job starts.
    SpawnInstance,
    /// Computing: fib, or sha256 (under the GIL: with the lock let go).
    Compute,
    /// A process's payload, from its instance being ready until the payload is in its memory: asked for, copied
    /// (structured-cloned, or pickled), and written into its memory.
    CopyIn,
    /// Computing fib while holding the GIL.
    GilHeld,
    /// Ready to compute, waiting for the GIL.
    GilWait,
    /// A hand-over of the GIL that this thread asked for, in four parts inside its wait (see `engines::gil`): how late
    /// its timed wait of a switch interval ended before it set the drop request,
    HandOverTimer,
    /// the holder noticing the request at a check point and letting go,
    HandOverNotice,
    /// this thread woken,
    HandOverWake,
    /// and taking the lock.
    HandOverTake,
    /// A request in flight, from the call to the last byte of the answer.
    Request,
    /// A request in flight that ended in an error (no answer, a timeout, or a status other than 2xx).
    RequestFailed,
}

/// A stretch of time, in milliseconds on the common clock (see `clock`).
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub kind: SpanKind,
    pub start: f64,
    pub end: f64,
}

impl Span {
    pub fn ms(&self) -> f64 {
        self.end - self.start
    }
}

impl SpanKind {
    /// A part of a hand-over of the GIL (inside a wait for it).
    pub fn is_hand_over(self) -> bool {
        use SpanKind::*;
        matches!(self, HandOverTimer | HandOverNotice | HandOverWake | HandOverTake)
    }

    /// Spawn, whole or a part of it.
    pub fn is_spawn(self) -> bool {
        use SpanKind::*;
        matches!(self, Spawn | SpawnWorker | SpawnScript | SpawnMessage | SpawnInstance)
    }
}

/// One job, a fib(n) or a request: where it ran (`lane`: the worker, thread, process, or for requests the request
/// itself) and how its time went. A fib job has its `value`, a request its `request`.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Job {
    pub index: u32,
    pub lane: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Request>,
    pub start: f64,
    pub end: f64,
    pub spans: Vec<Span>,
}

impl Job {
    /// How long this request's answer waited for the GIL.
    pub fn waited_for_gil(&self) -> f64 {
        self.spans.iter().filter(|span| span.kind == SpanKind::GilWait).map(Span::ms).sum()
    }

    /// How long this request was in flight.
    pub fn in_flight(&self) -> f64 {
        let flying = |span: &&Span| matches!(span.kind, SpanKind::Request | SpanKind::RequestFailed);
        self.spans.iter().filter(flying).map(Span::ms).sum()
    }
}

/// The median of `figure` over `jobs`, to the microsecond (0 for none).
pub fn median_of(jobs: &[&Job], figure: fn(&Job) -> f64) -> f64 {
    Range::of(&jobs.iter().map(|job| figure(job)).collect::<Vec<_>>()).map_or(0.0, |r| to_micros(r.median))
}

/// What one request got: an answer (status and bytes), or an error.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    pub bytes: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Who answered the built-in endpoint ("server" or "service-worker"), from its `x-threadlab-endpoint` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub served_by: Option<String>,
}

/// How an io run went, as a whole.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IoSummary {
    pub requests: u32,
    pub ok: u32,
    pub failed: u32,
    /// The URL requested, or the built-in endpoint's first URL.
    pub target: String,
    pub builtin: bool,
    pub delay_ms: u32,
    /// io-concurrent only: in how many waves the answers came back. More than one means fewer requests could be
    /// in flight than were asked for (browsers allow 6 connections per host over HTTP/1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waves: Option<u32>,
}

/// How the GIL behaved during a gil run.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GilSummary {
    pub switch_ms: f64,
    /// Threads look at the drop request before each subtree fib(m) with m ≤ this (see `fib::fib_with`).
    pub check_grain: u32,
    /// How many times the GIL passed from one thread to another.
    pub switches: u64,
    /// The jobs took turns on one worker (where workers cannot share memory; see `cpu::gil_in_turns`).
    #[serde(default)]
    pub in_turns: bool,
}

/// A whole run of one mode.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub mode: Mode,
    /// What was done: runs of equal work are compared.
    pub work: Work,
    /// The work in a few words (`Work::label`), for the page's table and charts.
    #[serde(default)]
    pub label: String,
    /// fib(n) per job, for the CPU modes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u32>,
    pub workers: u32,
    pub started: f64,
    pub ended: f64,
    /// `ended - started`: everything the visitor waited for, spawning included.
    pub wall_ms: f64,
    /// The longest spawn span, if the mode started workers or a pool for this run.
    pub spawn_ms: Option<f64>,
    /// What copying its payload into each process took, on average, if it copied one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_ms: Option<f64>,
    /// For the CPU modes, the value every job must return (computed the fast way).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<u64>,
    /// Whether every job did its work: returned the expected value, or got a 2xx answer.
    pub correct: bool,
    pub jobs: Vec<Job>,
    pub gil: Option<GilSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub io: Option<IoSummary>,
    /// A run of the convoy experiment: its IO thread's latencies and what its CPU threads got done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub convoy: Option<ConvoySummary>,
    /// When the run stands for several repeats: their figures. The run itself is the median one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeats: Option<Repeats>,
    /// What computed it: the Rust, or real CPython (then `python` says how it went).
    #[serde(default, skip_serializing_if = "Engine::is_rust")]
    pub engine: Engine,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub python: Option<PythonRun>,
    pub env: Env,
}

/// The figures of a mode's repeats, timed after one untimed warm-up run.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Repeats {
    pub count: u32,
    /// The warm-up run's wall time: not part of the figures, kept to show how much a cold first run differs.
    pub warmup_ms: f64,
    pub wall_ms: Range,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spawn_ms: Option<Range>,
    /// Every repeat's wall time, in the order they ran.
    pub samples: Vec<f64>,
}

impl Run {
    /// A run of k jobs of `task`, checked against its value computed the fast way.
    pub fn new(mode: Mode, task: &Task, workers: u32, started: f64, ended: f64, jobs: Vec<Job>) -> Run {
        let expected = task.expected();
        let correct = jobs.len() == workers as usize && jobs.iter().all(|job| job.value == Some(expected));
        let work = Work::of(task, workers);
        let mut run = Run::timed(mode, work, workers, started, ended, jobs, correct);
        run.n = task.kind.is_fib().then_some(task.n);
        run.expected = Some(expected);
        run
    }

    /// A run of any jobs: the times, and the longest spawn (a job's spawn spans, whole or in parts, added up).
    pub fn timed(mode: Mode, work: Work, workers: u32, started: f64, ended: f64, jobs: Vec<Job>, correct: bool) -> Run {
        let spawn = |job: &Job| {
            let parts = job.spans.iter().filter(|span| span.kind.is_spawn());
            parts.map(Span::ms).reduce(|a, b| a + b)
        };
        let spawn_ms = jobs.iter().filter_map(spawn).reduce(f64::max);
        let copies: Vec<f64> =
            jobs.iter().flat_map(|job| &job.spans).filter(|s| s.kind == SpanKind::CopyIn).map(Span::ms).collect();
        let copy_ms = (!copies.is_empty()).then(|| copies.iter().sum::<f64>() / copies.len() as f64);
        Run {
            mode,
            label: work.label(),
            work,
            n: None,
            workers,
            started,
            ended,
            wall_ms: ended - started,
            spawn_ms,
            copy_ms,
            expected: None,
            correct,
            jobs,
            gil: None,
            io: None,
            convoy: None,
            repeats: None,
            engine: Engine::Rust,
            python: None,
            env: Env::current(),
        }
    }

    /// The repeats of one mode as one run: the run with the median wall time, with every repeat's figures (and the wall
    /// time of the warm-up run before them), to the microsecond. It is correct only if every repeat was. None for no
    /// runs.
    pub fn from_repeats(warmup: &Run, mut runs: Vec<Run>) -> Option<Run> {
        let samples: Vec<f64> = runs.iter().map(|run| to_micros(run.wall_ms)).collect();
        let wall_ms = Range::of(&samples)?;
        let spawns: Vec<f64> = runs.iter().filter_map(|run| run.spawn_ms.map(to_micros)).collect();
        let correct = runs.iter().all(|run| run.correct);
        let median = samples.iter().position(|&wall| wall == wall_ms.median)?;
        let convoy = ConvoySummary::pooled(&runs);
        let mut run = runs.swap_remove(median);
        run.convoy = convoy;
        run.correct = correct;
        run.wall_ms = wall_ms.median;
        run.spawn_ms = run.spawn_ms.map(to_micros);
        let count = samples.len() as u32;
        let warmup_ms = to_micros(warmup.wall_ms);
        run.repeats = Some(Repeats { count, warmup_ms, wall_ms, spawn_ms: Range::of(&spawns), samples });
        Some(run)
    }

    /// The wall time: of the repeats when there were several, else of this run.
    pub fn wall(&self) -> Range {
        self.repeats
            .as_ref()
            .map_or(Range { median: self.wall_ms, min: self.wall_ms, max: self.wall_ms }, |r| r.wall_ms)
    }

    /// Puts jobs that came back in any order in their order (one function, so the wasm has one copy of the sort).
    #[inline(never)]
    pub fn in_order(jobs: &mut [Job]) {
        jobs.sort_by_key(|job| job.index);
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a run always serialises")
    }
}

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
    /// The median time a request was in flight, from its call to the last byte of its answer: what the browser and
    /// the machine, not the GIL, make of it beside the CPU work (0 in a link from before it was measured).
    #[serde(default)]
    pub in_flight_ms: f64,
    /// Requests a second, from the first call to the last answer handled (the median repeat's).
    pub per_second: f64,
    /// What the CPU threads got done (none alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<Cpu>,
    /// Every repeat's median latency, in the order they ran: the noise between repeats.
    pub medians: Vec<f64>,
    /// Under the GIL, where the IO thread's waits went: its hand-overs' parts (medians over every repeat's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hand_over: Option<HandOver>,
    /// Every request was answered and every fib(n) right (in every repeat).
    pub correct: bool,
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
impl ConvoySummary {
    /// The repeats' latencies as one: every request of every repeat, and each repeat's median.
    pub fn pooled(runs: &[Run]) -> Option<ConvoySummary> {
        let mut summary = runs.first()?.convoy.clone()?;
        let requests: Vec<&Job> = runs.iter().flat_map(|run| &run.jobs).filter(|job| job.request.is_some()).collect();
        summary.hand_over = HandOver::of(&requests);
        (summary.gil_wait_ms, summary.in_flight_ms) =
            (median_of(&requests, Job::waited_for_gil), median_of(&requests, Job::in_flight));
        summary.latency_ms = latency(&requests.iter().map(|job| job.end - job.start).collect::<Vec<_>>());
        summary.medians = runs.iter().filter_map(|run| run.convoy.as_ref().map(|c| c.latency_ms.median)).collect();
        summary.correct = runs.iter().all(|run| run.correct);
        Some(summary)
    }
}

/// The parts of the hand-overs of the GIL that the IO thread asked for (see `SpanKind::HandOverTimer` and the
/// three after it): how many, and the median of each part, in ms.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HandOver {
    pub count: u32,
    /// How late its timed wait of a switch interval ended, before it set the drop request.
    pub timer_ms: f64,
    /// From the drop request to the holder letting go: the holder noticing it at a check point.
    pub notice_ms: f64,
    /// From the holder letting go to the waiter running again.
    pub wake_ms: f64,
    /// From the waiter running again to its holding the lock.
    pub take_ms: f64,
}

impl HandOver {
    /// The hand-overs recorded in `jobs`' spans, if any.
    pub fn of(jobs: &[&Job]) -> Option<HandOver> {
        let spans: Vec<Span> =
            jobs.iter().flat_map(|job| &job.spans).copied().filter(|s| s.kind.is_hand_over()).collect();
        let part = |kind| {
            let times: Vec<f64> = spans.iter().filter(|s| s.kind == kind).map(Span::ms).collect();
            Range::of(&times).map_or(0.0, |r| to_micros(r.median))
        };
        let count = spans.iter().filter(|s| s.kind == SpanKind::HandOverNotice).count() as u32;
        (count > 0).then(|| HandOver {
            count,
            timer_ms: part(SpanKind::HandOverTimer),
            notice_ms: part(SpanKind::HandOverNotice),
            wake_ms: part(SpanKind::HandOverWake),
            take_ms: part(SpanKind::HandOverTake),
        })
    }
}

/// How a run in CPython went, besides its jobs.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PythonRun {
    /// CPython's version, as the interpreter says it ("3.14.2").
    pub version: String,
    /// How long the interpreters this run used took to start (the longest), before its timer: shown apart, as a
    /// process's spawn is.
    pub start_ms: f64,
    /// CPython's own error when it could not do the work (threads, here: "RuntimeError: can't start new thread").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
}

/// What the verdicts read of a run (see `report`): the page sends these, not every run's every span.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub mode: Mode,
    pub work: Work,
    pub wall_ms: Range,
    pub correct: bool,
    #[serde(default)]
    pub engine: Engine,
    /// A run in CPython that ended in CPython's own error (threads, here): its last line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// What its fresh workers took to start, in its repeats (processes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spawn_ms: Option<Range>,
    /// A convoy run's figures, over its repeats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub convoy: Option<ConvoySummary>,
    /// What copying its payload into each process took, on average (the median repeat's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_ms: Option<f64>,
}

impl From<&Run> for Summary {
    fn from(run: &Run) -> Summary {
        Summary {
            mode: run.mode,
            work: run.work.clone(),
            wall_ms: run.wall(),
            correct: run.correct,
            engine: run.engine,
            outcome: run.python.as_ref().and_then(|python| python.outcome.clone()),
            spawn_ms: run.repeats.as_ref().and_then(|repeats| repeats.spawn_ms),
            convoy: run.convoy.clone(),
            copy_ms: run.copy_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(index: u32, value: u64, spans: Vec<Span>) -> Job {
        Job { index, lane: index, value: Some(value), request: None, start: 10.0, end: 20.0, spans }
    }

    #[test]
    fn work_is_a_key_with_a_label() {
        let fib = Work::Fib { n: 40, jobs: 2, payload_mb: 0 };
        assert_eq!(fib.label(), "fib(40) × 2");
        assert_eq!(serde_json::to_value(&fib).unwrap(), serde_json::json!({ "fib": { "n": 40, "jobs": 2 } }));
        let builtin = Work::Requests { count: 10, target: Target::Builtin { delay_ms: 100 } };
        assert_eq!(builtin.label(), "10 × GET built-in endpoint (100 ms)");
        let json = serde_json::json!({ "requests": { "count": 10, "target": { "builtin": { "delayMs": 100 } } } });
        assert_eq!(serde_json::to_value(&builtin).unwrap(), json);
        let url = Work::Requests { count: 3, target: Target::Url("https://x.y/".into()) };
        assert_eq!(url.label(), "3 × GET https://x.y/");
        assert_ne!(url, Work::Requests { count: 3, target: Target::Url("https://x.z/".into()) });
    }

    #[test]
    fn a_run_checks_every_value_and_takes_the_longest_spawn() {
        let spawn = |start, end| Span { kind: SpanKind::Spawn, start, end };
        let jobs = vec![job(0, 6765, vec![spawn(0.0, 4.0)]), job(1, 6765, vec![spawn(1.0, 8.5)])];
        let run = Run::new(Mode::Processes, &Task::fib(20), 2, 0.0, 30.0, jobs);
        assert!(run.correct);
        assert_eq!(run.wall_ms, 30.0);
        assert_eq!(run.spawn_ms, Some(7.5));

        let wrong =
            Run::new(Mode::Single, &Task::fib(20), 2, 0.0, 1.0, vec![job(0, 6765, vec![]), job(1, 6764, vec![])]);
        assert!(!wrong.correct);
        assert_eq!(wrong.spawn_ms, None);
        let missing = Run::new(Mode::Single, &Task::fib(20), 2, 0.0, 1.0, vec![job(0, 6765, vec![])]);
        assert!(!missing.correct, "a run with a job missing is not correct");
    }

    #[test]
    fn a_run_round_trips_through_json_in_camel_case() {
        let compute = Span { kind: SpanKind::GilHeld, start: 1.5, end: 2.5 };
        let mut run = Run::new(Mode::Gil, &Task::fib(20), 1, 1.0, 3.0, vec![job(0, 6765, vec![compute])]);
        run.gil = Some(GilSummary { switch_ms: 5.0, check_grain: 20, switches: 0, in_turns: false });
        let json = run.to_json();
        for key in ["\"wallMs\"", "\"spawnMs\"", "\"mode\":\"gil\"", "\"kind\":\"gil-held\"", "\"switchMs\"", "\"env\""]
        {
            assert!(json.contains(key), "{key} missing in {json}");
        }
        let back: Run = serde_json::from_str(&json).unwrap();
        assert_eq!(back, run);
    }

    #[test]
    fn repeats_are_shown_as_their_median_run_with_every_figure() {
        let timed =
            |wall: f64, value: u64| Run::new(Mode::Single, &Task::fib(20), 1, 0.0, wall, vec![job(0, value, vec![])]);
        let warmup = timed(70.0, 6765);
        let run = Run::from_repeats(&warmup, vec![timed(30.0, 6765), timed(10.0, 6765), timed(20.0, 6765)]).unwrap();
        assert_eq!(run.wall_ms, 20.0, "the median run");
        let repeats = run.repeats.as_ref().unwrap();
        assert_eq!((repeats.count, repeats.wall_ms.min, repeats.wall_ms.max), (3, 10.0, 30.0));
        assert_eq!(repeats.samples, [30.0, 10.0, 20.0]);
        assert_eq!(repeats.warmup_ms, 70.0, "the warm-up is kept apart from the samples");
        assert_eq!(repeats.spawn_ms, None);
        assert_eq!(run.wall(), repeats.wall_ms);
        assert!(run.correct);
        assert!(run.to_json().contains("\"repeats\":{\"count\":3,\"warmupMs\":70.0,\"wallMs\":{\"median\":20.0"));

        let one_wrong = Run::from_repeats(&warmup, vec![timed(30.0, 6765), timed(10.0, 1), timed(20.0, 6765)]).unwrap();
        assert!(!one_wrong.correct, "a wrong value in any repeat makes the whole wrong");
        assert_eq!(Run::from_repeats(&warmup, vec![]), None);
    }
}
