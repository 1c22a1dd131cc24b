//! Share links: a click's results in the URL's fragment, so that whoever opens the link sees the same figures and
//! can run the same experiment beside them. `#share=1.<base64url of JSON>`: versioned, and compact because it
//! carries figures, not timelines. Reading one is another input door: everything in it is checked, the settings
//! by the same rule as the URL's (`inputs::check_form`), and anything wrong gives one message.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as BASE64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::engines::{convoy, cpython, io};
use crate::env::{Env, Interpreter};
use crate::experiments::{plain_text, within_an_hour, Experiment};
use crate::fib::MAX_N;
use crate::inputs::{self, fields, Door};
use crate::modes::{Build, Engine, Kind, Mode};
use crate::result::{ConvoySummary, GilSummary, Job, PythonRun, Repeats, Request, Run, Work};
use crate::spec::Options;
use crate::stats::{to_micros, Range};
use crate::work::WorkKind;

/// The newest format this build writes and reads. A change to `Link` that an older page could misread bumps it. Format
/// 2 is format 1 with each run's k (`SharedRun::k`), which the scaling experiment needs; format 3 adds the convoy's
/// figures (`SharedRun::convoy`), format 4 the runs in CPython (`SharedRun::engine`, `python`), format 5 the runs of
/// the visitor's own Python (`Link::python`, made by threadlab.py), format 6 the work kinds and payloads (a run's
/// `work`, `payload` and `copy`, and settings that ask for sha256 or a payload). A link is written in the oldest format that holds
/// it, so that every page since that format reads it.
pub const VERSION: u32 = 6;
const PREFIX: &str = "share=";
/// Far above any real link (the article's experiment with 50 repeats makes about 7,000 characters; a Python program
/// of `fields::MAX_CODE` characters, escaped and in base64, up to about 22,000 more).
const MAX_CHARS: usize = 65_536;

/// What a link carries: the settings as the URL gives them (text), where the runs ran (a browser's `env`, or the
/// visitor's own `python`, format 5), and their figures.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct Link {
    settings: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    env: Option<SharedEnv>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    python: Option<Interpreter>,
    runs: Vec<SharedRun>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct SharedEnv {
    ua: String,
    cores: u32,
    isolated: bool,
    /// The build, as text: read back with a message of its own when it is not one (see `read_env`).
    build: String,
}

/// One mode's figures: every repeat's wall time, the warm-up's, spawn, and the median repeat's jobs.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct SharedRun {
    mode: Mode,
    walls: Vec<f64>,
    warmup: f64,
    /// Spawn's median, min and max.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    spawn: Option<[f64; 3]>,
    /// How long each job took, in the median repeat.
    jobs: Vec<f64>,
    /// The run's k where the experiment runs a mode at several (scaling; format 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    k: Option<u32>,
    /// The run's n where it is not the settings' (the Python experiment's Rust runs, at the n whose job takes as long
    /// as CPython's; format 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    n: Option<u32>,
    /// The run's work and payload where the experiment runs a mode at several (bend; format 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    work: Option<WorkKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    payload: Option<u32>,
    /// What copying the payload into each process took, on average (format 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    copy: Option<f64>,
    /// CPU jobs: each job's value. The page writes them only when one is wrong (without them, each is the expected
    /// one); threadlab.py always (format 5). The reader checks each against the task's value itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    values: Option<Vec<u64>>,
    /// io: the requests that failed, as [index, error] (every other one got its answer).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    failed: Vec<(u32, String)>,
    /// io, from the visitor's Python (threadlab.py, format 5): each request's HTTP status, null where no answer came.
    /// A request that did not fail has a 2xx one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    statuses: Option<Vec<Option<u16>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gil: Option<GilSummary>,
    /// The convoy's figures of the run (format 3): its jobs are then the requests, then the CPU threads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    convoy: Option<ConvoySummary>,
    /// A run in CPython (format 4), and how it went.
    #[serde(default, skip_serializing_if = "Engine::is_rust")]
    engine: Engine,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    python: Option<PythonRun>,
    correct: bool,
}

