//! The convoy experiment (bugs.python.org issue 7946): an IO thread's requests, alone and beside k CPU-bound
//! threads, in four regimes (alone, gil, threads, processes), then gil at each switch interval of the sweep; read as
//! each regime's latency against alone's, and in words. The threads and turns that run it are `engines::convoy`.

use serde::Serialize;

use super::design::{within_an_hour, Asked, Design, Estimate, ExperimentInfo, Report};
use crate::modes::{prose, Mode};
use crate::result::{ConvoySummary, Summary};
use crate::spec::{Options, Regime, REGIMES};
use crate::stats::{compare, ms, to_micros, Latency, Order, Range, TIE_MARGIN};
use crate::work::WorkKind;

pub struct Convoy;

impl Design for Convoy {
    const INFO: &'static ExperimentInfo = &ExperimentInfo {
        label: "convoy",
        title: "What does the GIL do to an IO thread?",
        button: None,
        choice: "convoy: an IO thread beside CPU work",
        about: prose("An IO thread makes K requests one after another, alone and beside k threads computing fib(n) over and \
                over: with the GIL, with free threads, and with the CPU work in processes; then with the GIL at each \
                switch interval of the sweep."),
        takes: prose("20 requests of 2 ms from an IO thread, alone and beside 2 threads computing: under the GIL at four switch \
                intervals, with free threads and with processes. About 12 seconds."),
        fields: &["requests", "delayMs", "n", "workers", "switchMs", "repeats", "intervals", "url", "endpoint"],
        api: &["requests", "delayMs", "n", "workers", "switchMs", "repeats", "regimes", "intervals", "url", "endpoint"],
        defaults: &[("n", 27.0), ("requests", 20.0), ("delayMs", 2.0)],
    };
    type Figures = Figures;

    /// The modes of its regimes.
    fn takes(mode: Mode) -> bool {
        Regime::of(mode).is_some()
    }

    fn default_modes() -> Vec<Mode> {
        REGIMES.iter().map(|(_, mode, _)| *mode).collect()
    }

    /// The regimes of the modes picked, in the regimes' order (alone always first: every added latency is against
    /// it), then gil at each other interval of the sweep.
    fn plans(settings: Vec<Options>, asked: &Asked) -> Vec<Options> {
        let Some(first) = settings.first() else { return Vec::new() };
        // The convoy's CPU threads compute fib, and read no payload.
        let fib = Options { work: WorkKind::Fib, payload_mb: 0, ..first.clone() };
        let convoy = |mode, switch_ms| Options { mode, switch_ms, convoy: true, ..fib.clone() };
        let picked = |mode: &Mode| *mode == Mode::IoSequential || settings.iter().any(|o| o.mode == *mode);
        let modes: Vec<Mode> = REGIMES.iter().map(|(_, mode, _)| *mode).filter(picked).collect();
        let sweep = if modes.contains(&Mode::Gil) { asked.intervals } else { &[] };
        let mut plans: Vec<Options> = modes.into_iter().map(|mode| convoy(mode, first.switch_ms)).collect();
        plans.extend(sweep.iter().filter(|&&ms| ms != first.switch_ms).map(|&ms| convoy(Mode::Gil, ms)));
        plans
    }

    fn read(runs: &[Summary], _cores: u32) -> Figures {
        Figures { convoy: read(&summaries(runs)) }
    }

    fn answer(_runs: &[Summary], figures: &Figures) -> Vec<String> {
        answer(&figures.convoy)
    }

    /// No speedups (a regime's latency is read against alone's instead); noisy where its repeats' medians spread.
    fn report(runs: &[Summary], cores: u32) -> Report<Figures> {
        let wide = summaries(runs).iter().map(|run| Range::of(&run.medians).is_some_and(|r| r.wide())).collect();
        let figures = Self::read(runs, cores);
        Report { speedups: vec![None; runs.len()], wide, answer: Self::answer(runs, &figures), figures }
    }

    fn estimate(runs: &[Options], _job_ms: f64, _cores: u32) -> Option<Estimate> {
        Some(Estimate { ms: estimate_ms(runs), smaller_n: None })
    }
}

/// The switch intervals of the sweep by default (ms).
pub const DEFAULT_INTERVALS: &[f64] = &[0.5, 1.0, 5.0, 20.0];

