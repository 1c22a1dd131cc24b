import assert from 'node:assert/strict';
import { test } from 'node:test';
import { snippet } from '../../www/page/snippet.js';

test('the snippet frames the page embedded, with its settings, never running on arrival', () => {
  const code = snippet('https://example.com/threadlab/?n=30&autorun=1#share=1.x');
  assert.match(code, /^<iframe src="https:\/\/example\.com\/threadlab\/\?n=30&amp;embed=1" /);
  assert.match(code, /allow="cross-origin-isolated"/);
  assert.match(code, /event\.data\?\.type !== 'threadlab:resize'/);
});

test('nothing in the address can close the attribute it is written into', () => {
  const code = snippet('https://example.com/?url=%22%3E%3Cscript%3E');
  const src = code.match(/src="([^"]*)"/)[1];
  assert.equal(src, 'https://example.com/?url=%22%3E%3Cscript%3E&amp;embed=1');
  assert.equal((code.match(/<script>/g) ?? []).length, 1, "only the snippet's own script");
});
