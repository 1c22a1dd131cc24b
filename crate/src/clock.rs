//! The one clock every span is stamped with: milliseconds since the Unix epoch, as a float.
//!
//! In the browser that is `performance.timeOrigin + performance.now()`, which agrees across the page and all its
//! workers (each has its own `timeOrigin`), so spans from different workers line up on one timeline.

#[cfg(target_arch = "wasm32")]
pub fn now_ms() -> f64 {
    use wasm_bindgen::JsCast;
    // Every caller runs in a worker: no wasm runs on the page's main thread.
    let performance = js_sys::global().unchecked_into::<web_sys::WorkerGlobalScope>().performance();
    match performance {
        Some(p) => p.time_origin() + p.now(),
        None => js_sys::Date::now(),
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub fn now_ms() -> f64 {
    use std::sync::OnceLock;
    use std::time::{Instant, SystemTime, UNIX_EPOCH};
    // Anchor a monotonic clock to the epoch once, so native stamps never go backwards.
    static ANCHOR: OnceLock<(Instant, f64)> = OnceLock::new();
    let (start, epoch_ms) = ANCHOR.get_or_init(|| {
        let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        (Instant::now(), since_epoch.as_secs_f64() * 1000.0)
    });
    epoch_ms + start.elapsed().as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    #[test]
    fn never_goes_backwards() {
        let a = super::now_ms();
        let b = super::now_ms();
        assert!(a > 1.6e12, "epoch milliseconds, got {a}");
        assert!(b >= a);
    }
}
