//! The share links' tests: written, read back, refused.

use super::*;
use crate::result::Request;
use crate::result::{Span, SpanKind};
use crate::work::Task;
use serde_json::json;

const BASE: &str = "https://threadlab.test/api/users/";

fn settings() -> Map<String, Value> {
    let form = json!({ "modes": "single,gil,io-concurrent", "n": "20", "workers": "2", "repeats": "3",
        "switchMs": "5", "requests": "2", "delayMs": "100", "timeoutMs": "10000", "url": "", "endpoint": "auto" });
    form.as_object().unwrap().clone()
}

fn repeated(mut run: Run, samples: [f64; 3]) -> Run {
    run.repeats = Some(Repeats {
        count: 3,
        warmup_ms: 9.25,
        wall_ms: Range::of(&samples).unwrap(),
        spawn_ms: None,
        samples: samples.to_vec(),
    });
    run
}

/// A click of this machine: single, gil and io-concurrent, with times as a real clock gives them.
fn click() -> Vec<Run> {
    let compute = |index: u32, start: f64, end: f64| Job {
        index,
        lane: index,
        value: Some(6765),
        request: None,
        start,
        end,
        spans: vec![Span { kind: SpanKind::Compute, start, end }],
    };
    let single = Run::new(
        Mode::Single,
        &Task::fib(20),
        2,
        100.0,
        100.6,
        vec![compute(0, 100.0, 100.30000000000001), compute(1, 100.3, 100.6)],
    );
    let mut gil = Run::new(
        Mode::Gil,
        &Task::fib(20),
        2,
        200.0,
        200.7,
        vec![compute(0, 200.0, 200.7), compute(1, 200.05, 200.65)],
    );
    gil.gil = Some(GilSummary { switch_ms: 5.0, check_grain: 20, switches: 1, in_turns: false });
    let request = |index: u32, error: Option<&str>| {
        let answer =
            Request { url: String::new(), status: Some(200), bytes: 20, error: error.map(Into::into), served_by: None };
        crate::engines::io::job(index, 300.0, 400.125, answer)
    };
    let options = crate::inputs::check_form(&Value::Object(settings())).unwrap()[2].clone();
    let io =
        crate::engines::io::run(&options, BASE, 300.0, 400.2, vec![request(0, None), request(1, Some("HTTP 503"))]);
    vec![repeated(single, [0.6, 0.61, 0.59]), repeated(gil, [0.7, 0.71, 0.699]), repeated(io, [100.2, 101.0, 100.9])]
}

#[test]
fn a_link_shows_the_same_figures_work_and_machine() {
    let runs = click();
    let fragment = write(&settings(), &runs).unwrap();
    assert!(fragment.starts_with("share=1.") && fragment.is_ascii(), "{fragment}");
    let shared = read(&fragment, BASE).unwrap();
    assert!(settings().iter().all(|(key, value)| shared.settings.get(key) == Some(value)), "{:?}", shared.settings);
    assert_eq!(shared.runs.len(), 3);
    for (mine, theirs) in runs.iter().zip(&shared.runs) {
        assert_eq!(theirs.mode, mine.mode);
        assert_eq!(theirs.work, mine.work);
        assert_eq!(theirs.repeats, mine.repeats, "{}: every sample, to the last bit", mine.mode.info().label);
        assert_eq!(theirs.correct, mine.correct);
        assert_eq!(theirs.env, mine.env);
        assert_eq!(theirs.gil, mine.gil);
        // Each job's time to the microsecond, as the page shows it (the first job of single took 0.30000000000001).
        let took = |run: &Run| run.jobs.iter().map(|j| (to_micros(j.end - j.start), j.value)).collect::<Vec<_>>();
        assert_eq!(took(theirs), took(mine));
        let errors =
            |run: &Run| run.jobs.iter().map(|j| j.request.as_ref().and_then(|r| r.error.clone())).collect::<Vec<_>>();
        assert_eq!(errors(theirs), errors(mine));
    }
    assert_eq!(shared.runs[2].io.as_ref().map(|io| (io.ok, io.failed)), Some((1, 1)));

    assert!(!shared.runs[2].correct);
    let summaries = |runs: &[Run]| runs.iter().map(crate::result::Summary::from).collect::<Vec<_>>();
    let report = |runs: &[Run]| crate::experiments::Experiment::Article.report(&summaries(runs), 2);
    assert_eq!(report(&shared.runs), report(&runs), "the same speedups and verdicts");

    let mut wrong = click();
    wrong[0].jobs[1].value = Some(6764);
    wrong[0].correct = false;
    let shared = read(&write(&settings(), &wrong).unwrap(), BASE).unwrap();
    assert!(!shared.runs[0].correct);
    assert_eq!(
        shared.runs[0].jobs.iter().map(|j| j.value).collect::<Vec<_>>(),
        [Some(6765), Some(6764)],
        "a wrong value travels"
    );
}

