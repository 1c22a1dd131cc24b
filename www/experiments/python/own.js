// "Run it in your own Python": the command that runs threadlab.py (www/public/threadlab.py) with the form's
// settings, and a box that takes back what it printed, its link or its JSON, read by the core as any share link.
import { $, copied } from '../../ui/el.js';

/** The script's options, from the form's fields of the same meaning. */
const OPTIONS = [
  ['n', '--n'],
  ['workers', '--workers'],
  ['repeats', '--repeats'],
  ['switchMs', '--switch-ms'],
  ['requests', '--requests'],
  ['delayMs', '--delay-ms'],
  ['timeoutMs', '--timeout-ms'],
  ['url', '--url'],
];

/** A word for a POSIX shell, quoted when it needs to be. */
const quoted = (word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`);

/** `python3 threadlab.py --n 30 … --page <this page>`, from the form's values (`values`: name → text). */
export function command(values, page) {
  const given = OPTIONS.filter(([name]) => values[name]).flatMap(([name, option]) => [option, values[name]]);
  return ['python3', 'threadlab.py', ...given, '--page', page].map(quoted).join(' ');
}

/**
 * The share fragment (without `#`) of what was pasted: a link's fragment, or the script's JSON in the newest
 * format; null when it is neither. The core checks the rest, as for every link.
 */
export function fragmentOf(text) {
  const pasted = text.trim();
  const at = pasted.indexOf('share=');
  if (pasted.startsWith('{')) {
    const bytes = new TextEncoder().encode(pasted);
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return `share=5.${btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')}`;
  }
  return at >= 0 && (at === 0 || pasted[at - 1] === '#') ? pasted.slice(at) : null;
}

/** Wires the room's part for the visitor's own Python to `form`. */
export function ownPython(form) {
  const values = () => Object.fromEntries(OPTIONS.map(([name]) => [name, form.elements[name]?.value.trim() ?? '']));
  const page = () => new URL(location.pathname, location.href).href;
  const update = () => {
    $('#python-own-command').textContent = command(values(), page());
  };
  for (const event of ['input', 'change', 'threadlab:form']) form.addEventListener(event, update);
  update();
  const say = (text) => ($('#python-own-status').textContent = text);
  $('#python-own-copy').addEventListener('click', async () => {
    const box = $('#python-own-command');
    const done = await copied(box.textContent, () => getSelection().selectAllChildren(box));
    say(done ? 'the command is copied' : 'the command is selected: copy it');
  });
  $('#python-own-show').addEventListener('click', async () => {
    const fragment = fragmentOf($('#python-own-paste').value);
    if (!fragment) {
      say("this is neither threadlab.py's link nor its JSON: paste the whole link, or the whole file");
      return;
    }
    const asked = { fragment, shown: null };
    document.dispatchEvent(new CustomEvent('threadlab:share', { detail: asked }));
    say((await asked.shown) ? 'shown: the table and the charts above hold them' : 'not shown: see the message above');
  });
}
