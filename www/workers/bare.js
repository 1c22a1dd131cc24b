// A worker that does nothing but say it has started: what starting any worker costs in this browser, the floor no
// fresh wasm worker (a process) can start under (see lab.js, workerFloor).
postMessage(null);
