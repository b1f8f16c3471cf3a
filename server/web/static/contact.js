// The dashboard's contact page (/contacts/<id>): the contact's details, the reviews staff confirmed as
// theirs, and their activity.
// Names and notes come from the practice's exports: they only ever reach the page as text nodes.

import { h, replaceContent } from "/workbench/dom.js";
import {
  dayText, failureMessage, localTime, phoneText, platformName, ratingLabel, ratingText, shortText,
} from "/workbench/format.js";
import { api, setStatus } from "./page.js";

const ACTIVITY_NAMES = { appointment: "Visit", activity: "Activity", call: "Call", note: "Note", email: "E-mail", sms: "Text message" };

/** An activity's date, with its time when the export gave one. */
function activityTime(at) {
  return /T\d/.test(String(at ?? "")) ? localTime(at) : dayText(at);
}

function detail(term, value) {
  return value ? [h("dt", {}, term), h("dd", {}, value)] : [];
}

function showDetails(contact) {
  const name = contact.name || "(no name)";
  replaceContent(document.getElementById("contact-name"), name);
  document.title = `${name} · ReviewDesk`;
  const parts = [contact.first_name, contact.middle_name, contact.last_name].filter(Boolean).join(" ");
  replaceContent(document.getElementById("details"),
    detail("Name in the export", parts && parts !== contact.name ? parts : ""),
    detail("Preferred name", contact.preferred_name),
    detail("Phone", phoneText(contact.phone) || "—"),
    detail("E-mail", contact.email || "—"),
    detail("ID in your system", contact.external_id),
    detail("Last seen", contact.last_seen_at ? dayText(contact.last_seen_at) : "No visit on record"),
    detail("Review requests", contact.opted_out ? "Opted out: never asked for a review" : "May be asked for a review"));
}

/** A table of `items` (one row each, from `row`) under `headings` in `box`, or `emptyText` when there are none. */
function showTable(box, items, emptyText, className, headings, row) {
  replaceContent(box, items.length
    ? h("table", { class: className }, h("thead", {}, h("tr", {}, headings.map((text) => h("th", {}, text)))), h("tbody", {}, items.map(row)))
    : h("p", { class: "empty" }, emptyText));
}

function showReviews(reviews) {
  showTable(document.getElementById("reviews"), reviews, "No review is matched to this contact yet.", "matched",
    ["Date", "Platform", "Rating", "Review", "Confirmed"], (review) => h("tr", { "data-review-id": review.id },
      h("td", { class: "nowrap" }, review.created_at ? dayText(review.created_at) : review.date_text || dayText(review.first_seen_at)),
      h("td", {}, platformName(review.platform)),
      h("td", { class: "rating", "aria-label": ratingLabel(review) }, ratingText(review)),
      h("td", { class: "review-text" }, h("a", { href: `/reviews/${encodeURIComponent(review.id)}` }, shortText(review.text) || "(no text)")),
      h("td", { class: "nowrap" }, [localTime(review.confirmed_at), review.confirmed_by ? ` by ${review.confirmed_by}` : ""])));
}

function showActivities(activities) {
  showTable(document.getElementById("activities"), activities, "No activity on record.", "activities",
    ["Date", "What", "Summary", "Staff"], (activity) => h("tr", {},
      h("td", { class: "nowrap" }, activityTime(activity.at)),
      h("td", {}, ACTIVITY_NAMES[activity.type] ?? activity.type),
      h("td", {}, activity.summary || ""),
      h("td", {}, activity.staff || "")));
}

async function showContact(contactId) {
  const result = await api("GET", `/api/contacts/${contactId}`);
  if (!result.ok) {
    setStatus(failureMessage(result, "The contact could not be loaded."), true);
    return;
  }
  const { contact } = result.data;
  setStatus("");
  showDetails(contact);
  showReviews(contact.reviews);
  showActivities(contact.activities);
}

const page = document.getElementById("contact");
if (page) showContact(Number(page.dataset.contactId));
