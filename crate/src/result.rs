//! The one result type: what a run did, serialisable, shared by every mode, the page, the exports and the bench.

use serde::{Deserialize, Serialize};

use crate::env::Env;
use crate::modes::Mode;

/// What a stretch of time on a lane was spent on.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum SpanKind {
    /// Starting a worker and instantiating its wasm (processes), or starting the thread pool (threads).
    Spawn,
    /// Computing fib.
    Compute,
    /// Computing fib while holding the GIL.
    GilHeld,
    /// Ready to compute, waiting for the GIL.
    GilWait,
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

/// One fib(n) job: where it ran (`lane`: the worker, thread or process) and how its time went.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Job {
    pub index: u32,
    pub lane: u32,
    pub value: u64,
    pub start: f64,
    pub end: f64,
    pub spans: Vec<Span>,
}

/// How the GIL behaved during a gil run.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GilSummary {
    pub switch_ms: f64,
    /// Threads look at the drop request before each subtree fib(m) with m ≤ this (see `fib::fib_with`).
    pub check_grain: u32,
    /// How many times the GIL passed from one thread to another.
    pub switches: u64,
}

/// A whole run of one mode.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub mode: Mode,
    pub n: u32,
    pub workers: u32,
    pub started: f64,
    pub ended: f64,
    /// `ended - started`: everything the visitor waited for, spawning included.
    pub wall_ms: f64,
    /// The longest spawn span, if the mode started workers or a pool for this run.
    pub spawn_ms: Option<f64>,
    /// The value every job must return (computed the fast way), and whether all did.
    pub expected: u64,
    pub correct: bool,
    pub jobs: Vec<Job>,
    pub gil: Option<GilSummary>,
    pub env: Env,
}

impl Run {
    pub fn new(mode: Mode, n: u32, workers: u32, started: f64, ended: f64, jobs: Vec<Job>) -> Run {
        let expected = fib_fast(n);
        let spawn_ms = jobs
            .iter()
            .flat_map(|job| &job.spans)
            .filter(|span| span.kind == SpanKind::Spawn)
            .map(Span::ms)
            .reduce(f64::max);
        Run {
            mode,
            n,
            workers,
            started,
            ended,
            wall_ms: ended - started,
            spawn_ms,
            expected,
            correct: jobs.len() == workers as usize && jobs.iter().all(|job| job.value == expected),
            jobs,
            gil: None,
            env: Env::current(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a run always serialises")
    }
}

/// fib(n) by iteration: the reference the slow jobs are checked against.
fn fib_fast(n: u32) -> u64 {
    (0..n).fold((0u64, 1u64), |(a, b), _| (b, a + b)).0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(index: u32, value: u64, spans: Vec<Span>) -> Job {
        Job { index, lane: index, value, start: 10.0, end: 20.0, spans }
    }

    #[test]
    fn fast_fib_agrees_with_the_slow_one() {
        for n in 0..=30 {
            assert_eq!(fib_fast(n), crate::fib::fib(n), "n={n}");
        }
        assert_eq!(fib_fast(45), 1_134_903_170);
    }

    #[test]
    fn a_run_checks_every_value_and_takes_the_longest_spawn() {
        let spawn = |start, end| Span { kind: SpanKind::Spawn, start, end };
        let jobs = vec![job(0, 6765, vec![spawn(0.0, 4.0)]), job(1, 6765, vec![spawn(1.0, 8.5)])];
        let run = Run::new(Mode::Processes, 20, 2, 0.0, 30.0, jobs);
        assert!(run.correct);
        assert_eq!(run.wall_ms, 30.0);
        assert_eq!(run.spawn_ms, Some(7.5));

        let wrong = Run::new(Mode::Single, 20, 2, 0.0, 1.0, vec![job(0, 6765, vec![]), job(1, 6764, vec![])]);
        assert!(!wrong.correct);
        assert_eq!(wrong.spawn_ms, None);
        let missing = Run::new(Mode::Single, 20, 2, 0.0, 1.0, vec![job(0, 6765, vec![])]);
        assert!(!missing.correct, "a run with a job missing is not correct");
    }

    #[test]
    fn a_run_round_trips_through_json_in_camel_case() {
        let compute = Span { kind: SpanKind::GilHeld, start: 1.5, end: 2.5 };
        let mut run = Run::new(Mode::Gil, 20, 1, 1.0, 3.0, vec![job(0, 6765, vec![compute])]);
        run.gil = Some(GilSummary { switch_ms: 5.0, check_grain: 20, switches: 0 });
        let json = run.to_json();
        for key in ["\"wallMs\"", "\"spawnMs\"", "\"mode\":\"gil\"", "\"kind\":\"gil-held\"", "\"switchMs\"", "\"env\""] {
            assert!(json.contains(key), "{key} missing in {json}");
        }
        let back: Run = serde_json::from_str(&json).unwrap();
        assert_eq!(back, run);
    }
}
