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

/// A checked run, and what the page must prepare for it where the page computes with `Build::current()`.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub options: Options,
    /// Whether the mode can run here at all (see `ModeInfo::available`).
    pub available: bool,
    /// The threads the worker's pool must have before each repeat, for a mode that runs on it.
    pub pool: Option<u32>,
    /// The fresh workers each repeat starts, one per job, for a mode whose jobs run in them (for interpreters: the
    /// hosts it needs, one per job).
    pub fresh: Option<u32>,
    /// Whether those workers are hosts kept running, started before any timer, each making its job's fresh
    /// instance (interpreters), rather than started within the timer (processes).
    pub ahead: bool,
    /// Whether it runs in the io worker (the plain build, loaded when needed) rather than the core worker.
    pub io_worker: bool,
    /// Whether it makes requests (the built-in endpoint's answerer is resolved first).
    pub requests: bool,
    /// The convoy's processes: the fresh workers but the first compute until the first (the IO thread) is done.
    pub until_first: bool,
    /// A run in CPython: the interpreters it needs, each a worker of its own started ahead (www/python/).
    pub interpreters: Option<u32>,
}

impl Plan {
    pub fn of(options: Options) -> Plan {
        let info = options.mode.info();
        let build = Build::current();
        let io = info.kind == Kind::Io;
        // The convoy's IO thread is one more thread of the pool, or one more fresh worker (see convoy.rs).
        let (jobs, threads) = match options.convoy {
            true => (options.workers + 1, options.cpu_threads() + 1),
            false => (options.jobs(), options.workers),
        };
        if options.engine == Engine::Python {
            let interpreters = if options.mode == Mode::Processes { options.workers } else { 1 };
            let (pool, fresh, io_worker, until_first, ahead) = (None, None, false, false, false);
            let (available, requests, interpreters) = (true, io, Some(interpreters));
            return Plan { options, available, pool, fresh, ahead, io_worker, requests, until_first, interpreters };
        }
        Plan {
            available: info.available(build),
            pool: info.pooled(build).then_some(threads),
            fresh: (info.runs != Runs::InWorker).then_some(jobs),
            ahead: info.runs == Runs::InFreshInstances,
            io_worker: io && !options.convoy,
            interpreters: None,
            requests: io || options.convoy,
            until_first: options.convoy && info.runs == Runs::InFreshWorkers,
            options,
        }
    }
}

/// One run of a CPU mode whose jobs run here: single in this worker, threads and gil on its pool, or, where this
/// build cannot share memory, gil as its jobs taking turns here.
pub fn cpu_run(options: &Options) -> Result<Run, String> {
    let Options { mode, n, workers: k, switch_ms, .. } = *options;
    let shared_memory = Build::current() == Build::Threads;
    match mode {
        Mode::Single => Ok(cpu::single(n, k)),
        Mode::Threads if shared_memory => Ok(cpu::threads(n, k)),
        Mode::Gil if shared_memory => Ok(cpu::gil(n, k, switch_ms)),
        Mode::Gil => Ok(cpu::gil_in_turns(n, k, switch_ms)),
        _ => Err(format!("{} cannot run in this worker ({:?} build)", mode.info().label, Build::current())),
    }
}

/// The job of a fresh worker of a CPU mode (a process), created at `created` on the common clock.
pub fn cpu_job(options: &Options, index: u32, created: f64, marks: &[f64]) -> Job {
    cpu::process_job(options.n, index, created, marks)
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
        Kind::Cpu => cpu::processes(options.mode, options.n, options.workers, started, jobs),
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
    fn a_plan_says_what_the_page_prepares() {
        // Natively threads share memory, as in the threads build.
        let threads = Plan::of(options(json!({ "mode": "threads", "workers": 3 })));
        assert_eq!((threads.available, threads.pool, threads.fresh), (true, Some(3), None));
        let processes = Plan::of(options(json!({ "mode": "processes", "workers": 4 })));
        assert_eq!((processes.pool, processes.fresh), (None, Some(4)));
        let io = Plan::of(options(json!({ "mode": "io-workers", "requests": 7, "workers": 2 })));
        assert_eq!((io.pool, io.fresh), (None, Some(7)), "a fresh worker per request");
        let single = Plan::of(options(json!({ "mode": "single" })));
        assert_eq!((single.pool, single.fresh), (None, None));
        assert!(io.io_worker && io.requests && !single.requests && !io.until_first);
        let convoy = |mode| Plan::of(Options { convoy: true, ..options(json!({ "mode": mode, "workers": 2 })) });
        let (alone, gil, processes) = (convoy("io-sequential"), convoy("gil"), convoy("processes"));
        assert_eq!((alone.pool, alone.fresh, alone.io_worker, alone.requests), (None, None, false, true));
        assert_eq!((gil.pool, gil.fresh), (Some(3), None), "the IO thread is one more thread of the pool");
        assert_eq!((processes.pool, processes.fresh, processes.until_first), (None, Some(3), true));
        assert!(serde_json::to_string(&single).unwrap().contains("\"options\":{\"mode\":\"single\""));
        let python = |mode| Plan::of(options(json!({ "mode": mode, "engine": "python", "workers": 3 })));
        let (single, processes) = (python("single"), python("processes"));
        assert_eq!(
            (single.interpreters, processes.interpreters, processes.fresh, processes.pool),
            (Some(1), Some(3), None, None)
        );
        assert!(python("io-concurrent").requests && !python("io-concurrent").io_worker);
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
        let jobs = vec![cpu_job(&given, 1, started, &[]), cpu_job(&given, 0, started, &[])];
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
