// The io worker (plain build, loaded when an io mode first runs): io-sequential and io-concurrent make their
// requests from here, with gloo-net; the threads build cannot, its futures executor needing Atomics.waitAsync.
import { instantiate, serve } from './serve.js';

let core;
let memory;

serve(async ({ module, session }) => void ({ core, memory } = await instantiate('plain', module, session)), {
  'io-sequential': ({ options, base }) => core.run_io(options, base),
  'io-concurrent': ({ options, base }) => core.run_io(options, base),
  assembleIo: ({ options, base, started, jobs }) => core.assemble_io(options, base, started, jobs),
  panicNextJob: () => core.panic_next_job(),
  memoryBytes: () => memory.buffer.byteLength,
});
