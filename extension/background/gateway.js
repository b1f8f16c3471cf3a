/**
 * The gateway: the ONLY code in the toolbar that talks to the ReviewDesk server.
 *
 * It reads `serverUrl` and `token` from chrome.storage.local, sends `Authorization: Bearer <token>`,
 * talks only to a loopback address unless the user confirmed another one in the options, and never
 * throws: every call answers `{ok, status, data, state, message}` where `state` says why a call did
 * not get through (server_down, unpaired, wrong_token) and `data` is the server's JSON (or an error of
 * the same shape, `{ok: false, error, message}`, made up here when the server could not answer).
 */

import { ConnectionState, DEFAULT_SERVER_URL, StorageKey } from "../shared/messages.js";
import { isLoopbackUrl, normaliseServerUrl } from "../shared/server-url.js";

const METHODS = new Set(["GET", "POST", "PUT", "DELETE"]);
const DEFAULT_TIMEOUT_MS = 20_000;

function failure(status, state, error, message) {
  return { ok: false, status, state, message, data: { ok: false, error, message } };
}

function startCommand(serverUrl) {
  return `ReviewDesk is not answering at ${serverUrl}. Start it on this computer with 'reviewdesk serve' ` +
    "(it prints the address and the pairing token), then try again.";
}

const UNPAIRED_MESSAGE =
  "The toolbar is not paired yet: run 'reviewdesk token' on this computer and paste the token in the toolbar's options.";

/**
 * A gateway over `storage` (a chrome.storage.local-like area) and `fetch`.
 * `request(method, path, body?, {timeoutMs, withoutToken})` → `{ok, status, data, state, message}`.
 */
export function createGateway({ storage, fetch, timeoutMs = DEFAULT_TIMEOUT_MS }) {
  async function settings() {
    let stored = {};
    try {
      stored = (await storage.get([StorageKey.SERVER_URL, StorageKey.TOKEN, StorageKey.ALLOW_NETWORK_SERVER])) ?? {};
    } catch {
      stored = {};
    }
    const serverUrl = normaliseServerUrl(stored[StorageKey.SERVER_URL]) ?? DEFAULT_SERVER_URL;
    const token = typeof stored[StorageKey.TOKEN] === "string" ? stored[StorageKey.TOKEN].trim() : "";
    return { serverUrl, token, allowNetwork: stored[StorageKey.ALLOW_NETWORK_SERVER] === true };
  }

  async function request(method, path, body, options = {}) {
    const verb = String(method ?? "GET").toUpperCase();
    if (!METHODS.has(verb)) return failure(0, ConnectionState.ERROR, "bad_request", `The toolbar does not send ${verb} requests.`);
    if (typeof path !== "string" || !path.startsWith("/api/") || path.includes("..") || /[\s#\\]/.test(path)) {
      return failure(0, ConnectionState.ERROR, "bad_request", "The toolbar only calls the server's /api/ addresses.");
    }
    const { serverUrl, token, allowNetwork } = await settings();
    if (!isLoopbackUrl(serverUrl) && !allowNetwork) {
      return failure(0, ConnectionState.ERROR, "not_loopback",
        `The server address ${serverUrl} is not on this computer. Open the toolbar's options and confirm it, ` +
        "or use http://127.0.0.1:5151.");
    }
    if (!token && !options.withoutToken) return failure(0, ConnectionState.UNPAIRED, "unpaired", UNPAIRED_MESSAGE);

    const headers = { Accept: "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    const init = { method: verb, headers, credentials: "omit", cache: "no-store", redirect: "error" };
    if (body !== undefined && verb !== "GET") {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const controller = typeof AbortController === "function" ? new AbortController() : null;
    const limit = options.timeoutMs ?? timeoutMs;
    const timer = controller ? setTimeout(() => controller.abort(), limit) : null;
    if (controller) init.signal = controller.signal;

    let response;
    try {
      response = await fetch(serverUrl + path, init);
    } catch {
      return failure(0, ConnectionState.SERVER_DOWN, "server_down", startCommand(serverUrl));
    } finally {
      if (timer) clearTimeout(timer);
    }
    return answer(response, serverUrl, Boolean(token));
  }

  return { request, settings };
}

async function answer(response, serverUrl, sentToken) {
  const status = response.status;
  let data;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return failure(status, ConnectionState.ERROR, "not_reviewdesk",
      `Something other than ReviewDesk answers at ${serverUrl} (HTTP ${status}). Check the address in the toolbar's options.`);
  }
  if (status === 401) {
    const wrongToken = sentToken && data.error === "invalid_token";
    const state = wrongToken ? ConnectionState.WRONG_TOKEN : ConnectionState.UNPAIRED;
    const message = wrongToken
      ? "The pairing token is wrong or was rotated. Run 'reviewdesk token' and paste the token again in the toolbar's options."
      : UNPAIRED_MESSAGE;
    return { ok: false, status, state, message, data };
  }
  const ok = response.ok && data.ok !== false;
  const state = ok || status < 500 ? ConnectionState.CONNECTED : ConnectionState.ERROR;
  const message = ok ? "" : String(data.message ?? `The server answered HTTP ${status}.`);
  return { ok, status, state: status === 403 ? ConnectionState.ERROR : state, message, data };
}
