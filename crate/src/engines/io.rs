//! The IO workload: K GET requests, like the article's calls to the GitHub API, and what they got.
//! Building the URLs and putting a run together is plain Rust (tested natively); the requests themselves are
//! made with gloo-net in the plain wasm build (`fetch` below), or blocking in the threads build (`get_blocking`),
//! where the convoy's IO thread waits as a Python thread does.

use crate::modes::Mode;
use crate::result::{IoSummary, Job, Request, Run, Span, SpanKind, Target, Work};
use crate::spec::{Endpoint, Options};

/// The URL of request `index`: the visitor's URL, or the built-in endpoint under `base` (an absolute URL ending in
/// `api/users/`). Each built-in request has its own URL, so the browser's cache never makes one wait for another.
pub fn url(options: &Options, base: &str, index: u32) -> String {
    match &options.url {
        Some(url) => url.clone(),
        None => {
            let via = if options.endpoint == Endpoint::Worker { "worker" } else { "server" };
            format!("{base}user-{index}?delay_ms={}&via={via}", options.delay_ms)
        }
    }
}

/// A request job: one span in flight, marked failed when the request did not get a 2xx answer.
pub fn job(index: u32, start: f64, end: f64, request: Request) -> Job {
    let kind = if request.error.is_some() { SpanKind::RequestFailed } else { SpanKind::Request };
    Job { index, lane: index, value: None, request: Some(request), start, end, spans: vec![Span { kind, start, end }] }
}

/// A request job done in a fresh worker created at `created`: its first request carries the worker's spawn span.
pub fn first_in_worker(mut job: Job, created: f64, ready: f64) -> Job {
    job.spans.insert(0, Span { kind: SpanKind::Spawn, start: created, end: ready });
    job
}

/// An io run put together from its request jobs (in any order).
pub fn run(options: &Options, base: &str, started: f64, ended: f64, mut jobs: Vec<Job>) -> Run {
    Run::in_order(&mut jobs);
    let summary = summary(options, base, &jobs);
    let correct = jobs.len() == options.requests as usize && summary.failed == 0;
    let work = Work::Requests { count: options.requests, target: target(options) };
    let mut run = Run::timed(options.mode, work, workers(options), started, ended, jobs, correct);
    run.io = Some(summary);
    run
}

/// Where the requests go.
pub fn target(options: &Options) -> Target {
    match &options.url {
        None => Target::Builtin { delay_ms: options.delay_ms },
        Some(url) => Target::Url(url.clone()),
    }
}

/// What an io run's requests got, as a whole (`jobs`: its requests, and for the convoy its CPU threads' jobs too).
pub fn summary(options: &Options, base: &str, jobs: &[Job]) -> IoSummary {
    let requests: Vec<&Request> = jobs.iter().filter_map(|job| job.request.as_ref()).collect();
    let ok = requests.iter().filter(|r| r.error.is_none()).count() as u32;
    IoSummary {
        requests: options.requests,
        ok,
        failed: requests.len() as u32 - ok,
        target: url(options, base, 0),
        builtin: options.url.is_none(),
        delay_ms: options.delay_ms,
        waves: (options.mode == Mode::IoConcurrent).then(|| waves(jobs)),
    }
}

/// How many workers an io mode uses: io-workers one per request, as the article starts a thread per request; the
/// others one.
pub fn workers(options: &Options) -> u32 {
    if options.mode == Mode::IoWorkers {
        options.requests
    } else {
        1
    }
}

/// Groups the end times of requests started together: a new wave starts after a gap of at least half the
/// shortest request.
pub fn waves(jobs: &[Job]) -> u32 {
    let mut ends: Vec<f64> = jobs.iter().map(|job| job.end).collect();
    ends.sort_by(f64::total_cmp);
    let shortest = jobs.iter().map(|job| job.end - job.start).fold(f64::INFINITY, f64::min);
    let gaps = ends.windows(2).filter(|pair| pair[1] - pair[0] >= shortest / 2.0).count();
    if ends.is_empty() {
        0
    } else {
        gaps as u32 + 1
    }
}

