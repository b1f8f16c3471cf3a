// The review workbench with a fake `api`: hostile text stays text, the cool-down and the checker lock
// copying, the checker's spans are marked, and each button sends what the server expects.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, test } from "node:test";

import { h } from "../workbench/dom.js";
import { attentionOrder } from "../workbench/inbox-list.js";
import { reviewCard } from "../workbench/review-card.js";
import { createWorkbench as createWorkbenchNow, mountWorkbench as mountWorkbenchNow } from "../workbench/workbench.js";
import {
  HOSTILE, REPLY_ADVICE, click, failure, fakeApi, installDom, settle, storedReview, typeInto,
} from "./helpers/workbench-env.js";

const COOLING = { stage: "cooling_down", as_of: "2026-11-23T14:00:00Z", first_viewed_at: "2026-11-23T14:00:00Z",
                  cooldown_ends_at: "2026-11-23T14:30:00Z", cooldown_minutes_left: 30 };
const READY = { stage: "ready", as_of: "2026-11-23T14:30:01Z", first_viewed_at: "2026-11-23T14:00:00Z",
                cooldown_ends_at: "2026-11-23T14:30:00Z", cooldown_minutes_left: 0 };

/** A fake ReviewDesk for review 7: a view starts the cool-down, the checker answers with `check(reply)`. */
function reviewServer({ review = storedReview(), advice = REPLY_ADVICE, candidates = [], check, onEvent } = {}) {
  const server = { review, state: review.state, advice, candidates };
  server.api = fakeApi(({ method, path, body }) => {
    if (method === "GET" && path === "/api/reviews/7") return { review: server.review, state: server.state, history: [], events: [] };
    if (method === "GET" && path === "/api/reviews/7/suggestions") return server.advice;
    if (method === "GET" && path === "/api/reviews/7/matches") return { note: null, candidates: server.candidates };
    if (method === "POST" && path === "/api/reviews/7/match") {
      server.candidates = server.candidates.map((candidate) => candidate.contact_id === body.contact_id
        ? { ...candidate, decision: body.decision === "confirm" ? "confirmed" : "rejected" } : candidate);
      return { note: null, candidates: server.candidates };
    }
    if (method === "POST" && path === "/api/replies/check") return (check ?? (() => ({ allowed: true, violations: [] })))(body.reply);
    if (method === "POST" && path === "/api/reviews/7/events") {
      const answer = onEvent?.(body, server);
      if (answer) return answer;
      if (body.type === "viewed" && server.state.stage === "new") server.state = { ...server.state, ...COOLING };
      return { event_id: server.api.calls.length, state: server.state, warnings: [] };
    }
    return failure(404, "not_found", `no fake route for ${method} ${path}`);
  });
  return server;
}

const $ = (root, selector) => root.querySelector(selector);
const $$ = (root, selector) => [...root.querySelectorAll(selector)];

// Every workbench made by a test is destroyed after it, so no countdown keeps the process alive.
const made = [];
function createWorkbench(options) {
  const workbench = createWorkbenchNow(options);
  made.push(workbench);
  return workbench;
}
async function mountWorkbench(container, options) {
  const workbench = await mountWorkbenchNow(container, options);
  if (workbench) made.push(workbench);
  return workbench;
}

beforeEach(() => installDom());
afterEach(() => made.splice(0).forEach((workbench) => workbench.destroy()));

test("the review card shows hostile review text, names and replies as text", () => {
  const card = reviewCard(storedReview({ text: HOSTILE, reviewer_name: `<b>${HOSTILE}</b>`, owner_reply: { text: HOSTILE, date_text: "<i>x</i>" } }));
  document.body.append(card);
  assert.equal($$(document, "img, script, b, i").length, 0);
  assert.equal($(card, "[data-role=review-text]").textContent, HOSTILE);
  assert.equal($(card, "[data-role=reviewer]").textContent, `<b>${HOSTILE}</b>`);
  assert.ok($(card, "[data-role=owner-reply]").textContent.includes(HOSTILE));
});

test("the card links to the review on its platform only for an http(s) address", () => {
  assert.equal($(reviewCard(storedReview()), "a").href, "https://www.google.com/maps/reviews/7");
  for (const url of ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "//evil.example/x", " vbscript:x", null]) {
    assert.equal($(reviewCard(storedReview({ url })), "a"), null, String(url));
  }
  assert.match($(reviewCard(storedReview({ rating: null, recommends: false })), "[data-role=rating]").textContent, /Doesn't recommend/);
});

test("h() refuses markup as a handler, inline styles and script links", () => {
  assert.throws(() => h("img", { onerror: "alert(1)" }), TypeError);
  assert.throws(() => h("p", { style: "color: red" }), TypeError);
  assert.throws(() => h("a", { href: "javascript:alert(1)" }), TypeError);
  assert.equal(h("p", {}, HOSTILE, 3).textContent, `${HOSTILE}3`);
});

test("opening a workbench logs viewed once, however often it is opened", async () => {
  const server = reviewServer();
  const workbench = createWorkbench({ api: server.api, review: server.review, collapsible: true, hooks: { copyText: async () => {} } });
  document.body.append(workbench.element);
  assert.equal(server.api.calls.length, 0, "a collapsed review is not read yet: nothing is logged");
  click($(workbench.element, "[data-action=open]"));
  await settle();
  workbench.close();
  await workbench.open();
  await workbench.refresh();
  assert.deepEqual(server.api.events(), [{ type: "viewed" }]);
  assert.equal(workbench.element.dataset.loaded, "true");
  assert.equal($(workbench.element, "[data-role=stage]").dataset.stage, "cooling_down");
});

