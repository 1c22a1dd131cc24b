//! The wasm exports. Results cross to JavaScript as JSON text (serde), parsed once on the JS side.
//! Every function here runs in a worker, never on the page's main thread.

use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use crate::result::Run;
use crate::{clock, cpu, modes, options, report, trace};

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
/// which the call that fails reads (workers/serve.js, workers/process.js); and from a thread of the pool, which
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

/// The modes, the fields and the URL's parameters, for the page to build its controls from.
#[wasm_bindgen]
pub fn describe() -> String {
    let params: Vec<&str> =
        options::FIELDS.iter().map(|f| f.param).chain(options::OTHER_PARAMS.iter().copied()).collect();
    json!({ "modes": modes::MODES, "fields": options::FIELDS, "params": params }).to_string()
}

/// Checks one run's options: `{"options": {...}}` or `{"error": {"field", "message"}}`.
#[wasm_bindgen]
pub fn check_run(options_json: &str) -> String {
    match options::check_run(&parse(options_json)) {
        Ok(options) => json!({ "options": options }),
        Err(error) => json!({ "error": error }),
    }
    .to_string()
}

/// Checks the page's form or URL: `{"runs": [...]}` or `{"errors": [...]}`.
#[wasm_bindgen]
pub fn check_form(form_json: &str) -> String {
    match options::check_form(&parse(form_json)) {
        Ok(runs) => json!({ "runs": runs }),
        Err(errors) => json!({ "errors": errors }),
    }
    .to_string()
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
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

/// The repeats of one mode (`{"warmup": run, "runs": [runs]}`) as one run: the median one, with every repeat's
/// figures.
#[wasm_bindgen]
pub fn summarize(repeats_json: &str) -> Result<String, JsError> {
    #[derive(serde::Deserialize)]
    struct Repeated {
        warmup: Run,
        runs: Vec<Run>,
    }
    let Repeated { warmup, runs } = serde_json::from_str(repeats_json)?;
    Ok(Run::from_repeats(&warmup, runs).ok_or_else(|| JsError::new("no runs to summarize"))?.to_json())
}

/// The speedups and the article's findings for the runs of one click (a JSON array of summarized runs).
#[wasm_bindgen]
pub fn report(runs_json: &str) -> Result<String, JsError> {
    let runs: Vec<Run> = serde_json::from_str(runs_json)?;
    Ok(serde_json::to_string(&report::report(&runs))?)
}

/// A run (its JSON) as Chrome trace-event JSON, for "Download trace".
#[wasm_bindgen]
pub fn chrome_trace(run_json: &str) -> Result<String, JsError> {
    let run: Run = serde_json::from_str(run_json)?;
    Ok(trace::chrome_trace(&run).to_string())
}

/// A share link's fragment for one click: `{"settings": the form's values, "runs": [summarized runs]}`.
/// Share links are made and read by the plain build (the io worker's), which loads only when needed: the threads
/// build, the first load wherever threads run, stays without them.
#[cfg(feature = "io")]
#[wasm_bindgen]
pub fn share_link(click_json: &str) -> Result<String, JsError> {
    #[derive(serde::Deserialize)]
    struct Click {
        settings: serde_json::Map<String, Value>,
        runs: Vec<Run>,
    }
    let click: Click = serde_json::from_str(click_json)?;
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

#[wasm_bindgen]
pub fn run_single(n: u32, k: u32) -> String {
    cpu::single(n, k).to_json()
}

/// The job of one process worker created at `created` (common clock).
#[wasm_bindgen]
pub fn process_job(n: u32, index: u32, created: f64) -> String {
    serde_json::to_string(&cpu::process_job(n, index, created)).expect("a job always serialises")
}

/// The processes run, from the jobs (JSON array) the process workers sent back.
#[wasm_bindgen]
pub fn assemble_processes(n: u32, k: u32, started: f64, jobs_json: &str) -> Result<String, JsError> {
    let jobs = serde_json::from_str(jobs_json)?;
    Ok(cpu::processes(n, k, started, jobs).to_json())
}

/// gil where workers cannot share memory: the k jobs take turns on this worker.
#[wasm_bindgen]
pub fn run_gil_in_turns(n: u32, k: u32, switch_ms: f64) -> String {
    cpu::gil_in_turns(n, k, switch_ms).to_json()
}

/// threads, on the pool started by `initThreadPool(k)`.
#[cfg(feature = "threads")]
#[wasm_bindgen]
pub fn run_threads(n: u32, k: u32) -> String {
    cpu::threads(n, k).to_json()
}

/// gil, on the pool started by `initThreadPool(k)`.
#[cfg(feature = "threads")]
#[wasm_bindgen]
pub fn run_gil(n: u32, k: u32, switch_ms: f64) -> String {
    cpu::gil(n, k, switch_ms).to_json()
}

/// io-sequential or io-concurrent, from this worker. `options_json` is a checked run (`check_run`) whose endpoint
/// the page has resolved; `base` is the built-in endpoint's absolute URL, ending in `api/users/`.
#[cfg(feature = "io")]
#[wasm_bindgen]
pub async fn run_io(options_json: String, base: String) -> Result<String, JsError> {
    use crate::io::{self, fetch};
    let options: options::Options = serde_json::from_str(&options_json)?;
    let started = clock::now_ms();
    let jobs = match options.mode {
        modes::Mode::IoConcurrent => fetch::at_once(&options, &base).await,
        _ => fetch::in_turn(&options, &base, 0..options.requests).await,
    };
    Ok(io::run(&options, &base, started, clock::now_ms(), jobs).to_json())
}

/// io-workers: request `index`, in a fresh worker created at `created` (one worker per request). Returns its job.
#[cfg(feature = "io")]
#[wasm_bindgen]
pub async fn io_request(options_json: String, base: String, index: u32, created: f64) -> Result<String, JsError> {
    use crate::io::{self, fetch};
    let options: options::Options = serde_json::from_str(&options_json)?;
    let ready = clock::now_ms();
    let job = fetch::timed(&options, &base, index).await;
    Ok(serde_json::to_string(&io::first_in_worker(job, created, ready))?)
}

/// The io-workers run, from the jobs (a JSON array) its workers sent back.
#[cfg(feature = "io")]
#[wasm_bindgen]
pub fn assemble_io(options_json: &str, base: &str, started: f64, jobs_json: &str) -> Result<String, JsError> {
    let options: options::Options = serde_json::from_str(options_json)?;
    let jobs: Vec<crate::result::Job> = serde_json::from_str(jobs_json)?;
    let ended = jobs.iter().map(|job| job.end).fold(started, f64::max);
    Ok(crate::io::run(&options, base, started, ended, jobs).to_json())
}
