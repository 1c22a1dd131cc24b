//! The work of one CPU job, as data (`WORK_KINDS`): fib(n), Python code that holds the GIL throughout, or sha256 of a
//! buffer, native code that lets go of it (CPython's hashlib releases the GIL while it hashes more than 2047 bytes,
//! gh-99108; zlib and most of numpy do the same). And the payload a job must read: data that threads share, and that
//! a process gets only by copy.

use std::hint::black_box;
use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::fib::{fib, fib_fast, Subtrees};
use crate::modes::prose;

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum WorkKind {
    #[default]
    Fib,
    Sha256,
}

#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct WorkKindInfo {
    pub kind: WorkKind,
    /// Its name in the URL, the API, share links and threadlab.py's `--work`.
    pub label: &'static str,
    /// Its choice in the form's work field.
    pub choice: &'static str,
    pub about: &'static str,
    /// Whether the gil mode lets go of the lock while it computes (around each chunk), as CPython's C code does.
    pub lets_go: bool,
}

pub const WORK_KINDS: &[WorkKindInfo] = &[
    WorkKindInfo {
        kind: WorkKind::Fib,
        label: "fib",
        choice: "fib(n): holds the GIL",
        about: prose("fib(n), the naive recursion: Python code, which holds the GIL while it runs"),
        lets_go: false,
    },
    WorkKindInfo {
        kind: WorkKind::Sha256,
        label: "sha256",
        choice: "sha256: lets go of the GIL",
        about: prose(
            "sha256 of a buffer of M MiB, a chunk of 1 MiB at a time: native code, which lets go of the GIL \
             while it hashes (as CPython's hashlib does)",
        ),
        lets_go: true,
    },
];

impl WorkKind {
    pub fn info(self) -> &'static WorkKindInfo {
        WORK_KINDS.iter().find(|info| info.kind == self).expect("every work kind is listed")
    }

    pub fn parse(name: &str) -> Option<WorkKind> {
        WORK_KINDS.iter().find(|info| info.label == name).map(|info| info.kind)
    }

    pub fn is_fib(&self) -> bool {
        *self == WorkKind::Fib
    }
}

/// sha256's buffer, in MiB: by default, and at most.
pub const DEFAULT_MIB: u32 = 16;
pub const MAX_MIB: u32 = 256;

/// The largest payload, in MiB, and the most a run copies in all (the payload times its k jobs): each process copies
/// it into a wasm memory of its own, which holds at most 1 GiB in the threads build (scripts/build-wasm.sh).
pub const MAX_PAYLOAD_MB: u32 = 128;
pub const MOST_COPIED_MB: u32 = 512;

/// One CPU job's work: `kind`, at its size (fib's n, or sha256's MiB), after reading a payload of `payload_mb` MiB.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    pub kind: WorkKind,
    pub n: u32,
    pub mib: u32,
    pub payload_mb: u32,
}

impl Task {
    /// fib(n), without a payload.
    pub fn fib(n: u32) -> Task {
        Task { kind: WorkKind::Fib, n, mib: DEFAULT_MIB, payload_mb: 0 }
    }

    /// The job's value, computed without interruption.
    pub fn compute(&self) -> u64 {
        match self.kind {
            WorkKind::Fib => fib(self.n),
            WorkKind::Sha256 => {
                let mut hashing = Hashing::new(self.mib);
                while hashing.step() {}
                hashing.value()
            }
        }
    }

    /// The job's work in pieces, each computed without interruption: what a thread under the GIL does between check
    /// points, and what jobs taking turns on one worker do in a turn.
    pub fn steps(&self) -> Box<dyn Steps + Send> {
        match self.kind {
            WorkKind::Fib => Box::new(Subtrees::new(self.n)),
            WorkKind::Sha256 => Box::new(Hashing::new(self.mib)),
        }
    }

    /// The value every job must return, computed the fast way (sha256's once per size).
    pub fn expected(&self) -> u64 {
        match self.kind {
            WorkKind::Fib => fib_fast(self.n),
            WorkKind::Sha256 => {
                static KNOWN: Mutex<Vec<(u32, u64)>> = Mutex::new(Vec::new());
                let mut known = KNOWN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                if let Some(&(_, value)) = known.iter().find(|(mib, _)| *mib == self.mib) {
                    return value;
                }
                let value = Task { payload_mb: 0, ..*self }.compute();
                known.push((self.mib, value));
                value
            }
        }
    }

