// The cool-down countdown (W1). The time left is the server's: `cooldown_ends_at - as_of` when the
// state was fetched, counted down on this computer from then (its clock may be wrong; only the
// elapsed time is used). At zero the server is asked again, and the cool-down ends only when the
// server says the review is no longer cooling down.

import { call, reviewPath } from "./api.js";
import { h, replaceContent } from "./dom.js";
import { clockDuration, failureMessage } from "./format.js";

const RECHECK_AFTER_MS = 1000; // the server still says cooling down at zero: ask again after this
const MAX_RETRY_MS = 30000; // the server cannot be reached: back off up to this

function monotonicNow() {
  return globalThis.performance?.now?.() ?? Date.now();
}

/** Milliseconds of cool-down left in a state, by the server's own clock (0 when not cooling down). */
export function cooldownLeft(state) {
  if (state?.stage !== "cooling_down") return 0;
  const ends = Date.parse(state.cooldown_ends_at);
  const asOf = Date.parse(state.as_of);
  if (Number.isNaN(ends) || Number.isNaN(asOf)) return RECHECK_AFTER_MS;
  return Math.max(0, ends - asOf);
}

/**
 * `[data-role=countdown]` for one review: `{element, update(state), recheck(), destroy(), running()}`.
 * `data-state` is `idle` (no cool-down), `running`, `checking` (asking the server) or `ended`.
 * `onState(state)` gets each state fetched from the server; `onEnded(state)` the one that ends it.
 * `now()` gives milliseconds (default: the monotonic `performance.now`, which a change of the
 * computer's clock does not move); only differences between its values are used.
 */
export function countdown({ api, reviewId, state, now = monotonicNow, onState = () => {}, onEnded = () => {} }) {
  const clock = h("span", { class: "wb-clock", "data-role": "countdown-clock" });
  const caption = h("span", { class: "wb-countdown-caption" });
  const recheckButton = h("button", { type: "button", class: "wb-link-button", "data-action": "recheck",
                                       onclick: () => recheck() }, "Check again");
  const element = h("div", { class: "wb-countdown", "data-role": "countdown", role: "timer", "aria-live": "off",
                              "data-state": "idle", hidden: true }, caption, " ", clock, " ", recheckButton);
  let timer = null;
  let leftAtStart = 0;
  let startedAt = 0;
  let retryDelay = 2000;
  let checking = false;
  let destroyed = false;

  const left = () => leftAtStart - (now() - startedAt);

  function show(stateName, captionText, clockText = "") {
    element.dataset.state = stateName;
    element.hidden = stateName === "idle";
    replaceContent(caption, captionText);
    replaceContent(clock, clockText);
    recheckButton.hidden = stateName !== "running";
  }

  function schedule(delay) {
    globalThis.clearTimeout(timer);
    if (!destroyed) timer = globalThis.setTimeout(tick, Math.max(0, delay));
  }

  function tick() {
    const remaining = left();
    if (remaining <= 0) {
      recheck();
      return;
    }
    show("running", "Cool-down: you can reply in", clockDuration(remaining));
    element.dataset.remainingSeconds = String(Math.ceil(remaining / 1000));
    schedule(remaining % 1000 || 1000);
  }

  async function recheck() {
    if (checking || destroyed) return;
    checking = true;
    globalThis.clearTimeout(timer);
    show("checking", "Checking with ReviewDesk that the cool-down is over…");
    const result = await call(api, "GET", reviewPath(reviewId));
    checking = false;
    if (destroyed) return;
    if (!result.ok || !result.data?.state) {
      show("checking", `Could not check the cool-down (${failureMessage(result)}); trying again shortly.`);
      schedule(retryDelay);
      retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MS);
      return;
    }
    retryDelay = 2000;
    update(result.data.state, { minimum: RECHECK_AFTER_MS });
    onState(result.data.state, result.data);
  }

  let shownKey = null;

  function update(next, { minimum = 0 } = {}) {
    const key = `${next?.stage}|${next?.as_of}|${next?.cooldown_ends_at}`;
    if (key === shownKey && !minimum) return; // the same state again (the caller passing on what it was given)
    shownKey = key;
    globalThis.clearTimeout(timer);
    if (next?.stage === "cooling_down") {
      leftAtStart = Math.max(cooldownLeft(next), minimum);
      startedAt = now();
      tick();
      return;
    }
    const wasCounting = element.dataset.state !== "idle" && element.dataset.state !== "ended";
    delete element.dataset.remainingSeconds;
    if (wasCounting) {
      show("ended", "The cool-down is over. Reread the review once more, then reply calmly.");
      onEnded(next);
    } else {
      show(element.dataset.state === "ended" ? "ended" : "idle", element.dataset.state === "ended" ?
        "The cool-down is over. Reread the review once more, then reply calmly." : "");
    }
  }

  update(state);
  return {
    element,
    update: (next) => update(next),
    recheck,
    running: () => element.dataset.state === "running" || element.dataset.state === "checking",
    destroy() {
      destroyed = true;
      globalThis.clearTimeout(timer);
    },
  };
}
