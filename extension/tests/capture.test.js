// The content scripts' capture, on the same synthetic pages the Python parsers are tested with
// (tests/parsers/fixtures): the right containers, every review in what is sent, no duplicate sends,
// the debounce, the size bound, and reviews loaded later sent once more.

import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { JSDOM } from "jsdom";
import { FIXTURES, capturerOn, loadFixture, loadPage, manualTime } from "./helpers/content-page.js";
import { MessageType } from "../shared/messages.js";

const CASES = ["google", "yelp", "facebook"].flatMap((platform) =>
  readdirSync(join(FIXTURES, platform)).filter((file) => file.endsWith(".html")).map((file) => [platform, file.slice(0, -5)]));

const reader = new new JSDOM("").window.DOMParser();

/** A sent capture's HTML read back as a document. */
const parsed = (message) => reader.parseFromString(message.html, "text/html");

/** The text a sent capture shows (data scripts included). */
function textOf(message) {
  return parsed(message).documentElement.textContent.replace(/\s+/g, " ");
}

/** Names as they appear in the page's text (Yelp's JSON may escape them). */
const plain = (text) => text.replace(/\s+/g, " ").trim();

describe("every fixture page", () => {
  for (const [platform, name] of CASES) {
    test(`${platform}/${name}: what is sent holds every review the parser expects`, async () => {
      const page = loadFixture(platform, name);
      const { capturer, sent, time } = capturerOn(page);
      capturer.check();
      await time.advance(10_000);
      const expected = page.expected;
      if (expected.status === "no_reviews" && !expected.reviews.length) {
        assert.equal(sent.length, 0, "a review page without reviews is not sent (the server would only say so)");
        return;
      }
      assert.equal(sent.length, 1, "one capture for the page");
      const [message] = sent;
      assert.equal(message.type, MessageType.CAPTURE);
      assert.equal(message.url, expected.url);
      assert.equal(message.reason, "page");
      const text = textOf(message);
      for (const review of expected.reviews) {
        assert.ok(text.includes(plain(review.reviewer_name)), `${review.reviewer_name} is in the capture`);
        const start = plain(review.text).slice(0, 40);
        if (start) assert.ok(text.includes(start), `the text of ${review.reviewer_name}'s review is in the capture`);
      }
    });
  }
});

