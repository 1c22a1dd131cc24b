// In another page's iframe (?embed=1): a compact layout for an article column, a link to the full playground, and
// messages that let the parent size the frame and read the results, posted to any parent (nothing in them is
// private): { type: 'threadlab:resize', height } whenever the page's height changes, and
// { type: 'threadlab:result', result } after each run. The full page offers the snippet that uses them (snippet.js).
const framed = window.parent !== window;
// Only inside a frame: the same address opened on its own (as the link a frame that cannot run offers) is the full
// playground.
export const embedded = framed && new URLSearchParams(location.search).get('embed') === '1';

/** Lays the page out for embedding, and starts telling the parent its height. */
export function startEmbed(link) {
  document.body.classList.add('embed');
  link.hidden = false;
  addressChanged(link);
  let told = 0;
  new ResizeObserver(() => {
    // The document's own height (not the frame's): the frame can then shrink as well as grow.
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === told) return;
    told = height;
    window.parent.postMessage({ type: 'threadlab:resize', height }, '*');
  }).observe(document.documentElement);
}

export function postResult(run) {
  if (embedded) window.parent.postMessage({ type: 'threadlab:result', result: run }, '*');
}

/** After a click of an experiment other than the article's: `{ type: 'threadlab:<experiment>', result }`. */
export function postExperiment(experiment, result) {
  if (embedded) window.parent.postMessage({ type: `threadlab:${experiment}`, result }, '*');
}

/** `search` (the form's settings as a query string) for this page: an embedded page stays embedded. */
export function withEmbed(search) {
  return embedded ? `${search}${search.includes('?') ? '&' : '?'}embed=1` : search;
}

/** Points the link at the full playground with the address's settings (without embedding or running on arrival). */
export function addressChanged(link) {
  if (!embedded) return;
  const url = new URL(location.href);
  url.searchParams.delete('embed');
  url.searchParams.delete('autorun');
  link.href = url.href;
}
