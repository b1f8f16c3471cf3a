/**
 * Each tab's latest capture result (what the panel lists for the page in that tab).
 *
 * Kept in chrome.storage.session (cleared when the browser closes, never seen by content scripts)
 * when the browser has it, else in the worker's memory. A "page" capture replaces the tab's result;
 * "more" (reviews loaded later, "More" expanded) and "selection" add their reviews to it.
 */

import { CaptureStatus } from "../shared/messages.js";

const KEY_PREFIX = "tabCapture:";
const ADDS_TO_PAGE = new Set(["more", "selection"]);

/** Whether a result must be shown to the user as a problem (the badge's "!" for its tab). */
export function isProblem(result) {
  if (!result || !result.status) return false;
  if (result.status === CaptureStatus.BLOCKED || result.status === CaptureStatus.ERROR) return true;
  return result.status === CaptureStatus.NO_REVIEWS && Array.isArray(result.warnings) && result.warnings.length > 0;
}

function memoryArea() {
  const values = new Map();
  return {
    async get(key) {
      return values.has(key) ? { [key]: values.get(key) } : {};
    },
    async set(items) {
      for (const [key, value] of Object.entries(items)) values.set(key, value);
    },
    async remove(key) {
      values.delete(key);
    },
  };
}

export function createTabResults({ session } = {}) {
  const area = session?.get ? session : memoryArea();
  const keyOf = (tabId) => `${KEY_PREFIX}${tabId}`;

  async function get(tabId) {
    if (!Number.isInteger(tabId)) return null;
    try {
      return (await area.get(keyOf(tabId)))?.[keyOf(tabId)] ?? null;
    } catch {
      return null;
    }
  }

  /**
   * Records a capture's answer for its tab; answers the tab's result now. A capture delivered from the
   * queue (`fromQueue`) counts only while the tab still waits for it (else the tab has moved on: null).
   */
  async function record(tabId, capture, answer, { fromQueue = false } = {}) {
    const previous = await get(tabId);
    if (fromQueue && !(previous?.waiting > 0)) return null;
    let waiting = 0;
    if (answer?.queued) waiting = (previous?.waiting ?? 0) + 1;
    else if (fromQueue) waiting = previous.waiting - 1;
    const adds = ADDS_TO_PAGE.has(capture?.reason) && previous;
    const reviewIds = Array.isArray(answer?.review_ids) ? answer.review_ids : [];
    const result = {
      url: capture?.url ?? null,
      platform: answer?.platform ?? previous?.platform ?? null,
      status: answer?.status ?? CaptureStatus.ERROR,
      layout: answer?.layout ?? (adds ? previous.layout : null) ?? null,
      warnings: Array.isArray(answer?.warnings) ? answer.warnings : [],
      review_ids: adds ? [...new Set([...(previous.review_ids ?? []), ...reviewIds])] : reviewIds,
      captured_at: capture?.captured_at ?? null,
      reason: capture?.reason ?? "page",
      waiting, // this tab's captures still in the queue
    };
    if (answer?.error) result.error = answer.error;
    if (Number.isInteger(tabId)) {
      try {
        await area.set({ [keyOf(tabId)]: result });
      } catch {
        // storage.session is full (1-10 MB): the answer still reaches the panel by the broadcast
      }
    }
    return result;
  }

  async function forget(tabId) {
    try {
      await area.remove(keyOf(tabId));
    } catch {
      // nothing stored for it
    }
  }

  return { get, record, forget };
}
