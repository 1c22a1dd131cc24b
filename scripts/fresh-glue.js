// Writes www/pkg/threads/fresh.js from the threads build's glue: `freshCore()` returns a new copy of the glue, with
// its own `wasm` and caches, so that one worker can make one fresh wasm instance after another (the interpreters
// mode, workers/interpreter.js). wasm-bindgen's glue keeps its instance in module variables, one per realm: wrapping
// its text in a function gives each call its own. The pinned wasm-bindgen's output has one static import, exported
// functions and classes, and one closing `export { initSync, __wbg_init as default }`; anything else stops the build.
import { readFileSync, writeFileSync } from 'node:fs';

const folder = new URL('../www/pkg/threads/', import.meta.url);
const glue = readFileSync(new URL('threadlab.js', folder), 'utf8');

const imports = [];
const names = [];
const body = glue.split('\n').map((line) => {
  if (line.startsWith('import ')) {
    imports.push(line);
    return '';
  }
  if (line.startsWith('export {')) {
    if (line !== 'export { initSync, __wbg_init as default };') throw new Error(`fresh-glue: unexpected ${line}`);
    return '';
  }
  const exported = /^export (function|class) (\w+)/.exec(line);
  if (exported) names.push(exported[2]);
  else if (line.startsWith('export ')) throw new Error(`fresh-glue: unexpected ${line}`);
  return exported ? line.slice('export '.length) : line;
});
if (!names.includes('job')) throw new Error('fresh-glue: the glue exports no job');

writeFileSync(
  new URL('fresh.js', folder),
  [
    '// Made by scripts/fresh-glue.js from threadlab.js: each freshCore() is a new copy of the glue.',
    ...imports,
    'export function freshCore() {',
    ...body,
    `return { ${names.join(', ')}, initSync };`,
    '}',
    '',
  ].join('\n'),
);
