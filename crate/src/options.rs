//! The inputs and their rules, as data. `FIELDS` names every input of every door (the form, the URL, the JS API, a
//! share link's settings) with its kind, default and hint; the page builds its form from it, and every way in is
//! checked here, so a rule lives in one place.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::convoy::Regime;
use crate::experiments::{default_ks, default_modes, Experiment};
use crate::modes::{Engine, Kind, Mode, MODES};

/// One input.
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    /// The JS API option and the form's key; error messages name the field by it.
    pub name: &'static str,
    /// The URL parameter, for an input of the form and the URL; none for one of the API alone.
    pub param: Option<&'static str>,
    /// Whether the JS API takes it.
    pub api: bool,
    pub label: &'static str,
    pub hint: &'static str,
    #[serde(flatten)]
    pub kind: FieldKind,
}

/// What an input holds, and its default.
#[derive(Serialize, Debug)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum FieldKind {
    /// A number from `min` to `max`, whole if `whole`.
    Number { min: f64, max: f64, default: f64, whole: bool },
    /// An http(s) address; none means the built-in endpoint.
    Url { placeholder: &'static str },
    /// One of `choices`.
    Choice { choices: &'static [Choice], default: &'static str },
    /// One mode (the JS API runs one at a time).
    Mode,
    /// A comma-separated list of modes (the form and the URL); none means every mode that can run.
    Modes,
    /// Numbers from `min` to `max` (whole if `whole`), each once, at most `most` of them: comma-separated text
    /// through the URL and the form, an array through the API. None means the experiment's default.
    List { min: f64, max: f64, most: usize, whole: bool },
    /// A program's source text, at most `most` characters; none or blank means threadlab's own.
    Code { most: usize },
}

#[derive(Serialize, Debug)]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

const fn number(
    name: &'static str,
    param: &'static str,
    label: &'static str,
    range: [f64; 3],
    whole: bool,
    hint: &'static str,
) -> Field {
    let [min, max, default] = range;
    Field { name, param: Some(param), api: true, label, hint, kind: FieldKind::Number { min, max, default, whole } }
}

pub const MODE: Field =
    Field { name: "mode", param: None, api: true, label: "mode", hint: "the mode to run", kind: FieldKind::Mode };

pub const MODES_PICKED: Field = Field {
    name: "modes",
    param: Some("modes"),
    api: false,
    label: "modes",
    hint: "the modes to run, in the picker's order",
    kind: FieldKind::Modes,
};

pub const N: Field = number("n", "n", "n", [0.0, 45.0, 40.0], true, "fib(n) per job; fib(45) takes seconds");

pub const WORKERS: Field = number(
    "workers",
    "workers",
    "workers",
    [1.0, 64.0, 2.0],
    true,
    "CPU modes: k jobs, and the threads or processes that run them",
);

pub const REPEATS: Field = number(
    "repeats",
    "repeats",
    "repeats",
    [1.0, 50.0, 3.0],
    true,
    "timed runs of each mode, after one untimed warm-up; figures are their median and range",
);

pub const SWITCH_MS: Field = number(
    "switchMs",
    "switch_ms",
    "switch interval (ms)",
    [0.1, 100.0, 5.0],
    false,
    "gil mode: like sys.setswitchinterval; CPython's default is 5 ms",
);

pub const REQUESTS: Field = number(
    "requests",
    "requests",
    "requests",
    [1.0, 100.0, 10.0],
    true,
    "io modes: K GET requests per run (io-workers starts a worker for each)",
);

pub const DELAY_MS: Field = number(
    "delayMs",
    "delay_ms",
    "delay (ms)",
    [0.0, 10000.0, 100.0],
    true,
    "io modes: how long the built-in endpoint waits before it answers",
);

pub const TIMEOUT_MS: Field = number(
    "timeoutMs",
    "timeout_ms",
    "timeout (ms)",
    [100.0, 60000.0, 10000.0],
    true,
    "io modes: a request still unanswered after this fails",
);

pub const URL: Field = Field {
    name: "url",
    param: Some("url"),
    api: true,
    label: "URL",
    hint: "io modes: an http(s) address to GET instead, e.g. https://api.github.com/users/octocat (fetched without \
           cookies; it must allow CORS)",
    kind: FieldKind::Url { placeholder: "empty: the built-in endpoint" },
};

pub const ENDPOINT: Field = Field {
    name: "endpoint",
    param: Some("endpoint"),
    api: true,
    label: "built-in endpoint answered by",
    hint: "io modes: who answers the built-in endpoint",
    kind: FieldKind::Choice {
        choices: &[
            Choice { value: "auto", label: "auto: the server if it can" },
            Choice { value: "server", label: "the server (HTTP/1.1: 6 at a time)" },
            Choice { value: "worker", label: "the page's service worker" },
        ],
        default: "auto",
    },
};

pub const EXPERIMENT: Field = Field {
    name: "experiment",
    param: Some("experiment"),
    api: false,
    label: "experiment",
    hint: "the article's (every mode picked, at one k), how the CPU modes scale with k, or what CPU-bound threads \
           do to an IO thread, or a Python program in real CPython beside the emulation",
    kind: FieldKind::Choice {
        choices: &[
            Choice { value: "article", label: "the article's: every mode at one k" },
            Choice { value: "scaling", label: "scaling: the CPU modes at each k" },
            Choice { value: "convoy", label: "convoy: an IO thread beside CPU work" },
            Choice { value: "python", label: "python: real CPython beside the emulation" },
        ],
        default: "article",
    },
};

