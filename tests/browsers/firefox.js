// Debian's Firefox ESR, driven through WebDriver BiDi by puppeteer-core (tests/support/browser.js: no browser is
// downloaded), as the adapter of ./cases.js: each `newPage()` is a tab of its own.
import { launchFirefox } from '../support/browser.js';

/** `page`'s or `frame`'s waitForFunction as the adapter's `waitFor(fn, { what, timeout }, ...args)`: fn's value. */
function waiter(context) {
  return async (fn, { what = 'the wait', timeout = 10_000 } = {}, ...args) => {
    try {
      return await (await context.waitForFunction(fn, { timeout }, ...args)).jsonValue();
    } catch (error) {
      throw new Error(`${what}: not within ${timeout / 1000} s (${error.message})`);
    }
  };
}

function adapt(page) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  let navigations = 0;
  page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations++);
  return {
    goto: async (url) => {
      await page.goto(url);
    },
    evaluate: (fn, ...args) => page.evaluate(fn, ...args),
    waitFor: waiter(page),
    /** The frame `selector` finds: its own `evaluate` and `waitFor`. */
    frame: (selector) => {
      const found = async () => {
        const frame = await (await page.$(selector))?.contentFrame();
        if (!frame) throw new Error(`${selector} holds no frame`);
        return frame;
      };
      return {
        evaluate: async (fn, ...args) => (await found()).evaluate(fn, ...args),
        waitFor: async (fn, options, ...args) => waiter(await found())(fn, options, ...args),
      };
    },
    errors: async () => [...errors],
    /** How many times the tab's own document has changed (puppeteer sees each navigation). */
    navigations: () => navigations,
    close: () => page.close(),
  };
}

export async function launch() {
  const browser = await launchFirefox();
  return {
    newPage: async () => adapt(await browser.newPage()),
    close: () => browser.close(),
  };
}
