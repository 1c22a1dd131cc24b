//! Runs in real CPython (Pyodide, www/python/): the page's Python workers run the visitor's program and send back
//! each call's times on the common clock; here they become a run like any other (`assemble`), and a click's runs
//! are read side by side with the Rust emulation's (`read`).

use serde::{Deserialize, Serialize};

use crate::modes::{Engine, Kind, Mode};
use crate::options::Options;
use crate::result::{Job, Run, Summary};
use crate::stats::{compare, speedup, Order, Range};

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

/// The run in CPython put together from the jobs its interpreters timed, started at `started` (common clock).
pub fn assemble(options: &Options, base: &str, started: f64, mut jobs: Vec<Job>, python: PythonRun) -> Run {
    Run::in_order(&mut jobs);
    let ended = jobs.iter().map(|job| job.end).fold(started, f64::max);
    let mut run = match options.mode.info().kind {
        Kind::Io => crate::io::run(options, base, started, ended, jobs),
        Kind::Cpu => Run::new(options.mode, options.n, options.workers, started, ended, jobs),
    };
    run.correct &= python.outcome.is_none();
    run.engine = Engine::Python;
    run.python = Some(python);
    run
}

/// The Python experiment's words: what CPython's runs show, then the emulation's, in the same ratios.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct SideBySide {
    pub words: Vec<String>,
}

