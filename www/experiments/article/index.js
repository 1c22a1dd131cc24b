// The article's experiment: every mode picked at one k, read as its three findings (the verdict panel).
import { renderVerdicts } from './verdicts.js';

export const article = {
  name: 'article',
  room: 'verdicts',
  /** `page.unavailable`: the modes that cannot run here, named in the verdicts (not those of a shared click). */
  render: (section, click, page) =>
    renderVerdicts(section.querySelector('ol'), click.report, click.shared ? [] : page.unavailable),
};
