import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { describeCore } from './scripts/describe.js';
import { answer, headers } from './www/public/api-users.js';
import { ISOLATION as isolation } from './www/public/isolation-headers.js';

// `npm run dev`: rebuild both wasm flavours when the Rust changes; Vite then reloads the page on the new www/pkg.
function rebuildWasmOnRustChange() {
  let building = null;
  let again = false;
  const build = () => {
    if (building) {
      again = true;
      return;
    }
    building = spawn('bash', ['scripts/build-wasm.sh'], { stdio: 'inherit' });
    building.on('exit', () => {
      building = null;
      if (again) {
        again = false;
        build();
      }
    });
  };
  return {
    name: 'threadlab:rebuild-wasm',
    apply: 'serve',
    configureServer(server) {
      server.watcher.add('crate/src');
      server.watcher.on('change', (file) => file.endsWith('.rs') && build());
    },
  };
}

// The built-in endpoint on the dev and preview servers (on static hosts the service worker answers it).
function builtInEndpoint() {
  const handle = (request, response, next) => {
    const url = new URL(request.url, 'http://localhost');
    if (request.method !== 'GET' || !url.pathname.startsWith('/api/')) return next();
    const { status, delayMs, body } = answer(url);
    setTimeout(() => response.writeHead(status, headers('server')).end(JSON.stringify(body)), delayMs);
  };
  return {
    name: 'threadlab:endpoint',
    configureServer: (server) => void server.middlewares.use(handle),
    configurePreviewServer: (server) => void server.middlewares.use(handle),
  };
}

// Built assets carry a hash of their content in their name, so they never change: let browsers keep them. Without
// this each fresh worker (processes, io-workers) would ask the server again for its script before it could start.
function immutableAssets() {
  return {
    name: 'threadlab:immutable-assets',
    configurePreviewServer: (server) =>
      void server.middlewares.use((request, response, next) => {
        if (request.url.startsWith('/assets/'))
          response.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        next();
      }),
  };
}

// Real CPython (Pyodide) is served from threadlab's own files, never a CDN, under assets/pyodide-<version>/: in
// `npm run dev` straight from node_modules, in a build copied into dist, as Pyodide's own files (not bundled: it
// loads its parts beside it). Only a run in CPython asks for them.
const PYODIDE_DIR = new URL('./node_modules/pyodide/', import.meta.url);
const PYODIDE_VERSION = JSON.parse(readFileSync(new URL('package.json', PYODIDE_DIR), 'utf8')).version;
// Served name → the package's file and its type. Its two modules are served as .js: a static host that does not
// know .mjs would send them with a type no browser runs as a module (workers/python.js loads both by these names).
const PYODIDE_FILES = {
  'pyodide.js': ['pyodide.mjs', 'text/javascript'],
  'pyodide.asm.js': ['pyodide.asm.mjs', 'text/javascript'],
  'pyodide.asm.wasm': ['pyodide.asm.wasm', 'application/wasm'],
  'python_stdlib.zip': ['python_stdlib.zip', 'application/zip'],
  'pyodide-lock.json': ['pyodide-lock.json', 'application/json'],
};
function pyodideFiles() {
  const prefix = `/assets/pyodide-${PYODIDE_VERSION}/`;
  const source = (name) => readFileSync(new URL(PYODIDE_FILES[name][0], PYODIDE_DIR));
  return {
    name: 'threadlab:pyodide-files',
    configureServer: (server) =>
      void server.middlewares.use((request, response, next) => {
        const name = request.url.startsWith(prefix) && request.url.slice(prefix.length).split('?')[0];
        if (!Object.hasOwn(PYODIDE_FILES, name)) return next();
        response.setHeader('Content-Type', PYODIDE_FILES[name][1]);
        response.end(source(name));
      }),
    generateBundle() {
      for (const name of Object.keys(PYODIDE_FILES))
        this.emitFile({ type: 'asset', fileName: `${prefix.slice(1)}${name}`, source: source(name) });
    },
  };
}

// The built page's Content-Security-Policy: only the site's own scripts and workers, compiling WebAssembly but no
// eval, and no inline script or style. It is a <meta> so that it holds on hosts that cannot send headers. Not in
// `npm run dev`, whose hot reload injects styles inline. Workers fetch under their own (empty) policy: the io modes
// may request any http(s) URL from there.
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

