//! What a run is asked to do, checked: its options (every door's inputs end up here, see `inputs`) and the convoy's
//! regimes. Plain data that crosses to the workers as JSON.

use serde::{Deserialize, Serialize};

use crate::modes::{Engine, Kind, Mode};
use crate::work::{Task, WorkKind};

/// Who answers the built-in endpoint: the dev/preview server's middleware, or the page's service worker (on a
/// static host). `auto` lets the page pick; it is resolved before any request is made.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Endpoint {
    Auto,
    Server,
    Worker,
}

/// What one run needs, checked. It crosses to the workers as JSON, so it also deserialises.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Options {
    pub mode: Mode,
    pub n: u32,
    /// What each CPU job computes: fib(n), or sha256 of `mib` MiB.
    pub work: WorkKind,
    pub mib: u32,
    /// What each CPU job must read first, in MiB: shared by threads, copied into each process.
    pub payload_mb: u32,
    pub workers: u32,
    pub repeats: u32,
    pub switch_ms: f64,
    pub requests: u32,
    pub delay_ms: u32,
    pub timeout_ms: u32,
    /// A URL to request instead of the built-in endpoint.
    pub url: Option<String>,
    pub endpoint: Endpoint,
    /// A run of the convoy experiment: an IO thread makes the requests one after another beside this mode's k CPU
    /// threads (io-sequential: alone). See `engines::convoy`.
    #[serde(default)]
    pub convoy: bool,
    #[serde(default, skip_serializing_if = "Engine::is_rust")]
    pub engine: Engine,
    /// The Python program of a run in CPython; none: threadlab's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

impl Options {
    /// What each CPU job does.
    pub fn task(&self) -> Task {
        Task { kind: self.work, n: self.n, mib: self.mib, payload_mb: self.payload_mb }
    }

    /// How many jobs a run of these options has: k fib(n) jobs, or K requests.
    pub fn jobs(&self) -> u32 {
        match self.mode.info().kind {
            Kind::Cpu => self.workers,
            Kind::Io => self.requests,
        }
    }

    /// How many CPU threads a convoy run has beside its IO thread: none alone.
    pub fn cpu_threads(&self) -> u32 {
        if Regime::of(self.mode) == Some(Regime::Alone) {
            0
        } else {
            self.workers
        }
    }
}

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
