// The dashboard's settings page: the practice's settings as a form built from the server's description
// of them (GET /api/settings gives each setting's label, section, kind, default, help and bounds), and
// the pairing token for the toolbar (show, copy, rotate). Settings hold text typed by staff: it only
// ever reaches the page as text nodes and input values.

import { api, setStatus } from "./page.js";
import { h, replaceContent, uniqueId } from "/workbench/dom.js";
import { failureMessage } from "/workbench/format.js";

const form = document.getElementById("settings-form");
const saveStatus = document.getElementById("save-status");
const pairingStatus = document.getElementById("pairing-status");
const tokenInput = document.getElementById("pairing-token");
const addressInput = document.getElementById("server-address");
const controls = new Map(); // setting name -> {field, input, error}
let saved = {}; // the values the server holds

// ---- the settings form ---------------------------------------------------------------------------------

/** A help text from the settings table, for people: first letter up, `code` as code, no workflow rule ids. */
function helpText(help) {
  const sentence = help.replace(/\s*\(W\d+\)/g, "");
  const pieces = (sentence.charAt(0).toUpperCase() + sentence.slice(1)).split("`");
  return pieces.map((piece, index) => (index % 2 ? h("code", {}, piece) : piece));
}

function defaultText(field) {
  const value = field.default;
  if (field.kind === "yes_no") return value ? "Default: on." : "Default: off.";
  if (field.kind === "time_zone") return `Default: this computer's time zone (${field.local}).`;
  if (Array.isArray(value)) return value.length ? `Default: ${value.join(", ")}.` : "Default: none.";
  if (value === "" || value === null) return "Default: empty.";
  return `Default: ${value}.`;
}

function zoneSelect(field, id) {
  const select = h("select", { id, name: field.name });
  select.append(h("option", { value: "" }, `This computer's time zone (${field.local})`));
  const regions = new Map();
  for (const zone of field.choices) {
    const region = zone.includes("/") ? zone.split("/")[0] : "Other";
    if (!regions.has(region)) regions.set(region, h("optgroup", { label: region }));
    regions.get(region).append(h("option", { value: zone }, zone.replaceAll("_", " ")));
  }
  select.append(...regions.values());
  return select;
}

function inputFor(field, id, describedBy) {
  const common = { id, name: field.name, "aria-describedby": describedBy };
  switch (field.kind) {
    case "number":
      return h("input", { ...common, type: "number", inputmode: field.step === 1 ? "numeric" : "decimal",
        min: field.min, max: field.max, step: field.step, class: "number" });
    case "yes_no":
      return h("input", { ...common, type: "checkbox" });
    case "list":
      return h("textarea", { ...common, rows: 3, spellcheck: "false" });
    case "link":
      return h("input", { ...common, type: "url", inputmode: "url", maxlength: field.max_length, placeholder: "https://…", class: "wide" });
    case "time_zone":
      return zoneSelect(field, id);
    default:
      return h("input", { ...common, type: "text", maxlength: field.max_length, class: "wide" });
  }
}

/** One setting: its label, input, help with the default, and the place for the server's refusal. */
function fieldRow(field) {
  const id = `setting-${field.name}`;
  const helpId = uniqueId("help");
  const errorId = uniqueId("error");
  const input = inputFor(field, id, `${helpId} ${errorId}`);
  const error = h("p", { id: errorId, class: "field-error", "data-role": "field-error", role: "alert", hidden: true });
  const listNote = field.kind === "list" ? ` One per line, at most ${field.max}.` : "";
  const help = h("p", { id: helpId, class: "help" }, helpText(field.help), ".", listNote, " ", h("span", { class: "default" }, defaultText(field)));
  const label = h("label", { for: id }, field.label);
  const row = field.kind === "yes_no"
    ? h("div", { class: "field check", "data-setting": field.name }, h("div", { class: "check-line" }, input, label), help, error)
    : h("div", { class: "field", "data-setting": field.name }, label, input, help, error);
  controls.set(field.name, { field, input, error });
  return row;
}

function buildForm(sections, fields) {
  const container = document.getElementById("sections");
  replaceContent(container, sections.map((section) => h("fieldset", { class: "settings-section", "data-section": section.name },
    h("legend", {}, section.title),
    fields.filter((field) => field.section === section.name).map(fieldRow))));
  form.addEventListener("input", (event) => clearError(event.target.name));
  form.addEventListener("submit", (event) => { event.preventDefault(); save(); });
  // Leaving with changes not saved: the browser asks first.
  window.addEventListener("beforeunload", (event) => { if (Object.keys(changes()).length) event.preventDefault(); });
}

function show(name, value) {
  const { field, input } = controls.get(name);
  if (field.kind === "yes_no") input.checked = Boolean(value);
  else if (field.kind === "list") input.value = (value ?? []).join("\n");
  else if (field.kind === "time_zone" && value && !field.choices.includes(value)) {
    input.append(h("option", { value }, value));
    input.value = value;
  } else input.value = value ?? "";
}

/** What the form holds for `name`, as the server takes it (a number input that is not a number stays text). */
function typed(name) {
  const { field, input } = controls.get(name);
  if (field.kind === "yes_no") return input.checked;
  if (field.kind === "list") return input.value.split("\n").map((line) => line.trim()).filter(Boolean);
  if (field.kind === "number") {
    const number = input.value.trim() === "" ? Number.NaN : Number(input.value);
    return Number.isFinite(number) ? number : input.value;
  }
  return input.value.trim();
}