impl ConvoySummary {
    /// A convoy run's figures from elsewhere (a share link) are times in range, in order, and those of its mode and
    /// settings (`repeats` timed, every one `correct` or not); the error says what is wrong with run `name`.
    pub fn check(&self, options: &Options, repeats: usize, correct: bool, name: &str) -> Result<(), String> {
        let Latency { median, p95, max } = self.latency_ms;
        let cpu = self.cpu.as_ref().map_or(vec![], |c| vec![c.wall_ms, c.per_second, f64::from(c.rounds)]);
        let times = [median, p95, max, self.gil_wait_ms, self.per_second].into_iter().chain(self.medians.clone());
        if !(times.chain(cpu).all(within_an_hour) && median <= p95 && p95 <= max) {
            return Err(format!("a latency of {name} is not from 0 to an hour, in order"));
        }
        if Regime::of(options.mode) != Some(self.regime)
            || self.switch_ms != options.switch_ms
            || self.medians.len() != repeats
            || self.cpu.is_some() != (options.cpu_threads() > 0)
            || self.correct != correct
        {
            return Err(format!("the convoy figures of {name} do not match its settings"));
        }
        Ok(())
    }
}

fn summaries(runs: &[Summary]) -> Vec<ConvoySummary> {
    runs.iter().filter_map(|run| run.convoy.clone()).collect()
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Figures {
    pub convoy: Regimes,
}

/// About how long the convoy's `runs` take, each warmed up and repeated: its requests one after another, each its
/// delay and about 5 ms of the machine's (a local server's answer, measured here at 4 to 10 ms), under the GIL two
/// switch intervals more; and about 150 ms a run for the rest (a pool or fresh workers started, the results read
/// and drawn).
pub fn estimate_ms(runs: &[Options]) -> f64 {
    let request = |o: &Options| f64::from(o.delay_ms) + 5.0 + if o.mode == Mode::Gil { 2.0 * o.switch_ms } else { 0.0 };
    runs.iter().map(|o| f64::from(o.repeats + 1) * (f64::from(o.requests) * request(o) + 150.0)).sum()
}

/// A sentence for alone and for each regime beside it: what one request took, and how many times alone's
/// ("Threads under the GIL: 20.3 ms a request, 2.58× alone's.").
pub fn answer(convoy: &Regimes) -> Vec<String> {
    let alone = convoy.regimes.iter().find(|r| r.run.regime == Regime::Alone).map(|r| r.run.latency_ms.median);
    convoy
        .regimes
        .iter()
        .filter(|r| r.run.correct)
        .map(|r| {
            let latency = r.run.latency_ms.median;
            match (r.run.regime, alone) {
                (Regime::Alone, _) => format!("Alone, a request took {}.", ms(latency)),
                (regime, Some(alone)) if alone > 0.0 => {
                    let name = regime.mode().info().name;
                    // Under the GIL, how much of it was the GIL's: the rest is the request's own flight.
                    let gil = match r.run.gil_wait_ms {
                        wait if regime == Regime::Gil && wait > 0.0 => {
                            format!(": {} of it waiting for the GIL", ms(wait))
                        }
                        _ => String::new(),
                    };
                    format!("{name}: {} a request, {:.2}× alone's{gil}.", ms(latency), latency / alone)
                }
                (regime, _) => format!("{}: {} a request.", regime.mode().info().name, ms(latency)),
            }
        })
        .collect()
}

/// What a click of the convoy experiment found: each regime's figures, the switch-interval sweep and the words.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Regimes {
    /// Each regime at the click's switch interval, alone first.
    pub regimes: Vec<RegimeFigures>,
    /// gil at each switch interval of the sweep, shortest first, each with the latency it adds to alone's.
    pub sweep: Vec<RegimeFigures>,
    pub words: Vec<String>,
}

/// One regime's figures as a click reads them: its run's summary, and what it says beside alone's.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RegimeFigures {
    #[serde(flatten)]
    pub run: ConvoySummary,
    /// The median latency less alone's: what sharing the machine with the CPU work costs each request.
    pub added_ms: Option<f64>,
    /// The repeats' median latencies: their median and range (the noise between repeats).
    pub repeats_ms: Range,
}

