// The dashboard's contact page (/contacts/<id>): the contact's details, the reviews staff confirmed as
// theirs, and their activity. Also how a contact's phone and dates read, for the contacts list.
// Names and notes come from the practice's exports: they only ever reach the page as text nodes.

import { h, replaceContent } from "/workbench/dom.js";
import { failureMessage, localTime, platformName, ratingLabel, ratingText, shortText } from "/workbench/format.js";
import { api, setStatus } from "./page.js";

const ACTIVITY_NAMES = { appointment: "Visit", activity: "Activity", call: "Call", note: "Note", email: "E-mail", sms: "Text message" };

/** A stored phone (digits only) as people write it: "(512) 555-0110" for ten digits, else as stored. */
export function phoneText(phone) {
  const digits = String(phone ?? "");
  return /^\d{10}$/.test(digits) ? `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}` : digits;
}

/** A stored day ("2026-11-02") or moment as a date on the reader's calendar; a day never shifts with the time zone. */
export function dayText(value) {
  const text = String(value ?? "");
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const moment = day ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])) : new Date(text);
  return Number.isNaN(moment.getTime()) ? text : moment.toLocaleDateString([], { dateStyle: "medium" });
}

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
