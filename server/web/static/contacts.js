// The dashboard's contacts page: import an export (choose a file, check how its columns are read,
// import with a progress bar, read the report) and find a contact. Everything from the file and the
// database reaches the page as text nodes only.

import { h, replaceContent } from "/workbench/dom.js";
import { dayText, failureMessage, phoneText, plural } from "/workbench/format.js";
import { api, setStatus, upload } from "./page.js";

const PAGE_SIZE = 50;
const POLL_MS = 300;
const POLL_RETRIES = 3; // a progress poll that fails is tried again this many times…
const RETRY_MS = 1000; // …this long apart
const NAME_FIELDS = ["name", "first_name", "last_name"];
const FIELD_NAMES = {
  external_id: "ID in your system", name: "Full name", first_name: "First name", last_name: "Last name",
  middle_name: "Middle name", preferred_name: "Preferred name", phone: "Phone", email: "E-mail",
  last_visit: "Last visit", last_activity: "Last activity", ignore: "Ignore",
};
const number = (value) => Number(value).toLocaleString();
const sentence = (text) => String(text ?? "").charAt(0).toUpperCase() + String(text ?? "").slice(1);

const $ = (id) => document.getElementById(id);
const importStatus = (message, isError = false) => setStatus(message, isError, $("import-status"));
const listing = { q: "", offset: 0 };
let chosen = null; // {file, preview}

// -- progress ------------------------------------------------------------------------------------

/** The progress bar: a share from 0 to 1, or null for "working, no telling how long". */
function showProgress(text, share) {
  $("progress-box").hidden = false;
  const bar = $("progress");
  if (share === null) bar.removeAttribute("value");
  else bar.value = Math.round(share * 100);
  $("progress-text").textContent = text;
}

function hideProgress() {
  $("progress-box").hidden = true;
}

function uploadProgress(verb, file) {
  return (loaded, total) => {
    if (loaded >= total) showProgress(`${verb} ${file.name}…`, null);
    else showProgress(`Sending ${file.name}: ${Math.floor((100 * loaded) / total)}%`, loaded / total);
  };
}

// -- the preview ---------------------------------------------------------------------------------

function fieldSelect(column, field, fields) {
  return h("select", { "data-column": column, "aria-label": `Field for the column ${column || "(no heading)"}`, onchange: onMappingChange },
    [...fields, "ignore"].map((name) => h("option", { value: name, selected: name === field }, FIELD_NAMES[name] ?? name)));
}

function selects() {
  return [...document.querySelectorAll("#preview-table select[data-column]")];
}

/** Each field comes from one column (as the import reads it): choosing a field another column has sets that one to Ignore. */
function onMappingChange(event) {
  const changed = event.target;
  const note = $("mapping-note");
  note.hidden = true;
  if (changed.value !== "ignore") {
    for (const other of selects()) {
      if (other !== changed && other.value === changed.value) {
        other.value = "ignore";
        note.textContent = `“${other.dataset.column}” is now ignored: ${FIELD_NAMES[changed.value]} comes from “${changed.dataset.column}”.`;
        note.hidden = false;
      }
    }
  }
  checkNameColumn();
}

function checkNameColumn() {
  const hasName = selects().some((select) => NAME_FIELDS.includes(select.value));
  const warning = $("name-warning");
  warning.hidden = hasName;
  warning.textContent = hasName ? "" : "No name column was recognised in this file. In the lists above the rows, choose which "
    + "column holds the name: Full name, or First name and Last name. Then import.";
  $("start-import").disabled = !hasName;
}

