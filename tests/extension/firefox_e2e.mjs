// The toolbar end to end in Firefox ESR, driven by puppeteer-core over WebDriver BiDi.
//
// Run by tests/extension/test_firefox_e2e.py, which starts the real ReviewDesk server and passes
// everything in the environment:
//   RD_SERVER_URL, RD_TOKEN      the server to pair with
//   RD_PAGE_URL, RD_PAGE_HTML    a review page to serve at its real https address (RD_PAGE_HTML: a file)
//   RD_EXPECTED_REVIEWS          how many reviews that page holds
//   RD_EXTENSION_DIR             the unpacked extension (default: ../../extension)
//   RD_EXTENSION_UUID            the moz-extension:// host to give it (extensions.webextensions.uuids)
//   RD_FIREFOX                   Firefox's path (default /usr/bin/firefox-esr)
//   RD_SCREENSHOTS               a folder for screenshots (optional)
//   RD_TIMEOUT_MS                how long to wait for the capture (default 30000)
// It installs the extension, pairs it through the options page, opens the page (the content script
// captures it, the worker posts it to the server), waits until the server holds the reviews, opens the
// side panel page for that tab, and prints ONE line of JSON: what it saw, for the Python test to check.

import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import puppeteer from "puppeteer-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const env = process.env;
const config = {
  firefox: env.RD_FIREFOX || "/usr/bin/firefox-esr",
  extensionDir: path.resolve(env.RD_EXTENSION_DIR || path.join(here, "..", "..", "extension")),
  serverUrl: env.RD_SERVER_URL,
  token: env.RD_TOKEN,
  pageUrl: env.RD_PAGE_URL,
  pageHtml: env.RD_PAGE_HTML,
  expected: Number(env.RD_EXPECTED_REVIEWS || 1),
  uuid: env.RD_EXTENSION_UUID || "3f1b6a52-8d2c-4e7a-9b0d-5c4e2a7f9e10",
  screenshots: env.RD_SCREENSHOTS || "",
  timeoutMs: Number(env.RD_TIMEOUT_MS || 30000),
};

const report = { ok: false, steps: [], console: [] };
const started = Date.now();
const step = (name, extra = {}) => report.steps.push({ name, ms: Date.now() - started, ...extra });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what, check, timeoutMs = config.timeoutMs, intervalMs = 200) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await sleep(intervalMs);
  }
}

async function serverReviews() {
  const response = await fetch(`${config.serverUrl}/api/reviews?limit=500`, { headers: { Authorization: `Bearer ${config.token}` } });
  return response.ok ? (await response.json()).reviews : [];
}

/**
 * Opens one of the extension's own pages in `page`. Firefox loads a moz-extension:// page in the
 * extension's process, and puppeteer's BiDi navigation then never sees it finish (its goto times out
 * while the page is there): start the navigation, and wait for the document itself instead.
 */
async function openExtensionPage(page, url) {
  page.goto(url, { timeout: 60000 }).catch(() => {});
  await waitFor(`${url} to load`, async () => {
    try {
      return await page.evaluate((expected) => location.href === expected && document.readyState === "complete", url);
    } catch {
      return false;
    }
  }, 20000, 100);
}

function hostOf(url) {
  return new URL(url).host;
}

function withoutFragment(url) {
  return url.split("#")[0];
}

