// The badge (reviews needing attention; "!" on a tab whose capture needs the user's eye) and each
// tab's latest capture result.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { countText, createBadge } from "../background/badge.js";
import { createTabResults, isProblem } from "../background/tab-results.js";

function fakeAction() {
  const calls = [];
  const action = {};
  for (const name of ["setBadgeText", "setBadgeBackgroundColor", "setBadgeTextColor"]) action[name] = async (details) => calls.push({ name, ...details });
  return { action, calls };
}

describe("the badge", () => {
  test("the count of reviews needing attention; empty when none", () => {
    assert.equal(countText(0), "");
    assert.equal(countText(7), "7");
    assert.equal(countText(250), "99+");
    assert.equal(countText(undefined), "");
  });

  test("refresh reads GET /api/reviews/attention's total", async () => {
    const { action, calls } = fakeAction();
    const asked = [];
    const gateway = { request: async (method, path) => { asked.push(`${method} ${path}`); return { ok: true, data: { total: 12 } }; } };
    assert.equal(await createBadge({ action, gateway }).refresh(), 12);
    assert.deepEqual(asked, ["GET /api/reviews/attention"]);
    assert.equal(calls.find((call) => call.name === "setBadgeText").text, "12");
  });

  test("empty when the server is not reachable", async () => {
    const { action, calls } = fakeAction();
    const gateway = { request: async () => ({ ok: false, state: "server_down" }) };
    await createBadge({ action, gateway }).refresh();
    assert.equal(calls.find((call) => call.name === "setBadgeText").text, "");
  });

  test("a tab is marked '!' and unmarked back to the count", async () => {
    const { action, calls } = fakeAction();
    const badge = createBadge({ action, gateway: {} });
    await badge.markTab(4, true);
    await badge.markTab(4, false);
    assert.deepEqual(calls, [{ name: "setBadgeText", tabId: 4, text: "!" }, { name: "setBadgeText", tabId: 4, text: null }]);
  });

  test("a badge call that fails is not an error", async () => {
    const action = { setBadgeText: async () => { throw new Error("No tab with id: 4"); } };
    await createBadge({ action, gateway: {} }).markTab(4, true);
  });
});

describe("what needs the user's eye", () => {
  test("blocked, errors, and no reviews with a layout warning; not a quiet page without reviews", () => {
    assert.equal(isProblem({ status: "blocked", warnings: [] }), true);
    assert.equal(isProblem({ status: "error", warnings: ["The server failed."] }), true);
    assert.equal(isProblem({ status: "no_reviews", warnings: ["No reviews found although this looks like a yelp review page"] }), true);
    assert.equal(isProblem({ status: "no_reviews", warnings: [] }), false);
    assert.equal(isProblem({ status: "ok", warnings: [] }), false);
    assert.equal(isProblem({ status: "queued", warnings: ["kept"] }), false);
  });
});

describe("each tab's latest capture", () => {
  const page = (reason, url = "https://www.google.com/maps/place/X") => ({ url, reason, captured_at: "2026-11-23T14:05:00-06:00" });
  const ok = (ids) => ({ ok: true, status: "ok", platform: "google", layout: "google_maps", warnings: [], review_ids: ids });

  test("a page replaces the tab's reviews, more and a selection add to them", async () => {
    const results = createTabResults({});
    await results.record(1, page("page"), ok([1, 2]));
    await results.record(1, page("more"), ok([3, 2]));
    assert.deepEqual((await results.get(1)).review_ids, [1, 2, 3]);
    await results.record(1, page("selection"), ok([9]));
    assert.deepEqual((await results.get(1)).review_ids, [1, 2, 3, 9]);
    await results.record(1, page("page"), ok([5]));
    assert.deepEqual((await results.get(1)).review_ids, [5]);
  });

  test("kept in memory when the browser has no storage.session, and forgotten with the tab", async () => {
    const results = createTabResults({ session: undefined });
    await results.record(2, page("page"), ok([1]));
    assert.equal((await results.get(2)).status, "ok");
    await results.forget(2);
    assert.equal(await results.get(2), null);
  });

  test("a queued capture delivered later updates the tab only while the tab still waits for it", async () => {
    const results = createTabResults({});
    const queued = { ok: true, queued: true, status: "queued", warnings: ["kept"], review_ids: [] };
    await results.record(3, page("page"), queued);
    assert.equal((await results.get(3)).waiting, 1);
    const delivered = await results.record(3, page("page"), ok([7]), { fromQueue: true });
    assert.deepEqual({ status: delivered.status, ids: delivered.review_ids, waiting: delivered.waiting }, { status: "ok", ids: [7], waiting: 0 });
    assert.equal(await results.record(3, page("page"), ok([8]), { fromQueue: true }), null, "nothing waits: an old capture does not replace the page");
  });
});
