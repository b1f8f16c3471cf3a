// The queue and the outbox: captures and events kept while the server is away survive the worker
// (and the browser) restarting, go out in the order they came, and the queue stays bounded, dropping
// the oldest capture (never an event) and saying so.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createGateway } from "../background/gateway.js";
import { createOutbox, RETRY_DELAYS_MS } from "../background/outbox.js";
import { createQueue, Delivery, QueueKind } from "../background/queue.js";
import { fakeFetch, fakeStorageArea, jsonResponse } from "./helpers/fake-browser.js";
import { manualTime } from "./helpers/content-page.js";

const capture = (n, size = 10) => ({ kind: QueueKind.CAPTURE, tab_id: 1, payload: { capture: { url: `https://www.yelp.com/biz/p${n}`, html: "x".repeat(size), reason: "page" } } });
const event = (n) => ({ kind: QueueKind.EVENT, payload: { review_id: n, event: { type: "viewed" } } });
const labelOf = (item) => (item.kind === QueueKind.CAPTURE ? `c${item.payload.capture.url.slice(-1)}` : `e${item.payload.review_id}`);

describe("the queue", () => {
  test("what is queued survives a new worker (a new queue on the same storage)", async () => {
    const storage = fakeStorageArea();
    await createQueue({ storage }).enqueue(capture(1));
    await createQueue({ storage }).enqueue(event(2));
    const items = await createQueue({ storage }).items();
    assert.deepEqual(items.map(labelOf), ["c1", "e2"]);
    assert.ok(storage.values.has("queue"), "kept in chrome.storage.local under 'queue'");
  });

  test("items go out in the order they came; a flush stops at the first that must wait", async () => {
    const queue = createQueue({ storage: fakeStorageArea() });
    for (const item of [capture(1), event(2), capture(3), event(4)]) await queue.enqueue(item);
    const delivered = [];
    const outcome = await queue.flush(async (item) => {
      if (labelOf(item) === "c3") return { delivery: Delivery.RETRY, message: "down" };
      delivered.push(labelOf(item));
      return { delivery: Delivery.SENT };
    });
    assert.deepEqual(delivered, ["c1", "e2"]);
    assert.equal(outcome.remaining, 2);
    assert.deepEqual((await queue.items()).map(labelOf), ["c3", "e4"]);
  });

  test("bounded by count: the oldest capture is dropped, never an event, and the user is told", async () => {
    const queue = createQueue({ storage: fakeStorageArea(), limits: { maxItems: 4, maxBytes: 1e9 } });
    for (const item of [event(1), capture(2), capture(3), event(4), capture(5), capture(6)]) await queue.enqueue(item);
    assert.deepEqual((await queue.items()).map(labelOf), ["e1", "e4", "c5", "c6"]);
    assert.equal((await queue.notices()).dropped, 2);
  });

  test("bounded by size", async () => {
    const queue = createQueue({ storage: fakeStorageArea(), limits: { maxItems: 50, maxBytes: 2500 } });
    for (const n of [1, 2, 3]) await queue.enqueue(capture(n, 1000));
    assert.deepEqual((await queue.items()).map(labelOf), ["c2", "c3"]);
  });

  test("events are never dropped, even when only events fill it", async () => {
    const queue = createQueue({ storage: fakeStorageArea(), limits: { maxItems: 2, maxBytes: 1e9 } });
    for (const n of [1, 2, 3]) await queue.enqueue(event(n));
    assert.equal(await queue.size(), 3);
  });

  test("when the browser's storage quota is reached, the oldest capture makes room", async () => {
    const storage = fakeStorageArea({ quotaBytes: 3000 });
    const queue = createQueue({ storage, limits: { maxItems: 50, maxBytes: 1e9 } });
    await queue.enqueue(capture(1, 1600));
    await queue.enqueue(capture(2, 1600));
    assert.deepEqual((await queue.items()).map(labelOf), ["c2"]);
    assert.equal((await queue.notices()).dropped, 1);
  });

  test("the default bound fits chrome.storage.local's 10 MB: 50 items, 8 MB", async () => {
    const { DEFAULT_LIMITS } = await import("../background/queue.js");
    assert.deepEqual({ ...DEFAULT_LIMITS }, { maxItems: 50, maxBytes: 8 * 1024 * 1024 });
  });

  test("an item queued while a flush runs is kept and sent after the others", async () => {
    const queue = createQueue({ storage: fakeStorageArea() });
    await queue.enqueue(capture(1));
    const delivered = [];
    await queue.flush(async (item) => {
      if (labelOf(item) === "c1") await queue.enqueue(event(2));
      delivered.push(labelOf(item));
      return { delivery: Delivery.SENT };
    });
    assert.deepEqual(delivered, ["c1", "e2"]);
    assert.equal(await queue.size(), 0);
  });

  test("a refused item is dropped with a notice, and the rest goes on", async () => {
    const queue = createQueue({ storage: fakeStorageArea() });
    await queue.enqueue(event(1));
    await queue.enqueue(event(2));
    const outcome = await queue.flush(async (item) => (labelOf(item) === "e1"
      ? { delivery: Delivery.REFUSED, message: "There is no review 1" }
      : { delivery: Delivery.SENT }));
    assert.equal(outcome.refused, 1);
    assert.equal(outcome.sent.length, 1);
    assert.match((await queue.notices()).refused[0], /review 1 .*There is no review 1/);
    await queue.clearNotices();
    assert.deepEqual(await queue.notices(), { dropped: 0, refused: [] });
  });
});

