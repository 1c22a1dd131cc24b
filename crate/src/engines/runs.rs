//! How each mode runs, behind the wasm boundary's one shape (`wasm.rs`): a checked run's plan (what the page
//! prepares: a thread pool, fresh workers), the run of a mode whose jobs run in the worker asked, the job of each
//! fresh worker and the run put together from their jobs; and the repeats, kept in the worker that ran them until
//! their summary is asked for.

use std::sync::Mutex;

use serde::Serialize;

use crate::engines::{convoy, cpu, cpython, io};
use crate::modes::{Build, Engine, Kind, Mode, Runs};
use crate::result::{Job, PythonRun, Run};
use crate::spec::Options;

/// Where a plan's jobs run, where the page computes with `Build::current()`: the page keeps one runner for each
/// (`www/runtime/lab.js`), and `Plan::count` says how many of what it needs.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum RunsIn {
    /// In the core worker, on a pool of `count` threads it resizes first (0: no pool).
    Core,
    /// In the io worker (the plain build, loaded when needed), which can await requests.
    Io,
    /// Each of the `count` jobs in a fresh worker of the page's build, started within the timer (processes).
    FreshWorkers,
    /// As `FreshWorkers`, but the workers after the first compute round after round until the first, the convoy's
    /// IO thread, is done.
    FreshWorkersUntilFirst,
    /// Each of the `count` requests in a fresh worker of the plain build (io-workers).
    FreshIoWorkers,
    /// Each of the `count` jobs in a fresh instance made in one of `count` hosts kept running (interpreters).
    Hosts,
    /// In `count` CPython interpreters (Pyodide), each a worker of its own started before the timer.
    Cpython,
}

/// A checked run, where its jobs run and how many workers, threads or interpreters that takes.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub options: Options,
    /// Whether the mode can run here at all (see `ModeInfo::available`).
    pub available: bool,
    pub runs_in: RunsIn,
    pub count: u32,
    /// Whether it makes requests (the built-in endpoint's answerer is resolved first).
    pub requests: bool,
}

impl Plan {
    pub fn of(mut options: Options) -> Plan {
        let info = options.mode.info();
        // Only CPU jobs read a payload: requests, and the convoy's threads, have none.
        if info.kind == Kind::Io || options.convoy {
            options.payload_mb = 0;
        }
        let build = Build::current();
        let io = info.kind == Kind::Io;
        let requests = io || options.convoy;
        if options.engine == Engine::Python {
            let count = if options.mode == Mode::Processes { options.workers } else { 1 };
            return Plan { options, available: true, runs_in: RunsIn::Cpython, count, requests };
        }
        // The convoy's IO thread is one more thread of the pool, or one more fresh worker (see convoy.rs).
        let (jobs, threads) = match options.convoy {
            true => (options.workers + 1, options.cpu_threads() + 1),
            false => (options.jobs(), options.workers),
        };
        let (runs_in, count) = match info.runs {
            Runs::InWorker if io && !options.convoy => (RunsIn::Io, 0),
            Runs::InWorker => (RunsIn::Core, if info.pooled(build) { threads } else { 0 }),
            Runs::InFreshWorkers if options.convoy => (RunsIn::FreshWorkersUntilFirst, jobs),
            Runs::InFreshWorkers if io => (RunsIn::FreshIoWorkers, jobs),
            Runs::InFreshWorkers => (RunsIn::FreshWorkers, jobs),
            Runs::InFreshInstances => (RunsIn::Hosts, jobs),
        };
        Plan { available: info.available(build), runs_in, count, requests, options }
    }
}

/// One run of a CPU mode whose jobs run here: single in this worker, threads and gil on its pool, or, where this
/// build cannot share memory, gil as its jobs taking turns here.
pub fn cpu_run(options: &Options) -> Result<Run, String> {
    let Options { mode, workers: k, switch_ms, .. } = *options;
    let task = &options.task();
    let shared_memory = Build::current() == Build::Threads;
    match mode {
        Mode::Single => Ok(cpu::single(task, k)),
        Mode::Threads if shared_memory => Ok(cpu::threads(task, k)),
        Mode::Gil if shared_memory => Ok(cpu::gil(task, k, switch_ms)),
        Mode::Gil => Ok(cpu::gil_in_turns(task, k, switch_ms)),
        _ => Err(format!("{} cannot run in this worker ({:?} build)", mode.info().label, Build::current())),
    }
}

/// The job of a fresh worker of a CPU mode (a process), created at `created` on the common clock, with the copy of
/// the payload it was given.
pub fn cpu_job(options: &Options, payload: &[u8], index: u32, created: f64, marks: &[f64]) -> Job {
    cpu::process_job(&options.task(), payload, index, created, marks)
}

/// The run put together from the jobs its fresh workers (or CPython's interpreters, with `python`) sent back,
/// started at `started`.
pub fn assemble(options: &Options, base: &str, started: f64, jobs: Vec<Job>, python: Option<PythonRun>) -> Run {
    if let Some(python) = python {
        return cpython::assemble(options, base, started, jobs, python);
    }
    if options.convoy {
        return convoy::assemble(options, base, started, jobs);
    }
    match options.mode.info().kind {
        Kind::Cpu => cpu::processes(options.mode, &options.task(), options.workers, started, jobs),
        Kind::Io => {
            let ended = jobs.iter().map(|job| job.end).fold(started, f64::max);
            io::run(options, base, started, ended, jobs)
        }
    }
}

