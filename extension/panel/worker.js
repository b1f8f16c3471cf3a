// The side panel's line to the extension's worker (the only code that talks to the server), as the
// functions the panel and the workbench need. Nothing here throws: a worker that does not answer
// reads as "the server cannot be reached".

import { MessageType } from "../shared/messages.js";

const EVENTS_PATH = /^\/api\/reviews\/(\d+)\/events$/;
const NO_ANSWER = "The toolbar's background worker did not answer. Reload the extension (or the browser) and try again.";

/** `{api, connection, tabReviews, insertReply, onCaptureResult}` over `ext` (chrome or browser). */
export function workerClient(ext) {
  async function send(message) {
    try {
      return await ext.runtime.sendMessage(message);
    } catch (error) {
      return { ok: false, status: 0, data: { ok: false, error: "no_worker", message: `${NO_ANSWER} (${error?.message ?? error})` } };
    }
  }

  /**
   * The workbench's `api(method, path, body)`. Logged events go as `log-event`, so the worker keeps
   * them while the server is down (its answer is then `{ok: true, queued: true}`).
   */
  async function api(method, path, body) {
    const event = String(method).toUpperCase() === "POST" ? EVENTS_PATH.exec(path) : null;
    const answer = event
      ? await send({ type: MessageType.LOG_EVENT, review_id: Number(event[1]), event: body })
      : await send({ type: MessageType.API, method, path, ...(body === undefined ? {} : { body }) });
    return answer ?? { ok: false, status: 0, data: { ok: false, error: "no_worker", message: NO_ANSWER } };
  }

  async function connection() {
    const answer = await send({ type: MessageType.CONNECTION });
    if (answer?.state) return answer;
    return { state: "error", message: answer?.data?.message ?? NO_ANSWER, queued: 0 };
  }

  async function tabReviews(tabId) {
    const answer = await send({ type: MessageType.TAB_REVIEWS, tab_id: tabId });
    return answer && typeof answer === "object" && !answer.data ? answer : {};
  }

  async function insertReply(tabId, text) {
    try {
      const answer = await ext.tabs.sendMessage(tabId, { type: MessageType.INSERT_REPLY, text });
      return answer ?? { ok: false, message: "The page did not answer: reload the review page, open its reply box, and try again." };
    } catch {
      return { ok: false, message: "The page cannot be reached: reload the review page, open its reply box, and try again." };
    }
  }

  /** Calls `listener(result)` for each capture-result broadcast; returns a function that stops it. */
  function onCaptureResult(listener) {
    const handler = (message) => {
      if (message?.type === MessageType.CAPTURE_RESULT) listener(message);
    };
    ext.runtime.onMessage.addListener(handler);
    return () => ext.runtime.onMessage.removeListener(handler);
  }

  return { api, connection, tabReviews, insertReply, onCaptureResult };
}
