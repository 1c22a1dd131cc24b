// One CPython interpreter (Pyodide) in a module worker: started from the page's compiled module, then runs the modes
// of the visitor's program through threadlab's harness (python/harness.py). See python/cpython.js.

import harness from '../python/harness.py?raw';
import { now } from '../runtime/clock.js';

let python = null;
let run = null; // the harness's run(code, call)

/**
 * Starts the interpreter from `module`, the page's compiled pyodide.asm.wasm, so that no worker compiles its 9.6 MB
 * again. Pyodide fetches and instantiates the wasm itself: for the length of its start, its fetch of that file gets
 * an empty answer and its instantiation uses the module. The first interpreter also makes a snapshot of its memory
 * once CPython is up (Pyodide's `_makeSnapshot`); the others start from it (`_loadSnapshot`) and skip CPython's own
 * start-up, most of what is left.
 */
async function start({ indexURL, module, snapshot }) {
  const started = now();
  // Pyodide's two modules, by the names threadlab serves them under (vite.config.js): its loader would import the
  // second as pyodide.asm.mjs, so it is handed it.
  const load = (name) => import(/* @vite-ignore */ new URL(name, indexURL).href);
  const [{ loadPyodide }, { default: createPyodideModule }] = await Promise.all([
    load('pyodide.js'),
    load('pyodide.asm.js'),
  ]);
  const wasm = new URL('pyodide.asm.wasm', indexURL).href;
  const { fetch: realFetch } = globalThis;
  const { instantiateStreaming } = WebAssembly;
  globalThis.fetch = (input, init) =>
    String(input) === wasm ? Promise.resolve(new Response(new Uint8Array())) : realFetch(input, init);
  WebAssembly.instantiateStreaming = async (_, imports) => ({
    module,
    instance: await WebAssembly.instantiate(module, imports),
  });
  const quiet = { stdout: () => {}, stderr: () => {} };
  try {
    const memory = snapshot ? { _loadSnapshot: snapshot } : { _makeSnapshot: true };
    python = await loadPyodide({ indexURL, createPyodideModule, ...quiet, ...memory });
  } finally {
    globalThis.fetch = realFetch;
    WebAssembly.instantiateStreaming = instantiateStreaming;
  }
  // os._exit() or running out of memory ends this interpreter for good, in the middle of a run whose promise then
  // never settles: say so at once (the page stops this worker, fails the run, and the next run starts a new one).
  python._api.on_fatal = (error) => postMessage({ error: ended(error), broken: true });
  // Before any Python object refers to JavaScript, which a snapshot cannot hold.
  const made = snapshot ? null : python.makeMemorySnapshot();
  // The common clock for the harness, as a module of its own: a snapshot's interpreter wraps `js`'s globals.
  python.registerJsModule('threadlab_clock', { now });
  python.FS.writeFile('/home/pyodide/threadlab.py', harness);
  run = python.pyimport('threadlab').run;
  const [version, pthreads] = python
    .runPython('import sys; (sys.version.split()[0], bool(sys._emscripten_info.pthreads))')
    .toJs();
  const heapBytes = python._module?.HEAP8?.length ?? null;
  return { version, pthreads, startMs: now() - started, heapBytes, snapshot: made };
}

/** What ended the interpreter, in words: "the interpreter ended: os._exit(1)", "out of memory". */
function ended(error) {
  const message = String(error?.message ?? error);
  const code = message.match(/exit\((\d+)\)/)?.[1];
  if (code !== undefined) return `the interpreter ended: os._exit(${code})`;
  if (/out of memory|enlarge memory|allocation failed/i.test(message)) return 'the interpreter ran out of memory';
  return `the interpreter failed: ${message}`;
}

// The page's Remote (remote.js) speaks to it: {id, op, args} answered with {id, value} or {id, error}. The first
// call is `load`; `started` answers what the start took; `run` runs one mode: the harness's JSON text.
let loaded = Promise.reject(new Error('this interpreter was not loaded'));
loaded.catch(() => {});
let info = null;
self.onmessage = async ({ data: { id, op, args = [] } }) => {
  try {
    if (op === 'load')
      loaded = start(...args).then((started) => {
        info = started;
      });
    await loaded;
    const value = op === 'run' ? await run(args[0], JSON.stringify(args[1])) : op === 'started' ? info : null;
    postMessage({ id, value });
  } catch (error) {
    postMessage({ id, error: String(error?.message ?? error) });
  }
};
