//! The inputs and their rules, as data. The page builds its fields from `FIELDS`, and every way in (form, URL,
//! JS API) is checked here, so a rule lives in one place.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::modes::{Mode, MODES};

/// One numeric input.
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    /// The JS API option name; error messages name the field by it.
    pub name: &'static str,
    /// The URL parameter.
    pub param: &'static str,
    pub label: &'static str,
    pub min: f64,
    pub max: f64,
    pub default: f64,
    /// Whole numbers only.
    pub whole: bool,
    pub hint: &'static str,
}

pub const N: Field = Field {
    name: "n",
    param: "n",
    label: "n",
    min: 0.0,
    max: 45.0,
    default: 40.0,
    whole: true,
    hint: "fib(n) per job; fib(45) takes seconds",
};

pub const WORKERS: Field = Field {
    name: "workers",
    param: "workers",
    label: "workers",
    min: 1.0,
    max: 64.0,
    default: 2.0,
    whole: true,
    hint: "CPU modes: k jobs, and the threads or processes that run them",
};

pub const REPEATS: Field = Field {
    name: "repeats",
    param: "repeats",
    label: "repeats",
    min: 1.0,
    max: 50.0,
    default: 3.0,
    whole: true,
    hint: "timed runs of each mode, after one untimed warm-up; figures are their median and range",
};

pub const SWITCH_MS: Field = Field {
    name: "switchMs",
    param: "switch_ms",
    label: "switch interval (ms)",
    min: 0.1,
    max: 100.0,
    default: 5.0,
    whole: false,
    hint: "gil mode: like sys.setswitchinterval; CPython's default is 5 ms",
};

pub const REQUESTS: Field = Field {
    name: "requests",
    param: "requests",
    label: "requests",
    min: 1.0,
    max: 100.0,
    default: 10.0,
    whole: true,
    hint: "io modes: K GET requests per run (io-workers starts a worker for each)",
};

pub const DELAY_MS: Field = Field {
    name: "delayMs",
    param: "delay_ms",
    label: "delay (ms)",
    min: 0.0,
    max: 10000.0,
    default: 100.0,
    whole: true,
    hint: "io modes: how long the built-in endpoint waits before it answers",
};

pub const TIMEOUT_MS: Field = Field {
    name: "timeoutMs",
    param: "timeout_ms",
    label: "timeout (ms)",
    min: 100.0,
    max: 60000.0,
    default: 10000.0,
    whole: true,
    hint: "io modes: a request still unanswered after this fails",
};

pub const FIELDS: &[&Field] = &[&N, &WORKERS, &REPEATS, &SWITCH_MS, &REQUESTS, &DELAY_MS, &TIMEOUT_MS];

/// Who answers the built-in endpoint: the dev/preview server's middleware, or the page's service worker (on a
/// static host). `auto` lets the page pick; it is resolved before any request is made.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Endpoint {
    Auto,
    Server,
    Worker,
}

/// What one run needs, checked. It crosses to the workers as JSON, so it also deserialises.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Options {
    pub mode: Mode,
    pub n: u32,
    pub workers: u32,
    pub repeats: u32,
    pub switch_ms: f64,
    pub requests: u32,
    pub delay_ms: u32,
    pub timeout_ms: u32,
    /// A URL to request instead of the built-in endpoint.
    pub url: Option<String>,
    pub endpoint: Endpoint,
}

/// A rejected input: which field, and a sentence for the visitor.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl Field {
    /// Reads this field from a JSON object of options: absent or null means the default; a number or a string
    /// holding one is accepted when it is finite, in range and (for whole fields) whole.
    pub fn read(&self, options: &Value) -> Result<f64, FieldError> {
        let given = options.get(self.name).unwrap_or(&Value::Null);
        let number = match given {
            Value::Null => return Ok(self.default),
            Value::Number(number) => number.as_f64(),
            Value::String(text) => text.trim().parse::<f64>().ok(),
            _ => None,
        };
        match number {
            Some(x) if x.is_finite() && (x.fract() == 0.0 || !self.whole) && x >= self.min && x <= self.max => Ok(x),
            _ => Err(FieldError { field: self.name, message: format!("{} (got {})", self.rule(), shown(given)) }),
        }
    }

    fn rule(&self) -> String {
        let kind = if self.whole { "a whole number" } else { "a number" };
        format!("{} must be {kind} from {} to {}", self.name, self.min, self.max)
    }
}

