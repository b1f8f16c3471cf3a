// The reply editor: a textarea checked as staff type, each violation listed with its message, and
// the draft mirrored below with the offending spans marked. A sentence blocked by the checker's learned
// layer alone (`learned: true`, never a rule's block) can be overridden by staff with a reason: logged as
// a check_overridden event, after which the practice's checker no longer flags that sentence.

import { logReviewEvent } from "./api.js";
import { h, replaceContent, uniqueId } from "./dom.js";
import { coversWholeReply, markedSegments, replyChecker, spanIn } from "./reply-check.js";

export const MAX_REPLY_CHARS = 5000;
export const MAX_OVERRIDE_REASON_CHARS = 300;
export const OVERRIDE_EXPLAINED = "ReviewDesk will stop flagging this sentence; your reason is kept and teaches the checker.";
const SEVERITY_NAMES = { block: "Must fix", warn: "Consider" };

function statusText(check) {
  if (check.empty) return "Write a reply or pick a suggestion.";
  if (check.pending) return "Checking the reply…";
  if (check.error) return `Not checked: ${check.error}`;
  const blocking = check.violations.filter((violation) => violation.severity === "block").length;
  const advice = check.violations.length - blocking;
  if (!check.allowed) {
    return blocking === 1 ? "1 problem must be fixed before this reply can be used." :
      `${Math.max(blocking, 1)} problems must be fixed before this reply can be used.`;
  }
  if (advice) return `Safe to post. ${advice} suggestion${advice === 1 ? "" : "s"} to make it better.`;
  return "Safe to post: no problems found.";
}

function quoted(text, violation) {
  if (coversWholeReply(text, violation)) return "the whole reply";
  const [start, end] = spanIn(text, violation);
  return `“${text.slice(start, end)}”`;
}

/**
 * The editor for one review: `{element, textarea, setText(text), text(), status(), destroy()}`.
 * `onStatus(check)` is called on every change of the check: `{text, pending, allowed, violations,
 * error, empty}`; copying stays locked unless `allowed` is true and nothing is pending. `onLogged(outcome)`
 * after an override was logged (see api.js `logReviewEvent`: its `state` is the review's, unchanged).
 */