pub const KS: Field = Field {
    name: "ks",
    param: Some("ks"),
    api: false,
    label: "k's",
    hint: "scaling: the k's to run, like 1,2,4,8; empty: 1, 2, 3, … up to twice this machine's cores",
    kind: FieldKind::List { min: 1.0, max: 64.0, most: 16, whole: true },
};

pub const INTERVALS: Field = Field {
    name: "intervals",
    param: Some("intervals"),
    api: false,
    label: "sweep (ms)",
    hint: "convoy: the switch intervals gil also runs at, like 0.5,1,5,20; empty: those",
    kind: FieldKind::List { min: 0.1, max: 100.0, most: 8, whole: false },
};

pub const ENGINE: Field = Field {
    name: "engine",
    param: None,
    api: true,
    label: "engine",
    hint: "what computes the run: threadlab's Rust, or real CPython 3.14 (Pyodide) running the Python program",
    kind: FieldKind::Choice {
        choices: &[
            Choice { value: "rust", label: "the Rust emulation" },
            Choice { value: "python", label: "CPython 3.14 (Pyodide)" },
        ],
        default: "rust",
    },
};

pub const CODE: Field = Field {
    name: "code",
    param: Some("code"),
    api: true,
    label: "Python code",
    hint: "python: the program CPython runs (empty: threadlab's own); a link carries it but never runs it",
    kind: FieldKind::Code { most: MAX_CODE },
};

/// The longest Python program a run takes: a share link must hold it (see share.rs).
pub const MAX_CODE: usize = 8000;

/// The most interpreters CPython's processes start: each is a worker with about 40 MB of its own (measured in
/// the bench), and more than a few starting at once stall some browsers.
pub const MOST_INTERPRETERS: u32 = 4;

/// Every input, in the order error messages and the docs list them.
pub const FIELDS: &[&Field] = &[
    &N,
    &WORKERS,
    &REPEATS,
    &SWITCH_MS,
    &REQUESTS,
    &DELAY_MS,
    &TIMEOUT_MS,
    &MODES_PICKED,
    &MODE,
    &URL,
    &ENDPOINT,
    &EXPERIMENT,
    &KS,
    &INTERVALS,
    &ENGINE,
    &CODE,
];

/// The URL's parameters that are not inputs of a run but of the page: it ignores any other, with a note.
pub const PAGE_PARAMS: &[&str] = &["autorun", "embed"];

/// Every URL parameter the page reads.
pub fn params() -> Vec<&'static str> {
    FIELDS.iter().filter_map(|f| f.param).chain(PAGE_PARAMS.iter().copied()).collect()
}

/// Whether `key` names one of the form's values (`check_form` reads these and ignores any other).
pub fn is_form_key(key: &str) -> bool {
    FIELDS.iter().any(|f| f.param.is_some() && f.name == key)
}

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
    /// A run of the convoy experiment: an IO thread makes the requests one after another beside this mode's k CPU
    /// threads (io-sequential: alone). See `convoy.rs`.
    #[serde(default)]
    pub convoy: bool,
    #[serde(default, skip_serializing_if = "Engine::is_rust")]
    pub engine: Engine,
    /// The Python program of a run in CPython; none: threadlab's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

impl Options {
    /// How many jobs a run of these options has: k fib(n) jobs, or K requests.
    pub fn jobs(&self) -> u32 {
        match self.mode.info().kind {
            Kind::Cpu => self.workers,
            Kind::Io => self.requests,
        }
    }
}

/// A rejected input: which field, and a sentence for the visitor.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    fn new(field: &str, message: String) -> FieldError {
        FieldError { field: field.into(), message }
    }
}

/// How values arrive. Through the JS API they are JSON, typed as the README states: a number where a number is
/// expected. Through the URL and the form every value is text by nature, and a URL can repeat a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    Api,
    Text,
}

/// How JavaScript's numbers that JSON cannot carry arrive through the API.
const NON_FINITE: &[&str] = &["Infinity", "-Infinity", "NaN"];

