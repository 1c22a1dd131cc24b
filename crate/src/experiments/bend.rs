//! When the rules bend: the two exceptions the article leaves out. Native code that lets go of the GIL (sha256, as
//! CPython's hashlib) computes in parallel on threads under the GIL, where fib does not; and data that must travel
//! to a process (a payload each job reads: shared by threads, copied into each process) makes processes lose what
//! they gain once it is large enough. Only the rules and the words live here; the page draws them
//! (www/experiments/bend/).

use serde::Serialize;

use super::design::{Asked, Design, Estimate, ExperimentInfo};
use super::scaling;
use crate::modes::{prose, Engine, Mode};
use crate::result::{Summary, Work};
use crate::spec::Options;
use crate::stats::{compare, speedup, speedup_band, Order, Range};
use crate::work::WorkKind;

pub struct Bend;

/// The payloads (MiB) processes and threads under the GIL run at, when none are asked for.
pub const DEFAULT_PAYLOADS: &[u32] = &[0, 1, 8, 32, 128];

/// The modes of each part: one thread, and the two ways the article compares against it.
const KINDS_MODES: [Mode; 3] = [Mode::Single, Mode::Gil, Mode::Threads];
const PAYLOAD_MODES: [Mode; 3] = [Mode::Single, Mode::Gil, Mode::Processes];

impl Design for Bend {
    const INFO: &'static ExperimentInfo = &ExperimentInfo {
        label: "bend",
        title: "When do the rules bend?",
        button: None,
        choice: "bend: native code under the GIL, and data that must travel",
        about: prose(
            "Two exceptions to the article's rules. fib against sha256 under the GIL: native code lets go of the \
             lock while it works, so threads gain. And threads under the GIL against processes as each job's \
             payload grows: a process gets its data only by copy.",
        ),
        takes: prose(
            "fib and sha256 on one thread, on k threads under the GIL and on free threads; then one thread, threads \
             under the GIL and processes with a payload of 0, 1, 8, 32 and 128 MiB a job. About 10 seconds.",
        ),
        fields: &["n", "mib", "workers", "repeats", "switchMs", "payloads"],
        api: &["n", "mib", "workers", "repeats", "switchMs", "payloads"],
        defaults: &[("n", 36.0)],
    };
    const SEVERAL_WORKS: bool = true;
    type Figures = Figures;

    fn takes(mode: Mode) -> bool {
        KINDS_MODES.contains(&mode) || PAYLOAD_MODES.contains(&mode)
    }

    /// Part 1: single, gil and threads for each work kind, without a payload; part 2: single, gil and processes with
    /// fib at each payload. The modes are the experiment's, whichever were picked (where memory cannot be shared, free
    /// threads fail with the page's reason, and the rest runs).
    fn plans(settings: Vec<Options>, asked: &Asked) -> Vec<Options> {
        // What each run is first, then the runs made in one place: this runs in the threads build, the first load,
        // where each copy of the code that makes Options costs.
        let Some(first) = settings.first() else { return Vec::new() };
        let mut runs: Vec<(Mode, WorkKind, u32)> = Vec::new();
        for work in [WorkKind::Fib, WorkKind::Sha256] {
            runs.extend(KINDS_MODES.map(|mode| (mode, work, 0)));
        }
        for &mb in asked.payloads {
            // Without a payload, one thread and gil with fib have run in part 1 already.
            let modes = PAYLOAD_MODES.into_iter().filter(|&mode| mb > 0 || mode == Mode::Processes);
            runs.extend(modes.map(|mode| (mode, WorkKind::Fib, mb)));
        }
        runs.into_iter().map(|(mode, work, payload_mb)| Options { mode, work, payload_mb, ..first.clone() }).collect()
    }

    fn read(runs: &[Summary], _cores: u32) -> Figures {
        Figures { bend: read(runs) }
    }

    fn answer(_runs: &[Summary], figures: &Figures) -> Vec<String> {
        figures.bend.words.clone()
    }

    fn estimate(runs: &[Options], job_ms: f64, cores: u32) -> Option<Estimate> {
        Some(Estimate { ms: estimate_ms(runs, job_ms, cores), smaller_n: None })
    }
}

/// sha256 of a MiB, and a MiB of payload copied into a process, in ms: about what Chromium took here (2 cores).
const SHA256_MS_PER_MIB: f64 = 5.0;
const COPY_MS_PER_MIB: f64 = 5.0;

