// A plain page on another origin (another port), as a blog is: it holds `body` (an embed snippet, a frame), and
// records every message it receives in `window.messages`.
import { createServer } from 'node:http';

export async function blog(body) {
  const html = `<!doctype html><meta charset="utf-8"><title>A blog</title><h1>My post</h1><p>Look:</p>${body}
    <script>window.messages = []; addEventListener('message', (event) => window.messages.push(event.data));</script>`;
  const server = createServer((_request, response) =>
    response.writeHead(200, { 'Content-Type': 'text/html' }).end(html),
  );
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

/** An embed snippet (the full page's), set to run on arrival. */
export function autorun(snippet) {
  return snippet.replace('embed=1"', 'embed=1&amp;autorun=1"');
}
