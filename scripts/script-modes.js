// threadlab.py's table of modes, written from the core's description (crate/src/modes.rs: each mode's `script` and
// `kind`), so that a new mode reaches the visitor's own Python from its row while the script stays one
// standard-library file. build-wasm.sh runs this after the plain build; tests/build/ checks that the file holds it.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeCore } from './describe.js';

export const SCRIPT = new URL('../www/public/threadlab.py', import.meta.url);
const BEGIN =
  "# The modes, from the core's table (crate/src/modes.rs), written by scripts/script-modes.js: not by hand.";
const END = '# (end of the modes)';

/** The script's text with its table of modes made from `modes` (the core's description's). */
export function withModes(text, modes) {
  const [before, rest] = text.split(BEGIN);
  const after = rest?.split(END)[1];
  if (after === undefined) throw new Error(`threadlab.py has no block from "${BEGIN}" to "${END}"`);
  const ours = modes.filter((info) => info.script);
  const names = (kind) => ours.filter((info) => info.kind === kind).map((info) => JSON.stringify(info.mode));
  const table = [
    BEGIN,
    `CPU_MODES = [${names('cpu').join(', ')}]`,
    `IO_MODES = [${names('io').join(', ')}]`,
    '# What each mode is in Python, for the table.',
    'DOES = {',
    ...ours.map((info) => `    ${JSON.stringify(info.mode)}: ${JSON.stringify(info.script)},`),
    '}',
    END,
  ];
  return `${before}${table.join('\n')}${after}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = readFileSync(SCRIPT, 'utf8');
  const written = withModes(text, (await describeCore()).modes);
  if (written !== text) {
    writeFileSync(SCRIPT, written);
    console.log("script-modes: threadlab.py's table of modes follows the core's now (commit it)");
  }
}