test("copy and insert stay locked during the cool-down and unlock only when the server says it ended", async (t) => {
  // The browser's clock is years off: the countdown must count from the server's moment (as_of).
  t.mock.timers.enable({ apis: ["setTimeout", "setInterval", "Date"], now: Date.parse("2019-05-01T08:00:00Z") });
  const server = reviewServer();
  const copied = [];
  const inserted = [];
  const workbench = await mountWorkbench(document.body, {
    api: server.api, reviewId: 7,
    hooks: { now: () => Date.now(), copyText: async (text) => copied.push(text), insertReply: async (text) => { inserted.push(text); return { ok: true, message: "Inserted." }; } },
  });
  const root = workbench.element;
  const copy = $(root, "[data-action=copy]");
  const insert = $(root, "[data-action=insert]");
  const countdownElement = $(root, "[data-role=countdown]");
  click($(root, "[data-action=use-suggestion]"));
  t.mock.timers.tick(0);
  await settle();
  assert.equal($(root, "[data-role=check-status]").dataset.state, "allowed");
  assert.equal(copy.disabled, true, "the checker allows it, but the cool-down runs");
  assert.equal(insert.disabled, true);
  assert.equal(countdownElement.dataset.state, "running");
  assert.match(countdownElement.textContent, /30:00/);

  t.mock.timers.tick(29 * 60 * 1000);
  await settle();
  assert.match(countdownElement.textContent, /1:00/);
  assert.equal(server.api.calls.filter((call) => call.path === "/api/reviews/7").length, 2, "no re-fetch before zero");

  // At zero the server is asked; it still says cooling down (half a second left): still locked.
  server.state = { ...server.state, as_of: "2026-11-23T14:29:59.500Z" };
  t.mock.timers.tick(60 * 1000);
  await settle();
  assert.equal(server.api.calls.filter((call) => call.path === "/api/reviews/7").length, 3);
  assert.equal(copy.disabled, true);
  click(copy);
  await settle();
  assert.deepEqual(copied, []);

  server.state = { ...server.state, ...READY };
  t.mock.timers.tick(1000);
  await settle();
  assert.equal(countdownElement.dataset.state, "ended");
  assert.equal($(root, "[data-role=stage]").dataset.stage, "ready");
  assert.equal(copy.disabled, false);
  assert.equal(insert.disabled, false);
  click(copy);
  click(insert);
  await settle();
  assert.deepEqual(copied, [REPLY_ADVICE.suggestions[0].text]);
  assert.deepEqual(inserted, [REPLY_ADVICE.suggestions[0].text]);
  workbench.destroy();
});

test("copy stays locked while a check is pending and while the checker blocks", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
  const server = reviewServer({
    review: storedReview({}, READY),
    check: (reply) => (reply.includes("root canal")
      ? { allowed: false, violations: [{ rule: "phi_treatment", severity: "block", message: "Never mention care.", start: 12, end: 22 }] }
      : { allowed: true, violations: [] }),
  });
  const workbench = await mountWorkbench(document.body, { api: server.api, reviewId: 7, hooks: { copyText: async () => {} } });
  const root = workbench.element;
  const copy = $(root, "[data-action=copy]");
  const textarea = $(root, "textarea[data-role=reply]");
  typeInto(textarea, "Thank you for telling us.");
  assert.equal(copy.disabled, true, "pending");
  assert.match($(root, "[data-role=lock-reason]").textContent, /Checking/);
  t.mock.timers.tick(300);
  await settle();
  assert.equal(copy.disabled, false);
  typeInto(textarea, "Sorry about the root canal.");
  t.mock.timers.tick(300);
  await settle();
  assert.equal(copy.disabled, true, "blocked");
  assert.match($(root, "[data-role=lock-reason]").textContent, /Must fix/);
});

test("the checker runs once the typing pauses, and only the latest draft's answer counts", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
  let release;
  const slow = new Promise((resolve) => { release = resolve; });
  const server = reviewServer({
    review: storedReview({}, READY),
    check: async (reply) => (reply === "Thank" ? (await slow, { allowed: true, violations: [] })
      : { allowed: false, violations: [{ rule: "argues_facts", severity: "block", message: "Don't argue.", start: 0, end: 5 }] }),
  });
  const workbench = await mountWorkbench(document.body, { api: server.api, reviewId: 7, hooks: {} });
  const textarea = $(workbench.element, "textarea[data-role=reply]");
  for (const draft of ["T", "Th", "Tha", "Than", "Thank"]) {
    typeInto(textarea, draft);
    t.mock.timers.tick(100);
  }
  t.mock.timers.tick(300);
  await settle();
  const checks = () => server.api.calls.filter((call) => call.path === "/api/replies/check");
  assert.deepEqual(checks().map((call) => call.body), [{ reply: "Thank", review_id: 7 }]);
  typeInto(textarea, "Wrong");
  t.mock.timers.tick(300);
  await settle();
  release();
  await settle();
  assert.equal(checks().length, 2);
  assert.deepEqual($$(workbench.element, "[data-role=violation]").map((item) => item.dataset.rule), ["argues_facts"],
    "the slow answer for the older draft is dropped");
  assert.equal($(workbench.element, "[data-action=copy]").disabled, true);
});