fn encoded(link: &Value) -> String {
    format!("share=1.{}", BASE64.encode(link.to_string()))
}

fn written() -> Value {
    let fragment = write(&settings(), &click()).unwrap();
    serde_json::from_slice(&BASE64.decode(&fragment["share=1.".len()..]).unwrap()).unwrap()
}

#[test]
fn a_scaling_link_carries_each_run_at_its_k_as_format_2() {
    let settings: Map<String, Value> = serde_json::from_value(json!({
        "experiment": "scaling", "ks": "1,2", "modes": "single,threads", "n": "20", "repeats": "3"
    }))
    .unwrap();
    let runs: Vec<Run> = crate::inputs::check_form(&Value::Object(settings.clone()))
        .unwrap()
        .iter()
        .map(|o| {
            let run = if o.mode == Mode::Single {
                crate::engines::cpu::single(&o.task(), o.workers)
            } else {
                crate::engines::cpu::threads(&o.task(), o.workers)
            };
            repeated(run, [3.0, 1.0, 2.0])
        })
        .collect();
    assert_eq!(runs.iter().map(|r| (r.mode, r.workers)).collect::<Vec<_>>().len(), 4);
    let fragment = write(&settings, &runs).unwrap();
    assert!(fragment.starts_with("share=2."), "{fragment}");
    let shared = read(&fragment, "http://x/api/users/").unwrap();
    let seen: Vec<(Mode, u32)> = shared.runs.iter().map(|r| (r.mode, r.workers)).collect();
    assert_eq!(seen, [(Mode::Single, 1), (Mode::Threads, 1), (Mode::Single, 2), (Mode::Threads, 2)]);
    assert!(shared.runs.iter().all(|r| r.correct && r.jobs.len() == r.workers as usize));
}

#[test]
fn a_link_is_format_6_only_when_it_needs_the_work_kinds() {
    // The form writes every field: the work's at their defaults are left out, and an older format holds it.
    let mut defaults = settings();
    for (key, value) in [("work", "fib"), ("mib", "16"), ("payloadMb", "0"), ("payloads", "")] {
        defaults.insert(key.into(), json!(value));
    }
    let plain = write(&defaults, &click()).unwrap();
    assert!(plain.starts_with("share=1."), "{plain}");
    let written: Value = serde_json::from_slice(&BASE64.decode(&plain[8..]).unwrap()).unwrap();
    assert!(SINCE_6.iter().all(|key| written["settings"].get(key).is_none()), "{written}");
    // Read back with their defaults, and the other experiments' lists blank.
    let mut every = defaults.clone();
    for key in ["ks", "intervals"] {
        every.insert(key.into(), json!(""));
    }
    assert_eq!(read(&plain, BASE).unwrap().settings, every, "read back with their defaults");
    // sha256 asks for format 6, and reads back as sha256, each value checked against the digest.
    let mut sha = settings();
    sha.insert("work".into(), json!("sha256"));
    sha.insert("mib".into(), json!("1"));
    sha.insert("modes".into(), json!("single"));
    let task = Task { kind: WorkKind::Sha256, mib: 1, ..Task::fib(20) };
    let runs = vec![repeated(crate::engines::cpu::single(&task, 2), [10.0, 11.0, 12.0])];
    let link = write(&sha, &runs).unwrap();
    assert!(link.starts_with("share=6."), "{link}");
    let shared = read(&link, BASE).unwrap();
    assert_eq!(shared.runs[0].work, Work::Sha256 { mib: 1, jobs: 2, payload_mb: 0 });
    assert!(shared.runs[0].correct);
}

