// The snippet the full page offers to paste into a blog post: a frame of the playground with its settings, and the
// few lines of script that size the frame from its messages (embed.js).

/** The snippet that embeds the playground at `href` with its settings: a frame, and the script that sizes it. */
export function snippet(href) {
  const url = new URL(href);
  url.hash = '';
  url.searchParams.delete('autorun');
  url.searchParams.set('embed', '1');
  const src = url.href.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
  return `<iframe src="${src}" title="threadlab: do threads make Python faster?"
  allow="cross-origin-isolated" loading="lazy" style="width: 100%; border: 0" height="640"></iframe>
<script>
  // threadlab: each frame tells its own height; several frames on one page are told apart by their window.
  addEventListener('message', (event) => {
    if (event.data?.type !== 'threadlab:resize') return;
    for (const frame of document.querySelectorAll('iframe')) {
      if (frame.contentWindow === event.source) frame.height = String(Math.ceil(event.data.height));
    }
  });
</script>`;
}
