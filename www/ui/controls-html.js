// The form's controls as HTML, made at build time from the core's description (vite.config.js): the page has its
// final size before any script runs, so nothing moves when the core answers, and a page whose scripts cannot run
// still shows what it would ask. controls.js then only fills the values and marks what cannot run here.

const escaped = (text) =>
  String(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** `<tag a="b">children</tag>`, every attribute escaped; `true` is an attribute without a value. */
function tag(name, attributes = {}, children = '') {
  const written = Object.entries(attributes)
    .filter(([, value]) => value !== false && value !== undefined)
    .map(([key, value]) => (value === true ? ` ${key}` : ` ${key}="${escaped(value)}"`))
    .join('');
  return name === 'input' ? `<input${written} />` : `<${name}${written}>${children}</${name}>`;
}

/** The mode picker's boxes, each with its name and the Python it stands for. */
function picker(modes) {
  const boxes = modes.map((info) =>
    tag(
      'label',
      { class: 'mode', title: info.about },
      tag('input', { type: 'checkbox', name: 'mode', value: info.mode }) +
        tag('span', { class: 'mode-name' }, escaped(info.label)) +
        tag('small', {}, escaped(info.python)),
    ),
  );
  return boxes.join('') + tag('output', { class: 'error', id: 'modes-error', for: 'modes' });
}

/**
 * A field's label, input, hint and the place for its error message. `data-for` names the experiments that use it
 * (`field.for`; none: the experiment's own choice, always shown); the others keep it under "more settings"
 * (`shownFields`).
 */
function block(field, input, wide) {
  const id = `field-${field.name}`;
  const hint = field.kind === 'number' ? `${field.hint} (${field.min}–${field.max})` : field.hint;
  return tag(
    'div',
    {
      class: wide ? 'field wide' : 'field',
      'data-field': field.name,
      'data-for': field.for.length > 0 && field.for.join(' '),
    },
    tag('label', { for: id }, escaped(field.label)) +
      input({ id, name: field.name, 'aria-describedby': `${id}-hint ${id}-error` }) +
      tag('small', { id: `${id}-hint`, class: 'hint' }, escaped(hint)) +
      tag('output', { id: `${id}-error`, class: 'error', for: id }),
  );
}

const plain = { autocomplete: 'off', spellcheck: 'false' };

function number(field) {
  const inputmode = field.whole ? 'numeric' : 'decimal';
  return block(field, (a) => tag('input', { ...a, type: 'text', inputmode, ...plain }));
}

function url(field) {
  const { placeholder } = field;
  return block(field, (a) => tag('input', { ...a, type: 'url', inputmode: 'url', placeholder, ...plain }), true);
}

function list(field) {
  const { placeholder } = field;
  return block(field, (a) => tag('input', { ...a, type: 'text', inputmode: 'numeric', placeholder, ...plain }));
}

function choice(field) {
  const options = field.choices.map(({ value, label }) => tag('option', { value }, escaped(label))).join('');
  return block(field, (a) => tag('select', a, options));
}

/**
 * The disclosure of the `others` fields the chosen experiment does not use: public/form-first.js opens and closes it
 * and counts them again for another experiment.
 */
const more = (others) =>
  tag(
    'button',
    { id: 'more-settings', type: 'button', class: 'quiet', 'aria-expanded': 'false', 'aria-controls': 'fields target' },
    `more settings (${others})`,
  );

/** A program's source: edited in its experiment's room (the Python one's editor), kept here for the form. */
function code(field) {
  return tag('textarea', { name: field.name, id: `field-${field.name}`, hidden: true, 'aria-label': field.label });
}

/**
 * Each experiment's start button in the core's order (its own words, or its question), then what a click of each
 * does and takes: the style sheet shows the chosen experiment's (`chosenExperiment`).
 */
function buttons(experiments) {
  const start = ({ label, button, title }) =>
    tag(
      'button',
      { id: `${label}-start`, type: 'button', 'data-experiment': label, disabled: true },
      escaped(button ?? title),
    );
  const takes = ({ label, takes }) => tag('p', { class: 'takes', 'data-for': label }, escaped(takes));
  return [...experiments.map(start), ...experiments.map(takes)].join('\n');
}

const usedBy = (field, experiments) =>
  experiments.filter((info) => info.fields.includes(field.name)).map((info) => info.label);

/**
 * The style rules that hide the fields the chosen experiment does not use, by the root's `data-experiment`
 * (public/form-first.js sets it; any other value is the first experiment, the default), unless "more settings" is
 * open (`data-more`) or the field has an error.
 */
export function shownFields({ experiments }) {
  const [first, ...others] = experiments.map((info) => info.label);
  const field = (label) => `.field[data-for]:not([data-for~="${label}"]):not(:has([aria-invalid="true"]))`;
  const asked = (label) => `[data-experiment="${label}"]`;
  const selectors = [
    `:root:not([data-more])${others.map((label) => `:not(${asked(label)})`).join('')} ${field(first)}`,
    ...others.map((label) => `:root${asked(label)}:not([data-more]) ${field(label)}`),
  ];
  return `${selectors.join(',\n')} {\n  display: none;\n}\n`;
}

/**
 * The style rules that show which experiment is chosen, by the root's `data-experiment` as for the fields (any
 * other value is the first experiment): its start button is the primary one, and its words show under the buttons.
 */
export function chosenExperiment({ experiments }) {
  const [first, ...others] = experiments.map((info) => info.label);
  const chosen = (label) =>
    label === first
      ? `:root${others.map((other) => `:not([data-experiment="${other}"])`).join('')}`
      : `:root[data-experiment="${label}"]`;
  const labels = [first, ...others];
  const button = labels.map((label) => `${chosen(label)} #${label}-start`).join(',\n');
  const takes = labels.map((label) => `${chosen(label)} .takes[data-for="${label}"]`).join(',\n');
  return (
    `${button} {\n  background: var(--accent);\n  color: var(--accent-fg);\n  border-color: var(--accent);\n}\n` +
    `${takes} {\n  display: block;\n}\n`
  );
}

/**
 * The page's parts from `describe()`: `{ modes, fields, target, more }` (the picker's boxes, the numbers, the
 * request target, the disclosure of the other experiments' fields), `buttons` (each experiment's), and `defaults`:
 * each field's default by name, for the page's prose.
 */
export function controlsHtml({ modes, fields, experiments }) {
  const [first] = experiments;
  const form = fields.filter((field) => field.param).map((field) => ({ ...field, for: usedBy(field, experiments) }));
  const of = (kind, render) =>
    form
      .filter((field) => field.kind === kind)
      .map(render)
      .join('');
  return {
    modes: picker(modes),
    buttons: buttons(experiments),
    fields: of('number', number),
    target: of('url', url) + of('choice', choice) + of('list', list) + of('code', code),
    more: more(form.filter((field) => field.for.length > 0 && !field.for.includes(first.label)).length),
    defaults: Object.fromEntries(fields.map((field) => [field.name, field.default])),
  };
}