#[test]
fn a_damaged_or_foreign_link_gives_one_message() {
    let fragment = write(&settings(), &click()).unwrap();
    let why = |fragment: &str| {
        let message = read(fragment, BASE).unwrap_err();
        assert!(
            message.starts_with("Cannot read this link's results: ")
                && message.ends_with("Everything else works as usual."),
            "{message}"
        );
        message["Cannot read this link's results: ".len()..].split(". Everything").next().unwrap().to_string()
    };
    assert_eq!(why(&fragment[..fragment.len() - 40]), "it is incomplete or was altered (copy the whole link)");
    assert_eq!(
        why(&fragment.replacen("share=1.", "share=7.", 1)),
        "a newer threadlab made it (format 7; this page reads format 6)"
    );
    assert_eq!(why(&fragment.replacen("share=1.", "share=x.", 1)), "its format (x) is not one this page reads");
    assert_eq!(why("share=1.<img src=x onerror=alert(1)>"), "it is incomplete or was altered (copy the whole link)");
    assert_eq!(
        why(&format!("share=1.{}", "A".repeat(70_000))),
        "it is 70008 characters long, more than any share link"
    );

    let mut link = written();
    link["settings"]["n"] = json!("<img src=x onerror=window.__pwned=1>");
    assert!(why(&encoded(&link)).starts_with("its settings break a rule: n must be a whole number"));
    let mut link = written();
    link["settings"]["experiment"] = json!("scaling");
    assert_eq!(
        why(&encoded(&link)),
        "its settings break a rule: modes: the scaling experiment does not run io-concurrent (it runs single, \
         threads, processes, interpreters, gil)",
        "a mode its experiment would not run"
    );
    let mut link = written();
    link["settings"]["colour"] = json!("red");
    assert_eq!(why(&encoded(&link)), "its settings have an unknown entry (colour)");
    let mut link = written();
    link["env"]["ua"] = json!("Chrome\u{202e}<b>");
    assert_eq!(why(&encoded(&link)), "its browser is not plain text");
    let mut link = written();
    link["runs"][0]["walls"][1] = json!(-1.0);
    assert_eq!(why(&encoded(&link)), "a time of single is not from 0 to an hour");
    let mut link = written();
    link["runs"][0]["jobs"] = json!([1.0]);
    assert_eq!(why(&encoded(&link)), "single has 1 jobs where its settings make 2");
    let mut link = written();
    link["runs"][0]["mode"] = json!("threads");
    assert_eq!(why(&encoded(&link)), "it has results for threads, which its settings do not run");
    let mut link = written();
    link["runs"][1]["mode"] = json!("single");
    link["runs"][1]["gil"] = Value::Null;
    assert_eq!(why(&encoded(&link)), "it has single twice");
    let mut link = written();
    link["runs"][2]["failed"][0][1] = json!("\u{7}bell");
    assert_eq!(why(&encoded(&link)), "an error of io-concurrent is not plain text");
    let mut link = written();
    link["runs"][2]["failed"][0][0] = json!(2);
    assert_eq!(why(&encoded(&link)), "the outcomes of io-concurrent do not match its work");
    let mut link = written();
    link["runs"][0]["failed"] = json!([[0, "timeout"]]);
    assert_eq!(why(&encoded(&link)), "the outcomes of single do not match its work");
    let mut link = written();
    link["runs"][0]["extra"] = json!(1);
    assert_eq!(why(&encoded(&link)), "it is incomplete or was altered (copy the whole link)");
    let mut link = written();
    link["runs"] = json!([]);
    assert_eq!(why(&encoded(&link)), "it holds no results");
}

#[test]
fn html_in_an_error_stays_text_for_the_page_to_show_as_text() {
    let mut link = written();
    link["runs"][2]["failed"][0][1] = json!("<img src=x onerror=window.__pwned=1>");
    let shared = read(&encoded(&link), BASE).unwrap();
    let error = shared.runs[2].jobs[1].request.as_ref().unwrap().error.as_deref();
    assert_eq!(error, Some("<img src=x onerror=window.__pwned=1>"), "plain ASCII: the page sets it as text");
}