/// Reads a convoy click's runs (their summaries), in the order they ran.
pub fn read(runs: &[ConvoySummary]) -> Regimes {
    // Every regime runs at the click's switch interval (alone, always first, has it); gil also at the sweep's.
    let main = runs.first().map_or(0.0, |run| run.switch_ms);
    let alone = runs.iter().find(|run| run.regime == Regime::Alone).map(|run| run.latency_ms.median);
    let figures = |run: &ConvoySummary| {
        let latency = run.latency_ms.median;
        RegimeFigures {
            added_ms: alone.filter(|_| run.regime != Regime::Alone).map(|alone| to_micros(latency - alone)),
            repeats_ms: Range::of(&run.medians).unwrap_or(Range { median: latency, min: latency, max: latency }),
            run: run.clone(),
        }
    };
    let regimes: Vec<RegimeFigures> = runs.iter().filter(|run| run.switch_ms == main).map(figures).collect();
    let mut sweep: Vec<RegimeFigures> = runs.iter().filter(|run| run.regime == Regime::Gil).map(figures).collect();
    sweep.sort_by(|a, b| a.run.switch_ms.total_cmp(&b.run.switch_ms));
    if sweep.len() < 2 {
        sweep.clear();
    }
    let words = words(&regimes, &sweep);
    Regimes { regimes, sweep, words }
}

/// The click's findings in words, from its own figures.
fn words(regimes: &[RegimeFigures], sweep: &[RegimeFigures]) -> Vec<String> {
    let of = |regime| regimes.iter().find(|f| f.run.regime == regime && f.run.correct);
    // The other regimes' medians, after the sentence's main clause.
    let rest = |others: Vec<String>| if others.is_empty() { String::new() } else { format!("; {}", others.join(", ")) };
    let median = |f: &RegimeFigures| ms(f.run.latency_ms.median);
    let mut words = Vec::new();
    let Some(alone) = of(Regime::Alone) else {
        return vec!["Alone did not run (or failed): there is nothing to compare the others' latency with.".into()];
    };
    if let Some(gil) = of(Regime::Gil) {
        let switch_ms = gil.run.switch_ms;
        let wait = gil.run.gil_wait_ms;
        let intervals = wait / switch_ms;
        let how = if gil.run.in_turns {
            "its answers waited for the turn of the CPU jobs computing on the same worker".to_string()
        } else if intervals >= 0.5 {
            format!(
                "it waited {} for the GIL, about {intervals:.1} switch intervals ({switch_ms} ms): after sending each \
                 request and after its answer, the IO thread waited for the GIL{}",
                ms(wait),
                hand_overs(&gil.run)
            )
        } else {
            format!("it waited {} for the GIL, less than half a switch interval ({switch_ms} ms)", ms(wait))
        };
        let others = [(Regime::Threads, "with free threads"), (Regime::Processes, "with processes")]
            .iter()
            .filter_map(|(regime, with)| of(*regime).map(|f| format!("{with} {}", median(f))))
            .collect();
        words.push(format!(
            "With the GIL, each request took {} instead of {} alone: {how}{}.",
            median(gil),
            median(alone),
            rest(others)
        ));
        // The repeats' medians of the two overlap: the difference is inside the noise this machine made.
        if compare(&gil.repeats_ms, &alone.repeats_ms) != Order::Slower {
            words.push(format!(
                "That is inside the noise: the repeats' medians ranged {}–{} with the GIL and {}–{} alone. \
                 Inconclusive: run again on a quieter machine, or with more repeats.",
                ms(gil.repeats_ms.min),
                ms(gil.repeats_ms.max),
                ms(alone.repeats_ms.min),
                ms(alone.repeats_ms.max)
            ));
        }
        // The rest of what it added is the request's own flight, longer beside busy threads: not the GIL's doing.
        let flight = gil.run.in_flight_ms - alone.run.in_flight_ms;
        if alone.run.in_flight_ms > 0.0 && flight >= 0.5 && flight > alone.run.in_flight_ms * TIE_MARGIN {
            words.push(format!(
                "Its flight took {} longer than alone ({} against {}): this browser's and this machine's cost \
                 beside busy threads, not the GIL's.",
                ms(flight),
                ms(gil.run.in_flight_ms),
                ms(alone.run.in_flight_ms)
            ));
        }
    } else {
        let others = regimes
            .iter()
            .filter(|f| f.run.regime != Regime::Alone && f.run.correct)
            .map(|f| format!("{} {}", f.run.regime.label(), median(f)))
            .collect();
        words.push(format!("Alone, each request took {}{}.", median(alone), rest(others)));
    }
    // No GIL makes the IO thread wait beside free threads or processes, yet they may still add time (the CPU work
    // shares the cores with it): each is said from its own figures, by the rule of every verdict (`compare`).
    for (regime, with, cpu) in
        [(Regime::Threads, "free threads", "CPU threads"), (Regime::Processes, "processes", "CPU processes")]
    {
        if let Some(f) = of(regime) {
            words.push(without_the_gil(alone, f, with, cpu));
        }
    }
    if let (Some(first), Some(last)) = (sweep.first(), sweep.last()) {
        let cpu = |f: &RegimeFigures| f.run.cpu.as_ref().map_or(0.0, |c| c.per_second);
        // The theory: a shorter interval shortens the wait and costs the CPU threads hand-overs. Said only where the
        // figures show it; otherwise they are given as they are.
        let shorter_wait = compare(&first.repeats_ms, &last.repeats_ms) == Order::Faster;
        let lead = if shorter_wait && cpu(first) < cpu(last) {
            "The switch interval trades one for the other"
        } else {
            "Here the switch interval traded nothing: the figures do not show the theory's trade"
        };
        words.push(format!(
            "{lead}: at {} ms a request took {} and the CPU threads finished {:.0} fib(n) a second; at {} ms, {} and \
             {:.0} a second.",
            first.run.switch_ms,
            median(first),
            cpu(first),
            last.run.switch_ms,
            median(last),
            cpu(last)
        ));
    }
    words
}