/// What a link shows: the settings (for the form and the address) and the runs, whole enough for the table, the
/// verdicts and the wall chart, with the sender's environment in each.
#[derive(Serialize, Debug, PartialEq)]
pub struct Shared {
    pub settings: Map<String, Value>,
    pub runs: Vec<Run>,
}

/// The settings format 6 added: a link leaves each out where it is the field's default, so that a page that reads
/// only an older format can read a link that does not need them.
const SINCE_6: [&str; 4] = ["work", "mib", "payloadMb", "payloads"];

/// The fragment (without `#`) for one click's runs, made with the form's `settings`.
pub fn write(settings: &Map<String, Value>, runs: &[Run]) -> Result<String, String> {
    let mut settings = settings.clone();
    settings.retain(|key, value| !SINCE_6.contains(&key.as_str()) || !is_default(key, value));
    let settings = &settings;
    // Scaling runs each mode at several k: each run says its own.
    let experiment = inputs::read::read_experiment(&Value::Object(settings.clone()), Door::Text);
    let several_k = experiment.as_ref().is_ok_and(|experiment| experiment.several_k());
    let several_works = experiment.is_ok_and(|experiment| experiment.several_works());
    let form_n = inputs::check_form(&Value::Object(settings.clone())).ok().and_then(|plans| Some(plans.first()?.n));
    let env = &runs.first().ok_or("there are no results to share yet")?.env;
    let link = Link {
        settings: settings.clone(),
        env: env.python.is_none().then(|| SharedEnv {
            ua: env.user_agent.clone(),
            cores: env.hardware_concurrency,
            isolated: env.cross_origin_isolated,
            build: env.build.name().into(),
        }),
        python: env.python.clone(),
        runs: runs.iter().map(|run| shared_run(run, several_k, several_works, form_n)).collect::<Result<_, _>>()?,
    };
    let asks_work = SINCE_6.iter().any(|key| settings.contains_key(*key));
    let version = if asks_work || link.runs.iter().any(|run| run.work.is_some() || run.copy.is_some()) {
        6
    } else if link.python.is_some() || link.runs.iter().any(|run| run.n.is_some()) {
        5
    } else if link.runs.iter().any(|run| !run.engine.is_rust()) {
        4
    } else if link.runs.iter().any(|run| run.convoy.is_some()) {
        3
    } else if link.runs.iter().any(|run| run.k.is_some()) {
        2
    } else {
        1
    };
    let json = serde_json::to_string(&link).map_err(|e| e.to_string())?;
    Ok(format!("{PREFIX}{version}.{}", BASE64.encode(json)))
}

fn shared_run(run: &Run, several_k: bool, several_works: bool, form_n: Option<u32>) -> Result<SharedRun, String> {
    let repeats = run.repeats.as_ref().ok_or("a run without its repeats cannot be shared")?;
    let io = run.io.is_some() && run.convoy.is_none();
    Ok(SharedRun {
        mode: run.mode,
        walls: repeats.samples.clone(),
        warmup: repeats.warmup_ms,
        spawn: repeats.spawn_ms.map(|r| [r.median, r.min, r.max]),
        jobs: run.jobs.iter().map(|job| to_micros(job.end - job.start)).collect(),
        values: (!io && run.jobs.iter().any(|job| job.request.is_none() && job.value != run.expected))
            .then(|| run.jobs.iter().filter(|job| job.request.is_none()).map(|job| job.value.unwrap_or(0)).collect()),
        failed: run.jobs.iter().filter_map(|job| Some((job.index, job.request.as_ref()?.error.clone()?))).collect(),
        // Only a run of the visitor's Python carries them (its link is format 5 anyway), and only when it had them.
        statuses: Some(run.jobs.iter().filter_map(|job| Some(job.request.as_ref()?.status)).collect::<Vec<_>>())
            .filter(|statuses| run.env.python.is_some() && statuses.iter().any(Option::is_some)),
        gil: run.gil.clone(),
        convoy: run.convoy.clone(),
        engine: run.engine,
        python: run.python.clone(),
        k: several_k.then_some(run.workers),
        work: several_works.then(|| work_of(&run.work)).flatten().map(|(work, _)| work),
        payload: several_works.then(|| work_of(&run.work)).flatten().map(|(_, payload)| payload),
        copy: run.copy_ms.map(to_micros),
        n: run.n.filter(|&n| form_n.is_some_and(|form| form != n)),
        correct: run.correct,
    })
}

