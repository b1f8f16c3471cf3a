/**
 * Stand-ins for the parts of the extension API the worker uses: a storage area that copies values
 * through JSON as the browser does (with an optional quota), a fetch that plays a scripted server, and
 * a whole `chrome` object for loading background.js.
 */

/** A chrome.storage area: get(null | key | keys | defaults), set, remove, clear; values copied as JSON. */
export function fakeStorageArea({ quotaBytes = Infinity } = {}) {
  const values = new Map();
  const size = () => [...values.entries()].reduce((sum, [key, value]) => sum + key.length + value.length, 0);
  const area = {
    values,
    async get(keys) {
      const wanted = keys === null || keys === undefined ? [...values.keys()]
        : typeof keys === "string" ? [keys]
        : Array.isArray(keys) ? keys : Object.keys(keys);
      const answer = {};
      for (const key of wanted) {
        if (values.has(key)) answer[key] = JSON.parse(values.get(key));
        else if (keys && typeof keys === "object" && !Array.isArray(keys)) answer[key] = keys[key];
      }
      return answer;
    },
    async set(items) {
      const before = new Map(values);
      for (const [key, value] of Object.entries(items)) values.set(key, JSON.stringify(value));
      if (size() > quotaBytes) {
        values.clear();
        for (const [key, value] of before) values.set(key, value);
        throw new Error("QUOTA_BYTES quota exceeded");
      }
      area.onSet?.(items);
    },
    async remove(keys) {
      for (const key of [].concat(keys)) values.delete(key);
    },
    async clear() {
      values.clear();
    },
  };
  return area;
}

/** A JSON response as fetch() gives it. */
export function jsonResponse(status, body) {
  return {
    status,
    ok: status >= 200 && status < 300,
    async json() {
      if (typeof body === "string") throw new SyntaxError("Unexpected token");
      return JSON.parse(JSON.stringify(body));
    },
  };
}

/**
 * A fetch playing a ReviewDesk server: `handler({method, path, headers, body})` → a response, or
 * "down" to refuse the connection. Every call is recorded in `calls`.
 */
export function fakeFetch(handler) {
  const calls = [];
  async function fetch(url, init = {}) {
    const parsed = new URL(url);
    const call = {
      url,
      origin: parsed.origin,
      method: init.method ?? "GET",
      path: parsed.pathname + parsed.search,
      headers: init.headers ?? {},
      body: init.body === undefined ? undefined : JSON.parse(init.body),
    };
    calls.push(call);
    const answer = await handler(call);
    if (answer === "down") throw new TypeError("Failed to fetch");
    return answer;
  }
  fetch.calls = calls;
  return fetch;
}

/** An event (chrome.runtime.onMessage and the like) whose listeners a test can call. */
export function fakeEvent() {
  const listeners = [];
  return {
    listeners,
    addListener: (listener) => listeners.push(listener),
    removeListener: (listener) => listeners.splice(listeners.indexOf(listener), 1),
    hasListeners: () => listeners.length > 0,
  };
}

/**
 * A `chrome` object for loading background.js: storage (local, session), runtime messaging, action
 * (the badge), sidePanel or sidebarAction, contextMenus and tabs, each recording what it was asked.
 * `dispatch(message, sender)` delivers a runtime message to the worker and resolves with its answer.
 */
export function fakeExtensionApi({ manifest, firefox = false, extensionId = "abcdefghijklmnopabcdefghijklmnop" } = {}) {
  const origin = firefox ? "moz-extension://0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f/" : `chrome-extension://${extensionId}/`;
  const record = { badge: [], broadcasts: [], menus: [], tabMessages: [], panelBehavior: [], sidebarOpened: 0 };
  const local = fakeStorageArea();
  const session = fakeStorageArea();
  const onChanged = fakeEvent();
  local.onSet = (items) => {
    const changes = Object.fromEntries(Object.keys(items).map((key) => [key, { newValue: items[key] }]));
    for (const listener of onChanged.listeners) listener(changes, "local");
  };
  const api = {
    runtime: {
      id: extensionId,
      getURL: (path) => origin + path,
      getManifest: () => manifest,
      onMessage: fakeEvent(),
      onInstalled: fakeEvent(),
      onStartup: fakeEvent(),
      lastError: undefined,
      async sendMessage(message) {
        record.broadcasts.push(message);
        throw new Error("Could not establish connection. Receiving end does not exist.");
      },
    },
    storage: { local, session, onChanged },
    action: {
      onClicked: fakeEvent(),
      async setBadgeText(details) { record.badge.push({ kind: "text", ...details }); },
      async setBadgeBackgroundColor(details) { record.badge.push({ kind: "color", ...details }); },
      async setBadgeTextColor(details) { record.badge.push({ kind: "textColor", ...details }); },
    },
    contextMenus: {
      onClicked: fakeEvent(),
      async removeAll() { record.menus.length = 0; },
      create(properties, callback) { record.menus.push(properties); callback?.(); },
    },
    tabs: {
      onRemoved: fakeEvent(),
      onUpdated: fakeEvent(),
      async query() { return [{ id: 7, active: true }]; },
      async sendMessage(tabId, message, options) { record.tabMessages.push({ tabId, message, options }); return { ok: true }; },
    },
  };
  if (firefox) {
    api.sidebarAction = { async open() { record.sidebarOpened += 1; } };
  } else {
    api.sidePanel = { async setPanelBehavior(options) { record.panelBehavior.push(options); } };
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
  async function dispatch(message, sender) {
    let answered;
    const answer = new Promise((resolve) => { answered = resolve; });
    let handled = false;
    for (const listener of api.runtime.onMessage.listeners) {
      const asynchronous = listener(message, sender, (response) => { handled = true; answered(response); });
      if (asynchronous === true || handled) return answer;
    }
    return undefined;
  }
  return { api, record, dispatch, settle, origin };
}