/// What the IO thread's hand-overs took once it had asked for the GIL, beyond its switch interval, if it asked:
/// "; each hand-over it asked for took 0.05 ms more (the timer 0.02, the holder noticing 0.01, the wake 0.01, the
/// taking 0.01)".
fn hand_overs(run: &ConvoySummary) -> String {
    let Some(h) = &run.hand_over else { return String::new() };
    let whole = h.timer_ms + h.notice_ms + h.wake_ms + h.take_ms;
    format!(
        "; each hand-over it asked for took {} beyond its interval (its timer {}, the holder noticing {}, the wake {}, \
         the taking {})",
        ms(whole),
        ms(h.timer_ms),
        ms(h.notice_ms),
        ms(h.wake_ms),
        ms(h.take_ms)
    )
}

/// What a regime without the GIL (`f`: free threads or processes, named `with`, its CPU work `cpu`) did to each
/// request against `alone`: chosen from the repeats' medians as a verdict is (`compare`: apart ranges past
/// `TIE_MARGIN`), so that it says time was added exactly when its figures show it, and how much.
fn without_the_gil(alone: &RegimeFigures, f: &RegimeFigures, with: &str, cpu: &str) -> String {
    let (theirs, base) = (f.run.latency_ms.median, alone.run.latency_ms.median);
    let took = format!("With {with}, each request took {} against {} alone", ms(theirs), ms(base));
    match compare(&f.repeats_ms, &alone.repeats_ms) {
        Order::Slower => format!(
            "{took}: {} more, though no GIL made it wait; the {cpu} shared the cores with it.",
            ms(theirs - base)
        ),
        Order::Tie => format!("{took}, the same within the noise: {with} did not make it wait."),
        Order::Faster => format!("{took}: {} less, so {with} did not make it wait.", ms(base - theirs)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::check_run;
    use crate::result::{Cpu, HandOver};
    use serde_json::json;

    fn options(mode: &str) -> Options {
        let given = json!({ "mode": mode, "n": 22, "workers": 2, "requests": 12, "delayMs": 2, "switchMs": 5 });
        Options { convoy: true, ..check_run(&given).unwrap() }
    }

    #[test]
    fn latencies_read_as_the_table_writes_them() {
        let written = [7.125, 7.375, 8.905, 13.685, 0.5, 9.996, 123.5].map(ms);
        assert_eq!(written, ["7.13 ms", "7.38 ms", "8.91 ms", "13.7 ms", "0.50 ms", "10.00 ms", "124 ms"]);
    }

    fn summary(regime: Regime, switch_ms: f64, medians: &[f64], cpu: Option<f64>) -> ConvoySummary {
        let median = medians[medians.len() / 2];
        ConvoySummary {
            regime,
            switch_ms,
            in_turns: false,
            latency_ms: Latency { median, p95: median + 1.0, max: median + 2.0 },
            // Under the GIL a request waits for it, and flies 0.6 ms longer than alone's 1.2.
            gil_wait_ms: if regime == Regime::Gil { median - 1.8 } else { 0.0 },
            per_second: 1000.0 / median,
            cpu: cpu.map(|per_second| Cpu { wall_ms: 100.0, rounds: 100, per_second, correct: true }),
            medians: medians.to_vec(),
            hand_over: (regime == Regime::Gil).then_some(HandOver {
                count: 20,
                timer_ms: 0.02,
                notice_ms: 0.01,
                wake_ms: 0.03,
                take_ms: 0.01,
            }),
            in_flight_ms: if regime == Regime::Gil { 1.8 } else { median },
            correct: true,
        }
    }

    #[test]
    fn a_click_reads_as_the_convoy_with_its_sweep_in_words_from_its_own_figures() {
        let runs = [
            summary(Regime::Alone, 5.0, &[1.1, 1.2, 1.3], None),
            summary(Regime::Gil, 5.0, &[6.2, 6.3, 6.5], Some(900.0)),
            summary(Regime::Threads, 5.0, &[1.2, 1.3, 1.4], Some(1800.0)),
            summary(Regime::Processes, 5.0, &[1.1, 1.2, 1.2], Some(1700.0)),
            summary(Regime::Gil, 1.0, &[2.1, 2.2, 2.3], Some(700.0)),
            summary(Regime::Gil, 20.0, &[20.0, 21.0, 22.0], Some(950.0)),
        ];
        let convoy = read(&runs);
        let regimes: Vec<(Regime, Option<f64>)> = convoy.regimes.iter().map(|f| (f.run.regime, f.added_ms)).collect();
        assert_eq!(
            regimes,
            [
                (Regime::Alone, None),
                (Regime::Gil, Some(5.1)),
                (Regime::Threads, Some(0.1)),
                (Regime::Processes, Some(0.0))
            ]
        );
        assert_eq!(convoy.sweep.iter().map(|f| f.run.switch_ms).collect::<Vec<_>>(), [1.0, 5.0, 20.0]);
        assert_eq!(
            convoy.words,
            [
                "With the GIL, each request took 6.30 ms instead of 1.20 ms alone: it waited 4.50 ms for the GIL, \
                 about 0.9 switch intervals (5 ms): after sending each request and after its answer, the IO thread \
                 waited for the GIL; each hand-over it asked for took 0.07 ms beyond its interval (its timer 0.02 ms, \
                 the holder noticing 0.01 ms, the wake 0.03 ms, the taking 0.01 ms); with free threads 1.30 ms, with \
                 processes 1.20 ms.",
                "Its flight took 0.60 ms longer than alone (1.80 ms against 1.20 ms): this browser's and this \
                 machine's cost beside busy threads, not the GIL's.",
                "With free threads, each request took 1.30 ms against 1.20 ms alone, the same within the noise: free \
                 threads did not make it wait.",
                "With processes, each request took 1.20 ms against 1.20 ms alone, the same within the noise: \
                 processes did not make it wait.",
                "The switch interval trades one for the other: at 1 ms a request took 2.20 ms and the CPU threads \
                 finished 700 fib(n) a second; at 20 ms, 21.0 ms and 950 a second."
            ]
        );
        // The answer card's short form: each regime's request against alone's.
        assert_eq!(
            answer(&convoy),
            [
                "Alone, a request took 1.20 ms.",
                "Threads under the GIL: 6.30 ms a request, 5.25× alone's: 4.50 ms of it waiting for the GIL.",
                "Free threads: 1.30 ms a request, 1.08× alone's.",
                "Processes: 1.20 ms a request, 1.00× alone's."
            ]
        );
        // Overlapping repeats are inside the noise: the words say so.
        let noisy = read(&[runs[0].clone(), summary(Regime::Gil, 5.0, &[1.0, 1.25, 9.0], Some(900.0))]);
        assert!(noisy.words[1].starts_with("That is inside the noise: the repeats' medians ranged 1.00 ms–9.00 ms"));
        assert!(noisy.sweep.is_empty(), "one interval is no sweep");
        let alone = read(&runs[..1]);
        assert_eq!(alone.words, ["Alone, each request took 1.20 ms."]);
        // A shorter interval that did not shorten the wait is not said to trade anything.
        let mut slower = runs.to_vec();
        slower[4] = summary(Regime::Gil, 1.0, &[30.0, 31.0, 32.0], Some(700.0));
        let words = read(&slower).words;
        assert!(words.last().unwrap().starts_with("Here the switch interval traded nothing"), "{words:?}");
    }

    /// The sentences of free threads and processes, in a click of alone and those two (no GIL, no sweep).
    fn without_the_gil(alone: &[f64], threads: &[f64], processes: &[f64]) -> Vec<String> {
        let runs = [
            summary(Regime::Alone, 5.0, alone, None),
            summary(Regime::Threads, 5.0, threads, Some(1800.0)),
            summary(Regime::Processes, 5.0, processes, Some(1700.0)),
        ];
        read(&runs).words.split_off(1)
    }

    #[test]
    fn free_threads_that_doubled_a_request_say_the_time_they_added() {
        // A click: free threads took 11.2 ms a request against 5.63 ms alone, the repeats' ranges far apart.
        let words = without_the_gil(&[5.52, 5.63, 5.71], &[10.9, 11.2, 11.6], &[5.58, 5.7, 5.84]);
        assert_eq!(
            words,
            [
                "With free threads, each request took 11.2 ms against 5.63 ms alone: 5.57 ms more, though no GIL made \
                 it wait; the CPU threads shared the cores with it.",
                "With processes, each request took 5.70 ms against 5.63 ms alone, the same within the noise: \
                 processes did not make it wait."
            ]
        );
        assert!(!words[0].contains("not make it wait"));
        // Processes that added time beyond the noise say it as well.
        let words = without_the_gil(&[5.52, 5.63, 5.71], &[5.6, 5.66, 5.8], &[7.9, 8.1, 8.4]);
        assert_eq!(
            words,
            [
                "With free threads, each request took 5.66 ms against 5.63 ms alone, the same within the noise: free \
                 threads did not make it wait.",
                "With processes, each request took 8.10 ms against 5.63 ms alone: 2.47 ms more, though no GIL made it \
                 wait; the CPU processes shared the cores with it."
            ]
        );
    }

    #[test]
    fn free_threads_within_the_noise_of_alone_did_not_make_it_wait() {
        // Overlapping ranges are a tie, however far apart the medians.
        let words = without_the_gil(&[5.0, 5.63, 7.0], &[5.4, 6.5, 8.0], &[4.9, 5.6, 6.0]);
        assert!(words[0].ends_with("the same within the noise: free threads did not make it wait."), "{words:?}");
        assert!(words[1].ends_with("the same within the noise: processes did not make it wait."), "{words:?}");
        // One repeat each: medians within TIE_MARGIN (3%) of each other tie, past it they do not.
        let words = without_the_gil(&[5.63], &[5.75], &[5.9]);
        assert_eq!(
            words[0],
            "With free threads, each request took 5.75 ms against 5.63 ms alone, the same within the noise: free \
             threads did not make it wait."
        );
        assert_eq!(
            words[1],
            "With processes, each request took 5.90 ms against 5.63 ms alone: 0.27 ms more, though no GIL made it \
             wait; the CPU processes shared the cores with it."
        );
        // Faster than alone beyond the noise: less time, and no wait.
        let words = without_the_gil(&[5.5, 5.63, 5.7], &[4.8, 4.9, 5.0], &[5.6, 5.63, 5.7]);
        assert_eq!(
            words[0],
            "With free threads, each request took 4.90 ms against 5.63 ms alone: 0.73 ms less, so free threads did \
             not make it wait."
        );
    }

    #[test]
    fn the_estimate_counts_every_request_of_every_repeat() {
        let alone = Options { repeats: 3, requests: 20, delay_ms: 2, ..options("io-sequential") };
        let gil = Options { switch_ms: 5.0, ..alone.clone() };
        let gil = Options { mode: Mode::Gil, ..gil };
        assert_eq!(estimate_ms(std::slice::from_ref(&alone)), 4.0 * (20.0 * 7.0 + 150.0));
        assert_eq!(estimate_ms(&[alone, gil]), 4.0 * (20.0 * 7.0 + 150.0) + 4.0 * (20.0 * 17.0 + 150.0));
    }
}
