// The dashboard's inbox. Review text is written by strangers: it only ever reaches the page through
// textContent, never as HTML.
"use strict";

const PAGE_SIZE = 50;
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
const state = { offset: 0, total: 0, platform: "", stage: "", rating: "", q: "" };
const STAGE_NAMES = {
  new: "New", cooling_down: "Cooling down", ready: "Ready", overdue: "Overdue", replied: "Replied",
  follow_up: "Follow-up", resolved: "Resolved", closed: "Closed", ignored: "Ignored", escalated: "Escalated",
};

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    credentials: "same-origin",
    headers: { "X-CSRF-Token": csrfToken, ...(options.headers || {}) },
  });
  const body = await response.json().catch(() => ({ ok: false, message: `The server answered ${response.status}.` }));
  if (response.status === 401) {
    window.location.assign("/login");
  }
  if (!body.ok) {
    throw new Error(body.message || `The server answered ${response.status}.`);
  }
  return body;
}

function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text == null ? "" : String(text);
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function ratingText(review) {
  if (review.rating != null) return "★".repeat(review.rating) + "☆".repeat(5 - review.rating);
  if (review.recommends != null) return review.recommends ? "Recommends" : "Doesn't recommend";
  return "";
}

const PLATFORM_NAMES = { google: "Google", yelp: "Yelp", facebook: "Facebook" };

function localTime(iso) {
  if (!iso) return "";
  const moment = new Date(iso);
  return Number.isNaN(moment.getTime()) ? iso : moment.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

function shortText(text, limit = 160) {
  return text.length > limit ? text.slice(0, limit - 1) + "…" : text;
}

function setStatus(message, isError = false) {
  const status = document.getElementById("status");
  status.textContent = message;
  status.classList.toggle("error", isError);
}

const SETTLED = ["replied", "follow_up", "resolved", "closed", "ignored", "escalated"];
// The order staff work in: what must not wait, then what can be answered now, then what is waiting.
const GROUPS = ["escalate", "overdue", "new", "ready", "cooling_down", "follow_up", "other"];
const GROUP_NAMES = {
  escalate: "Escalate", overdue: "Overdue", new: "New", ready: "Ready", cooling_down: "Cooling down",
  follow_up: "Follow-up due", other: "",
};

function isOverdue(state) {
  return Boolean(state && (state.stage === "overdue" || state.overdue || state.followup_overdue));
}

/** Which group of the inbox a review belongs to (see GROUPS). */
function groupOf(review) {
  const stage = review.state ? review.state.stage : "";
  const action = review.triage ? review.triage.action : "";
  if (action === "escalate" && !SETTLED.includes(stage)) return "escalate";
  if (isOverdue(review.state)) return "overdue";
  if (["new", "ready", "cooling_down", "follow_up"].includes(stage)) return stage;
  return "other";
}

/** The reviews of the page in the order staff should work through them; ties keep newest first. */
function attentionOrder(reviews) {
  return reviews
    .map((review, index) => ({ review, index, rank: GROUPS.indexOf(groupOf(review)) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.review);
}

function timeLeft(minutes) {
  const total = Math.max(0, Math.ceil(minutes));
  const hours = Math.floor(total / 60);
  return hours ? `${hours} h ${String(total % 60).padStart(2, "0")} min` : `${total} min`;
}

/** What to do next with a review, in a few words, from its triage and stage. */
function nextStep(review) {
  const state = review.state || {};
  const triage = review.triage || {};
  const stage = state.stage;
  if (groupOf(review) === "escalate") return "Escalate: do not reply. Open it to see who to notify.";
  if (stage === "follow_up") {
    return state.followup_overdue ? "Call the patient: the follow-up is overdue."
      : `Follow-up call due ${localTime(state.followup_due_at)}${state.followup_assignee ? ` (${state.followup_assignee})` : ""}.`;
  }
  if (SETTLED.includes(stage)) return "Nothing to do.";
  if (triage.action === "do_not_reply") return "Do not reply: report it on the platform.";
  if (stage === "new") return "Read it: opening it starts the cool-down.";
  if (stage === "cooling_down") return `Reply after the cool-down: ${timeLeft(state.cooldown_minutes_left)} left.`;
  if (stage === "overdue") return "Reply now: the reply is overdue.";
  if (stage === "ready") return "Reply now.";
  return "";
}

function openReview(reviewId) {
  window.location.assign(`/reviews/${encodeURIComponent(reviewId)}`);
}

async function loadReviews() {
  const params = new URLSearchParams({ limit: PAGE_SIZE, offset: state.offset });
  if (state.platform) params.set("platform", state.platform);
  if (state.stage) params.set("stage", state.stage);
  if (state.rating) params.set("rating", state.rating);
  if (state.q) params.set("q", state.q);
  setStatus("Loading reviews…");
  let body;
  try {
    body = await api(`/api/reviews?${params}`);
  } catch (error) {
    setStatus(error.message, true);
    return;
  }
  state.total = body.total;
  const tbody = document.querySelector("#reviews tbody");
  tbody.replaceChildren();
  for (const review of attentionOrder(body.reviews)) {
    const row = document.createElement("tr");
    const group = groupOf(review);
    row.dataset.reviewId = review.id;
    row.dataset.group = group;
    row.className = `group-${group}`;
    row.tabIndex = 0;
    const stage = review.state ? review.state.stage : "";
    const stageCell = cell(row, "", `stage stage-${stage}`);
    if (group === "escalate" || group === "overdue") {
      const flag = document.createElement("span");
      flag.className = `flag flag-${group}`;
      flag.dataset.role = "flag";
      flag.textContent = GROUP_NAMES[group];
      stageCell.append(flag, document.createElement("br"));
    }
    stageCell.append(STAGE_NAMES[stage] || stage);
    cell(row, nextStep(review), "next").title = (review.triage && review.triage.reason) || "";
    cell(row, PLATFORM_NAMES[review.platform] || review.platform);
    const reviewer = cell(row, "", "reviewer");
    const link = document.createElement("a");
    link.href = `/reviews/${encodeURIComponent(review.id)}`;
    link.textContent = review.reviewer_name || "(anonymous)";
    reviewer.appendChild(link);
    cell(row, ratingText(review), "rating");
    cell(row, review.date_text || review.created_at || "");
    cell(row, shortText(review.text), "text").title = review.text;
    cell(row, review.owner_reply ? "Replied" : "—");
    cell(row, localTime(review.first_seen_at));
    row.addEventListener("click", (event) => { if (!event.target.closest("a")) openReview(review.id); });
    row.addEventListener("keydown", (event) => { if (event.key === "Enter" && event.target === row) openReview(review.id); });
    tbody.appendChild(row);
  }
  const first = body.total ? state.offset + 1 : 0;
  const last = state.offset + body.reviews.length;
  setStatus(body.total ? `Reviews ${first}–${last} of ${body.total}` : "No reviews yet. Capture a review page with the toolbar.");
  document.getElementById("previous").disabled = state.offset === 0;
  document.getElementById("next").disabled = last >= body.total;
}

document.getElementById("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  state.platform = form.get("platform");
  state.stage = form.get("stage");
  state.rating = form.get("rating");
  state.q = form.get("q").trim();
  state.offset = 0;
  loadReviews();
});
document.getElementById("previous").addEventListener("click", () => {
  state.offset = Math.max(0, state.offset - PAGE_SIZE);
  loadReviews();
});
document.getElementById("next").addEventListener("click", () => {
  state.offset += PAGE_SIZE;
  loadReviews();
});

loadReviews();
