// The Python room's part for the visitor's own Python: the command made from the form's settings, and what a pasted
// link or JSON becomes (the core then checks it as every share link).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { command, fragmentOf } from '../../www/experiments/python/own.js';

test("the command carries the form's settings, quoted for a shell where a value needs it", () => {
  const values = { n: '30', workers: '2', repeats: '3', switchMs: '5', requests: '10', delayMs: '50', timeoutMs: '' };
  assert.equal(
    command(values, 'https://lab.test/threadlab/'),
    'python3 threadlab.py --n 30 --workers 2 --repeats 3 --switch-ms 5 --requests 10 --delay-ms 50 --page ' +
      'https://lab.test/threadlab/',
  );
  assert.equal(
    command({ n: '20', url: "https://api.test/u?a=1&b='x'" }, 'http://127.0.0.1:5173/'),
    "python3 threadlab.py --n 20 --url 'https://api.test/u?a=1&b='\\''x'\\''' --page http://127.0.0.1:5173/",
  );
});

test('a pasted link gives its fragment, pasted JSON the newest format, anything else nothing', () => {
  assert.equal(fragmentOf('  https://lab.test/?n=20#share=5.eyJ9 \n'), 'share=5.eyJ9');
  assert.equal(fragmentOf('share=4.abc'), 'share=4.abc');
  const json = '{"settings": {"n": "20"}, "python": {"os": "Linux é"}}';
  const fragment = fragmentOf(`\n${json}\n`);
  assert.match(fragment, /^share=5\.[A-Za-z0-9_-]+$/);
  assert.equal(Buffer.from(fragment.slice('share=5.'.length), 'base64url').toString('utf8'), json);
  assert.equal(fragmentOf('https://lab.test/?share=5.x'), null, 'share= outside the fragment');
  assert.equal(fragmentOf('hello'), null);
  assert.equal(fragmentOf(''), null);
});