    /// In a few words: "fib(40)", "sha256 of 16 MiB".
    pub fn label(&self) -> String {
        match self.kind {
            WorkKind::Fib => format!("fib({})", self.n),
            WorkKind::Sha256 => format!("sha256 of {} MiB", self.mib),
        }
    }
}

/// A job's work, one uninterrupted piece at a time.
pub trait Steps {
    /// Computes the next piece; false when none was left.
    fn step(&mut self) -> bool;
    /// The job's value, once every piece is computed.
    fn value(&self) -> u64;
}

impl Steps for Subtrees {
    fn step(&mut self) -> bool {
        Subtrees::step(self)
    }
    fn value(&self) -> u64 {
        Subtrees::value(self)
    }
}

/// sha256 of `mib` MiB whose byte i is i mod 256, fed a chunk of 1 MiB at a time (every MiB of it is the same chunk).
pub struct Hashing {
    hasher: Sha256,
    left: u32,
}

/// The bytes a chunk holds: 0, 1, …, 255, again and again, for 1 MiB.
pub const CHUNK: usize = 1 << 20;

fn chunk() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| (0..CHUNK).map(|i| i as u8).collect())
}

impl Hashing {
    pub fn new(mib: u32) -> Hashing {
        Hashing { hasher: Sha256::new(), left: mib }
    }
}

impl Steps for Hashing {
    fn step(&mut self) -> bool {
        if self.left == 0 {
            return false;
        }
        self.hasher.update(chunk());
        self.left -= 1;
        true
    }

    /// The digest's first 6 bytes, big-endian: 48 bits, a number JavaScript holds exactly.
    fn value(&self) -> u64 {
        let digest = self.hasher.clone().finalize();
        digest[..6].iter().fold(0, |value, &byte| value << 8 | u64::from(byte))
    }
}

/// A payload of `mb` MiB, byte i being i mod 256 (as threadlab.py makes it).
pub fn payload(mb: u32) -> Vec<u8> {
    (0..(mb as usize) << 20).map(|i| i as u8).collect()
}

/// What a job does with its payload: reads a byte of each 4 KiB page of it, so that every page is touched.
pub fn read(payload: &[u8]) -> u64 {
    black_box(payload).iter().step_by(4096).map(|&byte| u64::from(byte)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_values_are_the_digests_of_the_buffer() {
        // sha256 of 1 MiB of 0..=255 repeated: `python3 -c "import hashlib; print(hashlib.sha256(bytes(range(256))
        // * 4096).hexdigest())"`, its first 6 bytes.
        let task = Task { kind: WorkKind::Sha256, n: 0, mib: 1, payload_mb: 0 };
        assert_eq!(task.compute(), 0xfb_ba_b2_89_f7_f9);
        assert_eq!(task.expected(), task.compute());
        let whole: [u8; 32] = Sha256::digest((0..3 << 20).map(|i| i as u8).collect::<Vec<u8>>()).into();
        let three = Task { mib: 3, ..task };
        assert_eq!(
            three.compute(),
            u64::from_be_bytes([0, 0, whole[0], whole[1], whole[2], whole[3], whole[4], whole[5]])
        );
        let mut steps = three.steps();
        let pieces = std::iter::from_fn(|| steps.step().then_some(())).count();
        assert_eq!((pieces, steps.value()), (3, three.compute()), "a chunk a step");
    }

    #[test]
    fn fib_is_fib_and_every_kind_parses_by_its_label() {
        assert_eq!(Task { kind: WorkKind::Fib, n: 20, mib: 1, payload_mb: 0 }.compute(), 6765);
        for info in WORK_KINDS {
            assert_eq!(WorkKind::parse(info.label), Some(info.kind));
            assert_eq!(serde_json::to_value(info.kind).unwrap(), info.label);
        }
    }

    #[test]
    fn a_payload_is_read_page_by_page() {
        let one = payload(1);
        assert_eq!((one.len(), one[257]), (1 << 20, 1));
        assert_eq!(read(&one), 0, "every page starts at a multiple of 256");
        assert_eq!(read(&one[1..]), 256, "a byte of each of 256 pages");
    }
}
