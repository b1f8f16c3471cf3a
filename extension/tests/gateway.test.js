// The gateway, the only code that talks to the server: each connection state told apart, the token
// sent as a Bearer header, loopback only unless confirmed, and never an exception.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createGateway } from "../background/gateway.js";
import { isLoopbackUrl, normaliseServerUrl } from "../shared/server-url.js";
import { fakeFetch, fakeStorageArea, jsonResponse } from "./helpers/fake-browser.js";

const TOKEN = "s3cret-pairing-token";

async function gatewayWith(handler, stored = { serverUrl: "http://127.0.0.1:5151", token: TOKEN }) {
  const storage = fakeStorageArea();
  await storage.set(stored);
  const fetch = fakeFetch(handler);
  return { gateway: createGateway({ storage, fetch }), fetch, storage };
}

describe("talking to the server", () => {
  test("a call goes to the configured server with the token as a Bearer header", async () => {
    const { gateway, fetch } = await gatewayWith(() => jsonResponse(200, { ok: true, new: 1, ready: 2, overdue: 0, total: 3 }));
    const result = await gateway.request("GET", "/api/reviews/attention");
    assert.deepEqual({ ok: result.ok, status: result.status, state: result.state }, { ok: true, status: 200, state: "connected" });
    assert.equal(result.data.total, 3);
    assert.equal(fetch.calls[0].url, "http://127.0.0.1:5151/api/reviews/attention");
    assert.equal(fetch.calls[0].headers.Authorization, `Bearer ${TOKEN}`);
  });

  test("a body is sent as JSON", async () => {
    const { gateway, fetch } = await gatewayWith(() => jsonResponse(200, { ok: true }));
    await gateway.request("POST", "/api/reviews/7/events", { type: "viewed" });
    assert.equal(fetch.calls[0].method, "POST");
    assert.equal(fetch.calls[0].headers["Content-Type"], "application/json");
    assert.deepEqual(fetch.calls[0].body, { type: "viewed" });
  });

  test("without a stored address, the default http://127.0.0.1:5151", async () => {
    const { gateway, fetch } = await gatewayWith(() => jsonResponse(200, { ok: true }), { token: TOKEN });
    await gateway.request("GET", "/api/health");
    assert.equal(fetch.calls[0].origin, "http://127.0.0.1:5151");
  });
});

describe("the connection states", () => {
  test("server down: the fetch fails, the answer says how to start the server", async () => {
    const { gateway } = await gatewayWith(() => "down");
    const result = await gateway.request("GET", "/api/health");
    assert.equal(result.ok, false);
    assert.equal(result.state, "server_down");
    assert.equal(result.status, 0);
    assert.match(result.message, /reviewdesk serve/);
    assert.equal(result.data.error, "server_down");
  });

  test("unpaired: no token stored, nothing is sent", async () => {
    const { gateway, fetch } = await gatewayWith(() => jsonResponse(200, { ok: true }), { serverUrl: "http://127.0.0.1:5151" });
    const result = await gateway.request("GET", "/api/reviews/attention");
    assert.equal(result.state, "unpaired");
    assert.match(result.message, /reviewdesk token/);
    assert.equal(fetch.calls.length, 0);
  });

  test("unpaired: the server wants a token (asked without one)", async () => {
    const { gateway, fetch } = await gatewayWith(
      () => jsonResponse(401, { ok: false, error: "unauthorized", message: "This request needs the pairing token" }),
      { serverUrl: "http://127.0.0.1:5151" },
    );
    const result = await gateway.request("GET", "/api/health", undefined, { withoutToken: true });
    assert.equal(result.state, "unpaired");
    assert.equal(fetch.calls[0].headers.Authorization, undefined);
  });

  test("wrong token: the server answers 401 invalid_token", async () => {
    const { gateway } = await gatewayWith(() => jsonResponse(401, {
      ok: false, error: "invalid_token", message: "The pairing token is wrong or was rotated.",
    }));
    const result = await gateway.request("GET", "/api/health");
    assert.equal(result.state, "wrong_token");
    assert.equal(result.status, 401);
    assert.match(result.message, /reviewdesk token/);
  });

  test("another refusal keeps the server's own message", async () => {
    const message = "Wait 12 more minutes before replying (the cool-down).";
    const { gateway } = await gatewayWith(() => jsonResponse(409, { ok: false, error: "cooldown_active", message }));
    const result = await gateway.request("POST", "/api/reviews/3/events", { type: "replied" });
    assert.equal(result.ok, false);
    assert.equal(result.status, 409);
    assert.equal(result.state, "connected");
    assert.equal(result.message, message);
    assert.equal(result.data.error, "cooldown_active");
  });

  test("a server error is an error, with the server's message", async () => {
    const { gateway } = await gatewayWith(() => jsonResponse(500, { ok: false, error: "internal", message: "Something failed." }));
    const result = await gateway.request("GET", "/api/stats");
    assert.equal(result.state, "error");
    assert.equal(result.message, "Something failed.");
  });

  test("something that is not ReviewDesk on that port", async () => {
    const { gateway } = await gatewayWith(() => jsonResponse(200, "<html>"));
    const result = await gateway.request("GET", "/api/health");
    assert.equal(result.ok, false);
    assert.equal(result.data.error, "not_reviewdesk");
  });

  test("it never throws, even when storage fails", async () => {
    const storage = { get: async () => { throw new Error("storage broke"); } };
    const gateway = createGateway({ storage, fetch: async () => { throw new Error("no"); } });
    const result = await gateway.request("GET", "/api/health");
    assert.equal(result.ok, false);
    assert.equal(result.state, "unpaired");
  });

  test("a server that does not answer in time reads as down", async () => {
    const storage = fakeStorageArea();
    await storage.set({ token: TOKEN });
    const fetch = (url, init) => new Promise((resolve, reject) => {
      init.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
    });
    const gateway = createGateway({ storage, fetch, timeoutMs: 20 });
    const result = await gateway.request("GET", "/api/health");
    assert.equal(result.state, "server_down");
  });
});