function changes() {
  const changed = {};
  for (const name of controls.keys()) {
    const value = typed(name);
    if (JSON.stringify(value) !== JSON.stringify(saved[name])) changed[name] = value;
  }
  return changed;
}

function clearError(name) {
  const control = controls.get(name);
  if (!control) return;
  control.error.hidden = true;
  control.error.textContent = "";
  control.input.removeAttribute("aria-invalid");
  control.input.closest(".field").classList.remove("invalid");
}

function markError(name, message) {
  const control = controls.get(name);
  if (!control) return false;
  control.error.textContent = message;
  control.error.hidden = false;
  control.input.setAttribute("aria-invalid", "true");
  control.input.closest(".field").classList.add("invalid");
  return true;
}

function labels(names) {
  return names.map((name) => controls.get(name)?.field.label ?? name).join(", ");
}

async function save() {
  for (const name of controls.keys()) clearError(name);
  const changed = changes();
  const names = Object.keys(changed);
  if (!names.length) {
    setStatus("Nothing to save: no setting was changed.", false, saveStatus);
    return;
  }
  const button = form.querySelector("[data-action=save]");
  button.disabled = true;
  setStatus("Saving…", false, saveStatus);
  const result = await api("PUT", "/api/settings", changed);
  button.disabled = false;
  if (result.ok) {
    saved = result.data.settings;
    for (const name of names) show(name, saved[name]);
    setStatus(`Saved: ${labels(names)}.`, false, saveStatus);
    return;
  }
  const refused = (result.data.details ?? []).filter((detail) => markError(detail.field, detail.message));
  if (refused.length) {
    const one = refused.length === 1;
    setStatus(`Nothing was saved: ${labels(refused.map((detail) => detail.field))} ${one ? "needs" : "need"} another value ` +
      `(see the message under ${one ? "it" : "each"}). Your other changes are still in the form.`, true, saveStatus);
    controls.get(refused[0].field).input.focus();
  } else {
    setStatus(`Nothing was saved: ${failureMessage(result)}`, true, saveStatus);
  }
}

async function loadSettings() {
  const status = document.getElementById("status");
  const result = await api("GET", "/api/settings");
  if (!result.ok) {
    setStatus(`The settings could not be loaded: ${failureMessage(result)}`, true, status);
    return;
  }
  buildForm(result.data.sections, result.data.fields);
  saved = result.data.settings;
  for (const name of controls.keys()) show(name, saved[name]);
  setStatus("", false, status);
  form.hidden = false;
}

// ---- pairing ---------------------------------------------------------------------------------------------

async function copy(input, what) {
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    const wasHidden = input.type === "password";
    if (wasHidden) input.type = "text";
    input.select();
    const done = document.execCommand("copy");
    if (wasHidden) input.type = "password";
    if (!done) {
      setStatus(`The ${what} could not be copied: press Show, select it and press Ctrl+C (⌘+C on a Mac).`, true, pairingStatus);
      return;
    }
  }
  setStatus(`The ${what} is copied. Paste it into the toolbar's options.`, false, pairingStatus);
}

function showToken(visible) {
  const button = document.querySelector("[data-action=show-token]");
  tokenInput.type = visible ? "text" : "password";
  button.textContent = visible ? "Hide" : "Show";
  button.setAttribute("aria-pressed", String(visible));
}

function askToRotate(asking) {
  document.getElementById("rotate-confirm").hidden = !asking;
  document.querySelector("[data-action=rotate]").hidden = asking;
  if (asking) document.querySelector("[data-action=rotate-confirm]").focus();
}

async function rotate() {
  const result = await api("POST", "/api/pairing/rotate");
  askToRotate(false);
  if (!result.ok) {
    setStatus(`No new token was made: ${failureMessage(result)}`, true, pairingStatus);
    return;
  }
  tokenInput.value = result.data.token;
  showToken(true);
  tokenInput.scrollIntoView({ block: "center" });
  document.querySelector("[data-action=copy-token]").focus();
  setStatus("A new token is made, shown above. The old one no longer works: copy the new token into the toolbar's options " +
    "(Pairing token, then Save) in every browser that uses ReviewDesk.", false, pairingStatus);
}

async function loadPairing() {
  const result = await api("GET", "/api/pairing");
  if (!result.ok) {
    setStatus(`The pairing token could not be loaded: ${failureMessage(result)}`, true, pairingStatus);
    return;
  }
  tokenInput.value = result.data.token;
  addressInput.value = result.data.server;
  document.querySelector("[data-action=show-token]").addEventListener("click", () => showToken(tokenInput.type === "password"));
  document.querySelector("[data-action=copy-token]").addEventListener("click", () => copy(tokenInput, "pairing token"));
  document.querySelector("[data-action=copy-address]").addEventListener("click", () => copy(addressInput, "server address"));
  document.querySelector("[data-action=rotate]").addEventListener("click", () => askToRotate(true));
  document.querySelector("[data-action=rotate-cancel]").addEventListener("click", () => askToRotate(false));
  document.querySelector("[data-action=rotate-confirm]").addEventListener("click", rotate);
}

loadSettings();
loadPairing();