#[test]
fn nothing_to_share_is_said_so() {
    assert_eq!(write(&settings(), &[]), Err("there are no results to share yet".into()));
}

#[test]
fn a_convoy_link_carries_each_regimes_figures_as_format_3() {
    let settings: Map<String, Value> = [
        ("experiment", "convoy"),
        ("modes", "gil,processes"),
        ("n", "15"),
        ("requests", "3"),
        ("repeats", "2"),
        ("intervals", "1"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), Value::from(v)))
    .collect();
    let get = |_: &str, _: u32| Request { url: "u".into(), status: Some(200), bytes: 2, error: None, served_by: None };
    let runs: Vec<Run> = inputs::check_form(&Value::Object(settings.clone()))
        .unwrap()
        .iter()
        .map(|options| {
            let once = || match options.mode {
                Mode::Processes => {
                    let started = crate::clock::now_ms();
                    let mut jobs = crate::engines::convoy::io_thread(options, BASE, None, &get);
                    for worker in 1..=options.workers {
                        jobs.push(crate::engines::convoy::cpu_round(options, worker, started));
                    }
                    crate::engines::convoy::assemble(options, BASE, started, jobs)
                }
                _ => crate::engines::convoy::run(options, BASE, &get),
            };
            Run::from_repeats(&once(), vec![once(), once()]).unwrap()
        })
        .collect();
    assert_eq!(runs.len(), 4, "alone, gil, processes, gil at 1 ms");
    let fragment = write(&settings, &runs).unwrap();
    assert!(fragment.starts_with("share=3."), "{fragment}");
    let shared = read(&fragment, BASE).unwrap();
    for (mine, theirs) in runs.iter().zip(&shared.runs) {
        assert_eq!(theirs.convoy, mine.convoy, "{:?}", mine.mode);
        assert_eq!((theirs.correct, theirs.jobs.len()), (mine.correct, mine.jobs.len()));
        assert_eq!(theirs.repeats.as_ref().unwrap().samples, mine.repeats.as_ref().unwrap().samples);
    }
    // A link whose figures do not fit its settings is refused.
    let mut link: Value =
        serde_json::from_slice(&BASE64.decode(fragment.strip_prefix("share=3.").unwrap()).unwrap()).unwrap();
    link["runs"][1]["convoy"]["switchMs"] = json!(2.0);
    let message = read(&format!("share=3.{}", BASE64.encode(link.to_string())), BASE).unwrap_err();
    assert!(message.contains("it has results for gil, which its settings do not run"), "{message}");
    link["runs"][1]["convoy"]["switchMs"] = json!(5.0);
    link["runs"][1]["convoy"]["latencyMs"]["p95"] = json!(-1.0);
    let message = read(&format!("share=3.{}", BASE64.encode(link.to_string())), BASE).unwrap_err();
    assert!(message.contains("a latency of gil is not from 0 to an hour, in order"), "{message}");
}