/// Whether a setting is its field's default (or blank), as the form writes it.
fn is_default(key: &str, value: &Value) -> bool {
    let text = value.as_str().unwrap_or_default().trim();
    text.is_empty() || text == default_text(key)
}

/// A field's default as the form writes it ("16", "fib"; blank for a list).
fn default_text(key: &str) -> String {
    match fields::FIELDS.iter().find(|field| field.name == key).map(|field| &field.kind) {
        Some(fields::FieldKind::Number { default, .. }) => default.to_string(),
        Some(fields::FieldKind::Choice { default, .. }) => default.to_string(),
        _ => String::new(),
    }
}

/// A CPU run's work kind and payload.
fn work_of(work: &Work) -> Option<(WorkKind, u32)> {
    match *work {
        Work::Fib { payload_mb, .. } => Some((WorkKind::Fib, payload_mb)),
        Work::Sha256 { payload_mb, .. } => Some((WorkKind::Sha256, payload_mb)),
        _ => None,
    }
}

/// Reads a fragment (without `#`); `base` is this page's built-in endpoint, for the io runs' targets. The error
/// is one sentence for the visitor.
pub fn read(fragment: &str, base: &str) -> Result<Shared, String> {
    read_link(fragment, base)
        .map_err(|why| format!("Cannot read this link's results: {why}. Everything else works as usual."))
}

fn read_link(fragment: &str, base: &str) -> Result<Shared, String> {
    if fragment.len() > MAX_CHARS {
        return Err(format!("it is {} characters long, more than any share link", fragment.len()));
    }
    let rest = fragment.strip_prefix(PREFIX).ok_or("it does not start with share=")?;
    let (version, data) = rest.split_once('.').ok_or("it has no version")?;
    let version = match version.parse::<u32>() {
        Ok(known @ 1..=VERSION) => known,
        Ok(newer) if newer > VERSION => {
            return Err(format!("a newer threadlab made it (format {newer}; this page reads format {VERSION})"));
        }
        _ => return Err(format!("its format ({}) is not one this page reads", brief(version))),
    };
    let incomplete = "it is incomplete or was altered (copy the whole link)";
    let bytes = BASE64.decode(data).map_err(|_| incomplete)?;
    let text = String::from_utf8(bytes).map_err(|_| incomplete)?;
    let link: Link = serde_json::from_str(&text).map_err(|_| incomplete)?;

    let options = read_settings(&link.settings)?;
    let experiment = inputs::read::read_experiment(&Value::Object(link.settings.clone()), Door::Text).ok();
    let python_experiment = experiment == Some(Experiment::Python);
    let (env, options) = match (&link.env, &link.python) {
        (Some(env), None) => (read_env(env)?, options),
        (None, Some(python)) if version >= 5 => read_python(python, experiment, options)?,
        _ => return Err(incomplete.into()),
    };
    let mut seen = Vec::new();
    let runs = link
        .runs
        .into_iter()
        .map(|shared| {
            // A run is its mode at its k (scaling) or at its switch interval (the convoy's sweep).
            let switch = shared.convoy.as_ref().map(|c| c.switch_ms);
            let runs = |o: &&Options| {
                o.mode == shared.mode
                    && shared.k.is_none_or(|k| o.workers == k)
                    && switch.is_none_or(|ms| o.switch_ms == ms)
                    && o.convoy == switch.is_some()
                    && o.engine == shared.engine
                    && shared.work.is_none_or(|work| o.work == work)
                    && shared.payload.is_none_or(|payload| o.payload_mb == payload)
            };
            let options = options.iter().find(runs).ok_or_else(|| {
                format!("it has results for {}, which its settings do not run", shared.mode.info().label)
            })?;
            let key = (
                shared.mode,
                options.workers,
                options.switch_ms.to_bits(),
                shared.engine,
                options.work,
                options.payload_mb,
            );
            if seen.contains(&key) {
                return Err(format!("it has {} twice", shared.mode.info().label));
            }
            seen.push(key);
            let options = match shared.n {
                None => options.clone(),
                // Only the Python experiment's Rust runs, set above CPython's n (experiments::python::calibrated_n).
                Some(n) if python_experiment && options.engine.is_rust() && (options.n..=MAX_N).contains(&n) => {
                    Options { n, ..options.clone() }
                }
                Some(n) => {
                    return Err(format!(
                        "{} says it ran fib({n}), which its settings do not run",
                        shared.mode.info().label
                    ))
                }
            };
            into_run(shared, &options, &env, base)
        })
        .collect::<Result<Vec<_>, _>>()?;
    if runs.is_empty() {
        return Err("it holds no results".into());
    }
    // The form shows every field: those a link leaves out at their defaults come back as such (threadlab.py's bend
    // gives the experiment's own fields only), the modes as the experiment's. Without an experiment or a program, a
    // link is the article's and has none.
    let mut settings = link.settings;
    let shown = |name: &&str| fields::is_form_key(name) && !["experiment", "code"].contains(name);
    for name in fields::FIELDS.iter().map(|field| field.name).filter(shown) {
        let default = match (name, experiment) {
            ("modes", Some(experiment)) => {
                experiment.default_modes().iter().map(|m| m.info().label).collect::<Vec<_>>().join(",")
            }
            _ => default_text(name),
        };
        settings.entry(name).or_insert(Value::String(default));
    }
    Ok(Shared { settings, runs })
}

