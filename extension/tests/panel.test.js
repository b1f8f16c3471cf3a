// The side panel with a fake extension API: the tab it is about, the connection state, the capture's
// status, the page's reviews in one request (most urgent first), and the worker as its only way out.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, test } from "node:test";

import { startPanel } from "../panel/panel-app.js";
import { HOSTILE, REPLY_ADVICE, click, installDom, settle, storedReview } from "./helpers/workbench-env.js";

const PANEL_HTML = readFileSync(new URL("../panel/panel.html", import.meta.url), "utf8");
const CONNECTED = { state: "connected", serverUrl: "http://127.0.0.1:5151", queued: 0, version: "0.1.0", message: "" };
const READY = { stage: "ready", as_of: "2026-11-23T15:00:00Z", first_viewed_at: "2026-11-23T14:00:00Z",
                cooldown_ends_at: "2026-11-23T14:30:00Z" };

/** A fake `chrome`: the worker's answers, the tabs, and a record of every message. */
function fakeExtension({ connection = CONNECTED, captures = {}, reviews = [], activeTab = { id: 42, windowId: 1 } } = {}) {
  const listeners = new Set();
  const ext = {
    sent: [], tabMessages: [], queries: [], optionsOpened: 0, connection, captures, reviews,
    runtime: {
      async sendMessage(message) {
        ext.sent.push(message);
        if (message.type === "connection") return ext.connection;
        if (message.type === "tab-reviews") return ext.captures[message.tab_id] ?? {};
        if (message.type === "log-event") return { ok: true, status: 200, data: { ok: true, event_id: 1, state: ext.reviews[0]?.state, warnings: [] } };
        if (message.type !== "api") throw new Error(`unexpected message ${message.type}`);
        const { method, path } = message;
        if (method === "GET" && path.startsWith("/api/reviews?")) {
          const ids = new URLSearchParams(path.split("?")[1]).get("ids").split(",").map(Number);
          return { ok: true, status: 200, data: { ok: true, reviews: ext.reviews.filter((review) => ids.includes(review.id)) } };
        }
        const one = /^\/api\/reviews\/(\d+)$/.exec(path);
        if (one) {
          const review = ext.reviews.find((each) => each.id === Number(one[1]));
          return { ok: true, status: 200, data: { ok: true, review, state: review.state, events: [], history: [] } };
        }
        if (path.endsWith("/suggestions")) return { ok: true, status: 200, data: { ok: true, ...REPLY_ADVICE } };
        if (path.endsWith("/matches")) return { ok: true, status: 200, data: { ok: true, note: null, candidates: [] } };
        if (path === "/api/replies/check") return { ok: true, status: 200, data: { ok: true, allowed: true, violations: [] } };
        return { ok: false, status: 404, data: { ok: false, error: "not_found", message: "no such route" } };
      },
      onMessage: { addListener: (listener) => listeners.add(listener), removeListener: (listener) => listeners.delete(listener) },
      openOptionsPage: async () => { ext.optionsOpened += 1; },
    },
    tabs: {
      async query(query) {
        ext.queries.push(query);
        return [activeTab];
      },
      async sendMessage(tabId, message) {
        ext.tabMessages.push([tabId, message]);
        return { ok: true, message: "Inserted into the reply box." };
      },
      onActivated: { addListener: () => {}, removeListener: () => {} },
    },
    broadcast(message) {
      for (const listener of listeners) listener(message, {}, () => {});
    },
    apiCalls: () => ext.sent.filter((message) => message.type === "api"),
  };
  return ext;
}

const capture = (reviewIds, extra = {}) => ({ url: "https://www.google.com/maps/place/x", platform: "google", status: "ok",
                                               warnings: [], review_ids: reviewIds, captured_at: "2026-11-23T14:05:00-06:00", ...extra });
const $ = (selector) => document.querySelector(selector);
const $$ = (selector) => [...document.querySelectorAll(selector)];
let panel = null;

async function start(ext, search = "?tab=42") {
  panel = await startPanel({ ext, search, document, copyText: async () => {}, checkDelay: 0 });
  await settle();
  return panel;
}

beforeEach(() => installDom(PANEL_HTML, { url: "chrome-extension://abcdefghijklmnopabcdefghijklmnop/panel/panel.html?tab=42" }));
afterEach(() => {
  panel?.destroy();
  panel = null;
});