test("an unsafe reply shows each violation with its message and marks its span", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
  const reply = "😡 Sorry about your root canal, Robert. Call 555-123-4567.";
  // The server counts characters as Python does (the emoji is one, not two): "root canal" is 19:29.
  const violations = [
    { rule: "phi_treatment", severity: "block", message: "'root canal' is a treatment: never mention care.", start: 19, end: 29 },
    { rule: "names_reviewer", severity: "block", message: "'Robert' is the reviewer's name.", start: 31, end: 37 },
    { rule: "confirms_patient", severity: "block", message: "'your root canal' confirms a patient.", start: 14, end: 29 },
    { rule: "no_offline_invite", severity: "warn", message: "Invite them to contact the office.", start: 0, end: 57 },
  ];
  const server = reviewServer({ review: storedReview({}, READY), check: () => ({ allowed: false, violations }) });
  const workbench = await mountWorkbench(document.body, { api: server.api, reviewId: 7, hooks: {} });
  const root = workbench.element;
  typeInto($(root, "textarea[data-role=reply]"), reply);
  t.mock.timers.tick(300);
  await settle();
  const items = $$(root, "[data-role=violation]");
  assert.deepEqual(items.map((item) => item.dataset.rule).sort(), ["confirms_patient", "names_reviewer", "no_offline_invite", "phi_treatment"]);
  for (const violation of violations) {
    assert.ok($(root, `[data-role=violation][data-rule=${violation.rule}]`).textContent.includes(violation.message));
  }
  assert.ok($(root, "[data-role=violation][data-rule=phi_treatment]").textContent.includes("“root canal”"));
  const marks = $$(root, "[data-role=marks] mark").map((mark) => [mark.textContent, mark.dataset.rule]);
  assert.deepEqual(marks, [
    ["your ", "confirms_patient"],
    ["root canal", "phi_treatment confirms_patient"],
    ["Robert", "names_reviewer"],
  ]);
  assert.equal($(root, "[data-role=marks]").textContent, reply, "the mirror is the draft itself, only marked");
  assert.equal($(root, "[data-action=copy]").disabled, true);
  click($(root, "[data-role=violation][data-rule=names_reviewer] [data-action=show-span]"));
  const textarea = $(root, "textarea[data-role=reply]");
  assert.equal(reply.slice(textarea.selectionStart, textarea.selectionEnd), "Robert");
});

test("a sentence only the learned layer blocks can be overridden with a reason; a rule's block cannot", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
  const sentence = "Enjoy the beach this summer!";
  const reply = `Thank you for the kind words. ${sentence}`;
  const start = reply.indexOf(sentence);
  const approved = new Set();
  const server = reviewServer({
    review: storedReview({}, READY),
    check: (draft) => {
      const violations = [];
      if (draft.includes(sentence) && !approved.has(sentence)) {
        violations.push({ rule: "confirms_patient", severity: "block", message: "This sentence says something about the reader.",
                          start: draft.indexOf(sentence), end: draft.indexOf(sentence) + sentence.length, learned: true });
      }
      if (draft.includes("Lee")) {
        violations.push({ rule: "names_reviewer", severity: "block", message: "The reviewer's name.", start: draft.indexOf("Lee"),
                          end: draft.indexOf("Lee") + 3, learned: false });
      }
      return { allowed: violations.length === 0, violations };
    },
    onEvent: (event) => {
      if (event.type !== "check_overridden") return null;
      if (event.note === "refuse me") return failure(422, "invalid_value", "This sentence is blocked by the rule names_reviewer.");
      approved.add(event.text);
      return null;
    },
  });
  const workbench = await mountWorkbench(document.body, { api: server.api, reviewId: 7, hooks: { copyText: async () => {} } });
  const root = workbench.element;
  typeInto($(root, "textarea[data-role=reply]"), `${reply} Lee`);
  t.mock.timers.tick(300);
  await settle();
  assert.equal($(root, "[data-role=violation][data-rule=names_reviewer] [data-action=override-check]"), null,
    "a rule's block offers no override");
  const button = $(root, "[data-role=violation][data-rule=confirms_patient] [data-action=override-check]");
  assert.equal(button.textContent, "It is safe: override");
  assert.match(button.getAttribute("aria-label"), /ReviewDesk will stop flagging this sentence; your reason is kept and teaches the checker/);
  assert.match(button.getAttribute("aria-label"), /Enjoy the beach this summer!/);

  typeInto($(root, "textarea[data-role=reply]"), reply);
  t.mock.timers.tick(300);
  await settle();
  const item = () => $(root, "[data-role=violation][data-rule=confirms_patient]");
  assert.equal($(root, "[data-action=copy]").disabled, true);
  click($(item(), "[data-action=override-check]"));
  const form = $(item(), "[data-role=override-form]");
  assert.equal(form.hidden, false);
  assert.equal($(item(), "[data-action=override-check]").getAttribute("aria-expanded"), "true");
  assert.match(form.textContent, /ReviewDesk will stop flagging this sentence/);
  click($(form, "[data-action=save-override]"));
  await settle();
  assert.deepEqual(server.api.events(), [{ type: "viewed" }], "no reason: nothing is logged");
  assert.equal($(form, "[data-role=override-reason]").getAttribute("aria-invalid"), "true");
  assert.equal($(form, "[data-role=override-error]").hidden, false);

  $(form, "[data-role=override-reason]").value = "refuse me";
  click($(form, "[data-action=save-override]"));
  await settle();
  assert.match($(form, "[data-role=override-error]").textContent, /blocked by the rule/, "the server's refusal is shown in the editor");
  assert.ok(item(), "still blocked");

  $(form, "[data-role=override-reason]").value = "A public event they posted about";
  click($(form, "[data-action=save-override]"));
  await settle();
  assert.deepEqual(server.api.events().at(-1),
    { type: "check_overridden", reply, text: sentence, note: "A public event they posted about" });
  assert.equal(reply.slice(start, start + sentence.length), sentence);
  t.mock.timers.tick(0);
  await settle();
  assert.equal(item(), null, "checked again at once: the block is gone");
  assert.equal($(root, "[data-role=check-status]").dataset.state, "allowed");
  assert.equal($(root, "[data-action=copy]").disabled, false, "copying unlocks");
  assert.match($(root, "[data-role=override-note]").textContent, /no longer flags “Enjoy the beach this summer!”/);
  workbench.destroy();
});

