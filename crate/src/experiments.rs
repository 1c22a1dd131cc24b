//! The experiments, as data: the article's (every mode picked, at one k) and the ones a reader asks after it. Each is
//! one entry here, the plans it expands to (`plans`), and the function that reads its runs (`report.rs`,
//! `scaling.rs`); the page gives each one room (www/experiments/).

use serde::{Deserialize, Serialize};

use crate::convoy::{Regime, REGIMES};
use crate::modes::{Engine, Kind, Mode, MODES};
use crate::options::Options;
use crate::report::Report;
use crate::result::Summary;

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Experiment {
    Article,
    Scaling,
    Convoy,
    Python,
}

#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct ExperimentInfo {
    pub experiment: Experiment,
    pub label: &'static str,
    /// The question it answers, as the page heads it.
    pub title: &'static str,
    pub about: &'static str,
    /// The options `window.threadlab.<label>` takes, when it has an entry of its own.
    pub api: &'static [&'static str],
    /// The values its fields take when it is asked for and they are not given, where they differ from the fields'
    /// own defaults (field name, value).
    pub defaults: &'static [(&'static str, f64)],
}

pub const EXPERIMENTS: &[ExperimentInfo] = &[
    ExperimentInfo {
        experiment: Experiment::Article,
        label: "article",
        title: "Do threads make Python faster?",
        about: "Every mode picked, at one k: fib(n) k times, and K requests.",
        api: &[],
        defaults: &[],
    },
    ExperimentInfo {
        experiment: Experiment::Scaling,
        label: "scaling",
        title: "How does it scale with my cores?",
        about:
            "single, threads, processes and gil with k = 1, 2, 3, … jobs of fib(n): the speedup against single with \
                k jobs, beside the ideal min(k, cores).",
        api: &["n", "ks", "modes", "repeats", "switchMs"],
        defaults: &[],
    },
    ExperimentInfo {
        experiment: Experiment::Convoy,
        label: "convoy",
        title: "What does the GIL do to an IO thread?",
        about: "An IO thread makes K requests one after another, alone and beside k threads computing fib(n) over and \
                over: with the GIL, with free threads, and with the CPU work in processes; then with the GIL at each \
                switch interval of the sweep.",
        api: &["requests", "delayMs", "n", "workers", "switchMs", "repeats", "regimes", "intervals", "url", "endpoint"],
        defaults: &[("n", 27.0), ("requests", 20.0), ("delayMs", 2.0)],
    },
    ExperimentInfo {
        experiment: Experiment::Python,
        label: "python",
        title: "Is this really what Python does?",
        about: "A Python program, editable, run in real CPython 3.14 (Pyodide, loaded on demand): each mode picked \
                that CPython runs, then the same modes in the Rust emulation, side by side.",
        api: &[],
        defaults: &[("n", 30.0), ("requests", 10.0), ("delayMs", 50.0)],
    },
];