/// The settings are the form's values as text, checked exactly as the address's are.
fn read_settings(settings: &Map<String, Value>) -> Result<Vec<Options>, String> {
    if let Some(key) = settings.keys().find(|key| !fields::is_form_key(key)) {
        return Err(format!("its settings have an unknown entry ({})", brief(key)));
    }
    if settings.values().any(|value| !value.is_string()) {
        return Err("its settings are not all text".into());
    }
    inputs::check_form(&Value::Object(settings.clone()))
        .map_err(|errors| format!("its settings break a rule: {}", errors[0].message))
}

/// The cores a link says its machine has: from 1 to 1024.
fn read_cores(cores: u32) -> Result<(), String> {
    if !(1..=1024).contains(&cores) {
        return Err(format!("its core count ({cores}) is not from 1 to 1024"));
    }
    Ok(())
}

/// The most characters of a name a link carries: a Python's implementation, version, OS and start method.
const NAME: usize = 40;
/// The most characters of a sentence a link carries: a browser's user agent, a request's error (`plain_text`'s own).
const SENTENCE: usize = 512;

/// The one rule for every text a link carries beside its settings (which have the form's rules): plain text, not
/// empty, and at most `most` bytes. Plain text is printable ASCII (`plain_text`): no control or direction characters,
/// nothing that could pass for another text. Markup is printable, and stays text: the page sets every such text as
/// text, never as markup, and real errors hold `<` and `>` (Python's `<urlopen error ...>`).
fn plain(text: &str, most: usize) -> bool {
    !text.is_empty() && text.len() <= most && plain_text(text)
}

fn read_env(env: &SharedEnv) -> Result<Env, String> {
    if !plain(&env.ua, SENTENCE) {
        return Err("its browser is not plain text".into());
    }
    read_cores(env.cores)?;
    let Some(build) = Build::parse(&env.build) else {
        return Err(format!("its build ({}) is neither threads nor plain", brief(&env.build)));
    };
    Ok(Env {
        hardware_concurrency: env.cores,
        cross_origin_isolated: env.isolated,
        user_agent: env.ua.clone(),
        build,
        python: None,
    })
}

