//! The experiments: the article's and the ones a reader asks after it. Each is a module here whose unit type
//! implements `Design` (its line of the table, its plans, its reading and words, its estimate), listed once in
//! `experiments!` below; the page gives each one a folder (www/experiments/<name>/).

use serde::{Deserialize, Serialize};

use crate::modes::Mode;
use crate::result::Summary;
use crate::spec::Options;

pub mod article;
pub mod bend;
pub mod convoy;
mod design;
pub mod python;
pub mod scaling;

pub use design::{plain_text, within_an_hour, Asked, Design, Estimate, ExperimentInfo, Report};

/// The table: each experiment's name and its `Design`, once. It makes the `Experiment` enum (kebab-case, as the
/// URL, the API and share links name it), `EXPERIMENTS` in the page's order, and the one `match` that tells the
/// experiments apart, in each of `Experiment`'s methods.
macro_rules! experiments {
    ($($name:ident => $design:ty),+ $(,)?) => {
        #[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
        #[serde(rename_all = "kebab-case")]
        pub enum Experiment {
            $($name),+
        }

        pub const EXPERIMENTS: &[Experiment] = &[$(Experiment::$name),+];

        impl Experiment {
            pub const fn info(self) -> &'static ExperimentInfo {
                match self { $(Experiment::$name => <$design>::INFO),+ }
            }

            /// Whether each of its runs in a share link carries its k.
            pub fn several_k(self) -> bool {
                match self { $(Experiment::$name => <$design>::SEVERAL_K),+ }
            }

            /// Whether each of its runs in a share link carries its work and payload.
            pub fn several_works(self) -> bool {
                match self { $(Experiment::$name => <$design>::SEVERAL_WORKS),+ }
            }

            /// Whether it runs `mode` when it is picked.
            pub fn takes(self, mode: Mode) -> bool {
                match self { $(Experiment::$name => <$design>::takes(mode)),+ }
            }

            /// The modes it runs when none are picked.
            pub fn default_modes(self) -> Vec<Mode> {
                match self { $(Experiment::$name => <$design>::default_modes()),+ }
            }

            /// The runs it makes of the form's settings (one per mode picked), the k's, the sweep's intervals and the
            /// payloads.
            pub fn plans(self, settings: Vec<Options>, ks: &[u32], intervals: &[f64], payloads: &[u32]) -> Vec<Options> {
                // The program is the click's, not a mode's: only the Python experiment gives it to its runs.
                let code = settings.first().and_then(|o| o.code.clone());
                let settings = settings.into_iter().map(|o| Options { code: None, ..o }).collect();
                let asked = Asked { ks, intervals, payloads, code };
                match self { $(Experiment::$name => <$design>::plans(settings, &asked)),+ }
            }

            /// What one click measured, read (`runs`: its runs' summaries, on a machine with `cores`), as JSON.
            pub fn report(self, runs: &[Summary], cores: u32) -> String {
                let json = match self { $(Experiment::$name => serde_json::to_string(&<$design>::report(runs, cores))),+ };
                json.expect("a report always serialises")
            }

            /// About how long `runs` take, from one job measured at `job_ms` on `cores`, where it says.
            pub fn estimate(self, runs: &[Options], job_ms: f64, cores: u32) -> Option<Estimate> {
                match self { $(Experiment::$name => <$design>::estimate(runs, job_ms, cores)),+ }
            }
        }
    };
}

experiments! {
    Article => article::Article,
    Scaling => scaling::Scaling,
    Convoy => convoy::Convoy,
    Bend => bend::Bend,
    Python => python::Python,
}

impl Experiment {
    /// What `field` takes when this experiment is asked for and it is not given, if that is not the field's default.
    pub fn default_of(self, field: &str) -> Option<f64> {
        self.info().defaults.iter().find(|(name, _)| *name == field).map(|(_, value)| *value)
    }