impl Field {
    /// The value given for this field, or None when it is absent or null (the default). Through the URL a
    /// parameter given more than once arrives as a list: which one counts would be a guess, so none does.
    fn given<'a>(&self, source: &'a Value, door: Door) -> Result<Option<&'a Value>, FieldError> {
        match source.get(self.name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(values)) if door == Door::Text => Err(self.error(format!(
                "{} is given {} times in the address: give it once",
                self.param.unwrap_or(self.name),
                values.len()
            ))),
            Some(value) => Ok(Some(value)),
        }
    }

    /// Reads a number field: absent or null means the default; a number (or, through the URL and the form, text
    /// holding one) is accepted when it is finite, in range and (for whole fields) whole.
    pub fn number(&self, source: &Value, door: Door) -> Result<f64, FieldError> {
        self.number_for(source, door, Experiment::Article)
    }

    /// Reads a number field as `experiment` defaults it (see `ExperimentInfo::defaults`).
    pub fn number_for(&self, source: &Value, door: Door, experiment: Experiment) -> Result<f64, FieldError> {
        let FieldKind::Number { min, max, default, whole } = self.kind else {
            unreachable!("{} is not a number", self.name)
        };
        let default = experiment.default_of(self.name).unwrap_or(default);
        let Some(given) = self.given(source, door)? else { return Ok(default) };
        let kind = if whole { "a whole number" } else { "a number" };
        let rule = format!("{} must be {kind} from {min} to {max}", self.name);
        let number = match (given, door) {
            (Value::Number(number), _) => number.as_f64(),
            (Value::String(text), Door::Text) => text.trim().parse::<f64>().ok(),
            // JSON has no such numbers: the page sends a JavaScript Infinity or NaN by its name (lab.js).
            (Value::String(text), Door::Api) if NON_FINITE.contains(&text.as_str()) => None,
            (Value::String(_), Door::Api) => return Err(self.error(format!("{rule}, not text (got {})", shown(given)))),
            _ => None,
        };
        match number {
            Some(x) if x.is_finite() && (x.fract() == 0.0 || !whole) && x >= min && x <= max => Ok(x),
            _ => Err(self.error(format!("{rule} (got {})", shown(given)))),
        }
    }

    /// Reads a choice field: one of its choices' values, or its default.
    fn choice(&self, source: &Value, door: Door) -> Result<&'static str, FieldError> {
        let FieldKind::Choice { choices, default } = self.kind else { unreachable!("{} is not a choice", self.name) };
        let Some(given) = self.given(source, door)? else { return Ok(default) };
        let picked = choices.iter().find(|choice| given.as_str() == Some(choice.value));
        picked.map(|choice| choice.value).ok_or_else(|| {
            let values: Vec<&str> = choices.iter().map(|choice| choice.value).collect();
            self.error(format!("{} must be one of {} (got {})", self.name, values.join(", "), shown(given)))
        })
    }

    fn error(&self, message: String) -> FieldError {
        FieldError::new(self.name, message)
    }
}

/// How a rejected value is quoted back: short, and as the visitor typed it.
fn shown(value: &Value) -> String {
    let brief = |text: &str| match text.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    };
    match value {
        Value::String(text) if text.trim().is_empty() => "nothing".into(),
        Value::String(text) => Value::String(brief(text)).to_string(),
        other => brief(&other.to_string()),
    }
}

/// The URL to request: absent or empty means the built-in endpoint. Only absolute http(s) addresses in plain
/// ASCII, without spaces or control characters, pass (a look-alike letter from another script can pass for a
/// familiar host, so international names must come as punycode); the browser's fetch checks the rest and reports
/// it per request.
fn read_url(source: &Value, door: Door) -> Result<Option<String>, FieldError> {
    let text = match URL.given(source, door)? {
        None => return Ok(None),
        Some(Value::String(text)) if text.trim().is_empty() => return Ok(None),
        Some(Value::String(text)) => text.trim(),
        Some(_) => "",
    };
    let lower = text.to_ascii_lowercase();
    let host = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    let scheme =
        lower.split_once(':').map(|(scheme, _)| scheme).filter(|s| s.chars().all(|c| c.is_ascii_alphanumeric()));
    let problem = if !text.is_ascii() {
        Some("in plain ASCII (an international host name as punycode, xn--…)")
    } else if host.is_none() && scheme.is_some_and(|s| !s.is_empty()) {
        Some("only: other schemes are never requested")
    } else if !host.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        || text.len() > 2048
        || text.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        Some("with a host, at most 2048 characters, no spaces")
    } else {
        None
    };
    match problem {
        None => Ok(Some(text.to_string())),
        Some(why) => {
            let given = source.get("url").unwrap_or(&Value::Null);
            Err(URL.error(format!("url must be an http:// or https:// address {why} (got {})", shown(given))))
        }
    }
}

/// Reads a list field: None when not given (the experiment's default, which may depend on the machine).
pub fn read_list(field: &Field, source: &Value, door: Door) -> Result<Option<Vec<f64>>, FieldError> {
    let FieldKind::List { min, max, most, whole } = field.kind else { unreachable!("{} is a list", field.name) };
    let Some(given) = field.given(source, door)? else { return Ok(None) };
    let kind = if whole { "whole numbers" } else { "numbers" };
    let rule = format!("{} must be {kind} from {min} to {max}, each once, at most {most} of them", field.name);
    let items: Vec<Option<f64>> = match (given, door) {
        (Value::String(text), Door::Text) if text.trim().is_empty() => return Ok(None),
        (Value::String(text), Door::Text) => text.split(',').map(|item| item.trim().parse::<f64>().ok()).collect(),
        (Value::Array(values), Door::Api) => values.iter().map(Value::as_f64).collect(),
        _ => vec![None],
    };
    let fits = |x: &Option<f64>| x.is_some_and(|x| x.is_finite() && (!whole || x.fract() == 0.0));
    let list: Vec<f64> = items.iter().filter(|x| fits(x)).map(|x| x.unwrap()).collect();
    let problem = if items.is_empty() || list.len() < items.len() {
        if whole {
            "a whole number each"
        } else {
            "a number each"
        }
    } else if list.iter().any(|x| !(min..=max).contains(x)) {
        "each in range"
    } else if (1..list.len()).any(|i| list[..i].contains(&list[i])) {
        "each once"
    } else if list.len() > most {
        "not so many"
    } else {
        return Ok(Some(list));
    };
    Err(field.error(format!("{rule}: {problem} (got {})", shown(given))))
}

