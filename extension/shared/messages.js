/**
 * The message types the toolbar's pieces send each other, in one place (see extension/README.md,
 * "Contracts between the pieces"). Content scripts cannot import modules: content/common.js repeats
 * the three it uses, and a test holds them equal to these.
 */

export const MessageType = Object.freeze({
  /** content → worker: a captured page `{url, html, captured_at, utc_offset_minutes, lang, reason}` */
  CAPTURE: "capture",
  /** panel/options → worker: `{method, path, body?}` → `{ok, status, data}` */
  API: "api",
  /** panel → worker: `{review_id, event}`; queued while the server is unreachable */
  LOG_EVENT: "log-event",
  /** panel/options → worker: `{}` → `{state, serverUrl, queued, version?, message}` */
  CONNECTION: "connection",
  /** panel → worker: `{tab_id?}` → the tab's latest capture result, or `{}` */
  TAB_REVIEWS: "tab-reviews",
  /** worker → panel (broadcast): `{tab_id, url, platform, status, warnings, review_ids, captured_at}` */
  CAPTURE_RESULT: "capture-result",
  /** panel → content (tabs.sendMessage): `{text}` → `{ok, message}` */
  INSERT_REPLY: "insert-reply",
  /** worker → content (context menu): capture the selection's enclosing element */
  CAPTURE_SELECTION: "capture-selection",
});

/** The `state` of a `connection` answer. */
export const ConnectionState = Object.freeze({
  CONNECTED: "connected",
  UNPAIRED: "unpaired",
  WRONG_TOKEN: "wrong_token",
  SERVER_DOWN: "server_down",
  /** the server answered, but refused or failed (its message says why) */
  ERROR: "error",
});

/** The `status` of a capture result: the server's (ok, blocked, no_reviews) plus the toolbar's own. */
export const CaptureStatus = Object.freeze({
  OK: "ok",
  BLOCKED: "blocked",
  NO_REVIEWS: "no_reviews",
  /** kept in the queue: the server is down or the toolbar is not paired; sent when it is back */
  QUEUED: "queued",
  /** the server refused the capture or failed (its message is in `warnings` and `error`) */
  ERROR: "error",
});

/** Storage keys in chrome.storage.local. */
export const StorageKey = Object.freeze({
  SERVER_URL: "serverUrl",
  TOKEN: "token",
  /** true when the user confirmed, in the options, a server that is not on this computer */
  ALLOW_NETWORK_SERVER: "allowNetworkServer",
  QUEUE: "queue",
  QUEUE_NOTICES: "queueNotices",
});

export const DEFAULT_SERVER_URL = "http://127.0.0.1:5151";
