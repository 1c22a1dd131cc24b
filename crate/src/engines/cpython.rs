//! Runs in real CPython (Pyodide, www/python/): the page's interpreters run the visitor's program and send back
//! each call's times on the common clock; here they become a run like any other.

use crate::modes::{Engine, Kind};
use crate::result::{Job, PythonRun, Run};
use crate::spec::Options;

/// The run in CPython put together from the jobs its interpreters timed, started at `started` (common clock).
pub fn assemble(options: &Options, base: &str, started: f64, mut jobs: Vec<Job>, python: PythonRun) -> Run {
    Run::in_order(&mut jobs);
    let ended = jobs.iter().map(|job| job.end).fold(started, f64::max);
    let mut run = match options.mode.info().kind {
        Kind::Io => crate::engines::io::run(options, base, started, ended, jobs),
        Kind::Cpu => Run::new(options.mode, &options.task(), options.workers, started, ended, jobs),
    };
    run.correct &= python.outcome.is_none();
    run.engine = Engine::Python;
    run.python = Some(python);
    run
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::check_run;
    use crate::result::{Span, SpanKind};
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
        let threads = Options { mode: crate::modes::Mode::Threads, ..options };
        let refused = assemble(&threads, "b/", 100.0, vec![], python(Some("RuntimeError: can't start new thread")));
        assert!(!refused.correct && refused.wall_ms == 0.0);
        assert!(refused.to_json().contains("\"outcome\":\"RuntimeError: can't start new thread\""));
    }
}
