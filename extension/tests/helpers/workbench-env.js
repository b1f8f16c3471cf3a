// For the workbench and panel tests: a jsdom document as the global one, a fake `api` that records
// every call, and a way to let pending promises settle.

import { JSDOM } from "jsdom";

/** Makes a fresh jsdom document the global `document` (and `window`); returns the JSDOM. */
export function installDom(html = "<!doctype html><html><body></body></html>", { url = "https://reviewdesk.test/panel.html" } = {}) {
  const dom = new JSDOM(html, { url });
  globalThis.window = dom.window;
  globalThis.document = dom.window.document;
  return dom;
}

/** Lets every promise chain that can move do so (several macrotask turns; setImmediate is never mocked here). */
export async function settle(turns = 6) {
  for (let turn = 0; turn < turns; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** A fake `api(method, path, body)`: `respond(call)` answers `{ok, status, data}` (or data alone); calls are recorded. */
export function fakeApi(respond) {
  const calls = [];
  async function api(method, path, body) {
    const call = { method, path, body };
    calls.push(call);
    const answer = await respond(call);
    if (answer && typeof answer === "object" && "ok" in answer && "status" in answer) return answer;
    return { ok: true, status: 200, data: { ok: true, ...(answer ?? {}) } };
  }
  api.calls = calls;
  api.events = () => calls.filter((call) => call.method === "POST" && /\/events$/.test(call.path)).map((call) => call.body);
  return api;
}

export function failure(status, error, message) {
  return { ok: false, status, data: { ok: false, error, message } };
}

export function typeInto(textarea, text) {
  textarea.value = text;
  textarea.dispatchEvent(new globalThis.window.Event("input", { bubbles: true }));
}

export function click(element) {
  element.dispatchEvent(new globalThis.window.MouseEvent("click", { bubbles: true, cancelable: true }));
}

export const HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script>";

/** A stored review as the API lists it, with its state. */
export function storedReview(overrides = {}, stateOverrides = {}) {
  return {
    id: 7, platform: "google", reviewer_name: "Robert Smith", rating: 1, recommends: null,
    text: "The root canal hurt and nobody listened.", date_text: "a week ago", edited: false, text_truncated: false,
    url: "https://www.google.com/maps/reviews/7", owner_reply: null, first_seen_at: "2026-11-23T13:00:00Z",
    ...overrides,
    state: {
      stage: "new", as_of: "2026-11-23T14:00:00Z", first_seen_at: "2026-11-23T13:00:00Z", first_viewed_at: null,
      cooldown_ends_at: null, cooldown_minutes_left: 0, reply_due_at: "2026-11-24T13:00:00Z", overdue: false,
      replied_at: null, replied_before_cooldown: false, followup_due_at: null, followup_assignee: null,
      followup_overdue: false, calls: 0, ...stateOverrides,
    },
  };
}

export const REPLY_ADVICE = {
  action: "reply", sentiment: "negative", reason: "Reply calmly after the cool-down.", notify: null, report_path: null,
  triage: { action: "reply", sentiment: "negative", reason: "Reply calmly after the cool-down.", notify: null, report_path: null },
  staff_decision: null,
  suggestions: [
    { text: "We're sorry this fell short. Please contact our office manager directly.", violations: [] },
    { text: "Thank you for telling us. Please call our office manager.", violations: [] },
  ],
};
