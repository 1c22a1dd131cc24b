// The core cases (./cases.js) in a third engine, WebKit (Safari's), twice: with shared memory, as Safari runs a
// cross-origin isolated page, and without, as Safari runs one that is not (./webkit.js).
import { register } from './cases.js';
import { launchWebKit } from './webkit.js';

const webkit = { userAgent: /AppleWebKit\/\d+/, sharedAs: 'Safari' };

register({
  ...webkit,
  name: 'WebKit with shared memory',
  launch: () => launchWebKit({ sharedMemory: true }),
  sharedMemory: true,
});

register({
  ...webkit,
  name: 'WebKit without shared memory',
  launch: () => launchWebKit({ sharedMemory: false }),
  sharedMemory: false,
  // Where memory cannot be shared, as on most of Safari's pages, real CPython runs single and processes.
  python: true,
  pythonProcesses: 2,
  embed: true,
  embedSupport: /^Free threads are unavailable: /,
});