test("hostile text in a reply's violation message and a suggestion stays text", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
  const server = reviewServer({
    review: storedReview({}, READY),
    advice: { ...REPLY_ADVICE, reason: HOSTILE, suggestions: [{ text: HOSTILE, violations: [] }] },
    check: () => ({ allowed: false, violations: [{ rule: HOSTILE, severity: "block", message: HOSTILE, start: 0, end: 3 }] }),
  });
  const workbench = await mountWorkbench(document.body, { api: server.api, reviewId: 7, hooks: {} });
  click($(workbench.element, "[data-action=use-suggestion]"));
  t.mock.timers.tick(0);
  await settle();
  assert.equal($$(document, "img, script").length, 0);
  assert.ok($(workbench.element, "[data-role=suggestion]").textContent.includes(HOSTILE));
});

test("“I posted it” logs the reply's text and moves the review on", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
  const server = reviewServer({
    review: storedReview({}, READY),
    onEvent: (event, fake) => {
      if (event.type !== "replied") return null;
      fake.state = { ...fake.state, stage: "follow_up", replied_at: "2026-11-23T15:00:00Z", followup_due_at: "2026-11-25T15:00:00Z",
                     followup_assignee: "our office manager" };
      return { event_id: 9, state: fake.state, warnings: [] };
    },
  });
  const workbench = await mountWorkbench(document.body, { api: server.api, reviewId: 7, hooks: {} });
  const root = workbench.element;
  typeInto($(root, "textarea[data-role=reply]"), "Thank you for the feedback; please call our office manager.");
  t.mock.timers.tick(300); // "I posted it" waits for the checker, as Copy does
  await settle();
  click($(root, "[data-action=posted]"));
  await settle();
  assert.deepEqual(server.api.events().at(-1), { type: "replied", text: "Thank you for the feedback; please call our office manager." });
  assert.equal($(root, "[data-role=stage]").dataset.stage, "follow_up");
  assert.equal($(root, "[data-action=copy]"), null, "replied: nothing left to copy");
  assert.equal($(root, "[data-role=follow-up]").hidden, false);
  assert.match($(root, "[data-role=message]").textContent, /Logged as replied/);
});

test("a 409 for “I posted it” still shows the server's refusal, and takes the server's cool-down", async (t) => {
  // The panel thought the cool-down was over (its `viewed` had waited in the toolbar, say); the server disagrees.
  t.mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
  const refusal = "Wait before replying: the cool-down has 12 more minutes.";
  const server = reviewServer({
    review: storedReview({}, READY),
    onEvent: (event, fake) => {
      if (event.type !== "replied") return null;
      fake.state = { ...fake.state, ...COOLING };
      return failure(409, "cooldown", refusal);
    },
  });
  const workbench = await mountWorkbench(document.body, { api: server.api, reviewId: 7, hooks: {} });
  const root = workbench.element;
  typeInto($(root, "textarea[data-role=reply]"), "Thank you.");
  t.mock.timers.tick(300);
  await settle();
  click($(root, "[data-action=posted]"));
  await settle();
  const message = $(root, "[data-role=message]");
  assert.equal(message.textContent, refusal);
  assert.equal(message.dataset.kind, "error");
  assert.equal($(root, "[data-role=stage]").dataset.stage, "cooling_down");
  assert.equal($(root, "[data-action=posted]").disabled, true, "locked again, like Copy");
  assert.equal($(root, "[data-action=copy]").disabled, true);
  assert.match($(root, "[data-role=lock-reason]").textContent, /cool-down/);
  workbench.destroy();
});

for (const [action, detail] of [["do_not_reply", "report_path"], ["escalate", "notify"]]) {
  test(`a ${action} review offers no reply to copy, and says ${detail === "notify" ? "who sees it first" : "how to report it"}`, async () => {
    const advice = {
      ...REPLY_ADVICE, action, reason: "Not one to answer.", suggestions: [],
      notify: action === "escalate" ? "the practice owner" : null,
      report_path: action === "do_not_reply" ? "Open the review, choose Report review." : null,
      triage: { ...REPLY_ADVICE.triage, action }, category: action === "escalate" ? "legal" : "harassment", evidence: ["sue you"],
    };
    const server = reviewServer({ advice });
    const workbench = await mountWorkbench(document.body, { api: server.api, reviewId: 7, hooks: { insertReply: async () => ({ ok: true }) } });
    const root = workbench.element;
    for (const selector of ["[data-action=copy]", "[data-action=insert]", "[data-action=posted]", "textarea[data-role=reply]",
                            "[data-action=use-suggestion]"]) {
      assert.equal($(root, selector), null, selector);
    }
    assert.equal($(root, "[data-role=triage]").dataset.triage, action);
    const shown = detail === "notify" ? "[data-role=triage-notify]" : "[data-role=triage-report-path]";
    assert.ok($(root, shown).textContent.includes(advice[detail]));
    assert.match($(root, "[data-role=triage-category]").textContent, new RegExp(advice.category));
    assert.match($(root, "[data-role=triage-evidence]").textContent, /sue you/);
    const closing = action === "escalate" ? "escalated" : "reported";
    click($(root, `[data-action=${closing}]`));
    await settle();
    assert.deepEqual(server.api.events().at(-1), { type: closing });
    workbench.destroy();
  });
}