describe("review containers", () => {
  test("Google Maps: the outermost card of each review, not its descendants carrying the same id", () => {
    const page = loadFixture("google", "maps_whole_page");
    const containers = page.capture.findContainers(page.document, page.site);
    assert.equal(containers.length, page.expected.reviews.length);
    for (const card of containers) {
      assert.ok(card.matches("div[data-review-id][aria-label]"));
      assert.equal(card.parentElement.closest("[data-review-id]"), null);
    }
    assert.deepEqual(Array.from(containers, (card) => card.getAttribute("aria-label")), page.expected.reviews.map((r) => r.reviewer_name));
  });

  test("Google Maps: the page is sent as its cards only, not the scripts and the map around them", async () => {
    const page = loadFixture("google", "maps_whole_page");
    const { capturer, sent, time } = capturerOn(page);
    capturer.check();
    await time.advance(1000);
    assert.ok(!sent[0].html.includes("APP_INITIALIZATION_STATE"));
    assert.ok(!sent[0].html.includes("searchboxinput"), "not the search box around the list");
    assert.ok(sent[0].html.length < page.document.documentElement.outerHTML.length);
  });

  test("Google Maps: the cards go without their icons, styles and event wiring, and keep every review's data", async () => {
    const page = loadFixture("google", "maps_list_fragment_pretty");
    const cardsHtml = page.capture.findContainers(page.document, page.site).map((card) => card.outerHTML).join("");
    assert.match(cardsHtml, /<svg|jsaction=/, "the fixture's cards carry icons and event wiring");
    const { capturer, sent, time } = capturerOn(page);
    capturer.check();
    await time.advance(10_000);
    assert.equal(sent.length, 1);
    assert.doesNotMatch(sent[0].html, /<svg|<style|jsaction=|jslog=|\son[a-z]+=/i);
    assert.ok(sent[0].html.length < cardsHtml.length);
    const card = parsed(sent[0]).querySelector("[data-review-id]");
    assert.ok(card.getAttribute("aria-label"), "the name's label stays");
    assert.ok(parsed(sent[0]).querySelector("[role='img'][aria-label]"), "the star rating's label stays");
    for (const review of page.expected.reviews) assert.ok(textOf(sent[0]).includes(plain(review.reviewer_name)));
  });

  test("Google Search (2018 and 2024) and the Business Profile: their own cards", () => {
    for (const [name, selector] of [["search_2018", ".gws-localreviews__google-review, .WMbnJf"], ["search_2024", ".bwb7ce"], ["business_profile", ".GYpYWe"]]) {
      const page = loadFixture("google", name);
      const containers = page.capture.findContainers(page.document, page.site);
      assert.equal(containers.length, page.expected.reviews.length, name);
      assert.ok(containers.every((card) => card.matches(selector)), name);
    }
  });

  test("Yelp: a review card from the reviewer's link up to the block with the star rating", () => {
    const page = loadFixture("yelp", "modern_cards");
    const containers = page.capture.findContainers(page.document, page.site);
    assert.equal(containers.length, page.expected.reviews.length);
    for (const card of containers) {
      assert.equal(card.querySelectorAll("a[href*='user_details?userid=']").length > 0, true);
      assert.ok(card.querySelector("[role='img'][aria-label$='star rating']"));
    }
  });

  test("Yelp: with the business id from the page's head, which the server reads", async () => {
    const page = loadFixture("yelp", "modern_cards");
    const { capturer, sent, time } = capturerOn(page);
    capturer.check();
    await time.advance(1000);
    assert.match(sent[0].html, /<meta name="yelp-biz-id" content="[^"]+">/);
  });

  test("Yelp: reviews in the page's JSON send the page itself, with its data scripts and without its code", async () => {
    for (const name of ["feed_json", "graphql_feed", "json_ld_only"]) {
      const page = loadFixture("yelp", name);
      const { capturer, sent, time } = capturerOn(page);
      capturer.check();
      await time.advance(1000);
      assert.equal(sent.length, 1, name);
      assert.match(sent[0].html, /^<!DOCTYPE html>\n<html/, name);
      assert.match(sent[0].html, /<script type="application\/(?:ld\+)?json"/, name);
      assert.doesNotMatch(sent[0].html, /<script(?![^>]*(?:application\/(?:ld\+)?json|src=))[^>]*>[^<]/, `${name}: no inline code`);
    }
  });

  test("Facebook: each recommendation's feed item", () => {
    const page = loadFixture("facebook", "recommendations");
    const containers = page.capture.findContainers(page.document, page.site);
    assert.equal(containers.length, page.expected.reviews.length);
    assert.ok(containers.every((card) => card.hasAttribute("aria-posinset")));
  });

  test("Facebook: posts in the news feed are not reviews and are not sent", async () => {
    const html = `<html><body><div role="feed"><div aria-posinset="1"><div data-ad-rendering-role="profile_name"><h4><a href="/someone">Sam Lee</a> shared a memory.</h4></div>
      <div data-ad-rendering-role="story_message">Look at this!</div></div></div></body></html>`;
    const page = loadPage(html, "https://www.facebook.com/", "facebook");
    const { capturer, sent, time } = capturerOn(page);
    capturer.check();
    await time.advance(10_000);
    assert.equal(sent.length, 0);
  });

  test("a review site's page that is not a review page is not sent", async () => {
    const page = loadPage("<html><body><h1>Maps</h1><canvas></canvas></body></html>", "https://www.google.com/maps/@30.26,-97.74,12z", "google");
    const { capturer, sent, time } = capturerOn(page);
    capturer.check();
    await time.advance(10_000);
    assert.equal(sent.length, 0);
  });
});

describe("pages without reviews where reviews belong", () => {
  for (const [platform, name] of [["google", "blocked_captcha"], ["yelp", "blocked_datadome"], ["facebook", "login_wall"]]) {
    test(`${platform}/${name}: the page goes whole once reviews had time to appear, with what shows it is a block page`, async () => {
      const page = loadFixture(platform, name);
      const { capturer, sent, time } = capturerOn(page);
      capturer.check();
      await time.advance(1000);
      if (platform !== "yelp") assert.equal(sent.length, 0, "not before reviews had time to appear");
      await time.advance(10_000);
      assert.equal(sent.length, 1);
      const marker = { google: "unusual traffic", yelp: "captcha-delivery.com", facebook: "You must log in to continue" }[platform];
      assert.ok(sent[0].html.includes(marker));
      page.document.body.append(page.document.createElement("div"));
      capturer.check();
      await time.advance(10_000);
      assert.equal(sent.length, 1, "sent once per page view");
    });
  }
});