test("the panel lists the reviews of the tab given by ?tab= in one request, overdue first", async () => {
  const ext = fakeExtension({
    captures: { 42: capture([1, 2, 3]) },
    reviews: [storedReview({ id: 1, reviewer_name: "New N." }), storedReview({ id: 2, reviewer_name: "Late L." }, { stage: "overdue", overdue: true }),
              storedReview({ id: 3, reviewer_name: "Cool C." }, { stage: "cooling_down" })],
  });
  await start(ext);
  assert.deepEqual(ext.queries, [], "the tab id came from ?tab=");
  assert.deepEqual(ext.sent.find((message) => message.type === "tab-reviews"), { type: "tab-reviews", tab_id: 42 });
  assert.deepEqual(ext.apiCalls().map((message) => message.path), ["/api/reviews?ids=1,2,3&limit=500&order=attention"]);
  const reviews = $("[data-role=reviews]");
  assert.equal(reviews.dataset.loaded, "true");
  assert.equal(reviews.dataset.count, "3");
  assert.deepEqual($$("[data-review-id]").map((element) => element.dataset.reviewId), ["2", "1", "3"]);
  assert.equal($("[data-role=connection]").dataset.state, "connected");
  assert.equal($("[data-role=capture]").dataset.status, "ok");
  assert.match($("[data-role=capture]").textContent, /Google: 3 reviews read/);
  assert.deepEqual(ext.sent.filter((message) => message.type === "log-event"), [], "nothing is viewed until a review is opened");
});

test("without ?tab= the panel is about the active tab of its window", async () => {
  const ext = fakeExtension({ captures: { 42: capture([]) } });
  await start(ext, "");
  assert.deepEqual(ext.queries, [{ active: true, currentWindow: true }]);
  assert.deepEqual(ext.sent.find((message) => message.type === "tab-reviews"), { type: "tab-reviews", tab_id: 42 });
  assert.equal($("[data-role=reviews]").dataset.loaded, "true");
  assert.equal($("[data-role=reviews]").dataset.count, "0");
});

test("not paired: the panel says so and opens the options", async () => {
  const ext = fakeExtension({ connection: { state: "unpaired", serverUrl: "http://127.0.0.1:5151", queued: 2, message: "x" } });
  await start(ext);
  const connection = $("[data-role=connection]");
  assert.equal(connection.dataset.state, "unpaired");
  assert.match(connection.textContent, /reviewdesk token/);
  assert.equal($("[data-role=queue]").dataset.count, "2");
  click($("[data-action=open-options]"));
  assert.equal(ext.optionsOpened, 1);
});

test("what went wrong while the server was away is told, not swallowed", async () => {
  const ext = fakeExtension({
    connection: { ...CONNECTED, dropped: 1, notices: ["1 capture was dropped because too much was waiting for the server"] },
    captures: { 42: capture([], { waiting: 2 }) },
  });
  await start(ext);
  assert.match($("[data-role=connection-notice]").textContent, /1 capture was dropped/);
  assert.match($("[data-role=capture-waiting]").textContent, /2 later captures of this page wait/);
});

test("server down: the panel says how to start it and how much is waiting", async () => {
  const ext = fakeExtension({ connection: { state: "server_down", serverUrl: "http://127.0.0.1:5151", queued: 3, message: "" },
                              captures: { 42: capture([], { status: "queued" }) } });
  await start(ext);
  const connection = $("[data-role=connection]");
  assert.equal(connection.dataset.state, "server_down");
  assert.match(connection.textContent, /Start it with reviewdesk serve/);
  assert.match($("[data-role=queue]").textContent, /^3 captures and events are waiting/);
  assert.match($("[data-role=capture]").textContent, /waits in the toolbar/);
  ext.connection = CONNECTED;
  click($("[data-action=recheck-connection]"));
  await settle();
  assert.equal(connection.dataset.state, "connected");
  assert.equal($("[data-role=queue]"), null);
});

