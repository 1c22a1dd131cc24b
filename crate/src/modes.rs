//! The modes, as data: the page's mode picker, the validation, how each mode runs (`runs.rs`) and the docs are all
//! derived from `MODES`. A new mode is one entry here and one function where its jobs run.

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    Single,
    Threads,
    Processes,
    Interpreters,
    Gil,
    IoSequential,
    IoConcurrent,
    IoWorkers,
}

/// What a mode's jobs do: compute fib(n) (in the build every CPU mode computes with), or make requests (in the
/// plain build, whose futures can await a fetch).
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Cpu,
    Io,
}

/// A wasm build. `Threads` (atomics, one shared memory) needs a cross-origin isolated page.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Build {
    Plain,
    Threads,
}

impl Build {
    pub fn name(self) -> &'static str {
        match self {
            Build::Plain => "plain",
            Build::Threads => "threads",
        }
    }

    pub fn parse(name: &str) -> Option<Build> {
        [Build::Plain, Build::Threads].into_iter().find(|build| build.name() == name)
    }

    /// The build this code is. Natively, threads share memory as the threads build's do.
    pub fn current() -> Build {
        if cfg!(feature = "threads") || !cfg!(target_arch = "wasm32") {
            Build::Threads
        } else {
            Build::Plain
        }
    }
}

/// What computes a run: threadlab's Rust, or real CPython (Pyodide) running the visitor's Python program.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Engine {
    #[default]
    Rust,
    Python,
}

impl Engine {
    pub fn is_rust(&self) -> bool {
        *self == Engine::Rust
    }
}

/// Where a mode's jobs run: in the worker the page asks (on its thread pool, for a mode of the threads build), each
/// in a fresh worker of its own, or each in a fresh instance made in one of the hosts kept running; the asked worker
/// then puts their jobs into the run.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Runs {
    InWorker,
    InFreshWorkers,
    /// Each job in a fresh wasm instance with its own memory, made in one of k workers kept running between runs.
    InFreshInstances,
}

#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct ModeInfo {
    pub mode: Mode,
    pub label: &'static str,
    /// What it is, in plain words for a visitor who knows no mode names (the answer's sentences start with it).
    pub name: &'static str,
    pub build: Build,
    pub kind: Kind,
    pub runs: Runs,
    /// What one row of the timeline is: the worker, thread or process a job ran on.
    pub lane: &'static str,
    /// The Python this mode stands for.
    pub python: &'static str,
    pub about: &'static str,
    /// How a mode that needs the threads build runs where workers cannot share memory, if it can at all.
    pub without_shared_memory: Option<&'static str>,
    /// How real CPython (the Python experiment's engine) runs it in the page; none: CPython does not run it.
    pub cpython: Option<&'static str>,
    /// Whether a click runs it when the visitor picks no modes (interpreters postdate the article: picked only).
    pub in_defaults: bool,
    /// The mode its speedup is read against: the one that does the same work one job after another.
    pub against: Option<Mode>,
    /// What its jobs take to start, timed apart before they compute, by name ("spawn", "start"), if anything.
    pub start: Option<&'static str>,
    /// Its colour in the charts (a CSS colour, readable on the light and the dark page).
    pub colour: &'static str,
    /// What threadlab.py runs for it in the visitor's own CPython, in a few words (its table is written from these
    /// at build time); none: the script does not run it.
    pub script: Option<&'static str>,
}

