// The triage: reply, do not reply (with the platform's way to report the post) or escalate (with who
// sees it first); its category and evidence when the server gives them; and "Change decision": staff
// choose a decision with its category ("Escalate — violence") and explain it in a few words (logged as a
// triage_changed event with the review's text: it teaches the triage when the practice retrains it).
// Once the review was answered (replied, follow-up, resolved, closed) it says what happened instead.

import { logReviewEvent } from "./api.js";
import { h, replaceContent, uniqueId } from "./dom.js";
import { ACTION_CATEGORIES, ACTION_NAMES, categoryName, decisionName, localTime } from "./format.js";

const HEADLINES = {
  reply: "Reply, after the cool-down",
  do_not_reply: "Do not reply: report it",
  escalate: "Escalate before anyone replies",
};
export const MAX_REASON_CHARS = 500;
const ANSWERED_STAGES = ["replied", "follow_up", "resolved", "closed"];

function callsText(calls) {
  const count = Number(calls) || 0;
  return count ? `${count} call${count === 1 ? "" : "s"} logged` : "no call logged";
}

/**
 * What happened to an answered review (`state.stage` replied, follow_up, resolved or closed), as
 * `{headline, detail}`; null while a reply is still to be written (or for ignored/escalated reviews).
 */
export function outcomeFacts(state) {
  if (!state || !ANSWERED_STAGES.includes(state.stage)) return null;
  const replied = state.replied_at ? `Replied on ${localTime(state.replied_at)}` : "";
  if (state.stage === "replied") return { headline: `${replied || "Replied"}.`, detail: "" };
  if (state.stage === "follow_up") {
    const due = state.followup_due_at
      ? `follow-up call due ${localTime(state.followup_due_at)}${state.followup_assignee ? ` (${state.followup_assignee})` : ""}`
      : "follow-up call due";
    return { headline: `${[replied, due].filter(Boolean).join("; ")}${state.followup_overdue ? ": overdue" : ""}.`,
             detail: state.calls ? `${callsText(state.calls)}.` : "" };
  }
  const detail = [replied, state.followup_due_at || state.calls ? callsText(state.calls) : ""].filter(Boolean).join("; ");
  return { headline: state.stage === "resolved" ? "Resolved." : "Closed: not resolved.", detail: detail ? `${detail}.` : "" };
}

function evidenceList(evidence) {
  const items = (Array.isArray(evidence) ? evidence : [evidence]).filter((item) => item !== null && item !== undefined && item !== "");
  if (!items.length) return null;
  return h("ul", { class: "wb-evidence", "data-role": "triage-evidence", "aria-label": "Why" },
    items.map((item) => h("li", {}, typeof item === "object" ? (item.text ?? item.quote ?? JSON.stringify(item)) : String(item))));
}

/** The triage part of an advice answer, as facts to show (staff's decision, with its category, first). */
function adviceFacts(advice) {
  const own = advice.triage ?? {};
  const staff = advice.staff_decision ?? null;
  const ownCategory = advice.category ?? own.category ?? null;
  const ownAction = own.action ?? null;
  // A decision logged without a category keeps the triage's only if it kept the triage's action.
  const staffCategory = staff ? (staff.category ?? (staff.action === ownAction ? ownCategory : null)) : null;
  return {
    action: advice.action,
    reason: advice.reason,
    notify: advice.notify ?? null,
    reportPath: advice.report_path ?? null,
    category: staff ? staffCategory : ownCategory,
    evidence: advice.evidence ?? own.evidence ?? null,
    staff,
    ownAction,
    ownCategory,
  };
}

/** `"escalate:violence"` for the decision select, and back. */
const decisionValue = (action, category) => `${action}:${category}`;
function parseDecision(value) {
  const [action, category] = String(value).split(":");
  return ACTION_CATEGORIES[action]?.includes(category) ? { action, category } : null;
}

/**
 * The decisions staff may choose, but the current one: "Reply — genuine review", then one group per other
 * action ("Do not reply — spam or advertising", "Escalate — violence", ...), after a "Choose…" that is no decision.
 */
function decisionOptions(current) {
  const option = (action, category) => h("option", { value: decisionValue(action, category) }, decisionName(action, category));
  const offered = (action, category) => !(current && current.action === action && current.category === category);
  return [
    h("option", { value: "", selected: true }, "Choose the new decision…"),
    ...Object.entries(ACTION_CATEGORIES).map(([action, categories]) => {
      const shown = categories.filter((category) => offered(action, category));
      if (!shown.length) return null;
      if (action === "reply") return shown.map((category) => option(action, category));
      return h("optgroup", { label: ACTION_NAMES[action] ?? action }, shown.map((category) => option(action, category)));
    }),
  ];
}

/**
 * `[data-role=triage]`: `{element, update(advice, state)}` (either may be null: the last one given
 * stays). `onChanged()` after staff changed the decision (the caller fetches the advice again);
 * `report(message, kind)` for what went wrong.
 */
