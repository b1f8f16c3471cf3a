// The private follow-up after a reply (W6): log each call with its outcome and a note, then whether
// the concern was resolved. A call is to resolve the concern, never to ask for the review's removal.

import { logReviewEvent } from "./api.js";
import { h, replaceContent, uniqueId } from "./dom.js";
import { OUTCOME_NAMES, localTime } from "./format.js";

const FINISHED = { resolved: "Marked resolved.", closed: "Marked not resolved." };

/**
 * Whether the follow-up section is shown for a review's `state`: only when the server says a call is
 * due (a reply to a negative or mixed review, W6: `followup_due_at`, stage `follow_up`), and once the
 * follow-up is over (resolved, closed) only as the history of the calls made. A replied 5-star review
 * has no follow-up.
 */
export function followUpShown(state) {
  if (!state) return false;
  if (Object.hasOwn(FINISHED, state.stage)) return Number(state.calls) > 0;
  return state.stage === "follow_up" || Boolean(state.followup_due_at);
}

/**
 * `[data-role=follow-up]`: `{element, update(state)}`; shown when `followUpShown(state)`.
 * `onState(state)` gets the state after each logged event; `report(message, kind)` the result.
 */
export function followUp({ api, reviewId, report, onState }) {
  const group = uniqueId("wb-outcome");
  const noteId = uniqueId("wb-call-note");
  const due = h("p", { class: "wb-muted", "data-role": "follow-up-due" });
  const outcomes = Object.entries(OUTCOME_NAMES).map(([outcome, name], index) =>
    h("label", { class: "wb-choice" },
      h("input", { type: "radio", name: group, value: outcome, checked: index === 0, "data-role": "call-outcome" }), " ", name));
  const note = h("textarea", { id: noteId, rows: 2, maxlength: 5000, "data-role": "call-note" });
  const buttons = [];
  const button = (action, label, onclick, attributes = {}) => {
    const created = h("button", { type: "button", "data-action": action, onclick, ...attributes }, label);
    buttons.push(created);
    return created;
  };

  async function log(event, done) {
    buttons.forEach((each) => { each.disabled = true; });
    const outcome = await logReviewEvent(api, reviewId, event);
    buttons.forEach((each) => { each.disabled = false; });
    if (!outcome.ok) {
      report(outcome.message, "error");
      return false;
    }
    report([outcome.queued ? outcome.message : done, ...outcome.warnings].join(" "), outcome.warnings.length ? "warning" : "success");
    if (outcome.state) onState(outcome.state);
    return true;
  }

  function logCall() {
    const chosen = outcomes.map((label) => label.querySelector("input")).find((input) => input.checked)?.value ?? "reached";
    const text = note.value.trim();
    log({ type: "followup_call", outcome: chosen, ...(text ? { note: text } : {}) }, `Call logged: ${OUTCOME_NAMES[chosen].toLowerCase()}.`)
      .then((logged) => { if (logged) note.value = ""; });
  }

  // What logs a call: hidden once the follow-up is over, when only its history is shown.
  const controls = h("div", { "data-role": "follow-up-controls" },
    h("fieldset", { class: "wb-fieldset" }, h("legend", {}, "How did the call go?"), outcomes),
    h("label", { for: noteId, class: "wb-label" }, "Note (optional; never ask for the review to be changed)"),
    note,
    h("div", { class: "wb-buttons" },
      button("call", "Log the call", logCall, { class: "wb-primary" }),
      button("resolved", "Resolved", () => log({ type: "resolved" }, "Marked resolved.")),
      button("not-resolved", "Not resolved", () => log({ type: "not_resolved" }, "Marked not resolved."))));
  const element = h("section", { class: "wb-section wb-follow-up", "data-role": "follow-up", "aria-label": "Follow-up", hidden: true },
    h("h3", {}, "Follow-up call"), due, controls);

  return {
    element,
    update(state) {
      element.hidden = !followUpShown(state);
      const calls = state?.calls ? `${state.calls} call${state.calls === 1 ? "" : "s"} logged.` : "No call logged yet.";
      const done = Object.hasOwn(FINISHED, state?.stage ?? "") ? FINISHED[state.stage] : null;
      const dueText = done ? `${done} `
        : state?.followup_due_at
          ? `Call due by ${localTime(state.followup_due_at)}${state.followup_assignee ? ` (${state.followup_assignee})` : ""}${state.followup_overdue ? ": overdue" : ""}. `
          : "";
      replaceContent(due, dueText, calls);
      controls.hidden = Boolean(done);
      due.dataset.overdue = String(Boolean(state?.followup_overdue) && !done);
    },
  };
}