/// About how long a bend click's `runs` take, from one fib(n) job measured at `job_ms` on `cores`: each run as
/// scaling estimates it (its rounds of jobs, a process's spawn), with a sha256 job and a process's copy of its
/// payload at about `SHA256_MS_PER_MIB` and `COPY_MS_PER_MIB`.
pub fn estimate_ms(runs: &[Options], job_ms: f64, cores: u32) -> f64 {
    let job = |o: &Options| {
        let work = match o.work {
            WorkKind::Fib => job_ms,
            WorkKind::Sha256 => f64::from(o.mib) * SHA256_MS_PER_MIB,
        };
        let copy = if o.mode == Mode::Processes { f64::from(o.payload_mb) * COPY_MS_PER_MIB } else { 0.0 };
        work + copy
    };
    runs.iter().map(|o| scaling::estimate_ms(std::slice::from_ref(o), job(o), cores)).sum()
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Figures {
    pub bend: Reading,
}

/// Part 1, one work kind: what k threads under the GIL and free threads gained over one thread.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct KindRow {
    pub work: WorkKind,
    pub jobs: u32,
    pub gil: Option<f64>,
    pub gil_range: Option<[f64; 2]>,
    pub threads: Option<f64>,
    pub threads_range: Option<[f64; 2]>,
    /// How gil compares with one thread: faster, tie (within the noise) or slower.
    pub gil_order: Option<Order>,
}

/// Part 2, one payload: threads under the GIL against processes.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PayloadRow {
    pub payload_mb: u32,
    pub gil_ms: Range,
    pub processes_ms: Range,
    /// gil's median over processes': above 1, processes won.
    pub processes_over_gil: Option<f64>,
    pub order: Order,
    /// What copying the payload into each process took, on average, and that as a share of processes' wall time.
    pub copy_ms: Option<f64>,
    pub copy_share: Option<f64>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Reading {
    pub kinds: Vec<KindRow>,
    pub payloads: Vec<PayloadRow>,
    /// The first payload at which processes no longer beat threads under the GIL, if they beat them before.
    pub crossover_mb: Option<u32>,
    /// The answer, a sentence for each part, from these figures (and then the visitor's own Python's).
    pub words: Vec<String>,
    /// The same figures of the visitor's own Python (threadlab.py's link), whose threads hold its GIL: they stand in
    /// the gil columns, and it has no free threads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub python: Option<Box<Reading>>,
}

fn kind_of(work: &Work) -> Option<(WorkKind, u32, u32)> {
    match *work {
        Work::Fib { jobs, payload_mb, .. } => Some((WorkKind::Fib, jobs, payload_mb)),
        Work::Sha256 { jobs, payload_mb, .. } => Some((WorkKind::Sha256, jobs, payload_mb)),
        _ => None,
    }
}

/// Reads a bend click's runs: the page's, and those of the visitor's own Python where a link brought them.
pub fn read(runs: &[Summary]) -> Reading {
    let (python, rust): (Vec<Summary>, Vec<Summary>) = runs.iter().cloned().partition(|r| r.engine == Engine::Python);
    let mut reading = side(&rust, Mode::Gil, Some(Mode::Threads));
    if !python.is_empty() {
        let theirs = side(&python, Mode::Threads, None);
        let said = |sentence: &String| {
            let mut letters = sentence.chars();
            let first = letters.next().map(|c| c.to_lowercase().to_string()).unwrap_or_default();
            format!("In your own Python, {first}{}", letters.as_str())
        };
        reading.words.extend(theirs.words.iter().map(said));
        reading.python = Some(Box::new(theirs));
    }
    reading
}

/// Reads one side's runs: `gil` is the mode of threads under a GIL, `free` that of free threads, if it has them.
fn side(runs: &[Summary], gil_mode: Mode, free: Option<Mode>) -> Reading {
    let find = |mode: Mode, work: &Work| runs.iter().rfind(|r| r.mode == mode && r.work == *work && r.correct);
    let mut kinds: Vec<KindRow> = Vec::new();
    let mut payloads: Vec<PayloadRow> = Vec::new();
    for single in runs.iter().filter(|r| r.mode == Mode::Single && r.correct) {
        let Some((work, jobs, payload_mb)) = kind_of(&single.work) else { continue };
        let (gil, threads) = (find(gil_mode, &single.work), free.and_then(|mode| find(mode, &single.work)));
        if payload_mb == 0 && !kinds.iter().any(|row| row.work == work) && (gil.is_some() || threads.is_some()) {
            let against = |run: Option<&Summary>| run.and_then(|run| speedup(&single.wall_ms, &run.wall_ms));
            let band = |run: Option<&Summary>| run.and_then(|run| speedup_band(&single.wall_ms, &run.wall_ms));
            kinds.push(KindRow {
                work,
                jobs,
                gil: against(gil),
                gil_range: band(gil),
                threads: against(threads),
                threads_range: band(threads),
                gil_order: gil.map(|gil| compare(&gil.wall_ms, &single.wall_ms)),
            });
        }
        let (Some(gil), Some(processes)) = (gil, find(Mode::Processes, &single.work)) else { continue };
        if work == WorkKind::Fib && !payloads.iter().any(|row| row.payload_mb == payload_mb) {
            let copy_ms = processes.copy_ms;
            payloads.push(PayloadRow {
                payload_mb,
                gil_ms: gil.wall_ms,
                processes_ms: processes.wall_ms,
                processes_over_gil: speedup(&gil.wall_ms, &processes.wall_ms),
                order: compare(&processes.wall_ms, &gil.wall_ms),
                copy_ms,
                copy_share: copy_ms.map(|copy| copy / processes.wall_ms.median),
            });
        }
    }
    payloads.sort_by_key(|row| row.payload_mb);
    let won = |row: &PayloadRow| row.order == Order::Faster;
    let crossover_mb = payloads
        .iter()
        .position(|row| !won(row))
        .filter(|&at| at > 0 && payloads[..at].iter().all(won))
        .map(|at| payloads[at].payload_mb);
    let mut reading = Reading { kinds, payloads, crossover_mb, words: Vec::new(), python: None };
    reading.words = words(&reading);
    reading
}

