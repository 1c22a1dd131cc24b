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
