// The follow-up calls (W6): every open follow-up by assignee, overdue first, then by due date, with
// one-click outcome logging and reassignment. Review text and names are written by strangers: they
// reach the page only as text nodes (h(), textContent).

import { h, replaceContent } from "/workbench/dom.js";
import { logReviewEvent } from "/workbench/api.js";
import {
  OUTCOME_NAMES, failureMessage, localTime, platformName, plural, ratingLabel, ratingText, shortText,
} from "/workbench/format.js";
import { api, setStatus } from "./page.js";

const list = document.getElementById("follow-ups");
const filter = document.getElementById("assignee");
const warning = document.getElementById("warning");
const staffNames = document.getElementById("staff-names");
const notes = new Map(); // review id → a note typed but not logged yet (kept across a refresh of the list)
let busy = false;

// Each button logs one event; `done(name)` says what was logged, in the status line.
const OUTCOMES = [
  ...Object.entries(OUTCOME_NAMES).map(([outcome, label]) => ({
    label, event: { type: "followup_call", outcome }, done: (name) => `Call to ${name} logged: ${label.toLowerCase()}.` })),
  { label: "Resolved", event: { type: "resolved" }, done: (name) => `${name}: marked resolved. It has left the list.`,
    finish: true },
  { label: "Not resolved", event: { type: "not_resolved" }, done: (name) => `${name}: marked not resolved. It has left the list.`,
    finish: true },
];

function showWarning(messages) {
  replaceContent(warning, messages.join(" "));
  warning.hidden = !messages.length;
}

function nameOf(item) {
  return item.reviewer_name || "(anonymous)";
}

function callText(call) {
  const parts = [`${localTime(call.at)}: ${OUTCOME_NAMES[call.outcome] ?? call.outcome ?? "call"}`];
  if (call.staff) parts.push(`by ${call.staff}`);
  return parts.join(" ");
}

function callsList(calls) {
  if (!calls.length) return h("p", { class: "calls none", "data-role": "calls" }, "No call logged yet.");
  return h("div", { class: "calls", "data-role": "calls" },
    h("p", {}, `${plural(calls.length, "call")} so far:`),
    h("ul", { class: "plain" }, calls.map((call) =>
      h("li", {}, callText(call), call.note ? h("span", { class: "note" }, ` “${call.note}”`) : null))));
}

async function logEvent(item, option, note) {
  if (busy) return;
  busy = true;
  document.querySelectorAll("#follow-ups button").forEach((button) => { button.disabled = true; });
  setStatus(`Logging for ${nameOf(item)}…`);
  showWarning([]);
  const event = { ...option.event, ...(note ? { note } : {}) };
  const logged = await logReviewEvent(api, item.review_id, event);
  busy = false;
  if (!logged.ok) {
    document.querySelectorAll("#follow-ups button").forEach((button) => { button.disabled = false; });
    setStatus(`Nothing was logged: ${logged.message}`, true);
    return;
  }
  notes.delete(item.review_id);
  const remaining = await load();
  const done = option.done(nameOf(item));
  setStatus(remaining === 0 ? `${done} ${emptyText(filter.value)}` : done);
  showWarning(logged.warnings);
}

function reassignForm(item) {
  const input = h("input", { type: "text", name: "assignee", list: "staff-names", maxlength: 200, required: true,
                             placeholder: "Name",
                             "aria-label": `Reassign the call to ${nameOf(item)} to` });
  return h("form", {
    class: "reassign", "data-role": "reassign",
    onsubmit: (submitted) => {
      submitted.preventDefault();
      const name = input.value.trim();
      if (!name) {
        setStatus("Type the name of the person who will call, then press Reassign.", true);
        return;
      }
      if (name === item.assignee) {
        setStatus(`${name} already makes this call.`);
        return;
      }
      const done = (who) => `The call to ${who} is now assigned to ${name}.`;
      logEvent(item, { event: { type: "assigned", assignee: name }, done }, null);
    },
  }, h("label", {}, "Reassign to ", input), " ", h("button", { type: "submit", "aria-label": `Reassign the call to ${nameOf(item)}` }, "Reassign"));
}