/// "Under the GIL, sha256 ran 1.90× faster on 2 threads than on one; fib did not: 1.00×." and "Processes beat
/// threads under the GIL up to 8 MiB a job; at 32 MiB they stopped winning, where copying took 41% of their time."
fn words(reading: &Reading) -> Vec<String> {
    let mut words = Vec::new();
    let row = |work| reading.kinds.iter().find(|row| row.work == work && row.gil.is_some());
    if let (Some(sha), Some(fib)) = (row(WorkKind::Sha256), row(WorkKind::Fib)) {
        let (sha_x, fib_x) = (sha.gil.unwrap_or(1.0), fib.gil.unwrap_or(1.0));
        let fib_part = match fib.gil_order {
            Some(Order::Faster) => format!("fib gained less: {fib_x:.2}×"),
            _ => format!("fib did not: {fib_x:.2}×"),
        };
        words.push(match sha.gil_order {
            Some(Order::Faster) => format!(
                "Under the GIL, sha256 ran {sha_x:.2}× faster on {} threads than on one, as it lets go of the lock \
                 while it hashes; {fib_part}.",
                sha.jobs
            ),
            _ => format!(
                "Under the GIL, sha256 gained nothing here on {} threads ({sha_x:.2}×; {fib_part}): its threads \
                 could not hash at once (one worker, or one core).",
                sha.jobs
            ),
        });
    }
    let share = |row: &PayloadRow| row.copy_share.map_or(String::new(), |s| format!("{:.0}%", s * 100.0));
    let (first, last) = (reading.payloads.first(), reading.payloads.last());
    if let (Some(crossover), Some(first)) = (reading.crossover_mb, first) {
        let at = reading.payloads.iter().find(|row| row.payload_mb == crossover).expect("the crossover is a row");
        let before = reading.payloads.iter().rev().find(|row| row.payload_mb < crossover).unwrap_or(first);
        let up_to = match before.payload_mb {
            0 => "without a payload".to_string(),
            mb => format!("up to {mb} MiB a job"),
        };
        words.push(format!(
            "Processes beat threads under the GIL {up_to}; at {crossover} MiB they stopped winning ({:.2}×), where \
             copying took {} of their time.",
            at.processes_over_gil.unwrap_or(1.0),
            share(at)
        ));
    } else if let (Some(first), Some(last)) = (first, last) {
        let all_won = reading.payloads.iter().all(|row| row.order == Order::Faster);
        words.push(if all_won {
            format!(
                "Processes beat threads under the GIL at every payload up to {} MiB a job ({:.2}× there, copying \
                 {} of their time): a larger payload would show where copying costs more than they gain.",
                last.payload_mb,
                last.processes_over_gil.unwrap_or(1.0),
                share(last)
            )
        } else {
            let least = match first.payload_mb {
                0 => "even without a payload".to_string(),
                mb => format!("even at {mb} MiB a job"),
            };
            format!(
                "Processes did not beat threads under the GIL, {least} ({:.2}×): the jobs are too short for what \
                 starting a process costs here (a larger n shows it).",
                first.processes_over_gil.unwrap_or(1.0)
            )
        });
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::check_run;
    use serde_json::json;

    fn summary(mode: Mode, work: Work, median: f64, copy_ms: Option<f64>) -> Summary {
        Summary {
            mode,
            work,
            wall_ms: Range { median, min: median * 0.98, max: median * 1.02 },
            correct: true,
            engine: Default::default(),
            outcome: None,
            spawn_ms: None,
            convoy: None,
            copy_ms,
        }
    }

    fn fib(payload_mb: u32) -> Work {
        Work::Fib { n: 30, jobs: 2, payload_mb }
    }

    #[test]
    fn plans_run_each_kind_then_each_payload() {
        let settings = vec![check_run(&json!({ "mode": "single" })).unwrap()];
        let asked = Asked { ks: &[], intervals: &[], payloads: &[0, 8], code: None };
        let plans = Bend::plans(settings, &asked);
        let seen: Vec<(Mode, WorkKind, u32)> = plans.iter().map(|o| (o.mode, o.work, o.payload_mb)).collect();
        use Mode::*;
        use WorkKind::*;
        assert_eq!(
            seen,
            [
                (Single, Fib, 0),
                (Gil, Fib, 0),
                (Threads, Fib, 0),
                (Single, Sha256, 0),
                (Gil, Sha256, 0),
                (Threads, Sha256, 0),
                (Processes, Fib, 0),
                (Single, Fib, 8),
                (Gil, Fib, 8),
                (Processes, Fib, 8)
            ]
        );
    }

    #[test]
    fn the_estimate_adds_each_runs_jobs_a_hash_by_its_size_and_a_copy_by_its_payload() {
        let settings = vec![check_run(&json!({ "mode": "single", "mib": 2, "repeats": 1 })).unwrap()];
        let asked = Asked { ks: &[], intervals: &[], payloads: &[0, 4], code: None };
        let plans = Bend::plans(settings, &asked);
        // Each run warmed up and repeated once: single and gil do their 2 jobs one after another, threads and
        // processes at once on 2 cores; sha256 of 2 MiB 10 ms; a process's spawn 20 ms and its copy of 4 MiB 20 ms.
        let fib = 2.0 * (2.0 * 10.0 + 2.0 * 10.0 + 10.0);
        let sha = 2.0 * (2.0 * 10.0 + 2.0 * 10.0 + 10.0);
        let payloads = 2.0 * (10.0 + 20.0) + 2.0 * (2.0 * 10.0 + 2.0 * 10.0 + (10.0 + 20.0) + 20.0);
        assert_eq!(estimate_ms(&plans, 10.0, 2), fib + sha + payloads);
    }

    #[test]
    fn the_words_follow_the_figures() {
        let sha = Work::Sha256 { mib: 16, jobs: 2, payload_mb: 0 };
        let mut runs = vec![
            summary(Mode::Single, fib(0), 100.0, None),
            summary(Mode::Gil, fib(0), 100.0, None),
            summary(Mode::Threads, fib(0), 50.0, None),
            summary(Mode::Single, sha.clone(), 200.0, None),
            summary(Mode::Gil, sha, 105.0, None),
            summary(Mode::Processes, fib(0), 60.0, None),
        ];
        for (mb, processes, copy) in [(8, 70.0, 10.0), (32, 120.0, 49.2)] {
            runs.push(summary(Mode::Single, fib(mb), 100.0, None));
            runs.push(summary(Mode::Gil, fib(mb), 100.0, None));
            runs.push(summary(Mode::Processes, fib(mb), processes, Some(copy)));
        }
        let reading = read(&runs);
        assert_eq!(reading.crossover_mb, Some(32));
        assert_eq!(
            reading.words,
            [
                "Under the GIL, sha256 ran 1.90× faster on 2 threads than on one, as it lets go of the lock while it \
                 hashes; fib did not: 1.00×.",
                "Processes beat threads under the GIL up to 8 MiB a job; at 32 MiB they stopped winning (0.83×), \
                 where copying took 41% of their time."
            ]
        );
        // Processes that win everywhere: no crossover, and the words say how far it was tried.
        let won: Vec<Summary> =
            runs.iter().filter(|r| !matches!(r.work, Work::Fib { payload_mb: 32, .. })).cloned().collect();
        let reading = read(&won);
        assert_eq!(reading.crossover_mb, None);
        assert!(reading.words[1].starts_with("Processes beat threads under the GIL at every payload up to 8 MiB"));
        // Processes that never win: said from the smallest payload.
        let lost: Vec<Summary> = runs
            .iter()
            .filter(|r| r.mode != Mode::Processes)
            .cloned()
            .chain([summary(Mode::Processes, fib(0), 160.0, None), summary(Mode::Processes, fib(8), 170.0, Some(10.0))])
            .collect();
        assert_eq!(
            read(&lost).words[1],
            "Processes did not beat threads under the GIL, even without a payload (0.62×): the jobs are too short for \
             what starting a process costs here (a larger n shows it)."
        );
    }
}
