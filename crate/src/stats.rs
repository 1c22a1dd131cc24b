//! Statistics over repeats: a median with its range, speedups as ratios of medians, and when two figures are too
//! close to call (a tie). Machines are noisy; a verdict must not claim more than its numbers show.

use serde::{Deserialize, Serialize};

/// Two figures whose medians differ by less than this fraction are a tie, even when their ranges are apart
/// (with one repeat the ranges are single points, so they alone would call any difference).
pub const TIE_MARGIN: f64 = 0.03;

/// A range wider than this fraction of its median is worth a note: the machine was busy, run again.
pub const WIDE_SPREAD: f64 = 0.2;

/// A time in milliseconds, kept to the microsecond: no browser's timer is finer (5 µs at best), and the digits
/// below it are only the noise of subtracting two clock readings. Figures kept this way are the same numbers on
/// the page, in a share link and in the exports (`ms` in www/ui/results.js rounds the same way).
pub fn to_micros(ms: f64) -> f64 {
    (ms * 1000.0).round() / 1000.0
}

/// The median and the range of some samples (milliseconds).
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Range {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Range {
    /// The range of the samples; none for none. The median of an even count is the lower of the two middle
    /// samples, so it is always one of the samples: a run that can be shown whole.
    pub fn of(samples: &[f64]) -> Option<Range> {
        let mut sorted: Vec<f64> = samples.iter().copied().filter(|x| x.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        Some(Range { median: sorted[(sorted.len().checked_sub(1)?) / 2], min: *sorted.first()?, max: *sorted.last()? })
    }

    /// (max − min) / median.
    pub fn spread(&self) -> f64 {
        if self.median > 0.0 {
            (self.max - self.min) / self.median
        } else {
            0.0
        }
    }

    pub fn wide(&self) -> bool {
        self.spread() > WIDE_SPREAD
    }
}

/// How many times faster `other` is than `baseline`: the ratio of their medians. None when either took no
/// measurable time: below the clock's resolution (1 ms in a page that is not cross-origin isolated, in Firefox),
/// a ratio would be infinite or zero, and say nothing.
pub fn speedup(baseline: &Range, other: &Range) -> Option<f64> {
    (baseline.median > 0.0 && other.median > 0.0).then(|| baseline.median / other.median)
}

/// The band a speedup spreads over, from the two ranges: `baseline`'s fastest repeat over `other`'s slowest, and its
/// slowest over `other`'s fastest. None when a time in it is not measurable (see `speedup`).
pub fn speedup_band(baseline: &Range, other: &Range) -> Option<[f64; 2]> {
    (baseline.min > 0.0 && other.min > 0.0).then(|| [baseline.min / other.max, baseline.max / other.min])
}

/// How `a` compares with `b` in time taken.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Order {
    Faster,
    Slower,
    /// The ranges overlap, or the medians are within `TIE_MARGIN`: the numbers cannot tell them apart.
    Tie,
}

pub fn compare(a: &Range, b: &Range) -> Order {
    let overlap = a.min <= b.max && b.min <= a.max;
    let close = (a.median - b.median).abs() < TIE_MARGIN * a.median.min(b.median);
    if overlap || close {
        Order::Tie
    } else if a.median < b.median {
        Order::Faster
    } else {
        Order::Slower
    }
}

/// A time for reading, exactly as the page's table writes it (`ms` in www/ui/results.js, the same operations):
/// to the microsecond, then 2 decimals under 10 ms, 1 under 100, else none, a half rounded up.
pub fn ms(x: f64) -> String {
    let micros = (x * 1000.0 + 0.5).floor();
    let decimals = match micros {
        m if m < 10_000.0 => 2,
        m if m < 100_000.0 => 1,
        _ => 0,
    };
    let value = (micros / 10f64.powi(3 - decimals) + 0.5).floor() / 10f64.powi(decimals);
    format!("{value:.*} ms", decimals as usize)
}

/// A distribution in three figures: its median, 95th percentile and maximum.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
pub struct Latency {
    pub median: f64,
    pub p95: f64,
    pub max: f64,
}

/// The median, 95th percentile (nearest rank) and maximum of some latencies, to the microsecond.
pub fn latency(samples: &[f64]) -> Latency {
    let mut sorted: Vec<f64> = samples.iter().copied().filter(|x| x.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len().max(1)) - 1;
        sorted.get(rank).copied().map_or(0.0, to_micros)
    };
    Latency { median: at(0.5), p95: at(0.95), max: sorted.last().copied().map_or(0.0, to_micros) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_figures_are_nearest_rank() {
        let samples: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(latency(&samples), Latency { median: 10.0, p95: 19.0, max: 20.0 });
        assert_eq!(latency(&[3.0]), Latency { median: 3.0, p95: 3.0, max: 3.0 });
        assert_eq!(latency(&[]), Latency { median: 0.0, p95: 0.0, max: 0.0 });
    }

    #[test]
    fn times_are_kept_to_the_microsecond() {
        assert_eq!(to_micros(363.97999999999956), 363.98);
        assert_eq!(to_micros(5.124999999999), 5.125, "the noise of a subtraction goes");
        assert_eq!(to_micros(to_micros(12.3456789)), to_micros(12.3456789));
        assert_eq!(to_micros(0.0004), 0.0);
    }

    fn range(median: f64, min: f64, max: f64) -> Range {
        Range { median, min, max }
    }

    #[test]
    fn the_median_is_the_middle_sample_and_the_range_its_extremes() {
        assert_eq!(Range::of(&[30.0, 10.0, 20.0]), Some(range(20.0, 10.0, 30.0)));
        assert_eq!(Range::of(&[5.0]), Some(range(5.0, 5.0, 5.0)));
        // An even count takes the lower middle sample, so the median is always a sample.
        assert_eq!(Range::of(&[4.0, 1.0, 3.0, 2.0]), Some(range(2.0, 1.0, 4.0)));
        assert_eq!(Range::of(&[]), None);
        assert_eq!(Range::of(&[f64::NAN, 7.0]), Some(range(7.0, 7.0, 7.0)), "a NaN is not a sample");
    }

    #[test]
    fn min_median_max_are_in_order_for_any_samples() {
        let samples = [9.5, 0.1, 400.0, 3.0, 3.0, 72.0, 11.0];
        for len in 1..=samples.len() {
            let r = Range::of(&samples[..len]).unwrap();
            assert!(r.min <= r.median && r.median <= r.max, "{r:?}");
            assert!(samples[..len].contains(&r.median));
        }
    }

    #[test]
    fn a_speedup_is_the_ratio_of_medians() {
        assert_eq!(speedup(&range(400.0, 390.0, 420.0), &range(200.0, 100.0, 300.0)), Some(2.0));
        assert_eq!(speedup(&range(100.0, 100.0, 100.0), &range(400.0, 400.0, 400.0)), Some(0.25));
        assert_eq!(speedup(&range(1.0, 1.0, 1.0), &range(0.0, 0.0, 0.0)), None, "too quick for the clock");
        assert_eq!(speedup(&range(0.0, 0.0, 0.0), &range(1.0, 1.0, 1.0)), None);
        assert_eq!(speedup_band(&range(400.0, 390.0, 420.0), &range(200.0, 100.0, 300.0)), Some([1.3, 4.2]));
        assert_eq!(speedup_band(&range(1.0, 0.0, 2.0), &range(1.0, 1.0, 1.0)), None);
    }

    #[test]
    fn apart_ranges_order_and_overlapping_ones_tie() {
        let fast = range(200.0, 190.0, 210.0);
        let slow = range(400.0, 380.0, 420.0);
        assert_eq!(compare(&fast, &slow), Order::Faster);
        assert_eq!(compare(&slow, &fast), Order::Slower);
        assert_eq!(compare(&fast, &range(230.0, 205.0, 240.0)), Order::Tie, "the ranges overlap");
        assert_eq!(compare(&fast, &fast), Order::Tie);
    }

    #[test]
    fn single_samples_within_the_margin_tie() {
        let one = |x| range(x, x, x);
        assert_eq!(compare(&one(100.0), &one(102.0)), Order::Tie);
        assert_eq!(compare(&one(100.0), &one(104.0)), Order::Faster);
        assert_eq!(compare(&one(104.0), &one(100.0)), Order::Slower);
    }

    #[test]
    fn a_spread_past_a_fifth_of_the_median_is_wide() {
        assert!(!range(100.0, 95.0, 110.0).wide());
        assert!(range(100.0, 90.0, 125.0).wide());
        assert_eq!(range(0.0, 0.0, 0.0).spread(), 0.0);
    }
}
