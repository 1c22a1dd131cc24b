//! The workload: the naive recursive Fibonacci of the Python experiment, two calls per level, no memo.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};

/// Below this n a subtree of calls runs without interruption: fib(20) is ~22 000 calls, some 15 µs.
pub const GRAIN: u32 = 20;

/// The largest n a run computes: fib(45) takes seconds.
pub const MAX_N: u32 = 45;

/// How many times longer a naive fib(n + 1) takes than fib(n): about φ, the rate its calls grow at.
pub const GROWTH: f64 = 1.618_033_988_749_895;

/// A drop request nobody ever makes: what every mode but gil computes with.
static NEVER: AtomicBool = AtomicBool::new(false);

/// fib(n), the slow way, as every mode but gil computes it: `fib_with` with a drop request that never comes.
/// `black_box` keeps the compiler from evaluating it at compile time, or from specialising a copy of `fib_with`.
pub fn fib(n: u32) -> u64 {
    fib_with(black_box(n), black_box(&NEVER), &mut || ())
}

/// fib(n) by the same recursion, looking at `drop_request` before each subtree fib(m) with m ≤ GRAIN and calling
/// `let_go` when it is set: the check points where a thread under the GIL lets another have it (as CPython's eval
/// loop looks at its eval breaker every few instructions). Counting calls instead would slow every call.
///
/// Every mode runs this one compiled function on the same path (a flag load per subtree); only gil's flag is ever
/// set. Small differences in how the engine compiles two variants (a check called at every subtree, say) moved
/// fib(38) by 10–20% in V8, enough to make threads under a GIL look faster than one thread.
#[inline(never)]
pub fn fib_with(n: u32, drop_request: &AtomicBool, let_go: &mut dyn FnMut()) -> u64 {
    if n <= GRAIN {
        if drop_request.load(Ordering::Relaxed) {
            let_go();
        }
        naive(n)
    } else {
        fib_with(n - 1, drop_request, let_go) + fib_with(n - 2, drop_request, let_go)
    }
}

/// The subtrees fib_with computes without interruption, one at a time, in the same order: a job that can stop
/// after any of them and go on later, on the same thread. This is how one worker lets k jobs take turns (gil where
/// workers cannot share memory, see `cpu::gil_in_turns`).
pub struct Subtrees {
    pending: Vec<u32>,
    value: u64,
}

impl Subtrees {
    pub fn new(n: u32) -> Subtrees {
        Subtrees { pending: vec![n], value: 0 }
    }

    /// Computes the next subtree; false when none was left.
    pub fn step(&mut self) -> bool {
        while let Some(m) = self.pending.pop() {
            if m <= GRAIN {
                self.value += naive(m);
                return true;
            }
            self.pending.push(m - 2);
            self.pending.push(m - 1);
        }
        false
    }

    /// fib(n), once every subtree is computed.
    pub fn value(&self) -> u64 {
        self.value
    }
}

#[inline(never)]
fn naive(n: u32) -> u64 {
    if n < 2 {
        u64::from(n)
    } else {
        naive(n - 1) + naive(n - 2)
    }
}

/// Runs `chunk` (a short burst of fib, returning how long it took) until the optimising compiler has taken over,
/// so that no timed job runs in baseline code; returns how many chunks ran. A fresh wasm instance compiles each
/// function lazily for its baseline tier (the first chunk pays for that), runs there about twice as slow, and gets
/// optimised code some time later: a few ms, or hundreds on a busy machine. So the second chunk is the baseline
/// speed, and warming stops once three chunks in a row run clearly faster than it, or after `budget_ms` of chunks
/// (an engine that optimised up front shows no speed-up to wait for).
pub fn warm_up(mut chunk: impl FnMut() -> f64, budget_ms: f64) -> u32 {
    chunk();
    let baseline = chunk();
    let (mut spent, mut chunks, mut fast_in_a_row) = (baseline, 2, 0);
    while fast_in_a_row < 3 && spent < budget_ms {
        let took = chunk();
        fast_in_a_row = if took < baseline * 0.7 { fast_in_a_row + 1 } else { 0 };
        spent += took;
        chunks += 1;
    }
    chunks
}

/// How many calls fib(n) makes: 2·fib(n+1) − 1.
pub fn calls(n: u32) -> u64 {
    2 * fib(n + 1) - 1
}

/// fib(n) by iteration: the reference the slow jobs are checked against.
pub fn fib_fast(n: u32) -> u64 {
    (0..n).fold((0u64, 1u64), |(a, b), _| (b, a + b)).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_fib_agrees_with_the_slow_one() {
        for n in 0..=30 {
            assert_eq!(fib_fast(n), fib(n), "n={n}");
        }
        assert_eq!(fib_fast(45), 1_134_903_170);
    }

    #[test]
    fn first_values_match_the_sequence() {
        let expected = [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181, 6765];
        let got: Vec<u64> = (0..=20).map(fib).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn fib_35_is_9227465() {
        assert_eq!(fib(35), 9_227_465);
    }

    #[test]
    fn subtrees_one_at_a_time_add_up_to_fib_with_a_step_per_check_point() {
        for n in [0, 1, 5, GRAIN, GRAIN + 1, GRAIN + 5, 30] {
            let mut walk = Subtrees::new(n);
            let mut steps = 0;
            while walk.step() {
                steps += 1;
            }
            let mut checks = 0;
            fib_with(n, &AtomicBool::new(true), &mut || checks += 1);
            assert_eq!((walk.value(), steps), (fib(n), checks), "n={n}");
            assert!(!walk.step(), "a finished walk stays finished");
        }
    }

    #[test]
    fn warming_waits_for_three_fast_chunks_after_the_baseline() {
        // Lazy compile, baseline twice, then optimised code arrives.
        let mut times = [9.0, 2.0, 2.0, 1.9, 1.0, 1.0, 1.4, 1.0, 1.0, 1.0, 1.0].into_iter();
        assert_eq!(warm_up(|| times.next().unwrap(), 100.0), 10, "stops after the third fast chunk in a row");
        // The first chunk's compile time must not pass for a speed-up: steady baseline chunks keep it warming.
        let mut calls = 0;
        let chunks = warm_up(
            || {
                calls += 1;
                if calls == 1 {
                    9.0
                } else {
                    2.0
                }
            },
            50.0,
        );
        assert_eq!(chunks, 26, "baseline speed all along: warms until the budget (25 chunks of 2 ms) is spent");
    }

    #[test]
    fn a_set_drop_request_is_answered_once_per_subtree_of_grain_size() {
        let (asked, mut checks) = (AtomicBool::new(true), 0u64);
        assert_eq!(fib_with(5, &asked, &mut || checks += 1), 5);
        assert_eq!(checks, 1, "a small job is one subtree");
        checks = 0;
        assert_eq!(fib_with(GRAIN + 5, &asked, &mut || checks += 1), fib(GRAIN + 5));
        // Above GRAIN the count of subtrees grows like fib itself: 1, 2, 3, 5, 8, 13 for GRAIN..=GRAIN + 5.
        assert_eq!(checks, 13);
        checks = 0;
        assert_eq!(fib_with(GRAIN + 5, &AtomicBool::new(false), &mut || checks += 1), fib(GRAIN + 5));
        assert_eq!(checks, 0, "no request, no letting go");
        assert_eq!(calls(1), 1);
        assert_eq!(calls(2), 3);
    }
}
