//! Reading one input: a field's value from the JSON a door was given, by the field's rule, or a message that names
//! the field and quotes, briefly, what was given.

use serde::Serialize;
use serde_json::Value;

use super::fields::{
    Field, FieldKind, CODE, DELAY_MS, ENDPOINT, ENGINE, EXPERIMENT, FIELDS, INTERVALS, KS, MAX_CODE, MIB, MODES_PICKED,
    N, PAYLOADS, PAYLOAD_MB, REPEATS, REQUESTS, SWITCH_MS, TIMEOUT_MS, URL, WORK, WORKERS,
};
use crate::experiments::bend::DEFAULT_PAYLOADS;
use crate::experiments::convoy::DEFAULT_INTERVALS;
use crate::experiments::Experiment;
use crate::modes::{Engine, Mode};
use crate::spec::{Endpoint, Options, Regime};
use crate::work::{WorkKind, MOST_COPIED_MB};

/// A rejected input: which field, and a sentence for the visitor.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: String) -> FieldError {
        FieldError { field: field.into(), message }
    }
}

/// How values arrive. Through the JS API they are JSON, typed as docs/url-and-api.md ("JS API") states: a number
/// where a number is expected. Through the URL and the form every value is text by nature, and a URL can repeat a
/// parameter.
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

    pub fn error(&self, message: String) -> FieldError {
        FieldError::new(self.name, message)
    }
}

/// How a rejected value is quoted back: short, and as the visitor typed it.
pub fn shown(value: &Value) -> String {
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
    let FieldKind::List { min, max, most, whole, .. } = field.kind else { unreachable!("{} is a list", field.name) };
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
    Ok(read_list(&INTERVALS, source, door)?.unwrap_or_else(|| DEFAULT_INTERVALS.to_vec()))
}

/// Reads the payloads of the bend experiment's second part, or its default; each must fit k copies (`workers`).
pub fn read_payloads(source: &Value, door: Door, workers: u32) -> Result<Vec<u32>, FieldError> {
    let payloads = read_list(&PAYLOADS, source, door)?;
    let payloads: Vec<u32> =
        payloads.map_or(DEFAULT_PAYLOADS.to_vec(), |list| list.iter().map(|&mb| mb as u32).collect());
    let largest = payloads.iter().copied().max().unwrap_or(0);
    read_payload(&PAYLOADS, "the largest of payloads", f64::from(largest), f64::from(workers))?;
    Ok(payloads)
}

/// Reads which experiment the form or URL asks for.
pub fn read_experiment(source: &Value, door: Door) -> Result<Experiment, FieldError> {
    Ok(Experiment::parse(EXPERIMENT.choice(source, door)?).expect("every choice of experiment is an Experiment"))
}

fn read_work(source: &Value, door: Door) -> Result<WorkKind, FieldError> {
    Ok(WorkKind::parse(WORK.choice(source, door)?).expect("every choice of work is a work kind"))
}

/// The payload, within what a run may copy in all: each of its k jobs may get a copy of its own. `field` names it
/// (`what`, in the message).
fn read_payload(field: &Field, what: &str, payload_mb: f64, workers: f64) -> Result<u32, FieldError> {
    let copies = payload_mb * workers;
    if copies > f64::from(MOST_COPIED_MB) {
        return Err(field.error(format!(
            "{what} × workers must be at most {MOST_COPIED_MB} MiB, as each process copies the payload into a \
             memory of its own that holds at most 1 GiB (got {payload_mb} × {workers} = {copies} MiB)"
        )));
    }
    Ok(payload_mb as u32)
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

fn read_endpoint(source: &Value, door: Door) -> Result<Endpoint, FieldError> {
    let value = ENDPOINT.choice(source, door)?;
    Ok(serde_json::from_value(Value::from(value)).expect("every choice of endpoint is an Endpoint"))
}

/// Reads every setting but the mode; a bad one is added to `errors` and replaced by its default.
pub fn read_settings(
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
    let (mib, payload_mb) = (number(&MIB), number(&PAYLOAD_MB));
    let payload_mb = read_payload(&PAYLOAD_MB, "payloadMb", payload_mb, workers).unwrap_or_else(|e| {
        errors.push(e);
        0
    });
    let work = read_work(source, door).unwrap_or_else(|e| {
        errors.push(e);
        WorkKind::Fib
    });
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
        work,
        mib: mib as u32,
        payload_mb,
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

pub fn read_mode(value: &Value, field: &str) -> Result<Mode, FieldError> {
    value.as_str().and_then(Mode::parse).ok_or_else(|| {
        FieldError::new(field, format!("{field} must be one of {} (got {})", Mode::names().join(", "), shown(value)))
    })
}

/// The first option the API does not know, named with the nearest one it does ("did you mean workers?").
pub fn unknown_option(options: &serde_json::Map<String, Value>) -> Option<FieldError> {
    let known: Vec<&str> = FIELDS.iter().filter(|f| f.api).map(|f| f.name).collect();
    let unknown = options.keys().find(|key| !known.contains(&key.as_str()))?;
    let nearest = known.iter().min_by_key(|name| strsim::levenshtein(&unknown.to_lowercase(), &name.to_lowercase()))?;
    let close = strsim::levenshtein(&unknown.to_lowercase(), &nearest.to_lowercase()) <= 2.max(nearest.len() / 3);
    let hint = if close { format!("did you mean {nearest}?") } else { format!("the options are {}", known.join(", ")) };
    let name = shown(&Value::String(unknown.clone()));
    Some(FieldError::new(unknown, format!("{name} is not an option: {hint}")))
}

/// The modes picked: comma-separated names (none given: the experiment's default), every bad one in `errors`.
pub fn read_modes(form: &Value, experiment: Experiment, errors: &mut Vec<FieldError>) -> Vec<Mode> {
    let modes: Vec<Mode> = match MODES_PICKED.given(form, Door::Text) {
        Ok(None) => experiment.default_modes(),
        Ok(Some(Value::String(list))) => list
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .filter_map(|name| read_mode_of(experiment, &Value::from(name)).map_err(|e| errors.push(e)).ok())
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

/// A mode picked for `experiment`: one it takes.
pub fn read_mode_of(experiment: Experiment, name: &Value) -> Result<Mode, FieldError> {
    let mode = read_mode(name, "modes")?;
    if experiment.takes(mode) {
        return Ok(mode);
    }
    let takes: Vec<&str> = experiment.default_modes().iter().map(|mode| mode.info().label).collect();
    let (label, own) = (mode.info().label, experiment.info().label);
    Err(FieldError::new(
        "modes",
        format!("modes: the {own} experiment does not run {label} (it runs {})", takes.join(", ")),
    ))
}

pub fn read_regime(value: &Value) -> Result<Regime, FieldError> {
    value.as_str().and_then(Regime::parse).ok_or_else(|| {
        let names = Regime::names().join(", ");
        FieldError::new("regimes", format!("regimes must be a list of {names} (got {})", shown(value)))
    })
}
