// The dashboard's inbox: every review in the order staff should work through it, across pages (the
// server ranks them: escalations, overdue reviews and calls, new, ready, cooling down, follow-ups),
// with what to do next. Review text is written by strangers: it only ever reaches the page as text.

import { h, replaceContent } from "/workbench/dom.js";
import { clockDuration, localTime, platformName, ratingLabel, ratingText, shortText, stageName } from "/workbench/format.js";
import { api, setStatus } from "./page.js";

const PAGE_SIZE = 50;
const filters = { offset: 0, platform: "", stage: "", rating: "", q: "" };
const FLAGS = { escalate: "Escalate", overdue: "Overdue" };
const SETTLED = ["replied", "follow_up", "resolved", "closed", "ignored", "escalated"];
let ticking = null;

/** What to do next with a review, in a few words, from its attention group, triage and stage. */
function nextStep(review, cooldownLeft) {
  const state = review.state || {};
  const stage = state.stage;
  if (review.attention === "escalate") return "Escalate: do not reply. Open it to see who to notify.";
  if (stage === "follow_up") {
    return state.followup_overdue ? "Call the patient: the follow-up call is overdue."
      : `Follow-up call due ${localTime(state.followup_due_at)}${state.followup_assignee ? ` (${state.followup_assignee})` : ""}.`;
  }
  if (SETTLED.includes(stage)) return "Nothing to do.";
  if (review.triage?.action === "do_not_reply") return "Do not reply: report it on the platform.";
  if (stage === "new") return state.overdue || review.attention === "overdue" ? "Read it now: the reply is overdue." : "Read it: opening it starts the cool-down.";
  if (stage === "cooling_down") return `Reply after the cool-down: ${clockDuration(cooldownLeft)} left.`;
  if (stage === "overdue") return "Reply now: the reply is overdue.";
  if (stage === "ready") return "Reply now.";
  return "";
}

function reviewRow(review, serverClock) {
  const state = review.state || {};
  const group = review.attention || "other";
  const link = h("a", { href: `/reviews/${encodeURIComponent(review.id)}` }, review.reviewer_name || "(anonymous)");
  const cooldownEnds = state.cooldown_ends_at ? Date.parse(state.cooldown_ends_at) : NaN;
  const cooldownLeft = () => (Number.isNaN(cooldownEnds) ? 0 : cooldownEnds - serverClock());
  const next = h("td", { class: "next", title: review.triage?.reason || "" }, nextStep(review, cooldownLeft()));
  const row = h("tr", { class: `group-${group}`, "data-review-id": review.id, "data-group": group },
    h("td", { class: `stage stage-${state.stage}` },
      FLAGS[group] ? [h("span", { class: `flag flag-${group}`, "data-role": "flag" }, FLAGS[group]), h("br")] : null,
      stageName(state.stage)),
    next,
    h("td", {}, platformName(review.platform)),
    h("td", { class: "reviewer" }, link),
    h("td", { class: "rating", "aria-label": ratingLabel(review) }, ratingText(review)),
    h("td", {}, review.date_text || review.created_at || ""),
    h("td", { class: "text", title: review.text || "" }, shortText(review.text || "", 160)),
    h("td", {}, review.owner_reply ? "Replied" : "—"),
    h("td", {}, localTime(review.first_seen_at)));
  // The whole row opens the review on a click; the reviewer's link is its one stop for the keyboard.
  row.addEventListener("click", (event) => {
    if (!event.target.closest("a")) window.location.assign(`/reviews/${encodeURIComponent(review.id)}`);
  });
  const tick = state.stage === "cooling_down" && group !== "escalate"
    ? () => { replaceContent(next, nextStep(review, cooldownLeft())); return cooldownLeft() <= 0; }
    : null;
  return { row, tick };
}

/** Counts the cool-downs down each second (on the server's clock); the list reloads when one ends. */
function startTicking(ticks) {
  clearInterval(ticking);
  if (!ticks.length) return;
  ticking = setInterval(() => {
    if (ticks.map((tick) => tick()).some(Boolean)) loadReviews();
  }, 1000);
}

async function loadReviews() {
  const params = new URLSearchParams({ order: "attention", limit: PAGE_SIZE, offset: filters.offset });
  for (const name of ["platform", "stage", "rating", "q"]) if (filters[name]) params.set(name, filters[name]);
  setStatus("Loading reviews…");
  const result = await api("GET", `/api/reviews?${params}`);
  if (!result.ok) {
    setStatus(result.data.message || "The reviews could not be loaded.", true);
    return;
  }
  const { reviews, total } = result.data;
  // The server's moment when it answered, moved on by the time passed since: cool-downs count on it.
  const answeredAt = performance.now();
  const asOf = Date.parse(reviews[0]?.state?.as_of ?? "") || Date.now();
  const serverClock = () => asOf + (performance.now() - answeredAt);
  const rows = reviews.map((review) => reviewRow(review, serverClock));
  replaceContent(document.querySelector("#reviews tbody"), rows.map((entry) => entry.row));
  startTicking(rows.map((entry) => entry.tick).filter(Boolean));
  const first = total ? filters.offset + 1 : 0;
  const last = filters.offset + reviews.length;
  const filtered = filters.platform || filters.stage || filters.rating || filters.q;
  setStatus(total ? `Reviews ${first}–${last} of ${total}`
    : filtered ? "No reviews match these filters." : "No reviews yet. Capture a review page with the toolbar.");
  document.getElementById("previous").disabled = filters.offset === 0;
  document.getElementById("next").disabled = last >= total;
}

document.getElementById("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  Object.assign(filters, { platform: form.get("platform"), stage: form.get("stage"), rating: form.get("rating"),
                           q: form.get("q").trim(), offset: 0 });
  loadReviews();
});
document.getElementById("previous").addEventListener("click", () => {
  filters.offset = Math.max(0, filters.offset - PAGE_SIZE);
  loadReviews();
});
document.getElementById("next").addEventListener("click", () => {
  filters.offset += PAGE_SIZE;
  loadReviews();
});

loadReviews();