test("changing the decision needs a decision with its category and a reason, then logs triage_changed and shows it", async () => {
  const server = reviewServer({
    onEvent: (event, fake) => {
      if (event.type !== "triage_changed") return null;
      fake.advice = { ...REPLY_ADVICE, action: event.action, category: "genuine", suggestions: [],
                      triage: { ...REPLY_ADVICE.triage, category: "genuine" },
                      staff_decision: { action: event.action, category: event.category, reason: event.note, staff: null,
                                        at: "2026-11-23T14:05:00Z" } };
      return { event_id: 5, state: fake.state, warnings: [] };
    },
  });
  server.advice = { ...REPLY_ADVICE, category: "genuine", triage: { ...REPLY_ADVICE.triage, category: "genuine" } };
  const workbench = await mountWorkbench(document.body, { api: server.api, reviewId: 7, hooks: {} });
  const root = workbench.element;
  assert.ok($(root, "[data-action=copy]"), "a reply review can be copied once allowed");
  assert.equal($(root, "[data-role=triage-category]").textContent, "Category: genuine review");
  click($(root, "[data-action=change-triage]"));
  const choice = $(root, "[data-role=triage-choice]");
  assert.deepEqual([...choice.querySelectorAll("optgroup")].map((group) => group.label), ["Do not reply", "Escalate"]);
  const options = [...choice.options].map((option) => [option.value, option.textContent]);
  assert.deepEqual(options[0], ["", "Choose the new decision…"]);
  assert.ok(!options.some(([value]) => value === "reply:genuine"), "the current decision is not offered");
  assert.equal(options.length, 1 + 6 + 7);
  assert.ok(options.some(([value, text]) => value === "escalate:violence" && text === "Escalate — violence"));
  assert.ok(options.some(([value, text]) => value === "do_not_reply:spam" && text === "Do not reply — spam or advertising"));
  assert.equal($(root, "optgroup[label=Escalate] option[value='escalate:clinical_harm']").textContent, "Escalate — clinical harm");

  $(root, "[data-role=triage-reason]").value = "He threatened the front desk";
  click($(root, "[data-action=save-triage]"));
  await settle();
  assert.deepEqual(server.api.events(), [{ type: "viewed" }], "no decision chosen: nothing is logged");
  assert.equal(choice.getAttribute("aria-invalid"), "true");
  assert.equal($(root, "[data-role=triage-error]").hidden, false);

  choice.value = "escalate:violence";
  $(root, "[data-role=triage-reason]").value = "   ";
  click($(root, "[data-action=save-triage]"));
  await settle();
  assert.deepEqual(server.api.events(), [{ type: "viewed" }], "no reason: nothing is logged");
  assert.equal($(root, "[data-role=triage-reason]").getAttribute("aria-invalid"), "true");

  $(root, "[data-role=triage-reason]").value = "He threatened the front desk";
  click($(root, "[data-action=save-triage]"));
  await settle();
  assert.deepEqual(server.api.events().at(-1),
    { type: "triage_changed", action: "escalate", category: "violence", note: "He threatened the front desk" });
  assert.equal($(root, "[data-role=triage]").dataset.triage, "escalate");
  assert.equal($(root, "[data-role=triage-category]").dataset.category, "violence");
  const decided = $(root, "[data-role=triage-staff-decision]").textContent;
  assert.match(decided, /Escalate — violence/);
  assert.match(decided, /He threatened the front desk/);
  assert.match(decided, /The triage said: Reply — genuine review\./);
  assert.equal($(root, "[data-action=copy]"), null, "escalated now: nothing to copy");
  click($(root, "[data-action=change-triage]"));
  assert.ok(!$$(root, "[data-role=triage-choice] option").some((option) => option.value === "escalate:violence"));
  assert.ok($$(root, "[data-role=triage-choice] option").some((option) => option.value === "escalate:legal"),
    "another category of the same action can be chosen");
  workbench.destroy();
});

test("match candidates show confidence, reasons and activity, and confirm/reject send the decision", async () => {
  const candidates = [
    { contact_id: 41, name: "Robert Smith", score: 0.93, confidence: "high", reasons: ["same first and last name", HOSTILE],
      activities: [{ type: "appointment", at: "2026-11-20T15:00:00Z", summary: "Cleaning", staff: "Dr. Lee" }], decision: null },
    { contact_id: 42, name: "Bob Smith", score: 0.6, confidence: "low", reasons: ["Bob is a nickname of Robert"], activities: [], decision: null },
  ];
  const server = reviewServer({ candidates });
  const workbench = await mountWorkbench(document.body, { api: server.api, reviewId: 7, hooks: {} });
  const root = workbench.element;
  const list = $(root, "[data-role=candidates]");
  assert.equal(list.dataset.loaded, "true");
  const first = $(list, "[data-contact-id='41']");
  assert.equal(first.dataset.confidence, "high");
  assert.match(first.textContent, /High confidence/);
  assert.ok(first.textContent.includes(HOSTILE));
  assert.match(first.textContent, /Cleaning/);
  click($(first, "[data-action=confirm]"));
  await settle();
  click($(list, "[data-contact-id='42'] [data-action=reject]"));
  await settle();
  const decisions = server.api.calls.filter((call) => call.path === "/api/reviews/7/match").map((call) => call.body);
  assert.deepEqual(decisions, [{ contact_id: 41, decision: "confirm" }, { contact_id: 42, decision: "reject" }]);
  assert.equal($(list, "[data-contact-id='41']").dataset.decision, "confirmed");
  assert.equal($(list, "[data-contact-id='41'] [data-action=confirm]").disabled, true);
  assert.equal($(list, "[data-contact-id='42']").dataset.decision, "rejected");
});