/// How a rejected value is quoted back: short, and as the visitor typed it.
fn shown(value: &Value) -> String {
    let text = match value {
        Value::String(text) if text.trim().is_empty() => return "nothing".into(),
        other => other.to_string(),
    };
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// The URL to request: absent or empty means the built-in endpoint. Only absolute http(s) addresses, without
/// spaces or control characters, pass; the browser's fetch checks the rest and reports it per request.
fn read_url(options: &Value) -> Result<Option<String>, FieldError> {
    let given = options.get("url").unwrap_or(&Value::Null);
    let text = match given {
        Value::Null => return Ok(None),
        Value::String(text) if text.trim().is_empty() => return Ok(None),
        Value::String(text) => text.trim(),
        _ => "",
    };
    let lower = text.to_ascii_lowercase();
    let host = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    let well_formed = host.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && text.len() <= 2048
        && !text.chars().any(|c| c.is_whitespace() || c.is_control());
    if well_formed {
        Ok(Some(text.to_string()))
    } else {
        Err(FieldError { field: "url", message: format!("url must be an http:// or https:// address (got {})", shown(given)) })
    }
}

fn read_endpoint(options: &Value) -> Result<Endpoint, FieldError> {
    match options.get("endpoint").unwrap_or(&Value::Null) {
        Value::Null => Ok(Endpoint::Auto),
        Value::String(name) if name == "auto" => Ok(Endpoint::Auto),
        Value::String(name) if name == "server" => Ok(Endpoint::Server),
        Value::String(name) if name == "worker" => Ok(Endpoint::Worker),
        other => Err(FieldError {
            field: "endpoint",
            message: format!("endpoint must be one of auto, server, worker (got {})", shown(other)),
        }),
    }
}

/// Reads every setting but the mode; a bad one is added to `errors` and replaced by its default.
fn read_settings(source: &Value, mode: Mode, errors: &mut Vec<FieldError>) -> Options {
    let mut number = |field: &Field| field.read(source).unwrap_or_else(|e| {
        errors.push(e);
        field.default
    });
    let (n, workers, repeats, switch_ms) = (number(&N), number(&WORKERS), number(&REPEATS), number(&SWITCH_MS));
    let (requests, delay_ms, timeout_ms) = (number(&REQUESTS), number(&DELAY_MS), number(&TIMEOUT_MS));
    let url = read_url(source).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let endpoint = read_endpoint(source).unwrap_or_else(|e| {
        errors.push(e);
        Endpoint::Auto
    });
    Options {
        mode,
        n: n as u32,
        workers: workers as u32,
        repeats: repeats as u32,
        switch_ms,
        requests: requests as u32,
        delay_ms: delay_ms as u32,
        timeout_ms: timeout_ms as u32,
        url,
        endpoint,
    }
}

fn read_mode(value: &Value, field: &'static str) -> Result<Mode, FieldError> {
    value.as_str().and_then(Mode::parse).ok_or_else(|| FieldError {
        field,
        message: format!("{field} must be one of {} (got {})", Mode::names().join(", "), shown(value)),
    })
}

/// Checks the options of one run (the JS API's `run`): `mode` is required, the numbers default.
pub fn check_run(options: &Value) -> Result<Options, FieldError> {
    if !options.is_object() {
        return Err(FieldError { field: "options", message: "options must be an object like { mode: 'single', n: 30 }".into() });
    }
    let mode = read_mode(options.get("mode").unwrap_or(&Value::Null), "mode")?;
    let mut errors = Vec::new();
    let checked = read_settings(options, mode, &mut errors);
    match errors.into_iter().next() {
        Some(error) => Err(error),
        None => Ok(checked),
    }
}

/// Checks the page's whole form (or URL): a list of modes (by default all of them: the article's experiment) and
/// the numbers, reporting every bad field at once.
pub fn check_form(form: &Value) -> Result<Vec<Options>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let settings = read_settings(form, Mode::Single, &mut errors);
    let modes: Vec<Mode> = match form.get("modes").and_then(Value::as_str) {
        None => MODES.iter().map(|info| info.mode).collect(),
        Some(list) => list
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .filter_map(|name| read_mode(&Value::from(name), "modes").map_err(|e| errors.push(e)).ok())
            .collect(),
    };
    if modes.is_empty() && errors.iter().all(|e| e.field != "modes") {
        errors.push(FieldError { field: "modes", message: "modes: pick at least one mode".into() });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(modes.into_iter().map(|mode| Options { mode, ..settings.clone() }).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_and_numeric_strings_in_range_are_accepted() {
        let options = check_run(&json!({ "mode": "threads", "n": "30", "workers": 4, "switchMs": 0.5 })).unwrap();
        assert_eq!((options.mode, options.n, options.workers, options.switch_ms), (Mode::Threads, 30, 4, 0.5));
        let options = check_run(&json!({ "mode": "io-concurrent", "requests": "20", "delayMs": 0, "timeoutMs": 500 })).unwrap();
        assert_eq!((options.requests, options.delay_ms, options.timeout_ms), (20, 0, 500));
        assert_eq!(check_run(&json!({ "mode": "single", "n": " 45 " })).unwrap().n, 45);
        assert_eq!(check_run(&json!({ "mode": "single", "n": 0 })).unwrap().n, 0);
    }

    #[test]
    fn absent_fields_take_their_defaults() {
        let options = check_run(&json!({ "mode": "gil" })).unwrap();
        // The article's experiment: fib(40) on 2 workers, and 10 requests.
        assert_eq!((options.n, options.workers, options.repeats, options.switch_ms), (40, 2, 3, 5.0));
        assert_eq!((options.requests, options.delay_ms, options.timeout_ms), (10, 100, 10000));
        assert_eq!((options.url, options.endpoint), (None, Endpoint::Auto));
    }

    #[test]
    fn only_http_and_https_addresses_are_requested() {
        let url = |value: Value| check_run(&json!({ "mode": "io-sequential", "url": value }));
        assert_eq!(url(json!(" https://api.github.com/users/octocat ")).unwrap().url.as_deref(), Some("https://api.github.com/users/octocat"));
        assert_eq!(url(json!("HTTP://127.0.0.1:9/")).unwrap().url.as_deref(), Some("HTTP://127.0.0.1:9/"));
        assert_eq!(url(json!("")).unwrap().url, None);
        for bad in [json!("javascript:alert(1)"), json!("ftp://x"), json!("https://"), json!("https:///path"),
            json!("//example.com"), json!("https://exa mple.com"), json!("https://x/\u{0}"), json!(42)] {
            let error = url(bad.clone()).expect_err(&format!("{bad} should be rejected"));
            assert_eq!(error.field, "url");
            assert!(error.message.starts_with("url must be an http:// or https:// address"), "{}", error.message);
        }
    }

    #[test]
    fn the_endpoint_is_auto_server_or_worker() {
        let endpoint = |value: Value| check_run(&json!({ "mode": "io-sequential", "endpoint": value }));
        assert_eq!(endpoint(json!("worker")).unwrap().endpoint, Endpoint::Worker);
        assert_eq!(endpoint(json!("server")).unwrap().endpoint, Endpoint::Server);
        assert_eq!(endpoint(json!("cloud")).unwrap_err().field, "endpoint");
    }

    #[test]
    fn bad_numbers_are_rejected_naming_the_field() {
        let cases = [
            ("n", json!(-1)),
            ("n", json!(46)),
            ("n", json!(1e9)),
            ("n", json!("1e9")),
            ("n", json!("abc")),
            ("n", json!("")),
            ("n", json!(30.5)),
            ("n", json!("NaN")),
            ("n", json!(true)),
            ("workers", json!(0)),
            ("workers", json!(65)),
            ("workers", json!("2 workers")),
            ("repeats", json!(0)),
            ("repeats", json!(51)),
            ("repeats", json!(2.5)),
            ("switchMs", json!(0.05)),
            ("switchMs", json!("inf")),
            ("requests", json!(0)),
            ("requests", json!(101)),
            ("delayMs", json!(-5)),
            ("delayMs", json!(10001)),
            ("timeoutMs", json!(50)),
        ];
        for (field, value) in cases {
            let mut options = json!({ "mode": "single" });
            options[field] = value.clone();
            let error = check_run(&options).expect_err(&format!("{field}={value} should be rejected"));
            assert_eq!(error.field, field);
            assert!(error.message.starts_with(field), "{}", error.message);
        }
    }

    #[test]
    fn the_message_quotes_what_was_given_briefly() {
        let error = check_run(&json!({ "mode": "single", "n": "" })).unwrap_err();
        assert_eq!(error.message, "n must be a whole number from 0 to 45 (got nothing)");
        let long = "9".repeat(100);
        let error = check_run(&json!({ "mode": "single", "n": long })).unwrap_err();
        assert!(error.message.chars().count() < 100, "{}", error.message);
    }

    #[test]
    fn the_mode_must_be_a_known_one() {
        assert_eq!(check_run(&json!({ "n": 3 })).unwrap_err().field, "mode");
        let error = check_run(&json!({ "mode": "fibers" })).unwrap_err();
        assert_eq!(error.message, "mode must be one of single, threads, processes, gil, io-sequential, io-concurrent, io-workers (got \"fibers\")");
        assert_eq!(check_run(&json!("single")).unwrap_err().field, "options");
    }

    #[test]
    fn the_form_reports_every_bad_field_at_once() {
        let errors = check_form(&json!({ "n": "x", "workers": "0", "modes": "single,warp" })).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["n", "workers", "modes"]);
        assert_eq!(check_form(&json!({ "modes": "" })).unwrap_err()[0].field, "modes");
    }

    #[test]
    fn the_form_defaults_to_every_mode() {
        let runs = check_form(&json!({ "n": "25" })).unwrap();
        let modes: Vec<Mode> = runs.iter().map(|o| o.mode).collect();
        assert_eq!(modes, Mode::names().iter().map(|name| Mode::parse(name).unwrap()).collect::<Vec<_>>());
        assert!(runs.iter().all(|o| o.n == 25 && o.workers == 2));
        let runs = check_form(&json!({ "modes": "gil, single" })).unwrap();
        assert_eq!(runs.iter().map(|o| o.mode).collect::<Vec<_>>(), [Mode::Gil, Mode::Single]);
    }
}
