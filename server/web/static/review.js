// The dashboard's review page: the shared review workbench (the toolbar's components, one copy in
// /workbench/) mounted for one review, with its earlier versions and the timeline of its events.
// Review text is written by strangers: it only ever reaches the page through textContent.

import { mountWorkbench } from "/workbench/workbench.js";
import { decisionName, localTime } from "/workbench/format.js";
import { api } from "./page.js";

const reviewId = Number(document.getElementById("review").dataset.reviewId);
const EVENT_NAMES = {
  viewed: "Viewed", drafted: "Reply drafted", replied: "Reply posted", followup_call: "Follow-up call", resolved: "Resolved",
  not_resolved: "Not resolved", ignored: "Ignored", reported: "Reported", escalated: "Escalated", triage_changed: "Triage changed",
  match_confirmed: "Contact confirmed", review_updated: "Review changed on the platform", request_sent: "Review request sent",
  assigned: "Follow-up assigned", check_overridden: "Checker overridden",
};

function item(list, text, className) {
  const li = document.createElement("li");
  li.textContent = text;
  if (className) li.className = className;
  list.appendChild(li);
}

function eventText(event) {
  const parts = [`${localTime(event.at)}: ${EVENT_NAMES[event.type] || event.type.replaceAll("_", " ")}`];
  if (event.outcome) parts.push(`outcome ${event.outcome}`);
  const rating = event.changes?.rating;
  if (rating && rating.old != null && rating.new != null) parts.push(`rating ${rating.old}★ → ${rating.new}★`);
  if (event.changes?.text) parts.push("text changed");
  if (event.action) parts.push(`now ${decisionName(event.action, event.category)}`);
  if (event.type === "check_overridden" && event.text) parts.push(`“${event.text}” is safe`);
  if (event.assignee) parts.push(`to ${event.assignee}`);
  if (event.staff) parts.push(`by ${event.staff}`);
  if (event.note) parts.push(`“${event.note}”`);
  return parts.join(" · ");
}

async function showTimeline() {
  const result = await api("GET", `/api/reviews/${reviewId}`);
  const timeline = document.getElementById("timeline");
  timeline.replaceChildren();
  if (!result.ok) {
    item(timeline, result.data.message || "The timeline could not be loaded.", "error");
    return;
  }
  const { events, history } = result.data;
  for (const event of events) item(timeline, eventText(event));
  if (!events.length) item(timeline, "Nothing logged yet.");
  const versions = document.getElementById("versions");
  versions.replaceChildren();
  for (const version of history) {
    item(versions, `Version ${version.version}, ${localTime(version.seen_from)} to ${localTime(version.replaced_at)}: ` +
      `${version.rating != null ? version.rating + "★ " : ""}${version.text || "(no text)"}`);
  }
  if (!history.length) item(versions, "None: the review has not changed since it was first seen.");
}

async function main() {
  const status = document.getElementById("status");
  const bench = await mountWorkbench(document.getElementById("workbench"), {
    api, reviewId, onStateChange: () => showTimeline(),
  });
  status.textContent = bench ? "" : "The review could not be loaded.";
  status.hidden = Boolean(bench);
  if (bench) document.title = `${bench.element.getAttribute("aria-label")} · ReviewDesk`;
  await showTimeline();
}

main();
