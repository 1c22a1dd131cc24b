// The io worker (plain build, loaded when first needed): io-sequential and io-concurrent make their requests from
// here, with gloo-net (the threads build cannot, its futures executor needing Atomics.waitAsync); and share links
// are made and read here, keeping their code out of the threads build that every visitor loads.
import { instantiate, serve } from './serve.js';

let core;
let memory;

serve(async ({ module, session }) => void ({ core, memory } = await instantiate('plain', module, session)), {
  'io-sequential': ({ options, base }) => core.run_io(options, base),
  'io-concurrent': ({ options, base }) => core.run_io(options, base),
  assembleIo: ({ options, base, started, jobs }) => core.assemble_io(options, base, started, jobs),
  share: (json) => core.share_link(json),
  readShare: ({ fragment, base }) => core.read_share(fragment, base),
  panicNextJob: () => core.panic_next_job(),
  memoryBytes: () => memory.buffer.byteLength,
});
