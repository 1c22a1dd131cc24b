//! The wasm exports: one shape for every run. `check` turns what the page or the API was given into plans;
//! `run` runs one repeat of a mode whose jobs run in this worker, and `job` the job of a fresh worker, whose jobs
//! `assemble` puts into their run; each worker keeps the repeats it ran until `summary` gives them as one run.
//! Values cross to JavaScript as JSON text (serde), parsed once on the JS side. Every function here runs in a
//! worker, never on the page's main thread.

use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use crate::clock;
use crate::engines::runs::{self, Plan};
use crate::experiments::{Experiment, EXPERIMENTS};
use crate::inputs::{self, fields, FieldError};
use crate::modes::{Build, MODES};
use crate::result::Job;
use crate::spec::Options;

// Linking wasm-bindgen-rayon is what exports its `initThreadPool` to JavaScript.
#[cfg(feature = "threads")]
use wasm_bindgen_rayon as _;

/// Installs the panic hook when the module is instantiated (the hook is global: every thread of a memory has it).
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(report_panic));
}

/// The page this memory works for, so that a panic is reported to it and not to another tab of the same site.
static SESSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();

#[wasm_bindgen]
pub fn set_session(id: String) {
    let _ = SESSION.set(id);
}

/// Tells the page about a panic, before the trap that follows it: as `threadlabPanic` on this worker's global,
/// which the call that fails reads (www/workers/core.js, www/workers/process.js); and from a thread of the pool, which
/// has no call to fail (the run just waits for it forever), on the `threadlab:panic` channel to the page.
fn report_panic(info: &std::panic::PanicHookInfo) {
    let message = info.to_string().replace('\n', " ");
    let _ = js_sys::Reflect::set(&js_sys::global(), &"threadlabPanic".into(), &message.clone().into());
    if rayon::current_thread_index().is_none() {
        return;
    }
    if let Ok(channel) = web_sys::BroadcastChannel::new("threadlab:panic") {
        let report = json!({ "session": SESSION.get(), "message": message });
        let _ = channel.post_message(&report.to_string().into());
        channel.close();
    }
}

/// Makes the next job of this memory panic (the tests' way to prove that panics are reported; see `fault`).
#[wasm_bindgen]
pub fn panic_next_job() {
    crate::fault::panic_next_job();
}

/// The modes (with whether each can run where this build computes), the fields and the URL's parameters, for the
/// page to build its controls from.
#[wasm_bindgen]
pub fn describe() -> String {
    #[derive(serde::Serialize)]
    struct Mode {
        #[serde(flatten)]
        info: &'static crate::modes::ModeInfo,
        available: bool,
    }
    #[derive(serde::Serialize)]
    struct Experiment {
        #[serde(flatten)]
        info: &'static crate::experiments::ExperimentInfo,
        /// The modes it runs by default (the convoy: the modes of its regimes).
        modes: Vec<crate::modes::Mode>,
    }
    #[derive(serde::Serialize)]
    struct Description {
        build: Build,
        modes: Vec<Mode>,
        fields: &'static [&'static fields::Field],
        params: Vec<&'static str>,
        experiments: Vec<Experiment>,
        /// The convoy's regimes, each with the mode it runs as.
        regimes: &'static [(crate::spec::Regime, crate::modes::Mode, &'static str)],
    }
    let build = Build::current();
    let modes = MODES.iter().map(|info| Mode { info, available: info.available(build) }).collect();
    let experiments = EXPERIMENTS
        .iter()
        .map(|experiment| Experiment { info: experiment.info(), modes: experiment.default_modes() })
        .collect();
    let (fields, params, regimes) = (fields::FIELDS, fields::params(), crate::spec::REGIMES);
    let description = Description { build, modes, fields, params, experiments, regimes };
    serde_json::to_string(&description).expect("the description always serialises")
}

/// Checks what a door was given: the JS API's options for one run (`door` "api"), those of `window.threadlab.scaling`
/// ("scaling") or `window.threadlab.convoy` ("convoy"), or the page's form or URL ("text"): `{"experiment", "plans":
/// [...]}`, or `{"errors": [{"field", "message"}, ...]}`.
#[wasm_bindgen]
pub fn check(given_json: &str, door: &str) -> String {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "lowercase")]
    enum Checked {
        Errors(Vec<FieldError>),
        #[serde(untagged)]
        Plans {
            experiment: Experiment,
            plans: Vec<Plan>,
        },
    }
    let given = serde_json::from_str(given_json).unwrap_or(Value::Null);
    let one = |error| vec![error];
    let checked = match door {
        "api" => inputs::check_run(&given).map(|options| (Experiment::Article, vec![options])).map_err(one),
        "scaling" => inputs::check_scaling(&given).map(|runs| (Experiment::Scaling, runs)).map_err(one),
        "convoy" => inputs::check_convoy(&given).map(|runs| (Experiment::Convoy, runs)).map_err(one),
        "bend" => inputs::check_bend(&given).map(|runs| (Experiment::Bend, runs)).map_err(one),
        _ => inputs::check_form(&given).map(|runs| {
            let experiment = inputs::read::read_experiment(&given, inputs::Door::Text);
            (experiment.unwrap_or(Experiment::Article), runs)
        }),
    };
    let checked = match checked {
        Ok((experiment, runs)) => Checked::Plans { experiment, plans: runs.into_iter().map(Plan::of).collect() },
        Err(errors) => Checked::Errors(errors),
    };
    serde_json::to_string(&checked).expect("a check always serialises")
}