/// The requests as a worker of the threads build makes them: blocking, with a synchronous XMLHttpRequest, which a
/// worker may make (a page may not). A blocking call is what a Python thread makes: here it stops this thread alone.
#[cfg(all(target_arch = "wasm32", not(feature = "io")))]
pub fn get_blocking(url: &str, timeout_ms: u32) -> Request {
    let failed =
        |status, error: String| Request { url: url.into(), status, bytes: 0, error: Some(error), served_by: None };
    let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
        return failed(None, "this worker cannot make a blocking request".into());
    };
    if xhr.open_with_async("GET", url, false).is_err() {
        return failed(None, "the address could not be requested".into());
    }
    xhr.set_timeout(timeout_ms);
    if let Err(error) = xhr.send() {
        let name = js_sys::Reflect::get(&error, &"name".into()).ok().and_then(|name| name.as_string());
        return failed(
            None,
            match name.as_deref() {
                Some("TimeoutError") => format!("no answer within {timeout_ms} ms (timed out)"),
                _ => "no answer: the connection was refused, the host does not exist, or it does not allow \
                      cross-origin requests (CORS); the browser does not say which"
                    .into(),
            },
        );
    }
    let status = xhr.status().unwrap_or(0);
    let bytes = xhr.response_text().ok().flatten().map_or(0, |text| text.len() as u64);
    let ok = (200..300).contains(&status);
    Request {
        url: url.into(),
        status: Some(status),
        bytes,
        error: (!ok).then(|| format!("HTTP {status} {}", xhr.status_text().unwrap_or_default())),
        served_by: xhr.get_response_header("x-threadlab-endpoint").ok().flatten(),
    }
}

/// The requests, made from a worker with gloo-net.
#[cfg(all(target_arch = "wasm32", feature = "io"))]
pub mod fetch {
    use gloo_net::http::Request as Get;
    use web_sys::{AbortSignal, RequestCache, RequestCredentials, RequestMode};

    use super::{first_in_worker, job, url};
    use crate::clock::now_ms;
    use crate::modes::Mode;
    use crate::result::{Job, Request, Run};
    use crate::spec::Options;

    /// io-sequential or io-concurrent, from this worker. `base` is the built-in endpoint's absolute URL, ending
    /// in `api/users/`; the page has resolved the options' endpoint.
    pub async fn run(options: &Options, base: &str) -> Run {
        let started = now_ms();
        let jobs = match options.mode {
            Mode::IoConcurrent => at_once(options, base).await,
            _ => in_turn(options, base, 0..options.requests).await,
        };
        super::run(options, base, started, now_ms(), jobs)
    }

    /// io-workers: request `index`, from a fresh worker created at `created` (one worker per request).
    pub async fn job_in_worker(options: &Options, base: &str, index: u32, created: f64) -> Job {
        let ready = now_ms();
        first_in_worker(timed(options, base, index).await, created, ready)
    }

