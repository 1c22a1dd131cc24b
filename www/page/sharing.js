// Results that travel: a share link (its fragment made and read by the core, see share.rs), the table as Markdown,
// JSON and CSV, and the charts as PNG and SVG.
import { urlFromValues } from '../ui/controls.js';
import { $, copied } from '../ui/el.js';
import { machine } from '../ui/environment.js';
import { csv, fileName, json, markdown, save } from '../ui/exports.js';

/**
 * Reads a share link's fragment (through the core, like every input) into a click marked as shared, or shows the
 * one message saying why it cannot, and returns null: the page then starts as usual.
 */
export async function openShared(lab, fragment) {
  const shared = await lab.readShare(fragment);
  $('#share-problem').hidden = true;
  if (shared.error) {
    $('#share-problem').hidden = false;
    $('#share-problem').textContent = shared.error;
    return null;
  }
  const { settings: values, runs } = shared;
  const experiment = values.experiment ?? 'article';
  const report = await lab.report(runs, experiment);
  // Shown with the figures, which the page draws next.
  $('#shared').hidden = false;
  $('#shared-who').textContent = runs[0].env.python
    ? `These figures were measured by threadlab.py outside this browser, in ${machine(runs[0].env)}: real threads ` +
      'under its own GIL (or none). Run the same experiment here to see this browser beside them.'
    : `These figures were measured on someone else's machine: ${machine(runs[0].env)}.`;
  return { experiment, entries: runs.map((run) => ({ run })), runs, report, values, shared: true };
}

/**
 * Share, copy and download what the latest click measured (`click()`); `charts()`: the charts (a promise), once
 * drawn; `fields`: the form's, for the link's settings.
 */
export function exportsBar(lab, click, charts, fields) {
  const say = (text) => ($('#export-status').textContent = text);
  const failed = (error) => say(`could not: ${error.message}`);
  // Shown in the box as well as copied: the clipboard can be refused, and then the box is selected to copy from.
  const copy = (text, what) => {
    const box = $('#export-text');
    box.value = text;
    box.hidden = false;
    box.select();
    return copied(text, () => {}).then((done) =>
      say(done ? `${what} copied` : `${what} is in the box below: copy it from there`),
    );
  };
  $('#share').addEventListener('click', async () => {
    try {
      const { values, runs } = click();
      const fragment = await lab.share({ settings: values, runs });
      const link = new URL(`${location.pathname}${urlFromValues(values, fields)}#${fragment}`, location.href).href;
      await copy(link, `a link of ${link.length} characters`);
    } catch (error) {
      failed(error);
    }
  });
  $('#copy-markdown').addEventListener('click', () => copy(markdown(click()), 'the table as Markdown'));
  const file = (type, extension, make) => () => {
    try {
      save(new Blob([make(click())], { type }), `${fileName(click())}.${extension}`);
      say(`${extension.toUpperCase()} saved`);
    } catch (error) {
      failed(error);
    }
  };
  $('#download-json').addEventListener('click', file('application/json', 'json', json));
  $('#download-csv').addEventListener('click', file('text/csv', 'csv', csv));
  for (const button of document.querySelectorAll('button[data-image]')) {
    button.addEventListener('click', async () => {
      try {
        const drawn = await charts();
        const [which, format] = button.dataset.image.split('.');
        const { chart } = await drawn[which];
        save(await drawn[format](chart), `${fileName(click())}-${which}.${format}`);
        say(`${format.toUpperCase()} saved`);
      } catch (error) {
        failed(error);
      }
    });
  }
}
