// The options page: the address and token checked and stored where the worker reads them, and
// "Test connection" answering each state with one clear sentence of what to do.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { JSDOM } from "jsdom";
import { checkForm, cleanToken, describeConnection, startOptions } from "../options/options.js";
import { EXTENSION } from "./helpers/content-page.js";
import { fakeStorageArea } from "./helpers/fake-browser.js";

const text = (paragraphs) => paragraphs.map((pieces) => pieces.map((piece) => (typeof piece === "string" ? piece : piece.code)).join("")).join(" ");

describe("what Test connection says", () => {
  test("connected, with the version", () => {
    assert.match(text(describeConnection({ state: "connected", version: "1.4.0", serverUrl: "http://127.0.0.1:5151", queued: 0 })),
      /Connected: the toolbar is paired with ReviewDesk 1\.4\.0 at http:\/\/127\.0\.0\.1:5151\./);
  });

  test("server down: how to start it", () => {
    assert.match(text(describeConnection({ state: "server_down", serverUrl: "http://127.0.0.1:5151" })), /not running.*reviewdesk serve/);
  });

  test("wrong token: copy it again from reviewdesk token", () => {
    assert.match(text(describeConnection({ state: "wrong_token", serverUrl: "http://127.0.0.1:5151" })), /refused this token.*reviewdesk token/);
  });

  test("unpaired: paste the token", () => {
    assert.match(text(describeConnection({ state: "unpaired" })), /not paired.*reviewdesk token/);
  });

  test("a server that is not on this computer is pointed out", () => {
    assert.match(text(describeConnection({ state: "connected", serverUrl: "http://192.168.1.5:5151" })), /not on this computer/);
  });

  test("what waits and what was dropped", () => {
    const said = text(describeConnection({ state: "connected", queued: 2, notices: ["1 capture was dropped because too much was waiting."] }));
    assert.match(said, /2 captures or steps wait/);
    assert.match(said, /dropped/);
  });
});

describe("the form", () => {
  test("the address is cleaned and a pasted 'Bearer ' is dropped", () => {
    assert.deepEqual(checkForm({ serverUrl: "127.0.0.1:5151/", token: " Bearer abc123 ", allowNetwork: false }),
      { ok: true, settings: { serverUrl: "http://127.0.0.1:5151", token: "abc123", allowNetworkServer: false } });
    assert.equal(cleanToken("bearer xyz"), "xyz");
  });

  test("another computer's address needs the box ticked", () => {
    assert.equal(checkForm({ serverUrl: "http://10.0.0.2:5151", token: "t", allowNetwork: false }).ok, false);
    assert.deepEqual(checkForm({ serverUrl: "http://10.0.0.2:5151", token: "t", allowNetwork: true }).settings.allowNetworkServer, true);
  });

  test("not an address", () => {
    assert.match(checkForm({ serverUrl: "ftp://x", token: "t" }).message, /not a web address/);
  });
});

describe("the page", () => {
  async function openOptions(stored = {}, connection = { state: "connected", version: "1.0.0", serverUrl: "http://127.0.0.1:5151", queued: 0 }) {
    const html = readFileSync(join(EXTENSION, "options", "options.html"), "utf8");
    const dom = new JSDOM(html, { url: "chrome-extension://abcdefghijklmnopabcdefghijklmnop/options/options.html" });
    const local = fakeStorageArea();
    await local.set(stored);
    const asked = [];
    const ext = {
      storage: { local },
      runtime: { async sendMessage(message) { asked.push(message); return connection; } },
    };
    const page = await startOptions({ document: dom.window.document, ext });
    return { dom, document: dom.window.document, local, asked, page };
  }

  test("Save stores the address and token for the worker, then shows the connection", async () => {
    const { document, local, asked, page } = await openOptions();
    assert.equal(document.getElementById("server-url").value, "http://127.0.0.1:5151");
    document.getElementById("token").value = "  pasted-token ";
    await page.saveAndTest({ announceSave: true });
    assert.deepEqual(await local.get(["serverUrl", "token"]), { serverUrl: "http://127.0.0.1:5151", token: "pasted-token" });
    assert.deepEqual(asked, [{ type: "connection" }], "the worker checks the connection, not the page");
    const result = document.querySelector("[data-role=result]");
    assert.equal(result.dataset.state, "connected");
    assert.match(result.textContent, /Saved\. Connected/);
  });

  test("a non-loopback address shows the warning", async () => {
    const { document, dom } = await openOptions();
    const url = document.getElementById("server-url");
    url.value = "http://192.168.1.9:5151";
    url.dispatchEvent(new dom.window.Event("input"));
    assert.equal(document.querySelector("[data-role=network-warning]").hidden, false);
  });

  test("the page shows a server-down answer with the command in code", async () => {
    const { document, page } = await openOptions({ token: "x" }, { state: "server_down", serverUrl: "http://127.0.0.1:5151", queued: 1 });
    await page.saveAndTest({ announceSave: false });
    const result = document.querySelector("[data-role=result]");
    assert.equal(result.dataset.state, "server_down");
    assert.equal(result.querySelector("code").textContent, "reviewdesk serve");
  });
});
