// A content script started as the browser starts it: it watches the page, sends its reviews to the
// worker once they appear, sends more when more load, and answers the panel's and the menu's asks.

import assert from "node:assert/strict";
import { test } from "node:test";
import { fakeEvent } from "./helpers/fake-browser.js";
import { fixtureCase, fixtureHtml, loadPage } from "./helpers/content-page.js";

function fakeRuntime() {
  const sent = [];
  const runtime = {
    id: "abcdefghijklmnopabcdefghijklmnop",
    onMessage: fakeEvent(),
    async sendMessage(message) {
      sent.push(message);
      return { ok: true, queued: false, status: "ok", review_ids: [] };
    },
  };
  return { runtime, sent };
}

const waitFor = async (condition, ms = 3000) => {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

test("reviews appearing after load are captured once, and more loaded later once more", async () => {
  const { runtime, sent } = fakeRuntime();
  const expected = fixtureCase("google", "maps_list_fragment_pretty");
  const page = loadPage("<html lang='en'><body><div id='app'></div></body></html>", expected.url, "google", { chrome: { runtime } });
  // The reviews render after the content script started, as on Maps.
  const parsed = new page.window.DOMParser().parseFromString(fixtureHtml("google", "maps_list_fragment_pretty"), "text/html");
  const cards = Array.from(parsed.querySelectorAll("div[data-review-id][aria-label]")).filter((card) => !card.parentElement.closest("[data-review-id]"));
  const app = page.document.getElementById("app");
  app.append(page.document.importNode(cards[0], true), page.document.importNode(cards[1], true));
  await waitFor(() => sent.length === 1);
  assert.equal(sent[0].type, "capture");
  assert.equal(sent[0].reason, "page");
  assert.equal(sent[0].lang, "en");
  for (const card of cards.slice(2)) app.append(page.document.importNode(card, true));
  await waitFor(() => sent.length === 2);
  assert.equal(sent[1].reason, "more");
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.equal(sent.length, 2, "nothing more to send");
});

test("the panel's insert-reply and the menu's capture-selection are answered", async () => {
  const { runtime, sent } = fakeRuntime();
  const page = loadPage(`<html><body><div class="GYpYWe"><div class="XnNQm"><div class="k4kupc"><span><a>Ann B.</a></span></div></div>
    <blockquote><span>Nice staff and quick visit overall, thank you.</span></blockquote><textarea aria-label="Reply"></textarea></div></body></html>`,
  "https://business.google.com/reviews/l/1", "google", { chrome: { runtime } });
  const [listener] = runtime.onMessage.listeners;
  const insert = await new Promise((resolve) => listener({ type: "insert-reply", text: "Thank you." }, {}, resolve));
  assert.equal(insert.ok, true);
  assert.equal(page.document.querySelector("textarea").value, "Thank you.");

  const range = page.document.createRange();
  range.selectNodeContents(page.document.querySelector("blockquote span"));
  page.window.getSelection().addRange(range);
  const before = sent.length;
  const answer = await new Promise((resolve) => {
    assert.equal(listener({ type: "capture-selection" }, {}, resolve), true, "answered later");
  });
  assert.equal(answer.ok, true);
  assert.equal(sent.length, before + 1);
  assert.equal(sent.at(-1).reason, "selection");
  assert.ok(sent.at(-1).html.includes("Ann B."));
});
