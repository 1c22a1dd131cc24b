//! The inputs and their rules, as data. The page builds its fields from `FIELDS`, and every way in (form, URL,
//! JS API) is checked here, so a rule lives in one place.

use serde::Serialize;
use serde_json::Value;

use crate::modes::Mode;

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
    default: 35.0,
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
    hint: "k: jobs, and the threads or processes that run them",
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

pub const FIELDS: &[&Field] = &[&N, &WORKERS, &SWITCH_MS];

/// What one run needs, checked.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Options {
    pub mode: Mode,
    pub n: u32,
    pub workers: u32,
    pub switch_ms: f64,
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
    Ok(Options {
        mode: read_mode(options.get("mode").unwrap_or(&Value::Null), "mode")?,
        n: N.read(options)? as u32,
        workers: WORKERS.read(options)? as u32,
        switch_ms: SWITCH_MS.read(options)?,
    })
}

/// Checks the page's whole form (or URL): a list of modes and the numbers, reporting every bad field at once.
pub fn check_form(form: &Value) -> Result<Vec<Options>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut read = |field: &Field| field.read(form).unwrap_or_else(|e| {
        errors.push(e);
        field.default
    });
    let (n, workers, switch_ms) = (read(&N), read(&WORKERS), read(&SWITCH_MS));

    let modes: Vec<Mode> = match form.get("modes").and_then(Value::as_str) {
        None => vec![Mode::Single, Mode::Threads, Mode::Processes],
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
    Ok(modes.into_iter().map(|mode| Options { mode, n: n as u32, workers: workers as u32, switch_ms }).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_and_numeric_strings_in_range_are_accepted() {
        let options = check_run(&json!({ "mode": "threads", "n": "30", "workers": 4, "switchMs": 0.5 })).unwrap();
        assert_eq!(options, Options { mode: Mode::Threads, n: 30, workers: 4, switch_ms: 0.5 });
        assert_eq!(check_run(&json!({ "mode": "single", "n": " 45 " })).unwrap().n, 45);
        assert_eq!(check_run(&json!({ "mode": "single", "n": 0 })).unwrap().n, 0);
    }

    #[test]
    fn absent_fields_take_their_defaults() {
        let options = check_run(&json!({ "mode": "gil" })).unwrap();
        assert_eq!((options.n, options.workers, options.switch_ms), (35, 2, 5.0));
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
            ("switchMs", json!(0.05)),
            ("switchMs", json!("inf")),
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
        assert_eq!(error.message, "mode must be one of single, threads, processes, gil (got \"fibers\")");
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
    fn the_form_defaults_to_the_three_cpu_modes() {
        let runs = check_form(&json!({ "n": "25" })).unwrap();
        let modes: Vec<Mode> = runs.iter().map(|o| o.mode).collect();
        assert_eq!(modes, [Mode::Single, Mode::Threads, Mode::Processes]);
        assert!(runs.iter().all(|o| o.n == 25 && o.workers == 2));
        let runs = check_form(&json!({ "modes": "gil, single" })).unwrap();
        assert_eq!(runs.iter().map(|o| o.mode).collect::<Vec<_>>(), [Mode::Gil, Mode::Single]);
    }
}