impl Experiment {
    pub fn info(self) -> &'static ExperimentInfo {
        EXPERIMENTS.iter().find(|info| info.experiment == self).expect("every experiment is listed")
    }

    /// What `field` takes when this experiment is asked for and it is not given, if that is not the field's default.
    pub fn default_of(self, field: &str) -> Option<f64> {
        self.info().defaults.iter().find(|(name, _)| *name == field).map(|(_, value)| *value)
    }

    pub fn parse(name: &str) -> Option<Experiment> {
        EXPERIMENTS.iter().find(|info| info.label == name).map(|info| info.experiment)
    }

    /// The runs it makes of the form's settings (`settings`, one per mode picked), the k's for scaling and the
    /// switch intervals of the convoy's sweep: the article's as they are; scaling's for each k, the CPU modes picked
    /// in the picker's order, single always first (every speedup is against it); the convoy's regimes of the modes
    /// picked, in the regimes' order (alone always first: every added latency is against it), then gil at each
    /// other interval; Python's each mode picked that CPython runs, in CPython with the program, then every mode
    /// picked in Rust.
    pub fn plans(self, settings: Vec<Options>, ks: &[u32], intervals: &[f64]) -> Vec<Options> {
        let code = settings.first().and_then(|o| o.code.clone());
        // Only the Python experiment's runs in CPython take the Python program.
        let settings: Vec<Options> = settings.into_iter().map(|o| Options { code: None, ..o }).collect();
        match self {
            Experiment::Article => settings,
            Experiment::Python => {
                let python = |o: &Options| Options { engine: Engine::Python, code: code.clone(), ..o.clone() };
                let in_cpython = settings.iter().filter(|o| o.mode.info().cpython.is_some()).map(python);
                in_cpython.chain(settings.iter().cloned()).collect()
            }
            Experiment::Convoy => {
                let Some(first) = settings.first() else { return Vec::new() };
                let convoy = |mode, switch_ms| Options { mode, switch_ms, convoy: true, ..first.clone() };
                let picked = |mode: &Mode| *mode == Mode::IoSequential || settings.iter().any(|o| o.mode == *mode);
                let modes: Vec<Mode> = REGIMES.iter().map(|(_, mode, _)| *mode).filter(picked).collect();
                let sweep = if modes.contains(&Mode::Gil) { intervals } else { &[] };
                let mut plans: Vec<Options> = modes.into_iter().map(|mode| convoy(mode, first.switch_ms)).collect();
                plans.extend(sweep.iter().filter(|&&ms| ms != first.switch_ms).map(|&ms| convoy(Mode::Gil, ms)));
                plans
            }
            Experiment::Scaling => {
                let cpu = |mode: Mode| mode.info().kind == Kind::Cpu;
                let mut modes: Vec<Mode> = vec![Mode::Single];
                modes.extend(settings.iter().map(|o| o.mode).filter(|&m| cpu(m) && m != Mode::Single));
                let Some(first) = settings.first() else { return Vec::new() };
                ks.iter()
                    .flat_map(|&k| modes.iter().map(move |&mode| Options { mode, workers: k, ..first.clone() }))
                    .collect()
            }
        }
    }
}

impl Experiment {
    /// What one click of this experiment measured, read (`runs`: its runs' summaries, on a machine with `cores`):
    /// every run's speedup, and the article's findings or the scaling points.
    pub fn report(self, runs: &[Summary], cores: u32) -> Report {
        let report = crate::report::report(runs);
        match self {
            Experiment::Article => report,
            Experiment::Scaling => {
                Report { verdicts: Vec::new(), scaling: Some(crate::scaling::read(runs, cores)), ..report }
            }
            // Read from its runs' convoy summaries instead, by the plain build (see `convoy::report`).
            Experiment::Convoy => Report { verdicts: Vec::new(), ..report },
            // Its words are added by the plain build (see `wasm::report`): the first load stays without them.
            Experiment::Python => Report { verdicts: Vec::new(), ..report },
        }
    }
}

/// The k's scaling runs by default on a machine with `cores`: every k up to 8, then the powers of two, and the core
/// count and twice it, up to 2 × cores (and 64, the limit of workers).
pub fn default_ks(cores: u32) -> Vec<u32> {
    let top = (2 * cores.max(1)).min(64);
    let mut ks: Vec<u32> = (1..=top.min(8)).chain((4..=6).map(|p| 1 << p)).chain([cores, top]).collect();
    ks.retain(|&k| (1..=top).contains(&k));
    ks.sort_unstable();
    ks.dedup();
    ks
}

/// The modes an experiment runs by default: the article every mode, scaling every CPU mode, the convoy its regimes'.
pub fn default_modes(experiment: Experiment) -> Vec<Mode> {
    MODES
        .iter()
        .filter(|info| match experiment {
            Experiment::Article => true,
            Experiment::Scaling => info.kind == Kind::Cpu,
            Experiment::Convoy => Regime::of(info.mode).is_some(),
            // What CPython runs, and gil: what its threads would do.
            Experiment::Python => info.cpython.is_some() || info.mode == Mode::Gil,
        })
        .map(|info| info.mode)
        .collect()
}

