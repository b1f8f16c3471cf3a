/**
 * A fixture page in jsdom with the toolbar's content scripts loaded into it, as the browser would
 * (common.js, then the platform's script), without a worker: tests drive `createCapturer` themselves.
 */

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { JSDOM } from "jsdom";

const here = dirname(fileURLToPath(import.meta.url));
export const EXTENSION = join(here, "..", "..");
export const REPOSITORY = join(EXTENSION, "..");
export const FIXTURES = join(REPOSITORY, "tests", "parsers", "fixtures");

const scripts = new Map();
function script(name) {
  if (!scripts.has(name)) scripts.set(name, new vm.Script(readFileSync(join(EXTENSION, "content", name), "utf8"), { filename: name }));
  return scripts.get(name);
}

/** The expected result of a parser fixture (its url, captured_at, reviews...). */
export function fixtureCase(platform, name) {
  return JSON.parse(readFileSync(join(FIXTURES, platform, `${name}.json`), "utf8"));
}

export function fixtureHtml(platform, name) {
  return readFileSync(join(FIXTURES, platform, `${name}.html`), "utf8");
}

/**
 * `html` at `url` in jsdom with the content scripts of `platform` run in it. `chrome` (optional) is
 * the extension API the scripts see; without it they only register their site.
 */
export function loadPage(html, url, platform, { chrome } = {}) {
  const dom = new JSDOM(html, { url, runScripts: "outside-only", pretendToBeVisual: true });
  const { window } = dom;
  window.TextEncoder ??= TextEncoder;
  if (chrome) window.chrome = chrome;
  const context = dom.getInternalVMContext();
  script("common.js").runInContext(context);
  script(`${platform}.js`).runInContext(context);
  const capture = window.ReviewDeskCapture;
  return { dom, window, document: window.document, capture, site: capture.siteOf(platform) };
}

/** A fixture page (tests/parsers/fixtures/<platform>/<name>.html) at its own address. */
export function loadFixture(platform, name, options) {
  const expected = fixtureCase(platform, name);
  return { ...loadPage(fixtureHtml(platform, name), expected.url, platform, options), expected };
}

/** A clock and timers the test moves by hand. */
export function manualTime(start = Date.parse("2026-11-23T14:05:00-06:00")) {
  let current = start;
  let nextId = 1;
  const pending = new Map();
  return {
    now: () => new Date(current),
    timers: {
      setTimeout(callback, delay) {
        const id = nextId++;
        pending.set(id, { at: current + Math.max(0, delay), callback });
        return id;
      },
      clearTimeout(id) {
        pending.delete(id);
      },
    },
    /** Moves the clock by `ms`, running the timers that come due, in order. */
    async advance(ms) {
      const until = current + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        current = due[1].at;
        due[1].callback();
        await new Promise((resolve) => setImmediate(resolve));
      }
      current = until;
      await new Promise((resolve) => setImmediate(resolve));
    },
    pendingCount: () => pending.size,
  };
}

/** A capturer on a loaded page with hand-moved time; `sent` collects the messages. */
export function capturerOn(page, { limits, answer = { ok: true } } = {}) {
  const time = manualTime();
  const sent = [];
  const capturer = page.capture.createCapturer({
    site: page.site,
    document: page.document,
    location: page.window.location,
    navigator: page.window.navigator,
    send: async (message) => {
      sent.push(message);
      return answer;
    },
    timers: time.timers,
    now: time.now,
    limits,
    log: null,
  });
  return { capturer, sent, time };
}
