//! The article's experiment: every mode picked, at one k, read as the article reads it: the article's three
//! findings, each checked with the figures measured here, with the GIL (gil mode, classic CPython) and with free
//! threads (threads mode, free-threaded CPython). Only the rules and the words live here; the page renders them as
//! text.

use serde::Serialize;

use super::design::{Asked, Design, ExperimentInfo};
use crate::modes::{prose, Mode, MODES};
use crate::result::Summary;
use crate::spec::Options;
use crate::stats::{compare, speedup, Order, Range};

pub struct Article;

impl Design for Article {
    const INFO: &'static ExperimentInfo = &ExperimentInfo {
        label: "article",
        title: "Do threads make Python faster?",
        button: Some("Run the article's experiment"),
        choice: "the article's: every mode at one k",
        about: prose("Every mode picked, at one k: fib(n) k times, and K requests."),
        takes: prose(
            "fib(40) on 2 workers, then 10 web requests, in seven ways; each warmed up once, then timed 3 times: \
                about 15 seconds, the answer filling in as the figures come.",
        ),
        fields: &[
            "n",
            "work",
            "mib",
            "payloadMb",
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
        defaults: &[],
    };
    type Figures = Verdicts;

    /// Every mode in the defaults (not interpreters, Python 3.14's third way, which the article predates: it runs
    /// when picked).
    fn default_modes() -> Vec<Mode> {
        MODES.iter().filter(|info| info.in_defaults).map(|info| info.mode).collect()
    }

    /// Its runs are the settings as they are.
    fn plans(settings: Vec<Options>, _: &Asked) -> Vec<Options> {
        settings
    }

    fn read(runs: &[Summary], _cores: u32) -> Verdicts {
        Verdicts { verdicts: verdicts(runs) }
    }

    fn answer(runs: &[Summary], _: &Verdicts) -> Vec<String> {
        answer(runs)
    }
}

/// A sentence for each mode run that is read against another (in the click's order): "Threads under the GIL:
/// 1.02×, within the noise of one thread.", "Processes: 1.93× faster than one thread."
pub fn answer(runs: &[Summary]) -> Vec<String> {
    let wall = |mode| runs.iter().rfind(|run| run.mode == mode && run.correct && run.engine.is_rust());
    runs.iter()
        .filter(|run| run.engine.is_rust())
        .filter_map(|run| {
            let info = run.mode.info();
            let base = wall(info.against?)?;
            let ours = wall(run.mode)?;
            let than = base.mode.info().name.to_lowercase();
            // No ratio against a time this page's clock could not measure (see stats::speedup): said, not skipped.
            let Some(ratio) = speedup(&base.wall_ms, &ours.wall_ms) else {
                return Some(format!("{}: too quick to time against {than} on this clock.", info.name));
            };
            let how = match compare(&ours.wall_ms, &base.wall_ms) {
                Order::Faster => format!("{ratio:.2}× faster than {than}"),
                Order::Tie => format!("{ratio:.2}×, within the noise of {than}"),
                Order::Slower => format!("{:.2}× slower than {than}", 1.0 / ratio),
            };
            Some(format!("{}: {how}.", info.name))
        })
        .collect()
}

/// Whether a finding holds for one pair of modes.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The mode the finding says is faster is faster, beyond the noise.
    Holds,
    /// The numbers cannot tell them apart (see `stats::compare`).
    Tie,
    /// The other mode is faster, beyond the noise.
    Fails,
    /// One of the two modes was not run in this click.
    NotRun,
}

/// One finding of the article, as a claim and the pairs of modes that test it.
struct Finding {
    claim: &'static str,
    checks: &'static [Pair],
}

/// "`faster` beats `slower`", in one setting, with the outcomes the theory expects there and why.
struct Pair {
    setting: &'static str,
    faster: Mode,
    slower: Mode,
    expect: &'static [Outcome],
    why: &'static str,
}

