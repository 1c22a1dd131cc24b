//! Checking what a door was given, whole: one run (the JS API's `run`), the page's form or URL, and the options of
//! `window.threadlab.scaling` and `window.threadlab.convoy`; each gives the runs it makes, or what was wrong.

use serde_json::Value;

use super::fields::{Field, CODE, MOST_INTERPRETERS, N, REPEATS, SWITCH_MS, WORKERS};
use super::read::{
    read_experiment, read_intervals, read_ks, read_mode, read_mode_of, read_modes, read_payloads, read_regime,
    read_settings, shown, unknown_option, Door, FieldError,
};
use crate::experiments::{default_ks, Experiment};
use crate::modes::{Build, Engine, Mode, MODES};
use crate::spec::{Options, Regime};

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
    let payloads = match experiment {
        Experiment::Bend => read_payloads(form, Door::Text, settings.workers).unwrap_or_else(|e| {
            errors.push(e);
            Vec::new()
        }),
        _ => Vec::new(),
    };
    let modes = read_modes(form, experiment, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let runs = modes.into_iter().map(|mode| Options { mode, ..settings.clone() }).collect();
    let ks = ks.unwrap_or_else(|| default_ks(crate::env::cores()));
    let plans = experiment.plans(runs, &ks, &intervals, &payloads);
    let errors: Vec<FieldError> = plans.iter().filter_map(|plan| check_engine(plan).err()).take(1).collect();
    if errors.is_empty() {
        Ok(plans)
    } else {
        Err(errors)
    }
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
        Value::Null => Experiment::Scaling.default_modes(),
        Value::Array(names) => {
            names.iter().map(|name| read_mode_of(Experiment::Scaling, name)).collect::<Result<_, _>>()?
        }
        other => {
            let message =
                format!("modes must be a list of modes, like [\"single\", \"threads\"] (got {})", shown(other));
            return Err(FieldError::new("modes", message));
        }
    };
    let settings = Options { n: n as u32, repeats: repeats as u32, switch_ms, ..settings };
    let runs = modes.into_iter().map(|mode| Options { mode, ..settings.clone() }).collect();
    Ok(Experiment::Scaling.plans(runs, &ks, &[], &[]))
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
            .filter(|regime| regime.mode().info().available(Build::current()))
            .collect(),
        Value::Array(names) => names.iter().map(read_regime).collect::<Result<_, _>>()?,
        other => return Err(read_regime(other).expect_err("only a list names regimes")),
    };
    let runs = regimes.into_iter().map(|regime| Options { mode: regime.mode(), ..settings.clone() }).collect();
    Ok(Experiment::Convoy.plans(runs, &[], &intervals, &[]))
}