describe("capture timing and de-duplication", () => {
  test("changes in quick succession make one capture, 800 ms after the last", async () => {
    const page = loadFixture("google", "maps_list_fragment_pretty");
    const { capturer, sent, time } = capturerOn(page);
    capturer.check();
    await time.advance(500);
    capturer.check();
    await time.advance(500);
    capturer.check();
    await time.advance(799);
    assert.equal(sent.length, 0);
    await time.advance(1);
    assert.equal(sent.length, 1);
  });

  test("a page that never stops changing is still captured within 4 seconds", async () => {
    const page = loadFixture("google", "maps_list_fragment_pretty");
    const { capturer, sent, time } = capturerOn(page);
    for (let elapsed = 0; elapsed < 4000; elapsed += 300) {
      capturer.check();
      await time.advance(300);
    }
    assert.equal(sent.length, 1);
  });

  test("the same reviews are never sent twice", async () => {
    const page = loadFixture("facebook", "recommendations");
    const { capturer, sent, time } = capturerOn(page);
    capturer.check();
    await time.advance(1000);
    page.document.body.append(page.document.createElement("span")); // a change outside the reviews
    capturer.check();
    await time.advance(1000);
    await capturer.captureNow();
    assert.equal(sent.length, 1);
  });

  test("reviews loaded later are sent once more, alone, as 'more'", async () => {
    const page = loadFixture("google", "maps_whole_page");
    const { capturer, sent, time } = capturerOn(page);
    capturer.check();
    await time.advance(1000);
    const cards = page.capture.findContainers(page.document, page.site);
    const added = cards[0].cloneNode(true);
    added.setAttribute("data-review-id", "NewReviewId123");
    added.setAttribute("aria-label", "Newton Reviewer");
    cards.at(-1).after(added);
    capturer.check();
    await time.advance(1000);
    capturer.check();
    await time.advance(1000);
    assert.equal(sent.length, 2);
    assert.equal(sent[1].reason, "more");
    assert.ok(sent[1].html.includes("Newton Reviewer"));
    const resentCards = parsed(sent[1]).querySelectorAll("div[data-review-id][aria-label]");
    assert.equal(resentCards.length, 1, "only the new card");
  });

  test("a review expanded with 'More' is sent again with its full text", async () => {
    const page = loadFixture("google", "maps_whole_page");
    const { capturer, sent, time } = capturerOn(page);
    capturer.check();
    await time.advance(1000);
    const card = page.capture.findContainers(page.document, page.site)[1];
    card.querySelector("span.wiI7pd").append(" And the rest of the story, now expanded.");
    capturer.check();
    await time.advance(1000);
    assert.equal(sent.length, 2);
    assert.ok(sent[1].html.includes("now expanded"));
    assert.equal(parsed(sent[1]).querySelectorAll("div[data-review-id][aria-label]").length, 1);
  });

  test("another place on Maps is a new page: its reviews are sent as a page", async () => {
    const page = loadFixture("google", "maps_whole_page");
    const { capturer, sent, time } = capturerOn(page);
    capturer.check();
    await time.advance(1000);
    page.window.history.pushState({}, "", "/maps/place/Other+Dental/@30.1,-97.7,17z");
    capturer.check();
    await time.advance(1000);
    assert.equal(sent.length, 2);
    assert.equal(sent[1].reason, "page");
    page.window.history.pushState({}, "", "/maps/place/Other+Dental/@30.2,-97.8,15z"); // the map moved
    capturer.check();
    await time.advance(1000);
    assert.equal(sent.length, 2);
  });
});

