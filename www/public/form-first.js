// The form's settings sit behind "Change the experiment" (open where the URL carries settings, or a field is
// wrong), and it shows the fields of the chosen experiment, keeping the others under "more settings": still in the
// URL, still checked. The style sheet hides them (rules made at build time from the core's table, vite.config.js)
// by the root's `data-settings`, `data-experiment` and `data-more`; this classic script in the head sets them
// before the body is laid out, so that nothing moves as the page starts, and keeps them as the visitor changes
// them. It reads the URL only for those attributes, which style rules compare with fixed names.
(() => {
  const root = document.documentElement;
  const params = new URLSearchParams(location.search);
  root.dataset.experiment = params.get('experiment') ?? '';
  // The settings are open from the start where the URL carries any (an experiment alone, or autorun, is none).
  const settings = () => document.getElementById('change-settings');
  const openSettings = (open) => {
    root.toggleAttribute('data-settings', open);
    settings()?.setAttribute('aria-expanded', String(open));
  };
  openSettings([...params.keys()].some((key) => !['experiment', 'autorun', 'embed'].includes(key)));
  addEventListener('DOMContentLoaded', () => openSettings(root.hasAttribute('data-settings')));
  // The page (controls.js) sends `threadlab:settings` when a field is wrong: it is shown.
  addEventListener('threadlab:settings', () => openSettings(true));

  const more = () => document.getElementById('more-settings');
  const show = (experiment) => {
    root.dataset.experiment = experiment;
    const others = [...document.querySelectorAll('#controls .field[data-for]')].filter(
      (field) => !field.dataset.for.split(' ').includes(experiment),
    ).length;
    if (root.dataset.more === undefined) more().textContent = `more settings (${others})`;
  };
  const experiment = () => document.getElementById('controls').elements.experiment.value;
  // The page (controls.js) sends `threadlab:form` when it writes the form.
  addEventListener('change', (event) => event.target.name === 'experiment' && show(event.target.value));
  addEventListener('threadlab:form', () => show(experiment()));
  addEventListener('click', (event) => {
    if (event.target === settings()) openSettings(!root.hasAttribute('data-settings'));
    if (event.target !== more()) return;
    const open = root.dataset.more === undefined;
    root.toggleAttribute('data-more', open);
    more().setAttribute('aria-expanded', String(open));
    more().textContent = 'fewer settings';
    if (!open) show(experiment());
  });
})();
