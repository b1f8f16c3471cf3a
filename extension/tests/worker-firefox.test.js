// The same worker under Firefox's API: no sidePanel, so the toolbar button opens the sidebar from
// its click; results still live in storage.session.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { EXTENSION } from "./helpers/content-page.js";
import { fakeExtensionApi, fakeFetch } from "./helpers/fake-browser.js";

const manifest = JSON.parse(readFileSync(join(EXTENSION, "manifest.json"), "utf8"));
const fake = fakeExtensionApi({ manifest, firefox: true });

before(async () => {
  globalThis.fetch = fakeFetch(() => "down");
  globalThis.browser = fake.api;
  await import("../background.js");
  await fake.settle();
});

after(() => {
  delete globalThis.browser;
});

test("Firefox: the toolbar button opens the sidebar, right in the click's handler", () => {
  assert.equal(fake.api.action.onClicked.listeners.length, 1);
  fake.api.action.onClicked.listeners[0]({ id: 3 });
  assert.equal(fake.record.sidebarOpened, 1, "opened synchronously, without waiting for anything first");
});

test("Firefox: the panel's messages are accepted from the moz-extension:// pages", async () => {
  const answer = await fake.dispatch({ type: "connection" }, { url: `${fake.origin}panel/panel.html` });
  assert.equal(answer.state, "server_down");
  assert.match(answer.message, /reviewdesk serve/);
});
