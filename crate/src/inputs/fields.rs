//! Every input of every door (the form, the URL, the JS API, a share link's settings), as data: its name, its URL
//! parameter, its kind, default and hint. The page builds its form from `FIELDS`; `read` and `check` apply them.

use serde::Serialize;

use crate::experiments::EXPERIMENTS;
use crate::fib::MAX_N;
use crate::modes::prose;
use crate::work::{DEFAULT_MIB, MAX_MIB, MAX_PAYLOAD_MB, WORK_KINDS};

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
    List { min: f64, max: f64, most: usize, whole: bool, placeholder: &'static str },
    /// A program's source text, at most `most` characters; none or blank means threadlab's own.
    Code { most: usize },
}

#[derive(Serialize, Debug, Clone, Copy)]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

/// A choice field's choices, made at compile time from a table whose entries (`info(entry)`) have a `label` (the
/// value) and a `choice` (its words).
macro_rules! choices_of {
    ($table:expr, |$entry:ident| $info:expr) => {{
        let mut choices = [Choice { value: "", label: "" }; $table.len()];
        let mut i = 0;
        while i < $table.len() {
            let $entry = &$table[i];
            let info = $info;
            choices[i] = Choice { value: info.label, label: info.choice };
            i += 1;
        }
        choices
    }};
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
    Field {
        name,
        param: Some(param),
        api: true,
        label,
        hint: prose(hint),
        kind: FieldKind::Number { min, max, default, whole },
    }
}

pub const MODE: Field = Field {
    name: "mode",
    param: None,
    api: true,
    label: "mode",
    hint: prose("the mode to run"),
    kind: FieldKind::Mode,
};

pub const MODES_PICKED: Field = Field {
    name: "modes",
    param: Some("modes"),
    api: false,
    label: "modes",
    hint: prose("the modes to run, in the picker's order"),
    kind: FieldKind::Modes,
};

pub const N: Field = number("n", "n", "n", [0.0, MAX_N as f64, 40.0], true, "fib(n) per job; fib(45) takes seconds");

pub const WORK: Field = Field {
    name: "work",
    param: Some("work"),
    api: true,
    label: "work",
    hint: prose("CPU modes: what each job computes"),
    kind: FieldKind::Choice { choices: &WORK_CHOICES, default: "fib" },
};

/// The work field's choices, from the work kinds' table.
const WORK_CHOICES: [Choice; WORK_KINDS.len()] = choices_of!(WORK_KINDS, |entry| entry);

pub const MIB: Field = number(
    "mib",
    "mib",
    "sha256 size (MiB)",
    [1.0, MAX_MIB as f64, DEFAULT_MIB as f64],
    true,
    "work sha256: the MiB each job hashes",
);

pub const PAYLOAD_MB: Field = number(
    "payloadMb",
    "payload_mb",
    "payload (MiB)",
    [0.0, MAX_PAYLOAD_MB as f64, 0.0],
    true,
    "CPU modes: data each job reads first; each process gets a copy",
);

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
    hint: prose(
        "io modes: an http(s) address to GET instead, e.g. https://api.github.com/users/octocat (fetched without \
           cookies; it must allow CORS)",
    ),
    kind: FieldKind::Url { placeholder: "empty: the built-in endpoint" },
};

pub const ENDPOINT: Field = Field {
    name: "endpoint",
    param: Some("endpoint"),
    api: true,
    label: "built-in endpoint answered by",
    hint: prose("io modes: who answers the built-in endpoint"),
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
    hint: prose("what to run: each experiment's button above runs it as set"),
    kind: FieldKind::Choice { choices: &EXPERIMENT_CHOICES, default: "article" },
};

/// The experiment field's choices, from the experiments' table.
const EXPERIMENT_CHOICES: [Choice; EXPERIMENTS.len()] = choices_of!(EXPERIMENTS, |entry| entry.info());

pub const KS: Field = Field {
    name: "ks",
    param: Some("ks"),
    api: false,
    label: "k's",
    hint: prose("scaling: the k's to run; empty: 1, 2, 3, … up to twice this machine's cores"),
    kind: FieldKind::List { min: 1.0, max: 64.0, most: 16, whole: true, placeholder: "like 1,2,4,8" },
};

pub const INTERVALS: Field = Field {
    name: "intervals",
    param: Some("intervals"),
    api: false,
    label: "sweep (ms)",
    hint: prose("convoy: the switch intervals gil also runs at; empty: 0.5, 1, 5 and 20"),
    kind: FieldKind::List { min: 0.1, max: 100.0, most: 8, whole: false, placeholder: "like 0.5,1,5,20" },
};

pub const PAYLOADS: Field = Field {
    name: "payloads",
    param: Some("payloads"),
    api: false,
    label: "payloads (MiB)",
    hint: prose("bend: the payloads to run at; empty: 0, 1, 8, 32, 128"),
    kind: FieldKind::List { min: 0.0, max: MAX_PAYLOAD_MB as f64, most: 8, whole: true, placeholder: "like 0,8,32" },
};

pub const ENGINE: Field = Field {
    name: "engine",
    param: None,
    api: true,
    label: "engine",
    hint: prose("what computes the run: threadlab's Rust, or real CPython 3.14 (Pyodide) running the Python program"),
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
    hint: prose("python: the program CPython runs (empty: threadlab's own); a link carries it but never runs it"),
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
    &WORK,
    &MIB,
    &PAYLOAD_MB,
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
    &PAYLOADS,
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