/// The visitor's own Python (format 5): every mode picked ran there, none here, and the runs are the Python
/// experiment's.
fn read_python(
    python: &Interpreter,
    experiment: Option<Experiment>,
    plans: Vec<Options>,
) -> Result<(Env, Vec<Options>), String> {
    if !matches!(experiment, Some(Experiment::Python | Experiment::Bend)) {
        return Err("its figures of a Python on someone's machine are for the Python or the bend experiment".into());
    }
    let texts = [&python.implementation, &python.version, &python.os, &python.start_method];
    if !texts.iter().all(|text| plain(text, NAME)) {
        return Err("its account of the Python is not plain text".into());
    }
    read_cores(python.cores)?;
    if !(python.switch_ms.is_finite() && (0.0..=1000.0).contains(&python.switch_ms)) {
        return Err("its switch interval is not from 0 to 1000 ms".into());
    }
    let env = Env {
        hardware_concurrency: python.cores,
        cross_origin_isolated: false,
        user_agent: format!("{} {} ({})", python.implementation, python.version, python.os),
        build: Build::Plain,
        python: Some(python.clone()),
    };
    // The experiment plans each mode in Rust (the Python experiment, those CPython runs too): here each mode ran in
    // Python. In the bend, its threads, which hold its GIL, stand where the page runs gil.
    let mut in_python: Vec<Options> = Vec::new();
    for plan in plans.into_iter().filter(|o| o.engine.is_rust()) {
        let bend_gil = experiment == Some(Experiment::Bend) && plan.mode == Mode::Gil;
        let mode = if bend_gil { Mode::Threads } else { plan.mode };
        let plan = Options { engine: Engine::Python, mode, ..plan };
        if !in_python.contains(&plan) {
            in_python.push(plan);
        }
    }
    Ok((env, in_python))
}

/// A run in CPython says how it went in plain text, its times in range (`name`: the run's, for the message).
fn read_python_run(python: &PythonRun, name: &str) -> Result<PythonRun, String> {
    let texts = [Some(&python.version), python.outcome.as_ref()];
    if !(texts.into_iter().flatten().all(|text| plain(text, 120)) && within_an_hour(python.start_ms)) {
        return Err(format!("the account of CPython's {name} is not plain text and times"));
    }
    Ok(python.clone())
}