/// Runs fib until this instance's compiled code is optimised (see `fib::warm_up`), at most half a second.
#[wasm_bindgen]
pub fn warm_up() -> u32 {
    let chunk = || {
        let start = clock::now_ms();
        crate::fib::fib(28);
        clock::now_ms() - start
    };
    crate::fib::warm_up(chunk, 500.0)
}

fn options(json: &str) -> Result<Options, JsError> {
    Ok(serde_json::from_str(json)?)
}

/// One repeat of a mode whose jobs run in this worker (`options` as a plan has them), kept for `summary`; a
/// `warmup` starts the mode's repeats. `base` is the built-in endpoint's absolute URL, ending in `api/users/`.
#[cfg(feature = "io")]
#[wasm_bindgen]
pub async fn run(options: String, base: String, warmup: bool) -> Result<(), JsError> {
    let options = self::options(&options)?;
    let run = match options.mode.info().kind {
        _ if options.convoy => crate::engines::convoy::turns::run(&options, &base).await,
        crate::modes::Kind::Io => crate::engines::io::fetch::run(&options, &base).await,
        crate::modes::Kind::Cpu => runs::cpu_run(&options).map_err(|e| JsError::new(&e))?,
    };
    runs::keep(run, warmup);
    Ok(())
}

/// One repeat of a CPU mode, or of the convoy, whose jobs run in this worker (the threads build makes its requests
/// blocking, from the thread that makes them: see Cargo.toml and engines/convoy.rs).
#[cfg(not(feature = "io"))]
#[wasm_bindgen]
pub fn run(options: &str, base: &str, warmup: bool) -> Result<(), JsError> {
    let options = self::options(options)?;
    let run = match options.convoy {
        true => crate::engines::convoy::run(&options, base, &crate::engines::io::get_blocking),
        false => runs::cpu_run(&options).map_err(|e| JsError::new(&e))?,
    };
    runs::keep(run, warmup);
    Ok(())
}

/// The jobs of fresh worker `index`, created at `created` (common clock), as a JSON array: a process's CPU job, a
/// request, or for the convoy's processes the IO thread's requests (worker 0) or one more fib. `marks`: where its
/// start went (see `engines::cpu::spawn_spans`; the fourth, when its instance was ready), or none. `payload`: the
/// copy of the payload it was given (empty for none), now in this instance's memory.
#[cfg(feature = "io")]
#[wasm_bindgen]
pub async fn job(
    options: String,
    base: String,
    index: u32,
    created: f64,
    marks: Vec<f64>,
    payload: Vec<u8>,
) -> Result<String, JsError> {
    let options = self::options(&options)?;
    let jobs = match options.mode.info().kind {
        _ if options.convoy && index == 0 => crate::engines::convoy::turns::io_alone(&options, &base).await,
        _ if options.convoy => vec![crate::engines::convoy::cpu_round(&options, index, created)],
        crate::modes::Kind::Io => vec![crate::engines::io::fetch::job_in_worker(&options, &base, index, created).await],
        crate::modes::Kind::Cpu => vec![runs::cpu_job(&options, &payload, index, created, &marks)],
    };
    Ok(serde_json::to_string(&jobs)?)
}

/// The jobs of fresh worker `index` of a CPU mode or of the convoy, created at `created` (common clock), `marks` as
/// above.
#[cfg(not(feature = "io"))]
#[wasm_bindgen]
pub fn job(
    options: &str,
    base: &str,
    index: u32,
    created: f64,
    marks: &[f64],
    payload: &[u8],
) -> Result<String, JsError> {
    let options = self::options(options)?;
    let jobs = match (options.convoy, index) {
        (true, 0) => crate::engines::convoy::io_thread(&options, base, None, &crate::engines::io::get_blocking),
        (true, _) => vec![crate::engines::convoy::cpu_round(&options, index, created)],
        (false, _) => vec![runs::cpu_job(&options, payload, index, created, marks)],
    };
    Ok(serde_json::to_string(&jobs)?)
}

/// The run of fresh workers started at `started`, from the jobs they sent back (a JSON array of each worker's
/// array), kept like `run`'s; `python`: for a run in CPython, how it went (`result::PythonRun`), else null.
#[wasm_bindgen]
pub fn assemble(
    options: &str,
    base: &str,
    started: f64,
    jobs: &str,
    python: &str,
    warmup: bool,
) -> Result<(), JsError> {
    let jobs: Vec<Vec<Job>> = serde_json::from_str(jobs)?;
    // Runs in CPython are put together by the plain build (the io worker's): the first load stays without it.
    #[cfg(feature = "io")]
    let python = serde_json::from_str(python)?;
    #[cfg(not(feature = "io"))]
    let python =
        (python == "null").then_some(None).ok_or_else(|| JsError::new("runs in CPython go to the io worker"))?;
    runs::keep(runs::assemble(&self::options(options)?, base, started, jobs.concat(), python), warmup);
    Ok(())
}

