// The form shows the fields of the chosen experiment and keeps the others under "more settings": still in the URL,
// still checked. The style sheet hides them (rules made at build time from the core's table, vite.config.js) by
// the root's `data-experiment` and `data-more`; this classic script in the head sets them before the body is laid
// out, so that nothing moves as the page starts, and keeps them as the experiment changes. It reads the URL only to
// set that attribute, which a style rule compares with the experiments' names.
(() => {
  const root = document.documentElement;
  root.dataset.experiment = new URLSearchParams(location.search).get('experiment') ?? '';

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
    if (event.target !== more()) return;
    const open = root.dataset.more === undefined;
    root.toggleAttribute('data-more', open);
    more().setAttribute('aria-expanded', String(open));
    more().textContent = 'fewer settings';
    if (!open) show(experiment());
  });
})();
