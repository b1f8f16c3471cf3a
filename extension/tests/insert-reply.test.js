// "Insert into the reply box": the reply lands in the site's reply box as typed text (never as HTML),
// the page's own code hears an input event, and the answer says whether it worked.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadPage } from "./helpers/content-page.js";

const REPLY = "Thank you for your feedback. Please call our office manager at (512) 555-0100.";

function pageWith(body, platform = "google", url = "https://business.google.com/reviews/l/1") {
  return loadPage(`<html><body>${body}</body></html>`, url, platform);
}

describe("insert-reply", () => {
  test("into the site's visible reply textarea, with input and change events", () => {
    const page = pageWith(`<div role="dialog"><textarea aria-label="Reply to this review"></textarea></div>`);
    const box = page.document.querySelector("textarea");
    const heard = [];
    box.addEventListener("input", () => heard.push("input"));
    box.addEventListener("change", () => heard.push("change"));
    const answer = page.capture.insertReply(page.document, page.site, REPLY, null);
    assert.equal(answer.ok, true);
    assert.equal(box.value, REPLY);
    assert.deepEqual(heard, ["input", "change"]);
  });

  test("into the box the user clicked into last, before any other", () => {
    const page = pageWith(`<textarea aria-label="Reply" id="a"></textarea><textarea aria-label="Reply" id="b"></textarea>`);
    const chosen = page.document.getElementById("b");
    const answer = page.capture.insertReply(page.document, page.site, REPLY, chosen);
    assert.equal(answer.ok, true);
    assert.equal(chosen.value, REPLY);
    assert.equal(page.document.getElementById("a").value, "");
  });

  test("several reply boxes and none chosen: the user is asked to click into the right one", () => {
    const page = pageWith(`<textarea aria-label="Reply" id="a"></textarea><textarea aria-label="Reply" id="b"></textarea>`);
    const answer = page.capture.insertReply(page.document, page.site, REPLY, null);
    assert.equal(answer.ok, false);
    assert.match(answer.message, /click into/i);
  });

  test("a rich editor (Facebook's comment box) gets the text as text, markup and all", () => {
    const page = pageWith(`<div contenteditable="true" role="textbox" aria-label="Write a comment"></div>`, "facebook", "https://www.facebook.com/MapleFamilyDentalATX/reviews");
    const box = page.document.querySelector("[role=textbox]");
    let inputs = 0;
    box.addEventListener("input", () => { inputs += 1; });
    const hostile = `${REPLY} <img src=x onerror=alert(1)>`;
    const answer = page.capture.insertReply(page.document, page.site, hostile, null);
    assert.equal(answer.ok, true);
    assert.equal(box.textContent, hostile);
    assert.equal(box.querySelector("img"), null, "no element was made from the text");
    assert.ok(inputs >= 1);
  });

  test("no reply box open: says what to do", () => {
    const page = pageWith(`<p>No box here</p><textarea aria-label="Reply" hidden></textarea>`);
    const answer = page.capture.insertReply(page.document, page.site, REPLY, null);
    assert.equal(answer.ok, false);
    assert.match(answer.message, /Reply/);
  });

  test("an empty reply is not inserted", () => {
    const page = pageWith(`<textarea aria-label="Reply"></textarea>`);
    assert.equal(page.capture.insertReply(page.document, page.site, "  ", null).ok, false);
  });
});

test("the site's search field the user clicked last is never taken for the reply box", () => {
  const page = loadPage(`<html><body><input id="q" role="combobox" aria-label="Search Google Maps"><textarea aria-label="Reply"></textarea></body></html>`,
    "https://www.google.com/maps/place/X", "google");
  const search = page.document.getElementById("q");
  const answer = page.capture.insertReply(page.document, page.site, "Thank you.", search);
  assert.equal(answer.ok, true);
  assert.equal(search.value, "");
  assert.equal(page.document.querySelector("textarea").value, "Thank you.");
});
