//! What an experiment is: its line of the table (`ExperimentInfo`) and what it does with a click (`Design`).

use serde::Serialize;

use crate::modes::{Mode, MODES};
use crate::result::Summary;
use crate::spec::Options;
use crate::stats::speedup;

#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct ExperimentInfo {
    /// Its name in the URL, the API and the share links.
    pub label: &'static str,
    /// The question it answers.
    pub title: &'static str,
    /// Its start button's words, where they are not its title.
    pub button: Option<&'static str>,
    /// Its choice in the form's experiment field.
    pub choice: &'static str,
    pub about: &'static str,
    /// What a click of its button does and about how long it takes, said under the buttons while it is chosen.
    pub takes: &'static str,
    /// The form's fields it uses, by name (besides the experiment and the modes): the form shows these, and keeps
    /// the others under "more settings".
    pub fields: &'static [&'static str],
    /// The options `window.threadlab.<label>` takes, when it has an entry of its own.
    pub api: &'static [&'static str],
    /// The values its fields take when it is asked for and they are not given, where they differ from the fields'
    /// own defaults (field name, value).
    pub defaults: &'static [(&'static str, f64)],
}

/// Each experiment is a module with a unit type that implements this, listed once in `experiments!` (mod.rs).
pub trait Design {
    const INFO: &'static ExperimentInfo;
    /// It runs a mode at several k, so each of its runs in a share link says its own.
    const SEVERAL_K: bool = false;
    /// It runs a mode at several works or payloads, so each of its runs in a share link says its own.
    const SEVERAL_WORKS: bool = false;
    /// What it reads of a click, beside every run's speedup: a field or two of the report, by name.
    type Figures: Serialize;

    /// Whether it runs `mode` when it is picked (a mode it does not is refused, by name).
    fn takes(_mode: Mode) -> bool {
        true
    }
    /// The modes it runs when none are picked: by default every mode it takes.
    fn default_modes() -> Vec<Mode> {
        MODES.iter().map(|info| info.mode).filter(|&mode| Self::takes(mode)).collect()
    }
    /// The runs it makes of the form's settings (`settings`, one per mode picked, each checked, without the Python
    /// program) and of what else was `asked`.
    fn plans(settings: Vec<Options>, asked: &Asked) -> Vec<Options>;
    /// Its reading of a click's runs (each the median of its repeats), on a machine with `cores`.
    fn read(runs: &[Summary], cores: u32) -> Self::Figures;
    /// The answer to its question, from its reading of a click: a short sentence for each finding, in words a
    /// visitor reads at a glance (the page's answer card, and the embed).
    fn answer(runs: &[Summary], figures: &Self::Figures) -> Vec<String>;

    fn report(runs: &[Summary], cores: u32) -> Report<Self::Figures> {
        let wide = runs.iter().map(|run| run.wall_ms.wide()).collect();
        let figures = Self::read(runs, cores);
        Report { speedups: speedups(runs), wide, answer: Self::answer(runs, &figures), figures }
    }

    /// About how long `runs` take, from one fib(n) job measured at `job_ms` on `cores`, where it says.
    fn estimate(_runs: &[Options], _job_ms: f64, _cores: u32) -> Option<Estimate> {
        None
    }
}

/// What a click asks besides each mode's settings: the k's (scaling), the switch intervals of the sweep (the
/// convoy), the payloads (bend) and the Python program (none: threadlab's own).
pub struct Asked<'a> {
    pub ks: &'a [u32],
    pub intervals: &'a [f64],
    /// The payloads (MiB) of the bend experiment's second part.
    pub payloads: &'a [u32],
    pub code: Option<String>,
}

/// What one click measured, read: every run's speedup, how noisy it was, and the experiment's own figures.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Report<F> {
    /// Each run's speedup against its baseline in the same click (single for fib, io-sequential for requests),
    /// as a ratio of medians; none without a baseline of the same work.
    pub speedups: Vec<Option<f64>>,
    /// Whether each run's repeats spread too widely to trust (see `stats::WIDE_SPREAD`).
    pub wide: Vec<bool>,
    /// The experiment's answer, a sentence for each finding (see `Design::answer`).
    pub answer: Vec<String>,
    #[serde(flatten)]
    pub figures: F,
}

/// How long a click will take, and a smaller n when that is long.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Estimate {
    pub ms: f64,
    pub smaller_n: Option<u32>,
}

/// Each run's speedup against the last baseline of the same work and engine in the click: the mode it is read
/// against (`ModeInfo::against`), a baseline against itself.
pub fn speedups(runs: &[Summary]) -> Vec<Option<f64>> {
    runs.iter()
        .map(|run| {
            let baseline = run.mode.info().against.unwrap_or(run.mode);
            runs.iter()
                .rfind(|other| other.mode == baseline && other.work == run.work && other.engine == run.engine)
                .and_then(|base| speedup(&base.wall_ms, &run.wall_ms))
        })
        .collect()
}

/// A time that came from elsewhere (a share link, a script's figures) is from 0 to an hour, in milliseconds.
pub fn within_an_hour(ms: f64) -> bool {
    ms.is_finite() && (0.0..=3_600_000.0).contains(&ms)
}

/// Short, printable ASCII: what a user agent or an error message is, and nothing that could pass for another text.
pub fn plain_text(text: &str) -> bool {
    text.len() <= 512 && text.chars().all(|c| (' '..='~').contains(&c))
}
