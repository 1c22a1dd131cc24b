//! The wasm exports. Results cross to JavaScript as JSON text (serde), parsed once on the JS side.
//! Every function here runs in a worker, never on the page's main thread.

use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use crate::result::Run;
use crate::{clock, cpu, modes, options, trace};

// Linking wasm-bindgen-rayon is what exports its `initThreadPool` to JavaScript.
#[cfg(feature = "threads")]
use wasm_bindgen_rayon as _;

/// The modes and the fields, for the page to build its controls from.
#[wasm_bindgen]
pub fn describe() -> String {
    json!({ "modes": modes::MODES, "fields": options::FIELDS }).to_string()
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

/// Runs fib until the browser's optimising compiler has taken over, so that no timed job runs in baseline code
/// (a fresh instance starts in baseline code, about twice as slow, and on a busy machine the optimised code can
/// take a few hundred ms to arrive). Stops once short chunks of fib run clearly faster than the first one did,
/// or after 300 ms (when the code was optimised from the start, there is no speed-up to see).
#[wasm_bindgen]
pub fn warm_up() {
    use crate::fib::{fib, fib_with};
    let chunk = || {
        let start = clock::now_ms();
        fib(25);
        fib_with(25, &mut || ());
        clock::now_ms() - start
    };
    let first = chunk();
    let started = clock::now_ms();
    let mut fast_in_a_row = 0;
    while fast_in_a_row < 3 && clock::now_ms() - started < 300.0 {
        fast_in_a_row = if chunk() < first * 0.7 { fast_in_a_row + 1 } else { 0 };
    }
}

#[wasm_bindgen]
pub fn now_ms() -> f64 {
    clock::now_ms()
}

/// A run (its JSON) as Chrome trace-event JSON, for "Download trace".
#[wasm_bindgen]
pub fn chrome_trace(run_json: &str) -> Result<String, JsError> {
    let run: Run = serde_json::from_str(run_json)?;
    Ok(trace::chrome_trace(&run).to_string())
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

/// The pool's spawn span, when `initThreadPool` was called for this run (from `pool_start` to `pool_end`).
#[cfg(feature = "threads")]
fn pool_start(start: Option<f64>, end: Option<f64>) -> Option<crate::result::Span> {
    use crate::result::{Span, SpanKind};
    start.zip(end).map(|(start, end)| Span { kind: SpanKind::Spawn, start, end })
}

/// threads, on the pool started by `initThreadPool(k)`.
#[cfg(feature = "threads")]
#[wasm_bindgen]
pub fn run_threads(n: u32, k: u32, pool_start: Option<f64>, pool_end: Option<f64>) -> String {
    cpu::threads(n, k, self::pool_start(pool_start, pool_end)).to_json()
}

#[cfg(feature = "threads")]
#[wasm_bindgen]
pub fn run_gil(n: u32, k: u32, switch_ms: f64, pool_start: Option<f64>, pool_end: Option<f64>) -> String {
    cpu::gil(n, k, switch_ms, self::pool_start(pool_start, pool_end)).to_json()
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

/// io-workers: the share of worker `worker` (requests worker, worker + workers, ...), one after another, in a
/// fresh worker created at `created`. Returns its jobs as a JSON array.
#[cfg(feature = "io")]
#[wasm_bindgen]
pub async fn io_share(options_json: String, base: String, worker: u32, created: f64) -> Result<String, JsError> {
    use crate::io::{self, fetch};
    let options: options::Options = serde_json::from_str(&options_json)?;
    let ready = clock::now_ms();
    let share = (worker..options.requests).step_by(options.workers.max(1) as usize);
    let mut jobs = fetch::in_turn(&options, &base, share).await;
    if !jobs.is_empty() {
        let first = jobs.remove(0);
        jobs.insert(0, io::first_in_worker(first, created, ready));
    }
    Ok(serde_json::to_string(&jobs)?)
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
