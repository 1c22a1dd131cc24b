//! The Python experiment: the visitor's program in real CPython (Pyodide, www/python/), each mode picked that
//! CPython runs, then the same modes in the Rust emulation; read side by side, in the same ratios.

use serde::Serialize;

use super::design::{Asked, Design, ExperimentInfo};
use crate::fib::{GROWTH, MAX_N};
use crate::modes::{prose, Engine, Mode, MODES};
use crate::result::{Summary, Work};
use crate::spec::Options;
use crate::stats::{compare, ms, speedup, Order, Range};

pub struct Python;

impl Design for Python {
    const INFO: &'static ExperimentInfo = &ExperimentInfo {
        label: "python",
        title: "Is this really what Python does?",
        button: Some("Run it in real Python (CPython 3.14, about 6 MB, loaded once)"),
        choice: "python: real CPython beside the emulation",
        about: prose(
            "A Python program, editable, run in real CPython 3.14 (Pyodide, loaded on demand): each mode picked \
                that CPython runs, then the same modes in the Rust emulation, side by side.",
        ),
        takes: prose(
            "Your Python program in real CPython 3.14 (about 6 MB, loaded once), then the same modes in the \
                emulation, side by side: about 20 seconds the first time.",
        ),
        fields: &[
            "n",
            "work",
            "mib",
            "workers",
            "repeats",
            "switchMs",
            "requests",
            "delayMs",
            "timeoutMs",
            "url",
            "endpoint",
        ],
        api: &[],
        defaults: &[("n", 30.0), ("requests", 10.0), ("delayMs", 50.0)],
    };
    type Figures = Figures;

    /// What CPython runs, and gil: what its threads would do.
    fn default_modes() -> Vec<Mode> {
        let ours = |info: &&crate::modes::ModeInfo| info.cpython.is_some() || info.mode == Mode::Gil;
        MODES.iter().filter(ours).map(|info| info.mode).collect()
    }

    /// Each mode picked that CPython runs, in CPython with the program, then every mode picked in Rust. The room's
    /// program computes either work kind but reads no payload: asked for one (through the API), only the Rust runs
    /// here (the visitor's own Python runs it through threadlab.py, whose link fills the CPython side).
    fn plans(settings: Vec<Options>, asked: &Asked) -> Vec<Options> {
        let python = |o: &Options| Options { engine: Engine::Python, code: asked.code.clone(), ..o.clone() };
        let program_runs = |o: &&Options| o.mode.info().cpython.is_some() && o.payload_mb == 0;
        let in_cpython = settings.iter().filter(program_runs).map(python);
        in_cpython.chain(settings.iter().cloned()).collect()
    }

    fn read(runs: &[Summary], _cores: u32) -> Figures {
        Figures { python: read(runs) }
    }

    fn answer(_runs: &[Summary], figures: &Figures) -> Vec<String> {
        figures.python.words.clone()
    }
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Figures {
    pub python: SideBySide,
}