/// Reads the k's of the scaling experiment: None when not given (its default, which depends on the machine).
pub fn read_ks(source: &Value, door: Door) -> Result<Option<Vec<u32>>, FieldError> {
    Ok(read_list(&KS, source, door)?.map(|ks| ks.into_iter().map(|k| k as u32).collect()))
}

/// Reads the switch intervals of the convoy's sweep, or its default; through the API, `[]` is no sweep.
pub fn read_intervals(source: &Value, door: Door) -> Result<Vec<f64>, FieldError> {
    if door == Door::Api && source.get(INTERVALS.name).and_then(Value::as_array).is_some_and(Vec::is_empty) {
        return Ok(Vec::new());
    }
    Ok(read_list(&INTERVALS, source, door)?.unwrap_or_else(|| crate::experiments::DEFAULT_INTERVALS.to_vec()))
}

/// Reads which experiment the form or URL asks for.
pub fn read_experiment(source: &Value, door: Door) -> Result<Experiment, FieldError> {
    Ok(Experiment::parse(EXPERIMENT.choice(source, door)?).expect("every choice of experiment is an Experiment"))
}

fn read_engine(source: &Value, door: Door) -> Result<Engine, FieldError> {
    let value = ENGINE.choice(source, door)?;
    Ok(serde_json::from_value(Value::from(value)).expect("every choice of engine is an Engine"))
}

/// The Python program given: text of at most `MAX_CODE` characters; none or blank means threadlab's own.
fn read_code(source: &Value, door: Door) -> Result<Option<String>, FieldError> {
    match CODE.given(source, door)? {
        None => Ok(None),
        Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
        Some(Value::String(text)) if text.chars().count() <= MAX_CODE => Ok(Some(text.clone())),
        Some(Value::String(text)) => {
            Err(CODE
                .error(format!("code must be at most {MAX_CODE} characters of Python (got {})", text.chars().count())))
        }
        Some(other) => Err(CODE.error(format!("code must be Python source as text (got {})", shown(other)))),
    }
}

/// What a run in CPython may not ask: a mode CPython does not run, too many interpreters; and code without it.
fn check_engine(options: &Options) -> Result<(), FieldError> {
    let has = || MODES.iter().filter(|info| info.cpython.is_some()).map(|info| info.label).collect::<Vec<_>>();
    match options.engine {
        Engine::Rust if options.code.is_some() => {
            Err(CODE.error("code is the Python program of a run in CPython: give it with engine: 'python'".into()))
        }
        Engine::Python if options.mode.info().cpython.is_none() => Err(FieldError::new(
            "mode",
            format!(
                "{} does not run in CPython: its modes are {} ({} is threadlab's own)",
                options.mode.info().label,
                has().join(", "),
                options.mode.info().label
            ),
        )),
        Engine::Python if options.mode == Mode::Processes && options.workers > MOST_INTERPRETERS => {
            Err(WORKERS.error(format!(
                "workers: CPython's processes start at most {MOST_INTERPRETERS} interpreters here, each a worker \
                 of its own (got {})",
                options.workers
            )))
        }
        _ => Ok(()),
    }
}

fn read_endpoint(source: &Value, door: Door) -> Result<Endpoint, FieldError> {
    let value = ENDPOINT.choice(source, door)?;
    Ok(serde_json::from_value(Value::from(value)).expect("every choice of endpoint is an Endpoint"))
}