#[test]
fn a_python_link_carries_the_program_and_cpythons_runs_as_format_4() {
    let code = "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n";
    let settings: Map<String, Value> =
        [("experiment", "python"), ("modes", "single,threads"), ("n", "12"), ("repeats", "2"), ("code", code)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), Value::from(v)))
            .collect();
    let plans = inputs::check_form(&Value::Object(settings.clone())).unwrap();
    let engines: Vec<(Engine, Mode)> = plans.iter().map(|o| (o.engine, o.mode)).collect();
    use Engine::{Python, Rust};
    assert_eq!(engines, [(Python, Mode::Single), (Python, Mode::Threads), (Rust, Mode::Single), (Rust, Mode::Threads)]);
    let python = |outcome: Option<&str>| PythonRun {
        version: "3.14.2".into(),
        start_ms: 3900.5,
        outcome: outcome.map(String::from),
    };
    let job = |index: u32| Job { index, lane: 0, value: Some(144), request: None, start: 1.0, end: 2.5, spans: vec![] };
    let once = |options: &Options| match (options.engine, options.mode) {
        (Python, Mode::Single) => {
            crate::engines::cpython::assemble(options, BASE, 0.5, vec![job(0), job(1)], python(None))
        }
        (Python, _) => crate::engines::cpython::assemble(
            options,
            BASE,
            0.5,
            vec![],
            python(Some("RuntimeError: can't start new thread")),
        ),
        _ => crate::engines::runs::cpu_run(options).unwrap(),
    };
    let runs: Vec<Run> = plans.iter().map(|o| Run::from_repeats(&once(o), vec![once(o), once(o)]).unwrap()).collect();
    let fragment = write(&settings, &runs).unwrap();
    assert!(fragment.starts_with("share=4."), "{fragment}");
    let shared = read(&fragment, BASE).unwrap();
    assert_eq!(shared.settings["code"], code, "the program, as it was");
    for (mine, theirs) in runs.iter().zip(&shared.runs) {
        assert_eq!((theirs.engine, &theirs.python, theirs.correct), (mine.engine, &mine.python, mine.correct));
    }
    let mut link: Value =
        serde_json::from_slice(&BASE64.decode(fragment.strip_prefix("share=4.").unwrap()).unwrap()).unwrap();
    link["runs"][1]["python"]["outcome"] = json!("<img src=x onerror=alert(1)>\u{7}");
    let message = read(&format!("share=4.{}", BASE64.encode(link.to_string())), BASE).unwrap_err();
    assert!(message.contains("the account of CPython's threads is not plain text and times"), "{message}");
    link["runs"][1]["python"] = Value::Null;
    let message = read(&format!("share=4.{}", BASE64.encode(link.to_string())), BASE).unwrap_err();
    assert!(message.contains("threads says it ran in CPython without an account of it"), "{message}");
}

/// A link as threadlab.py writes it: the visitor's Python, and every mode picked run there.
fn python_link() -> Value {
    let run = |mode: &str, jobs: Value| {
        json!({ "mode": mode, "walls": [40.5, 39.25], "warmup": 41.0, "engine": "python", "jobs": jobs,
                "python": { "version": "3.14.0", "startMs": 0 }, "correct": true })
    };
    let mut processes = run("processes", json!([19.5, 20.0]));
    processes["spawn"] = json!([6.5, 6.0, 7.0]);
    // On 3.14, an InterpreterPoolExecutor's interpreters, their start timed as a spawn.
    let mut interpreters = run("interpreters", json!([19.75, 20.5]));
    interpreters["spawn"] = json!([1.5, 1.25, 2.0]);
    let mut io = run("io-workers", json!([51.0, 52.5]));
    io["failed"] = json!([[1, "timed out"]]);
    json!({
        "settings": { "experiment": "python", "modes": "single,threads,processes,interpreters,io-workers",
                      "n": "20", "workers": "2", "repeats": "2", "requests": "2", "delayMs": "50" },
        "python": { "implementation": "CPython", "version": "3.14.0", "freeThreaded": true, "gilEnabled": false,
                    "switchMs": 5.0, "cores": 8, "os": "Linux", "startMethod": "forkserver",
                    "interpreters": true },
        "runs": [run("single", json!([20.0, 20.25])), run("threads", json!([20.5, 20.0])), processes, interpreters,
                 io],
    })
}