    /// One GET: without credentials, bypassing the cache, given up after `timeout_ms`.
    pub async fn get(url: String, timeout_ms: u32) -> Request {
        let signal = AbortSignal::timeout_with_u32(timeout_ms);
        let failed =
            |status, error: String| Request { url: url.clone(), status, bytes: 0, error: Some(error), served_by: None };
        let sent = Get::get(&url)
            .credentials(RequestCredentials::Omit)
            .mode(RequestMode::Cors)
            .cache(RequestCache::NoStore)
            .abort_signal(Some(&signal))
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(_) if signal.aborted() => return failed(None, format!("no answer within {timeout_ms} ms (timed out)")),
            Err(error) => {
                return failed(
                    None,
                    format!(
                        "no answer ({error}): the connection was refused, the host does not exist, or it does not \
                         allow cross-origin requests (CORS); the browser does not say which"
                    ),
                )
            }
        };
        let status = response.status();
        let served_by = response.headers().get("x-threadlab-endpoint");
        match response.binary().await {
            Err(_) if signal.aborted() => {
                failed(Some(status), format!("the answer took longer than {timeout_ms} ms (timed out)"))
            }
            Err(error) => failed(Some(status), format!("the answer broke off: {error}")),
            Ok(body) => Request {
                error: (!response.ok()).then(|| format!("HTTP {status} {}", response.status_text())),
                url,
                status: Some(status),
                bytes: body.len() as u64,
                served_by,
            },
        }
    }

    /// Request `index`, timed.
    pub async fn timed(options: &Options, base: &str, index: u32) -> Job {
        crate::fault::job_starts(&format!("request {index}"));
        let start = now_ms();
        let request = get(url(options, base, index), options.timeout_ms).await;
        job(index, start, now_ms(), request)
    }

    /// The requests `indices`, each waiting for the one before (the seed's single thread).
    pub async fn in_turn(options: &Options, base: &str, indices: impl Iterator<Item = u32>) -> Vec<Job> {
        let mut jobs = Vec::new();
        for index in indices {
            jobs.push(timed(options, base, index).await);
        }
        jobs
    }

    /// All K requests in flight at once, awaited together (the asyncio way).
    pub async fn at_once(options: &Options, base: &str) -> Vec<Job> {
        futures_util::future::join_all((0..options.requests).map(|index| timed(options, base, index))).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::check_run;
    use serde_json::json;

    fn options(extra: serde_json::Value) -> Options {
        let mut given = json!({ "mode": "io-concurrent", "requests": 3, "delayMs": 100 });
        given.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        check_run(&given).unwrap()
    }

    fn answered(index: u32, start: f64, end: f64) -> Job {
        let request =
            Request { url: "u".into(), status: Some(200), bytes: 42, error: None, served_by: Some("server".into()) };
        job(index, start, end, request)
    }

    fn refused(index: u32, start: f64, end: f64) -> Job {
        job(
            index,
            start,
            end,
            Request { url: "u".into(), status: None, bytes: 0, error: Some("no answer".into()), served_by: None },
        )
    }

    #[test]
    fn built_in_requests_each_have_their_own_url_and_say_who_answers() {
        let base = "http://localhost:5173/api/users/";
        assert_eq!(url(&options(json!({})), base, 0), "http://localhost:5173/api/users/user-0?delay_ms=100&via=server");
        assert_eq!(
            url(&options(json!({ "endpoint": "worker" })), base, 7),
            "http://localhost:5173/api/users/user-7?delay_ms=100&via=worker"
        );
        let custom = options(json!({ "url": "https://api.github.com/users/octocat" }));
        assert_eq!(url(&custom, base, 3), "https://api.github.com/users/octocat");
    }

    #[test]
    fn a_run_counts_what_succeeded_and_what_failed() {
        let jobs = vec![answered(2, 0.0, 100.0), refused(0, 0.0, 1.0), answered(1, 0.0, 101.0)];
        let run = run(&options(json!({})), "b/", 0.0, 101.0, jobs);
        assert_eq!((run.mode, run.workers), (Mode::IoConcurrent, 1));
        assert_eq!(run.jobs.iter().map(|j| j.index).collect::<Vec<_>>(), [0, 1, 2]);
        let io = run.io.as_ref().unwrap();
        assert_eq!((io.requests, io.ok, io.failed), (3, 2, 1));
        assert_eq!(run.label, "3 × GET built-in endpoint (100 ms)");
        assert!(!run.correct, "a failed request makes the run incomplete");
        assert_eq!(run.jobs[0].spans[0].kind, SpanKind::RequestFailed);
        assert_eq!(run.jobs[1].spans[0].kind, SpanKind::Request);
        assert_eq!((run.n, run.expected), (None, None));
        let json = run.to_json();
        assert!(json.contains("\"servedBy\":\"server\"") && !json.contains("\"value\""), "{json}");
    }

    #[test]
    fn all_answered_is_correct_and_the_spawn_of_a_worker_counts() {
        let first = first_in_worker(answered(0, 5.0, 105.0), 0.0, 5.0);
        let run = run(
            &options(json!({ "mode": "io-workers", "requests": 2 })),
            "b/",
            0.0,
            106.0,
            vec![first, answered(1, 5.0, 106.0)],
        );
        assert!(run.correct);
        assert_eq!(run.workers, 2, "a worker per request");
        assert_eq!(run.spawn_ms, Some(5.0));
        assert_eq!(run.io.unwrap().waves, None, "waves are only counted for io-concurrent");
    }

    #[test]
    fn answers_capped_at_six_connections_come_back_in_two_waves() {
        let mut jobs: Vec<Job> = (0..6).map(|i| answered(i, 0.0, 100.0 + i as f64)).collect();
        assert_eq!(waves(&jobs), 1);
        jobs.extend((6..10).map(|i| answered(i, 0.0, 200.0 + i as f64)));
        assert_eq!(waves(&jobs), 2);
        assert_eq!(waves(&[]), 0);
    }
}