function followUpItem(item) {
  const note = h("input", { type: "text", name: "note", maxlength: 5000, value: notes.get(item.review_id) ?? "",
                            placeholder: "What was said (optional). Never ask them to change the review.",
                            "aria-label": `Note about the call to ${nameOf(item)}`,
                            oninput: () => notes.set(item.review_id, note.value) });
  const outcomeButtons = OUTCOMES.map((option) => h("button", {
    type: "button", class: option.finish ? "finish" : "call", "data-outcome": option.event.outcome ?? option.event.type,
    "aria-label": `${option.label}: ${nameOf(item)}`, onclick: () => logEvent(item, option, note.value.trim()),
  }, option.label));
  const due = item.due_at ? `Call due ${localTime(item.due_at)}` : "Call due: not set";
  return h("article", { class: `follow-up${item.overdue ? " overdue" : ""}`, "data-review-id": item.review_id },
    h("header", {},
      item.overdue ? h("span", { class: "flag flag-overdue", "data-role": "flag" }, "Overdue") : null,
      h("a", { class: "who", href: `/reviews/${encodeURIComponent(item.review_id)}` }, nameOf(item)),
      h("span", { class: "platform" }, platformName(item.platform)),
      h("span", { class: "rating", title: ratingLabel(item), "aria-label": ratingLabel(item) }, ratingText(item))),
    h("p", { class: "review-text", title: item.text || "" }, shortText(item.text, 220) || "(no text)"),
    h("p", { class: `due${item.overdue ? " late" : ""}`, "data-role": "due" }, due, " · ", `Assigned to ${item.assignee}`),
    callsList(item.calls),
    h("div", { class: "log" },
      h("label", { class: "note-field" }, "Note ", note),
      h("div", { class: "buttons", role: "group", "aria-label": "Log the outcome" },
        h("span", { class: "group-label" }, "Call:"), outcomeButtons.slice(0, 3),
        h("span", { class: "group-label" }, "Concern:"), outcomeButtons.slice(3))),
    reassignForm(item));
}

function groupsOf(followUps) {
  const groups = new Map();
  for (const item of followUps) {
    if (!groups.has(item.assignee)) groups.set(item.assignee, []);
    groups.get(item.assignee).push(item);
  }
  return groups;
}

function showFilter(assignees, chosen) {
  replaceContent(filter, h("option", { value: "" }, "Everyone"),
    assignees.map(({ name, open }) => h("option", { value: name, selected: name === chosen }, `${name} (${open})`)));
  if (chosen && !assignees.some(({ name }) => name === chosen)) {
    filter.append(h("option", { value: chosen, selected: true }, `${chosen} (0)`));
  }
  replaceContent(staffNames, assignees.map(({ name }) => h("option", { value: name })));
}

function emptyText(chosen) {
  return chosen ? `No follow-up calls are due for ${chosen}.`
    : "No follow-up calls are due. A call appears here when a reply is posted to a negative review.";
}

/** Shows the open follow-ups (of the chosen assignee); returns how many, or null when they could not be loaded. */
async function load() {
  const chosen = filter.value || new URLSearchParams(window.location.search).get("assignee") || "";
  const result = await api("GET", `/api/follow-ups${chosen ? `?assignee=${encodeURIComponent(chosen)}` : ""}`);
  if (!result.ok) {
    setStatus(failureMessage(result, "The follow-up calls could not be loaded."), true);
    return null;
  }
  const { follow_ups: followUps, assignees } = result.data;
  showFilter(assignees, chosen);
  const overdue = followUps.filter((item) => item.overdue).length;
  replaceContent(list, [...groupsOf(followUps)].map(([assignee, items]) =>
    h("section", { class: "assignee-group", "data-assignee": assignee },
      h("h2", {}, assignee, h("span", { class: "count" }, ` · ${plural(items.length, "call")}`)),
      items.map(followUpItem))));
  setStatus(followUps.length
    ? `${plural(followUps.length, "call")} to make${overdue ? `, ${overdue} overdue` : ""}. ` +
      "Overdue calls come first, then by due date."
    : emptyText(chosen));
  return followUps.length;
}

filter.addEventListener("change", () => {
  const url = new URL(window.location.href);
  if (filter.value) url.searchParams.set("assignee", filter.value);
  else url.searchParams.delete("assignee");
  window.history.replaceState(null, "", url);
  showWarning([]);
  load();
});

load();