test("a blocked page and a changed layout are shown as problems, with the server's warnings as text", async () => {
  const ext = fakeExtension({ captures: { 42: capture([], { status: "blocked", warnings: [`Captcha page ${HOSTILE}`] }),
                                          43: capture([], { status: "no_reviews", warnings: ["The site's layout may have changed."] }) } });
  await start(ext);
  const shown = $("[data-role=capture]");
  assert.equal(shown.dataset.status, "blocked");
  assert.equal(shown.getAttribute("role"), "alert");
  assert.ok(shown.classList.contains("capture-problem"));
  assert.match(shown.textContent, /captcha or a block/);
  assert.equal($("[data-role=capture-warning]").textContent, `Captcha page ${HOSTILE}`);
  assert.equal(document.body.querySelectorAll("img, script").length, 0);
  panel.destroy();
  installDom(PANEL_HTML);
  await start(ext, "?tab=43");
  assert.equal($("[data-role=capture]").dataset.status, "no_reviews");
  assert.equal($("[data-role=capture]").getAttribute("role"), "alert");
  assert.match($("[data-role=capture-warning]").textContent, /layout may have changed/);
});

test("a capture-result for the panel's tab lists the new reviews; one for another tab changes nothing", async () => {
  const ext = fakeExtension({ captures: { 42: capture([1]) }, reviews: [storedReview({ id: 1 }), storedReview({ id: 2 })] });
  await start(ext);
  assert.equal($("[data-role=reviews]").dataset.loads, "1");
  ext.captures[42] = capture([1, 2]);
  ext.broadcast({ type: "capture-result", tab_id: 41, ...capture([9]) });
  await settle();
  assert.equal($("[data-role=reviews]").dataset.loads, "1");
  ext.broadcast({ type: "capture-result", tab_id: 42, ...capture([1, 2]) });
  await settle();
  assert.equal($("[data-role=reviews]").dataset.loads, "2");
  assert.deepEqual($$("[data-review-id]").map((element) => element.dataset.reviewId).sort(), ["1", "2"]);
});

test("an opened review logs viewed through the worker, shows its text as text, and inserts into the tab", async () => {
  const ext = fakeExtension({ captures: { 42: capture([5]) }, reviews: [storedReview({ id: 5, text: HOSTILE }, READY)] });
  await start(ext);
  const review = $("[data-review-id='5']");
  click(review.querySelector("[data-action=open]"));
  await settle();
  assert.deepEqual(ext.sent.filter((message) => message.type === "log-event"), [{ type: "log-event", review_id: 5, event: { type: "viewed" } }]);
  assert.equal(review.querySelector("[data-role=review-text]").textContent, HOSTILE);
  assert.equal(document.body.querySelectorAll("img, script").length, 0);
  click(review.querySelector("[data-action=use-suggestion]"));
  await settle();
  await new Promise((resolve) => setTimeout(resolve, 5));
  await settle();
  const insert = review.querySelector("[data-action=insert]");
  assert.equal(insert.disabled, false);
  click(insert);
  await settle();
  assert.deepEqual(ext.tabMessages, [[42, { type: "insert-reply", text: REPLY_ADVICE.suggestions[0].text }]]);
  assert.match(review.querySelector("[data-role=message]").textContent, /Inserted into the reply box/);
  click(review.querySelector("[data-action=posted]"));
  await settle();
  assert.deepEqual(ext.sent.filter((message) => message.type === "log-event").at(-1),
    { type: "log-event", review_id: 5, event: { type: "replied", text: REPLY_ADVICE.suggestions[0].text } });
});

test("an opened review shows its headline once: in the list's toggle, not again in the card", async () => {
  const ext = fakeExtension({ captures: { 42: capture([5]) }, reviews: [storedReview({ id: 5, reviewer_name: "Alicia Romero", rating: 5 }, READY)] });
  await start(ext);
  const review = $("[data-review-id='5']");
  click(review.querySelector("[data-action=open]"));
  await settle();
  assert.equal(review.dataset.loaded, "true");
  const toggle = review.querySelector("[data-action=open]");
  for (const selector of [".wb-meta", "[data-role=reviewer]", "[data-role=rating]", ".wb-date"]) {
    const found = [...review.querySelectorAll(selector)];
    assert.equal(found.length, 1, selector);
    assert.ok(toggle.contains(found[0]), `${selector} is in the toggle`);
  }
  assert.equal(review.textContent.split("Alicia Romero").length - 1, 1);
});