/// The repeats of the mode running in this worker: its untimed warm-up, then its timed runs.
#[derive(Default)]
struct Kept {
    warmup: Option<Run>,
    runs: Vec<Run>,
}

static KEPT: Mutex<Kept> = Mutex::new(Kept { warmup: None, runs: Vec::new() });

/// Keeps a finished run: a warm-up starts the repeats of a mode afresh.
pub fn keep(run: Run, warmup: bool) {
    let mut kept = KEPT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if warmup {
        *kept = Kept { warmup: Some(run), runs: Vec::new() };
    } else {
        kept.runs.push(run);
    }
}

/// The kept repeats as one run (the median one, with every repeat's figures), and the repeats forgotten.
pub fn summary() -> Result<Run, String> {
    let Kept { warmup, runs } = std::mem::take(&mut *KEPT.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
    let warmup = warmup.ok_or("no warm-up run was kept")?;
    Run::from_repeats(&warmup, runs).ok_or_else(|| "no timed run was kept".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::check_run;
    use serde_json::json;

    fn options(given: serde_json::Value) -> Options {
        check_run(&given).unwrap()
    }

    #[test]
    fn a_plan_says_where_its_jobs_run_and_how_many_it_needs() {
        let plan = |given: serde_json::Value| {
            let plan = Plan::of(options(given));
            (plan.runs_in, plan.count, plan.requests)
        };
        // Natively threads share memory, as in the threads build.
        assert_eq!(plan(json!({ "mode": "threads", "workers": 3 })), (RunsIn::Core, 3, false));
        assert_eq!(plan(json!({ "mode": "single", "workers": 3 })), (RunsIn::Core, 0, false), "no pool");
        assert_eq!(plan(json!({ "mode": "processes", "workers": 4 })), (RunsIn::FreshWorkers, 4, false));
        assert_eq!(plan(json!({ "mode": "interpreters", "workers": 2 })), (RunsIn::Hosts, 2, false));
        let io = plan(json!({ "mode": "io-workers", "requests": 7, "workers": 2 }));
        assert_eq!(io, (RunsIn::FreshIoWorkers, 7, true), "a fresh worker per request");
        assert_eq!(plan(json!({ "mode": "io-concurrent" })), (RunsIn::Io, 0, true));
        let convoy = |mode| {
            let plan = Plan::of(Options { convoy: true, ..options(json!({ "mode": mode, "workers": 2 })) });
            (plan.runs_in, plan.count, plan.requests)
        };
        assert_eq!(convoy("io-sequential"), (RunsIn::Core, 0, true), "alone: the IO thread in the core worker");
        assert_eq!(convoy("gil"), (RunsIn::Core, 3, true), "the IO thread is one more thread of the pool");
        assert_eq!(convoy("processes"), (RunsIn::FreshWorkersUntilFirst, 3, true));
        let single = Plan::of(options(json!({ "mode": "single" })));
        assert!(serde_json::to_string(&single).unwrap().contains("\"options\":{\"mode\":\"single\""));
        assert!(serde_json::to_string(&single).unwrap().contains("\"runsIn\":\"core\""));
        let python = |mode| plan(json!({ "mode": mode, "engine": "python", "workers": 3 }));
        assert_eq!(python("single"), (RunsIn::Cpython, 1, false));
        assert_eq!(python("processes"), (RunsIn::Cpython, 3, false));
        assert_eq!(python("io-concurrent"), (RunsIn::Cpython, 1, true));
    }

    #[test]
    fn the_cpu_modes_that_run_here_run_and_the_others_say_so() {
        for mode in ["single", "threads", "gil"] {
            let run = cpu_run(&options(json!({ "mode": mode, "n": 15, "workers": 2 }))).unwrap();
            assert!(run.correct && run.mode == Mode::parse(mode).unwrap(), "{mode}");
        }
        let error = cpu_run(&options(json!({ "mode": "processes" }))).unwrap_err();
        assert!(error.starts_with("processes cannot run in this worker"), "{error}");
    }

    #[test]
    fn fresh_workers_jobs_are_assembled_into_their_run() {
        let given = options(json!({ "mode": "processes", "n": 12, "workers": 2 }));
        let started = crate::clock::now_ms();
        let jobs = vec![cpu_job(&given, &[], 1, started, &[]), cpu_job(&given, &[], 0, started, &[])];
        let run = assemble(&given, "b/", started, jobs, None);
        assert!(run.correct && run.spawn_ms.is_some());
        assert_eq!(run.jobs.iter().map(|job| job.index).collect::<Vec<_>>(), [0, 1]);
    }

    #[test]
    fn repeats_are_kept_until_their_summary() {
        let given = options(json!({ "mode": "single", "n": 10, "workers": 1 }));
        keep(cpu_run(&given).unwrap(), true);
        for _ in 0..3 {
            keep(cpu_run(&given).unwrap(), false);
        }
        let run = summary().unwrap();
        assert_eq!(run.repeats.as_ref().map(|r| r.count), Some(3));
        assert_eq!(summary().unwrap_err(), "no warm-up run was kept", "a summary forgets the repeats");
        keep(cpu_run(&given).unwrap(), true);
        assert_eq!(summary().unwrap_err(), "no timed run was kept");
    }
}