function showPreview(file, preview) {
  const { columns, mapping, fields, sample, rows, encoding } = preview;
  const kind = encoding ? `text encoding ${encoding}` : "spreadsheet";
  replaceContent($("preview-summary"), h("strong", {}, file.name), `: ${plural(rows, "row", "rows")} (${kind}). `,
    sample.length < rows ? `The first ${sample.length} are shown.` : "");
  const table = $("preview-table");
  replaceContent(table.tHead,
    h("tr", {}, h("th", { scope: "col" }, "Row"), columns.map((column) => h("th", { scope: "col" }, column || "(no heading)"))),
    h("tr", { class: "mapping" }, h("th", { scope: "row" }, "Goes to"),
      columns.map((column) => h("td", {}, fieldSelect(column, mapping[column], fields)))));
  replaceContent(table.tBodies[0], sample.map((row) => h("tr", {}, h("th", { scope: "row" }, String(row.row)),
    columns.map((_, index) => h("td", {}, row.values[index] ?? "")))));
  if (!sample.length) table.tBodies[0].append(h("tr", {}, h("td", { colspan: columns.length + 1 }, "The file has no rows under its headings.")));
  $("start-import").textContent = `Import ${plural(rows, "row", "rows")}`;
  $("mapping-note").hidden = true;
  $("preview").hidden = false;
  const scroller = table.parentElement;
  $("scroll-hint").hidden = scroller.scrollWidth <= scroller.clientWidth;
  checkNameColumn();
}

async function previewFile(file) {
  chosen = null;
  $("preview").hidden = true;
  $("report").hidden = true;
  importStatus("");
  const form = new FormData();
  form.append("file", file);
  const result = await upload("/api/contacts/preview", form, uploadProgress("Reading", file));
  hideProgress();
  if (!result.ok) {
    importStatus(`${file.name} could not be read. ${failureMessage(result, "The file could not be read.")}`, true);
    return;
  }
  chosen = { file, preview: result.data };
  showPreview(file, result.data);
}

// -- the import ----------------------------------------------------------------------------------

function chosenMapping() {
  return Object.fromEntries(selects().map((select) => [select.dataset.column, select.value]));
}

async function startImport() {
  if (!chosen) return;
  const { file } = chosen;
  $("start-import").disabled = true;
  $("cancel-preview").disabled = true;
  importStatus("");
  const form = new FormData();
  form.append("file", file);
  form.append("mapping", JSON.stringify(chosenMapping()));
  const started = await upload("/api/contacts/imports", form, uploadProgress("Reading", file));
  if (!started.ok) {
    hideProgress();
    importStatus(failureMessage(started, "The import could not start."), true);
    enableImportButtons();
    return;
  }
  followImport(started.data);
}

/** What a running import is doing, for the progress bar: reading the file, checking its rows, saving them. */
function showJob(job) {
  if (job.phase === "saving") showProgress("Saving contacts…", null);
  else if (job.total === null || job.total === undefined) showProgress(`Reading ${job.filename}…`, null);
  else showProgress(`Checking contacts: ${number(job.done)} of ${number(job.total)}`, job.total ? job.done / job.total : null);
}

/** The import's state now; a poll that fails is tried again a few times before giving up. */
async function pollJob(job) {
  let result;
  for (let attempt = 0; attempt <= POLL_RETRIES; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, attempt ? RETRY_MS : POLL_MS));
    result = await api("GET", `/api/contacts/imports/${encodeURIComponent(job.import_id)}`);
    if (result.ok || result.status === 401 || result.status === 404) break;
  }
  return result;
}

function enableImportButtons() {
  $("start-import").disabled = false;
  $("cancel-preview").disabled = false;
}

async function followImport(job) {
  while (job.status === "running") {
    showJob(job);
    const result = await pollJob(job);
    if (!result.ok) {
      hideProgress();
      const stillRunning = result.status === 404 ? "" : " The import may still be running: look for the contacts below in a minute, "
        + "or import the file again (nothing is imported twice).";
      importStatus(`${failureMessage(result, "The import's progress could not be read.")}${stillRunning}`, true);
      enableImportButtons();
      loadContacts();
      return;
    }
    job = result.data;
  }
  hideProgress();
  $("cancel-preview").disabled = false;
  if (job.status === "failed") {
    importStatus(`Nothing was imported from ${job.filename}. ${job.message}`, true);
    $("start-import").disabled = false;
    return;
  }
  chosen = null;
  $("preview").hidden = true;
  $("upload").reset();
  showReport(job.filename, job.report);
  loadContacts();
}

// -- the report ----------------------------------------------------------------------------------

function count(value, label, role) {
  return h("div", { class: "count", "data-count": role }, h("span", { class: "value" }, number(value)), h("span", { class: "label" }, label));
}

