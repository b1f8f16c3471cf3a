// The connection state at the top of the panel: connected, not paired, wrong token, server down,
// and how many captures and events wait to be sent. Says what to do, not just what is wrong.

import { h, replaceContent } from "../workbench/dom.js";

function queuedCount(queued) {
  if (Array.isArray(queued)) return queued.length;
  const count = Number(queued);
  return Number.isFinite(count) && count > 0 ? Math.floor(count) : 0;
}

/**
 * Renders a `connection` answer into `[data-role=connection]` (with `data-state`), the number waiting
 * in `[data-role=queue]` and the worker's one-time notices; `openOptions()` and `recheck()` are its buttons.
 */
export function renderConnection(element, answer, { openOptions, recheck }) {
  const state = answer?.state ?? "error";
  const server = answer?.serverUrl ? ` at ${answer.serverUrl}` : "";
  const optionsButton = h("button", { type: "button", "data-action": "open-options", onclick: openOptions }, "Open the options");
  const recheckButton = h("button", { type: "button", "data-action": "recheck-connection", onclick: recheck }, "Check again");
  const command = (text) => h("code", {}, text);
  const content = {
    connected: [h("span", { class: "connection-dot", "aria-hidden": "true" }), ` Connected to ReviewDesk${answer?.version ? ` ${answer.version}` : ""}.`],
    unpaired: [h("strong", {}, "Not paired yet. "), "Run ", command("reviewdesk token"),
      " on this computer and paste the token in the toolbar's options. ", optionsButton],
    wrong_token: [h("strong", {}, "The pairing token was refused. "), "It is wrong or was rotated: run ", command("reviewdesk token"),
      " and paste the new one in the options. ", optionsButton],
    server_down: [h("strong", {}, `ReviewDesk's server is not running${server}. `), "Start it with ", command("reviewdesk serve"),
      " on this computer; captures wait in the toolbar meanwhile. ", recheckButton],
  }[state] ?? [h("strong", {}, "ReviewDesk is not reachable. "), answer?.message ?? "", " ", recheckButton];
  element.dataset.state = state;
  element.classList.toggle("connection-problem", state !== "connected");
  const waiting = queuedCount(answer?.queued);
  const notices = (Array.isArray(answer?.notices) ? answer.notices : []).filter(Boolean);
  replaceContent(element, content,
    waiting ? h("p", { class: "queue", "data-role": "queue", "data-count": waiting },
      `${waiting} ${waiting === 1 ? "capture or event is" : "captures and events are"} waiting to be sent to ReviewDesk.`) : null,
    // What went wrong while the server was away (captures dropped from a full queue, steps it refused): told once.
    notices.length ? h("ul", { class: "notices", "data-role": "connection-notices" },
      notices.map((notice) => h("li", { "data-role": "connection-notice" }, String(notice)))) : null);
}