/// Checks the options of `window.threadlab.bend` (`{ n, mib, workers, repeats, switchMs, payloads }`, typed as the
/// API's): the runs it makes.
pub fn check_bend(options: &Value) -> Result<Vec<Options>, FieldError> {
    only_options_of(Experiment::Bend, options, "{ n: 30, payloads: [0, 8, 32] }")?;
    let mut errors = Vec::new();
    let settings = read_settings(options, Mode::Single, Door::Api, Experiment::Bend, &mut errors);
    if let Some(error) = errors.into_iter().next() {
        return Err(error);
    }
    let payloads = read_payloads(options, Door::Api, settings.workers)?;
    Ok(Experiment::Bend.plans(vec![settings], &[], &[], &payloads))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::fields::*;
    use crate::spec::Endpoint;
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
            far.message
                .starts_with("\"colour\" is not an option: the options are n, work, mib, payloadMb, workers, repeats"),
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
        assert_eq!(error.message, "mode must be one of single, threads, processes, interpreters, gil, io-sequential, io-concurrent, io-workers (got \"fibers\")");
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
    fn the_form_defaults_to_every_mode_but_interpreters() {
        let runs = check_form(&json!({ "n": "25" })).unwrap();
        let modes: Vec<Mode> = runs.iter().map(|o| o.mode).collect();
        let all = Mode::names().into_iter().map(|name| Mode::parse(name).unwrap());
        assert_eq!(modes, all.filter(|&mode| mode != Mode::Interpreters).collect::<Vec<_>>());
        assert!(runs.iter().all(|o| o.n == 25 && o.workers == 2));
        let runs = check_form(&json!({ "modes": "gil, single" })).unwrap();
        assert_eq!(runs.iter().map(|o| o.mode).collect::<Vec<_>>(), [Mode::Gil, Mode::Single]);
    }

    #[test]
    fn the_docs_list_every_url_parameter_and_no_other() {
        let docs = include_str!("../../../docs/url-and-api.md");
        let table = docs.split("## URL parameters").nth(1).expect("a URL parameters section");
        let rows: Vec<&str> = table
            .lines()
            .skip_while(|line| !line.starts_with("| parameter"))
            .skip(2)
            .take_while(|line| line.starts_with('|'))
            .filter_map(|line| line.split('`').nth(1))
            .collect();
        assert_eq!(rows, params(), "docs/url-and-api.md's table of URL parameters, in order");
        // The modes row's third column: every mode, backticked, in the picker's order.
        let modes_row = table.lines().find(|line| line.starts_with("| `modes`")).unwrap();
        let allowed = modes_row.split('|').nth(3).unwrap();
        let named: Vec<&str> = allowed.split('`').skip(1).step_by(2).collect();
        assert_eq!(named, Mode::names(), "the modes row of docs/url-and-api.md");
        for field in FIELDS.iter().filter(|f| f.param.is_some()) {
            let FieldKind::Number { min, max, default, .. } = field.kind else { continue };
            let row = table.lines().find(|line| line.starts_with(&format!("| `{}`", field.param.unwrap()))).unwrap();
            assert!(
                row.contains(&format!("{min}–{max} (default {default}")),
                "{row} says {min}–{max}, default {default}"
            );
        }
    }

    #[test]
    fn the_docs_mode_tables_are_the_cpu_and_the_io_modes_in_order() {
        use crate::modes::Kind;
        let docs = include_str!("../../../docs/experiments.md");
        // The first column of the table whose header starts with `header`, backticked or not.
        let first_column = |header: &str| -> Vec<&str> {
            docs.lines()
                .skip_while(|line| !line.starts_with(header))
                .skip(2)
                .take_while(|line| line.starts_with('|'))
                .map(|line| line.split('|').nth(1).unwrap().trim().trim_matches('`'))
                .collect()
        };
        let of_kind = |kind: Kind| -> Vec<&str> { MODES.iter().filter(|m| m.kind == kind).map(|m| m.label).collect() };
        assert_eq!(first_column("| mode | how the k jobs run"), of_kind(Kind::Cpu), "the CPU modes table");
        assert_eq!(first_column("| mode | how the K requests run"), of_kind(Kind::Io), "the IO modes table");
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
    fn every_door_refuses_a_mode_its_experiment_would_not_run_naming_it() {
        let error = check_scaling(&json!({ "modes": ["threads", "io-sequential"] })).unwrap_err();
        let scaling =
            "modes: the scaling experiment does not run io-sequential (it runs single, threads, processes, interpreters, gil)";
        assert_eq!((error.field.as_str(), error.message.as_str()), ("modes", scaling));
        let form = |experiment, modes| check_form(&json!({ "experiment": experiment, "modes": modes })).unwrap_err();
        assert_eq!(form("scaling", "single,io-sequential")[0].message, scaling, "the URL and the form alike");
        assert_eq!(
            form("convoy", "gil,io-concurrent")[0].message,
            "modes: the convoy experiment does not run io-concurrent (it runs io-sequential, gil, threads, processes)"
        );
        assert_eq!(form("scaling", "io-sequential,io-workers").len(), 2, "each one named");
        for experiment in ["article", "python"] {
            let all = MODES.iter().map(|info| info.label).collect::<Vec<_>>().join(",");
            assert!(
                check_form(&json!({ "experiment": experiment, "modes": all })).is_ok(),
                "{experiment} runs them all"
            );
        }
    }

    #[test]
    fn each_experiment_names_form_fields_and_every_form_field_has_an_experiment() {
        use crate::experiments::EXPERIMENTS;
        let form: Vec<&str> = FIELDS.iter().filter(|f| f.param.is_some()).map(|f| f.name).collect();
        for experiment in EXPERIMENTS {
            for name in experiment.info().fields {
                assert!(form.contains(name), "{name} of {} is not a field of the form", experiment.info().label);
            }
        }
        for name in form.iter().filter(|name| !["experiment", "modes", "code"].contains(name)) {
            assert!(EXPERIMENTS.iter().any(|e| e.info().fields.contains(name)), "no experiment uses {name}");
        }
        let sweep = crate::experiments::convoy::DEFAULT_INTERVALS.iter().map(f64::to_string).collect::<Vec<_>>();
        assert!(INTERVALS.hint.ends_with(&format!("{} and {}", sweep[..3].join(", "), sweep[3])), "the sweep's hint");
    }

    #[test]
    fn the_form_asks_for_the_convoy_with_its_sweep() {
        let form = json!({ "experiment": "convoy", "modes": "gil", "intervals": "0.5, 20" });
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
