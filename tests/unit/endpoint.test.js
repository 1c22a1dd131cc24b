import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answer, headers, MAX_DELAY_MS } from '../../www/public/api-users.js';

const at = (path) => answer(new URL(path, 'http://localhost/'));

test('the built-in endpoint answers a user after the delay asked for', () => {
  const { status, delayMs, body } = at('/api/users/user-3?delay_ms=120');
  assert.deepEqual([status, delayMs, body.login], [200, 120, 'user-3']);
  assert.equal(at('/threadlab/api/users/octocat').delayMs, 0, 'under a sub-path, with no delay given');
});

test('a bad delay or path is a 400 or a 404 at once', () => {
  for (const delay of ['-1', '1.5', 'abc', String(MAX_DELAY_MS + 1), '1e3']) {
    const { status, delayMs, body } = at(`/api/users/x?delay_ms=${delay}`);
    assert.deepEqual([status, delayMs], [400, 0], delay);
    assert.match(body.error, /^delay_ms must be a whole number from 0 to 10000/);
  }
  assert.equal(at('/api/other').status, 404);
});

test('its answers forbid everything, and say who gave them', () => {
  const sent = headers('service-worker');
  assert.equal(sent['content-security-policy'], "default-src 'none'");
  assert.equal(sent['x-threadlab-endpoint'], 'service-worker');
  assert.equal(sent['x-content-type-options'], 'nosniff');
});
