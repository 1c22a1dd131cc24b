// WebKit, the engine of Safari: Debian's WebKitWebDriver drives WebKitGTK's MiniBrowser over W3C WebDriver Classic.
// MiniBrowser has no headless switch, so this starts an Xvfb display of its own. The client is the few requests the
// tests need (new session, navigate, execute an async script, into a frame and out, delete the session), as plain
// JSON over fetch: see
// https://www.w3.org/TR/webdriver2/ for each endpoint.
//
// WebKitGTK hides SharedArrayBuffer unless JSC_useSharedArrayBuffer=1 is in the browser's environment: without it,
// WebKit does what Safari does on a page that is not cross-origin isolated; with it, what Safari does on one that is.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** A port nothing listens on now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Polls `ready()` until it is true, or fails after `ms` saying `what` never happened. */
async function until(ready, what, ms = 20_000) {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(100)) {
    if (await ready().catch(() => false)) return;
  }
  throw new Error(`${what} within ${ms / 1000} s`);
}

/** An X display of our own (the first free number from 90), ended by `close()`. */
async function xvfb() {
  let number = 90;
  while (existsSync(`/tmp/.X11-unix/X${number}`) || existsSync(`/tmp/.X${number}-lock`)) number++;
  const server = spawn('Xvfb', [`:${number}`, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  await until(async () => existsSync(`/tmp/.X11-unix/X${number}`), `Xvfb :${number} did not start`);
  return { display: `:${number}`, close: () => server.kill() };
}

/**
 * MiniBrowser under WebKitWebDriver, with shared memory or without. `browser.newPage()` gives the one window as a
 * page: `goto(url)`, `evaluate(fn, ...args)` (awaited in the page; its value comes back as JSON) and `close()`.
 */
export async function launchWebKit({ sharedMemory }) {
  const screen = await xvfb();
  const port = await freePort();
  const env = { ...process.env, DISPLAY: screen.display, ...(sharedMemory ? { JSC_useSharedArrayBuffer: '1' } : {}) };
  const driver = spawn('WebKitWebDriver', [`--port=${port}`], { env, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  const request = async (method, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    const { value } = await response.json();
    if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${value?.error}: ${value?.message}`);
    return value;
  };
  const stop = () => {
    driver.kill();
    screen.close();
  };
  try {
    await until(async () => (await fetch(`${base}/status`)).ok, 'WebKitWebDriver did not answer');
    const browserOptions = { binary: MINIBROWSER, args: ['--automation'] };
    const { sessionId } = await request('POST', '/session', {
      capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': browserOptions } },
    });
    const session = `/session/${sessionId}`;
    await request('POST', `${session}/timeouts`, { script: 300_000, pageLoad: 60_000 });
    const page = {
      errors: [],
      goto: (url) => request('POST', `${session}/url`, { url }),
      /** Runs `fn(...args)` in the page and resolves with its (JSON) value, or rejects with its error's message. */
      evaluate: async (fn, ...args) => {
        const script = `const done = arguments[arguments.length - 1];
          Promise.resolve().then(() => (${fn})(...arguments[0])).then(
            (value) => done({ value: value === undefined ? null : value }),
            (error) => done({ error: String(error && error.message ? error.message : error) }));`;
        const { value, error } = await request('POST', `${session}/execute/async`, { script, args: [args] });
        if (error !== undefined) throw new Error(error);
        return value;
      },
      waitFor: (fn, what, ms) => until(() => page.evaluate(fn), what, ms),
      /** `evaluate` inside the frame `selector` finds (then back in the page). */
      inFrame: async (selector, fn, ...args) => {
        const frame = await request('POST', `${session}/element`, { using: 'css selector', value: selector });
        await request('POST', `${session}/frame`, { id: frame });
        try {
          return await page.evaluate(fn, ...args);
        } finally {
          await request('POST', `${session}/frame/parent`, {});
        }
      },
    };
    return {
      newPage: async () => page,
      close: async () => {
        await request('DELETE', session).catch(() => {});
        stop();
      },
    };
  } catch (error) {
    stop();
    throw error;
  }
}
