//! The workload: the naive recursive Fibonacci of the Python experiment, two calls per level, no memo.

use std::hint::black_box;

/// fib(n), the slow way. `black_box` keeps the compiler from evaluating it at compile time.
pub fn fib(n: u32) -> u64 {
    naive(black_box(n))
}

fn naive(n: u32) -> u64 {
    if n < 2 {
        u64::from(n)
    } else {
        naive(n - 1) + naive(n - 2)
    }
}

/// Below this n a subtree of calls runs without interruption: fib(20) is ~22 000 calls, some 15 µs.
pub const GRAIN: u32 = 20;

/// fib(n) by the same recursion, calling `check` before each subtree fib(m) with m ≤ GRAIN: the check points
/// where a thread under the GIL looks whether it must let go (as CPython's eval loop looks at its eval breaker
/// every few instructions). Counting calls instead would slow every call; this costs one comparison per call.
pub fn fib_with(n: u32, check: &mut impl FnMut()) -> u64 {
    if n <= GRAIN {
        check();
        naive(n)
    } else {
        fib_with(n - 1, check) + fib_with(n - 2, check)
    }
}

/// How many calls fib(n) makes: 2·fib(n+1) − 1.
pub fn calls(n: u32) -> u64 {
    2 * fib(n + 1) - 1
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn the_check_runs_once_per_subtree_of_grain_size() {
        let mut checks = 0u64;
        assert_eq!(fib_with(5, &mut || checks += 1), 5);
        assert_eq!(checks, 1, "a small job is one subtree");
        checks = 0;
        assert_eq!(fib_with(GRAIN + 5, &mut || checks += 1), fib(GRAIN + 5));
        // Above GRAIN the count of subtrees grows like fib itself: 1, 2, 3, 5, 8, 13 for GRAIN..=GRAIN + 5.
        assert_eq!(checks, 13);
        assert_eq!(calls(1), 1);
        assert_eq!(calls(2), 3);
    }
}