    pub fn parse(name: &str) -> Option<Experiment> {
        EXPERIMENTS.iter().copied().find(|experiment| experiment.info().label == name)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::check_run;
    use crate::modes::Engine;
    use serde_json::json;

    #[test]
    fn every_experiment_is_listed_once_under_its_serde_name() {
        for &experiment in EXPERIMENTS {
            assert_eq!(serde_json::to_value(experiment).unwrap(), experiment.info().label);
            assert_eq!(Experiment::parse(experiment.info().label), Some(experiment));
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
        let plans = Experiment::Scaling.plans(picked.to_vec(), &[1, 3], &[], &[]);
        let seen: Vec<(Mode, u32)> = plans.iter().map(|o| (o.mode, o.workers)).collect();
        use Mode::*;
        assert_eq!(seen, [(Single, 1), (Gil, 1), (Threads, 1), (Single, 3), (Gil, 3), (Threads, 3)]);
        assert!(plans.iter().all(|o| o.n == 20));
        assert_eq!(Experiment::Article.plans(picked.to_vec(), &[1, 3], &[], &[]).len(), 3, "the article's as they are");
    }

    #[test]
    fn what_a_button_says_it_takes_is_what_its_defaults_run() {
        use crate::inputs::fields::{FieldKind, FIELDS};
        let field = |name| match FIELDS.iter().find(|f| f.name == name).unwrap().kind {
            FieldKind::Number { default, .. } => default,
            _ => unreachable!("{name} is a number"),
        };
        let article = Experiment::Article.info().takes;
        let said =
            format!("fib({}) on {} workers, then {} web requests", field("n"), field("workers"), field("requests"));
        assert!(article.starts_with(&said), "{article}");
        assert!(article.contains(&format!("timed {} times", field("repeats"))), "{article}");
        let defaults = crate::inputs::check_convoy(&json!({})).unwrap();
        let seconds = (convoy::estimate_ms(&defaults) / 1000.0).round();
        assert!(Experiment::Convoy.info().takes.ends_with(&format!("About {seconds} seconds.")), "{seconds} s");
        let requests = Experiment::Convoy.default_of("requests").unwrap();
        assert!(Experiment::Convoy.info().takes.starts_with(&format!("{requests} requests of 2 ms")));
    }

    #[test]
    fn the_convoy_runs_alone_first_then_the_regimes_picked_then_gil_at_each_other_interval() {
        let picked = ["single", "processes", "gil"].map(|mode| check_run(&json!({ "mode": mode })).unwrap());
        let plans = Experiment::Convoy.plans(picked.to_vec(), &[], &[1.0, 5.0, 20.0], &[]);
        let seen: Vec<(Mode, f64)> = plans.iter().map(|o| (o.mode, o.switch_ms)).collect();
        use Mode::*;
        assert_eq!(seen, [(IoSequential, 5.0), (Gil, 5.0), (Processes, 5.0), (Gil, 1.0), (Gil, 20.0)]);
        assert!(plans.iter().all(|o| o.convoy));
        let no_gil = Experiment::Convoy.plans(picked[..2].to_vec(), &[], &[1.0], &[]);
        assert_eq!(no_gil.len(), 2, "no sweep without gil");
        assert_eq!(Experiment::Convoy.default_of("delayMs"), Some(2.0));
    }

    #[test]
    fn python_runs_what_cpython_runs_in_it_with_the_program_then_every_mode_in_rust() {
        let code = Some("def fib(n): return n".to_string());
        let picked = ["single", "gil", "processes"]
            .map(|mode| Options { code: code.clone(), ..check_run(&json!({ "mode": mode })).unwrap() });
        let plans = Experiment::Python.plans(picked.to_vec(), &[], &[], &[]);
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
        let article = Experiment::Article.plans(picked.to_vec(), &[], &[], &[]);
        assert!(article.iter().all(|o| o.code.is_none() && o.engine == Rust), "the program is Python's alone");
        // The room's program computes either work, and reads no payload: with one, only the Rust runs here.
        let sha = picked.clone().map(|o| Options { work: crate::work::WorkKind::Sha256, ..o });
        let plans = Experiment::Python.plans(sha.to_vec(), &[], &[], &[]);
        assert_eq!(plans.iter().filter(|o| o.engine == Python).count(), 2, "sha256 in CPython too");
        let read = picked.map(|o| Options { payload_mb: 8, ..o });
        let plans = Experiment::Python.plans(read.to_vec(), &[], &[], &[]);
        assert!(plans.iter().all(|o| o.engine == Rust), "{plans:?}");
        assert!(
            Experiment::Python.default_modes().contains(&Gil)
                && !Experiment::Python.default_modes().contains(&IoWorkers)
        );
    }
}
