// The verdict panel: the article's three findings, each checked with this click's medians, in words. The rules
// (what is a tie, what the theory expects where) live in the core's report; this only writes them out as text.
import { el } from '../../ui/el.js';
import { ms } from '../../ui/results.js';

// One mark of three (the core's `Mark`), a symbol and a word: never colour alone.
const MARK = {
  'as-theory-says': ['✓', 'as the theory says'],
  'not-here': ['✗', 'not here'],
  'too-close': ['≈', 'too close to call'],
};

/** `unavailable`: the modes that cannot run on this page (free threads, without shared memory). */
export function renderVerdicts(list, report, unavailable = []) {
  list.replaceChildren(
    ...report.verdicts.map((verdict, i) =>
      el('li', { className: 'verdict' }, [
        el('h3', {}, [`${i + 1}. ${verdict.claim}`]),
        el(
          'ul',
          {},
          verdict.checks.map((check) => checkItem(check, unavailable)),
        ),
      ]),
    ),
  );
}

function checkItem(check, unavailable) {
  const missing = [check.faster, check.slower].find((mode) => unavailable.includes(mode));
  const notRun = missing
    ? `${missing} cannot run on this page (see the note above).`
    : `Run ${check.faster} and ${check.slower} to see.`;
  // The theory's word for this setting, then what happened here, then why.
  const body =
    check.outcome === 'not-run'
      ? [notRun]
      : [
          el('span', { className: 'theory' }, [`the theory: ${check.theory}. Here: `]),
          ...figures(check),
          ' ',
          el('span', { className: 'why' }, [check.why]),
        ];
  const [symbol, word] = MARK[check.mark] ?? ['–', 'not run'];
  return el('li', { className: `check ${check.mark ?? 'not-run'}` }, [
    el('span', { className: 'mark' }, [el('span', { 'aria-hidden': 'true' }, [symbol]), ` ${word}`]),
    ' ',
    el('span', { className: 'setting' }, [`${check.setting} — `]),
    ...body,
  ]);
}

/** "processes 200 ms against gil 411 ms: 2.06× faster." and the like, from the medians. */
function figures(check) {
  const figure = (mode, range) =>
    el('span', { className: 'figure', 'data-mode': mode }, [`${mode} ${ms(range.median)} ms`]);
  // No ratio when the faster one took no time this page's clock can measure (see stats::speedup).
  const times = (ratio) => (check.speedup === null ? 'too quick to time on this clock' : `${ratio.toFixed(2)}×`);
  const sentence = {
    holds: `${times(check.speedup)} faster.`,
    tie: `no difference beyond the noise (their ranges overlap, or their medians are within 3%).`,
    fails: `${check.slower} is ${times(1 / check.speedup)} faster.`,
  }[check.outcome];
  return [figure(check.faster, check.fasterMs), ' against ', figure(check.slower, check.slowerMs), `: ${sentence}`];
}