/** An outbox on a scripted server whose state the test switches: "up", "down", "unpaired". */
async function outboxWith({ token = "t0k3n" } = {}) {
  const storage = fakeStorageArea();
  if (token) await storage.set({ token });
  const server = { state: "up", nextId: 1, captures: [], events: [] };
  const fetch = fakeFetch(({ method, path, body }) => {
    if (server.state === "down") return "down";
    if (server.state === "wrong_token") return jsonResponse(401, { ok: false, error: "invalid_token", message: "rotated" });
    if (method === "POST" && path === "/api/captures") {
      server.captures.push(body.url);
      const reviews = [{ id: server.nextId++ }];
      return jsonResponse(200, { ok: true, platform: "yelp", status: "ok", layout: "yelp_cards", warnings: [], reviews, created: 1, updated: 0, unchanged: 0 });
    }
    const match = /^\/api\/reviews\/(\d+)\/events$/.exec(path);
    if (method === "POST" && match) {
      if (match[1] === "404") return jsonResponse(404, { ok: false, error: "not_found", message: "There is no review 404." });
      server.events.push({ review_id: Number(match[1]), ...body });
      return jsonResponse(200, { ok: true, event_id: server.events.length, state: {}, warnings: [] });
    }
    return jsonResponse(404, { ok: false, error: "not_found", message: "no" });
  });
  const time = manualTime();
  const answers = [];
  const queue = createQueue({ storage });
  const outbox = createOutbox({
    gateway: createGateway({ storage, fetch }),
    queue,
    timers: time.timers,
    now: time.now,
    onCaptureAnswer: async (tabId, captured, answer, { fromQueue }) => answers.push({ tabId, url: captured.url, answer, fromQueue }),
  });
  return { outbox, queue, server, storage, time, answers };
}

const page = (n) => ({ url: `https://www.yelp.com/biz/p${n}`, html: "<div>review</div>", captured_at: "2026-11-23T14:05:00-06:00", lang: "en", reason: "page" });

