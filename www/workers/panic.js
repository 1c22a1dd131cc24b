// The message of the Rust panic that made this worker's last call fail, if one did: the panic hook (wasm.rs) leaves
// it on the worker's global before the trap that follows, which JavaScript only sees as "unreachable".
export function panicked() {
  return self.threadlabPanic ?? null;
}

/** Passes the text of a panic that no call caught (one inside a future the wasm drives itself) to `report`. */
export function onUncaughtPanic(report) {
  self.addEventListener('error', (event) => {
    const panic = panicked();
    if (!panic) return;
    event.preventDefault();
    report(panic);
  });
}
