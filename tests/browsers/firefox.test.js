// The core cases (./cases.js) in a second engine: Debian's Firefox ESR, driven through WebDriver BiDi by
// puppeteer-core (./firefox.js).
import { register } from './cases.js';
import { launch } from './firefox.js';

register({
  name: 'Firefox',
  launch,
  sharedMemory: true,
  userAgent: /Firefox\/\d+/,
  sharedAs: 'Firefox',
  // Pyodide reports hangs in Firefox with more than two interpreters starting at once: four test that ours start two
  // at a time.
  python: true,
  pythonProcesses: 4,
  // Firefox has no Document-Isolation-Policy: a frame on another site cannot be isolated.
  embed: true,
  embedSupport: /^Free threads are unavailable: this page is not cross-origin isolated/,
});