export function triagePanel({ api, reviewId, report, onChanged }) {
  let current = null;
  let advice = null;
  let state = null;
  const title = h("h3", {}, "What to do");
  const summary = h("div", { class: "wb-triage-summary" });
  const formId = uniqueId("wb-triage-form");
  const reasonId = uniqueId("wb-triage-reason");
  const errorId = uniqueId("wb-triage-error");
  const changeButton = h("button", { type: "button", "data-action": "change-triage", "aria-expanded": "false",
                                      "aria-controls": formId, onclick: () => toggleForm() }, "Change decision");
  const decisionChoice = h("select", { "data-role": "triage-choice", "aria-label": "New decision", required: true,
                                       "aria-describedby": errorId });
  const reason = h("input", { id: reasonId, type: "text", "data-role": "triage-reason", required: true,
                               maxlength: MAX_REASON_CHARS, autocomplete: "off", "aria-describedby": errorId });
  const error = h("p", { id: errorId, class: "wb-error", "data-role": "triage-error", role: "alert", hidden: true });
  const saveButton = h("button", { type: "submit", class: "wb-primary", "data-action": "save-triage" }, "Save decision");
  const form = h("form", { id: formId, class: "wb-triage-form", hidden: true, novalidate: true, onsubmit: save },
    h("label", { class: "wb-label" }, "New decision ", decisionChoice),
    h("label", { for: reasonId, class: "wb-label" }, "Why (a few words; required)"),
    reason,
    error,
    h("div", { class: "wb-buttons" }, saveButton,
      h("button", { type: "button", "data-action": "cancel-triage", onclick: () => toggleForm(false) }, "Cancel")));
  const element = h("section", { class: "wb-section wb-triage", "data-role": "triage", "aria-label": "What to do" },
    title, summary, changeButton, form);

  function toggleForm(open = form.hidden) {
    form.hidden = !open;
    changeButton.setAttribute("aria-expanded", String(open));
    if (open) {
      error.hidden = true;
      decisionChoice.removeAttribute("aria-invalid");
      reason.removeAttribute("aria-invalid");
      replaceContent(decisionChoice, decisionOptions(current ? { action: current.action, category: current.category } : null));
      decisionChoice.focus();
    }
  }

  function refuse(field, text) {
    replaceContent(error, text);
    error.hidden = false;
    field.setAttribute("aria-invalid", "true");
    field.focus();
  }

  async function save(event) {
    event.preventDefault();
    const decision = parseDecision(decisionChoice.value);
    const note = reason.value.trim();
    if (!decision) {
      refuse(decisionChoice, "Choose the new decision and what kind of review it is.");
      return;
    }
    decisionChoice.removeAttribute("aria-invalid");
    if (!note) {
      refuse(reason, "Say in a few words why you change the decision.");
      return;
    }
    reason.removeAttribute("aria-invalid");
    saveButton.disabled = true;
    const outcome = await logReviewEvent(api, reviewId, { type: "triage_changed", ...decision, note });
    saveButton.disabled = false;
    if (!outcome.ok) {
      replaceContent(error, outcome.message);
      error.hidden = false;
      return;
    }
    reason.value = "";
    toggleForm(false);
    if (outcome.queued) report(outcome.message, "info");
    onChanged(outcome);
  }

  function staffDecision(facts) {
    if (!facts.staff) return null;
    const changed = facts.ownAction && (facts.ownAction !== facts.action || (facts.category && facts.ownCategory !== facts.category));
    return h("p", { class: "wb-muted", "data-role": "triage-staff-decision" },
      `Decided by staff${facts.staff.staff ? ` (${facts.staff.staff})` : ""}${facts.staff.at ? ` on ${localTime(facts.staff.at)}` : ""}: `,
      h("strong", {}, decisionName(facts.action, facts.category)),
      facts.staff.reason ? `, “${facts.staff.reason}”` : "",
      changed ? `. The triage said: ${decisionName(facts.ownAction, facts.ownCategory)}.` : ".");
  }

  /** Answered: what happened (no instruction to reply, no decision to change). */
  function renderOutcome(outcome, facts) {
    element.dataset.outcome = state.stage;
    element.setAttribute("aria-label", "What happened");
    replaceContent(title, "What happened");
    changeButton.hidden = true;
    toggleForm(false);
    replaceContent(summary,
      h("p", { class: `wb-triage-outcome wb-outcome-${state.stage}`, "data-role": "triage-outcome" }, outcome.headline),
      outcome.detail ? h("p", { class: "wb-muted", "data-role": "triage-outcome-detail" }, outcome.detail) : null,
      facts?.action ? h("p", { class: "wb-muted", "data-role": "triage-decision" }, `Triage: ${decisionName(facts.action, facts.category)}.`) : null,
      facts ? staffDecision(facts) : null);
  }

  function renderAdvice(facts) {
    delete element.dataset.outcome;
    element.setAttribute("aria-label", "What to do");
    replaceContent(title, "What to do");
    changeButton.hidden = false;
    replaceContent(summary,
      h("p", { class: `wb-triage-action wb-triage-${facts.action}`, "data-role": "triage-action-name" },
        HEADLINES[facts.action] ?? ACTION_NAMES[facts.action] ?? String(facts.action)),
      facts.reason ? h("p", { "data-role": "triage-reason-text" }, facts.reason) : null,
      facts.category ? h("p", { "data-role": "triage-category", "data-category": facts.category }, "Category: ",
        h("strong", {}, categoryName(facts.category))) : null,
      evidenceList(facts.evidence),
      facts.notify ? h("p", { class: "wb-notify", "data-role": "triage-notify" }, "Who sees it first: ", h("strong", {}, facts.notify)) : null,
      facts.reportPath ? h("p", { class: "wb-report-path", "data-role": "triage-report-path" }, "How to report it: ", facts.reportPath) : null,
      staffDecision(facts));
  }

  function update(nextAdvice, nextState) {
    if (nextAdvice) advice = nextAdvice;
    if (nextState) state = nextState;
    const facts = advice ? adviceFacts(advice) : null;
    current = facts;
    element.dataset.triage = facts?.action ?? "unknown";
    const outcome = outcomeFacts(state);
    if (outcome) renderOutcome(outcome, facts);
    else if (facts) renderAdvice(facts);
  }

  return { element, update };
}