#[test]
fn a_link_of_the_visitors_python_reads_as_its_runs_in_format_5_and_round_trips() {
    let fragment = format!("share=5.{}", BASE64.encode(python_link().to_string()));
    let shared = read(&fragment, BASE).unwrap();
    let modes: Vec<(Mode, Engine)> = shared.runs.iter().map(|run| (run.mode, run.engine)).collect();
    use Mode::*;
    assert_eq!(
        modes,
        [
            (Single, Engine::Python),
            (Threads, Engine::Python),
            (Processes, Engine::Python),
            (Interpreters, Engine::Python),
            (IoWorkers, Engine::Python)
        ]
    );
    let env = &shared.runs[0].env;
    assert_eq!((env.hardware_concurrency, env.user_agent.as_str()), (8, "CPython 3.14.0 (Linux)"));
    assert!(env.python.as_ref().is_some_and(|python| python.free_threaded && !python.gil_enabled));
    assert_eq!(shared.runs[2].repeats.as_ref().unwrap().spawn_ms, Some(Range { median: 6.5, min: 6.0, max: 7.0 }));
    let start = Range { median: 1.5, min: 1.25, max: 2.0 };
    assert_eq!(shared.runs[3].repeats.as_ref().unwrap().spawn_ms, Some(start), "the interpreters' start");
    let io = &shared.runs[4];
    assert!(io.jobs[1].request.as_ref().unwrap().error.as_deref() == Some("timed out") && !io.correct);
    // The page shares it again as it came: the same runs from the same Python.
    let again = write(&shared.settings, &shared.runs).unwrap();
    assert!(again.starts_with("share=5."), "{again}");
    assert_eq!(read(&again, BASE).unwrap(), shared);
}

#[test]
fn a_link_of_the_visitors_python_is_refused_when_altered_or_older() {
    let refused = |link: &Value, version: u32| {
        read(&format!("share={version}.{}", BASE64.encode(link.to_string())), BASE).unwrap_err()
    };
    assert!(refused(&python_link(), 4).contains("incomplete or was altered"), "format 4 has no visitor's Python");
    let mut link = python_link();
    link["python"]["version"] = json!("3.13\u{7}");
    assert!(refused(&link, 5).contains("its account of the Python is not plain text"));
    let mut link = python_link();
    link["python"]["cores"] = json!(0);
    assert!(refused(&link, 5).contains("its core count (0) is not from 1 to 1024"));
    let mut link = python_link();
    link["settings"]["experiment"] = json!("article");
    assert!(refused(&link, 5).contains("are for the Python or the bend experiment"));
    let mut link = python_link();
    link["runs"][1]["walls"] = json!([1.0]);
    assert!(refused(&link, 5).contains("threads has 1 repeats where its settings ask for 2"));
    let mut link = python_link();
    link["env"] = json!({ "ua": "x", "cores": 2, "isolated": false, "build": "plain" });
    assert!(refused(&link, 5).contains("incomplete or was altered"), "a browser and a Python at once");
    let message = refused(&python_link(), 7);
    assert!(message.contains("a newer threadlab made it (format 7; this page reads format 6)"), "{message}");
}

#[test]
fn a_bend_link_of_the_visitors_python_reads_its_threads_where_the_page_has_gil() {
    let run = |mode: &str, work: &str, payload: u32, walls: [f64; 2]| {
        let value: u64 = if work == "fib" { 6765 } else { 276779277875193 };
        let job = walls[0] / 2.0;
        let warmup = walls[0];
        json!({ "mode": mode, "walls": walls, "warmup": warmup, "engine": "python", "jobs": [job, job],
                "values": [value, value], "python": { "version": "3.11.7", "startMs": 0 }, "correct": true,
                "work": work, "payload": payload })
    };
    let mut copied = run("processes", "fib", 8, [110.0, 112.0]);
    copied["copy"] = json!(45.0);
    let link = json!({
        "settings": { "experiment": "bend", "n": "20", "mib": "1", "workers": "2", "repeats": "2",
                      "switchMs": "5", "payloads": "0,8" },
        "python": { "implementation": "CPython", "version": "3.11.7", "freeThreaded": false, "gilEnabled": true,
                    "switchMs": 5.0, "cores": 2, "os": "Linux", "startMethod": "fork", "interpreters": false },
        "runs": [run("single", "fib", 0, [100.0, 101.0]), run("threads", "fib", 0, [102.0, 103.0]),
                 run("single", "sha256", 0, [50.0, 51.0]), run("threads", "sha256", 0, [27.0, 28.0]),
                 run("processes", "fib", 0, [60.0, 61.0]), run("single", "fib", 8, [100.0, 101.0]),
                 run("threads", "fib", 8, [102.0, 103.0]), copied],
    });
    let shared = read_as(&link, 6).unwrap();
    assert!(shared.runs.iter().all(|run| run.engine == Engine::Python && run.correct));
    let summaries: Vec<crate::result::Summary> = shared.runs.iter().map(Into::into).collect();
    let reading = crate::experiments::bend::read(&summaries);
    assert_eq!(reading.payloads, [], "the page ran nothing yet");
    let theirs = reading.python.as_ref().unwrap();
    assert_eq!(theirs.crossover_mb, Some(8));
    assert_eq!(
        reading.words,
        [
            "In your own Python, under the GIL, sha256 ran 1.85× faster on 2 threads than on one, as it lets go \
             of the lock while it hashes; fib did not: 0.98×.",
            "In your own Python, processes beat threads under the GIL without a payload; at 8 MiB they stopped \
             winning (0.93×), where copying took 41% of their time."
        ]
    );
    // A gil run is the page's: a link of someone's Python has none.
    let mut gil = link.clone();
    gil["runs"][1]["mode"] = json!("gil");
    assert!(read_as(&gil, 6).unwrap_err().contains("it has results for gil, which its settings do not run"));
}