const FINDINGS: &[Finding] = &[
    Finding {
        claim: "IO-bound work: threads beat one thread",
        checks: &[
            Pair {
                setting: "threads against one thread",
                faster: Mode::IoWorkers,
                slower: Mode::IoSequential,
                expect: &[Outcome::Holds],
                why: "Waiting for an answer takes no CPU, so the waits overlap: Python's threads let go of the GIL \
                      while they wait.",
            },
            Pair {
                setting: "asyncio against one after another",
                faster: Mode::IoConcurrent,
                slower: Mode::IoSequential,
                expect: &[Outcome::Holds],
                why: "One thread can wait for many answers at once, as asyncio does.",
            },
        ],
    },
    Finding {
        claim: "CPU-bound work: processes beat threads",
        checks: &[
            Pair {
                setting: "with the GIL",
                faster: Mode::Processes,
                slower: Mode::Gil,
                expect: &[Outcome::Holds],
                why: "Only the thread holding the GIL computes, while each process has its own interpreter and \
                      computes in parallel.",
            },
            Pair {
                setting: "with free threads",
                faster: Mode::Processes,
                slower: Mode::Threads,
                expect: &[Outcome::Tie, Outcome::Fails],
                why: "Nothing serialises free threads: they compute in parallel like processes, without starting \
                      new workers.",
            },
        ],
    },
    Finding {
        claim: "CPU-bound work: one thread beats threads",
        checks: &[
            Pair {
                setting: "with the GIL",
                faster: Mode::Single,
                slower: Mode::Gil,
                expect: &[Outcome::Holds, Outcome::Tie],
                why: "Under the GIL one thread computes at a time: k threads do one thread's work in turns, plus \
                      the hand-overs, so they are no faster.",
            },
            Pair {
                setting: "with free threads",
                faster: Mode::Single,
                slower: Mode::Threads,
                expect: &[Outcome::Fails],
                why: "Free threads compute at once: with a core each, k jobs take about as long as one.",
            },
        ],
    },
];

/// Python 3.14's third way, read only when interpreters ran: the article predates it.
const INTERPRETERS: Finding = Finding {
    claim: "CPU-bound work: interpreters beat threads under the GIL",
    checks: &[Pair {
        setting: "an interpreter per job, a GIL each",
        faster: Mode::Interpreters,
        slower: Mode::Gil,
        expect: &[Outcome::Holds],
        why: "Each interpreter has its own GIL (PEP 684): they compute in parallel, as processes do, within one \
              process and with no process to start.",
    }],
};

const UNEXPECTED: &str = "Not what the theory predicts here: a busy machine, or fewer free cores than workers, \
                          can do this. Run it again.";

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    pub claim: &'static str,
    pub checks: Vec<Check>,
}

/// How a check reads to a visitor: one mark of three, whichever way the comparison went.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Mark {
    /// It came out as the theory says for its setting: the article's finding under the GIL, its opposite where
    /// threads are free.
    AsTheorySays,
    /// It did not, here.
    NotHere,
    /// The figures cannot tell the two apart, where the theory says one wins.
    TooClose,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    pub setting: &'static str,
    /// The mode the claim says is faster, and its wall time (absent when it was not run).
    pub faster: Mode,
    pub faster_ms: Option<Range>,
    pub slower: Mode,
    pub slower_ms: Option<Range>,
    /// How many times faster `faster` was: slower's median over faster's; none when faster took no measurable time.
    pub speedup: Option<f64>,
    pub outcome: Outcome,
    /// What the theory says in this setting, in the modes' names: "gil no faster than single".
    pub theory: String,
    /// Whether the outcome is what the theory expects in this setting.
    pub expected: bool,
    /// How it reads: none when it was not run.
    pub mark: Option<Mark>,
    /// Why the theory expects it, or why this outcome may be off.
    pub why: &'static str,
}

/// The article's findings, each checked.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Verdicts {
    pub verdicts: Vec<Verdict>,
}

/// Checks each finding against the runs of one click (each the median of its repeats).
pub fn verdicts(runs: &[Summary]) -> Vec<Verdict> {
    let interpreters = runs.iter().any(|run| run.mode == Mode::Interpreters).then_some(&INTERPRETERS);
    FINDINGS
        .iter()
        .chain(interpreters)
        .map(|finding| Verdict {
            claim: finding.claim,
            checks: finding.checks.iter().map(|pair| check(pair, runs)).collect(),
        })
        .collect()
}

fn check(pair: &Pair, runs: &[Summary]) -> Check {
    let wall =
        |mode| runs.iter().rfind(|run| run.mode == mode && run.correct && run.engine.is_rust()).map(|run| run.wall_ms);
    let (faster_ms, slower_ms) = (wall(pair.faster), wall(pair.slower));
    let outcome = match faster_ms.zip(slower_ms) {
        None => Outcome::NotRun,
        Some((faster, slower)) => match compare(&faster, &slower) {
            Order::Faster => Outcome::Holds,
            Order::Tie => Outcome::Tie,
            Order::Slower => Outcome::Fails,
        },
    };
    let expected = outcome == Outcome::NotRun || pair.expect.contains(&outcome);
    Check {
        setting: pair.setting,
        faster: pair.faster,
        faster_ms,
        slower: pair.slower,
        slower_ms,
        speedup: faster_ms.zip(slower_ms).and_then(|(faster, slower)| speedup(&slower, &faster)),
        outcome,
        theory: theory(pair),
        expected,
        mark: match outcome {
            Outcome::NotRun => None,
            _ if expected => Some(Mark::AsTheorySays),
            Outcome::Tie => Some(Mark::TooClose),
            _ => Some(Mark::NotHere),
        },
        why: if expected { pair.why } else { UNEXPECTED },
    }
}

