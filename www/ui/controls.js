// The form: made at build time from the core's description (controls-html.js), filled from the URL, written back to
// it. Values stay strings as typed; the core checks them. Nothing from the URL is ever parsed as HTML.

/** The fields of the form and the URL (the others are the JS API's alone), the mode picker first. */
const formFields = (fields) => [
  ...fields.filter((field) => field.kind === 'modes'),
  ...fields.filter((field) => field.param && field.kind !== 'modes'),
];

/**
 * Marks the modes that cannot run on this page (`unavailable`) disabled, with `support.reason`, and says how a
 * mode of the threads build runs where memory cannot be shared. The controls themselves are in the page's HTML,
 * made at build time (controls-html.js).
 */
export function markModes(form, modes, support, unavailable) {
  for (const box of form.querySelectorAll('input[name=mode]')) {
    const info = modes.find((m) => m.mode === box.value);
    box.disabled = unavailable.includes(info.mode);
    if (box.disabled) box.parentElement.title = `unavailable: ${support.reason}`;
    else if (info.build === 'threads' && !support.ok) box.parentElement.title = `here: ${info.withoutSharedMemory}`;
  }
}

/** The form's values: `{ modes: 'single,threads', n: '35', url: '', ... }`, keyed by API option name. */
export function readForm(form, fields) {
  const values = {};
  for (const field of formFields(fields)) {
    values[field.name] =
      field.kind === 'modes'
        ? [...form.querySelectorAll('input[name=mode]:checked')].map((box) => box.value).join(',')
        : form.elements[field.name].value;
  }
  return values;
}

export function writeForm(form, fields, values) {
  for (const field of formFields(fields)) {
    if (field.kind === 'modes') {
      const modes = String(values.modes ?? '')
        .split(',')
        .map((name) => name.trim()); // a repeated parameter is a list
      for (const box of form.querySelectorAll('input[name=mode]')) box.checked = modes.includes(box.value);
    } else {
      form.elements[field.name].value = values[field.name] ?? '';
    }
  }
  form.dispatchEvent(new Event('threadlab:form', { bubbles: true })); // public/form-first.js shows its fields
}

/** What a field holds by default, as the form shows it; the modes' is every mode that can run here. */
function defaultValue(field, defaultModes) {
  if (field.kind === 'modes') return defaultModes;
  return field.default === undefined ? '' : String(field.default);
}

/**
 * Form values from a query string: the fields' defaults (or the experiment's, where it has its own: `experiments`
 * as the core describes them), overridden by the parameters present. A parameter given more than once stays a
 * list, for the core to refuse.
 */
export function valuesFromUrl(search, fields, defaultModes, experiments = []) {
  const params = new URLSearchParams(search);
  // No experiment asked is the article's, whose own modes are every mode but interpreters (the core's list).
  const asked = experiments.find((info) => info.label === (params.get('experiment') || 'article'));
  const own = Object.fromEntries(asked?.defaults ?? []);
  // The experiment's own modes, of those that can run here.
  if (asked)
    own.modes = defaultModes
      .split(',')
      .filter((mode) => asked.modes.includes(mode))
      .join(',');
  const values = {};
  for (const field of formFields(fields)) {
    const all = params.getAll(field.param);
    const fallback = field.name in own ? String(own[field.name]) : defaultValue(field, defaultModes);
    values[field.name] = all.length > 1 ? all : (all[0] ?? fallback);
  }
  return values;
}

/** The query string's parameters that the page does not know (`known`: the core's list). */
export function unknownParams(search, known) {
  return [...new Set(new URLSearchParams(search).keys())].filter((name) => !known.includes(name));
}

/** The form's values as a query string: the modes, then every field that is not empty. */
export function urlFromValues(values, fields) {
  const params = new URLSearchParams();
  for (const field of formFields(fields)) {
    if (field.kind === 'modes' || (values[field.name] ?? '') !== '') params.set(field.param, values[field.name] ?? '');
  }
  return `?${params}`;
}

/** Shows each error next to its field (or under the mode picker); clears the others. */
export function showErrors(form, errors) {
  for (const output of form.querySelectorAll('output.error')) output.textContent = '';
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  for (const { field, message } of errors) {
    const input = form.elements[field];
    input?.setAttribute?.('aria-invalid', 'true');
    const output = form.querySelector(field === 'modes' ? '#modes-error' : `#field-${field}-error`);
    if (output) output.textContent = message;
  }
  // A wrong field is shown, settings closed or not (form-first.js opens them).
  if (errors.length) dispatchEvent(new Event('threadlab:settings'));
}
