//! The same modes natively, for the benchmark: the ceiling the wasm figures are compared against.
//!
//! `threadlab-native <single|threads|processes|gil> <n> <workers> [switch_ms]` prints the run as JSON;
//! `threadlab-native run '<options>'` does the same for the JS API's options (`{"mode": "gil", "work": "sha256"}`).
//! processes starts `workers` child processes of this binary (`threadlab-native job '<options>' <index> <created>`),
//! each reading its copy of the payload from its stdin and printing its job, like multiprocessing.Process. `threadlab-native convoy <n> <workers> <switch_ms> <requests>
//! <url>` runs the convoy alone and under the GIL, its requests plain HTTP/1.1 GETs of `url`, and prints each
//! regime's median latency, what the GIL added, and where its hand-overs' time went (`result::HandOver`).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, ExitCode, Stdio};

use serde_json::json;
use threadlab::clock::now_ms;
use threadlab::engines::cpu;
use threadlab::engines::runs::cpu_run;
use threadlab::inputs::check_run;
use threadlab::modes::Mode;
use threadlab::result::{Job, Request, Run};
use threadlab::spec::Options;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("threadlab-native: {message}\nusage: threadlab-native <single|threads|processes|gil> <n> <workers> [switch_ms]");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<String, String> {
    let number = |i: usize, name: &str| -> Result<f64, String> {
        let text = args.get(i).ok_or(format!("{name} is missing"))?;
        text.parse().map_err(|_| format!("{name} must be a number, got {text:?}"))
    };
    if args.first().map(String::as_str) == Some("convoy") {
        return convoy(number(1, "n")?, number(2, "workers")?, number(3, "switch_ms")?, number(4, "requests")?, args);
    }
    let given = |i: usize| -> Result<serde_json::Value, String> {
        serde_json::from_str(args.get(i).ok_or("options are missing")?).map_err(|e| e.to_string())
    };
    if args.first().map(String::as_str) == Some("job") {
        let options = check_run(&given(1)?).map_err(|e| e.message)?;
        // Ready: this process has started; then its payload comes through the pipe.
        let ready = now_ms();
        let mut payload = Vec::new();
        std::io::stdin().read_to_end(&mut payload).map_err(|e| e.to_string())?;
        let (index, created) = (number(2, "index")? as u32, number(3, "created")?);
        let job = cpu::process_job(&options.task(), &payload, index, created, &[created, created, created, ready]);
        return serde_json::to_string(&job).map_err(|e| e.to_string());
    }
    let given = if args.first().map(String::as_str) == Some("run") {
        given(1)?
    } else {
        let mode = args.first().and_then(|name| Mode::parse(name)).ok_or("the first argument must be a mode")?;
        let switch_ms = args.get(3).map_or(Ok(5.0), |_| number(3, "switch_ms"))?;
        json!({ "mode": mode, "n": number(1, "n")?, "workers": number(2, "workers")?, "switchMs": switch_ms })
    };
    let options = check_run(&given).map_err(|e| e.message)?;
    let run = match options.mode {
        Mode::Processes => processes(&given, &options)?,
        Mode::IoSequential | Mode::IoConcurrent | Mode::IoWorkers => {
            return Err("the io modes run in the browser; the bench measures CPython's requests instead".into())
        }
        _ => cpu_run(&options)?,
    };
    Ok(run.to_json())
}

fn processes(given: &serde_json::Value, options: &Options) -> Result<Run, String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let payload = std::sync::Arc::new(threadlab::work::payload(options.payload_mb));
    let started = now_ms();
    let children = (0..options.workers)
        .map(|index| {
            let created = now_ms().to_string();
            let mut child = Command::new(&me)
                .args(["job", &given.to_string(), &index.to_string(), &created])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .map_err(|e| format!("could not start process {index}: {e}"))?;
            // The copy: through a pipe, as multiprocessing sends a pickled argument.
            let mut stdin = child.stdin.take().ok_or("no pipe to the process")?;
            let payload = std::sync::Arc::clone(&payload);
            std::thread::spawn(move || stdin.write_all(&payload));
            Ok(child)
        })
        .collect::<Result<Vec<_>, String>>()?;
    let jobs = children
        .into_iter()
        .map(|child| {
            let output = child.wait_with_output().map_err(|e| e.to_string())?;
            serde_json::from_slice::<Job>(&output.stdout).map_err(|e| format!("a process sent no job: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(cpu::processes(Mode::Processes, &options.task(), options.workers, started, jobs))
}

/// The convoy natively: the IO thread's latency alone and beside `workers` CPU threads under the GIL.
fn convoy(n: f64, workers: f64, switch_ms: f64, requests: f64, args: &[String]) -> Result<String, String> {
    let url = args.get(5).ok_or("url is missing")?;
    let (mut medians, mut hand_over, mut wait) = (Vec::new(), None, 0.0);
    for mode in ["io-sequential", "gil"] {
        let given = json!({ "mode": mode, "n": n, "workers": workers, "switchMs": switch_ms, "requests": requests, "url": url });
        let options = Options { convoy: true, ..check_run(&given).map_err(|e| e.message)? };
        let run = threadlab::engines::convoy::run(&options, "", &get);
        let summary = run.convoy.ok_or("no convoy figures")?;
        if !summary.correct {
            return Err(format!("{mode}: a request failed or a fib was wrong"));
        }
        medians.push(summary.latency_ms.median);
        (hand_over, wait) = (summary.hand_over, summary.gil_wait_ms);
    }
    let added = medians[1] - medians[0];
    let figures = json!({ "aloneMs": medians[0], "gilMs": medians[1], "addedMs": added, "gilWaitMs": wait, "handOver": hand_over });
    Ok(figures.to_string())
}

/// A blocking HTTP/1.1 GET of a plain `http://host:port/path` URL, as a Python thread's socket makes it.
fn get(url: &str, timeout_ms: u32) -> Request {
    let failed =
        |error: String| Request { url: url.into(), status: None, bytes: 0, error: Some(error), served_by: None };
    let Some((host, path)) = url.strip_prefix("http://").map(|rest| rest.split_once('/').unwrap_or((rest, ""))) else {
        return failed("only http:// addresses".into());
    };
    let answer = (|| -> std::io::Result<Vec<u8>> {
        let mut stream = TcpStream::connect(host)?;
        stream.set_read_timeout(Some(std::time::Duration::from_millis(timeout_ms.into())))?;
        stream.set_nodelay(true)?;
        write!(stream, "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer)?;
        Ok(answer)
    })();
    match answer {
        Err(error) => failed(error.to_string()),
        Ok(answer) => {
            let status = String::from_utf8_lossy(&answer).split(' ').nth(1).and_then(|code| code.parse().ok());
            let ok = status.is_some_and(|code: u16| (200..300).contains(&code));
            let error = (!ok).then(|| format!("HTTP {status:?}"));
            Request { url: url.into(), status, bytes: answer.len() as u64, error, served_by: None }
        }
    }
}
