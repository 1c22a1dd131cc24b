//! A run as Chrome trace-event JSON, which ui.perfetto.dev and chrome://tracing open: one track per lane (worker,
//! thread or process), one complete event ("ph": "X") per span, times in microseconds from the run's start.

use serde_json::{json, Value};

use crate::result::{Run, SpanKind};

pub fn chrome_trace(run: &Run) -> Value {
    let lane_name = run.mode.info().lane;
    let micros = |ms: f64| ((ms - run.started) * 1000.0).max(0.0);
    let mut lanes: Vec<u32> = run.jobs.iter().map(|job| job.lane).collect();
    lanes.sort_unstable();
    lanes.dedup();

    let names = lanes.iter().map(|&lane| {
        json!({ "name": "thread_name", "ph": "M", "pid": 1, "tid": lane, "args": { "name": format!("{lane_name} {lane}") } })
    });
    let spans = run.jobs.iter().flat_map(|job| {
        job.spans.iter().map(move |span| {
            json!({
                "name": span_name(span.kind), "cat": run.mode, "ph": "X", "pid": 1, "tid": job.lane,
                "ts": micros(span.start), "dur": (span.ms() * 1000.0).max(0.0),
                "args": { "job": job.index, "value": job.value, "request": job.request },
            })
        })
    });
    let process = json!({ "name": "process_name", "ph": "M", "pid": 1,
        "args": { "name": format!("threadlab {}: {}", run.mode.info().label, run.label) } });

    json!({
        "traceEvents": std::iter::once(process).chain(names).chain(spans).collect::<Vec<Value>>(),
        "displayTimeUnit": "ms",
        "otherData": { "wallMs": run.wall_ms, "userAgent": run.env.user_agent },
    })
}

fn span_name(kind: SpanKind) -> &'static str {
    match kind {
        SpanKind::Spawn => "spawn",
        SpanKind::SpawnWorker => "spawn: the worker starts",
        SpanKind::SpawnScript => "spawn: its script",
        SpanKind::SpawnMessage => "spawn: the page's message",
        SpanKind::SpawnInstance => "spawn: its wasm instance",
        SpanKind::Compute => "compute",
        SpanKind::CopyIn => "copy in: the payload",
        SpanKind::GilHeld => "GIL held",
        SpanKind::GilWait => "waiting for the GIL",
        SpanKind::HandOverTimer => "hand-over: the timed wait ends late",
        SpanKind::HandOverNotice => "hand-over: the holder notices the drop request",
        SpanKind::HandOverWake => "hand-over: the waiter is woken",
        SpanKind::HandOverTake => "hand-over: the waiter takes the lock",
        SpanKind::Request => "request",
        SpanKind::RequestFailed => "request failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::cpu;

    #[test]
    fn one_track_per_thread_and_one_event_per_span() {
        let run = cpu::gil(&crate::work::Task::fib(24), 2, 0.1);
        let trace = chrome_trace(&run);
        let events = trace["traceEvents"].as_array().unwrap();
        let tracks: Vec<&Value> = events.iter().filter(|e| e["name"] == "thread_name").collect();
        assert_eq!(tracks.len(), 2);
        assert_eq!(tracks[0]["args"]["name"], "thread 0");
        assert_eq!(tracks[1]["args"]["name"], "thread 1");

        let complete: Vec<&Value> = events.iter().filter(|e| e["ph"] == "X").collect();
        assert_eq!(complete.len(), run.jobs.iter().map(|job| job.spans.len()).sum::<usize>());
        for event in complete {
            assert!(event["ts"].as_f64().unwrap() >= 0.0 && event["dur"].as_f64().unwrap() >= 0.0);
            assert!(["GIL held", "waiting for the GIL"].contains(&event["name"].as_str().unwrap()));
            assert!(event["tid"] == 0 || event["tid"] == 1);
        }
    }
}
