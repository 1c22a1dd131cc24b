// The form: built from the core's description (modes and fields), filled from the URL, written back to it.
// Values stay strings as typed; the core checks them. Nothing from the URL is ever parsed as HTML.
import { el } from './el.js';

/** `unavailable`: the modes that cannot run on this page (Lab.canRun), shown disabled with `support.reason`. */
export function buildControls(form, { modes, fields }, support, unavailable) {
  const picker = form.querySelector('#modes');
  for (const info of modes) {
    const box = el('input', { type: 'checkbox', name: 'mode', value: info.mode });
    box.disabled = unavailable.includes(info.mode);
    const unshared = info.build === 'threads' && !support.ok;
    const title = box.disabled
      ? `unavailable: ${support.reason}`
      : unshared
        ? `here: ${info.withoutSharedMemory}`
        : info.about;
    picker.append(
      el('label', { className: 'mode', title }, [
        box,
        el('span', { className: 'mode-name' }, [info.label]),
        el('small', {}, [info.python]),
      ]),
    );
  }
  picker.append(el('output', { className: 'error', id: 'modes-error', htmlFor: 'modes' }));

  const numbers = form.querySelector('#fields');
  for (const field of fields) {
    const id = `field-${field.name}`;
    numbers.append(
      el('div', { className: 'field', 'data-field': field.name }, [
        el('label', { htmlFor: id }, [field.label]),
        el('input', {
          id,
          name: field.name,
          type: 'text',
          inputMode: field.whole ? 'numeric' : 'decimal',
          autocomplete: 'off',
          spellcheck: false,
          'aria-describedby': `${id}-hint ${id}-error`,
        }),
        el('small', { id: `${id}-hint`, className: 'hint' }, [`${field.hint} (${field.min}–${field.max})`]),
        el('output', { id: `${id}-error`, className: 'error', htmlFor: id }),
      ]),
    );
  }
}

// The form's controls that are not numbers (they stand in index.html): the io modes' target.
const TEXT_FIELDS = [
  { name: 'url', param: 'url', default: '' },
  { name: 'endpoint', param: 'endpoint', default: 'auto' },
];
const allFields = (fields) => [...fields, ...TEXT_FIELDS];

/** The form's values: `{ modes: 'single,threads', n: '35', url: '', ... }`, keyed by API option name. */
export function readForm(form, fields) {
  const modes = [...form.querySelectorAll('input[name=mode]:checked')].map((box) => box.value).join(',');
  return { modes, ...Object.fromEntries(allFields(fields).map((f) => [f.name, form.elements[f.name].value])) };
}

export function writeForm(form, fields, values) {
  const modes = String(values.modes ?? '')
    .split(',')
    .map((name) => name.trim()); // a repeated parameter is a list
  for (const box of form.querySelectorAll('input[name=mode]')) box.checked = modes.includes(box.value);
  for (const field of allFields(fields)) form.elements[field.name].value = values[field.name] ?? '';
}

/**
 * Form values from a query string: the fields' defaults, overridden by the parameters present. A parameter given
 * more than once stays a list, for the core to refuse.
 */
export function valuesFromUrl(search, fields, defaultModes) {
  const params = new URLSearchParams(search);
  const given = (name, fallback) => {
    const all = params.getAll(name);
    return all.length > 1 ? all : (all[0] ?? fallback);
  };
  const values = { modes: given('modes', defaultModes) };
  for (const field of allFields(fields)) values[field.name] = given(field.param, String(field.default));
  return values;
}

/** The query string's parameters that the page does not know (`known`: the core's list). */
export function unknownParams(search, known) {
  return [...new Set(new URLSearchParams(search).keys())].filter((name) => !known.includes(name));
}

export function urlFromValues(values, fields) {
  const params = new URLSearchParams({ modes: values.modes });
  for (const field of allFields(fields)) {
    if ((values[field.name] ?? '') !== '') params.set(field.param, values[field.name]);
  }
  return `?${params}`;
}

/** Shows each error next to its field (or under the mode picker); clears the others. */
export function showErrors(form, errors) {
  for (const output of form.querySelectorAll('output.error')) output.textContent = '';
  for (const input of form.querySelectorAll('input[aria-invalid]')) input.removeAttribute('aria-invalid');
  for (const { field, message } of errors) {
    const input = form.elements[field];
    input?.setAttribute?.('aria-invalid', 'true');
    const output = form.querySelector(field === 'modes' ? '#modes-error' : `#field-${field}-error`);
    if (output) output.textContent = message;
  }
}