test("the follow-up logs a call with its outcome and note, then resolved or not", async () => {
  const server = reviewServer({
    review: storedReview({}, { stage: "follow_up", replied_at: "2026-11-23T15:00:00Z", followup_due_at: "2026-11-25T15:00:00Z" }),
    onEvent: (event, fake) => {
      if (event.type !== "followup_call") return null;
      fake.state = { ...fake.state, calls: fake.state.calls + 1 };
      return { event_id: 3, state: fake.state, warnings: ["Never ask for the review to be removed."] };
    },
  });
  const workbench = await mountWorkbench(document.body, { api: server.api, reviewId: 7, hooks: {} });
  const root = workbench.element;
  assert.equal($(root, "[data-action=copy]"), null);
  $(root, "[data-role=call-outcome][value=voicemail]").checked = true;
  $(root, "[data-role=call-note]").value = "Left a message with our number";
  click($(root, "[data-action=call]"));
  await settle();
  click($(root, "[data-action=resolved]"));
  await settle();
  click($(root, "[data-action=not-resolved]"));
  await settle();
  assert.deepEqual(server.api.events().slice(1), [
    { type: "followup_call", outcome: "voicemail", note: "Left a message with our number" },
    { type: "resolved" },
    { type: "not_resolved" },
  ]);
  assert.match($(root, "[data-role=follow-up-due]").textContent, /1 call logged/);
  assert.equal($(root, "[data-role=call-note]").value, "", "the note is cleared once logged");
});

test("reviews are listed overdue first, then new, ready, cooling down and the rest", () => {
  const review = (id, stage, extra = {}) => ({ id, state: { stage, ...extra } });
  const ordered = attentionOrder([
    review(1, "replied"), review(2, "cooling_down"), review(3, "ready"), review(4, "new"), review(5, "overdue"),
    review(6, "cooling_down", { overdue: true }), review(7, "follow_up", { followup_overdue: true }), review(8, "new"),
    review(9, "ignored"), review(10, "escalated"),
  ]);
  assert.deepEqual(ordered.map((each) => each.id), [5, 6, 7, 4, 8, 3, 2, 10, 1, 9]);
});

test("the server's attention groups come first: an escalation leads even a list of overdue reviews", () => {
  const review = (id, stage, attention) => ({ id, attention, state: { stage } });
  const ordered = attentionOrder([
    review(1, "overdue", "overdue"), review(2, "new", "escalate"), review(3, "ready", "ready"), review(4, "new", "new"),
    review(5, "follow_up", "overdue"),
  ]);
  assert.deepEqual(ordered.map((each) => each.id), [2, 1, 5, 4, 3]);
});

test("a review that cannot be loaded says why", async () => {
  const api = fakeApi(() => failure(404, "not_found", "There is no review 7."));
  const workbench = await mountWorkbench(document.body, { api, reviewId: 7 });
  assert.equal(workbench, null);
  assert.equal(document.body.textContent, "There is no review 7.");
});

