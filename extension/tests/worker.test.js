// The background worker as the browser runs it (Chrome's API): listeners at the top level, captures
// from content scripts posted to the server and remembered per tab, the badge, the context menu, and
// the rule that only the toolbar's own pages may use the server through it.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { EXTENSION } from "./helpers/content-page.js";
import { fakeExtensionApi, fakeFetch, jsonResponse } from "./helpers/fake-browser.js";

const manifest = JSON.parse(readFileSync(join(EXTENSION, "manifest.json"), "utf8"));
const TOKEN = "worker-test-token";
const server = { state: "up", attention: 4, nextStatus: "ok", captures: [] };
const fetch = fakeFetch(({ method, path, body, headers }) => {
  if (server.state === "down") return "down";
  if (headers.Authorization !== `Bearer ${TOKEN}`) return jsonResponse(401, { ok: false, error: "unauthorized", message: "token needed" });
  if (path === "/api/health") return jsonResponse(200, { ok: true, version: "9.9.9", checker_ready: true });
  if (path === "/api/reviews/attention") return jsonResponse(200, { ok: true, new: server.attention, ready: 0, overdue: 0, total: server.attention });
  if (method === "POST" && path === "/api/captures") {
    server.captures.push(body);
    const blocked = server.nextStatus === "blocked";
    return jsonResponse(200, {
      ok: true, platform: "yelp", status: server.nextStatus, layout: blocked ? null : "yelp_cards",
      warnings: blocked ? ["Yelp showed a block or captcha page instead of reviews; solve it in the browser, then capture again."] : [],
      reviews: blocked ? [] : [{ id: 11 }, { id: 12 }], created: blocked ? 0 : 2, updated: 0, unchanged: 0,
    });
  }
  if (method === "GET" && path.startsWith("/api/reviews?")) return jsonResponse(200, { ok: true, reviews: [], total: 0 });
  return jsonResponse(404, { ok: false, error: "not_found", message: "no such thing" });
});

const fake = fakeExtensionApi({ manifest });
const panel = { url: `${fake.origin}panel/panel.html` };
const contentScript = { tab: { id: 7 }, url: "https://www.yelp.com/biz/maple-family-dental-austin", frameId: 0 };
const capture = (extra = {}) => ({ type: "capture", url: contentScript.url, html: "<div>cards</div>", captured_at: "2026-11-23T14:05:00-06:00", utc_offset_minutes: -360, lang: "en-US", reason: "page", ...extra });
const lastBadgeText = (tabId) => fake.record.badge.filter((call) => call.kind === "text" && call.tabId === tabId).at(-1)?.text;

before(async () => {
  globalThis.fetch = fetch;
  globalThis.chrome = fake.api;
  await fake.api.storage.local.set({ serverUrl: "http://127.0.0.1:5151", token: TOKEN });
  await import("../background.js");
  await fake.settle();
});

after(() => {
  delete globalThis.chrome;
  delete globalThis.browser;
});

