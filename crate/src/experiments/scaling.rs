//! The scaling experiment: the CPU modes at k = 1, 2, 3, … jobs, each mode's speedup against single with k jobs,
//! its parallel efficiency (speedup ÷ the ideal, min(k, cores)), and in words what this machine did. Only the rules
//! and the words live here; the page draws them (www/experiments/scaling/).

use serde::Serialize;

use super::design::{Asked, Design, Estimate, ExperimentInfo};
use crate::fib::GROWTH;
use crate::modes::{prose, Kind, Mode, Runs, MODES};
use crate::result::{Summary, Work};
use crate::spec::Options;
use crate::stats::{compare, ms, speedup, speedup_band, Order, Range, TIE_MARGIN};

pub struct Scaling;

impl Design for Scaling {
    const INFO: &'static ExperimentInfo = &ExperimentInfo {
        label: "scaling",
        title: "How does it scale with my cores?",
        button: None,
        choice: "scaling: the CPU modes at each k",
        about: prose(
            "single, threads, processes and gil with k = 1, 2, 3, … jobs of fib(n): the speedup against single with \
                k jobs, beside the ideal min(k, cores).",
        ),
        takes: prose(
            "Each CPU mode at k = 1, 2, 3, … up to twice your cores: about a minute on 2 cores, longer on more. It \
                times one job first, says how long, and offers a smaller n when that is long.",
        ),
        fields: &["n", "ks", "repeats", "switchMs"],
        api: &["n", "ks", "modes", "repeats", "switchMs"],
        defaults: &[],
    };
    const SEVERAL_K: bool = true;
    type Figures = Figures;

    fn takes(mode: Mode) -> bool {
        mode.info().kind == Kind::Cpu
    }

    /// For each k, the CPU modes picked in the picker's order, single always first (every speedup is against it).
    fn plans(settings: Vec<Options>, asked: &Asked) -> Vec<Options> {
        let cpu = |mode: Mode| mode.info().kind == Kind::Cpu;
        let mut modes: Vec<Mode> = vec![Mode::Single];
        modes.extend(settings.iter().map(|o| o.mode).filter(|&m| cpu(m) && m != Mode::Single));
        let Some(first) = settings.first() else { return Vec::new() };
        asked
            .ks
            .iter()
            .flat_map(|&k| modes.iter().map(move |&mode| Options { mode, workers: k, ..first.clone() }))
            .collect()
    }

    fn read(runs: &[Summary], cores: u32) -> Figures {
        Figures { scaling: read(runs, cores) }
    }

    fn answer(_runs: &[Summary], figures: &Figures) -> Vec<String> {
        answer(&figures.scaling)
    }

    fn estimate(runs: &[Options], job_ms: f64, cores: u32) -> Option<Estimate> {
        Some(Estimate { ms: estimate_ms(runs, job_ms, cores), smaller_n: smaller_n(runs, job_ms, cores) })
    }
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Figures {
    pub scaling: Points,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Point {
    pub mode: Mode,
    /// k: the jobs, and the threads or processes running them.
    pub workers: u32,
    pub wall_ms: Range,
    /// single's median with k jobs over this mode's; none without a measurable single of the same k.
    pub speedup: Option<f64>,
    /// The speedup's band: single's fastest repeat over this mode's slowest, and its slowest over this one's fastest.
    pub speedup_range: Option<[f64; 2]>,
    /// What k jobs could gain at best here: min(k, cores); none for the mode the others are read against.
    pub ideal: Option<u32>,
    /// speedup ÷ ideal.
    pub efficiency: Option<f64>,
    /// What its fresh workers took to start (processes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spawn_ms: Option<Range>,
    pub correct: bool,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Points {
    pub cores: u32,
    pub points: Vec<Point>,
    /// What the machine did, a sentence per mode, from the points' own figures.
    pub words: Vec<String>,
}

/// Reads the runs of a scaling click on a machine with `cores`.
pub fn read(runs: &[Summary], cores: u32) -> Points {
    let points: Vec<Point> = runs
        .iter()
        .filter_map(|run| {
            let Work::Fib { jobs: k, .. } = run.work else { return None };
            // Read against the mode that does the same work one job after another (single against itself).
            let base = run.mode.info().against.unwrap_or(run.mode);
            let single = runs.iter().rfind(|other| other.mode == base && other.work == run.work);
            // The mode the others are read against has no ideal of its own, and no efficiency.
            let ideal = run.mode.info().against.map(|_| k.min(cores.max(1)));
            let ratio = single.and_then(|single| speedup(&single.wall_ms, &run.wall_ms));
            let band = single.and_then(|single| speedup_band(&single.wall_ms, &run.wall_ms));
            Some(Point {
                mode: run.mode,
                workers: k,
                wall_ms: run.wall_ms,
                speedup: ratio,
                speedup_range: band,
                ideal,
                efficiency: ratio.zip(ideal).map(|(s, ideal)| s / f64::from(ideal)),
                spawn_ms: run.spawn_ms,
                correct: run.correct,
            })
        })
        .collect();
    let words = MODES
        .iter()
        .filter(|info| info.kind == Kind::Cpu && info.against.is_some())
        .filter_map(|info| words(&points, info.mode, cores))
        .collect();
    Points { cores, points, words }
}

/// A sentence for each mode read against single: its best speedup and where, beside the ideal there, or that it
/// was no faster at any k ("Free threads: up to 1.95× at k = 2, of an ideal 2×.").
pub fn answer(scaling: &Points) -> Vec<String> {
    MODES
        .iter()
        .filter(|info| info.kind == Kind::Cpu && info.against.is_some())
        .filter_map(|info| {
            let ours = scaling.points.iter().filter(|p| p.mode == info.mode && p.correct);
            let best =
                ours.filter(|p| p.speedup.is_some()).max_by(|a, b| a.speedup.partial_cmp(&b.speedup).unwrap())?;
            let (speedup, ideal) = (best.speedup?, best.ideal?);
            // No faster: its best is within the noise of 1× or under it.
            let spans_one = best.speedup_range.is_some_and(|[lo, _]| lo <= 1.0);
            Some(if speedup <= 1.0 + TIE_MARGIN || spans_one {
                format!("{}: {speedup:.2}× at best, no faster than one thread at any k.", info.name)
            } else {
                format!("{}: up to {speedup:.2}× at k = {}, of an ideal {ideal}×.", info.name, best.workers)
            })
        })
        .collect()
}

/// "threads reached 1.95× at k = 2 on 2 cores (ideal 2×); past 2, nothing more is gained.", or for gil "gil stayed
/// at 1.01× or less at every k: one thread computes at a time.", from the mode's points. A best point whose band
/// spans 1× is said to be inside the noise, a processes point whose spawn is half its time or more says so, and the
/// cores are only passed when the best k is within them.
fn words(points: &[Point], mode: Mode, cores: u32) -> Option<String> {
    let ours: Vec<&Point> = points.iter().filter(|p| p.mode == mode && p.correct && p.speedup.is_some()).collect();
    let best = ours.iter().copied().max_by(|a, b| a.speedup.partial_cmp(&b.speedup).expect("speedups are numbers"))?;
    let label = mode.info().label;
    let times = |x: f64| format!("{x:.2}×");
    let noise = match best.speedup_range {
        // A figure that claims a gain or a loss, while its repeats spread over no change.
        Some([lo, hi]) if lo <= 1.0 && 1.0 <= hi && (best.speedup? - 1.0).abs() > TIE_MARGIN => {
            format!(" ({} at k = {} is inside the noise: {:.2}–{:.2}×)", times(best.speedup?), best.workers, lo, hi)
        }
        _ => String::new(),
    };
    if mode == Mode::Gil {
        return Some(format!(
            "{label} stayed at {} or less at every k{noise}: one thread computes at a time, whatever the cores.",
            times(best.speedup?)
        ));
    }
    let cores_word = if cores == 1 { "core".to_string() } else { "cores".to_string() };
    let mut sentence = format!(
        "{label} reached {} at k = {} on {cores} {cores_word} (ideal {}×){noise}",
        times(best.speedup?),
        best.workers,
        best.ideal?
    );
    if let Some(spawn) = best.spawn_ms.filter(|spawn| spawn.median >= best.wall_ms.median / 2.0) {
        // Fresh workers spawn; fresh instances in hosts kept running only start (the mode's start name says).
        let whose = if mode.info().runs == Runs::InFreshInstances { "instances'" } else { "workers'" };
        let what = mode.info().start.unwrap_or("start");
        sentence += &format!(
            "; its {whose} {what} was {} of its {} at k = {}: jobs this short show the start more than the work (a \
             larger n shows what it gains)",
            ms(spawn.median),
            ms(best.wall_ms.median),
            best.workers
        );
    }
    // Past the cores, more jobs only take turns on them: compare the last k with the k at the core count.
    let at_cores = ours.iter().find(|p| p.workers == cores);
    let last = ours.iter().copied().max_by_key(|p| p.workers);
    let within = best.workers <= cores;
    if let (true, Some(at_cores), Some(last)) = (within, at_cores, last.filter(|p| p.workers > cores)) {
        let gain = |p: &Point| Range {
            median: 1.0 / p.speedup.unwrap_or(1.0),
            min: 1.0 / p.speedup_range.map_or(1.0, |r| r[1]),
            max: 1.0 / p.speedup_range.map_or(1.0, |r| r[0]),
        };
        let more = compare(&gain(last), &gain(at_cores)) == Order::Faster;
        sentence += &if more {
            format!(
                "; past {cores}, k = {} did better than k = {cores} ({} against {})",
                last.workers,
                times(last.speedup?),
                times(at_cores.speedup?)
            )
        } else {
            format!("; past {cores}, nothing more is gained ({} at k = {})", times(last.speedup?), last.workers)
        };
    }
    Some(sentence + ".")
}

/// The longest a scaling click should take before the page offers a smaller n.
pub const LONG_MS: f64 = 60_000.0;

/// About how long `runs` take (each warmed up and repeated), from one fib(n) job measured at `job_ms`, on `cores`:
/// single and gil do their k jobs one after another, threads, processes and interpreters k at a time on the cores.
/// Processes add a worker's start, about 20 ms, each time, interpreters their instances' start, about 5 ms.
pub fn estimate_ms(runs: &[Options], job_ms: f64, cores: u32) -> f64 {
    runs.iter()
        .map(|o| {
            let rounds = match o.mode {
                Mode::Threads | Mode::Processes | Mode::Interpreters => o.workers.div_ceil(cores.max(1)),
                _ => o.workers,
            };
            let spawn = match o.mode {
                Mode::Processes => 20.0,
                Mode::Interpreters => 5.0,
                _ => 0.0,
            };
            f64::from(o.repeats + 1) * (f64::from(rounds) * job_ms + spawn)
        })
        .sum()
}

/// The largest n below the runs' that takes at most `LONG_MS`, if the runs' own n takes longer: each n less makes
/// a naive fib about 1.618 (φ) times quicker.
pub fn smaller_n(runs: &[Options], job_ms: f64, cores: u32) -> Option<u32> {
    let n = runs.first()?.n;
    let at = |fewer: u32| estimate_ms(runs, job_ms / GROWTH.powi(fewer as i32), cores);
    if at(0) <= LONG_MS {
        return None;
    }
    (1..=n).find(|&fewer| at(fewer) <= LONG_MS).map(|fewer| n - fewer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::Work;

    fn run(mode: Mode, k: u32, walls: [f64; 3]) -> Summary {
        let wall_ms = Range::of(&walls).unwrap();
        Summary {
            copy_ms: None,
            mode,
            work: Work::Fib { n: 30, jobs: k, payload_mb: 0 },
            wall_ms,
            correct: true,
            engine: Default::default(),
            outcome: None,
            spawn_ms: None,
            convoy: None,
        }
    }

    /// A two-core machine: threads and processes gain up to k = 2, gil never.
    fn click() -> Vec<Summary> {
        use Mode::*;
        vec![
            run(Single, 1, [100.0, 99.0, 101.0]),
            run(Threads, 1, [100.0, 99.0, 102.0]),
            run(Gil, 1, [101.0, 100.0, 103.0]),
            run(Single, 2, [200.0, 198.0, 202.0]),
            run(Threads, 2, [102.0, 101.0, 104.0]),
            run(Gil, 2, [201.0, 199.0, 204.0]),
            run(Single, 4, [400.0, 398.0, 405.0]),
            run(Threads, 4, [205.0, 200.0, 210.0]),
            run(Gil, 4, [402.0, 399.0, 406.0]),
        ]
    }

    #[test]
    fn each_point_is_against_single_with_as_many_jobs() {
        let scaling = read(&click(), 2);
        assert_eq!(scaling.points.len(), 9);
        let threads_2 = scaling.points.iter().find(|p| p.mode == Mode::Threads && p.workers == 2).unwrap();
        assert_eq!(threads_2.speedup, Some(200.0 / 102.0));
        assert_eq!(threads_2.speedup_range, Some([198.0 / 104.0, 202.0 / 101.0]));
        assert_eq!(threads_2.ideal, Some(2));
        assert_eq!(threads_2.efficiency, Some(200.0 / 102.0 / 2.0));
        let threads_4 = scaling.points.iter().find(|p| p.mode == Mode::Threads && p.workers == 4).unwrap();
        assert_eq!(threads_4.ideal, Some(2), "no more than the cores");
        let single_1 = &scaling.points[0];
        assert_eq!((single_1.speedup, single_1.ideal, single_1.efficiency), (Some(1.0), None, None));
    }

    #[test]
    fn the_words_say_where_it_stops_and_that_gil_never_starts() {
        let scaling = read(&click(), 2);
        assert_eq!(scaling.words, [
            "threads reached 1.96× at k = 2 on 2 cores (ideal 2×); past 2, nothing more is gained (1.95× at k = 4).",
            "gil stayed at 1.00× or less at every k: one thread computes at a time, whatever the cores.",
        ]);
        let eight = read(&click(), 8);
        assert_eq!(eight.words[0], "threads reached 1.96× at k = 2 on 8 cores (ideal 2×).", "no k past the cores");
        // The answer card's short form.
        assert_eq!(
            answer(&scaling),
            [
                "Free threads: up to 1.96× at k = 2, of an ideal 2×.",
                "Threads under the GIL: 1.00× at best, no faster than one thread at any k.",
            ]
        );
    }

    #[test]
    fn the_estimate_counts_rounds_of_jobs_and_offers_a_smaller_n_past_a_minute() {
        let form = serde_json::json!({ "experiment": "scaling", "ks": "1,4", "n": "40", "repeats": "3" });
        let runs = crate::inputs::check_form(&form).unwrap();
        // k = 1: 5 modes × 1 round; k = 4 on 2 cores: single and gil 4 rounds, threads, processes and interpreters 2;
        // processes start in 20 ms, interpreters in 5; × 4 runs each.
        assert_eq!(estimate_ms(&runs, 100.0, 2), 4.0 * (5.0 * 100.0 + 25.0 + 14.0 * 100.0 + 25.0));
        assert_eq!(smaller_n(&runs, 100.0, 2), None, "6.6 s is not long");
        let n = smaller_n(&runs, 2_000.0, 2).unwrap();
        assert!(estimate_ms(&runs, 2_000.0 / GROWTH.powi(40 - n as i32), 2) <= LONG_MS && n < 40, "{n}");
        assert!(estimate_ms(&runs, 2_000.0 / GROWTH.powi(40 - n as i32 - 1), 2) > LONG_MS, "the largest such n");
    }

    #[test]
    fn a_mode_without_its_single_has_no_speedup() {
        let scaling = read(&[run(Mode::Threads, 3, [10.0, 9.0, 11.0])], 2);
        assert_eq!((scaling.points[0].speedup, scaling.points[0].efficiency), (None, None));
        assert!(scaling.words.is_empty());
    }

    #[test]
    fn a_noisy_best_point_is_said_to_be_inside_the_noise() {
        // k = 1 at fib(32): single's repeats over 4.5–16.5 ms; gil's 1.36× there says nothing.
        let runs = [run(Mode::Single, 1, [4.5, 16.5, 10.0]), run(Mode::Gil, 1, [7.35, 5.0, 12.0])];
        assert_eq!(
            read(&runs, 2).words,
            ["gil stayed at 1.36× or less at every k (1.36× at k = 1 is inside the noise: 0.38–3.30×): one thread \
              computes at a time, whatever the cores."]
        );
    }

    #[test]
    fn a_k_past_the_cores_that_did_better_than_the_cores_says_so_without_calling_a_loss_a_gain() {
        // Processes best at k = 1; k = 3 better than k = 2 on 2 cores, yet all slower than single.
        let runs = [
            run(Mode::Single, 1, [10.0, 10.0, 10.0]),
            run(Mode::Processes, 1, [50.0, 50.0, 50.0]),
            run(Mode::Single, 2, [20.0, 20.0, 20.0]),
            run(Mode::Processes, 2, [160.0, 160.0, 160.0]),
            run(Mode::Single, 3, [30.0, 30.0, 30.0]),
            run(Mode::Processes, 3, [180.0, 180.0, 180.0]),
        ];
        let words = read(&runs, 2).words;
        assert_eq!(words.len(), 1);
        assert!(words[0].ends_with("; past 2, k = 3 did better than k = 2 (0.17× against 0.12×)."), "{words:?}");
    }

    #[test]
    fn processes_whose_spawn_is_most_of_their_time_say_so_and_a_best_k_past_the_cores_passes_nothing() {
        let spawned = |k: u32, walls: [f64; 3]| Summary {
            spawn_ms: Some(Range { median: 30.0, min: 29.0, max: 34.0 }),
            ..run(Mode::Processes, k, walls)
        };
        let runs = [
            run(Mode::Single, 2, [10.0, 9.9, 10.1]),
            spawned(2, [30.0, 29.0, 31.0]),
            run(Mode::Single, 4, [20.0, 19.9, 20.1]),
            spawned(4, [50.0, 49.0, 51.0]),
        ];
        assert_eq!(
            read(&runs, 2).words,
            ["processes reached 0.40× at k = 4 on 2 cores (ideal 2×); its workers' spawn was 30.0 ms of its 50.0 ms \
              at k = 4: jobs this short show the start more than the work (a larger n shows what it gains)."],
            "no \"past 2\" sentence: the best k is past the cores"
        );
    }
}