test("an event kept by the toolbar while the server is down is reported as waiting", async () => {
  const server = reviewServer({ review: storedReview({}, READY) });
  const api = async (method, path, body) => (path.endsWith("/events") ? { ok: true, queued: true, data: null } : server.api(method, path, body));
  const workbench = await mountWorkbench(document.body, { api, reviewId: 7, hooks: {} });
  click($(workbench.element, "[data-action=ignored]"));
  await settle();
  assert.match($(workbench.element, "[data-role=message]").textContent, /sent when ReviewDesk's server is back/);
});

test("a list update keeps the open review, its draft and the focus, and adds the new reviews in order", async () => {
  const { inboxList } = await import("../workbench/inbox-list.js");
  const server = reviewServer({ review: storedReview({}, READY) });
  const list = inboxList({ api: server.api, reviews: [storedReview({}, READY)], hooks: {} });
  document.body.append(list.element);
  await list.open(7);
  made.push(list);
  const textarea = $(list.element, "textarea[data-role=reply]");
  textarea.focus();
  typeInto(textarea, "Thank you for writing");
  textarea.setSelectionRange(6, 9);
  list.update([storedReview({ id: 8 }, { stage: "overdue", overdue: true }), storedReview({}, READY), storedReview({ id: 9 })]);
  assert.deepEqual($$(list.element, "[data-review-id]").map((element) => element.dataset.reviewId), ["8", "9", "7"]);
  assert.equal($(list.element, "textarea[data-role=reply]"), textarea);
  assert.equal(textarea.value, "Thank you for writing");
  assert.equal(document.activeElement, textarea);
  assert.deepEqual([textarea.selectionStart, textarea.selectionEnd], [6, 9]);
  list.update([storedReview({ id: 9 })]);
  assert.deepEqual($$(list.element, "[data-review-id]").map((element) => element.dataset.reviewId), ["9"]);
  assert.deepEqual(server.api.events(), [{ type: "viewed" }]);
});

// --- what a user saw in the panel's screenshots -------------------------------------------------------

const REPLIED_AT = "2026-11-23T15:00:00Z";
const FOLLOW_UP = { stage: "follow_up", replied_at: REPLIED_AT, followup_due_at: "2026-11-25T15:00:00Z", followup_assignee: "our office manager" };

/** Whether `element` is in the document and neither it nor a parent is hidden. */
function shown(element) {
  if (!element?.isConnected) return false;
  for (let node = element; node; node = node.parentElement) if (node.hidden) return false;
  return true;
}

test("an opened review shows its headline (platform, stars, name, date) once, in its header", async () => {
  const { inboxList } = await import("../workbench/inbox-list.js");
  const server = reviewServer({ review: storedReview({}, READY) });
  const list = inboxList({ api: server.api, reviews: [server.review], hooks: {} });
  made.push(list);
  document.body.append(list.element);
  await list.open(7);
  const once = (root, when) => {
    for (const selector of [".wb-meta", "[data-role=reviewer]", "[data-role=rating]", ".wb-platform", ".wb-date"]) {
      assert.equal($$(root, selector).filter(shown).length, 1, `${selector} ${when}`);
    }
    assert.ok($(root, "header").contains($(root, "[data-role=reviewer]")), `the headline is the header's ${when}`);
    assert.equal(root.textContent.split("Robert Smith").length - 1, 1, `the name is written once ${when}`);
  };
  const root = $(list.element, "[data-review-id='7']");
  once(root, "once opened");
  list.update([storedReview({}, READY)]); // a list update sets the review again
  await settle();
  once(root, "after a list update");

  const page = document.createElement("div"); // the dashboard's workbench (not collapsible)
  document.body.append(page);
  const single = await mountWorkbench(page, { api: server.api, reviewId: 7, hooks: {} });
  once(single.element, "on the dashboard");
});

test("the follow-up call is offered only when the server says one is due, and kept afterwards only if calls were made", async () => {
  const cases = [
    [{ rating: 5 }, { stage: "replied", replied_at: REPLIED_AT }, false, "a replied 5-star review has no follow-up"],
    [{}, FOLLOW_UP, true, "a replied 1-star review: the call is due"],
    [{}, { ...FOLLOW_UP, stage: "resolved", calls: 0 }, false, "resolved without a call: nothing to keep"],
    [{}, { ...FOLLOW_UP, stage: "closed", calls: 0 }, false, "closed without a call: nothing to keep"],
    [{}, { ...FOLLOW_UP, stage: "resolved", calls: 2 }, true, "resolved after calls: their history stays"],
    [{}, { ...FOLLOW_UP, stage: "closed", calls: 1 }, true, "closed after a call: its history stays"],
  ];
  for (const [review, state, expected, why] of cases) {
    const server = reviewServer({ review: storedReview(review, state) });
    const page = document.createElement("div");
    document.body.append(page);
    const workbench = await mountWorkbench(page, { api: server.api, reviewId: 7, hooks: {} });
    assert.equal(shown($(workbench.element, "[data-role=follow-up]")), expected, why);
  }
  const history = $$(document, "[data-role=follow-up]").filter(shown).map((section) => $(section, "[data-role=follow-up-due]").textContent);
  assert.match(history[1], /^Marked resolved\. 2 calls logged\.$/, "no call is said to be due once resolved");
  assert.match(history[2], /^Marked not resolved\. 1 call logged\.$/);
  const controls = $$(document, "[data-role=follow-up]").filter(shown).map((section) => $(section, "[data-role=follow-up-controls]").hidden);
  assert.deepEqual(controls, [false, true, true], "a finished follow-up shows its history, not the buttons to log a call");
});

test("“I posted it” is locked like Copy: during the cool-down, while a check is pending and while the checker blocks", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
  const server = reviewServer({
    check: (reply) => (reply.includes("root canal")
      ? { allowed: false, violations: [{ rule: "phi_treatment", severity: "block", message: "Never mention care.", start: 12, end: 22 }] }
      : { allowed: true, violations: [] }),
    onEvent: (event, fake) => {
      if (event.type !== "replied") return null;
      fake.state = { ...fake.state, stage: "replied", replied_at: REPLIED_AT };
      return { event_id: 9, state: fake.state, warnings: [] };
    },
  });
  const workbench = await mountWorkbench(document.body, { api: server.api, reviewId: 7, hooks: { copyText: async () => {} } });
  const root = workbench.element;
  const copy = $(root, "[data-action=copy]");
  const posted = $(root, "[data-action=posted]");
  const reason = $(root, "[data-role=lock-reason]");
  const textarea = $(root, "textarea[data-role=reply]");
  const replies = () => server.api.events().filter((event) => event.type === "replied");
  assert.equal(posted.getAttribute("aria-describedby"), reason.id, "the same visible reason as Copy");

  typeInto(textarea, "Thank you for telling us.");
  t.mock.timers.tick(300);
  await settle();
  assert.equal($(root, "[data-role=check-status]").dataset.state, "allowed");
  assert.equal($(root, "[data-role=stage]").dataset.stage, "cooling_down");
  assert.deepEqual([copy.disabled, posted.disabled], [true, true], "the cool-down runs");
  assert.ok(shown(reason));
  assert.match(reason.textContent, /cool-down/);
  posted.disabled = false; // even if it were clicked anyway, nothing is sent to be refused
  click(posted);
  await settle();
  assert.deepEqual(replies(), []);

  server.state = { ...server.state, ...READY };
  click($(root, "[data-role=countdown] [data-action=recheck]"));
  await settle();
  assert.equal($(root, "[data-role=stage]").dataset.stage, "ready");
  assert.deepEqual([copy.disabled, posted.disabled], [false, false], "the cool-down is over and the checker allows it");
  assert.equal(shown(reason), false);

  typeInto(textarea, "Sorry about the root canal.");
  assert.deepEqual([copy.disabled, posted.disabled], [true, true], "a check is pending");
  assert.match(reason.textContent, /Checking/);
  t.mock.timers.tick(300);
  await settle();
  assert.deepEqual([copy.disabled, posted.disabled], [true, true], "the checker blocks");
  assert.match(reason.textContent, /Must fix/);

  typeInto(textarea, "Thank you for telling us.");
  t.mock.timers.tick(300);
  await settle();
  assert.deepEqual([copy.disabled, posted.disabled], [false, false]);
  click(posted);
  await settle();
  assert.deepEqual(replies(), [{ type: "replied", text: "Thank you for telling us." }]);
  assert.ok(shown($(root, "[data-role=message]")), "“Logged as replied.” stays readable once the reply section goes");
  assert.match($(root, "[data-role=message]").textContent, /Logged as replied/);
});

