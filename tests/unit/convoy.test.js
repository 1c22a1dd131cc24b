import assert from 'node:assert/strict';
import { test } from 'node:test';
import { convoyCaption, REGIME_COLUMNS, regimeFigures, regimeRows } from '../../www/experiments/convoy/index.js';
import { csv, fileName, markdown } from '../../www/ui/exports.js';
import { convoyClick } from './fixtures.js';

test("a convoy click's rows: the regimes, then gil at each other interval of the sweep", () => {
  const { report } = convoyClick();
  assert.deepEqual(
    regimeRows(report.convoy).map((row) => [row.regime, row.switchMs]),
    [
      ['alone', 5],
      ['gil', 5],
      ['gil', 1],
    ],
  );
  const [alone, gil, faster] = regimeRows(report.convoy).map(regimeFigures);
  assert.equal(REGIME_COLUMNS.length, gil.length);
  assert.deepEqual(alone, ['alone', '—', '1.20', '1.50', '2.00', '1.20', '—', '—', '800', '—', '✓']);
  assert.deepEqual(gil, ['gil', '5', '6.30', '9.00', '12.0', '1.40', '5.10', '4.90', '150', '900', '✓']);
  assert.equal(faster[0], 'gil (in turns)');
});

test('the convoy exports its regimes, and its caption says the work and where', () => {
  const click = convoyClick();
  assert.equal(
    markdown(click).split('\n').slice(2, 5).join('\n'),
    [
      `| ${REGIME_COLUMNS.join(' | ')} |`,
      `| ${REGIME_COLUMNS.map(() => '---').join(' | ')} |`,
      '| alone | — | 1.20 | 1.50 | 2.00 | 1.20 | — | — | 800 | — | ✓ |',
    ].join('\n'),
  );
  assert.equal(csv(click).split('\r\n')[2], '"gil","5","6.30","9.00","12.0","1.40","5.10","4.90","150","900","✓"');
  assert.equal(fileName(click), 'threadlab-convoy-20requests-fib27x2');
  assert.equal(
    convoyCaption(click),
    '20 × GET built-in endpoint (2 ms) beside fib(27) × 2 · Chrome 156, 8 cores · median of 3 runs each',
  );
});
