//! A global interpreter lock that behaves like CPython's (3.2+, `Python/ceval_gil.c`):
//!
//! - a thread that wants the lock waits on a condition for one switch interval; if it timed out and no switch
//!   happened meanwhile, it sets the drop request;
//! - the holder looks at the drop request at its check points (here: before each small subtree of fib calls, see
//!   `fib::fib_with`) and lets go;
//! - forced switching: a holder that let go on request waits until another thread has taken the lock, so it
//!   cannot grab it straight back; it waits for the lock from the moment it let go.
//!
//! Works the same on native threads and on wasm threads (the atomics build), so it is tested natively.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::clock::now_ms;
use crate::result::{Span, SpanKind};

pub struct Gil {
    state: Mutex<State>,
    /// Signalled when the lock is let go (CPython's `gil->cond`).
    released: Condvar,
    /// Signalled when the lock is taken (CPython's `gil->switch_cond`).
    taken: Condvar,
    drop_request: AtomicBool,
    interval: Duration,
}

struct State {
    locked: bool,
    /// How many threads wait to take the lock.
    waiting: u32,
    last_holder: Option<u32>,
    /// Bumped each time the lock passes to a different thread.
    switches: u64,
    /// When the drop request now pending was set, and when the holder last let go on request: the hand-over's parts.
    requested_at: f64,
    let_go_at: f64,
}

/// A thread's hold on the GIL, and the record of its held and waiting spans.
pub struct Holder<'a> {
    gil: &'a Gil,
    thread: u32,
    held_since: f64,
    spans: Vec<Span>,
}

impl Gil {
    pub fn new(interval: Duration) -> Gil {
        Gil {
            state: Mutex::new(State {
                locked: false,
                waiting: 0,
                last_holder: None,
                switches: 0,
                requested_at: 0.0,
                let_go_at: 0.0,
            }),
            released: Condvar::new(),
            taken: Condvar::new(),
            drop_request: AtomicBool::new(false),
            interval,
        }
    }

