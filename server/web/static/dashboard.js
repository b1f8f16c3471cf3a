// The dashboard's inbox. Review text is written by strangers: it only ever reaches the page through
// textContent, never as HTML.
"use strict";

const PAGE_SIZE = 50;
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
const state = { offset: 0, total: 0, platform: "", stage: "", q: "" };
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

async function loadReviews() {
  const params = new URLSearchParams({ limit: PAGE_SIZE, offset: state.offset });
  if (state.platform) params.set("platform", state.platform);
  if (state.stage) params.set("stage", state.stage);
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
  for (const review of body.reviews) {
    const row = document.createElement("tr");
    row.dataset.reviewId = review.id;
    row.tabIndex = 0;
    const stage = review.state ? review.state.stage : "";
    cell(row, STAGE_NAMES[stage] || stage, `stage stage-${stage}`);
    cell(row, PLATFORM_NAMES[review.platform] || review.platform);
    cell(row, review.reviewer_name, "reviewer");
    cell(row, ratingText(review), "rating");
    cell(row, review.date_text || review.created_at || "");
    cell(row, shortText(review.text), "text").title = review.text;
    cell(row, review.owner_reply ? "Replied" : "—");
    cell(row, localTime(review.first_seen_at));
    row.addEventListener("click", () => showReview(review.id));
    row.addEventListener("keydown", (event) => { if (event.key === "Enter") showReview(review.id); });
    tbody.appendChild(row);
  }
  const first = body.total ? state.offset + 1 : 0;
  const last = state.offset + body.reviews.length;
  setStatus(body.total ? `Reviews ${first}–${last} of ${body.total}` : "No reviews yet. Capture a review page with the toolbar.");
  document.getElementById("previous").disabled = state.offset === 0;
  document.getElementById("next").disabled = last >= body.total;
}

function listItem(list, text) {
  const li = document.createElement("li");
  li.textContent = text;
  list.appendChild(li);
}

async function showReview(reviewId) {
  let body;
  try {
    body = await api(`/api/reviews/${encodeURIComponent(reviewId)}`);
  } catch (error) {
    setStatus(error.message, true);
    return;
  }
  const { review, history, events } = body;
  document.getElementById("detail").hidden = false;
  document.getElementById("detail-title").textContent = review.reviewer_name;
  document.getElementById("detail-meta").textContent =
    [PLATFORM_NAMES[review.platform], ratingText(review), review.date_text, `version ${review.version}`].filter(Boolean).join(" · ");
  document.getElementById("detail-text").textContent = review.text || "(rating only, no text)";
  const reply = document.getElementById("detail-reply");
  reply.textContent = review.owner_reply ? `Owner reply: ${review.owner_reply.text}` : "No owner reply yet.";
  const historyList = document.getElementById("detail-history");
  historyList.replaceChildren();
  for (const version of history) {
    listItem(historyList, `Version ${version.version}, ${localTime(version.seen_from)} to ${localTime(version.replaced_at)}: ${ratingText(version)} ${version.text}`);
  }
  if (!history.length) listItem(historyList, "None: the review has not changed since it was first seen.");
  const eventList = document.getElementById("detail-events");
  eventList.replaceChildren();
  for (const event of events) listItem(eventList, `${localTime(event.at)}: ${event.type.replace("_", " ")}`);
  if (!events.length) listItem(eventList, "Nothing logged yet.");
}

document.getElementById("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  state.platform = form.get("platform");
  state.stage = form.get("stage");
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