export function replyEditor({ api, reviewId, onStatus = () => {}, onLogged = () => {}, delay }) {
  const textareaId = uniqueId("wb-reply");
  const statusId = uniqueId("wb-check");
  let status = { text: "", pending: false, allowed: false, violations: [], error: null, empty: true };

  const textarea = h("textarea", {
    id: textareaId, class: "wb-reply", "data-role": "reply", rows: 5, maxlength: MAX_REPLY_CHARS,
    spellcheck: "true", "aria-describedby": statusId,
  });
  const statusLine = h("p", { id: statusId, class: "wb-check-status", "data-role": "check-status", role: "status" });
  const marks = h("div", { class: "wb-marks", "data-role": "marks", "aria-hidden": "true", hidden: true });
  const list = h("ul", { class: "wb-violations", "data-role": "violations", "aria-label": "Problems in the reply" });
  const overrideNote = h("p", { class: "wb-muted", "data-role": "override-note", "aria-live": "polite", hidden: true });

  function showSpan(violation) {
    const [start, end] = spanIn(textarea.value, violation);
    textarea.focus();
    textarea.setSelectionRange(start, end);
  }

  function violationItem(text, violation) {
    return h("li", {
      class: `wb-violation wb-${violation.severity === "block" ? "block" : "warn"}`,
      "data-role": "violation", "data-rule": violation.rule, "data-severity": violation.severity,
      "data-start": violation.start, "data-end": violation.end,
    },
    h("span", { class: "wb-severity" }, SEVERITY_NAMES[violation.severity] ?? violation.severity),
    " ",
    h("span", { class: "wb-quote" }, quoted(text, violation)),
    ": ",
    h("span", { class: "wb-violation-message" }, violation.message),
    coversWholeReply(text, violation) ? null :
      h("button", { type: "button", class: "wb-link-button", "data-action": "show-span",
                    "aria-label": `Select ${quoted(text, violation)} in the reply`, onclick: () => showSpan(violation) },
        "Show"),
    violation.learned === true && violation.severity === "block" ? overrideControls(text, violation) : null);
  }

  /** "It is safe: override" and its small form: why (required), then the event is logged and the draft checked again. */
  function overrideControls(text, violation) {
    const [start, end] = spanIn(text, violation);
    const sentence = text.slice(start, end);
    const formId = uniqueId("wb-override");
    const reasonId = uniqueId("wb-override-reason");
    const hintId = uniqueId("wb-override-hint");
    const errorId = uniqueId("wb-override-error");
    const openButton = h("button", {
      type: "button", class: "wb-link-button", "data-action": "override-check", "aria-expanded": "false", "aria-controls": formId,
      "aria-label": `It is safe: override the block of “${sentence}”. ${OVERRIDE_EXPLAINED}`, onclick: () => toggle(),
    }, "It is safe: override");
    const reason = h("input", { id: reasonId, type: "text", "data-role": "override-reason", required: true,
                                maxlength: MAX_OVERRIDE_REASON_CHARS, autocomplete: "off", "aria-describedby": `${hintId} ${errorId}` });
    const error = h("p", { id: errorId, class: "wb-error", "data-role": "override-error", role: "alert", hidden: true });
    const saveButton = h("button", { type: "submit", class: "wb-primary", "data-action": "save-override" }, "Override");
    const form = h("form", { id: formId, class: "wb-override-form", "data-role": "override-form", hidden: true, novalidate: true,
                             onsubmit: save },
      h("p", { id: hintId, class: "wb-muted" }, OVERRIDE_EXPLAINED),
      h("label", { for: reasonId, class: "wb-label" }, "Why is it safe? (a few words; required)"),
      reason,
      error,
      h("div", { class: "wb-buttons" }, saveButton,
        h("button", { type: "button", "data-action": "cancel-override", onclick: () => toggle(false) }, "Cancel")));

    function toggle(open = form.hidden) {
      form.hidden = !open;
      openButton.setAttribute("aria-expanded", String(open));
      if (open) reason.focus();
      else openButton.focus();
    }

    function showError(message) {
      replaceContent(error, message);
      error.hidden = false;
    }

    async function save(event) {
      event.preventDefault();
      const note = reason.value.trim();
      if (!note) {
        reason.setAttribute("aria-invalid", "true");
        showError("Say in a few words why this sentence is safe to post.");
        reason.focus();
        return;
      }
      reason.removeAttribute("aria-invalid");
      error.hidden = true;
      saveButton.disabled = true;
      const outcome = await logReviewEvent(api, reviewId, { type: "check_overridden", reply: text, text: sentence, note });
      saveButton.disabled = false;
      if (!outcome.ok) {
        showError(outcome.message);
        return;
      }
      replaceContent(overrideNote, outcome.queued ? outcome.message
        : `Overridden: ReviewDesk no longer flags “${sentence.trim()}”. Your reason is kept.`);
      overrideNote.hidden = false;
      textarea.focus();
      checker.check(textarea.value, { now: true });
      onLogged(outcome);
    }

    return [" ", openButton, form];
  }

  function markedText(text, violations) {
    return markedSegments(text, violations).map((segment) => {
      if (!segment.violations.length) return segment.text;
      const blocking = segment.violations.some((violation) => violation.severity === "block");
      return h("mark", {
        class: blocking ? "wb-block" : "wb-warn",
        "data-rule": segment.violations.map((violation) => violation.rule).join(" "),
        "data-severity": blocking ? "block" : "warn",
        title: segment.violations.map((violation) => violation.message).join("\n"),
      }, segment.text);
    });
  }

  function render(check) {
    replaceContent(statusLine, statusText(check));
    statusLine.dataset.state = check.empty ? "empty" : check.pending ? "pending" : check.error ? "error" : check.allowed ? "allowed" : "blocked";
    list.setAttribute("aria-busy", String(check.pending));
    if (check.pending) return; // the last answer stays listed until the new one arrives; its marks would be misplaced
    const ordered = [...check.violations].sort((a, b) => (a.severity === "block" ? 0 : 1) - (b.severity === "block" ? 0 : 1));
    replaceContent(list, ordered.map((violation) => violationItem(check.text, violation)));
    const spanned = check.violations.some((violation) => !coversWholeReply(check.text, violation));
    marks.hidden = !spanned;
    replaceContent(marks, spanned ? markedText(check.text, check.violations) : []);
  }

  const checker = replyChecker({
    api, reviewId, delay,
    onResult(check) {
      status = check;
      if (check.pending) marks.hidden = true;
      render(check);
      onStatus(check);
    },
  });
  textarea.addEventListener("input", () => {
    overrideNote.hidden = true;
    checker.check(textarea.value);
  });

  const element = h("div", { class: "wb-editor" },
    h("label", { for: textareaId, class: "wb-label" }, "Your reply"),
    textarea,
    statusLine,
    marks,
    list,
    overrideNote);
  render(status);

  return {
    element,
    textarea,
    text: () => textarea.value,
    status: () => status,
    setText(text) {
      overrideNote.hidden = true;
      textarea.value = text;
      checker.check(text, { now: true });
    },
    destroy: () => checker.cancel(),
  };
}
