// A worker that does nothing but say it has started: what starting any worker costs in this browser, the floor no
// fresh wasm worker (a process) can start under (see runtime/floor.js). It sends its own start and its script's
// end on the common clock (clock.js, written out: an import would be a second script to load), the first two of a
// process's spawn parts.
postMessage([performance.timeOrigin, performance.timeOrigin + performance.now()]);