async function main() {
  for (const name of ["serverUrl", "token", "pageUrl", "pageHtml"]) {
    if (!config[name]) throw new Error(`missing setting ${name} (see the top of firefox_e2e.mjs)`);
  }
  const manifest = JSON.parse(await readFile(path.join(config.extensionDir, "manifest.json"), "utf8"));
  const addonId = manifest.browser_specific_settings?.gecko?.id;
  if (!addonId) throw new Error("manifest.json has no browser_specific_settings.gecko.id");
  const origin = `moz-extension://${config.uuid}`;
  const html = await readFile(config.pageHtml, "utf8");

  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: config.firefox,
    headless: true,
    // WebDriver BiDi navigates only to http(s), file and blob addresses unless this is given: the
    // extension's own pages (options, panel) are moz-extension:// addresses.
    args: ["--remote-allow-system-access"],
    extraPrefsFirefox: {
      // Our own moz-extension:// host for the add-on, so the test knows its pages' addresses.
      "extensions.webextensions.uuids": JSON.stringify({ [addonId]: config.uuid }),
      // A closed network: no updates, telemetry or remote settings at start.
      "app.update.enabled": false,
      "datareporting.policy.dataSubmissionEnabled": false,
      "toolkit.telemetry.enabled": false,
      "browser.shell.checkDefaultBrowser": false,
    },
  });
  try {
    report.firefox = await browser.version();
    step("launched");
    report.addon_id = await browser.installExtension(config.extensionDir);
    step("installed", { addon_id: report.addon_id });

    // Pair as a person does: the options page, the address and the token, Save, Test connection.
    const options = await browser.newPage();
    options.on("console", (message) => report.console.push(`options: ${message.type()}: ${message.text()}`));
    await openExtensionPage(options, `${origin}/options/options.html`);
    await options.waitForSelector("#server-url");
    await options.locator("#server-url").fill(config.serverUrl);
    await options.locator("#token").fill(config.token);
    await options.click("[data-action=save]");
    const resultState = () => options.$eval("[data-role=result]", (element) => (element.hidden ? "" : element.dataset.state || ""));
    await waitFor("the options page to save", async () => !["", "checking", "saving"].includes(await resultState()));
    await options.click("[data-action=test]");
    const resultText = () => options.$eval("[data-role=result]", (element) => element.textContent.trim());
    await waitFor("the connection test", async () => !["", "checking"].includes(await resultState()) && !(await resultText()).startsWith("Saved"));
    report.options = {
      state: await resultState(),
      text: await resultText(),
      stored: await options.evaluate(() => browser.storage.local.get(["serverUrl", "token"])),
    };
    if (config.screenshots) await options.screenshot({ path: path.join(config.screenshots, "firefox-1-options.png"), fullPage: true });
    step("paired", { state: report.options.state });

    // The review page at its real address, answered here; everything else on that host is a 404.
    const page = await browser.newPage();
    page.on("console", (message) => report.console.push(`page: ${message.type()}: ${message.text()}`));
    const host = hostOf(config.pageUrl);
    report.served = [];
    await page.setRequestInterception(true);
    page.on("request", (request) => {
      const url = request.url();
      if (url.startsWith("http") && hostOf(url) === host) {
        if (withoutFragment(url) === withoutFragment(config.pageUrl)) {
          report.served.push(url);
          request.respond({ status: 200, contentType: "text/html; charset=utf-8", body: html });
        } else {
          request.respond({ status: 404, contentType: "text/plain", body: "" });
        }
      } else if (/^https?:/.test(url) && !url.startsWith(config.serverUrl)) {
        request.respond({ status: 204, contentType: "text/plain", body: "" }); // images and scripts of other hosts
      } else {
        request.continue();
      }
    });
    await page.goto(config.pageUrl, { waitUntil: "load" });
    step("page loaded");
    const stored = await waitFor("the page's reviews on the server", async () => {
      const reviews = await serverReviews();
      return reviews.length >= config.expected ? reviews : null;
    });
    report.server_reviews = stored.map((review) => review.reviewer_name).sort();
    step("captured", { reviews: stored.length });

    // The side panel page for that tab (Firefox's sidebar shows the same page).
    const tabId = await options.evaluate(async (pattern) => {
      const tabs = await browser.tabs.query({ url: pattern });
      return tabs.length ? tabs[0].id : null;
    }, `https://${host}/*`);
    report.tab_id = tabId;
    const panel = await browser.newPage();
    panel.on("console", (message) => report.console.push(`panel: ${message.type()}: ${message.text()}`));
    await panel.setViewport({ width: 420, height: 1000 });
    await openExtensionPage(panel, `${origin}/panel/panel.html?tab=${tabId}`);
    await waitFor("the panel to list the reviews", async () =>
      panel.$eval("[data-role=reviews]", (element, expected) => element.dataset.loaded === "true" &&
        element.querySelectorAll("[data-review-id]").length >= expected, config.expected), 20000);
    report.panel = await panel.evaluate(() => ({
      connection: document.querySelector("[data-role=connection]")?.dataset.state ?? null,
      capture: document.querySelector("[data-role=capture]")?.dataset.status ?? null,
      review_ids: Array.from(document.querySelectorAll("[data-review-id]"), (element) => Number(element.dataset.reviewId)),
      text: document.querySelector("[data-role=reviews]")?.textContent ?? "",
    }));
    if (config.screenshots) await panel.screenshot({ path: path.join(config.screenshots, "firefox-2-panel.png"), fullPage: true });
    step("panel");
    report.ok = true;
  } finally {
    await browser.close().catch(() => {});
  }
}

try {
  await main();
} catch (error) {
  report.error = String(error?.stack ?? error);
}
report.ms = Date.now() - started;
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(report.ok ? 0 : 1);
