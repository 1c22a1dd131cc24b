//! Where a run ran: recorded with every result, so a shared figure says what machine made it.

use serde::{Deserialize, Serialize};

use crate::modes::Build;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Env {
    pub hardware_concurrency: u32,
    pub cross_origin_isolated: bool,
    pub user_agent: String,
    /// The build that computed.
    pub build: Build,
    /// The visitor's own Python, where the runs ran there and not in this browser (threadlab.py's, in a link).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub python: Option<Interpreter>,
}

/// A Python on the visitor's machine, as threadlab.py (www/public/threadlab.py) reports it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Interpreter {
    /// "CPython", "PyPy".
    pub implementation: String,
    pub version: String,
    /// A free-threaded build (`Py_GIL_DISABLED`), and whether its GIL is on now (`sys._is_gil_enabled()`).
    pub free_threaded: bool,
    pub gil_enabled: bool,
    /// `sys.getswitchinterval()`, in ms.
    pub switch_ms: f64,
    pub cores: u32,
    pub os: String,
    /// How its multiprocessing starts a process: fork, forkserver or spawn.
    pub start_method: String,
    /// Whether it has `InterpreterPoolExecutor` (3.14 and later).
    pub interpreters: bool,
}

/// How many cores this machine says it has (the browser's `navigator.hardwareConcurrency` in wasm).
pub fn cores() -> u32 {
    Env::current().hardware_concurrency.max(1)
}

impl Env {
    #[cfg(target_arch = "wasm32")]
    pub fn current() -> Env {
        use wasm_bindgen::JsCast;
        let global = js_sys::global();
        let navigator = global.clone().unchecked_into::<web_sys::WorkerGlobalScope>().navigator();
        let isolated = js_sys::Reflect::get(&global, &"crossOriginIsolated".into()).ok().and_then(|v| v.as_bool());
        Env {
            hardware_concurrency: navigator.hardware_concurrency() as u32,
            cross_origin_isolated: isolated.unwrap_or(false),
            user_agent: navigator.user_agent().unwrap_or_default(),
            build: Build::current(),
            python: None,
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn current() -> Env {
        Env {
            hardware_concurrency: std::thread::available_parallelism().map_or(1, |n| n.get() as u32),
            cross_origin_isolated: false,
            user_agent: format!("native {} {}", std::env::consts::OS, std::env::consts::ARCH),
            build: Build::current(),
            python: None,
        }
    }
}