describe("only the server, and only on this computer", () => {
  test("a non-loopback address is refused unless the user confirmed it in the options", async () => {
    const { gateway, fetch } = await gatewayWith(() => jsonResponse(200, { ok: true }), { serverUrl: "http://192.168.1.20:5151", token: TOKEN });
    const refused = await gateway.request("GET", "/api/health");
    assert.equal(refused.ok, false);
    assert.equal(refused.data.error, "not_loopback");
    assert.equal(fetch.calls.length, 0);

    const confirmed = await gatewayWith(() => jsonResponse(200, { ok: true }), { serverUrl: "http://192.168.1.20:5151", token: TOKEN, allowNetworkServer: true });
    const result = await confirmed.gateway.request("GET", "/api/health");
    assert.equal(result.ok, true);
    assert.equal(confirmed.fetch.calls[0].origin, "http://192.168.1.20:5151");
  });

  test("only /api/ paths of the server, with the usual methods", async () => {
    const { gateway, fetch } = await gatewayWith(() => jsonResponse(200, { ok: true }));
    for (const [method, path] of [["GET", "https://evil.example/api/x"], ["GET", "/api/../login"], ["GET", "/dashboard"], ["PATCH", "/api/settings"], ["GET", "//evil.example/api/"]]) {
      const result = await gateway.request(method, path);
      assert.equal(result.ok, false, `${method} ${path}`);
    }
    assert.equal(fetch.calls.length, 0);
  });

  test("loopback addresses", () => {
    for (const url of ["http://127.0.0.1:5151", "http://localhost:8000", "http://[::1]:5151", "http://127.0.0.2"]) assert.ok(isLoopbackUrl(url), url);
    for (const url of ["http://192.168.1.2:5151", "http://127.0.0.1.evil.example", "http://localhost.evil.example", "not a url"]) assert.ok(!isLoopbackUrl(url), url);
  });

  test("a typed address is cleaned", () => {
    assert.equal(normaliseServerUrl("127.0.0.1:5151/"), "http://127.0.0.1:5151");
    assert.equal(normaliseServerUrl(" http://localhost:5151 "), "http://localhost:5151");
    assert.equal(normaliseServerUrl("ftp://127.0.0.1"), null);
    assert.equal(normaliseServerUrl("http://user:pw@127.0.0.1:5151"), null);
    assert.equal(normaliseServerUrl(""), null);
  });
});