/// What the theory says of a pair, from the outcomes it expects: "processes faster than gil", "gil no faster than
/// single", "processes no faster than threads", "threads faster than single".
fn theory(pair: &Pair) -> String {
    let (faster, slower) = (pair.faster.info().label, pair.slower.info().label);
    match pair.expect {
        [Outcome::Holds] => format!("{faster} faster than {slower}"),
        [Outcome::Holds, Outcome::Tie] => format!("{slower} no faster than {faster}"),
        [Outcome::Tie, Outcome::Fails] => format!("{faster} no faster than {slower}"),
        [Outcome::Fails] => format!("{slower} faster than {faster}"),
        other => unreachable!("no finding expects {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiments::Report;
    use crate::modes::Kind;
    use crate::result::{Job, Run, Target, Work};

    fn report(runs: &[Summary]) -> Report<Verdicts> {
        Article::report(runs, 2)
    }

    /// A correct run of `mode` whose repeats took `walls` ms (fib(30) × 2, or 10 requests).
    fn measured(mode: Mode, walls: &[f64]) -> Summary {
        let runs: Vec<Run> = walls
            .iter()
            .map(|&wall| {
                if mode.info().kind == Kind::Io {
                    let work = Work::Requests { count: 10, target: Target::Builtin { delay_ms: 100 } };
                    Run::timed(mode, work, 1, 0.0, wall, vec![], true)
                } else {
                    let job = |index| Job {
                        index,
                        lane: index,
                        value: Some(832_040),
                        request: None,
                        start: 0.0,
                        end: wall,
                        spans: vec![],
                    };
                    Run::new(mode, &crate::work::Task::fib(30), 2, 0.0, wall, vec![job(0), job(1)])
                }
            })
            .collect();
        let warmup = runs[0].clone();
        Summary::from(&Run::from_repeats(&warmup, runs).unwrap())
    }

    fn outcomes(report: &Report<Verdicts>) -> Vec<Vec<Outcome>> {
        report.figures.verdicts.iter().map(|v| v.checks.iter().map(|c| c.outcome).collect()).collect()
    }

    #[test]
    fn a_typical_two_core_click_reads_as_the_article_with_the_gil_and_not_with_free_threads() {
        let runs = [
            measured(Mode::Single, &[380.0, 377.0, 389.0]),
            measured(Mode::Threads, &[181.0, 178.0, 183.0]),
            measured(Mode::Processes, &[200.0, 196.0, 205.0]),
            measured(Mode::Gil, &[411.0, 406.0, 415.0]),
            measured(Mode::IoSequential, &[1041.0, 1037.0, 1042.0]),
            measured(Mode::IoConcurrent, &[216.0, 214.0, 218.0]),
            measured(Mode::IoWorkers, &[300.0, 290.0, 310.0]),
        ];
        let report = report(&runs);
        use Outcome::*;
        assert_eq!(outcomes(&report), [vec![Holds, Holds], vec![Holds, Fails], vec![Holds, Fails]]);
        assert!(report.figures.verdicts.iter().flat_map(|v| &v.checks).all(|c| c.expected));

        let theories: Vec<&str> = report.figures.verdicts.iter().flat_map(|v| &v.checks).map(|c| &*c.theory).collect();
        assert_eq!(
            theories,
            [
                "io-workers faster than io-sequential",
                "io-concurrent faster than io-sequential",
                "processes faster than gil",
                "processes no faster than threads",
                "gil no faster than single",
                "threads faster than single"
            ]
        );
        let processes_vs_gil = &report.figures.verdicts[1].checks[0];
        assert_eq!(processes_vs_gil.faster_ms.unwrap().median, 200.0);
        assert_eq!(processes_vs_gil.slower_ms.unwrap().median, 411.0);
        assert_eq!(processes_vs_gil.speedup, Some(411.0 / 200.0));

        let marks = report.figures.verdicts.iter().flat_map(|v| &v.checks).map(|c| c.mark);
        assert!(marks.clone().all(|mark| mark == Some(Mark::AsTheorySays)), "{:?}", marks.collect::<Vec<_>>());
        assert_eq!(
            report.answer,
            [
                "Free threads: 2.10× faster than one thread.",
                "Processes: 1.90× faster than one thread.",
                "Threads under the GIL: 1.08× slower than one thread.",
                "Requests awaited together (asyncio): 4.82× faster than requests one after another.",
                "Threads for IO: 3.47× faster than requests one after another.",
            ]
        );

        let speedups = &report.speedups;
        assert_eq!(speedups[0], Some(1.0));
        assert_eq!(speedups[1], Some(380.0 / 181.0));
        assert_eq!(speedups[4], Some(1.0), "io runs against io-sequential");
        assert_eq!(speedups[5], Some(1041.0 / 216.0));
        assert_eq!(report.wide, [false; 7]);
    }

    #[test]
    fn overlapping_ranges_are_a_tie_never_a_win() {
        let runs = [measured(Mode::Single, &[400.0, 380.0, 430.0]), measured(Mode::Gil, &[410.0, 395.0, 440.0])];
        let check = &report(&runs).figures.verdicts[2].checks[0];
        assert_eq!(check.outcome, Outcome::Tie);
        assert!(check.expected, "under the GIL, threads being no faster is what the theory says");
        assert_eq!(check.mark, Some(Mark::AsTheorySays), "which reads as agreement, not as too close to call");
        assert_eq!(report(&runs).answer, ["Threads under the GIL: 0.98×, within the noise of one thread."]);
        let free = [measured(Mode::Processes, &[200.0, 190.0, 230.0]), measured(Mode::Gil, &[210.0, 195.0, 240.0])];
        let check = &report(&free).figures.verdicts[1].checks[0];
        assert_eq!((check.outcome, check.mark), (Outcome::Tie, Some(Mark::TooClose)), "processes should win");
        assert_eq!(report(&runs).wide, [false, false], "a tenth either way is not wide");
        let busy = [measured(Mode::Single, &[300.0, 400.0, 500.0])];
        assert_eq!(report(&busy).wide, [true], "300–500 around 400 is");
    }

    #[test]
    fn an_outcome_the_theory_does_not_expect_says_so() {
        let runs = [measured(Mode::Processes, &[400.0, 398.0, 402.0]), measured(Mode::Gil, &[200.0, 199.0, 201.0])];
        let check = &report(&runs).figures.verdicts[1].checks[0];
        assert_eq!((check.outcome, check.expected, check.why), (Outcome::Fails, false, UNEXPECTED));
        assert_eq!(check.mark, Some(Mark::NotHere));
    }

    #[test]
    fn modes_not_run_and_failed_runs_give_no_verdict_and_no_speedup() {
        let mut wrong = measured(Mode::Gil, &[100.0]);
        wrong.correct = false;
        let runs = [measured(Mode::Threads, &[180.0]), wrong];
        let report = report(&runs);
        assert!(report
            .figures
            .verdicts
            .iter()
            .flat_map(|v| &v.checks)
            .all(|c| c.outcome == Outcome::NotRun && c.speedup.is_none()));
        assert_eq!(report.speedups, [None, None], "no single in this click");
    }

    #[test]
    fn a_run_too_quick_for_the_clock_gets_no_ratio_but_still_a_verdict() {
        // Without cross-origin isolation a browser's clock can step by 1 ms: a tiny run measures 0.
        let runs = [measured(Mode::Single, &[0.0, 0.0, 0.0]), measured(Mode::Gil, &[2.0, 2.0, 3.0])];
        let report = report(&runs);
        let single_vs_gil = &report.figures.verdicts[2].checks[0];
        assert_eq!((single_vs_gil.outcome, single_vs_gil.speedup), (Outcome::Holds, None));
        assert_eq!(report.answer, ["Threads under the GIL: too quick to time against one thread on this clock."]);
        assert_eq!(report.speedups, [None, None], "no ratio against a time of 0");
        assert!(serde_json::to_string(&report).unwrap().contains("\"speedup\":null"));
    }

    #[test]
    fn the_verdicts_serialise_for_the_page() {
        let runs = [measured(Mode::Single, &[380.0]), measured(Mode::Gil, &[420.0])];
        let json = serde_json::to_string(&report(&runs)).unwrap();
        for key in [
            "\"claim\":\"CPU-bound work: one thread beats threads\"",
            "\"outcome\":\"holds\"",
            "\"outcome\":\"not-run\"",
            "\"fasterMs\":{\"median\":380.0",
            "\"slower\":\"gil\"",
        ] {
            assert!(json.contains(key), "{key} in {json}");
        }
    }

    #[test]
    fn a_fourth_verdict_is_read_only_when_interpreters_ran() {
        let without = [measured(Mode::Gil, &[200.0, 199.0, 201.0]), measured(Mode::Threads, &[100.0, 99.0, 101.0])];
        assert_eq!(verdicts(&without).len(), 3);
        let mut with = without.to_vec();
        with.push(measured(Mode::Interpreters, &[104.0, 103.0, 106.0]));
        let all = verdicts(&with);
        assert_eq!(all[3].claim, "CPU-bound work: interpreters beat threads under the GIL");
        let check = &all[3].checks[0];
        assert_eq!((check.outcome, check.expected), (Outcome::Holds, true));
        assert_eq!(check.speedup, Some(200.0 / 104.0));
    }
}
