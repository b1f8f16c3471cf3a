// The side panel (Chrome sidePanel, Firefox sidebar_action; also opened as a page with ?tab=<id>):
// the connection state, what was captured on the current tab, and that tab's reviews, most urgent
// first, each opening its review workbench. It talks to the server only through the worker.

import { h, replaceContent } from "../workbench/dom.js";
import { failureMessage } from "../workbench/format.js";
import { inboxList } from "../workbench/inbox-list.js";
import { renderCapture } from "./capture-view.js";
import { renderConnection } from "./connection-view.js";
import { workerClient } from "./worker.js";

export const MAX_LISTED = 500; // GET /api/reviews takes up to 500 ids
export const CONNECTION_POLL_MS = 15000;

/** The tab the panel is about: `?tab=<id>` when given (tests, a panel opened as a page), else the active tab. */
export async function chosenTab(ext, search) {
  const given = new URLSearchParams(search).get("tab");
  if (given !== null && /^\d+$/.test(given)) return { tabId: Number(given), fixed: true, windowId: null };
  try {
    const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
    return { tabId: Number.isInteger(tab?.id) ? tab.id : null, fixed: false, windowId: tab?.windowId ?? null };
  } catch {
    return { tabId: null, fixed: false, windowId: null };
  }
}

/**
 * Starts the panel in `document`. `ext` is the WebExtension API (chrome or browser); `search` the
 * page's query string; `copyText` how to copy (default: the clipboard). Resolves once the first load
 * is done, to `{reload(), destroy()}`.
 */
export async function startPanel({ ext, document = globalThis.document, search = globalThis.location?.search ?? "",
                                    copyText, checkDelay } = {}) {
  const worker = workerClient(ext);
  const connectionElement = document.querySelector("[data-role=connection]");
  const captureElement = document.querySelector("[data-role=capture]");
  const reviewsElement = document.querySelector("[data-role=reviews]");
  const reviewsStatus = reviewsElement.querySelector("[data-role=reviews-status]");
  let tab = await chosenTab(ext, search);
  let loads = 0;
  let loading = null;
  let pendingReload = false;
  let lastConnection = null;

  const list = inboxList({
    api: worker.api,
    checkDelay,
    hooks: {
      copyText: copyText ?? ((text) => globalThis.navigator.clipboard.writeText(text)),
      insertReply: (text) => (tab.tabId === null ? Promise.resolve({ ok: false, message: "No tab to insert into." })
        : worker.insertReply(tab.tabId, text)),
    },
  });
  reviewsElement.append(list.element);

  async function showConnection() {
    const answer = await worker.connection();
    const cameBack = lastConnection && lastConnection !== "connected" && answer.state === "connected";
    lastConnection = answer.state;
    renderConnection(connectionElement, answer, {
      openOptions: () => ext.runtime.openOptionsPage(),
      recheck: () => showConnection(),
    });
    if (cameBack) reload();
    return answer;
  }

  async function listReviews(capture) {
    const ids = (Array.isArray(capture.review_ids) ? capture.review_ids : []).filter((id) => Number.isInteger(Number(id)));
    if (!ids.length) {
      list.update([]);
      replaceContent(reviewsStatus, capture.status ? "No reviews from this page are stored yet." : "");
      return;
    }
    const shown = ids.slice(-MAX_LISTED);
    const result = await worker.api("GET", `/api/reviews?ids=${shown.join(",")}&limit=${MAX_LISTED}&order=attention`);
    if (!result?.ok) {
      replaceContent(reviewsStatus, h("span", { class: "wb-error", role: "alert" }, failureMessage(result, "The reviews could not be loaded.")));
      return;
    }
    const reviews = Array.isArray(result.data?.reviews) ? result.data.reviews : [];
    list.update(reviews);
    replaceContent(reviewsStatus, reviews.length ? `${reviews.length} review${reviews.length === 1 ? "" : "s"}, most urgent first.`
      : "These reviews are not on the server (another data folder?).");
  }

  async function load() {
    reviewsElement.dataset.loaded = "false";
    reviewsElement.setAttribute("aria-busy", "true");
    if (tab.tabId === null) {
      renderCapture(captureElement, null);
      list.update([]);
      replaceContent(reviewsStatus, "No tab to show: click into a browser tab with the practice's reviews.");
    } else {
      const capture = await worker.tabReviews(tab.tabId);
      renderCapture(captureElement, capture);
      await listReviews(capture);
    }
    loads += 1;
    reviewsElement.dataset.loads = String(loads);
    reviewsElement.dataset.count = String(list.element.querySelectorAll("[data-review-id]").length);
    reviewsElement.setAttribute("aria-busy", "false");
    reviewsElement.dataset.loaded = "true";
  }

  /** Loads again; a reload asked for while one runs happens once it ends. */
  function reload() {
    if (loading) {
      pendingReload = true;
      return loading;
    }
    loading = load().finally(() => {
      loading = null;
      if (pendingReload) {
        pendingReload = false;
        reload();
      }
    });
    return loading;
  }

  const stopListening = worker.onCaptureResult((result) => {
    if (result.tab_id === tab.tabId) {
      reload();
      showConnection();
    }
  });
  const followTab = ({ tabId, windowId }) => {
    if (tab.fixed || (tab.windowId !== null && windowId !== tab.windowId)) return;
    tab = { ...tab, tabId };
    reload();
  };
  ext.tabs?.onActivated?.addListener(followTab);
  const poll = globalThis.setInterval(showConnection, CONNECTION_POLL_MS);

  await Promise.all([showConnection(), reload()]);
  return {
    reload,
    list,
    destroy() {
      stopListening();
      ext.tabs?.onActivated?.removeListener(followTab);
      globalThis.clearInterval(poll);
      list.destroy();
    },
  };
}
