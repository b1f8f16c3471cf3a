// The connection check: one answer with the state, what waits, and what the user must be told once
// (captures dropped from a full queue), after sending what waits.

import assert from "node:assert/strict";
import { test } from "node:test";
import { checkConnection } from "../background/connection.js";
import { createGateway } from "../background/gateway.js";
import { createOutbox } from "../background/outbox.js";
import { createQueue, QueueKind } from "../background/queue.js";
import { fakeFetch, fakeStorageArea, jsonResponse } from "./helpers/fake-browser.js";
import { manualTime } from "./helpers/content-page.js";

test("dropped captures are told while away, and once more when connected, then forgotten", async () => {
  const storage = fakeStorageArea();
  await storage.set({ token: "t" });
  const server = { up: false };
  const fetch = fakeFetch(({ path }) => {
    if (!server.up) return "down";
    if (path === "/api/health") return jsonResponse(200, { ok: true, version: "2.0.0", checker_ready: true });
    return jsonResponse(200, { ok: true, status: "ok", reviews: [] });
  });
  const gateway = createGateway({ storage, fetch });
  const queue = createQueue({ storage, limits: { maxItems: 1, maxBytes: 1e9 } });
  const outbox = createOutbox({ gateway, queue, timers: manualTime().timers });
  for (const n of [1, 2]) await queue.enqueue({ kind: QueueKind.CAPTURE, payload: { capture: { url: `https://www.yelp.com/biz/${n}`, html: "x" } } });

  const away = await checkConnection({ gateway, queue, outbox });
  assert.deepEqual({ state: away.state, queued: away.queued, dropped: away.dropped }, { state: "server_down", queued: 1, dropped: 1 });
  assert.match(away.message, /reviewdesk serve.*1 capture or step is waiting.*1 capture was dropped/s);

  server.up = true;
  const back = await checkConnection({ gateway, queue, outbox });
  assert.deepEqual({ state: back.state, queued: back.queued, version: back.version, dropped: back.dropped }, { state: "connected", queued: 0, version: "2.0.0", dropped: 1 });
  assert.match(back.message, /^Connected to ReviewDesk 2\.0\.0 at http:\/\/127\.0\.0\.1:5151\. 1 capture was dropped/);

  const later = await checkConnection({ gateway, queue, outbox });
  assert.equal(later.dropped, 0);
  assert.equal(later.message, "Connected to ReviewDesk 2.0.0 at http://127.0.0.1:5151.");
});

test("a server that refuses the toolbar (a 403) is an error with its message", async () => {
  const storage = fakeStorageArea();
  await storage.set({ token: "t" });
  const fetch = fakeFetch(() => jsonResponse(403, { ok: false, error: "forbidden_origin", message: "Requests from chrome-extension://x are not allowed." }));
  const gateway = createGateway({ storage, fetch });
  const queue = createQueue({ storage });
  const answer = await checkConnection({ gateway, queue, outbox: createOutbox({ gateway, queue, timers: manualTime().timers }) });
  assert.equal(answer.state, "error");
  assert.match(answer.message, /not allowed/);
});
