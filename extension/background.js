/**
 * The toolbar's background worker (an ES module; a service worker in Chrome, an event page in
 * Firefox). It wires the pieces in background/ and registers every listener at the top level: the
 * browser may stop the worker at any time and start it again for the next event, so all state lives
 * in chrome.storage (the queue, each tab's latest capture) and nothing waits in memory for long.
 */

import { browser } from "./shared/browser.js";
import { MessageType, StorageKey } from "./shared/messages.js";
import { createBadge } from "./background/badge.js";
import { checkConnection } from "./background/connection.js";
import { createMenu, menuClickHandler } from "./background/context-menu.js";
import { createGateway } from "./background/gateway.js";
import { createOutbox } from "./background/outbox.js";
import { createQueue } from "./background/queue.js";
import { openPanelOnActionClick, sidebarOpener } from "./background/side-panel.js";
import { createTabResults, isProblem } from "./background/tab-results.js";

const gateway = createGateway({ storage: browser.storage.local, fetch: (...args) => fetch(...args) });
const queue = createQueue({ storage: browser.storage.local });
const tabResults = createTabResults({ session: browser.storage.session });
const badge = createBadge({ action: browser.action, gateway });
const outbox = createOutbox({
  gateway,
  queue,
  onCaptureAnswer: showCaptureResult,
  onDelivered: () => badge.refresh(),
});

/** Tells the panel (if open) about a tab's capture; a panel that is closed is not an error. */
function broadcast(message) {
  try {
    browser.runtime.sendMessage(message)?.catch?.(() => {});
  } catch {
    // no receiver
  }
}

/** A capture's answer becomes the tab's result, its badge ("!" when it went wrong) and a broadcast. */
async function showCaptureResult(tabId, capture, answer, { fromQueue }) {
  if (!Number.isInteger(tabId)) return;
  const result = await tabResults.record(tabId, capture, answer, { fromQueue });
  if (!result) return;
  await badge.markTab(tabId, isProblem(result));
  broadcast({ type: MessageType.CAPTURE_RESULT, tab_id: tabId, ...result });
}

async function forgetTab(tabId) {
  const known = await tabResults.get(tabId);
  if (!known) return;
  await tabResults.forget(tabId);
  await badge.markTab(tabId, false);
  broadcast({ type: MessageType.CAPTURE_RESULT, tab_id: tabId });
}

/** Sends what waits and refreshes the badge: when the worker starts and when the pairing changes. */
async function wake() {
  await outbox.flush();
  await badge.refresh();
}

// --- who may ask what -------------------------------------------------------------------------

const extensionOrigin = browser.runtime.getURL("");
const fromExtensionPage = (sender) => typeof sender?.url === "string" && sender.url.startsWith(extensionOrigin);
const fromContentScript = (sender) => Number.isInteger(sender?.tab?.id) && !fromExtensionPage(sender);

async function activeTabId() {
  try {
    const [tab] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
    return tab?.id ?? null;
  } catch {
    return null;
  }
}

const handlers = {
  [MessageType.CAPTURE]: {
    allowed: (sender) => fromContentScript(sender) || fromExtensionPage(sender),
    async handle(message, sender) {
      const tabId = fromContentScript(sender) ? sender.tab.id : Number.isInteger(message.tab_id) ? message.tab_id : null;
      const { url, html, captured_at: capturedAt, utc_offset_minutes: offset, lang, reason } = message;
      return outbox.sendCapture(tabId, { url, html, captured_at: capturedAt, utc_offset_minutes: offset, lang, reason });
    },
  },
  [MessageType.API]: {
    allowed: fromExtensionPage,
    async handle(message) {
      const result = await gateway.request(message.method, message.path, message.body);
      if (result.ok && String(message.method).toUpperCase() !== "GET") badge.refresh();
      return result;
    },
  },
  [MessageType.LOG_EVENT]: {
    allowed: fromExtensionPage,
    handle: (message) => outbox.logEvent(message.review_id, message.event),
  },
  [MessageType.CONNECTION]: {
    allowed: fromExtensionPage,
    async handle() {
      const answer = await checkConnection({ gateway, queue, outbox });
      await badge.refresh();
      return answer;
    },
  },
  [MessageType.TAB_REVIEWS]: {
    allowed: fromExtensionPage,
    async handle(message) {
      const tabId = Number.isInteger(message.tab_id) ? message.tab_id : await activeTabId();
      const result = await tabResults.get(tabId);
      return result ? { tab_id: tabId, ...result } : {};
    },
  },
};

function onMessage(message, sender, sendResponse) {
  const handler = Object.hasOwn(handlers, String(message?.type)) ? handlers[message.type] : null;
  if (!handler) return false; // not for the worker (a broadcast, or a message for a content script)
  if (!handler.allowed(sender)) {
    sendResponse({ ok: false, status: 0, error: "forbidden", message: `'${message.type}' is not accepted from this sender.` });
    return false;
  }
  Promise.resolve()
    .then(() => handler.handle(message, sender))
    .then(sendResponse, (error) => {
      const text = `The toolbar failed: ${error?.message ?? error}`;
      sendResponse({ ok: false, status: 0, error: "toolbar_error", message: text });
    });
  return true; // the answer comes asynchronously
}

// --- listeners, all at the top level ------------------------------------------------------------

browser.runtime.onMessage.addListener(onMessage);

browser.runtime.onInstalled.addListener(() => {
  createMenu(browser);
  openPanelOnActionClick(browser);
  wake();
});

browser.runtime.onStartup.addListener(() => {
  createMenu(browser);
  wake();
});

browser.contextMenus?.onClicked.addListener(menuClickHandler(browser));

const openSidebar = sidebarOpener(browser);
if (openSidebar) browser.action.onClicked.addListener(openSidebar);

browser.tabs.onRemoved.addListener((tabId) => {
  tabResults.forget(tabId);
});

// A reload or a page of another site in the tab (a navigation inside a review site tells its address,
// and the content script recaptures there): the tab's old reviews are no longer what it shows.
browser.tabs.onUpdated.addListener((tabId, changeInfo) => {
  if (changeInfo.status === "loading" && !("url" in changeInfo)) forgetTab(tabId);
});

// Pairing or a new server address: send what waits at once, and show the new count.
browser.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && (StorageKey.TOKEN in changes || StorageKey.SERVER_URL in changes || StorageKey.ALLOW_NETWORK_SERVER in changes)) wake();
});

// Every start of the worker (it is stopped when idle): the panel behaviour, and what waits.
openPanelOnActionClick(browser);
wake();