    /// Blocks until `thread` holds the GIL.
    pub fn enter(&self, thread: u32) -> Holder<'_> {
        let mut holder = Holder { gil: self, thread, held_since: 0.0, spans: Vec::new() };
        holder.take(None);
        holder
    }

    /// Set when a thread has waited a whole interval for the lock: the holder must let go at its next check point.
    pub fn drop_request(&self) -> &AtomicBool {
        &self.drop_request
    }

    /// How many times the lock passed from one thread to another (the first taking does not count).
    pub fn switches(&self) -> u64 {
        self.lock().switches.saturating_sub(1)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A poisoned lock means a thread panicked mid-run; its state is still consistent for our purposes.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Holder<'_> {
    /// Answers a drop request (see `fib::fib_with`, the check point that calls it): lets go, and takes the lock back
    /// once another thread has had it.
    pub fn let_go(&mut self) {
        let let_go_at = self.release(true);
        self.take(Some(let_go_at));
    }

    /// Lets go around a blocking call, as CPython does around a read or a request, and takes the lock back after
    /// it (waiting, as every thread does, for the holder to answer the drop request): `call`'s result.
    pub fn blocking<T>(&mut self, call: impl FnOnce() -> T) -> T {
        self.release(false);
        let result = call();
        self.take(None);
        result
    }

    /// A blocking call that returns at once (a send): CPython lets go of the lock around it all the same, and a
    /// thread waiting for the lock, woken by that, takes it before this one is back (bugs.python.org issue 7946).
    /// So: when another thread waits, it has the lock first, and this one then waits for it back like any other.
    pub fn hand_over(&mut self) {
        if self.gil.lock().waiting > 0 {
            self.let_go();
        }
    }

    /// Lets go for good; returns the spans this thread held and waited.
    pub fn finish(mut self) -> Vec<Span> {
        self.release(false);
        self.spans
    }

    /// Takes the lock. `let_go_at`: this thread let go on request then, so it has been waiting since, whether or not
    /// the lock is still held when it is scheduled again.
    fn take(&mut self, let_go_at: Option<f64>) {
        let gil = self.gil;
        let asked = let_go_at.unwrap_or_else(now_ms);
        let mut state = gil.lock();
        let contended = state.locked;
        state.waiting += u32::from(contended);
        // When this thread's timed wait should have ended, once it sets the drop request; when it was woken.
        let (mut due, mut woken) = (None, asked);
        while state.locked {
            let switches_before = state.switches;
            let began = now_ms();
            let (next, wait) = gil.released.wait_timeout(state, gil.interval).unwrap_or_else(|p| p.into_inner());
            state = next;
            woken = now_ms();
            if state.switches != switches_before {
                // Another thread had the lock meanwhile: a request this thread made went to it.
                due = None;
            }
            // Set the drop request (timing it, if no other waiter had set it already).
            if wait.timed_out()
                && state.locked
                && state.switches == switches_before
                && !gil.drop_request.swap(true, Ordering::Relaxed)
            {
                state.requested_at = woken;
                due = Some(began + gil.interval.as_secs_f64() * 1000.0);
            }
        }
        state.waiting -= u32::from(contended);
        state.locked = true;
        if state.last_holder != Some(self.thread) {
            state.last_holder = Some(self.thread);
            state.switches += 1;
        }
        gil.drop_request.store(false, Ordering::Relaxed);
        gil.taken.notify_all();
        // A hand-over this thread asked for, answered by the holder letting go.
        let (requested, let_go) = (state.requested_at, state.let_go_at);
        let hand_over = due.filter(|_| let_go >= requested);
        // Stamped before the lock is let go of, so that a thread that waits for it starts waiting after this. The
        // let-go was stamped by the holder's thread, whose clock may read a few microseconds ahead of this one's
        // (each worker adds its own coarsened timeOrigin): the hold never starts before the let-go it followed.
        self.held_since = match hand_over {
            Some(_) => now_ms().max(let_go),
            None => now_ms(),
        };
        let hand_over = hand_over.map(|due| [due.min(requested), requested, let_go, woken.max(let_go)]);
        drop(state);

        if contended || let_go_at.is_some() {
            self.spans.push(Span { kind: SpanKind::GilWait, start: asked, end: self.held_since });
        }
        // A hand-over this thread asked for, in its parts (each inside the wait): its timed wait's lateness, the
        // holder noticing the request at a check point, the wake, and the taking.
        if let Some([timer, requested, let_go, woken]) = hand_over {
            use SpanKind::*;
            let marks = [timer, requested, let_go, woken, self.held_since];
            for (i, kind) in [HandOverTimer, HandOverNotice, HandOverWake, HandOverTake].into_iter().enumerate() {
                self.spans.push(Span { kind, start: marks[i], end: marks[i + 1] });
            }
        }
    }

    /// Lets go; returns when it did.
    fn release(&mut self, on_request: bool) -> f64 {
        let gil = self.gil;
        let now = now_ms();
        self.spans.push(Span { kind: SpanKind::GilHeld, start: self.held_since, end: now });
        let mut state = gil.lock();
        state.locked = false;
        gil.released.notify_one();
        if on_request {
            state.let_go_at = now;
            // Forced switching: do not compete for the lock until another thread has had it.
            while state.last_holder == Some(self.thread) {
                state = gil.taken.wait(state).unwrap_or_else(|p| p.into_inner());
            }
        }
        now
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;
    use std::sync::Barrier;

    /// Runs `threads` threads that each compute in small slices under the GIL, looking at the drop request between
    /// slices as fib_with does, until each has done `slices` slices and answered `answers` drop requests: a thread
    /// stops because of what the GIL did, not because of the clock. `inside` counts the threads between two check
    /// points, which must never be more than one.
    fn contend(threads: u32, interval_ms: f64, slices: u32, answers: u32) -> (Vec<Vec<Span>>, u64) {
        let gil = Gil::new(Duration::from_secs_f64(interval_ms / 1000.0));
        let inside = AtomicU32::new(0);
        let spans = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|thread| {
                    let (gil, inside) = (&gil, &inside);
                    scope.spawn(move || {
                        let mut holder = gil.enter(thread);
                        let (mut done, mut answered) = (0, 0);
                        while done < slices || answered < answers {
                            assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0, "two threads hold the GIL");
                            std::hint::black_box(crate::fib::fib(12));
                            done += 1;
                            inside.fetch_sub(1, Ordering::SeqCst);
                            // The check point, as fib_with makes it.
                            if gil.drop_request().load(Ordering::Relaxed) {
                                holder.let_go();
                                answered += 1;
                            }
                        }
                        holder.finish()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect::<Vec<_>>()
        });
        (spans, gil.switches())
    }

    fn of_kind(spans: &[Span], kind: SpanKind) -> Vec<Span> {
        spans.iter().copied().filter(|s| s.kind == kind).collect()
    }

    fn held(spans: &[Span]) -> Vec<Span> {
        of_kind(spans, SpanKind::GilHeld)
    }

    #[test]
    fn two_threads_take_turns_one_drop_request_at_a_time() {
        let (spans, switches) = contend(2, 1.0, 0, 3);
        // Each thread answers three requests, and each answer hands the lock to the other: A B A B A B A B.
        for (thread, spans) in spans.iter().enumerate() {
            assert_eq!(held(spans).len(), 4, "thread {thread}: {spans:?}");
            // Each let-go is followed by a wait for the lock back, from the moment it let go.
            assert!(of_kind(spans, SpanKind::GilWait).len() >= 3, "thread {thread}: {spans:?}");
        }
        assert_eq!(switches, 7);
    }

    #[test]
    fn held_spans_never_overlap_and_alternate() {
        let (spans, _) = contend(2, 1.0, 0, 4);
        let mut all: Vec<(Span, usize)> =
            spans.iter().enumerate().flat_map(|(t, s)| held(s).into_iter().map(move |s| (s, t))).collect();
        all.sort_by(|a, b| a.0.start.total_cmp(&b.0.start));
        for pair in all.windows(2) {
            let ((first, a), (second, b)) = (pair[0], pair[1]);
            assert!(first.end <= second.start, "held spans overlap: {first:?} {second:?}");
            // Forced switching: after letting go on request, a thread never takes the lock straight back.
            assert_ne!(a, b, "thread {a} took the GIL back before the other had it");
        }
    }

    #[test]
    fn a_thread_that_let_go_waits_from_that_moment_while_the_other_holds() {
        let (spans, _) = contend(2, 1.0, 0, 3);
        let [first, second] = [&spans[0], &spans[1]];
        for (mine, other) in [(first, second), (second, first)] {
            for wait in of_kind(mine, SpanKind::GilWait) {
                // It took the lock because the other let go of it: one of the other's holds ends inside the wait.
                let ended = held(other).into_iter().filter(|h| wait.start <= h.end && h.end <= wait.end).count();
                assert_eq!(ended, 1, "{wait:?} against {other:?}");
                // A wait after letting go on request begins as it let go, and the other's whole hold lies inside.
                if held(mine).iter().any(|h| h.end == wait.start) {
                    assert!(held(other).iter().any(|h| wait.start <= h.start && h.end <= wait.end));
                }
            }
        }
    }

    #[test]
    fn a_hand_over_is_in_its_four_parts_one_after_another_inside_the_wait_that_asked_for_it() {
        let (spans, _) = contend(2, 1.0, 0, 3);
        let [first, second] = [&spans[0], &spans[1]];
        let mut seen = 0;
        for (mine, other) in [(first, second), (second, first)] {
            let parts: Vec<Span> = mine.iter().copied().filter(|s| s.kind.is_hand_over()).collect();
            assert_eq!(parts.len() % 4, 0, "{parts:?}");
            for four in parts.chunks(4) {
                use SpanKind::*;
                let kinds: Vec<SpanKind> = four.iter().map(|s| s.kind).collect();
                assert_eq!(kinds, [HandOverTimer, HandOverNotice, HandOverWake, HandOverTake]);
                assert!(four.windows(2).all(|w| w[0].end == w[1].start), "one after another: {four:?}");
                let wait =
                    of_kind(mine, GilWait).into_iter().find(|w| w.start <= four[0].start && four[3].end == w.end);
                assert!(wait.is_some(), "inside the wait that ends as this thread holds: {four:?}");
                // The holder let go because of the request: its hold ends where the notice does.
                assert!(held(other).iter().any(|h| h.end == four[1].end), "{four:?} against {other:?}");
                seen += 1;
            }
        }
        assert!(seen >= 3, "each drop request answered was asked for by a waiter: {seen}");
    }

    #[test]
    fn a_lone_thread_never_waits_nor_lets_go() {
        let (spans, switches) = contend(1, 0.1, 2000, 0);
        assert_eq!(spans[0].len(), 1, "{:?}", spans[0]);
        assert_eq!(spans[0][0].kind, SpanKind::GilHeld);
        assert_eq!(switches, 0);
    }

    #[test]
    fn the_holder_is_asked_to_let_go_only_after_a_whole_interval() {
        // The waiter starts its interval after the holder took the lock (stamped before it was let go of), and sets
        // the drop request only once that interval has passed with no switch: no hold that was cut short by a
        // request can be shorter than the interval.
        let (spans, _) = contend(2, 20.0, 0, 1);
        let first_held =
            spans.iter().filter_map(|s| held(s).first().copied()).min_by(|a, b| a.start.total_cmp(&b.start));
        let first = first_held.unwrap();
        assert!(first.ms() >= 20.0, "first holder was asked to let go after {} ms", first.ms());
    }

    #[test]
    fn a_blocking_call_that_returns_while_another_holds_waits_for_its_drop_request() {
        let gil = Gil::new(Duration::from_millis(1));
        let holding = Barrier::new(2);
        let (mine, others) = std::thread::scope(|scope| {
            let mut caller = gil.enter(0);
            let other = scope.spawn(|| {
                let mut holder = gil.enter(1);
                holding.wait();
                // Computes until asked: it lets go only because the drop request came.
                while !gil.drop_request().load(Ordering::Relaxed) {
                    std::hint::black_box(crate::fib::fib(12));
                }
                holder.let_go();
                holder.finish()
            });
            // The call lets go; it returns once the other thread holds the lock.
            caller.blocking(|| holding.wait());
            let mine = caller.finish();
            (mine, other.join().unwrap())
        });
        let wait = *of_kind(&mine, SpanKind::GilWait).last().expect("the call's return waited for the lock");
        let other_held = held(&others)[0];
        assert!(wait.start <= other_held.end && other_held.end <= wait.end, "{wait:?} {other_held:?}");
    }

    #[test]
    fn a_call_that_returns_at_once_hands_the_lock_to_a_waiting_thread_first() {
        let gil = Gil::new(Duration::from_millis(2));
        let mut alone = gil.enter(0);
        alone.hand_over();
        assert_eq!(gil.switches(), 0, "with nobody waiting, a hand-over keeps the lock");
        let (mine, others) = std::thread::scope(|scope| {
            let other = scope.spawn(|| gil.enter(1).finish());
            while gil.lock().waiting == 0 {
                std::thread::yield_now();
            }
            alone.hand_over();
            let mine = alone.finish();
            (mine, other.join().unwrap())
        });
        assert_eq!(gil.switches(), 2, "the waiting thread had the lock, then this one again");
        // This thread waited from the moment it let go until after the other had held the lock and let it go.
        let wait = *of_kind(&mine, SpanKind::GilWait).first().expect("it waited for the lock back");
        let other_held = held(&others)[0];
        assert!(wait.start <= other_held.start && other_held.end <= wait.end, "{wait:?} {other_held:?}");
    }
}