pub const MODES: &[ModeInfo] = &[
    ModeInfo {
        mode: Mode::Single,
        name: "One thread",
        lane: "worker",
        label: "single",
        build: Build::Plain,
        kind: Kind::Cpu,
        runs: Runs::InWorker,
        python: prose("for _ in range(k): fib(n)"),
        about: prose("k jobs one after another in one worker."),
        without_shared_memory: None,
        cpython: Some(prose("k calls of fib(n) one after another in one interpreter")),
        in_defaults: true,
        against: None,
        start: None,
        colour: "#8a5a00",
        script: Some(prose("for _ in range(k): fib(n)")),
    },
    ModeInfo {
        mode: Mode::Threads,
        name: "Free threads",
        lane: "thread",
        label: "threads",
        build: Build::Threads,
        kind: Kind::Cpu,
        runs: Runs::InWorker,
        python: prose("threading.Thread on free-threaded Python (3.13t)"),
        about: prose("k jobs at once on a pool of k threads sharing one wasm memory."),
        without_shared_memory: None,
        cpython: Some(prose("k threading.Thread(...).start() in one interpreter: CPython's own answer here")),
        in_defaults: true,
        against: Some(Mode::Single),
        start: None,
        colour: "#3b82c4",
        script: Some(prose("k threading.Thread")),
    },
    ModeInfo {
        mode: Mode::Processes,
        name: "Processes",
        lane: "process",
        label: "processes",
        build: Build::Plain,
        kind: Kind::Cpu,
        runs: Runs::InFreshWorkers,
        python: prose("multiprocessing.Process"),
        about: prose(
            "k fresh workers, each with its own wasm memory, talking only by messages; spawning is timed apart.",
        ),
        without_shared_memory: None,
        cpython: Some(prose("one call of fib(n) in each of k interpreters, each in its own worker, started ahead")),
        in_defaults: true,
        against: Some(Mode::Single),
        start: Some("spawn"),
        colour: "#2e9e6a",
        script: Some(prose("k multiprocessing.Process")),
    },
    ModeInfo {
        mode: Mode::Interpreters,
        name: "Interpreters",
        lane: "interpreter",
        label: "interpreters",
        build: Build::Threads,
        kind: Kind::Cpu,
        runs: Runs::InFreshInstances,
        python: prose("an InterpreterPoolExecutor (Python 3.14): an interpreter per job, each with its own GIL"),
        about: prose(
            "k jobs, each in a fresh wasm instance with its own memory, made in one of k workers kept running: \
                parallel and isolated like processes, with no process to start; the instances' start is timed apart.",
        ),
        without_shared_memory: None,
        cpython: None,
        in_defaults: false,
        against: Some(Mode::Single),
        start: Some("start"),
        colour: "#7b61c9",
        script: Some(prose("InterpreterPoolExecutor(k)")),
    },
    ModeInfo {
        mode: Mode::Gil,
        name: "Threads under the GIL",
        lane: "thread",
        label: "gil",
        build: Build::Threads,
        kind: Kind::Cpu,
        runs: Runs::InWorker,
        python: prose("threading.Thread on classic CPython"),
        about: prose(
            "k threads that must hold one global lock to compute, handed over every switch interval as CPython does.",
        ),
        without_shared_memory: Some(
            "the k jobs take turns on one worker, a switch interval each: one computes at a time, as under the GIL",
        ),
        cpython: None,
        in_defaults: true,
        against: Some(Mode::Single),
        start: None,
        colour: "#d1495b",
        script: None,
    },
    ModeInfo {
        mode: Mode::IoSequential,
        name: "Requests one after another",
        lane: "request",
        label: "io-sequential",
        build: Build::Plain,
        kind: Kind::Io,
        runs: Runs::InWorker,
        python: prose("for _ in range(K): requests.get(url)"),
        about: prose("K requests one after another from one worker: each waits for the one before."),
        without_shared_memory: None,
        cpython: Some(prose("await one request after another")),
        in_defaults: true,
        against: None,
        start: None,
        colour: "#8a5a00",
        script: Some(prose("one GET after another")),
    },
    ModeInfo {
        mode: Mode::IoConcurrent,
        name: "Requests awaited together (asyncio)",
        lane: "request",
        label: "io-concurrent",
        build: Build::Plain,
        kind: Kind::Io,
        runs: Runs::InWorker,
        python: prose("asyncio.gather(*(get(url) for _ in range(K)))"),
        about: prose("K requests in flight at once from one worker, awaited together: waiting overlaps in one thread."),
        without_shared_memory: None,
        cpython: Some(prose("asyncio.gather over every request")),
        in_defaults: true,
        against: Some(Mode::IoSequential),
        start: None,
        colour: "#3b82c4",
        script: Some(prose("asyncio.gather over K")),
    },
    ModeInfo {
        mode: Mode::IoWorkers,
        name: "Threads for IO",
        lane: "request",
        label: "io-workers",
        build: Build::Plain,
        kind: Kind::Io,
        runs: Runs::InFreshWorkers,
        python: prose("threading.Thread(target=requests.get, args=(url,))"),
        about: prose("K requests, each from a fresh worker of its own, as the article starts a thread per request."),
        without_shared_memory: None,
        cpython: None,
        in_defaults: true,
        against: Some(Mode::IoSequential),
        start: Some("spawn"),
        colour: "#2e9e6a",
        script: Some(prose("a threading.Thread per request")),
    },
];

/// Words that only the build-time form and the docs read (a mode's Python, an experiment's description): the threads
/// build, which the page loads first and whose `describe()` drives the page at run time, leaves them out (they are
/// "" there), so that the first load stays small; the plain build and native code keep them.
pub const fn prose(text: &'static str) -> &'static str {
    if cfg!(feature = "threads") {
        ""
    } else {
        text
    }
}

impl ModeInfo {
    /// Whether this mode can run where the page computes with `build`: a mode of the threads build needs shared
    /// memory, unless it has a way to run without (gil: its jobs take turns on one worker).
    pub fn available(&self, build: Build) -> bool {
        self.build == Build::Plain || build == Build::Threads || self.without_shared_memory.is_some()
    }

    /// Whether this mode runs on the worker's thread pool where the page computes with `build`.
    pub fn pooled(&self, build: Build) -> bool {
        self.build == Build::Threads && build == Build::Threads && self.runs == Runs::InWorker
    }
}

impl Mode {
    pub fn info(self) -> &'static ModeInfo {
        MODES.iter().find(|info| info.mode == self).expect("every mode is listed in MODES")
    }

    pub fn parse(name: &str) -> Option<Mode> {
        MODES.iter().find(|info| info.label == name).map(|info| info.mode)
    }

    pub fn names() -> Vec<&'static str> {
        MODES.iter().map(|info| info.label).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mode_is_listed_once_under_its_serde_name() {
        for info in MODES {
            let serde_name = serde_json::to_value(info.mode).unwrap();
            assert_eq!(serde_name, info.label);
            assert_eq!(Mode::parse(info.label), Some(info.mode));
            assert_eq!(MODES.iter().filter(|other| other.mode == info.mode).count(), 1);
        }
        assert_eq!(Mode::parse("thread"), None);
    }

    #[test]
    fn a_mode_is_read_against_one_of_its_kind_and_has_a_start_where_its_jobs_start_apart() {
        for info in MODES {
            if let Some(against) = info.against {
                let base = against.info();
                assert_eq!((base.kind, base.against), (info.kind, None), "{} against {}", info.label, base.label);
            }
            assert_eq!(info.start.is_some(), info.runs != Runs::InWorker, "{}", info.label);
            assert!(info.colour.starts_with('#') && info.colour.len() == 7, "{}", info.colour);
        }
    }
}
