// Builds DOM elements from properties and children. Children are Nodes or text: text is always set as text,
// never parsed as HTML, so nothing a URL or a result carries can become markup.
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key.startsWith('aria-') || key.startsWith('data-')) node.setAttribute(key, value);
    else node[key] = value;
  }
  node.append(...children.map((child) => (child instanceof Node ? child : String(child))));
  return node;
}

/** The page's element matching `selector`. */
export const $ = (selector) => document.querySelector(selector);

/** Fills `list` (a ul or ol) with one item per sentence of `words`, as text. */
export const fillWords = (list, words) => list.replaceChildren(...words.map((sentence) => el('li', {}, [sentence])));

/**
 * Copies `text` to the clipboard; where the browser refuses (no permission, an embedding frame without
 * clipboard-write), `select()` puts it under the visitor's keyboard instead. Resolves with whether it was copied.
 */
export const copied = (text, select) =>
  navigator.clipboard.writeText(text).then(
    () => true,
    () => {
      select();
      return false;
    },
  );