/// The n at which the Rust's fib takes about as long as CPython's fib(`n`) did (`cpython_ms` a job), from the Rust's
/// job at `n` (`rust_ms`): each n more costs about φ times as much. Its CPU modes then weigh a spawn against jobs as
/// long as CPython's, as they would in CPython. Never below `n`, nor above the largest n.
pub fn calibrated_n(n: u32, cpython_ms: f64, rust_ms: f64) -> u32 {
    if !(cpython_ms.is_finite() && rust_ms.is_finite() && cpython_ms > 0.0 && rust_ms > 0.0) {
        return n;
    }
    let more = ((cpython_ms / rust_ms).ln() / GROWTH.ln()).round().max(0.0);
    (f64::from(n) + more).min(f64::from(MAX_N)) as u32
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
    // Interpreters ran in CPython only in the visitor's own Python 3.14 (threadlab.py): Pyodide has no threads.
    let pairs =
        [(Single, Processes), (Single, Interpreters), (Single, Threads), (Single, Gil), (IoSequential, IoConcurrent)];
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
                ms(spawn.median),
                ms(run.wall_ms.median),
                run.work.label()
            );
        }
        words.push(sentence + ".");
    }
    if let (Some(python), Some(rust)) = (find(Engine::Python, Single), find(Engine::Rust, Single)) {
        let calibrated = match (&python.work, &rust.work) {
            (Work::Fib { n: theirs, .. }, Work::Fib { n: ours, .. }) if ours != theirs => Some((*theirs, *ours)),
            _ => None,
        };
        let both = python.correct && rust.correct;
        if let (true, Some((theirs, ours)), Some(slower)) = (both, calibrated, speedup(&rust.wall_ms, &python.wall_ms))
        {
            words.push(format!(
                "The Rust ran fib({ours}) where CPython ran fib({theirs}), set in this click so that a job takes as \
                 long in both (single: {} in CPython, {} in Rust), and a spawn weighs on the Rust's processes as on \
                 CPython's; at the same n, pure Python is about {:.0}× slower here, which is why threadlab compares \
                 ratios, not times.",
                ms(python.wall_ms.median),
                ms(rust.wall_ms.median),
                GROWTH.powi((ours - theirs) as i32) / slower
            ));
        } else if let (true, Some(slower), Work::Sha256 { .. }) =
            (both, speedup(&rust.wall_ms, &python.wall_ms), &python.work)
        {
            words.push(format!(
                "{} took CPython {} and the Rust emulation {} (CPython {}): hashlib hashes in C, not in Python, \
                 so this gap is not pure Python's.",
                python.work.label(),
                ms(python.wall_ms.median),
                ms(rust.wall_ms.median),
                if slower >= 1.0 { format!("{slower:.1}× faster") } else { format!("{:.1}× slower", 1.0 / slower) }
            ));
        } else if let (true, Some(slower)) = (both, speedup(&rust.wall_ms, &python.wall_ms)) {
            words.push(format!(
                "Each {} took CPython {} and the Rust {}: pure Python is {:.0}× slower here, which is why \
                 threadlab computes in Rust and compares ratios, not times.",
                python.work.label(),
                ms(python.wall_ms.median),
                ms(rust.wall_ms.median),
                1.0 / slower
            ));
        }
    }
    SideBySide { words }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(engine: Engine, mode: Mode, ms: f64, outcome: Option<&str>) -> Summary {
        Summary {
            copy_ms: None,
            mode,
            work: Work::Fib { n: 27, jobs: 2, payload_mb: 0 },
            wall_ms: Range { median: ms, min: ms * 0.97, max: ms * 1.03 },
            correct: outcome.is_none(),
            engine,
            outcome: outcome.map(String::from),
            spawn_ms: None,
            convoy: None,
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
            summary(Python, Interpreters, 54.0, None),
            summary(Rust, Single, 2.2, None),
            summary(Rust, Processes, 1.15, None),
            summary(Rust, Interpreters, 1.12, None),
            summary(Rust, Gil, 2.24, None),
        ];
        let words = read(&runs).words;
        assert_eq!(
            words,
            [
                "Real CPython: processes 1.89× single, interpreters 1.93× single; threads could not start \
                 (RuntimeError: can't start new thread): CPython in a browser has no threads of its own; what they \
                 would do with the GIL is what the gil mode shows: gil 0.98× single (inside the noise) in the \
                 emulation.",
                "The Rust emulation: processes 1.91× single, interpreters 1.96× single, gil 0.98× single (inside the \
                 noise).",
                "Each fib(27) × 2 took CPython 104 ms and the Rust 2.20 ms: pure Python is 47× slower here, which \
                 is why threadlab computes in Rust and compares ratios, not times.",
            ]
        );
        assert!(read(&runs[4..]).words.len() == 1, "without CPython's runs, only the emulation's");
        let mut spawned: Vec<Summary> = runs.iter().filter(|run| run.mode != Interpreters).cloned().collect();
        spawned[4].spawn_ms = Some(Range { median: 0.9, min: 0.8, max: 1.0 });
        assert_eq!(
            read(&spawned).words[1],
            "The Rust emulation: processes 1.91× single, gil 0.98× single (inside the noise); its processes spent 0.90 \
             ms of their 1.15 ms starting fresh workers, which CPython's interpreters had done before the timer: a \
             job of fib(27) × 2 is too short in Rust to show what processes gain (the article's experiment, at a \
             larger n, shows it)."
        );
    }

    #[test]
    fn sha256_in_cpython_is_not_called_pure_python() {
        use Engine::{Python, Rust};
        let sha256 = |mut run: Summary| {
            run.work = Work::Sha256 { mib: 16, jobs: 2, payload_mb: 0 };
            run
        };
        let runs =
            [sha256(summary(Python, Mode::Single, 90.0, None)), sha256(summary(Rust, Mode::Single, 150.0, None))];
        assert_eq!(
            read(&runs).words,
            ["sha256 of 16 MiB × 2 took CPython 90.0 ms and the Rust emulation 150 ms (CPython 1.7× faster): hashlib \
             hashes in C, not in Python, so this gap is not pure Python's."]
        );
    }

    #[test]
    fn the_rusts_n_is_the_one_whose_job_takes_as_long_as_cpythons() {
        // fib(30): 3 ms in Rust, 140 ms in CPython (47×): φ⁸ ≈ 47, so the Rust runs fib(38).
        assert_eq!(calibrated_n(30, 140.0, 3.0), 38);
        assert_eq!(calibrated_n(30, 2.0, 3.0), 30, "never below CPython's n");
        assert_eq!(calibrated_n(40, 30_000.0, 300.0), MAX_N, "never past the largest n");
        assert_eq!(calibrated_n(30, f64::NAN, 3.0), 30, "nothing measured, nothing changed");
        assert_eq!(calibrated_n(30, 140.0, 0.0), 30);
    }

    #[test]
    fn the_words_say_when_the_rust_ran_at_its_calibrated_n() {
        use Engine::{Python, Rust};
        use Mode::*;
        let at = |mut run: Summary, n: u32| {
            run.work = Work::Fib { n, jobs: 2, payload_mb: 0 };
            run
        };
        let runs = [
            summary(Python, Single, 280.0, None),
            summary(Python, Processes, 150.0, None),
            at(summary(Rust, Single, 270.0, None), 35),
            at(summary(Rust, Processes, 140.0, None), 35),
        ];
        let words = read(&runs).words;
        assert_eq!(
            words[2],
            "The Rust ran fib(35) where CPython ran fib(27), set in this click so that a job takes as long in both \
             (single: 280 ms in CPython, 270 ms in Rust), and a spawn weighs on the Rust's processes as on CPython's; \
             at the same n, pure Python is about 49× slower here, which is why threadlab compares ratios, not times."
        );
        assert_eq!(words[1], "The Rust emulation: processes 1.93× single.");
    }
}