describe("the outbox", () => {
  test("a capture while the server is down is kept, answered 'queued', and sent once the server is back", async () => {
    const { outbox, queue, server, answers } = await outboxWith();
    server.state = "down";
    const answer = await outbox.sendCapture(5, page(1));
    assert.equal(answer.ok, true);
    assert.equal(answer.queued, true);
    assert.equal(answer.status, "queued");
    assert.match(answer.warnings[0], /reviewdesk serve/);
    assert.equal(await queue.size(), 1);

    server.state = "up";
    const outcome = await outbox.flush();
    assert.equal(outcome.remaining, 0);
    assert.deepEqual(server.captures, ["https://www.yelp.com/biz/p1"]);
    const delivered = answers.at(-1);
    assert.deepEqual({ tabId: delivered.tabId, fromQueue: delivered.fromQueue, status: delivered.answer.status }, { tabId: 5, fromQueue: true, status: "ok" });
    assert.deepEqual(delivered.answer.review_ids, [1]);
  });

  test("unpaired or a rotated token keeps captures too", async () => {
    const unpaired = await outboxWith({ token: null });
    assert.equal((await unpaired.outbox.sendCapture(1, page(1))).queued, true);
    const rotated = await outboxWith();
    rotated.server.state = "wrong_token";
    assert.equal((await rotated.outbox.sendCapture(1, page(1))).queued, true);
    assert.equal(await rotated.queue.size(), 1);
  });

  test("a new capture waits behind the queued ones, so the server gets them in order", async () => {
    const { outbox, server } = await outboxWith();
    server.state = "down";
    await outbox.sendCapture(1, page(1));
    await outbox.logEvent(9, { type: "viewed" });
    await outbox.sendCapture(1, page(2));
    server.state = "up";
    const answer = await outbox.sendCapture(1, page(3));
    assert.equal(answer.queued, false);
    assert.deepEqual(server.captures, ["https://www.yelp.com/biz/p1", "https://www.yelp.com/biz/p2", "https://www.yelp.com/biz/p3"]);
    assert.equal(server.events.length, 1);
  });

  test("a logged step kept while the server is down keeps the moment it happened", async () => {
    const { outbox, server, time } = await outboxWith();
    server.state = "down";
    const answer = await outbox.logEvent(3, { type: "followup_call", outcome: "reached" });
    assert.deepEqual({ ok: answer.ok, queued: answer.queued }, { ok: true, queued: true });
    const happened = time.now().toISOString();
    await time.advance(60_000);
    server.state = "up";
    await outbox.flush();
    assert.deepEqual(server.events, [{ review_id: 3, type: "followup_call", outcome: "reached", at: happened }]);
  });

  test("a step the server refuses for good is answered, not queued", async () => {
    const { outbox, queue } = await outboxWith();
    const answer = await outbox.logEvent(404, { type: "viewed" });
    assert.equal(answer.ok, false);
    assert.equal(answer.status, 404);
    assert.equal(await queue.size(), 0);
  });

  test("a retry timer with backoff sends what waits while the worker lives", async () => {
    const { outbox, server, time } = await outboxWith();
    server.state = "down";
    await outbox.sendCapture(1, page(1)); // the capture's own flush finds the queue empty; the capture is queued
    await time.advance(RETRY_DELAYS_MS[0]); // first retry: still down
    assert.equal(server.captures.length, 0);
    server.state = "up";
    await time.advance(RETRY_DELAYS_MS[1] - 1);
    assert.equal(server.captures.length, 0, "the second retry waits longer");
    await time.advance(1);
    assert.deepEqual(server.captures, ["https://www.yelp.com/biz/p1"]);
    assert.equal(time.pendingCount(), 0, "no timer once nothing waits");
  });

  test("a capture the server refuses is answered as an error with its message", async () => {
    const storage = fakeStorageArea();
    await storage.set({ token: "t" });
    const fetch = fakeFetch(() => jsonResponse(422, { ok: false, error: "unsupported", message: "ReviewDesk does not read reviews from https://example.com/", status: "unsupported", platform: null }));
    const outbox = createOutbox({ gateway: createGateway({ storage, fetch }), queue: createQueue({ storage }), timers: manualTime().timers });
    const answer = await outbox.sendCapture(1, { ...page(1), url: "https://example.com/" });
    assert.equal(answer.ok, false);
    assert.equal(answer.status, "error");
    assert.equal(answer.error, "unsupported");
    assert.match(answer.warnings[0], /does not read reviews/);
  });
});
