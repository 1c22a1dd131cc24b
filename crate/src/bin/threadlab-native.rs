//! The same modes natively, for the benchmark: the ceiling the wasm figures are compared against.
//!
//! `threadlab-native <single|threads|processes|gil> <n> <workers> [switch_ms]` prints the run as JSON.
//! processes starts `workers` child processes of this binary (`threadlab-native job <n> <index> <created>`), each
//! printing its job, like multiprocessing.Process.

use std::process::{Command, ExitCode, Stdio};

use serde_json::json;
use threadlab::clock::now_ms;
use threadlab::cpu;
use threadlab::modes::Mode;
use threadlab::options::check_run;
use threadlab::result::{Job, Run};
use threadlab::runs::cpu_run;

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
    if args.first().map(String::as_str) == Some("job") {
        let job = cpu::process_job(number(1, "n")? as u32, number(2, "index")? as u32, number(3, "created")?);
        return serde_json::to_string(&job).map_err(|e| e.to_string());
    }
    let mode = args.first().and_then(|name| Mode::parse(name)).ok_or("the first argument must be a mode")?;
    let switch_ms = args.get(3).map_or(Ok(5.0), |_| number(3, "switch_ms"))?;
    let given = json!({ "mode": mode, "n": number(1, "n")?, "workers": number(2, "workers")?, "switchMs": switch_ms });
    let options = check_run(&given).map_err(|e| e.message)?;
    let run = match mode {
        Mode::Processes => processes(options.n, options.workers)?,
        Mode::IoSequential | Mode::IoConcurrent | Mode::IoWorkers => {
            return Err("the io modes run in the browser; the bench measures CPython's requests instead".into())
        }
        _ => cpu_run(&options)?,
    };
    Ok(run.to_json())
}

fn processes(n: u32, k: u32) -> Result<Run, String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let started = now_ms();
    let children = (0..k)
        .map(|index| {
            let created = now_ms().to_string();
            Command::new(&me)
                .args(["job", &n.to_string(), &index.to_string(), &created])
                .stdout(Stdio::piped())
                .spawn()
                .map_err(|e| format!("could not start process {index}: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let jobs = children
        .into_iter()
        .map(|child| {
            let output = child.wait_with_output().map_err(|e| e.to_string())?;
            serde_json::from_slice::<Job>(&output.stdout).map_err(|e| format!("a process sent no job: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(cpu::processes(n, k, started, jobs))
}