/// Reads every setting but the mode; a bad one is added to `errors` and replaced by its default.
fn read_settings(
    source: &Value,
    mode: Mode,
    door: Door,
    experiment: Experiment,
    errors: &mut Vec<FieldError>,
) -> Options {
    let mut kept = |result: Result<f64, FieldError>, field: &Field| {
        result.unwrap_or_else(|e| {
            errors.push(e);
            match field.kind {
                FieldKind::Number { default, .. } => default,
                _ => unreachable!("only numbers are read here"),
            }
        })
    };
    let mut number = |field: &Field| kept(field.number_for(source, door, experiment), field);
    let (n, workers, repeats, switch_ms) = (number(&N), number(&WORKERS), number(&REPEATS), number(&SWITCH_MS));
    let (requests, delay_ms, timeout_ms) = (number(&REQUESTS), number(&DELAY_MS), number(&TIMEOUT_MS));
    let url = read_url(source, door).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let endpoint = read_endpoint(source, door).unwrap_or_else(|e| {
        errors.push(e);
        Endpoint::Auto
    });
    let engine = read_engine(source, door).unwrap_or_else(|e| {
        errors.push(e);
        Engine::Rust
    });
    let code = read_code(source, door).unwrap_or_else(|e| {
        errors.push(e);
        None
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
        convoy: false,
        engine,
        code,
    }
}

fn read_mode(value: &Value, field: &str) -> Result<Mode, FieldError> {
    value.as_str().and_then(Mode::parse).ok_or_else(|| {
        FieldError::new(field, format!("{field} must be one of {} (got {})", Mode::names().join(", "), shown(value)))
    })
}

/// The first option the API does not know, named with the nearest one it does ("did you mean workers?").
fn unknown_option(options: &serde_json::Map<String, Value>) -> Option<FieldError> {
    let known: Vec<&str> = FIELDS.iter().filter(|f| f.api).map(|f| f.name).collect();
    let unknown = options.keys().find(|key| !known.contains(&key.as_str()))?;
    let nearest = known.iter().min_by_key(|name| distance(&unknown.to_lowercase(), &name.to_lowercase()))?;
    let close = distance(&unknown.to_lowercase(), &nearest.to_lowercase()) <= 2.max(nearest.len() / 3);
    let hint = if close { format!("did you mean {nearest}?") } else { format!("the options are {}", known.join(", ")) };
    let name = shown(&Value::String(unknown.clone()));
    Some(FieldError::new(unknown, format!("{name} is not an option: {hint}")))
}
/// Levenshtein distance: how many letters to add, drop or change to turn one name into the other.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1).min(row[j] + 1).min(diagonal + usize::from(ca != cb));
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// Checks the options of one run (the JS API's `run`): `mode` is required, the numbers default, and every key
/// must be a known option.
pub fn check_run(options: &Value) -> Result<Options, FieldError> {
    let Some(object) = options.as_object() else {
        return Err(FieldError::new("options", "options must be an object like { mode: 'single', n: 30 }".into()));
    };
    if let Some(unknown) = unknown_option(object) {
        return Err(unknown);
    }
    let mode = read_mode(options.get("mode").unwrap_or(&Value::Null), "mode")?;
    let mut errors = Vec::new();
    let checked = read_settings(options, mode, Door::Api, Experiment::Article, &mut errors);
    match errors.into_iter().next() {
        Some(error) => Err(error),
        None => check_engine(&checked).map(|()| checked),
    }
}

/// Checks the page's whole form (or URL): its experiment, a list of modes (by default the experiment's: for the
/// article all of them) and the numbers, as text, reporting every bad field at once; the runs it makes (see
/// `Experiment::plans`).
pub fn check_form(form: &Value) -> Result<Vec<Options>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let experiment = read_experiment(form, Door::Text).unwrap_or_else(|e| {
        errors.push(e);
        Experiment::Article
    });
    let settings = read_settings(form, Mode::Single, Door::Text, experiment, &mut errors);
    let ks = read_ks(form, Door::Text).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let intervals = read_intervals(form, Door::Text).unwrap_or_else(|e| {
        errors.push(e);
        Vec::new()
    });
    let modes = read_modes(form, experiment, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let runs = modes.into_iter().map(|mode| Options { mode, ..settings.clone() }).collect();
    let plans = experiment.plans(runs, &ks.unwrap_or_else(|| default_ks(crate::env::cores())), &intervals);
    let errors: Vec<FieldError> = plans.iter().filter_map(|plan| check_engine(plan).err()).take(1).collect();
    if errors.is_empty() {
        Ok(plans)
    } else {
        Err(errors)
    }
}

/// The modes picked: comma-separated names (none given: the experiment's default), every bad one in `errors`.
fn read_modes(form: &Value, experiment: Experiment, errors: &mut Vec<FieldError>) -> Vec<Mode> {
    let modes: Vec<Mode> = match MODES_PICKED.given(form, Door::Text) {
        Ok(None) => default_modes(experiment),
        Ok(Some(Value::String(list))) => list
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .filter_map(|name| read_mode(&Value::from(name), "modes").map_err(|e| errors.push(e)).ok())
            .collect(),
        Ok(Some(other)) => {
            errors.push(read_mode(other, "modes").expect_err("only text names a mode"));
            Vec::new()
        }
        Err(error) => {
            errors.push(error);
            Vec::new()
        }
    };
    if modes.is_empty() && errors.iter().all(|e| e.field != "modes") {
        errors.push(FieldError::new("modes", "modes: pick at least one mode".into()));
    }
    modes
}

/// Refuses anything but an object of `experiment`'s API options (`example`: one such object, for the message).
fn only_options_of(experiment: Experiment, options: &Value, example: &str) -> Result<(), FieldError> {
    let known = experiment.info().api;
    let Some(object) = options.as_object() else {
        return Err(FieldError::new("options", format!("options must be an object like {example}")));
    };
    match object.keys().find(|key| !known.contains(&key.as_str())) {
        None => Ok(()),
        Some(key) => {
            let name = shown(&Value::String(key.clone()));
            Err(FieldError::new(key, format!("{name} is not an option: the options are {}", known.join(", "))))
        }
    }
}

/// Checks the options of `window.threadlab.scaling` (`{ n, ks, modes, repeats, switchMs }`, typed as the API's):
/// the runs it makes.
pub fn check_scaling(options: &Value) -> Result<Vec<Options>, FieldError> {
    only_options_of(Experiment::Scaling, options, "{ n: 30, ks: [1, 2, 4] }")?;
    let mut errors = Vec::new();
    let settings =
        read_settings(&Value::Object(Default::default()), Mode::Single, Door::Api, Experiment::Scaling, &mut errors);
    let number = |field: &Field| field.number(options, Door::Api);
    let (n, repeats, switch_ms) = (number(&N)?, number(&REPEATS)?, number(&SWITCH_MS)?);
    let ks = read_ks(options, Door::Api)?.unwrap_or_else(|| default_ks(crate::env::cores()));
    let modes = match options.get("modes").unwrap_or(&Value::Null) {
        Value::Null => default_modes(Experiment::Scaling),
        Value::Array(names) => names.iter().map(|name| read_mode(name, "modes")).collect::<Result<_, _>>()?,
        other => {
            let message =
                format!("modes must be a list of modes, like [\"single\", \"threads\"] (got {})", shown(other));
            return Err(FieldError::new("modes", message));
        }
    };
    let settings = Options { n: n as u32, repeats: repeats as u32, switch_ms, ..settings };
    let runs = modes.into_iter().map(|mode| Options { mode, ..settings.clone() }).collect();
    Ok(Experiment::Scaling.plans(runs, &ks, &[]))
}

/// Checks the options of `window.threadlab.convoy` (`{ requests, delayMs, n, workers, switchMs, repeats, regimes,
/// intervals, url, endpoint }`, typed as the API's): the runs it makes.
pub fn check_convoy(options: &Value) -> Result<Vec<Options>, FieldError> {
    only_options_of(Experiment::Convoy, options, "{ requests: 20, workers: 2 }")?;
    let mut errors = Vec::new();
    let settings = read_settings(options, Mode::Single, Door::Api, Experiment::Convoy, &mut errors);
    if let Some(error) = errors.into_iter().next() {
        return Err(error);
    }
    let intervals = read_intervals(options, Door::Api)?;
    let regimes: Vec<Regime> = match options.get("regimes").unwrap_or(&Value::Null) {
        // By default every regime that can run where this build computes.
        Value::Null => Regime::names()
            .into_iter()
            .filter_map(Regime::parse)
            .filter(|regime| regime.mode().info().available(crate::modes::Build::current()))
            .collect(),
        Value::Array(names) => names.iter().map(read_regime).collect::<Result<_, _>>()?,
        other => return Err(read_regime(other).expect_err("only a list names regimes")),
    };
    let runs = regimes.into_iter().map(|regime| Options { mode: regime.mode(), ..settings.clone() }).collect();
    Ok(Experiment::Convoy.plans(runs, &[], &intervals))
}

fn read_regime(value: &Value) -> Result<Regime, FieldError> {
    value.as_str().and_then(Regime::parse).ok_or_else(|| {
        let names = Regime::names().join(", ");
        FieldError::new("regimes", format!("regimes must be a list of {names} (got {})", shown(value)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_in_range_are_accepted_and_text_only_through_the_url_and_form() {
        let options = check_run(&json!({ "mode": "threads", "n": 30, "workers": 4, "switchMs": 0.5 })).unwrap();
        assert_eq!((options.mode, options.n, options.workers, options.switch_ms), (Mode::Threads, 30, 4, 0.5));
        let options =
            check_run(&json!({ "mode": "io-concurrent", "requests": 20, "delayMs": 0, "timeoutMs": 500 })).unwrap();
        assert_eq!((options.requests, options.delay_ms, options.timeout_ms), (20, 0, 500));
        assert_eq!(check_run(&json!({ "mode": "single", "n": 0, "url": null })).unwrap().n, 0);

        let error = check_run(&json!({ "mode": "single", "n": "40" })).unwrap_err();
        assert_eq!(error.message, "n must be a whole number from 0 to 45, not text (got \"40\")");
        let error = check_run(&json!({ "mode": "single", "workers": "Infinity" })).unwrap_err();
        assert_eq!(
            error.message, "workers must be a whole number from 1 to 64 (got \"Infinity\")",
            "a JavaScript Infinity"
        );
        let runs = check_form(&json!({ "modes": "single", "n": " 45 ", "switchMs": "0.5" })).unwrap();
        assert_eq!((runs[0].n, runs[0].switch_ms), (45, 0.5));
    }

    #[test]
    fn a_run_in_cpython_takes_its_modes_a_few_interpreters_and_the_program() {
        let run = check_run(&json!({ "mode": "single", "engine": "python", "code": "print(1)" })).unwrap();
        assert_eq!((run.engine, run.code.as_deref()), (Engine::Python, Some("print(1)")));
        let blank = check_run(&json!({ "mode": "single", "engine": "python", "code": "  \n" })).unwrap();
        assert_eq!(blank.code, None, "blank is threadlab's own program");
        let message = |given| check_run(&given).unwrap_err().message;
        assert_eq!(
            message(json!({ "mode": "gil", "engine": "python" })),
            "gil does not run in CPython: its modes are single, threads, processes, io-sequential, io-concurrent \
             (gil is threadlab's own)"
        );
        assert!(message(json!({ "mode": "processes", "engine": "python", "workers": 5 }))
            .starts_with("workers: CPython's processes start at most 4 interpreters"));
        assert!(message(json!({ "mode": "single", "code": "x" })).starts_with("code is the Python program"));
        assert!(message(json!({ "mode": "single", "engine": "python", "code": "x".repeat(8001) }))
            .starts_with("code must be at most 8000 characters"));
        assert_eq!(
            message(json!({ "mode": "single", "engine": "java" })),
            "engine must be one of rust, python (got \"java\")"
        );
        let form = check_form(&json!({ "experiment": "python", "modes": "processes", "workers": "6" })).unwrap_err();
        assert_eq!(form[0].field, "workers", "the form says it too");
        let article = check_form(&json!({ "modes": "single", "code": "print(1)" })).unwrap();
        assert_eq!(article[0].code, None, "the article's runs leave the program aside");
    }

    #[test]
    fn an_unknown_option_is_named_with_the_nearest_known_one() {
        let error = check_run(&json!({ "mode": "threads", "worker": 8 })).unwrap_err();
        assert_eq!(
            (error.field.as_str(), error.message.as_str()),
            ("worker", "\"worker\" is not an option: did you mean workers?")
        );
        assert_eq!(
            check_run(&json!({ "mode": "gil", "switch_ms": 1 })).unwrap_err().message,
            "\"switch_ms\" is not an option: did you mean switchMs?"
        );
        assert_eq!(
            check_run(&json!({ "Mode": "single" })).unwrap_err().message,
            "\"Mode\" is not an option: did you mean mode?"
        );
        let far = check_run(&json!({ "mode": "single", "colour": "red" })).unwrap_err();
        assert!(
            far.message.starts_with("\"colour\" is not an option: the options are n, workers, repeats"),
            "{}",
            far.message
        );
        let long = check_run(&json!({ "mode": "single", "x".repeat(100_000): 1 })).unwrap_err();
        assert!(long.message.chars().count() < 200, "a 100-KB key is quoted briefly");
    }

    #[test]
    fn a_parameter_given_twice_in_the_address_is_refused() {
        let errors = check_form(
            &json!({ "n": ["3", "40"], "modes": ["single", "gil"], "url": ["a", "b"], "switchMs": ["1", "2"] }),
        )
        .unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "n is given 2 times in the address: give it once",
                "switch_ms is given 2 times in the address: give it once",
                "url is given 2 times in the address: give it once",
                "modes is given 2 times in the address: give it once",
            ]
        );
        assert_eq!(errors[1].field, "switchMs", "shown next to its field");
    }

    #[test]
    fn look_alikes_and_huge_values_get_a_message() {
        let form =
            |key: &str, value: &str| check_form(&json!({ "modes": "single", key: value })).unwrap_err().remove(0);
        assert_eq!(
            form("n", "４０").message,
            "n must be a whole number from 0 to 45 (got \"４０\")",
            "full-width digits"
        );
        assert_eq!(form("modes", "sіngle").field, "modes", "a Cyrillic і");
        let huge = form("n", &"9".repeat(100_000));
        assert!(huge.message.starts_with("n must be") && huge.message.chars().count() < 120);
        let url = form("url", "https://аpple.com/");
        assert!(
            url.message.starts_with("url must be an http:// or https:// address in plain ASCII"),
            "{}",
            url.message
        );
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
        assert_eq!(
            url(json!(" https://api.github.com/users/octocat ")).unwrap().url.as_deref(),
            Some("https://api.github.com/users/octocat")
        );
        assert_eq!(url(json!("HTTP://127.0.0.1:9/")).unwrap().url.as_deref(), Some("HTTP://127.0.0.1:9/"));
        assert_eq!(url(json!("")).unwrap().url, None);
        for bad in [
            json!("javascript:alert(1)"),
            json!("ftp://x"),
            json!("https://"),
            json!("https:///path"),
            json!("//example.com"),
            json!("https://exa mple.com"),
            json!("https://x/\u{0}"),
            json!(42),
            json!("data:text/html,<b>x</b>"),
            json!("blob:https://x/1"),
            json!("file:///etc/passwd"),
        ] {
            let error = url(bad.clone()).expect_err(&format!("{bad} should be rejected"));
            assert_eq!(error.field, "url");
            assert!(error.message.starts_with("url must be an http:// or https:// address"), "{}", error.message);
        }
        let scheme = url(json!("javascript:alert(1)")).unwrap_err().message;
        assert_eq!(scheme, "url must be an http:// or https:// address only: other schemes are never requested (got \"javascript:alert(1)\")");
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
            ("n", json!("40")),
            ("n", json!([40])),
            ("n", json!({ "value": 40 })),
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
        let error = check_form(&json!({ "modes": "single", "n": "" })).unwrap_err().remove(0);
        assert_eq!(error.message, "n must be a whole number from 0 to 45 (got nothing)");
        let long = "9".repeat(100);
        let error = check_run(&json!({ "mode": "single", "n": long.parse::<f64>().unwrap() })).unwrap_err();
        assert!(error.message.chars().count() < 100, "{}", error.message);
        let error = check_form(&json!({ "n": long })).unwrap_err().remove(0);
        assert_eq!(error.message, format!("n must be a whole number from 0 to 45 (got \"{}…\")", "9".repeat(40)));
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
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
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

    #[test]
    fn the_readme_lists_every_url_parameter_and_no_other() {
        let readme = include_str!("../../README.md");
        let table = readme.split("## URL parameters").nth(1).expect("a URL parameters section");
        let rows: Vec<&str> = table
            .lines()
            .skip_while(|line| !line.starts_with("| parameter"))
            .skip(2)
            .take_while(|line| line.starts_with('|'))
            .filter_map(|line| line.split('`').nth(1))
            .collect();
        assert_eq!(rows, params(), "README.md's table of URL parameters, in order");
        for field in FIELDS.iter().filter(|f| f.param.is_some()) {
            let FieldKind::Number { min, max, default, .. } = field.kind else { continue };
            let row = table.lines().find(|line| line.starts_with(&format!("| `{}`", field.param.unwrap()))).unwrap();
            assert!(
                row.contains(&format!("{min}–{max} (default {default}")),
                "{row} says {min}–{max}, default {default}"
            );
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        const KEYS: &[&str] = &[
            "mode",
            "modes",
            "n",
            "workers",
            "worker",
            "repeats",
            "switchMs",
            "requests",
            "delayMs",
            "timeoutMs",
            "url",
            "endpoint",
            "",
        ];

        fn json() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::from),
                any::<f64>().prop_map(|x| serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)),
                any::<i64>().prop_map(Value::from),
                prop::sample::select(vec![
                    "40",
                    " 2 ",
                    "single",
                    "gil,single",
                    "https://x.y/",
                    "",
                    "1e3",
                    "NaN",
                    "worker"
                ])
                .prop_map(Value::from),
                ".{0,12}".prop_map(Value::from),
            ];
            leaf.prop_recursive(3, 32, 6, |inner| {
                let key = prop_oneof![prop::sample::select(KEYS).prop_map(String::from), ".{0,8}"];
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                    prop::collection::btree_map(key, inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
                ]
            })
        }

        fn in_range(options: &Options) -> bool {
            let within = |field: &Field, x: f64| match field.kind {
                FieldKind::Number { min, max, .. } => x >= min && x <= max,
                _ => false,
            };
            within(&N, options.n.into())
                && within(&WORKERS, options.workers.into())
                && within(&REPEATS, options.repeats.into())
                && within(&SWITCH_MS, options.switch_ms)
                && within(&REQUESTS, options.requests.into())
                && within(&DELAY_MS, options.delay_ms.into())
                && within(&TIMEOUT_MS, options.timeout_ms.into())
        }

        /// A field an error may name: a known one, or a key the caller gave.
        fn names_a_field(error: &FieldError, given: &Value) -> bool {
            let known = FIELDS.iter().map(|f| f.name).chain(["mode", "modes", "url", "endpoint", "options"]);
            !error.message.is_empty()
                && (known.into_iter().any(|name| name == error.field)
                    || given.as_object().is_some_and(|object| object.contains_key(&error.field)))
        }

        proptest! {
            #[test]
            fn any_json_gives_a_checked_run_or_a_message_naming_a_field(given in json()) {
                match check_run(&given) {
                    Ok(options) => prop_assert!(in_range(&options), "{options:?}"),
                    Err(error) => prop_assert!(names_a_field(&error, &given), "{error:?} for {given}"),
                }
                match check_form(&given) {
                    Ok(runs) => prop_assert!(!runs.is_empty() && runs.iter().all(in_range)),
                    Err(errors) => prop_assert!(!errors.is_empty() && errors.iter().all(|e| names_a_field(e, &given)), "{errors:?}"),
                }
            }
        }
    }

    #[test]
    fn the_convoy_api_runs_its_regimes_at_its_own_defaults_and_refuses_what_it_does_not_take() {
        let plans = check_convoy(&json!({ "workers": 3, "intervals": [1, 20] })).unwrap();
        let seen: Vec<(Mode, f64)> = plans.iter().map(|o| (o.mode, o.switch_ms)).collect();
        use Mode::*;
        assert_eq!(seen, [(IoSequential, 5.0), (Gil, 5.0), (Threads, 5.0), (Processes, 5.0), (Gil, 1.0), (Gil, 20.0)]);
        let first = &plans[0];
        assert_eq!((first.n, first.requests, first.delay_ms, first.workers), (27, 20, 2, 3), "the convoy's defaults");
        assert!(plans.iter().all(|o| o.convoy));
        let only = check_convoy(&json!({ "regimes": ["gil"], "intervals": [] })).unwrap();
        assert_eq!(only.iter().map(|o| o.mode).collect::<Vec<_>>(), [IoSequential, Gil], "alone always, no sweep");
        let error = check_convoy(&json!({ "regimes": ["gil", "single"] })).unwrap_err();
        assert_eq!(error.message, "regimes must be a list of alone, gil, threads, processes (got \"single\")");
        let error = check_convoy(&json!({ "ks": [1] })).unwrap_err();
        assert!(error.message.starts_with("\"ks\" is not an option: the options are requests, delayMs"), "{error:?}");
        let error = check_convoy(&json!({ "intervals": [5, 5] })).unwrap_err();
        assert!(error.message.ends_with("each once (got [5,5])"), "{}", error.message);
        assert_eq!(check_convoy(&json!({ "delayMs": "2" })).unwrap_err().field, "delayMs");
    }

    #[test]
    fn the_form_asks_for_the_convoy_with_its_sweep() {
        let form = json!({ "experiment": "convoy", "modes": "single,gil", "intervals": "0.5, 20" });
        let plans = check_form(&form).unwrap();
        assert_eq!(plans.iter().map(|o| o.switch_ms).collect::<Vec<_>>(), [5.0, 5.0, 0.5, 20.0]);
        assert_eq!(plans[0].delay_ms, 2, "the convoy's own default when the form does not say");
        let errors = check_form(&json!({ "experiment": "convoy", "intervals": "0.05" })).unwrap_err();
        assert_eq!(
            errors[0].message,
            "intervals must be numbers from 0.1 to 100, each once, at most 8 of them: each in range (got \"0.05\")"
        );
    }
}