// For hosts that read a _headers file (Netlify, Cloudflare Pages): with it the page is cross-origin isolated from the
// first visit, and the service worker that would otherwise add the headers is only a fallback.
function headersFile() {
  const lines = (headers) => Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`);
  const source = [
    '# Made at build from www/public/isolation-headers.js: the headers that make the page cross-origin isolated.',
    '/*',
    ...lines(isolation),
    '/assets/*',
    ...lines({ 'Cache-Control': 'public, max-age=31536000, immutable' }),
    '',
  ].join('\n');
  return {
    name: 'threadlab:headers-file',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source });
    },
  };
}

// The form's controls, the experiments' buttons and rooms, and the defaults in the page's prose, made from the core's
// own description: the plain build's wasm, instantiated here in Node. The page then has its final size before any
// script runs (see www/ui/controls-html.js). After a change to the inputs in Rust, npm run dev needs a restart.
function controlsFromTheCore() {
  let made = null;
  const make = async () => {
    const { controlsHtml, shownFields, chosenExperiment } = await import('./www/ui/controls-html.js');
    const description = await describeCore();
    // Each experiment's room is its folder's room.html, in the core's order.
    const rooms = description.experiments
      .map(({ label }) => readFileSync(new URL(`./www/experiments/${label}/room.html`, import.meta.url), 'utf8'))
      .join('\n');
    return { ...controlsHtml(description), rooms, shown: shownFields(description) + chosenExperiment(description) };
  };
  return {
    name: 'threadlab:controls',
    enforce: 'pre',
    // The rules that show each experiment's fields, after the page's own (www/style.css).
    transform: async (code, id) => {
      // The dev server asks for it as style.css?direct.
      if (!id.split('?')[0].endsWith('/www/style.css')) return null;
      made ??= make();
      return `${code}\n${(await made).shown}`;
    },
    transformIndexHtml: {
      order: 'pre',
      handler: async (html) => {
        made ??= make();
        const { modes, fields, target, more, buttons, rooms, defaults } = await made;
        return html
          .replace('<!-- threadlab:buttons -->', buttons)
          .replace('<!-- threadlab:rooms -->', rooms)
          .replace('<!-- threadlab:modes -->', modes)
          .replace('<!-- threadlab:fields -->', fields)
          .replace('<!-- threadlab:target -->', target)
          .replace('<!-- threadlab:more -->', more)
          .replace(/<!-- threadlab:default (\w+) -->/g, (_, name) => String(defaults[name]));
      },
    },
  };
}

// Vite fetches the page's stylesheet with CORS (crossorigin); a frame sandboxed without allow-same-origin has an
// opaque origin, which no CORS answer admits, and would show the page unstyled. A stylesheet needs no CORS.
function stylesheetWithoutCors() {
  return {
    name: 'threadlab:stylesheet-without-cors',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => html.replace(/(<link rel="stylesheet") crossorigin( href=)/g, '$1$2'),
    },
  };
}

function contentSecurityPolicy() {
  return {
    name: 'threadlab:csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' },
    ],
  };
}

/**
 * wasm-bindgen-rayon's worker helper imports the threads glue dynamically, where a process worker has it statically
 * (process-threads.js: one script to load, see workers/process.js): the bundler says the dynamic import makes no
 * chunk of its own, which is what is wanted. Every other warning is shown.
 */
function onwarn(warning, warn) {
  if (warning.code === 'INEFFECTIVE_DYNAMIC_IMPORT' && /wasm-bindgen-rayon/.test(warning.message)) return;
  // How long the build's plugins took: on a busy machine a few seconds say nothing about the site.
  if (warning.code === 'PLUGIN_TIMINGS') return;
  warn(warning);
}

export default defineConfig({
  root: 'www',
  // Relative URLs: the built site works wherever it is served from, at a domain's root or under /threadlab/.
  base: './',
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022', rolldownOptions: { onwarn } },
  define: { 'import.meta.env.PYODIDE_VERSION': JSON.stringify(PYODIDE_VERSION) },
  worker: { format: 'es', rolldownOptions: { onwarn } },
  server: { headers: isolation },
  preview: { headers: isolation },
  plugins: [
    controlsFromTheCore(),
    builtInEndpoint(),
    immutableAssets(),
    headersFile(),
    stylesheetWithoutCors(),
    contentSecurityPolicy(),
    rebuildWasmOnRustChange(),
    pyodideFiles(),
  ],
});