/// Reads a click's runs (CPython's and the Rust's, each the median of its repeats) side by side.
pub fn read(runs: &[Summary]) -> SideBySide {
    let find = |engine: Engine, mode: Mode| runs.iter().rfind(|run| run.engine == engine && run.mode == mode);
    let timed = |engine, mode| find(engine, mode).filter(|run| run.correct).map(|run| run.wall_ms);
    let ratio = |engine, base: Mode, mode: Mode| {
        let (before, after): (Range, Range) = (timed(engine, base)?, timed(engine, mode)?);
        let times = speedup(&before, &after)?;
        let noise = if compare(&before, &after) == Order::Tie { " (inside the noise)" } else { "" };
        Some(format!("{} {times:.2}× {}{noise}", mode.info().label, base.info().label))
    };
    let ratios = |engine, pairs: &[(Mode, Mode)]| -> Vec<String> {
        pairs.iter().filter_map(|&(base, mode)| ratio(engine, base, mode)).collect()
    };
    use Mode::*;
    let pairs = [(Single, Processes), (Single, Threads), (Single, Gil), (IoSequential, IoConcurrent)];
    let mut words = Vec::new();
    let cpython = ratios(Engine::Python, &pairs);
    let threads = find(Engine::Python, Threads).and_then(|run| run.outcome.as_deref());
    if !cpython.is_empty() || threads.is_some() {
        let mut sentence = format!("Real CPython: {}", cpython.join(", "));
        if let Some(error) = threads {
            let gil =
                ratio(Engine::Rust, Single, Gil).map(|gil| format!(": {gil} in the emulation")).unwrap_or_default();
            sentence += &format!(
                "{}threads could not start ({error}): CPython in a browser has no threads of its own; what they \
                 would do with the GIL is what the gil mode shows{gil}",
                if cpython.is_empty() { "" } else { "; " }
            );
        }
        words.push(sentence + ".");
    }
    let rust = ratios(Engine::Rust, &pairs);
    if !rust.is_empty() {
        let mut sentence = format!("The Rust emulation: {}", rust.join(", "));
        // Its processes start fresh workers in the timed run, as multiprocessing.Process does: at a small n that is
        // most of their time, where CPython's interpreters were started before the timer.
        let spawned =
            find(Engine::Rust, Processes).filter(|run| run.correct).and_then(|run| Some((run.spawn_ms?, run)));
        if let Some((spawn, run)) = spawned.filter(|(spawn, run)| spawn.median >= run.wall_ms.median / 2.0) {
            sentence += &format!(
                "; its processes spent {} of their {} starting fresh workers, which CPython's interpreters had done \
                 before the timer: a job of {} is too short in Rust to show what processes gain (the article's \
                 experiment, at a larger n, shows it)",
                crate::stats::ms(spawn.median),
                crate::stats::ms(run.wall_ms.median),
                run.work.label()
            );
        }
        words.push(sentence + ".");
    }
    if let (Some(python), Some(rust)) = (find(Engine::Python, Single), find(Engine::Rust, Single)) {
        if let (true, true, Some(slower)) = (python.correct, rust.correct, speedup(&rust.wall_ms, &python.wall_ms)) {
            words.push(format!(
                "Each {} took CPython {} and the Rust {}: pure Python is {:.0}× slower here, which is why \
                 threadlab computes in Rust and compares ratios, not times.",
                python.work.label(),
                crate::stats::ms(python.wall_ms.median),
                crate::stats::ms(rust.wall_ms.median),
                1.0 / slower
            ));
        }
    }
    SideBySide { words }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::check_run;
    use crate::result::{Span, SpanKind, Work};
    use serde_json::json;

    fn fib_job(index: u32, value: u64, start: f64, end: f64) -> Job {
        let spans = vec![Span { kind: SpanKind::Compute, start, end }];
        Job { index, lane: index, value: Some(value), request: None, start, end, spans }
    }

    fn python(outcome: Option<&str>) -> PythonRun {
        PythonRun { version: "3.14.2".into(), start_ms: 3900.0, outcome: outcome.map(String::from) }
    }

    #[test]
    fn cpythons_jobs_make_a_run_of_its_mode_checked_like_the_rusts() {
        let options = check_run(&json!({ "mode": "processes", "engine": "python", "n": 20, "workers": 2 })).unwrap();
        let run = assemble(
            &options,
            "b/",
            100.0,
            vec![fib_job(1, 6765, 101.0, 150.0), fib_job(0, 6765, 101.0, 140.0)],
            python(None),
        );
        assert!(run.correct && run.engine == Engine::Python);
        assert_eq!((run.wall_ms, run.jobs[0].index, run.spawn_ms), (50.0, 0, None));
        let wrong = assemble(
            &options,
            "b/",
            100.0,
            vec![fib_job(0, 6765, 101.0, 150.0), fib_job(1, 1, 101.0, 150.0)],
            python(None),
        );
        assert!(!wrong.correct, "a wrong value from the visitor's fib is wrong");
        let threads = Options { mode: Mode::Threads, ..options };
        let refused = assemble(&threads, "b/", 100.0, vec![], python(Some("RuntimeError: can't start new thread")));
        assert!(!refused.correct && refused.wall_ms == 0.0);
        assert!(refused.to_json().contains("\"outcome\":\"RuntimeError: can't start new thread\""));
    }

    fn summary(engine: Engine, mode: Mode, ms: f64, outcome: Option<&str>) -> Summary {
        Summary {
            mode,
            work: Work::Fib { n: 27, jobs: 2 },
            wall_ms: Range { median: ms, min: ms * 0.97, max: ms * 1.03 },
            correct: outcome.is_none(),
            engine,
            outcome: outcome.map(String::from),
            spawn_ms: None,
        }
    }

    #[test]
    fn the_words_put_cpythons_ratios_beside_the_emulations() {
        use Engine::{Python, Rust};
        use Mode::*;
        let runs = [
            summary(Python, Single, 104.0, None),
            summary(Python, Threads, 0.0, Some("RuntimeError: can't start new thread")),
            summary(Python, Processes, 55.0, None),
            summary(Rust, Single, 2.2, None),
            summary(Rust, Processes, 1.15, None),
            summary(Rust, Gil, 2.24, None),
        ];
        let words = read(&runs).words;
        assert_eq!(
            words,
            [
                "Real CPython: processes 1.89× single; threads could not start (RuntimeError: can't start new \
                 thread): CPython in a browser has no threads of its own; what they would do with the GIL is what \
                 the gil mode shows: gil 0.98× single (inside the noise) in the emulation.",
                "The Rust emulation: processes 1.91× single, gil 0.98× single (inside the noise).",
                "Each fib(27) × 2 took CPython 104 ms and the Rust 2.20 ms: pure Python is 47× slower here, which \
                 is why threadlab computes in Rust and compares ratios, not times.",
            ]
        );
        assert!(read(&runs[3..]).words.len() == 1, "without CPython's runs, only the emulation's");
        let mut spawned = runs.clone();
        spawned[4].spawn_ms = Some(Range { median: 0.9, min: 0.8, max: 1.0 });
        assert_eq!(
            read(&spawned).words[1],
            "The Rust emulation: processes 1.91× single, gil 0.98× single (inside the noise); its processes spent 0.90 \
             ms of their 1.15 ms starting fresh workers, which CPython's interpreters had done before the timer: a \
             job of fib(27) × 2 is too short in Rust to show what processes gain (the article's experiment, at a \
             larger n, shows it)."
        );
    }
}