/// The URLs of a run's requests (`options` as a plan has them, `base` the built-in endpoint's), as a JSON array:
/// for CPython's io modes, which make them from Python.
#[cfg(feature = "io")]
#[wasm_bindgen]
pub fn request_urls(options: &str, base: &str) -> Result<String, JsError> {
    let options = self::options(options)?;
    let urls: Vec<String> = (0..options.requests).map(|i| crate::engines::io::url(&options, base, i)).collect();
    Ok(serde_json::to_string(&urls)?)
}

/// The repeats this worker kept since the last warm-up, as one run: the median one, with every repeat's figures.
#[wasm_bindgen]
pub fn summary() -> Result<String, JsError> {
    Ok(runs::summary().map_err(|e| JsError::new(&e))?.to_json())
}

/// What one click of `experiment` measured, read (`summaries`: a JSON array of `result::Summary`, on a machine with
/// `cores`): see `Experiment::report`. Made by the plain build (the io worker's, loaded when needed): the threads
/// build, the first load wherever threads run, stays without it.
#[cfg(feature = "io")]
#[wasm_bindgen]
pub fn report(summaries: &str, experiment: &str, cores: u32) -> Result<String, JsError> {
    let experiment = Experiment::parse(experiment).ok_or_else(|| JsError::new("no such experiment"))?;
    let summaries: Vec<crate::result::Summary> = serde_json::from_str(summaries)?;
    Ok(experiment.report(&summaries, cores))
}

/// The median and range of `samples` (milliseconds), as every run's are taken (see `stats::Range`):
/// `{"median", "min", "max"}`, or null for none. The page's few medians of its own come from here (the plain
/// build's, as the reports).
#[cfg(feature = "io")]
#[wasm_bindgen]
pub fn range(samples: &[f64]) -> String {
    serde_json::to_string(&crate::stats::Range::of(samples)).expect("a range always serialises")
}

/// The n for the Python experiment's Rust runs: see `experiments::python::calibrated_n`.
#[cfg(feature = "io")]
#[wasm_bindgen]
pub fn calibrated_n(n: u32, cpython_ms: f64, rust_ms: f64) -> u32 {
    crate::experiments::python::calibrated_n(n, cpython_ms, rust_ms)
}

/// About how long the plans' runs (a JSON array of options) of `experiment` take from one job measured at `job_ms`
/// on `cores`, and a smaller n when that is long: `{"ms", "smallerN"}`, or null where it does not say. Made by the
/// plain build (the io worker's), as the reports: the first load stays without the estimates.
#[cfg(feature = "io")]
#[wasm_bindgen]
pub fn estimate(runs: &str, experiment: &str, job_ms: f64, cores: u32) -> Result<String, JsError> {
    let experiment = Experiment::parse(experiment).ok_or_else(|| JsError::new("no such experiment"))?;
    let runs: Vec<Options> = serde_json::from_str(runs)?;
    Ok(serde_json::to_string(&experiment.estimate(&runs, job_ms, cores))?)
}

/// A run (its JSON) as Chrome trace-event JSON, for "Download trace": made by the plain build, loaded when asked.
#[cfg(feature = "io")]
#[wasm_bindgen]
pub fn chrome_trace(run: &str) -> Result<String, JsError> {
    let run: crate::result::Run = serde_json::from_str(run)?;
    Ok(crate::trace::chrome_trace(&run).to_string())
}

/// A share link's fragment for one click: `{"settings": the form's values, "runs": [summarized runs]}`.
/// Share links are made and read by the plain build (the io worker's), which loads only when needed: the threads
/// build, the first load wherever threads run, stays without them.
#[cfg(feature = "io")]
#[wasm_bindgen]
pub fn share_link(click: &str) -> Result<String, JsError> {
    #[derive(serde::Deserialize)]
    struct Click {
        settings: serde_json::Map<String, Value>,
        runs: Vec<crate::result::Run>,
    }
    let click: Click = serde_json::from_str(click)?;
    crate::share::write(&click.settings, &click.runs).map_err(|e| JsError::new(&e))
}

/// Reads a share link's fragment (without `#`): `{"settings", "runs"}`, or `{"error"}` with one sentence.
#[cfg(feature = "io")]
#[wasm_bindgen]
pub fn read_share(fragment: &str, base: &str) -> String {
    // Straight to text: through a serde_json::Value, every result type would be compiled a second time.
    match crate::share::read(fragment, base) {
        Ok(shared) => serde_json::to_string(&shared).expect("a share always serialises"),
        Err(error) => json!({ "error": error }).to_string(),
    }
}
