// Writing the reply: suggestions fill the editor, the checker runs as staff type, the cool-down
// counts down, "Copy reply", "Insert into the reply box" and "I posted it" stay locked during the
// cool-down and while the checker blocks (one reason shown for all three), and "I posted it" logs the
// reply that went out.

import { call, logReviewEvent, reviewPath } from "./api.js";
import { countdown } from "./countdown.js";
import { h, replaceContent, uniqueId } from "./dom.js";
import { replyEditor } from "./reply-editor.js";
import { replyLock } from "./reply-lock.js";
import { suggestionList } from "./suggestions.js";

async function copyWithClipboard(text) {
  await globalThis.navigator.clipboard.writeText(text);
}

/**
 * `{element, update(state, advice), destroy()}` for one review. `hooks.copyText(text)` (default: the
 * clipboard), `hooks.insertReply(text) -> {ok, message}` (no Insert button without it), `hooks.now()`.
 * `report(message, kind)` tells staff what happened; `onState(state)` passes on each new server state.
 */
export function replySection({ api, reviewId, state, hooks = {}, report, onState, checkDelay }) {
  let currentState = state;
  let check = null;
  let posting = false;
  const lockId = uniqueId("wb-lock");

  const editor = replyEditor({ api, reviewId, delay: checkDelay, onStatus: (next) => { check = next; refreshLock(); },
                              onLogged: (outcome) => { if (outcome.state) onState(outcome.state); } });
  const suggestions = suggestionList({ onUse: (text) => { editor.setText(text); editor.textarea.focus(); } });
  const timer = countdown({ api, reviewId, state, now: hooks.now, onState: (next) => onState(next) });

  const lockReason = h("p", { id: lockId, class: "wb-lock-reason", "data-role": "lock-reason" });
  const copyButton = h("button", { type: "button", class: "wb-primary", "data-action": "copy", "aria-describedby": lockId,
                                    disabled: true, onclick: copy }, "Copy reply");
  const insertButton = hooks.insertReply ? h("button", { type: "button", "data-action": "insert", "aria-describedby": lockId,
                                                          disabled: true, onclick: insert }, "Insert into the reply box") : null;
  const postedButton = h("button", { type: "button", "data-action": "posted", "aria-describedby": lockId,
                                      disabled: true, onclick: posted }, "I posted it");

  function coolingDown() {
    return currentState?.stage === "cooling_down";
  }

  function locked() {
    return replyLock({ coolingDown: coolingDown(), check }).locked;
  }

  /** Copy, Insert and "I posted it" share one lock (the server refuses a reply inside the cool-down). */
  function refreshLock() {
    const lock = replyLock({ coolingDown: coolingDown(), check });
    copyButton.disabled = lock.locked;
    if (insertButton) insertButton.disabled = lock.locked;
    postedButton.disabled = lock.locked || posting;
    replaceContent(lockReason, lock.reason);
    lockReason.hidden = !lock.locked;
  }

  async function copy() {
    const text = editor.text();
    if (locked()) return;
    try {
      await (hooks.copyText ?? copyWithClipboard)(text);
      report("Copied. Paste it into the platform's reply box, post it, then press “I posted it”.", "success");
    } catch (error) {
      report(`Could not copy (${error?.message ?? error}): select the reply and press Ctrl+C.`, "error");
    }
  }

  async function insert() {
    const text = editor.text();
    if (locked()) return;
    let answer;
    try {
      answer = await hooks.insertReply(text);
    } catch (error) {
      answer = { ok: false, message: String(error?.message ?? error) };
    }
    report(answer?.message || (answer?.ok ? "Inserted into the reply box: read it once more, then post it."
      : "No reply box was found: open the review's reply box on the page first."), answer?.ok ? "success" : "error");
  }

  async function posted() {
    const text = editor.text().trim();
    if (!text || posting || locked()) return;
    posting = true;
    refreshLock();
    const outcome = await logReviewEvent(api, reviewId, { type: "replied", text });
    posting = false;
    refreshLock();
    if (!outcome.ok) {
      report(outcome.message, "error");
      if (outcome.status === 409) {
        // The server still counts a cool-down that this panel did not know of: take its state, which locks again.
        const fresh = await call(api, "GET", reviewPath(reviewId));
        if (fresh.ok && fresh.data?.state) onState(fresh.data.state);
      }
      return;
    }
    report([outcome.queued ? outcome.message : "Logged as replied.", ...outcome.warnings].join(" "),
      outcome.warnings.length ? "warning" : "success");
    if (outcome.state) onState(outcome.state);
  }

  const element = h("section", { class: "wb-section wb-reply-section", "data-role": "reply-section", "aria-label": "Reply" },
    h("h3", {}, "Reply"),
    timer.element,
    suggestions.element,
    editor.element,
    lockReason,
    h("div", { class: "wb-buttons" }, copyButton, insertButton, postedButton));
  refreshLock();

  return {
    element,
    editor,
    update(nextState, advice) {
      if (nextState) {
        currentState = nextState;
        timer.update(nextState);
      }
      if (advice) suggestions.update(advice.suggestions);
      refreshLock();
    },
    destroy() {
      timer.destroy();
      editor.destroy();
    },
  };
}