#[test]
fn the_python_experiments_rust_runs_carry_their_calibrated_n_in_format_5() {
    let settings: Map<String, Value> = [("experiment", "python"), ("modes", "single"), ("n", "20"), ("repeats", "1")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), Value::from(v)))
        .collect();
    let plans = inputs::check_form(&Value::Object(settings.clone())).unwrap();
    let rust = Options { n: 27, ..plans[1].clone() };
    let run = crate::engines::runs::cpu_run(&rust).unwrap();
    let runs = vec![Run::from_repeats(&run, vec![run.clone()]).unwrap()];
    let fragment = write(&settings, &runs).unwrap();
    assert!(fragment.starts_with("share=5."), "{fragment}");
    let shared = read(&fragment, BASE).unwrap();
    assert_eq!((shared.runs[0].n, shared.runs[0].correct, &shared.runs[0].label), (Some(27), true, &runs[0].label));

    let mut link: Value =
        serde_json::from_slice(&BASE64.decode(fragment.strip_prefix("share=5.").unwrap()).unwrap()).unwrap();
    assert_eq!(link["runs"][0]["n"], 27);
    let refused = |link: &Value| read(&format!("share=5.{}", BASE64.encode(link.to_string())), BASE).unwrap_err();
    link["runs"][0]["n"] = json!(46);
    assert!(refused(&link).contains("single says it ran fib(46), which its settings do not run"));
    link["runs"][0]["n"] = json!(19);
    assert!(refused(&link).contains("single says it ran fib(19)"), "never below the settings' n");
    link["runs"][0]["n"] = json!(27);
    link["settings"]["experiment"] = json!("article");
    assert!(refused(&link).contains("single says it ran fib(27)"), "only the Python experiment's");
}

/// The page's own reading of a link's figures: the link, in format `version`, read or refused.
fn read_as(link: &Value, version: u32) -> Result<Shared, String> {
    read(&format!("share={version}.{}", BASE64.encode(link.to_string())), BASE)
}

#[test]
fn a_link_that_says_right_beside_a_wrong_value_is_shown_wrong_whatever_its_format() {
    // Format 1, as the page writes it (values only when one is wrong), altered to a wrong value said right.
    let mut link = written();
    link["runs"][0]["values"] = json!([6765, 6764]);
    assert_eq!(link["runs"][0]["correct"], true);
    let shared = read_as(&link, 1).unwrap();
    assert!(!shared.runs[0].correct, "the page checks each value against fib(20) itself");
    assert_eq!(shared.runs[0].jobs[1].value, Some(6764));

    // Format 5, as threadlab.py writes it now: every job's value, checked the same way.
    let mut link = python_link();
    link["runs"][0]["values"] = json!([6765, 6765]);
    link["runs"][1]["values"] = json!([6765, 1]);
    let shared = read_as(&link, 5).unwrap();
    let correct: Vec<bool> = shared.runs.iter().map(|run| run.correct).collect();
    assert_eq!(correct, [true, false, true, true, false], "single right; threads wrong; io-workers failed a request");
    assert_eq!(shared.runs[1].jobs.iter().map(|job| job.value).collect::<Vec<_>>(), [Some(6765), Some(1)]);
    // Its word can only make a run wrong: it speaks for the repeats whose jobs it does not carry.
    link["runs"][0]["correct"] = json!(false);
    assert!(!read_as(&link, 5).unwrap().runs[0].correct);
    link["runs"][0]["values"] = json!([6765]);
    assert!(read_as(&link, 5).unwrap_err().contains("the outcomes of single do not match its work"));
    // An older link of threadlab.py, without values (each then fib(n)), still reads.
    assert!(read_as(&python_link(), 5).unwrap().runs[0].correct);
}

