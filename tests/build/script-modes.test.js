// What the build writes into committed files is committed: threadlab.py's table of modes is the core's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { describeCore } from '../../scripts/describe.js';
import { SCRIPT, withModes } from '../../scripts/script-modes.js';

test("threadlab.py's modes are the core's modes that the script runs, each with its words", async () => {
  const { modes } = await describeCore();
  const text = readFileSync(SCRIPT, 'utf8');
  assert.equal(text, withModes(text, modes), 'run npm run build:wasm and commit www/public/threadlab.py');
  for (const info of modes.filter((m) => m.script)) assert.ok(text.includes(`"${info.mode}": "${info.script}"`));
});

test('a mode the core adds reaches the script from its row', () => {
  const text = readFileSync(SCRIPT, 'utf8');
  const added = { mode: 'warp', kind: 'cpu', script: 'k warp drives' };
  const written = withModes(text, [{ mode: 'single', kind: 'cpu', script: 'one' }, added]);
  assert.match(written, /^CPU_MODES = \["single", "warp"\]$/m);
  assert.match(written, /^IO_MODES = \[\]$/m);
  assert.match(written, /^ {4}"warp": "k warp drives",$/m);
  assert.throws(() => withModes('no block here', []), /has no block/);
});
