// The core's own description, `describe()` from the plain build in www/pkg, read in Node: the build makes the form
// from it (vite.config.js), and the tests take their mode lists from it (tests/support/core.js).
import { existsSync, readFileSync } from 'node:fs';

export async function describeCore() {
  const glue = new URL('../www/pkg/plain/threadlab.js', import.meta.url);
  const wasm = new URL('../www/pkg/plain/threadlab_bg.wasm', import.meta.url);
  if (!existsSync(wasm)) throw new Error('www/pkg/plain is missing: run npm run build:wasm first');
  const core = await import(glue.href);
  core.initSync({ module: readFileSync(wasm) });
  return JSON.parse(core.describe());
}
