import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unknownParams, urlFromValues, valuesFromUrl } from '../../www/ui/controls.js';
import { FIELDS } from './fixtures.js';

test('the URL gives each field of the form its value, or its default', () => {
  assert.deepEqual(valuesFromUrl('?n=30&url=https%3A%2F%2Fx.y%2F', FIELDS, 'single,gil'), {
    modes: 'single,gil',
    n: '30',
    switchMs: '5',
    url: 'https://x.y/',
    endpoint: 'auto',
  });
  assert.equal(valuesFromUrl('?modes=threads', FIELDS, 'single').modes, 'threads');
  assert.equal('mode' in valuesFromUrl('?mode=gil', FIELDS, ''), false, 'mode is an option of the API alone');
});

test('a parameter given twice stays a list, for the core to refuse', () => {
  assert.deepEqual(valuesFromUrl('?n=3&n=40', FIELDS, '').n, ['3', '40']);
  assert.deepEqual(valuesFromUrl('?switch_ms=1&switch_ms=2', FIELDS, '').switchMs, ['1', '2']);
});

test('the values write a URL with the modes first and no empty field', () => {
  const values = { modes: 'single,gil', n: '27', switchMs: '', url: '', endpoint: 'server' };
  assert.equal(urlFromValues(values, FIELDS), '?modes=single%2Cgil&n=27&endpoint=server');
  const back = valuesFromUrl(urlFromValues(values, FIELDS), FIELDS, '');
  assert.deepEqual([back.modes, back.n, back.endpoint], ['single,gil', '27', 'server']);
});

test('unknown parameters are named once each', () => {
  assert.deepEqual(unknownParams('?n=1&worker=3&foo=1&foo=2', ['n', 'workers']), ['worker', 'foo']);
  assert.deepEqual(unknownParams('', ['n']), []);
});

test("an experiment's own defaults fill the fields the URL does not give", () => {
  const experiments = [{ label: 'convoy', defaults: [['n', 27]], modes: ['gil', 'threads', 'io-sequential'] }];
  const values = valuesFromUrl('?experiment=convoy&switch_ms=1', FIELDS, 'single,threads,gil', experiments);
  assert.deepEqual([values.n, values.switchMs], ['27', '1']);
  assert.equal(values.modes, 'threads,gil', 'its own modes, of those that can run here');
  const picked = valuesFromUrl('?experiment=convoy&modes=single', FIELDS, 'single,gil', experiments);
  assert.equal(picked.modes, 'single', 'the URL wins');
  assert.equal(valuesFromUrl('?experiment=convoy&n=30', FIELDS, 'gil', experiments).n, '30', 'the URL wins');
  assert.equal(valuesFromUrl('?n=', FIELDS, 'gil', experiments).n, '', 'another experiment keeps the fields');
  assert.equal(valuesFromUrl('', FIELDS, 'gil', experiments).n, '40');
});