function showReport(filename, report) {
  const skipped = report.skipped ?? [];
  const mappings = [...Object.entries(report.mapping ?? {}), ...Object.entries(report.activity_mapping ?? {})];
  replaceContent($("report-body"),
    h("p", {}, h("strong", {}, filename), report.encoding ? ` (text encoding ${report.encoding})` : " (spreadsheet)"),
    h("div", { class: "counts" },
      count(report.imported, "new contacts", "imported"),
      count(report.updated, "updated", "updated"),
      count(report.unchanged, "unchanged", "unchanged"),
      count(report.activities, "activities added", "activities"),
      count(skipped.length, "rows skipped", "skipped")),
    skipped.length ? [
      h("h3", {}, "Rows that were not imported"),
      h("p", { class: "muted" }, "Row numbers are as your spreadsheet shows them (the heading is row 1). Correct them in your system "
        + "and import the file again: rows already imported stay as they are."),
      h("table", { class: "skipped" },
        h("thead", {}, h("tr", {}, h("th", {}, "Row"), h("th", {}, "Reason"))),
        h("tbody", {}, skipped.map((row) => h("tr", {}, h("td", {}, String(row.row)), h("td", {}, sentence(row.reason)))))),
    ] : h("p", {}, "Every row was read."),
    report.warnings?.length ? [h("h3", {}, "Worth checking"), h("ul", { class: "warnings" }, report.warnings.map((text) => h("li", {}, text)))] : null,
    h("h3", {}, "Columns used"),
    h("ul", { class: "columns-used" }, mappings.map(([column, field]) => h("li", {}, `${column} → ${FIELD_NAMES[field] ?? field}`))));
  $("report").hidden = false;
  $("report").scrollIntoView({ block: "start" });
}

// -- the list ------------------------------------------------------------------------------------

function contactRow(contact) {
  return h("tr", { "data-contact-id": contact.id },
    h("td", { class: "name" }, h("a", { href: `/contacts/${encodeURIComponent(contact.id)}` }, contact.name || "(no name)")),
    h("td", { class: "nowrap" }, phoneText(contact.phone)),
    h("td", {}, contact.email || ""),
    h("td", { class: "nowrap" }, contact.last_seen_at ? dayText(contact.last_seen_at) : ""),
    h("td", { class: "opted-out" }, contact.opted_out ? "Yes" : "No"));
}

async function loadContacts() {
  const params = new URLSearchParams({ limit: PAGE_SIZE, offset: listing.offset });
  if (listing.q) params.set("q", listing.q);
  const result = await api("GET", `/api/contacts?${params}`);
  if (!result.ok) {
    setStatus(failureMessage(result, "The contacts could not be loaded."), true);
    return;
  }
  const { contacts, total } = result.data;
  replaceContent(document.querySelector("#contacts tbody"), contacts.map(contactRow));
  const last = listing.offset + contacts.length;
  if (total) setStatus(`Contacts ${number(listing.offset + 1)}–${number(last)} of ${number(total)}`);
  else setStatus(listing.q ? `No contact matches “${listing.q}”.` : "No contacts yet. Import your practice's contact list above.");
  $("contacts").hidden = !total;
  $("previous").disabled = listing.offset === 0;
  $("next").disabled = last >= total;
}

$("file").addEventListener("change", (event) => {
  const [file] = event.target.files;
  if (file) previewFile(file);
});
$("start-import").addEventListener("click", startImport);
$("cancel-preview").addEventListener("click", () => {
  chosen = null;
  $("preview").hidden = true;
  $("upload").reset();
  $("file").focus();
});
$("search").addEventListener("submit", (event) => {
  event.preventDefault();
  listing.q = new FormData(event.target).get("q").trim();
  listing.offset = 0;
  loadContacts();
});
$("previous").addEventListener("click", () => {
  listing.offset = Math.max(0, listing.offset - PAGE_SIZE);
  loadContacts();
});
$("next").addEventListener("click", () => {
  listing.offset += PAGE_SIZE;
  loadContacts();
});

loadContacts();
