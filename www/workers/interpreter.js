// An interpreter host: one of the workers kept running for the interpreters mode (runtime/hosts.js), as
// an InterpreterPoolExecutor keeps its threads. Each job gets an interpreter of its own: a fresh copy of the threads
// build's glue (pkg/threads/fresh.js) and a fresh wasm instance with its own memory, gone once it has answered.
import { freshCore } from '../pkg/threads/fresh.js';
import { answering } from './process.js';

answering((module) => {
  const core = freshCore();
  core.initSync({ module });
  return core;
});
