// WebKit, the engine of Safari: Debian's WebKitWebDriver drives WebKitGTK's MiniBrowser over W3C WebDriver Classic,
// through npm's `webdriver` (WebdriverIO's W3C client). MiniBrowser has no headless switch, so this starts an Xvfb
// display of its own.
//
// WebKitGTK hides SharedArrayBuffer unless JSC_useSharedArrayBuffer=1 is in the browser's environment: without it,
// WebKit does what Safari does on a page that is not cross-origin isolated; with it, what Safari does on one that is.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { deadline } from './deadline.js';

// The client logs each request and warns, at every call, that WebdriverIO's own switchFrame is preferred to the
// protocol's Switch To Frame (which the bare client alone has): errors reach the tests as rejections, so it says
// nothing. Its loggers read their level as the package loads.
process.env.WDIO_LOG_LEVEL ??= 'silent';
process.env.DISABLE_WEBDRIVERIO_DEPRECATION_WARNINGS ??= 'true';
const { default: WebDriver } = await import('webdriver');

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
// The longest a script may run in the page (a run of real CPython's processes takes the most): past it the driver
// answers with an error.
const SCRIPT_MS = 300_000;

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

/** An X display of our own, ended by `close()`: Xvfb picks a free number and writes it once it takes connections. */
async function xvfb() {
  const server = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  let written = '';
  server.stdio[3].on('data', (chunk) => {
    written += chunk;
  });
  const ready = new Promise((resolve, reject) => {
    server.stdio[3].on('data', () => written.includes('\n') && resolve(`:${written.trim()}`));
    server.on('exit', (code) => reject(new Error(`Xvfb ended (${code}) before it took connections`)));
    server.on('error', reject);
  });
  const display = await deadline(ready, 20_000, 'Xvfb did not take connections').catch((error) => {
    server.kill();
    throw error;
  });
  return { display, close: () => server.kill() };
}

/** Resolves once the driver at `base` answers its status, asked every 20 ms (it says nothing once it listens). */
async function answering(base, driver) {
  let asking = true;
  const asked = (async () => {
    while (asking) {
      const status = await fetch(`${base}/status`).then(
        (response) => response.ok,
        () => false,
      );
      if (status) return;
      if (driver.exitCode !== null) throw new Error(`WebKitWebDriver ended (${driver.exitCode}) before it answered`);
      await sleep(20);
    }
  })();
  try {
    await deadline(asked, 20_000, 'WebKitWebDriver did not answer');
  } finally {
    asking = false;
  }
}

/** The script that runs `fn(...args)` in the page, awaited, and gives back `{ value }` or `{ error }`. */
function script(fn) {
  return `const done = arguments[arguments.length - 1];
    Promise.resolve().then(() => (${fn})(...arguments[0])).then(
      (value) => done({ value: value === undefined ? null : value }),
      (error) => done({ error: String(error && error.message ? error.message : error) }));`;
}

/**
 * MiniBrowser under WebKitWebDriver, with shared memory or without: the adapter of ./cases.js, each `newPage()` a
 * window of its own.
 */
export async function launchWebKit({ sharedMemory }) {
  const screen = await xvfb();
  const port = await freePort();
  const env = { ...process.env, DISPLAY: screen.display, ...(sharedMemory ? { JSC_useSharedArrayBuffer: '1' } : {}) };
  const driver = spawn('WebKitWebDriver', [`--port=${port}`], { env, stdio: 'ignore' });
  const stop = () => {
    driver.kill();
    screen.close();
  };
  let client;
  try {
    await answering(`http://127.0.0.1:${port}`, driver);
    client = await WebDriver.newSession({
      hostname: '127.0.0.1',
      port,
      logLevel: 'silent',
      // A command is sent once: a retried script would run twice. Each one may take as long as a script can.
      connectionRetryCount: 0,
      connectionRetryTimeout: SCRIPT_MS + 10_000,
      capabilities: {
        alwaysMatch: {
          'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
          // A navigation is over once its document is parsed: the cases then wait for what they need of it (the page
          // ready), not for every last resource's load.
          pageLoadStrategy: 'eager',
        },
        firstMatch: [{}],
      },
    });
    await client.setTimeouts(0, 60_000, SCRIPT_MS);
  } catch (error) {
    stop();
    throw error;
  }

  /** Runs `fn(...args)` in the current document, awaited: its (JSON) value, or a rejection with its error. */
  const evaluate = async (fn, ...args) => {
    const { value, error } = await client.executeAsyncScript(script(fn), [args]);
    if (error !== undefined) throw new Error(error);
    return value;
  };
  /**
   * Waits until `fn(...args)` (synchronous) is truthy and gives its value, asking the page every 50 ms; a check the
   * page cannot answer (it is navigating) is asked again. Fails after `timeout` ms, saying `what` never happened.
   */
  const waitFor = async (fn, { what = 'the wait', timeout = 10_000 } = {}, ...args) => {
    const end = Date.now() + timeout;
    let problem = '';
    for (;;) {
      try {
        const value = await client.executeScript(`return (${fn}).apply(null, arguments)`, args);
        if (value) return value;
      } catch (error) {
        problem = error.message;
      }
      if (Date.now() > end) throw new Error(`${what}: not within ${timeout / 1000} s${problem && ` (${problem})`}`);
      await sleep(50);
    }
  };
  /** Runs `step` in the frame `selector` finds in the top document, then comes back to it. */
  const inFrame = async (selector, step) => {
    await client.switchToFrame(null);
    await client.switchToFrame(await client.findElement('css selector', selector));
    try {
      return await step();
    } finally {
      await client.switchToFrame(null);
    }
  };
  // Uncaught errors and rejections of each document, from its load on (WebDriver Classic has no events).
  const listen = () =>
    client.executeScript(
      `if (window.pageErrors) return;
      window.pageErrors = [];
      addEventListener('error', (event) => window.pageErrors.push(event.message));
      addEventListener('unhandledrejection', (event) => window.pageErrors.push(String(event.reason?.message)));`,
      [],
    );
  // The session's first window stays open and empty (closing a session's last window ends the session); each page is
  // a window of its own, which every command of the page first switches to.
  const idle = await client.getWindowHandle();
  let current = idle;
  const use = async (handle) => {
    if (handle !== current) await client.switchToWindow(handle);
    current = handle;
  };
  const pageIn = (handle) => {
    const page = {
      goto: async (url) => {
        await use(handle);
        await client.navigateTo(url);
        // A page that reloads itself at once (to be isolated by its service worker) may not answer: its reload is
        // then not listened to.
        await listen().catch(() => {});
      },
      evaluate: async (fn, ...args) => {
        await use(handle);
        await client.switchToFrame(null);
        return evaluate(fn, ...args);
      },
      waitFor: async (fn, options, ...args) => {
        await use(handle);
        await client.switchToFrame(null);
        return waitFor(fn, options, ...args);
      },
      frame: (selector) => ({
        evaluate: async (fn, ...args) => {
          await use(handle);
          return inFrame(selector, () => evaluate(fn, ...args));
        },
        waitFor: async (fn, options, ...args) => {
          await use(handle);
          return inFrame(selector, () => waitFor(fn, options, ...args));
        },
      }),
      errors: () => page.evaluate(() => window.pageErrors ?? []),
      close: async () => {
        await use(handle);
        await client.closeWindow();
        current = null;
        await use(idle);
      },
    };
    return page;
  };
  return {
    newPage: async () => {
      const { handle } = await client.createWindow('window');
      await use(handle);
      return pageIn(handle);
    },
    close: async () => {
      await client.deleteSession().catch(() => {});
      stop();
    },
  };
}
