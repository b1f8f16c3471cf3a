// Review requests (W8): everyone seen recently who was not asked lately, never filtered by satisfaction
// and never for Yelp. Mark contacts asked, opt one out (with an undo), download the list as CSV.
// Names and contact details come from the practice's imports: they reach the page only as text nodes.

import { h, replaceContent } from "/workbench/dom.js";
import { dayText, failureMessage, localTime, phoneText, platformName, plural } from "/workbench/format.js";
import { api, setStatus } from "./page.js";

const PAGE_SIZE = 100;
const number = (value) => Number(value).toLocaleString();

const tbody = document.querySelector("#contacts tbody");
const previous = document.getElementById("previous");
const next = document.getElementById("next");
const page = { offset: 0, total: 0, shown: 0 };
const markSent = document.getElementById("mark-sent");
const selectAll = document.getElementById("select-all");
const status = document.getElementById("status");

function checkboxes() {
  return [...tbody.querySelectorAll("input[type=checkbox]")];
}

function selectedIds() {
  return checkboxes().filter((box) => box.checked).map((box) => Number(box.value));
}

function updateSelection() {
  const boxes = checkboxes();
  const chosen = boxes.filter((box) => box.checked).length;
  markSent.disabled = chosen === 0;
  markSent.textContent = chosen ? `Mark ${plural(chosen, "selected patient")} as asked` : "Mark selected as asked";
  selectAll.checked = boxes.length > 0 && chosen === boxes.length;
  selectAll.indeterminate = chosen > 0 && chosen < boxes.length;
}

function showLinks(links) {
  const items = ["google", "facebook"].map((platform) => links[platform]
    ? h("li", { "data-platform": platform }, `${platformName(platform)}: `,
        h("a", { href: links[platform], target: "_blank", rel: "noopener noreferrer" }, links[platform]))
    : h("li", { "data-platform": platform, class: "missing" }, `${platformName(platform)}: no link yet. Add your `,
        `${platformName(platform)} review link in `, h("a", { href: "/settings" }, "Settings"), "."));
  replaceContent(document.getElementById("links"), items,
    h("li", { class: "muted" }, "Yelp: never. Yelp forbids asking for reviews."));
}

function contactRow(contact) {
  const name = contact.name || "(no name)";
  return h("tr", { "data-contact-id": contact.contact_id },
    h("td", { class: "pick" }, h("input", { type: "checkbox", value: contact.contact_id, "aria-label": `Select ${name}`,
                                             onchange: updateSelection })),
    h("td", { class: "name" }, name),
    h("td", { class: "phone" }, contact.phone ? phoneText(contact.phone) : "—"),
    h("td", { class: "email" }, contact.email || "—"),
    h("td", { class: "day" }, dayText(contact.last_seen_at)),
    h("td", { class: "day" }, contact.last_asked_at ? localTime(contact.last_asked_at) : "Never"),
    h("td", { class: "action" },
      h("button", { type: "button", class: "quiet", "data-action": "opt-out", "aria-label": `Opt out ${name}`,
                    onclick: () => optOut(contact) }, "Opt out")));
}

async function load() {
  const params = new URLSearchParams({ limit: PAGE_SIZE, offset: page.offset });
  const result = await api("GET", `/api/review-requests?${params}`);
  if (!result.ok) {
    setStatus(failureMessage(result, "The list could not be loaded."), true);
    return false;
  }
  const listing = result.data;
  if (!listing.contacts.length && listing.total && page.offset) { // the last page emptied (everyone on it marked): go back
    page.offset = Math.max(0, Math.floor((listing.total - 1) / PAGE_SIZE) * PAGE_SIZE);
    return load();
  }
  page.total = listing.total;
  page.shown = listing.contacts.length;
  document.getElementById("recent-days").textContent = String(listing.seen_within_days);
  document.getElementById("cap-days").textContent = String(listing.not_asked_within_days);
  showLinks(listing.links);
  replaceContent(tbody, listing.contacts.map(contactRow));
  if (!listing.contacts.length) {
    replaceContent(tbody, h("tr", {}, h("td", { colspan: 7, class: "empty" },
      `Nobody to ask right now: everyone seen in the last ${listing.seen_within_days} days has been asked, ` +
      "or no contacts were imported yet (see Contacts).")));
  }
  previous.disabled = page.offset === 0;
  next.disabled = page.offset + page.shown >= page.total;
  document.getElementById("pages").hidden = page.total <= PAGE_SIZE;
  updateSelection();
  return true;
}

function sayCount() {
  if (!page.total) return setStatus("");
  if (page.total <= PAGE_SIZE) return setStatus(`${plural(page.total, "patient")} to ask.`);
  return setStatus(`${number(page.total)} patients to ask; showing ${number(page.offset + 1)}–${number(page.offset + page.shown)}, ` +
    "most recently seen first.");
}

async function optOut(contact, undo = false) {
  const name = contact.name || "This patient";
  const result = await api("POST", `/api/contacts/${encodeURIComponent(contact.contact_id)}/opt-out`, { opted_out: !undo });
  if (!result.ok) {
    setStatus(failureMessage(result, "The opt-out was not saved."), true);
    return;
  }
  await load();
  if (undo) {
    setStatus(`${name} is back on the list.`);
    return;
  }
  setStatus("");
  replaceContent(status, `${name} will not be asked for a review again. `,
    h("button", { type: "button", class: "link", "data-action": "undo", onclick: () => optOut(contact, true) }, "Undo"));
  status.hidden = false;
}

markSent.addEventListener("click", async () => {
  const ids = selectedIds();
  if (!ids.length) return;
  markSent.disabled = true;
  const result = await api("POST", "/api/review-requests/sent", { contact_ids: ids });
  if (!result.ok) {
    setStatus(failureMessage(result, "Nothing was marked."), true);
    updateSelection();
    return;
  }
  await load();
  setStatus(`Marked ${plural(result.data.marked, "patient")} as asked. They leave the list and are not asked again for ` +
    `${document.getElementById("cap-days").textContent} days.`);
});

selectAll.addEventListener("change", () => {
  for (const box of checkboxes()) box.checked = selectAll.checked;
  updateSelection();
});

previous.addEventListener("click", async () => {
  page.offset = Math.max(0, page.offset - PAGE_SIZE);
  if (await load()) sayCount();
});
next.addEventListener("click", async () => {
  page.offset += PAGE_SIZE;
  if (await load()) sayCount();
});

load().then((loaded) => { if (loaded) sayCount(); });