#[test]
fn a_link_of_the_visitors_python_carries_each_requests_status() {
    let mut link = python_link();
    link["runs"][4]["statuses"] = json!([200, null]);
    link["runs"][4]["correct"] = json!(false);
    let shared = read_as(&link, 5).unwrap();
    let got = |shared: &Shared| -> Vec<(Option<u16>, Option<String>)> {
        let requests = shared.runs[4].jobs.iter().map(|job| job.request.as_ref().unwrap());
        requests.map(|request| (request.status, request.error.clone())).collect()
    };
    assert_eq!(got(&shared), [(Some(200), None), (None, Some("timed out".into()))]);
    let again = write(&shared.settings, &shared.runs).unwrap();
    assert_eq!(read(&again, BASE).unwrap(), shared, "shared again with its statuses");

    // A request said answered has a 2xx status; one that failed may have any.
    link["runs"][4]["statuses"] = json!([200, 503]);
    assert!(read_as(&link, 5).is_ok());
    let altered = [json!([503, null]), json!([null, null]), json!([200]), json!([200, null, 200])];
    for statuses in altered {
        link["runs"][4]["statuses"] = statuses.clone();
        let message = read_as(&link, 5).unwrap_err();
        assert!(message.contains("the outcomes of io-workers do not match its work"), "{statuses}: {message}");
    }
    // An older link, without statuses, reads as before; the page's own links do not carry them.
    assert_eq!(got(&read_as(&python_link(), 5).unwrap())[0], (None, None));
    assert!(written()["runs"][2].get("statuses").is_none());
}

#[test]
fn every_text_a_link_carries_has_one_rule_plain_and_not_empty() {
    // Each text beside the settings: where it is, in a link of which format, and what the page says of it.
    let texts: [(&str, u32, &str); 9] = [
        ("/env/ua", 1, "its browser is not plain text"),
        ("/runs/2/failed/0/1", 1, "an error of io-concurrent is not plain text"),
        ("/python/implementation", 5, "its account of the Python is not plain text"),
        ("/python/version", 5, "its account of the Python is not plain text"),
        ("/python/os", 5, "its account of the Python is not plain text"),
        ("/python/startMethod", 5, "its account of the Python is not plain text"),
        ("/runs/4/failed/0/1", 5, "an error of io-workers is not plain text"),
        ("/runs/0/python/version", 5, "the account of CPython's single is not plain text and times"),
        ("/runs/1/python/version", 5, "the account of CPython's threads is not plain text and times"),
    ];
    for (at, version, message) in texts {
        let with = |text: &str| {
            let mut link = if version == 1 { written() } else { python_link() };
            *link.pointer_mut(at).unwrap() = json!(text);
            read_as(&link, version)
        };
        // Markup is printable text, and stays text: the page sets it as text (an error of Python holds `<`).
        let shared = with("<b>x</b> & <i>");
        assert!(shared.is_ok(), "{at}: {shared:?}");
        // Before, an empty error or account of a CPython run was let through: "1 failed: " and nothing.
        for refused in ["", "x\u{7}", "x\u{202e}", "é"] {
            let why = with(refused).unwrap_err();
            assert!(why.contains(message), "{at} = {refused:?}: {why}");
        }
    }
    let mut link = python_link();
    link["python"]["os"] = json!("L".repeat(41));
    assert!(read_as(&link, 5).unwrap_err().contains("its account of the Python is not plain text"));
    let mut link = written();
    link["runs"][2]["failed"][0][1] = json!("e".repeat(513));
    assert!(read_as(&link, 1).unwrap_err().contains("an error of io-concurrent is not plain text"));
}
