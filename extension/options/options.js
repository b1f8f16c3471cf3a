/**
 * The options page: the server's address, the pairing token, Save and "Test connection".
 *
 * It stores the settings in chrome.storage.local (where the worker reads them) and asks the worker
 * for the connection state: the worker is the only code that talks to the server.
 */

import { browser } from "../shared/browser.js";
import { ConnectionState, DEFAULT_SERVER_URL, MessageType, StorageKey } from "../shared/messages.js";
import { isLoopbackUrl, normaliseServerUrl } from "../shared/server-url.js";

const NO_WORKER = "The toolbar's background worker did not answer. Reload the extension (or restart the browser) and try again.";

/** A pasted token, cleaned: no spaces, no "Bearer " in front of it. */
export function cleanToken(pasted) {
  return String(pasted ?? "").trim().replace(/^bearer\s+/i, "").trim();
}

/** The form's values checked → `{ok: true, settings}` or `{ok: false, message}`. */
export function checkForm({ serverUrl, token, allowNetwork }) {
  const url = normaliseServerUrl(serverUrl || DEFAULT_SERVER_URL);
  if (!url) {
    return { ok: false, message: `"${serverUrl}" is not a web address. Use the address 'reviewdesk serve' prints, such as ${DEFAULT_SERVER_URL}.` };
  }
  const remote = !isLoopbackUrl(url);
  if (remote && !allowNetwork) {
    return { ok: false, message: `${url} is not on this computer. Tick the box under the address if it really is your practice's server, or use ${DEFAULT_SERVER_URL}.` };
  }
  const cleaned = cleanToken(token);
  if (/\s/.test(cleaned)) return { ok: false, message: "The token has spaces in it: copy it again from 'reviewdesk token', on one line." };
  return {
    ok: true,
    settings: { [StorageKey.SERVER_URL]: url, [StorageKey.TOKEN]: cleaned, [StorageKey.ALLOW_NETWORK_SERVER]: remote && Boolean(allowNetwork) },
  };
}

/**
 * What the page says about a `connection` answer: paragraphs, each a list of pieces (a string, or
 * `{code}` for a command to type). One clear sentence per state, with what to do.
 */
export function describeConnection(answer) {
  const serverUrl = answer?.serverUrl ?? DEFAULT_SERVER_URL;
  const paragraphs = [];
  switch (answer?.state) {
    case ConnectionState.CONNECTED:
      paragraphs.push([`Connected: the toolbar is paired with ReviewDesk${answer.version ? ` ${answer.version}` : ""} at ${serverUrl}.`]);
      break;
    case ConnectionState.SERVER_DOWN:
      paragraphs.push([`ReviewDesk is not running at ${serverUrl}. Start it on this computer with `, { code: "reviewdesk serve" },
        ", then press Test connection again. Reviews captured meanwhile wait in the toolbar."]);
      break;
    case ConnectionState.UNPAIRED:
      paragraphs.push(["The server is running, but the toolbar is not paired: run ", { code: "reviewdesk token" },
        " on this computer, paste the token above and press Save."]);
      break;
    case ConnectionState.WRONG_TOKEN:
      paragraphs.push(["The server refused this token: it is mistyped or was rotated. Copy it again from ", { code: "reviewdesk token" },
        ", paste it above and press Save."]);
      break;
    default:
      paragraphs.push([answer?.message || NO_WORKER]);
  }
  if (answer?.serverUrl && !isLoopbackUrl(answer.serverUrl)) {
    paragraphs.push([`Note: ${answer.serverUrl} is not on this computer; reviews and the token travel over your network to it.`]);
  }
  if (Number(answer?.queued) > 0) {
    paragraphs.push([`${answer.queued} ${Number(answer.queued) === 1 ? "capture or step waits" : "captures or steps wait"} to be sent; they go as soon as the server answers.`]);
  }
  for (const notice of answer?.notices ?? []) paragraphs.push([notice]);
  return paragraphs;
}

function render(doc, element, state, paragraphs) {
  element.replaceChildren(...paragraphs.map((pieces) => {
    const paragraph = doc.createElement("p");
    for (const piece of pieces) {
      if (typeof piece === "string") {
        paragraph.append(piece);
      } else {
        const code = doc.createElement("code");
        code.textContent = piece.code;
        paragraph.append(code);
      }
    }
    return paragraph;
  }));
  element.dataset.state = state;
  element.hidden = false;
}

/** Wires the page in `doc` to the extension API `ext` (chrome or browser). */
export async function startOptions({ document: doc, ext }) {
  const form = doc.getElementById("options-form");
  const urlInput = doc.getElementById("server-url");
  const tokenInput = doc.getElementById("token");
  const showToken = doc.getElementById("show-token");
  const allowNetwork = doc.getElementById("allow-network");
  const warning = doc.getElementById("network-warning");
  const result = doc.getElementById("result");
  const buttons = Array.from(form.querySelectorAll("button"));

  const stored = await ext.storage.local.get([StorageKey.SERVER_URL, StorageKey.TOKEN, StorageKey.ALLOW_NETWORK_SERVER]);
  urlInput.value = stored[StorageKey.SERVER_URL] || DEFAULT_SERVER_URL;
  tokenInput.value = stored[StorageKey.TOKEN] || "";
  allowNetwork.checked = stored[StorageKey.ALLOW_NETWORK_SERVER] === true;

  function showNetworkWarning() {
    const url = normaliseServerUrl(urlInput.value);
    warning.hidden = !url || isLoopbackUrl(url);
  }
  showNetworkWarning();
  urlInput.addEventListener("input", showNetworkWarning);
  showToken.addEventListener("change", () => {
    tokenInput.type = showToken.checked ? "text" : "password";
  });

  async function saveAndTest({ announceSave }) {
    const checked = checkForm({ serverUrl: urlInput.value, token: tokenInput.value, allowNetwork: allowNetwork.checked });
    if (!checked.ok) {
      render(doc, result, "invalid", [[checked.message]]);
      return null;
    }
    buttons.forEach((button) => { button.disabled = true; });
    try {
      await ext.storage.local.set(checked.settings);
      urlInput.value = checked.settings[StorageKey.SERVER_URL];
      tokenInput.value = checked.settings[StorageKey.TOKEN];
      render(doc, result, "checking", [[announceSave ? "Saved. Checking the connection…" : "Checking the connection…"]]);
      let answer;
      try {
        answer = await ext.runtime.sendMessage({ type: MessageType.CONNECTION });
      } catch {
        answer = null;
      }
      const paragraphs = describeConnection(answer ?? { state: "error", message: NO_WORKER });
      if (announceSave) paragraphs[0] = ["Saved. ", ...paragraphs[0]];
      render(doc, result, answer?.state ?? "error", paragraphs);
      return answer;
    } finally {
      buttons.forEach((button) => { button.disabled = false; });
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    saveAndTest({ announceSave: true });
  });
  form.querySelector("[data-action=test]").addEventListener("click", () => saveAndTest({ announceSave: false }));
  return { saveAndTest };
}

if (browser?.runtime?.id && globalThis.document?.getElementById("options-form")) {
  startOptions({ document: globalThis.document, ext: browser });
}
