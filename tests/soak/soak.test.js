// `npm run soak` in short (20 runs) on the built site: a session stays flat (the same workers, wasm memory and
// JS heap within the soak's stated bounds), and every result is correct.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

test('a session of 20 mixed runs stays flat, and every result is correct', { timeout: 180_000 }, async (t) => {
  const json = join(await mkdtemp(join(tmpdir(), 'threadlab-soak-')), 'soak.json');
  const { stdout } = await promisify(execFile)('node', ['bench/soak.js', '--runs', '20', '--no-build', '--json', json]);
  t.diagnostic(stdout);
  const result = JSON.parse(await readFile(json, 'utf8'));
  assert.deepEqual([result.outcomes.ok, result.outcomes.wrong, result.outcomes.failed], [20, 0, []]);
  assert.deepEqual(
    result.figures.map((f) => f.name),
    ['workers', 'wasmBytes', 'heapBytes'],
  );
  for (const figure of result.figures) {
    assert.ok(figure.start > 0, `${figure.name} was measured`);
    assert.ok(figure.holds, `${figure.name}: ${figure.start} → ${figure.end}, bound ${figure.bound}`);
  }
});