test("a message sits under the buttons it is about and never covers them", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
  const style = document.createElement("style");
  style.textContent = readFileSync(new URL("../workbench/workbench.css", import.meta.url), "utf8");
  document.head.append(style);
  const server = reviewServer({ review: storedReview({}, READY) });
  const workbench = await mountWorkbench(document.body, { api: server.api, reviewId: 7, hooks: { copyText: async () => {} } });
  const root = workbench.element;
  click($(root, "[data-action=use-suggestion]"));
  t.mock.timers.tick(0);
  await settle();
  click($(root, "[data-action=copy]"));
  await settle();
  const message = $(root, "[data-role=message]");
  assert.match(message.textContent, /Copied/);
  const actionRow = $(root, "[data-action=posted]").parentElement;
  assert.equal(message.previousElementSibling, actionRow, "right under Copy / Insert / I posted it");
  const { position } = window.getComputedStyle(message);
  assert.ok(!["sticky", "fixed", "absolute"].includes(position), `a message is laid out in the flow, not over it (${position})`);

  // Resolved without a call: the follow-up section goes (nothing to keep), its message stays readable.
  const followServer = reviewServer({
    review: storedReview({}, FOLLOW_UP),
    onEvent: (event, fake) => {
      if (event.type !== "resolved") return null;
      fake.state = { ...fake.state, stage: "resolved" };
      return { event_id: 4, state: fake.state, warnings: [] };
    },
  });
  const page = document.createElement("div");
  document.body.append(page);
  const follow = await mountWorkbench(page, { api: followServer.api, reviewId: 7, hooks: {} });
  click($(follow.element, "[data-action=resolved]"));
  await settle();
  const followMessage = $(follow.element, "[data-role=message]");
  assert.equal(shown($(follow.element, "[data-role=follow-up]")), false);
  assert.ok(shown(followMessage));
  assert.equal(followMessage.textContent, "Marked resolved.");
});

test("once replied, the triage block says what happened instead of asking for a reply", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
  const server = reviewServer({
    review: storedReview({}, READY),
    onEvent: (event, fake) => {
      if (event.type !== "replied") return null;
      fake.state = { ...fake.state, ...FOLLOW_UP };
      return { event_id: 9, state: fake.state, warnings: [] };
    },
  });
  const workbench = await mountWorkbench(document.body, { api: server.api, reviewId: 7, hooks: {} });
  const root = workbench.element;
  const triage = $(root, "[data-role=triage]");
  assert.equal($(triage, "[data-role=triage-action-name]").textContent, "Reply, after the cool-down");
  typeInto($(root, "textarea[data-role=reply]"), "Thank you for telling us.");
  t.mock.timers.tick(300);
  await settle();
  click($(root, "[data-action=posted]"));
  await settle();
  assert.equal(triage.dataset.outcome, "follow_up");
  assert.equal($(triage, "h3").textContent, "What happened");
  assert.equal($(triage, "[data-role=triage-action-name]"), null);
  assert.doesNotMatch(triage.textContent, /after the cool-down|Reply calmly/);
  assert.match($(triage, "[data-role=triage-outcome]").textContent, /^Replied on .+; follow-up call due .+ \(our office manager\)\.$/);
  assert.equal(shown($(triage, "[data-action=change-triage]")), false, "nothing left to decide");

  for (const [state, headline] of [
    [{ stage: "replied", replied_at: REPLIED_AT }, /^Replied on .+\.$/],
    [{ ...FOLLOW_UP, stage: "resolved", calls: 1 }, /^Resolved\.$/],
    [{ ...FOLLOW_UP, stage: "closed", calls: 2 }, /^Closed: not resolved\.$/],
  ]) {
    const page = document.createElement("div");
    document.body.append(page);
    const answered = await mountWorkbench(page, { api: reviewServer({ review: storedReview({}, state) }).api, reviewId: 7, hooks: {} });
    const block = $(answered.element, "[data-role=triage]");
    assert.match($(block, "[data-role=triage-outcome]").textContent, headline, state.stage);
    assert.doesNotMatch(block.textContent, /after the cool-down/, state.stage);
    if (state.stage !== "replied") assert.match($(block, "[data-role=triage-outcome-detail]").textContent, /^Replied on .+; \d calls? logged\.$/);
  }
});
