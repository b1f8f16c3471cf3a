// The reply editor: a textarea checked as staff type, each violation listed with its message, and
// the draft mirrored below with the offending spans marked.

import { h, replaceContent, uniqueId } from "./dom.js";
import { coversWholeReply, markedSegments, replyChecker, spanIn } from "./reply-check.js";

export const MAX_REPLY_CHARS = 5000;
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
 * error, empty}`; copying stays locked unless `allowed` is true and nothing is pending.
 */
export function replyEditor({ api, reviewId, onStatus = () => {}, delay }) {
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
        "Show"));
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
  textarea.addEventListener("input", () => checker.check(textarea.value));

  const element = h("div", { class: "wb-editor" },
    h("label", { for: textareaId, class: "wb-label" }, "Your reply"),
    textarea,
    statusLine,
    marks,
    list);
  render(status);

  return {
    element,
    textarea,
    text: () => textarea.value,
    status: () => status,
    setText(text) {
      textarea.value = text;
      checker.check(text, { now: true });
    },
    destroy: () => checker.cancel(),
  };
}