describe("the worker starts", () => {
  test("its listeners are registered when the module loads", () => {
    for (const event of [fake.api.runtime.onMessage, fake.api.runtime.onInstalled, fake.api.runtime.onStartup,
      fake.api.contextMenus.onClicked, fake.api.tabs.onRemoved, fake.api.storage.onChanged]) {
      assert.equal(event.listeners.length, 1);
    }
  });

  test("the toolbar button opens the side panel (Chrome)", () => {
    assert.deepEqual(fake.record.panelBehavior.at(-1), { openPanelOnActionClick: true });
    assert.equal(fake.api.action.onClicked.listeners.length, 0, "no click handler: Chrome opens the panel itself");
  });

  test("the badge shows the reviews needing attention, on a red background", () => {
    assert.equal(lastBadgeText(undefined), "4");
    assert.ok(fake.record.badge.some((call) => call.kind === "color" && /^#[cC]6/.test(call.color)));
  });

  test("installing creates the context menu on the review sites only", async () => {
    for (const listener of fake.api.runtime.onInstalled.listeners) listener({ reason: "install" });
    await fake.settle();
    assert.equal(fake.record.menus.length, 1);
    const [menu] = fake.record.menus;
    assert.equal(menu.title, "Send this review to ReviewDesk");
    assert.deepEqual(menu.contexts, ["selection"]);
    assert.deepEqual(menu.documentUrlPatterns, [...new Set(manifest.content_scripts.flatMap((script) => script.matches))]);
  });

  test("the context menu asks the tab's content script for the selection", async () => {
    for (const listener of fake.api.contextMenus.onClicked.listeners) listener({ menuItemId: fake.record.menus[0].id, frameId: 0 }, { id: 7 });
    await fake.settle();
    assert.deepEqual(fake.record.tabMessages.at(-1), { tabId: 7, message: { type: "capture-selection" }, options: { frameId: 0 } });
  });
});

describe("captures", () => {
  test("a content script's capture is posted to the server, and the tab's reviews are remembered", async () => {
    server.nextStatus = "ok";
    const answer = await fake.dispatch(capture(), contentScript);
    assert.deepEqual(
      { ok: answer.ok, queued: answer.queued, status: answer.status, review_ids: answer.review_ids, created: answer.created },
      { ok: true, queued: false, status: "ok", review_ids: [11, 12], created: 2 },
    );
    assert.deepEqual(server.captures.at(-1), { url: contentScript.url, html: "<div>cards</div>", captured_at: "2026-11-23T14:05:00-06:00", lang: "en-US" });
    const reviews = await fake.dispatch({ type: "tab-reviews", tab_id: 7 }, panel);
    assert.deepEqual(
      { url: reviews.url, platform: reviews.platform, status: reviews.status, review_ids: reviews.review_ids, captured_at: reviews.captured_at },
      { url: contentScript.url, platform: "yelp", status: "ok", review_ids: [11, 12], captured_at: "2026-11-23T14:05:00-06:00" },
    );
    assert.ok(fake.api.storage.session.values.has("tabCapture:7"), "kept in chrome.storage.session");
    const broadcast = fake.record.broadcasts.at(-1);
    assert.equal(broadcast.type, "capture-result");
    assert.equal(broadcast.tab_id, 7);
    assert.deepEqual(broadcast.review_ids, [11, 12]);
  });

  test("without a tab id, tab-reviews answers for the active tab", async () => {
    const reviews = await fake.dispatch({ type: "tab-reviews" }, panel);
    assert.equal(reviews.tab_id, 7);
  });

  test("a block page reaches the user: the tab's result keeps it and its badge shows '!'", async () => {
    server.nextStatus = "blocked";
    const answer = await fake.dispatch(capture({ html: "<div>captcha</div>" }), contentScript);
    assert.equal(answer.status, "blocked");
    assert.equal(lastBadgeText(7), "!");
    const reviews = await fake.dispatch({ type: "tab-reviews", tab_id: 7 }, panel);
    assert.equal(reviews.status, "blocked");
    assert.match(reviews.warnings[0], /captcha/);
    server.nextStatus = "ok";
    await fake.dispatch(capture({ html: "<div>cards again</div>" }), contentScript);
    assert.equal(lastBadgeText(7), null, "a good capture gives the tab back the count");
  });

  test("more reviews on the same page add to the tab's list", async () => {
    await fake.dispatch(capture({ reason: "more", html: "<div>more</div>" }), contentScript);
    const reviews = await fake.dispatch({ type: "tab-reviews", tab_id: 7 }, panel);
    assert.deepEqual(reviews.review_ids, [11, 12]);
  });

  test("the answer to a content script never carries the pairing token", async () => {
    const answer = await fake.dispatch(capture({ html: "<div>check</div>" }), contentScript);
    assert.ok(!JSON.stringify(answer).includes(TOKEN));
  });

  test("a capture while the server is down is kept and arrives when it is back", async () => {
    server.state = "down";
    const before = server.captures.length;
    const answer = await fake.dispatch(capture({ html: "<div>while down</div>" }), contentScript);
    assert.deepEqual({ ok: answer.ok, queued: answer.queued, status: answer.status }, { ok: true, queued: true, status: "queued" });
    const down = await fake.dispatch({ type: "connection" }, panel);
    assert.equal(down.state, "server_down");
    assert.equal(down.queued, 1);
    assert.equal(lastBadgeText(undefined), "", "no count while not connected");
    server.state = "up";
    const up = await fake.dispatch({ type: "connection" }, panel);
    assert.deepEqual({ state: up.state, queued: up.queued, version: up.version }, { state: "connected", queued: 0, version: "9.9.9" });
    assert.equal(server.captures.length, before + 1);
    assert.equal(server.captures.at(-1).html, "<div>while down</div>");
    const reviews = await fake.dispatch({ type: "tab-reviews", tab_id: 7 }, panel);
    assert.equal(reviews.status, "ok", "the tab shows the delivered capture");
  });
});

describe("who may ask the worker what", () => {
  test("a content script may not call the server's API or read the tabs' reviews", async () => {
    for (const message of [{ type: "api", method: "GET", path: "/api/reviews?limit=500" }, { type: "tab-reviews", tab_id: 7 },
      { type: "log-event", review_id: 1, event: { type: "viewed" } }, { type: "connection" }]) {
      const answer = await fake.dispatch(message, contentScript);
      assert.equal(answer.ok, false, message.type);
      assert.equal(answer.error, "forbidden", message.type);
    }
  });

  test("the panel calls the API through the worker", async () => {
    const answer = await fake.dispatch({ type: "api", method: "GET", path: "/api/reviews?ids=11,12" }, panel);
    assert.deepEqual({ ok: answer.ok, status: answer.status, data: answer.data }, { ok: true, status: 200, data: { ok: true, reviews: [], total: 0 } });
  });

  test("messages meant for others are left alone", async () => {
    assert.equal(await fake.dispatch({ type: "capture-result", tab_id: 1 }, panel), undefined);
    assert.equal(await fake.dispatch({ type: "insert-reply", text: "x" }, panel), undefined);
    assert.equal(await fake.dispatch({ type: "constructor" }, panel), undefined);
    assert.equal(await fake.dispatch(null, panel), undefined);
  });
});

describe("the tab and the pairing", () => {
  test("a closed tab's reviews are forgotten", async () => {
    for (const listener of fake.api.tabs.onRemoved.listeners) listener(7, {});
    await fake.settle();
    assert.deepEqual(await fake.dispatch({ type: "tab-reviews", tab_id: 7 }, panel), {});
  });

  test("pasting a new token sends what waits at once", async () => {
    server.state = "down";
    await fake.dispatch(capture({ html: "<div>waiting</div>" }), contentScript);
    server.state = "up";
    const before = server.captures.length;
    await fake.api.storage.local.set({ token: TOKEN });
    await fake.settle();
    assert.equal(server.captures.length, before + 1);
  });
});