/// A run as the table, the verdicts and the charts need it: jobs without spans, timed from 0.
fn into_run(shared: SharedRun, options: &Options, env: &Env, base: &str) -> Result<Run, String> {
    let name = shared.mode.info().label;
    let spawn = shared.spawn.map(|[median, min, max]| Range { median, min, max });
    let times = shared.walls.iter().chain([&shared.warmup]).chain(&shared.jobs).chain(shared.spawn.iter().flatten());
    let times = times.chain(&shared.copy);
    if !times.copied().all(within_an_hour) {
        return Err(format!("a time of {name} is not from 0 to an hour"));
    }
    if spawn.is_some_and(|r| !(r.min <= r.median && r.median <= r.max)) {
        return Err(format!("the spawn range of {name} is out of order"));
    }
    if shared.walls.len() != options.repeats as usize {
        return Err(format!(
            "{name} has {} repeats where its settings ask for {}",
            shared.walls.len(),
            options.repeats
        ));
    }
    if let Some(convoy) = &shared.convoy {
        convoy.check(options, shared.walls.len(), shared.correct, name)?;
    }
    let python = match (&shared.python, shared.engine) {
        (None, Engine::Rust) => None,
        (Some(python), Engine::Python) => Some(read_python_run(python, name)?),
        _ => return Err(format!("{name} says it ran in CPython without an account of it, or the other way round")),
    };
    let io = shared.mode.info().kind == Kind::Io && !options.convoy;
    let cpu_threads = options.cpu_threads() as usize;
    let count = match &python {
        // CPython's own error: no job was done.
        Some(PythonRun { outcome: Some(_), .. }) => 0,
        _ if options.convoy => options.requests as usize + cpu_threads,
        _ => options.jobs() as usize,
    };
    if shared.jobs.len() != count {
        return Err(format!("{name} has {} jobs where its settings make {count}", shared.jobs.len()));
    }
    // The requests first (every one answered but those that failed), then the fib jobs (each right but for a
    // wrong value): an io run has only requests, a CPU run only fib, the convoy both.
    let requests = if options.convoy {
        options.requests as usize
    } else if io {
        count
    } else {
        0
    };
    let computed = count - requests;
    let values = shared.values.clone().unwrap_or_else(|| vec![options.task().expected(); computed]);
    let statuses = shared.statuses.clone().unwrap_or_else(|| vec![None; requests]);
    let error = |i: usize| shared.failed.iter().find(|(failed, _)| *failed as usize == i).map(|(_, e)| e.clone());
    // Every request that did not fail got a 2xx answer, where the link says what each got.
    let answered = |i: usize| statuses[i].is_some_and(|status| (200..300).contains(&status));
    if values.len() != computed
        || !shared.failed.iter().all(|(i, _)| (*i as usize) < requests)
        || statuses.len() != requests
        || (shared.statuses.is_some() && (0..requests).any(|i| error(i).is_none() && !answered(i)))
    {
        return Err(format!("the outcomes of {name} do not match its work"));
    }
    if shared.failed.iter().any(|(_, error)| !plain(error, SENTENCE)) {
        return Err(format!("an error of {name} is not plain text"));
    }
    let request = |i: usize| Request {
        url: io::url(options, base, i as u32),
        status: statuses[i],
        bytes: 0,
        error: error(i),
        served_by: None,
    };
    let answers = shared.jobs[..requests].iter().enumerate().map(|(i, &ms)| job(i, None, Some(request(i)), ms));
    let fibs = values.iter().zip(&shared.jobs[requests..]).enumerate();
    let jobs: Vec<Job> =
        answers.chain(fibs.map(|(i, (&value, &ms))| job(requests + i, Some(value), None, ms))).collect();
    let gil = match (shared.mode, shared.gil) {
        (Mode::Gil, Some(gil)) => Some(GilSummary { switch_ms: options.switch_ms, ..gil }),
        (Mode::Gil, None) => return Err("gil has no account of its GIL".into()),
        (_, None) => None,
        (_, Some(_)) => return Err(format!("{name} has an account of a GIL")),
    };

    let wall_ms = Range::of(&shared.walls).ok_or("a run has no repeats")?;
    let mut run = if let Some(python) = python {
        cpython::assemble(options, base, 0.0, jobs, python)
    } else if let Some(convoy) = shared.convoy {
        convoy::shared(options, base, wall_ms.median, jobs, convoy)
    } else if io {
        io::run(options, base, 0.0, wall_ms.median, jobs)
    } else {
        Run::new(shared.mode, &options.task(), options.workers, 0.0, wall_ms.median, jobs)
    };
    // Whether the run did its work, the page decides from what the link carries: each value against fib(n) (Run::new,
    // the convoy's put_together), each request's outcome (io::run). The link's own word can only make it wrong (a link
    // that says right beside a wrong value is shown wrong): it also speaks for the repeats whose jobs it does not carry.
    run.correct = run.correct && shared.correct;
    run.gil = gil;
    run.spawn_ms = spawn.map(|r| r.median);
    run.copy_ms = shared.copy;
    run.env = env.clone();
    run.repeats = Some(Repeats {
        count: shared.walls.len() as u32,
        warmup_ms: shared.warmup,
        wall_ms,
        spawn_ms: spawn,
        samples: shared.walls,
    });
    Ok(run)
}

fn job(index: usize, value: Option<u64>, request: Option<Request>, ms: f64) -> Job {
    Job { index: index as u32, lane: index as u32, value, request, start: 0.0, end: ms, spans: Vec::new() }
}

fn brief(text: &str) -> String {
    let short: String = text.chars().take(20).filter(|c| !c.is_control()).collect();
    if short.len() < text.len() {
        format!("{short}…")
    } else {
        short
    }
}

#[cfg(test)]
mod tests;