describe("the size bound", () => {
  test("containers over the bound go in several messages, each within it, and none is lost", async () => {
    const page = loadFixture("facebook", "recommendations");
    const maxBytes = 20_000;
    const { capturer, sent, time } = capturerOn(page, { limits: { maxBytes } });
    capturer.check();
    await time.advance(1000);
    assert.ok(sent.length > 1);
    for (const message of sent) assert.ok(Buffer.byteLength(message.html) <= maxBytes);
    assert.deepEqual(sent.map((m) => m.reason), ["page", ...Array(sent.length - 1).fill("more")]);
    const names = sent.flatMap((m) => [...parsed(m).querySelectorAll("[data-ad-rendering-role='profile_name']")]);
    assert.equal(names.length, page.expected.reviews.length);
  });

  test("a container larger than the bound is left out, the others are sent", async () => {
    const page = loadFixture("google", "maps_whole_page");
    const cards = page.capture.findContainers(page.document, page.site);
    cards[0].append("x".repeat(60_000));
    const { capturer, sent, time } = capturerOn(page, { limits: { maxBytes: 50_000 } });
    capturer.check();
    await time.advance(1000);
    assert.equal(sent.length, 1);
    assert.ok(!sent[0].html.includes(cards[0].getAttribute("aria-label")));
    assert.ok(sent[0].html.includes(cards[1].getAttribute("aria-label")));
  });

  test("the default bound is 4 MB", () => {
    const page = loadFixture("google", "maps_whole_page");
    assert.equal(page.capture.LIMITS.maxBytes, 4 * 1024 * 1024);
    assert.equal(page.capture.LIMITS.debounceMs, 800);
  });
});

describe("what a capture says about the page", () => {
  test("captured_at is the local time with its offset, and the offset and language come along", async () => {
    const page = loadFixture("google", "maps_list_fragment_es");
    const { capturer, sent, time } = capturerOn(page);
    capturer.check();
    await time.advance(1000);
    const [message] = sent;
    assert.match(message.captured_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    const capturedAt = time.now().getTime() - 200; // 800 ms after the change, to the second
    assert.equal(Date.parse(message.captured_at), Math.floor(capturedAt / 1000) * 1000);
    assert.equal(message.utc_offset_minutes, -new Date(Date.parse(message.captured_at)).getTimezoneOffset());
    assert.equal(message.lang, page.document.documentElement.lang || "en-US");
  });

  test("localIsoTime writes the offset the way ISO 8601 does", () => {
    const page = loadFixture("google", "search_2024");
    const moment = new Date(Date.UTC(2026, 10, 23, 20, 5, 9));
    const written = page.capture.localIsoTime(moment);
    assert.equal(Date.parse(written), moment.getTime());
    const offset = -moment.getTimezoneOffset();
    const sign = offset >= 0 ? "+" : "-";
    const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0");
    const minutes = String(Math.abs(offset) % 60).padStart(2, "0");
    assert.ok(written.endsWith(`${sign}${hours}:${minutes}`));
  });

  test("a page without a lang attribute gives the browser's language", () => {
    const page = loadPage("<html><body></body></html>", "https://www.yelp.com/biz/x", "yelp");
    assert.equal(page.capture.pageLanguage(page.document, { language: "es-MX" }), "es-MX");
  });
});

describe("the context menu's selection", () => {
  test("a selection inside a review sends that review's card, even if it was sent before", async () => {
    const page = loadFixture("yelp", "modern_cards");
    const { capturer, sent, time } = capturerOn(page);
    capturer.check();
    await time.advance(1000);
    const card = page.capture.findContainers(page.document, page.site)[2];
    const range = page.document.createRange();
    range.selectNodeContents(card.querySelector("[class*='comment__']") ?? card);
    const selection = page.window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    await capturer.captureSelection(selection);
    assert.equal(sent.length, 2);
    assert.equal(sent[1].reason, "selection");
    assert.ok(sent[1].html.includes(card.querySelector("a[href*='user_details']").textContent.trim()));
  });

  test("a selection on a page with an unknown layout sends a review-sized block around it", async () => {
    const html = `<html><body><main><section><article class="x1"><a href="/u/1">Pat Q.</a>
      <span role="img" aria-label="2 stars"></span><p>Waited an hour past my appointment time and nobody said why. Front desk was polite though.</p></article>
      <article class="x1"><a href="/u/2">Lee R.</a><p>Great.</p></article></section></main></body></html>`;
    const page = loadPage(html, "https://www.yelp.com/biz/maple", "yelp");
    const { capturer, sent } = capturerOn(page);
    const paragraph = page.document.querySelector("article p");
    const range = page.document.createRange();
    range.setStart(paragraph.firstChild, 5);
    range.setEnd(paragraph.firstChild, 20);
    const selection = page.window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    await capturer.captureSelection(selection);
    assert.equal(sent.length, 1);
    assert.ok(sent[0].html.includes("Pat Q."));
    assert.ok(!sent[0].html.includes("Lee R."));
  });
});
