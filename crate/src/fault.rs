//! Panics: how one becomes a message the page can show, and a way for the browser tests to cause one.
//!
//! A panic in wasm aborts (a trap): the call that was running throws, and a thread of the pool simply stops, which
//! leaves the run waiting for it forever. So the hook (`wasm::report_panic`) tells the page directly, and the page
//! fails that run with the panic's text and rebuilds the workers.

use std::sync::atomic::{AtomicBool, Ordering};

/// Set by the browser tests through `window.threadlab.test` (offered only in test builds); nothing else sets it.
static NEXT_JOB_PANICS: AtomicBool = AtomicBool::new(false);

/// Makes the next job of this memory (a fib job on any of its threads, or a request) panic.
pub fn panic_next_job() {
    NEXT_JOB_PANICS.store(true, Ordering::SeqCst);
}

/// Called at the start of every job.
pub fn job_starts(what: &str) {
    if NEXT_JOB_PANICS.swap(false, Ordering::SeqCst) {
        panic!("{what} was asked to panic, to test how a panic is reported");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_next_job_panics_once() {
        super::job_starts("a job");
        super::panic_next_job();
        let caught = std::panic::catch_unwind(|| super::job_starts("fib(20) on thread 1"));
        let message = caught.unwrap_err().downcast::<String>().unwrap();
        assert_eq!(*message, "fib(20) on thread 1 was asked to panic, to test how a panic is reported");
        super::job_starts("the job after it");
    }
}