/// The switch intervals of the convoy's sweep by default (ms).
pub const DEFAULT_INTERVALS: &[f64] = &[0.5, 1.0, 5.0, 20.0];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::check_run;
    use serde_json::json;

    #[test]
    fn every_experiment_is_listed_once_under_its_serde_name() {
        for info in EXPERIMENTS {
            assert_eq!(serde_json::to_value(info.experiment).unwrap(), info.label);
            assert_eq!(Experiment::parse(info.label), Some(info.experiment));
        }
        assert_eq!(Experiment::parse("gil"), None);
    }

    #[test]
    fn the_default_ks_go_to_twice_the_cores() {
        assert_eq!(default_ks(1), [1, 2]);
        assert_eq!(default_ks(2), [1, 2, 3, 4]);
        assert_eq!(default_ks(8), [1, 2, 3, 4, 5, 6, 7, 8, 16]);
        assert_eq!(default_ks(12), [1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 24]);
        assert_eq!(default_ks(64), [1, 2, 3, 4, 5, 6, 7, 8, 16, 32, 64]);
    }

    #[test]
    fn scaling_runs_single_first_then_the_cpu_modes_picked_at_each_k() {
        let picked =
            ["gil", "io-sequential", "threads"].map(|mode| check_run(&json!({ "mode": mode, "n": 20 })).unwrap());
        let plans = Experiment::Scaling.plans(picked.to_vec(), &[1, 3], &[]);
        let seen: Vec<(Mode, u32)> = plans.iter().map(|o| (o.mode, o.workers)).collect();
        use Mode::*;
        assert_eq!(seen, [(Single, 1), (Gil, 1), (Threads, 1), (Single, 3), (Gil, 3), (Threads, 3)]);
        assert!(plans.iter().all(|o| o.n == 20));
        assert_eq!(Experiment::Article.plans(picked.to_vec(), &[1, 3], &[]).len(), 3, "the article's as they are");
    }

    #[test]
    fn the_convoy_runs_alone_first_then_the_regimes_picked_then_gil_at_each_other_interval() {
        let picked = ["single", "processes", "gil"].map(|mode| check_run(&json!({ "mode": mode })).unwrap());
        let plans = Experiment::Convoy.plans(picked.to_vec(), &[], &[1.0, 5.0, 20.0]);
        let seen: Vec<(Mode, f64)> = plans.iter().map(|o| (o.mode, o.switch_ms)).collect();
        use Mode::*;
        assert_eq!(seen, [(IoSequential, 5.0), (Gil, 5.0), (Processes, 5.0), (Gil, 1.0), (Gil, 20.0)]);
        assert!(plans.iter().all(|o| o.convoy));
        let no_gil = Experiment::Convoy.plans(picked[..2].to_vec(), &[], &[1.0]);
        assert_eq!(no_gil.len(), 2, "no sweep without gil");
        assert_eq!(Experiment::Convoy.default_of("delayMs"), Some(2.0));
    }

    #[test]
    fn python_runs_what_cpython_runs_in_it_with_the_program_then_every_mode_in_rust() {
        let code = Some("def fib(n): return n".to_string());
        let picked = ["single", "gil", "processes"]
            .map(|mode| Options { code: code.clone(), ..check_run(&json!({ "mode": mode })).unwrap() });
        let plans = Experiment::Python.plans(picked.to_vec(), &[], &[]);
        let seen: Vec<(Engine, Mode, bool)> = plans.iter().map(|o| (o.engine, o.mode, o.code.is_some())).collect();
        use Engine::{Python, Rust};
        use Mode::*;
        assert_eq!(
            seen,
            [
                (Python, Single, true),
                (Python, Processes, true),
                (Rust, Single, false),
                (Rust, Gil, false),
                (Rust, Processes, false)
            ]
        );
        let article = Experiment::Article.plans(picked.to_vec(), &[], &[]);
        assert!(article.iter().all(|o| o.code.is_none() && o.engine == Rust), "the program is Python's alone");
        assert!(
            default_modes(Experiment::Python).contains(&Gil) && !default_modes(Experiment::Python).contains(&IoWorkers)
        );
    }
}
